"""Time expressions scored as in TempEval-3 Task A (temporal expressions).

`extract_times` runs on each document's plain TEXT with the document creation time
as the publication date. Gold and predicted expressions are paired one-to-one,
largest character overlap first:

* relaxed extent: a pair overlaps by at least one character;
* strict extent: the pair's extents are equal (whitespace trimmed);
* value: P = relaxed pairs with identical normalised value / predicted expressions,
  R = the same / gold expressions (TempEval-3's attribute F1 for ``value``).

Where the gold value carries a time of day (``1998-11-20T19:30``) it must match exactly:
newstrace emits dates, so such gold values count as value misses.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newstrace.evaluation.result import EvalResult
from newstrace.evaluation.scoring import Counts, context
from newstrace.evaluation.timeml import GoldTimex, TimexDoc, read_timeml_folder
from newstrace.extract import extract_times
from newstrace.models import TimeExpression
from newstrace.nlp import pipe_with_context
from newstrace.settings import Settings


class _Tally:
    def __init__(self) -> None:
        self.relaxed = Counts()
        self.strict = Counts()
        self.value = Counts()

    def metrics(self) -> dict[str, float]:
        return (
            self.relaxed.metrics("extent_relaxed_")
            | self.strict.metrics("extent_strict_")
            | self.value.metrics("value_")
            | {
                "extent_f1_relaxed": round(self.relaxed.f1, 4),
                "extent_f1_strict": round(self.strict.f1, 4),
            }
        )


def evaluate_timex(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    """Score newstrace's time expressions on the TimeML files under `path` (no splits)."""
    del split  # TimeML folders have no compartments: the folder is the set
    docs = read_timeml_folder(path, limit)
    tally = _Tally()
    errors: list[dict[str, Any]] = []
    pairs = ((d.text, d) for d in docs)
    for parsed, doc in pipe_with_context(pairs, settings):
        errors += score_document(doc, extract_times(parsed, doc.dct), tally)
    n_gold = tally.relaxed.tp + tally.relaxed.fn
    return EvalResult(
        "timex", str(path), None, len(docs), tally.metrics() | {"n_gold": n_gold}, errors
    )


def score_document(
    doc: TimexDoc, predicted: Sequence[TimeExpression], tally: _Tally
) -> list[dict[str, Any]]:
    """Add one document's counts to `tally`; return its misses, false alarms, wrong values."""
    pairs = _pair(doc.timexes, predicted)
    strict = sum(
        1
        for g, p in pairs
        if _extent(doc.text, g.start, g.end) == _extent(doc.text, p.start, p.end)
    )
    right = sum(1 for g, p in pairs if g.value == p.value)
    n_gold, n_pred = len(doc.timexes), len(predicted)
    tally.relaxed.add(len(pairs), n_pred - len(pairs), n_gold - len(pairs))
    tally.strict.add(strict, n_pred - strict, n_gold - strict)
    tally.value.add(right, n_pred - right, n_gold - right)
    return _errors(doc, predicted, pairs)


def _pair(
    gold: Sequence[GoldTimex], predicted: Sequence[TimeExpression]
) -> list[tuple[GoldTimex, TimeExpression]]:
    scored = sorted(
        (
            (min(g.end, p.end) - max(g.start, p.start), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(predicted)
            if min(g.end, p.end) > max(g.start, p.start)
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    taken_gold: set[int] = set()
    taken_pred: set[int] = set()
    pairs = []
    for _, gi, pi in scored:
        if gi not in taken_gold and pi not in taken_pred:
            taken_gold.add(gi)
            taken_pred.add(pi)
            pairs.append((gold[gi], predicted[pi]))
    return pairs


def _extent(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end)


def _errors(
    doc: TimexDoc,
    predicted: Sequence[TimeExpression],
    pairs: list[tuple[GoldTimex, TimeExpression]],
) -> list[dict[str, Any]]:
    paired_gold = {id(g) for g, _ in pairs}
    paired_pred = {id(p) for _, p in pairs}
    base = {"doc": doc.id, "dct": doc.dct}
    errors: list[dict[str, Any]] = []
    for g in doc.timexes:
        if id(g) not in paired_gold:
            errors.append(base | _gold(doc, g) | {"kind": "miss"})
    for p in predicted:
        if id(p) not in paired_pred:
            errors.append(base | _pred(doc, p) | {"kind": "false_alarm"})
    for g, p in pairs:
        if g.value != p.value:
            errors.append(base | _gold(doc, g) | _pred(doc, p) | {"kind": "wrong_value"})
    return errors


def _gold(doc: TimexDoc, g: GoldTimex) -> dict[str, Any]:
    return {
        "gold_text": doc.text[g.start : g.end],
        "gold_value": g.value,
        "gold_type": g.type,
        "context": context(doc.text, g.start, g.end),
    }


def _pred(doc: TimexDoc, p: TimeExpression) -> dict[str, Any]:
    return {
        "text": p.text,
        "value": p.value,
        "context": context(doc.text, p.start, p.end),
    }
