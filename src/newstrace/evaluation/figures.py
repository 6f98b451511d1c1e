"""`newstrace eval figures`: what each figure counts, scored field by field.

The data is JSON Lines, one sentence a line: ``text``, ``published``, the ``figure`` as
written, and its gold ``measure`` (key), ``holder`` (name or null), ``predicate``,
``kind`` (list of flags) and ``as_of`` (the time value, or null). The figure scored is
the first whose text contains the gold ``figure``; a sentence where none does counts
as wrong on every field. Accuracy per field, and ``all`` for the sentences right on
every field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newstrace.evaluation.result import EvalResult
from newstrace.evaluation.scoring import read_gold_lines
from newstrace.extract.pipeline import extract_record
from newstrace.models import Article, Figure, Record
from newstrace.nlp import pipe_with_context
from newstrace.settings import Settings

FIELDS = ("measure", "holder", "predicate", "kind", "as_of")


def read_figure_gold(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The labelled sentences of `path`; raises `InputError` for a malformed line."""
    return read_gold_lines(path, ("text", "figure", *FIELDS), limit)


def predicted_fields(record: Record, figure: Figure) -> dict[str, Any]:
    """The scored fields of one extracted figure, in the gold file's terms."""
    times = {t.id: t.value for t in record.times}
    return {
        "measure": figure.measure.key if figure.measure else None,
        "holder": figure.holder_name,
        "predicate": figure.predicate,
        "kind": sorted(figure.kind),
        "as_of": times.get(figure.as_of or ""),
    }


def _same(field: str, gold: Any, got: Any) -> bool:
    if field == "kind":
        return bool(sorted(gold) == got)
    if field == "holder" and gold is not None and got is not None:
        return str(gold).lower() == str(got).lower()
    return bool(gold == got)


def evaluate_figures(path: Path, split: str, limit: int | None, settings: Settings) -> EvalResult:
    """Score measure, holder, predicate, kind and as-of on the sentences at `path`."""
    del split  # one file, no splits
    gold = read_figure_gold(path, limit)
    right = dict.fromkeys((*FIELDS, "all"), 0)
    errors: list[dict[str, Any]] = []
    pairs = (
        (item["text"], Article(id=f"s{n}", text=item["text"], published=item.get("published")))
        for n, item in enumerate(gold, 1)
    )
    for item, (doc, article) in zip(gold, pipe_with_context(pairs, settings), strict=True):
        record = extract_record(article, doc, settings)
        figure = next((f for f in record.figures if item["figure"] in f.text), None)
        got = predicted_fields(record, figure) if figure else dict.fromkeys(FIELDS)
        wrong = [k for k in FIELDS if figure is None or not _same(k, item[k], got[k])]
        for k in FIELDS:
            right[k] += k not in wrong
        right["all"] += not wrong
        if wrong:
            errors.append(
                {"kind": "mismatch", "doc": article.id, "text": item["text"], "fields": wrong,
                 "gold": {k: item[k] for k in wrong}, "got": {k: got[k] for k in wrong}}
            )  # fmt: skip
    n = len(gold)
    metrics = {f"{k}_accuracy": round(v / n, 4) if n else 0.0 for k, v in right.items()}
    return EvalResult("figures", str(path), None, n, metrics | {"n_figures": n}, errors)
