"""B-cubed scoring of cross-article actors (`newstrace eval entities`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.errors import InputError
from newstrace.evaluation.entities import (
    b_cubed,
    evaluate_entities,
    gold_files,
    gold_spans,
    mention_check,
    read_actor_gold,
)
from newstrace.settings import Settings


def test_b_cubed_of_a_perfect_clustering_is_one() -> None:
    gold = {("a", 0): "x", ("a", 1): "x", ("b", 0): "y"}
    assert b_cubed(gold, {("a", 0): "1", ("a", 1): "1", ("b", 0): "2"})["f1"] == 1.0


def test_a_wrong_merge_costs_precision_and_a_split_recall() -> None:
    gold = {("a", 0): "x", ("a", 1): "x", ("b", 0): "y"}
    merged = b_cubed(gold, dict.fromkeys(gold, "1"))
    assert merged["recall"] == 1.0
    assert merged["precision"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)
    split = b_cubed(gold, {("a", 0): "1", ("a", 1): "2", ("b", 0): "3"})
    assert split["precision"] == 1.0
    assert split["recall"] == pytest.approx((1 / 2 + 1 / 2 + 1) / 3)


def test_the_nth_mention_of_a_text_is_its_nth_occurrence() -> None:
    item = {
        "text": "Holm met Holm.",
        "mentions": [{"text": "Holm", "actor": "a"}, {"text": "Holm", "actor": "b"}],
    }
    assert gold_spans(item) == [(0, 4, "a"), (9, 13, "b")]


def test_a_mention_labelled_more_often_than_it_occurs_is_refused(tmp_path: Path) -> None:
    line = {"id": "x", "text": "Holm spoke.", "mentions": [{"text": "Holm", "actor": "a"}] * 2}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"gold\.jsonl:1"):
        read_actor_gold(path)


def _corpus_tree(tmp_path: Path, check: str) -> Path:
    """A fictional corpus in tmp/shared/corpus and a gold file below tmp that labels it
    by offsets."""
    corpus = tmp_path / "shared" / "corpus"
    corpus.mkdir(parents=True)
    article = {"id": "c1", "published": "2025-01-02", "text": "Mrs. Holm met Ivo Holm."}
    (corpus / "fiction.jsonl").write_text(json.dumps(article) + "\n", encoding="utf-8")
    gold = tmp_path / "repo" / "actors"
    gold.mkdir(parents=True)
    places = {"fiction": "../../shared/corpus/fiction.jsonl"}
    (gold / "corpora.json").write_text(json.dumps(places), encoding="utf-8")
    mention = {"start": 14, "end": 22, "actor": "ivo", "check": check}
    line = {"id": "c1", "corpus": "fiction", "mentions": [mention]}
    (gold / "fiction_dev.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    return gold


def test_a_corpus_article_is_labelled_by_offsets_and_read_from_the_corpus(tmp_path: Path) -> None:
    folder = _corpus_tree(tmp_path, mention_check("Ivo Holm"))
    (item,) = [i for f in gold_files(folder, "dev") for i in read_actor_gold(f)]
    assert item["text"] == "Mrs. Holm met Ivo Holm."
    assert item["published"] == "2025-01-02"
    assert gold_spans(item) == [(14, 22, "ivo")]
    assert item["mentions"][0]["text"] == "Ivo Holm"


def test_a_corpus_mention_that_no_longer_matches_its_check_is_refused(tmp_path: Path) -> None:
    folder = _corpus_tree(tmp_path, mention_check("Mrs. Holm"))
    with pytest.raises(InputError, match="no longer matches its check"):
        read_actor_gold(folder / "fiction_dev.jsonl")


def test_a_folder_without_files_of_the_split_is_refused(tmp_path: Path) -> None:
    folder = _corpus_tree(tmp_path, mention_check("Ivo Holm"))
    with pytest.raises(InputError, match=r"no \*_test\.jsonl"):
        gold_files(folder, "test")


def test_the_repository_set_labels_over_400_mentions_split_into_dev_and_test() -> None:
    folder = Path(__file__).parent / "data" / "actors"
    shared = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "polnear.jsonl"
    if not shared.is_file():
        pytest.skip("needs ../shared/corpus/polnear.jsonl")
    counts = {
        split: [i for f in gold_files(folder, split) for i in read_actor_gold(f)]
        for split in ("dev", "test")
    }
    assert sum(len(i["mentions"]) for items in counts.values() for i in items) >= 400
    dev_ids = {i["id"] for i in counts["dev"]}
    assert dev_ids.isdisjoint(i["id"] for i in counts["test"])


@pytest.mark.model
def test_a_speaker_is_scored_for_the_actor_it_names_not_for_a_modifier(tmp_path: Path) -> None:
    """ "Port Authority chief Ada Holm said" is a claim of Ada Holm: with only the
    authority labelled, it is no claim of a labelled actor; with her labelled, it is hers."""
    text = (
        "The Lisk Port Authority raised its fees on Monday. Lisk Port Authority chief "
        "Ada Holm said the fees would fund a new quay."
    )
    authority = [{"text": "Lisk Port Authority", "actor": "lpa"}] * 2
    holm = {"text": "Ada Holm", "actor": "ada_holm"}
    scores = []
    for mentions in (authority, [*authority, holm]):
        path = tmp_path / "set.jsonl"
        item = {"id": "f1", "text": text, "published": "2025-03-03", "mentions": mentions}
        path.write_text(json.dumps(item) + "\n", encoding="utf-8")
        metrics = evaluate_entities(path, "dev", None, Settings()).metrics
        scores.append((metrics["n_speakers"], metrics["speaker_accuracy"]))
    assert scores == [(0.0, 0.0), (1.0, 1.0)]
