"""The accuracy gate: each task's dev evaluation must stay at or above its pinned floors.

Floors and the data each task runs on are in ``eval/baseline.json`` (keys starting with
``_`` say what to run; the others are floors). Raising a floor is part of every
accuracy improvement. Skips when ``../shared/eval`` is absent.
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


def _runs() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = json.loads(BASELINE.read_text(encoding="utf-8"))
    return {task: value for task, value in data.items() if not task.startswith("_")}


@pytest.mark.shared
@pytest.mark.model
@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="needs ../shared/eval")
@pytest.mark.parametrize("task", sorted(_runs()))
def test_dev_scores_stay_above_pinned_floors(task: str) -> None:
    run = _runs()[task]
    path = SHARED / "eval" / run["_path"]
    result = evaluate(task, path, run.get("_split", "dev"), run.get("_limit"), Settings())
    assert result.n_docs > 0
    assert compare_to_baseline(result, load_baseline(BASELINE)[task]) == []


def test_baseline_pins_every_required_metric() -> None:
    required = {
        "attribution": {"source_f1", "cue_f1", "content_f1", "relation_f1"},
        "timex": {"extent_f1_relaxed", "extent_f1_strict", "value_f1"},
        "article": {"f1", "precision", "recall"},
        "ner": {"f1", "f1_PER", "f1_ORG", "f1_LOC"},
    }
    floors = load_baseline(BASELINE)
    for task, metrics in required.items():
        assert metrics <= set(floors[task]), task
        assert all(0 <= v <= 1 for v in floors[task].values()), task
