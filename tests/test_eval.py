"""The evaluation scorers and readers on tiny hand-made cases (fast: no spaCy model)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newstrace.cli.main import main
from newstrace.evaluation import EvalResult, compare_to_baseline, load_baseline
from newstrace.evaluation.article import score_bodies, shingle_counts
from newstrace.evaluation.attribution import _Tally, score_document
from newstrace.evaluation.brat import (
    AttributionDoc,
    GoldAttribution,
    bio_labels,
    parse_brat,
    read_attribution_data,
)
from newstrace.evaluation.conll import build_doc, read_conll
from newstrace.evaluation.scoring import Counts, WordIndex, overlap_ratio, trimmed
from newstrace.evaluation.timeml import read_timeml
from newstrace.evaluation.timex import _Tally as TimexTally
from newstrace.evaluation.timex import score_document as score_timex
from newstrace.models import Claim, Span, Speaker, TimeExpression

TEXT = 'Officials said the bridge was closed. "It is safe," Ana Fell told reporters.'


def span(start: int, end: int) -> Span:
    return Span(start, end, TEXT[start:end])


def test_counts_precision_recall_f1() -> None:
    counts = Counts(tp=3, fp=1, fn=2)
    assert counts.precision == 0.75
    assert counts.recall == 0.6
    assert counts.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert Counts().f1 == 0.0
    assert counts.metrics("x_") == {"x_precision": 0.75, "x_recall": 0.6, "x_f1": 0.6667}


def test_word_index_and_overlap() -> None:
    index = WordIndex("He said: “no, never.”")
    assert index.tokens([(0, 2)]) == {0}
    assert index.tokens([(9, 21)]) == {2, 3}
    assert index.tokens([(1, 4)]) == {0, 1}  # a word partly inside counts
    assert overlap_ratio(frozenset({1, 2}), frozenset({1, 2, 3, 4})) == 0.5
    assert overlap_ratio(frozenset(), frozenset()) == 0.0
    assert trimmed("“It is safe,” he", 0, 13) == (1, 11)


def test_parse_brat_roles_discontinuous_and_missing_source() -> None:
    ann = "\n".join(
        [
            "T1\tSource 0 9\tOfficials",
            "T2\tCue 10 14\tsaid",
            "T3\tContent 15 25;26 36\tthe bridge was closed",
            "T4\tAttribution 10 14\tsaid",
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
            "T5\tCue 50 54\twas",
            "E2\tAttribution-no-source:T5 Cue:T5 Content:T3",
            "#1\tAnnotatorNotes T1\tnote",
        ]
    )
    first, second = parse_brat(ann)
    assert first == GoldAttribution(((0, 9),), ((10, 14),), ((15, 25), (26, 36)))
    assert second.source == () and second.content == ((15, 25), (26, 36))


def test_bio_labels_nest_roles_and_begin_each_span() -> None:
    # "Ana said Bo said it rained": the outer content holds a second attribution.
    text = "Ana said Bo said it rained"
    outer = GoldAttribution(((0, 3),), ((4, 8),), ((9, 26),))
    inner = GoldAttribution(((9, 11),), ((12, 16),), ((17, 26),))
    doc = AttributionDoc("d", text, None, (outer, inner))
    words = [(0, 3), (4, 8), (9, 11), (12, 16), (17, 19), (20, 26)]
    labels = bio_labels(words, doc).tolist()
    # columns: source, cue, content; 0 O, 1 B, 2 I
    assert labels == [[1, 0, 0], [0, 1, 0], [1, 0, 1], [0, 1, 2], [0, 0, 1], [0, 0, 2]]


def test_polnear_folder_picks_first_listed_annotator(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "dev" / "text").mkdir(parents=True)
    (data / "dev" / "attributions").mkdir()
    (data / "dev" / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    (data / "dev" / "attributions" / "a_aaaa.ann").write_text("", encoding="utf-8")
    (data / "dev" / "attributions" / "a_zzzz.ann").write_text(
        "T1\tContent 15 36\tx\nE1\tAttribution:T1 Content:T1\n", encoding="utf-8"
    )
    (data / "metadata.tsv").write_text(
        "compartment\tfilename\tannotators\tpublication_date\ndev\ta\tzzzz|aaaa\t2016-09-30\n",
        encoding="utf-8",
    )
    (doc,) = read_attribution_data(tmp_path, "dev", None)
    assert (doc.id, doc.published, len(doc.attributions)) == ("a", "2016-09-30", 1)


def test_generic_jsonl_attributions(tmp_path: Path) -> None:
    record = {
        "id": "d1",
        "text": TEXT,
        "published": "2025-01-02",
        "attributions": [
            {"source": None, "cue": {"start": 10, "end": 14}, "content": [{"start": 15, "end": 36}]}
        ],
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (doc,) = read_attribution_data(path, "dev", None)
    assert doc.attributions[0] == GoldAttribution((), ((10, 14),), ((15, 36),))


def gold_doc() -> AttributionDoc:
    return AttributionDoc(
        "d",
        TEXT,
        None,
        (
            GoldAttribution(((0, 9),), ((10, 14),), ((15, 36),)),
            GoldAttribution(((52, 60),), ((61, 65),), ((38, 50),)),
        ),
    )


def test_attribution_perfect_and_partial_claims() -> None:
    tally = _Tally.empty()
    claims = [
        Claim("c1", "indirect", Speaker("Officials", 0, 9), span(15, 37), span(10, 14)),
        Claim("c2", "direct_quote", Speaker("Ana", 52, 55), span(39, 49), span(61, 65)),
    ]
    errors = score_document(gold_doc(), claims, tally)
    metrics = tally.metrics()
    assert errors == []
    assert metrics["relation_f1"] == 1.0
    assert metrics["exact_content_f1"] == 1.0  # trailing "." and quotes are trimmed
    assert metrics["exact_source_recall"] == 0.5  # "Ana" is not "Ana Fell"
    assert metrics["source_recall"] == pytest.approx(2 / 3, abs=1e-4)  # two of three source words
    assert metrics["cue_f1"] == 1.0


def test_attribution_source_mismatch_is_a_miss_and_a_false_alarm() -> None:
    tally = _Tally.empty()
    claims = [Claim("c1", "indirect", Speaker("he"), span(15, 36), span(10, 14))]
    errors = score_document(gold_doc(), claims, tally)
    assert tally.relation.tp == 0
    assert {(e["kind"], e["reason"]) for e in errors} == {
        ("miss", "source"),
        ("miss", "no_overlap"),
        ("false_alarm", "source"),
    }


def test_timeml_reader_and_timex_scores(tmp_path: Path) -> None:
    tml = tmp_path / "d.tml"
    tml.write_text(
        '<?xml version="1.0" ?><TimeML><DOCID>d1</DOCID><DCT><TIMEX3 tid="t0" type="DATE" '
        'value="1998-11-20T19:30" functionInDocument="CREATION_TIME">x</TIMEX3></DCT>'
        '<TEXT>Police said <TIMEX3 tid="t1" type="DATE" value="1998-11-20">Friday</TIMEX3> '
        'that <TIMEX3 tid="t2" type="DATE" value="1998-10">last month</TIMEX3> mattered.</TEXT>'
        "</TimeML>",
        encoding="utf-8",
    )
    doc = read_timeml(tml)
    assert (doc.id, doc.dct) == ("d1", "1998-11-20")
    assert [doc.text[t.start : t.end] for t in doc.timexes] == ["Friday", "last month"]
    tally = TimexTally()
    predicted = [
        TimeExpression("t1", 12, 18, "Friday", "1998-11-20", "day"),
        TimeExpression("t2", 24, 29, "last ", "1998-11", "month"),
        TimeExpression("t3", 39, 47, "mattered", None),
    ]
    errors = score_timex(doc, predicted, tally)
    metrics = tally.metrics()
    assert metrics["extent_f1_relaxed"] == pytest.approx(0.8)  # 2 of 3 predicted, 2 of 2 gold
    assert metrics["extent_strict_recall"] == 0.5
    assert metrics["value_precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert sorted(e["kind"] for e in errors) == ["false_alarm", "wrong_value"]


def test_conll_iob1_and_iob2(tmp_path: Path) -> None:
    doc = build_doc(
        "d",
        [
            [("EU", "B-ORG"), ("rejects", "O"), ("German", "B-MISC"), ("call", "O")],
            [("Peter", "I-PER"), ("Blackburn", "I-PER"), ("Bonn", "I-LOC"), ("Paris", "B-LOC")],
        ],
    )
    found = [(doc.text[e.start : e.end], e.type) for e in doc.entities]
    assert found == [
        ("EU", "ORG"),
        ("German", "MISC"),
        ("Peter Blackburn", "PER"),
        ("Bonn", "LOC"),
        ("Paris", "LOC"),
    ]
    path = tmp_path / "x.txt"
    path.write_text(
        "-DOCSTART- -X- -X- O\n\nA NNP B-NP B-PER\n\n-DOCSTART- -X- -X- O\n\nB NNP B-NP O\n",
        encoding="utf-8",
    )
    assert [d.text for d in read_conll(path)] == ["A", "B"]
    assert len(read_conll(path, limit=1)) == 1


def test_article_shingles_match_the_benchmark_definition() -> None:
    assert shingle_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = shingle_counts("a b c d e", "a b c d x")  # shingles abcd | bcde vs abcd | bcdx
    assert (tp, fp, fn) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    metrics, per_doc = score_bodies({"1": "a b c d e", "2": "p q r s"}, {"1": "a b c d e"})
    assert metrics["precision"] == 1.0  # doc 2 predicted nothing: left out of precision
    assert metrics["recall"] == 0.5
    assert metrics["accuracy"] == 0.5
    assert per_doc["2"]["f1"] == 0.0


def test_baseline_floors(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"_note": "x", "ner": {"f1": 0.6, "_why": "y"}}), encoding="utf-8")
    floors = load_baseline(path)
    assert floors == {"ner": {"f1": 0.6}}
    result = EvalResult("ner", "x", None, 1, {"f1": 0.5})
    assert compare_to_baseline(result, floors["ner"]) == ["ner: f1 0.5000 < floor 0.6000"]
    assert compare_to_baseline(EvalResult("ner", "x", None, 1, {"f1": 0.7}), floors["ner"]) == []


def benchmark_folder(root: Path) -> Path:
    (root / "html").mkdir(parents=True)
    body = "The harbour bridge reopened on Monday after three weeks of repairs to its deck."
    html = f"<html><head><title>Bridge</title></head><body><article><p>{body}</p></article>"
    (root / "html" / "p1.html.gz").write_bytes(gzip.compress(html.encode()))
    gold = {"p1": {"articleBody": body, "url": "https://example.org/bridge"}}
    (root / "ground-truth.json").write_text(json.dumps(gold), encoding="utf-8")
    return root


def test_cli_eval_article_json_errors_and_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = benchmark_folder(tmp_path / "bench")
    errors = tmp_path / "errors.jsonl"
    assert main(["eval", "article", str(folder), "--json", "--errors", str(errors)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["task"] == "article" and summary["n_docs"] == 1
    assert summary["metrics"]["f1"] == 1.0
    assert json.loads(errors.read_text(encoding="utf-8").splitlines()[0])["doc"] == "p1"
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"article": {"f1": 1.01}}), encoding="utf-8")
    assert main(["eval", "article", str(folder), "--baseline", str(baseline)]) == 1
    assert "f1 1.0000 < floor 1.0100" in capsys.readouterr().err


def test_cli_eval_rejects_bad_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "article", str(tmp_path)]) == 1
    assert "not an article-extraction benchmark folder" in capsys.readouterr().err
    assert main(["eval", "nope", str(tmp_path)]) == 2
