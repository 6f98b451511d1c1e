"""`newstrace eval groups`: the labelled claims, their pairs and the scoring."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newstrace.analysis.contradictions import Contradiction
from newstrace.analysis.groups import Member
from newstrace.errors import InputError
from newstrace.evaluation.groups import (
    GoldClaim,
    GoldSet,
    held_claims,
    match_claims,
    read_groups_gold,
    relation,
    score_contradictions,
    score_pairs,
)
from newstrace.models import Article

REPO = Path(__file__).resolve().parents[1]
TEXT = "Holm said the dam was sound. Vey said the dam was not sound. Holm said rain fell."


def _member(article: str, claim: str, start: int, end: int, group: str) -> Member:
    return Member(
        article, claim, "", group, None, None, "2025-01-01", article, None, None, (),
        "assert", False, TEXT[start:end], start, end, "", None, None, None, None, None,
        None, None, None,
    )  # fmt: skip


def _write(folder: Path, name: str, lines: list[dict[str, Any]]) -> None:
    text = "".join(json.dumps(line) + "\n" for line in lines)
    (folder / name).write_text(text, encoding="utf-8")


def _article(split: str = "dev", claims: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    claims = claims or [{"text": "the dam was sound", "prop": "dam/sound"}]
    return {"id": "a1", "split": split, "text": TEXT, "claims": claims}


def test_pairs_are_same_related_or_unrelated_by_proposition_and_topic() -> None:
    a, b = GoldClaim("a", 0, 1, "dam/sound"), GoldClaim("b", 0, 1, "dam/sound")
    assert relation(a, b) == "same"
    assert relation(a, GoldClaim("c", 0, 1, "dam/unsound")) == "related"
    assert relation(a, GoldClaim("c", 0, 1, "rain/fell")) == "unrelated"


def test_claims_are_read_by_occurrence_and_split(tmp_path: Path) -> None:
    claims: list[dict[str, Any]] = [
        {"text": "the dam was", "prop": "dam/sound"},
        {"text": "the dam was", "prop": "dam/unsound", "contradicts": ["dam/sound"]},
    ]
    _write(tmp_path, "articles.jsonl", [_article(claims=claims)])
    gold = read_groups_gold(tmp_path, "dev")
    assert [(c.start, c.end) for c in gold.claims] == [(10, 21), (38, 49)]
    assert gold.contradictions() == {frozenset({"dam/sound", "dam/unsound"})}
    assert read_groups_gold(tmp_path, "test").claims == ()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (_article(split="train"), "split must be dev or test"),
        (_article(claims=[{"text": "the dam", "prop": "nameless"}]), "topic/name"),
        (_article(claims=[{"text": "no such words", "prop": "a/b"}]), "fewer times"),
    ],
)
def test_a_bad_line_is_refused_with_its_place(
    tmp_path: Path, line: dict[str, Any], reason: str
) -> None:
    _write(tmp_path, "articles.jsonl", [line])
    with pytest.raises(InputError, match=reason):
        read_groups_gold(tmp_path, "dev")


def test_claims_of_an_absent_corpus_are_skipped_and_said(tmp_path: Path) -> None:
    _write(tmp_path, "articles.jsonl", [_article()])
    (tmp_path / "corpora.json").write_text('{"real": "nowhere.jsonl"}', encoding="utf-8")
    claim = {"start": 0, "end": 4, "prop": "x/y"}
    _write(tmp_path, "references.jsonl", [{"corpus": "real", "article": "r1", "split": "dev",
                                           "claims": [claim]}])  # fmt: skip
    gold = read_groups_gold(tmp_path, "dev")
    assert [a.id for a in gold.articles] == ["a1"]
    assert gold.skipped == ({"kind": "corpus_missing", "doc": "real", "articles": 1},)


def test_referenced_claims_take_their_text_from_the_corpus(tmp_path: Path) -> None:
    _write(tmp_path, "articles.jsonl", [])
    _write(tmp_path, "corpus.jsonl", [{"id": "r1", "text": TEXT, "outlet": "x.example"}])
    (tmp_path / "corpora.json").write_text('{"real": "corpus.jsonl"}', encoding="utf-8")
    claim = {"start": 10, "end": 27, "prop": "dam/sound"}
    _write(tmp_path, "references.jsonl", [{"corpus": "real", "article": "r1", "split": "dev",
                                           "claims": [claim]}])  # fmt: skip
    gold = read_groups_gold(tmp_path, "dev")
    assert gold.articles[0].outlet == "x.example"
    assert TEXT[gold.claims[0].start : gold.claims[0].end] == "the dam was sound"


def _gold() -> GoldSet:
    article = Article(id="a", text=TEXT)
    return GoldSet(
        (article,),
        (
            GoldClaim("a", 10, 27, "dam/sound"),
            GoldClaim("a", 38, 59, "dam/unsound", ("dam/sound",)),
            GoldClaim("a", 71, 80, "rain/fell"),
        ),
    )


def test_a_gold_claim_is_the_predicted_claim_sharing_most_of_its_words() -> None:
    gold = _gold()
    members = [_member("a", "c1", 10, 20, "G1"), _member("a", "c2", 38, 59, "G2")]
    matched = match_claims(gold.claims, members, {"a": TEXT})
    # "the dam" shares 2 of the 4 words of "the dam was sound": exactly half, enough
    assert matched == {gold.claims[0]: ("a", "c1"), gold.claims[1]: ("a", "c2")}


def test_grouping_pairs_count_wrong_merges_and_missed_claims() -> None:
    gold = _gold()
    matched = {gold.claims[0]: ("a", "c1"), gold.claims[1]: ("a", "c2")}
    counts, relations, errors = score_pairs(gold, matched, {("a", "c1"): {"G"}, ("a", "c2"): {"G"}})
    assert (counts.tp, counts.fp, counts.fn) == (0, 1, 0)
    assert relations == {"same": 0, "related": 1, "unrelated": 2}
    assert [e["kind"] for e in errors] == ["wrong_merge"]


def test_a_listed_contradiction_is_right_when_its_sides_hold_a_gold_pair() -> None:
    gold = _gold()
    c1, c2, c3 = (_member("a", f"c{n}", 0, 1, "G") for n in (1, 2, 3))
    matched = {claim: ("a", f"c{n}") for n, claim in enumerate(gold.claims, 1)}
    right = Contradiction("denial", "G", (c1,), (c2,))
    wrong = Contradiction("denial", "G", (c3,), (c2,))
    counts, errors = score_contradictions(gold, matched, [wrong, right])
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)
    counts, errors = score_contradictions(gold, matched, [wrong])
    assert (counts.tp, counts.fp, counts.fn) == (0, 1, 1)
    assert {e["kind"] for e in errors} == {"false_contradiction", "missed_contradiction"}


def test_a_side_holds_a_gold_claim_its_content_covers_though_cut_differently() -> None:
    """ "said the dam was sound. Vey" runs on past "the dam was sound" and holds it;
    "dam was", cut short inside it, leaves its predicate out and holds nothing;
    "sound. Vey said" overlaps it too little."""
    gold = _gold()
    members = [
        _member("a", "c1", 5, 32, "G"),  # "said the dam was sound. Vey"
        _member("a", "c2", 14, 21, "G"),  # "dam was"
        _member("a", "c3", 22, 37, "G"),  # "sound. Vey said"
    ]
    held = held_claims(gold.claims, {}, members)
    assert held == {("a", "c1"): {"dam/sound"}}


def test_the_repository_set_has_enough_labelled_pairs_in_each_split() -> None:
    for split in ("dev", "test"):
        gold = read_groups_gold(REPO / "tests" / "data" / "groups", split)
        n = len(gold.claims)
        assert n * (n - 1) // 2 >= 300, split
        assert gold.contradictions(), split
