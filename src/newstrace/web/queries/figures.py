"""Figures across articles: which quantities are counted (the analysis' normalised units)
and the points of one quantity's history chart."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from newstrace.analysis.history import FigurePoint
from newstrace.store import Store, schema

MAX_CHARTED = 400
SERIES = ("named", "chain", "anonymous", "unattributed")
SERIES_LABELS = {
    "named": "named source",
    "chain": "source chain",
    "anonymous": "anonymous source",
    "unattributed": "unattributed (the outlet)",
}


@dataclass(frozen=True)
class UnitCount:
    """A counted unit ("troop") and how many reported figures count it."""

    unit: str
    figures: int
    articles: int


def units(store: Store, limit: int = 100) -> list[UnitCount]:
    """Units by how many figures count them."""
    i = schema.claim_items.c
    n = func.count().label("n")
    query = (
        select(i.unit, n, func.count(i.article_id.distinct()).label("arts"))
        .where(i.unit.is_not(None), i.figure_id != "", i.value.is_not(None))
        .group_by(i.unit)
        .order_by(n.desc(), i.unit)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return [UnitCount(str(r.unit), int(r.n), int(r.arts)) for r in conn.execute(query)]


def source_types(points: list[FigurePoint]) -> dict[str, list[FigurePoint]]:
    """The points of each source type that has any, in SERIES order."""
    found: dict[str, list[FigurePoint]] = {kind: [] for kind in SERIES}
    for point in points:
        found.setdefault(point.source_type, []).append(point)
    return {kind: found[kind] for kind in found if found[kind]}


def charted(points: list[FigurePoint]) -> list[FigurePoint]:
    """The points drawn: all of them up to MAX_CHARTED, else the first report of each
    group, else those thinned evenly (the table below the chart still lists all)."""
    if len(points) <= MAX_CHARTED:
        return points
    first = [p for p in points if p.first_report]
    if len(first) <= MAX_CHARTED:
        return first
    step = len(first) / MAX_CHARTED
    return [first[int(i * step)] for i in range(MAX_CHARTED)]
