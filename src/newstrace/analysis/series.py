"""Figure series: what one history tracks, and the estimate summary of a series.

A series is (holder, measure, predicate, part), keyed by extraction (`Figure.series_key`):
"karsk|troops|deployed|total" holds every total count of Karsk troops deployed or
present, apart from increments ("another 1,500") and projections ("could reach 10,000");
polls are kept per pollster and question, the question in the measure key
("poll:orbis research|quist|percent of voters", "poll:orbis research|quist|percent
favourable", "...|percent margin").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from newstrace.analysis.history import FigurePoint, figure_terms
from newstrace.models import series_id, series_label
from newstrace.store import Store
from newstrace.store.reads.facets import SHOWN, Facet, FacetValue
from newstrace.store.series_summaries import series_rows


@dataclass(frozen=True)
class SeriesCount:
    """A series with how many reported points and articles it has, first and last seen."""

    key: str
    label: str
    points: int
    articles: int
    first: str | None
    last: str | None

    @property
    def id(self) -> str:
        """The series' id: what ``newstrace show`` opens into its history."""
        return series_id(self.key)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, **self.__dict__}


def list_series(store: Store, about: str | None = None, limit: int = 50) -> list[SeriesCount]:
    """Series by number of points (most first); `about` matches measure or holder names."""
    words = [t.term for t in figure_terms(about)] if about else None
    with store.reading() as conn:
        rows = series_rows(conn, words, limit)
    return [
        SeriesCount(key, series_label(key), points, articles, first, last)
        for key, points, articles, first, last in rows
    ]


def find_series(store: Store, wanted: str) -> SeriesCount | None:
    """The series whose id (`SeriesCount.id`) is `wanted`, None when there is none."""
    if not (wanted.startswith("S") and len(wanted) == len(series_id(""))):
        return None
    return next((s for s in list_series(store, limit=1_000_000) if s.id == wanted), None)


def by_series(points: Iterable[FigurePoint]) -> dict[str, list[FigurePoint]]:
    """Points per series key ("" for points stored without one), largest series first."""
    found: dict[str, list[FigurePoint]] = {}
    for point in points:
        found.setdefault(point.member.series or "", []).append(point)
    return dict(sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def in_series_order(points: Iterable[FigurePoint]) -> list[FigurePoint]:
    """The points series by series (`by_series`: the largest first), each series' in
    publication order: what a listing pages through, so that a page holds the history
    of one series, or of a few, not one point of each."""
    return [point for group in by_series(points).values() for point in group]


def series_facet(groups: dict[str, list[FigurePoint]], current: str | None = None) -> Facet:
    """The series facet of a figure listing: its largest series (`by_series`), with how
    many points each has; the `current` one too when it is not among them."""
    keys = [k for k in groups if k][:SHOWN]
    if current and current in groups and current not in keys:
        keys.append(current)
    return Facet("series", [FacetValue(series_label(k), k, len(groups[k])) for k in keys])


@dataclass(frozen=True)
class Revision:
    """One source replacing its own figure with a different one."""

    source: str
    earlier: FigurePoint
    later: FigurePoint


@dataclass(frozen=True)
class SeriesSummary:
    """What a brief would say of a series: each independent source's latest value, the
    range of those current estimates, the first and last report, and revisions."""

    key: str
    label: str
    latest: tuple[FigurePoint, ...]
    low: float | None
    high: float | None
    first: FigurePoint
    last: FigurePoint
    revisions: tuple[Revision, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "series": {"key": self.key, "label": self.label},
            "latest": [_brief(p) for p in self.latest],
            "low": self.low,
            "high": self.high,
            "first": _brief(self.first),
            "last": _brief(self.last),
            "revisions": [
                {"source": r.source, "from": _brief(r.earlier), "to": _brief(r.later)}
                for r in self.revisions
            ],
        }


def _brief(point: FigurePoint) -> dict[str, Any]:
    m = point.member
    return {
        "figure": m.figure_text,
        "value": m.value,
        "low": m.low,
        "high": m.high,
        "source": point.source,
        "as_of": m.as_of,
        "published": m.published,
        "article_id": m.article_id,
    }


def _when(point: FigurePoint) -> tuple[str, str]:
    return (point.member.as_of or point.member.published or "", point.member.published or "")


def source_key(point: FigurePoint) -> str:
    """One key per independent source: a named source or chain, else the copy group."""
    m = point.member
    return m.source_key or f"{m.outlet_key}:{m.root}"


def summarise(key: str, points: Sequence[FigurePoint]) -> SeriesSummary:
    """The estimate summary of one series' points (at least one)."""
    ordered = sorted(points, key=_when)
    per_source: dict[str, list[FigurePoint]] = {}
    for point in ordered:
        per_source.setdefault(source_key(point), []).append(point)
    latest = tuple(sorted((ps[-1] for ps in per_source.values()), key=_when))
    lows = [v for p in latest if (v := _low(p)) is not None]
    highs = [v for p in latest if (v := _high(p)) is not None]
    revisions = tuple(
        Revision(a.source, a, b)
        for ps in per_source.values()
        for a, b in pairwise(ps)
        if _bounds(a) != _bounds(b) and (b.member.published or "") > (a.member.published or "")
    )
    by_published = sorted(points, key=lambda p: p.member.published or "")
    return SeriesSummary(
        key,
        series_label(key) if key else "",
        latest,
        min(lows) if lows else None,
        max(highs) if highs else None,
        by_published[0],
        by_published[-1],
        revisions,
    )


def _bounds(point: FigurePoint) -> tuple[float | None, float | None, float | None]:
    m = point.member
    return (m.value, m.low, m.high)


def _low(point: FigurePoint) -> float | None:
    m = point.member
    return m.low if m.low is not None else m.value


def _high(point: FigurePoint) -> float | None:
    m = point.member
    return m.high if m.high is not None else m.value
