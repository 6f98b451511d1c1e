"""Search everything at once: articles (full text), claims and entities."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from newstrace.store import Store
from newstrace.web.queries.articles import list_articles
from newstrace.web.queries.claims import ClaimFilter, list_claims
from newstrace.web.queries.common import ArticleFilter
from newstrace.web.queries.entities import list_entities
from newstrace.web.rendering import render
from newstrace.web.views.common import blank, get_store

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
Q = Annotated[str | None, Query(max_length=200, description="Words to look for.")]


def _search(store: Store, q: str, limit: int) -> dict[str, Any]:
    return {
        "articles": list_articles(store, ArticleFilter(search=q), limit).items,
        # the full-text index narrows the articles first; then the claim text must match
        "claims": list_claims(
            store, ClaimFilter(about=q, article=ArticleFilter(search=q)), limit=limit
        ).items,
        "entities": list_entities(store, q, limit=limit).items,
    }


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, store: StoreDep, q: Q = None) -> HTMLResponse:
    """Articles, claims and entities matching `q`."""
    query = blank(q)
    found = _search(store, query, 20) if query else {"articles": [], "claims": [], "entities": []}
    return render(request, "search.html", q=query or "", **found)


@router.get("/api/search", tags=["search"])
def api_search(
    store: StoreDep, q: Q = None, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> dict[str, Any]:
    """Articles (full-text), claims (content contains) and entities (name or alias)."""
    query = blank(q)
    if not query:
        return {"q": "", "articles": [], "claims": [], "entities": []}
    found = _search(store, query, limit)
    return {
        "q": query,
        "articles": [a.to_dict() for a in found["articles"]],
        "claims": [c.to_dict() for c in found["claims"]],
        "entities": [dict(e.__dict__) for e in found["entities"]],
    }
