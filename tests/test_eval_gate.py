"""The accuracy gate: each task's dev evaluation must stay at or above its pinned floors.

Floors and the data each task runs on are in ``eval/baseline.json`` (keys starting with
``_`` say what to run; the others are floors). An entry may name its ``_task`` and the
``_extractor`` it runs with (``attribution_rules``: the rules alone, the model's
back-off). Raising a floor is part of every accuracy improvement. Skips when
``../shared/eval`` is absent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newstrace.evaluation import compare_to_baseline, evaluate, load_baseline
from newstrace.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BASELINE = REPO / "eval" / "baseline.json"


def _runs(in_repo: bool = False) -> dict[str, dict[str, Any]]:
    """The tasks gated on ../shared/eval data, or (`in_repo`) on data in this repository."""
    data: dict[str, dict[str, Any]] = json.loads(BASELINE.read_text(encoding="utf-8"))
    return {
        task: value
        for task, value in data.items()
        if not task.startswith("_") and ("_repo_path" in value) == in_repo
    }


@pytest.mark.shared
@pytest.mark.model
@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="needs ../shared/eval")
@pytest.mark.parametrize("task", sorted(_runs()))
def test_dev_scores_stay_above_pinned_floors(task: str) -> None:
    run = _runs()[task]
    path = SHARED / "eval" / run["_path"]
    settings = Settings(extractor=run.get("_extractor", Settings().extractor))
    split, limit = run.get("_split", "dev"), run.get("_limit")
    result = evaluate(run.get("_task", task), path, split, limit, settings)
    assert result.n_docs > 0
    assert compare_to_baseline(result, load_baseline(BASELINE)[task]) == []


@pytest.mark.model
@pytest.mark.parametrize("task", sorted(_runs(in_repo=True)))
def test_scores_on_the_repository_sets_stay_above_pinned_floors(task: str) -> None:
    """The labelled sets of tests/data (fictional: figure sentences, articles with
    mentions labelled by actor, quotes with their speakers, claims labelled by
    proposition and contradiction) are gated like the rest; a set that labels articles of
    ../shared/corpus by offsets and needs them (``_needs_corpus``) is skipped without it."""
    run = _runs(in_repo=True)[task]
    corpus = run.get("_needs_corpus")
    if corpus and not (SHARED / "corpus" / f"{corpus}.jsonl").is_file():
        pytest.skip(f"needs ../shared/corpus/{corpus}.jsonl")
    path, split = REPO / run["_repo_path"], run.get("_split", "dev")
    result = evaluate(run.get("_task", task), path, split, None, Settings())
    assert result.n_docs >= run.get("_min_docs", 150)
    assert result.metrics.get("n_quotes", 150) >= 150
    assert result.metrics.get("n_mentions", 400) >= run.get("_min_mentions", 150)
    assert compare_to_baseline(result, load_baseline(BASELINE)[task]) == []


def test_baseline_pins_every_required_metric() -> None:
    required = {
        "figures": {
            "measure_accuracy",
            "holder_accuracy",
            "predicate_accuracy",
            "kind_accuracy",
            "as_of_accuracy",
            "all_accuracy",
        },
        "attribution": {"source_f1", "cue_f1", "content_f1", "relation_f1"},
        "attribution_rules": {"source_f1", "cue_f1", "content_f1", "relation_f1"},
        "timex": {"extent_f1_relaxed", "extent_f1_strict", "value_f1"},
        "article": {"f1", "precision", "recall"},
        "ner": {"f1", "f1_PER", "f1_ORG", "f1_LOC"},
        "entities": {"precision", "recall", "f1"},
        "quotes": {"quote_f1", "speaker_accuracy"},
        "groups": {"pair_f1", "contradiction_precision", "contradiction_recall"},
        "groups_test": {"pair_f1", "contradiction_precision", "contradiction_recall"},
    }
    floors = load_baseline(BASELINE)
    for task, metrics in required.items():
        assert metrics <= set(floors[task]), task
        assert all(0 <= v <= 1 for v in floors[task].values()), task
