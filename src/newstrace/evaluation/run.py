"""Dispatch to the task modules, and the accuracy gate over pinned floors."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from newstrace.errors import InputError
from newstrace.evaluation.result import EvalResult
from newstrace.settings import Settings

Task = Callable[[Path, str, int | None, Settings], EvalResult]


def _attribution(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    from newstrace.evaluation.attribution import evaluate_attribution

    return evaluate_attribution(path, split, limit, settings)


def _timex(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    from newstrace.evaluation.timex import evaluate_timex

    return evaluate_timex(path, split, limit, settings)


def _article(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    from newstrace.evaluation.article import evaluate_article

    return evaluate_article(path, split, limit, settings)


def _ner(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    from newstrace.evaluation.ner import evaluate_ner

    return evaluate_ner(path, split, limit, settings)


def _figures(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    from newstrace.evaluation.figures import evaluate_figures

    return evaluate_figures(path, split, limit, settings)


def _entities(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    from newstrace.evaluation.entities import evaluate_entities

    return evaluate_entities(path, split, limit, settings)


def _quotes(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    from newstrace.evaluation.quotes import evaluate_quotes

    return evaluate_quotes(path, split, limit, settings)


def _groups(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    from newstrace.evaluation.groups import evaluate_groups

    return evaluate_groups(path, split, limit, settings)


TASKS: dict[str, Task] = {
    "attribution": _attribution,
    "timex": _timex,
    "article": _article,
    "ner": _ner,
    "figures": _figures,
    "entities": _entities,
    "quotes": _quotes,
    "groups": _groups,
}


def evaluate(
    task: str,
    path: Path,
    split: str = "dev",
    limit: int | None = None,
    settings: Settings | None = None,
) -> EvalResult:
    """Run evaluation `task` on the data at `path`; raises `InputError` for unreadable data."""
    if task not in TASKS:
        raise InputError(task, f"unknown task; choose one of {', '.join(TASKS)}")
    if not path.exists():
        raise InputError(str(path), "no such file or folder")
    with captured_warnings() as warnings:
        result = TASKS[task](path, split, limit, settings or Settings())
    return replace(result, errors=result.errors + warnings)


class _Collect(logging.Handler):
    def __init__(self, into: list[dict[str, Any]]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append({"kind": "extraction_warning", "message": record.getMessage()})


@contextmanager
def captured_warnings() -> Iterator[list[dict[str, Any]]]:
    """Keep the extractors' warnings (skipped paragraphs...) as errors instead of printing them."""
    logger = logging.getLogger("newstrace.extract")
    found: list[dict[str, Any]] = []
    handler = _Collect(found)
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def load_baseline(path: Path) -> dict[str, dict[str, float]]:
    """The pinned floors: ``{task: {metric: floor}}`` (keys starting with ``_`` are notes)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(str(path), f"cannot read the baseline: {exc}") from exc
    return {
        task: {k: float(v) for k, v in floors.items() if not k.startswith("_")}
        for task, floors in data.items()
        if not task.startswith("_") and isinstance(floors, dict)
    }


def floors_for(path: Path, task: str, extractor: str, split: str | None = None) -> dict[str, float]:
    """The floors of `task` run with the attribution `extractor`: the entry whose
    ``_task`` and ``_extractor`` say so (``attribution_rules``), else the task's own;
    of several, the one whose ``_split`` is `split` (``entities_test``)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(str(path), f"cannot read the baseline: {exc}") from exc
    floors = load_baseline(path)
    names = [
        name
        for name, entry in data.items()
        if isinstance(entry, dict)
        and not name.startswith("_")
        and entry.get("_task", name) == task
        and entry.get("_extractor", extractor) == extractor
    ]
    same_split = [n for n in names if split is not None and data[n].get("_split") == split]
    chosen = same_split or names
    return floors[chosen[0]] if chosen else {}


def compare_to_baseline(result: EvalResult, floors: dict[str, float]) -> list[str]:
    """One line per metric of `result` that fell below its floor (empty: the gate passes)."""
    failures = []
    for metric, floor in sorted(floors.items()):
        value = result.metrics.get(metric)
        if value is None:
            failures.append(f"{result.task}: metric {metric} missing from the result")
        elif value < floor:
            failures.append(f"{result.task}: {metric} {value:.4f} < floor {floor:.4f}")
    return failures
