"""Figures: the quantities counted across articles and the history chart of one: every
reported value, one series per kind of source, each point linked to its evidence."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from newstrace.analysis.history import HISTORY_LIMIT, FigurePoint
from newstrace.analysis.series import (
    SeriesCount,
    by_series,
    in_series_order,
    series_facet,
    summarise,
)
from newstrace.errors import FilterError
from newstrace.models import series_label
from newstrace.store import Store
from newstrace.store.reads.figures import units
from newstrace.web.analysis import AnalysisCache, series_about
from newstrace.web.charts import SERIES_LABELS, charted, source_types
from newstrace.web.rendering import render
from newstrace.web.svg import SERIES_COLOURS, figure_chart
from newstrace.web.views.common import (
    Download,
    EntityRef,
    Offset,
    PageLimit,
    PageOut,
    blank,
    entity_filter,
    facet_links,
    get_analysis,
    get_store,
    page_response,
    slice_page,
)

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
AnalysisDep = Annotated[AnalysisCache, Depends(get_analysis)]
About = Annotated[
    str | None,
    Query(max_length=200, description='Counted unit or words: "troops", "troops|soldiers".'),
]
FirstOnly = Annotated[bool, Query(description="Leave out repeats of an earlier report.")]


SeriesKey = Annotated[
    str | None, Query(max_length=400, description="One series key, from the series list.")
]


@router.get("/figures", response_class=HTMLResponse, include_in_schema=False)
def figures_page(
    request: Request,
    store: StoreDep,
    analysis: AnalysisDep,
    limit: PageLimit,
    about: About = None,
    entity: EntityRef = None,
    unit: About = None,
    series: SeriesKey = None,
    first_only: FirstOnly = False,
    offset: Offset = 0,
) -> HTMLResponse:
    """The largest series to choose from; with `about` (or the old `unit`), the series
    it matches (the series facet) and the history chart of one (`series`, else the
    largest) with its estimate summary and a page of the reports behind it (the
    HISTORY_LIMIT most recent), with CSV/JSON downloads of that page."""
    listed = analysis.series()
    entity_id = entity_filter(store, entity)
    chosen = blank(about) or blank(unit) or (None if entity_id else _about_of(listed))
    points = analysis.figures(chosen, first_only, entity_id) if chosen or entity_id else []
    groups = by_series(points)
    key = series if series in groups else next(iter(groups), None)
    shown = groups.get(key, []) if key is not None else []
    page = slice_page(shown, limit, offset)
    drawn = charted(shown)
    asked: dict[str, Any] = {"about": chosen, "entity": blank(entity), "series": key}
    asked |= {"first_only": "true" if first_only else None, "limit": limit, "offset": offset}
    return render(
        request,
        "figures.html",
        listed=listed,
        series_key=key,
        series_title=series_label(key) if key else chosen,
        about=chosen,
        entity=entity or "",
        first_only=first_only,
        page=page,
        facet_list=facet_links(request, [series_facet(groups, key)], {"series": key or ""}),
        download_query=urlencode({k: v for k, v in asked.items() if v}),
        drawn=len(drawn),
        series=source_types(drawn),
        series_labels=SERIES_LABELS,
        series_colours=SERIES_COLOURS,
        chart=figure_chart(drawn),
        summary=summarise(key, shown) if key and shown else None,
        capped=HISTORY_LIMIT if len(points) >= HISTORY_LIMIT else None,
    )


def _about_of(listed: list[SeriesCount]) -> str | None:
    """What to show first: the measure of the largest series."""
    return series_about(listed[0].key) if listed else None


@router.get("/api/figures/series", tags=["figures"])
def api_series(analysis: AnalysisDep) -> list[dict[str, Any]]:
    """Figure series (holder, measure, predicate) by number of reported points."""
    return [s.to_dict() for s in analysis.series()]


@router.get("/api/figures/units", tags=["figures"])
def api_units(store: StoreDep) -> list[dict[str, Any]]:
    """Counted units by how many reported figures count them."""
    return [dict(u.__dict__) for u in units(store)]


@router.get("/api/figures", response_model=PageOut, tags=["figures"])
def api_figures(
    store: StoreDep,
    analysis: AnalysisDep,
    limit: PageLimit,
    about: Annotated[
        str | None, Query(max_length=200, description='Unit or words: "troops".')
    ] = None,
    entity: EntityRef = None,
    series: SeriesKey = None,
    first_only: FirstOnly = False,
    offset: Offset = 0,
    format: Download = "json",
) -> PageOut | Response:
    """The history of one quantity, series by series (the largest first), each oldest
    first: value, bounds, qualifier, source and source type, whether it repeats an
    earlier report, and the evidence spans; the 1,000 most recent reports at most.
    `about` and/or `entity` (the figures it holds, gives or whose claim names it) is
    required; `series` keeps one series of them (what the
    Figures page shows); ``format=csv``: the same rows as CSV."""
    topic, entity_id = blank(about), entity_filter(store, entity)
    if not topic and not entity_id:
        raise FilterError("figures: give about or entity")
    points = analysis.figures(topic, first_only, entity_id)
    page = slice_page(in_series_order(_of_series(points, blank(series))), limit, offset)
    return page_response(page, [p.to_dict() for p in page.items], format, "figures")


def _of_series(points: list[FigurePoint], key: str | None) -> list[FigurePoint]:
    """The points of series `key` (all of them without one)."""
    return [p for p in points if p.member.series == key] if key else points
