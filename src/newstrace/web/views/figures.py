"""Figures: the quantities counted across articles and the history chart of one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from newstrace.store import Store
from newstrace.web.queries.figures import FigurePoint, figure_history, units
from newstrace.web.rendering import render
from newstrace.web.svg import figure_chart
from newstrace.web.views.common import Limit, Offset, get_store

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
UnitParam = Annotated[
    str | None, Query(max_length=200, description="The counted unit, e.g. troops.")
]


@router.get("/figures", response_class=HTMLResponse, include_in_schema=False)
def figures_page(request: Request, store: StoreDep, unit: UnitParam = None) -> HTMLResponse:
    """Units to choose from; with `unit`, its history chart and the figures behind it."""
    counted = units(store)
    chosen = unit or (counted[0].unit if counted else None)
    points = figure_history(store, chosen) if chosen else []
    return render(
        request,
        "figures.html",
        units=counted,
        unit=chosen,
        points=points,
        chart=figure_chart(points),
    )


def point_dict(point: FigurePoint) -> dict[str, Any]:
    """A chart point as JSON: the figure, its article and its claim."""
    claim = point.claim
    return {
        "article_id": point.article_id,
        "title": point.title,
        "outlet": point.outlet,
        "published": point.published,
        **point.figure.to_dict(),
        "claim": claim.to_dict() if claim else None,
    }


@router.get("/api/figures/units", tags=["figures"])
def api_units(store: StoreDep) -> list[dict[str, Any]]:
    """Counted units by how many figures count them."""
    return [dict(u.__dict__) for u in units(store)]


@router.get("/api/figures", tags=["figures"])
def api_figures(
    store: StoreDep,
    unit: Annotated[str, Query(max_length=200, description="The counted unit, e.g. troops.")],
    limit: Limit = 500,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The history of one quantity: its dated figures, oldest first."""
    points = figure_history(store, unit, limit, offset)
    return {
        "unit": unit,
        "limit": limit,
        "offset": offset,
        "items": [point_dict(p) for p in points],
    }
