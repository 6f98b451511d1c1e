"""Figures: the quantities counted across articles and the history chart of one: every
reported value, one series per kind of source, each point linked to its evidence."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from newstrace.analysis.history import HISTORY_LIMIT
from newstrace.analysis.series import SeriesCount, by_series, summarise
from newstrace.errors import FilterError
from newstrace.models import series_label
from newstrace.store import Store
from newstrace.store.reads.figures import units
from newstrace.web.analysis import AnalysisCache, series_about
from newstrace.web.charts import SERIES_LABELS, charted, source_types
from newstrace.web.rendering import render
from newstrace.web.svg import SERIES_COLOURS, figure_chart
from newstrace.web.views.common import (
    EntityRef,
    Limit,
    Offset,
    PageOut,
    blank,
    entity_filter,
    get_analysis,
    get_store,
    page_out,
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
    about: About = None,
    entity: EntityRef = None,
    unit: About = None,
    series: SeriesKey = None,
    first_only: FirstOnly = False,
    limit: Limit = 200,
    offset: Offset = 0,
) -> HTMLResponse:
    """The largest series to choose from; with `about` (or the old `unit`), the series
    it matches and the history chart of one (`series`, else the largest) with its
    estimate summary and a page of the reports behind it (the HISTORY_LIMIT most
    recent)."""
    listed = analysis.series()
    entity_id = entity_filter(store, entity)
    chosen = blank(about) or blank(unit) or (None if entity_id else _about_of(listed))
    points = analysis.figures(chosen, first_only, entity_id) if chosen or entity_id else []
    groups = by_series(points)
    key = series if series in groups else next(iter(groups), None)
    shown = groups.get(key, []) if key is not None else []
    drawn = charted(shown)
    return render(
        request,
        "figures.html",
        listed=listed,
        matched=[(k, series_label(k) if k else "(no series)", len(v)) for k, v in groups.items()],
        series_key=key,
        series_title=series_label(key) if key else chosen,
        about=chosen,
        entity=entity or "",
        first_only=first_only,
        page=slice_page(shown, limit, offset),
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
    about: Annotated[
        str | None, Query(max_length=200, description='Unit or words: "troops".')
    ] = None,
    entity: EntityRef = None,
    first_only: FirstOnly = False,
    limit: Limit = 500,
    offset: Offset = 0,
) -> PageOut:
    """The history of one quantity, oldest first: value, bounds, qualifier, source and
    source type, whether it repeats an earlier report, and the evidence spans; the 1,000
    most recent reports at most. `about` and/or `entity` (the figures it holds, gives or
    whose claim names it) is required."""
    topic, entity_id = blank(about), entity_filter(store, entity)
    if not topic and not entity_id:
        raise FilterError("figures: give about or entity")
    page = slice_page(analysis.figures(topic, first_only, entity_id), limit, offset)
    return page_out(page, [p.to_dict() for p in page.items])
