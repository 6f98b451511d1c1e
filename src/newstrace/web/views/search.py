"""Search everything at once: articles (full text, most relevant first, with their best
passage), claims (worded with the search's words) and entities."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from newstrace.store import Store
from newstrace.store.reads.entities import find_entities
from newstrace.store.reads.search import (
    claim_matches,
    count_matches,
    ranked_articles,
    ranked_claims,
)
from newstrace.web.current import StoreResults
from newstrace.web.rendering import render
from newstrace.web.views.common import ResultsDep, blank, get_store

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
Q = Annotated[
    str | None,
    Query(
        max_length=200,
        description='Words to look for: all must match; "a phrase"; A OR B; -word or NOT '
        "word to exclude; prefix*.",
    ),
]
SearchLimit = Annotated[int, Query(ge=1, le=100, description="Results of each kind.")]


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request, store: StoreDep, results: ResultsDep, q: Q = None
) -> HTMLResponse:
    """Articles (most relevant first, with their best passage), claims and entities
    matching `q`."""
    query = blank(q)
    return render(request, "search.html", q=query or "", **_found(store, results, query, 20))


def _found(store: Store, results: StoreResults, q: str | None, limit: int) -> dict[str, Any]:
    """What a search finds; its totals and its claims' order kept for the next request
    of the same search while the store is unchanged."""
    if not q:
        return {"articles": [], "claims": [], "entities": [], "totals": {}}
    total = results.get(("search total", q), lambda: count_matches(store, q))
    articles = ranked_articles(store, q, limit, total=total)
    matches = results.get(("claim search", q), lambda: claim_matches(store, q))
    claims = ranked_claims(store, q, limit, matches=matches)
    return {
        "articles": articles.items,
        "claims": claims.items,
        "entities": find_entities(store, q, limit),
        "totals": {"articles": articles.total, "claims": claims.total},
    }


@router.get("/api/search", tags=["search"])
def api_search(
    store: StoreDep, results: ResultsDep, q: Q = None, limit: SearchLimit = 20
) -> dict[str, Any]:
    """Articles (full text, most relevant first: FTS5 bm25 / PostgreSQL ts_rank, each with
    its best passage, `snippet`, and the matched words' offsets in it, `marks`), claims
    (worded with every word `q` requires, in the most relevant matching articles,
    `marks` into the content) and entities (name starts with, or name or alias
    contains, `q`); `totals` counts the articles and claims that match."""
    query = blank(q)
    found = _found(store, results, query, limit)
    return {
        "q": query or "",
        "articles": [a.to_dict() for a in found["articles"]],
        "claims": [c.to_dict() for c in found["claims"]],
        "entities": [dict(e.__dict__) for e in found["entities"]],
        "totals": found["totals"],
    }
