"""The points of one quantity's history chart: its series and which points are drawn."""

from __future__ import annotations

from newstrace.analysis.history import FigurePoint

MAX_CHARTED = 400
SERIES = ("named", "chain", "anonymous", "unattributed")
SERIES_LABELS = {
    "named": "named source",
    "chain": "source chain",
    "anonymous": "anonymous source",
    "unattributed": "unattributed (the outlet)",
}


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
