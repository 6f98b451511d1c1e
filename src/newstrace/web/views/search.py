"""Search everything at once: articles (full text), claims and entities."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from newstrace.store import Store
from newstrace.store.reads.search import Found, search
from newstrace.web.rendering import render
from newstrace.web.views.common import blank, get_store

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
Q = Annotated[str | None, Query(max_length=200, description="Words to look for.")]


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, store: StoreDep, q: Q = None) -> HTMLResponse:
    """Articles, claims and entities matching `q`."""
    query = blank(q)
    found = search(store, query, 20) if query else Found([], [], [])
    return render(
        request,
        "search.html",
        q=query or "",
        articles=found.articles,
        claims=found.claims,
        entities=found.entities,
    )


@router.get("/api/search", tags=["search"])
def api_search(
    store: StoreDep, q: Q = None, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> dict[str, Any]:
    """Articles (full text), claims (wording contains `q`, in the most recent matching
    articles) and entities (name starts with, or name or alias contains, `q`)."""
    query = blank(q)
    if not query:
        return {"q": "", "articles": [], "claims": [], "entities": []}
    found = search(store, query, limit)
    return {
        "q": query,
        "articles": [a.to_dict() for a in found.articles],
        "claims": [c.to_dict() for c in found.claims],
        "entities": [dict(e.__dict__) for e in found.entities],
    }
