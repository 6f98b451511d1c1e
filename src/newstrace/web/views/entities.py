"""Entities: the list of actors and places, and one entity's page."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from newstrace.errors import NotFoundError
from newstrace.store import ClaimRow, Store
from newstrace.web.queries.entities import EntityDetail, entity_detail, list_entities
from newstrace.web.rendering import render
from newstrace.web.views.common import Limit, Offset, PageOut, Text, blank, get_store, page_out

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
TypeParam = Annotated[
    Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "OTHER", ""] | None, Query()
]


@router.get("/entities", response_class=HTMLResponse, include_in_schema=False)
def entities_page(
    request: Request,
    store: StoreDep,
    q: Text = None,
    type: TypeParam = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> HTMLResponse:
    """Entities by the number of articles they appear in."""
    page = list_entities(store, blank(q), blank(type), limit, offset)
    return render(request, "entities.html", page=page, q=q or "", type=type or "")


def _detail(store: Store, name: str) -> EntityDetail:
    detail = entity_detail(store, name)
    if detail is None:
        raise NotFoundError(f"{name}: no such entity in the store")
    return detail


@router.get("/entities/{name:path}", response_class=HTMLResponse, include_in_schema=False)
def entity_page(request: Request, store: StoreDep, name: str) -> HTMLResponse:
    """Aliases, roles, what it said, what was said about it, disputes, over time."""
    return render(request, "entity.html", entity=_detail(store, name))


@router.get("/api/entities", response_model=PageOut, tags=["entities"])
def api_entities(
    store: StoreDep, q: Text = None, type: TypeParam = None, limit: Limit = 100, offset: Offset = 0
) -> PageOut:
    """Entity names with their type and the number of articles they appear in."""
    page = list_entities(store, blank(q), blank(type), limit, offset)
    return page_out(page, [dict(e.__dict__) for e in page.items])


def _rows(rows: list[ClaimRow]) -> list[dict[str, Any]]:
    return [r.to_dict() for r in rows]


@router.get("/api/entities/{name:path}", tags=["entities"])
def api_entity(store: StoreDep, name: str) -> dict[str, Any]:
    """One entity across articles: aliases, roles, appearances, claims by and about it."""
    detail = _detail(store, name)
    return {
        "name": detail.name,
        "types": detail.types,
        "aliases": detail.aliases,
        "roles": detail.roles,
        "articles": [
            {"id": a.article_id, "title": a.title, "outlet": a.outlet, "published": a.published}
            for a in detail.appearances
        ],
        "said": _rows(detail.said),
        "about": _rows(detail.about),
        "disputes": _rows(detail.disputes),
        "disputed_by": _rows(detail.disputed_by),
    }
