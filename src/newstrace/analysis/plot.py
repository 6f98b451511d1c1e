"""Drawing a figure history (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from newstrace.analysis.history import FigurePoint


def _when(point: FigurePoint) -> dt.date | None:
    value = point.member.published or point.member.event_date
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def plot_history(points: Sequence[FigurePoint], path: Path, title: str) -> None:
    """One series per source type; bars show low-high bounds where known."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.5))
    series: dict[str, list[tuple[dt.date, float, float, float]]] = {}
    for p in points:
        day, m = _when(p), p.member
        best = m.value if m.value is not None else m.high if m.high is not None else m.low
        if day is None or best is None:
            continue
        low = m.low if m.low is not None else best
        high = m.high if m.high is not None else best
        series.setdefault(p.source_type, []).append((day, best, best - low, high - best))
    for name, rows in sorted(series.items()):
        days, values, below, above = zip(*sorted(rows), strict=True)
        ax.errorbar(days, values, yerr=[below, above], fmt="o-", capsize=3, label=name)
    ax.set_title(f"Reported figures: {title}")
    ax.set_ylabel("value")
    ax.legend()
    fig.autofmt_xdate()
    fig.savefig(path, dpi=100)
    plt.close(fig)
