"""Entities resolved across articles: the list of actors and places, and one entity's
page. Old URLs named an entity by its name as written; they redirect to its id."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newstrace.analysis.history import FigurePoint
from newstrace.errors import NotFoundError
from newstrace.store import ClaimRow, Store
from newstrace.store.events_queries import EventRow, list_events
from newstrace.store.reads.entities import (
    EntityDetail,
    EntitySummary,
    entity_detail,
    resolve_name,
)
from newstrace.store.reads.facets import entity_facets
from newstrace.web.analysis import AnalysisCache
from newstrace.web.graph import Dispute, disputes
from newstrace.web.rendering import render
from newstrace.web.svg import node_href
from newstrace.web.views.common import (
    Download,
    Offset,
    PageLimit,
    PageOut,
    ResultsDep,
    Text,
    blank,
    entity_page_of,
    facet_links,
    get_analysis,
    get_store,
    page_response,
)

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
AnalysisDep = Annotated[AnalysisCache, Depends(get_analysis)]
TypeParam = Annotated[
    Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "OTHER", ""] | None, Query()
]


@router.get("/entities", response_class=HTMLResponse, include_in_schema=False)
def entities_page(
    request: Request,
    store: StoreDep,
    results: ResultsDep,
    limit: PageLimit,
    q: Text = None,
    type: TypeParam = None,
    offset: Offset = 0,
) -> HTMLResponse:
    """Entities, most articles first (the order of `newstrace entities`), with a facet
    of their types."""
    page = entity_page_of(store, results, blank(q), blank(type), limit, offset)
    facets = results.get(("entity facets", blank(q)), lambda: entity_facets(store, blank(q)))
    found = facet_links(request, facets)
    return render(request, "entities.html", page=page, q=q or "", type=type or "", facet_list=found)


def _detail_or_id(store: Store, key: str) -> EntityDetail | str:
    """The entity with id `key`, else the id of the entity named `key`."""
    detail = entity_detail(store, key)
    if detail is not None:
        return detail
    entity_id = resolve_name(store, key)
    if entity_id is None:
        raise NotFoundError(f"{key}: no such entity in the store")
    return entity_id


@router.get("/entities/{key:path}", response_class=HTMLResponse, include_in_schema=False)
def entity_page(request: Request, store: StoreDep, analysis: AnalysisDep, key: str) -> Response:
    """Aliases, roles, what it said, what was said about it, whom it disputes, by month."""
    found = _detail_or_id(store, key)
    if isinstance(found, str):
        return RedirectResponse("/entities/" + quote(found, safe=""), status_code=308)
    whom, by = disputes(analysis.network(), found.entity.id)
    figures, events = _figures_and_events(store, analysis, found.entity.id)
    return render(
        request,
        "entity.html",
        detail=found,
        entity=found.entity,
        whom=whom,
        disputed_by=by,
        figures=figures,
        events=events,
        shown=SHOWN,
        node_href=node_href,
    )


SHOWN = 20  # figures and events listed on an entity's page, the latest first


def _figures_and_events(
    store: Store, analysis: AnalysisCache, entity_id: str
) -> tuple[list[FigurePoint], list[EventRow]]:
    """The latest SHOWN figures the entity holds, gives or whose claim names it (first
    reports only), and the latest SHOWN events it took part in."""
    points = analysis.figures(None, True, entity_id)[-SHOWN:][::-1]
    return points, list_events(store, entity_id=entity_id, limit=SHOWN)


@router.get("/api/entities", response_model=PageOut, tags=["entities"])
def api_entities(
    store: StoreDep,
    results: ResultsDep,
    limit: PageLimit,
    q: Text = None,
    type: TypeParam = None,
    offset: Offset = 0,
    format: Download = "json",
) -> PageOut | Response:
    """Entities resolved across articles, with aliases, roles and article counts;
    ``format=csv``: the same rows as CSV."""
    page = entity_page_of(store, results, blank(q), blank(type), limit, offset)
    return page_response(page, [summary_dict(e) for e in page.items], format, "entities")


def summary_dict(entity: EntitySummary) -> dict[str, Any]:
    """An entity of a listing as JSON."""
    return dict(entity.__dict__)


def _disputes(found: list[Dispute]) -> list[dict[str, Any]]:
    return [{"id": d.node.id, "name": d.node.label, "claims": d.count} for d in found]


def _rows(rows: list[ClaimRow]) -> list[dict[str, Any]]:
    return [r.to_dict() for r in rows]


@router.get("/api/entities/{key:path}", tags=["entities"])
def api_entity(store: StoreDep, analysis: AnalysisDep, key: str) -> dict[str, Any]:
    """One entity (by id, or by a name as written): aliases (with how often each is
    written), roles, appearances, claims by and about it (those of the articles listed;
    the totals and `by_month` count every article), whom it disputes, its latest figures
    and events."""
    found = _detail_or_id(store, key)
    detail = found if isinstance(found, EntityDetail) else entity_detail(store, found)
    if detail is None:
        raise NotFoundError(f"{key}: no such entity in the store")
    e = detail.entity
    whom, by = disputes(analysis.network(), e.id)
    figures, events = _figures_and_events(store, analysis, e.id)
    return {
        "id": e.id,
        "name": e.name,
        "type": e.type,
        "aliases": e.aliases,
        "roles": e.roles,
        "articles": detail.articles,
        "first_published": detail.first_published,
        "last_published": detail.last_published,
        "alias_counts": [{"name": n, "mentions": c} for n, c in detail.alias_counts],
        "said_total": detail.said_total,
        "about_total": detail.about_total,
        "appearances": [dict(a.__dict__) for a in detail.appearances],
        "said": _rows(detail.said),
        "about": _rows(detail.about),
        "disputes": _rows(detail.disputes),
        "disputed_by": _rows(detail.disputed_by),
        "disputes_whom": _disputes(whom),
        "disputed_by_whom": _disputes(by),
        "by_month": [{"month": m, "said": s, "about": a} for m, s, a in detail.months],
        "figures": [p.to_dict() for p in figures],
        "events": [e.to_dict() for e in events],
    }
