"""Drawing one figure series (matplotlib, Agg backend: no display needed).

One line per source (the most frequent `MAX_SOURCES`, the rest as "other sources"),
points at the date the figure describes (`as_of`, else the publication date), stated
ranges as bars, vague amounts ("several thousand", "thousands") as bars only (never a
made-up point), open bounds ("at least 4,000") as a triangle pointing the open way, and
a log scale when one value would flatten the rest (`needs_log_scale`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newstrace.analysis.history import FigurePoint

MAX_SOURCES = 8
LOG_RATIO = 20.0


def point_day(point: FigurePoint) -> dt.date | None:
    """The day a point is drawn at: the start of the time it describes, else its
    publication date."""
    m = point.member
    for value in (m.as_of, m.published):
        if value and len(value) >= 7 and value[:4].isdigit() and value[5:7].isdigit():
            try:
                return dt.date.fromisoformat(value[:10] if len(value) >= 10 else value[:7] + "-01")
            except ValueError:
                continue
    return None


def bounds(point: FigurePoint) -> tuple[float | None, float | None, float | None]:
    """(value, low, high) as drawn: a vague amount has no value, only its range."""
    m = point.member
    return m.value, m.low, m.high


def needs_log_scale(values: Sequence[float]) -> bool:
    """Would one value flatten the rest: the largest over `LOG_RATIO` times the median?"""
    positive = sorted(v for v in values if v > 0)
    if len(positive) < 3:
        return False
    median = positive[len(positive) // 2]
    return positive[-1] / median > LOG_RATIO


def _sources(points: Sequence[FigurePoint]) -> dict[str, list[FigurePoint]]:
    found: dict[str, list[FigurePoint]] = {}
    for p in points:
        found.setdefault(p.source, []).append(p)
    ranked = sorted(found, key=lambda s: -len(found[s]))
    kept = {s: found[s] for s in ranked[:MAX_SOURCES]}
    rest = [p for s in ranked[MAX_SOURCES:] for p in found[s]]
    if rest:
        kept["other sources"] = rest
    return kept


def plot_history(points: Sequence[FigurePoint], path: Path, title: str) -> None:
    """Draw `points` (one series) as a PNG at `path`, titled `title` (the series label)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.5))
    drawn: list[float] = []
    for n, (source, group) in enumerate(_sources(points).items()):
        colour = f"C{n % 10}"
        drawn += _draw_source(ax, group, colour, source)
    if needs_log_scale(drawn):
        ax.set_yscale("log")
    ax.set_title(title)
    ax.set_ylabel("reported value")
    if drawn:
        ax.legend(fontsize="small")
    fig.autofmt_xdate()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _draw_source(ax: Any, points: Sequence[FigurePoint], colour: str, label: str) -> list[float]:
    line: list[tuple[dt.date, float]] = []
    drawn: list[float] = []
    for p in points:
        day = point_day(p)
        value, low, high = bounds(p)
        if day is None:
            continue
        if low is not None and high is not None and low != high:
            ax.vlines(day, low, high, colors=colour, linewidth=3, alpha=0.6)
            drawn += [low, high]
        ranged = low is not None and high is not None and low != high
        if value is not None and not ranged:
            marker = "o"
            if low is None and high is not None:
                marker = "v"  # "as many as", "nearly": at most this
            elif high is None and low is not None:
                marker = "^"  # "at least", "more than": at least this
            ax.plot([day], [value], marker=marker, color=colour, linestyle="none")
            drawn.append(value)
        if value is not None:
            line.append((day, value))
    if line:
        line.sort()
        days, values = zip(*line, strict=True)
        ax.plot(days, values, "-", color=colour, label=label, alpha=0.8)
    elif drawn:
        ax.plot([], [], "-", color=colour, label=label)
    return drawn
