"""B-cubed scoring of cross-article actors (`newstrace eval entities`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.errors import InputError
from newstrace.evaluation.entities import b_cubed, gold_spans, read_actor_gold


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
