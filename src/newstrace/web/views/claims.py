"""The claim ledger: every claim in a sortable, filterable table, and its JSON API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from newstrace.analysis.group_pages import shared_groups
from newstrace.store import ClaimRow, Store
from newstrace.store.filters import ArticleFilter, ClaimFilter, Page
from newstrace.store.reads.claims import SORT_KEYS, count_claims, list_claims
from newstrace.store.reads.facets import claim_facets
from newstrace.web.current import StoreResults
from newstrace.web.rendering import render
from newstrace.web.views.common import (
    DateParam,
    Download,
    EntityRef,
    Offset,
    PageLimit,
    PageOut,
    ResultsDep,
    StanceParam,
    Text,
    blank,
    entity_filter,
    facet_links,
    get_store,
    page_response,
)

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
KindParam = Annotated[
    Literal["direct_quote", "indirect", "according_to", "mixed", ""] | None, Query()
]
SortParam = Annotated[
    Literal["published", "speaker", "stance", "hedged", "outlet", "content", "kind"], Query()
]
HedgedParam = Annotated[Literal["yes", "no", ""] | None, Query()]
OrderParam = Annotated[Literal["asc", "desc"], Query()]


@dataclass(frozen=True)
class ClaimQuery:
    """The ledger's filters and order, as the page and the API take them."""

    filters: ClaimFilter
    sort: str
    descending: bool
    form: dict[str, str]


def claim_query(
    store: StoreDep,
    speaker: Text = None,
    entity: EntityRef = None,
    about: Annotated[str | None, Query(max_length=200, description="Text in the claim.")] = None,
    stance: StanceParam = None,
    kind: KindParam = None,
    hedged: HedgedParam = None,
    outlet: Text = None,
    since: DateParam = None,
    until: DateParam = None,
    sort: SortParam = "published",
    order: OrderParam = "desc",
) -> ClaimQuery:
    """The ledger's query parameters (one declaration for the page and the API)."""
    articles = ArticleFilter(None, blank(outlet), blank(since), blank(until))
    flag = {"yes": True, "no": False}.get(hedged or "")
    filters = ClaimFilter(
        blank(speaker),
        blank(about),
        blank(stance),
        blank(kind),
        flag,
        articles,
        entity_filter(store, entity),
    )
    given = {"speaker": speaker, "entity": entity, "about": about, "stance": stance}
    given |= {"kind": kind, "hedged": hedged, "outlet": outlet, "since": since, "until": until}
    form = {key: value or "" for key, value in given.items()}
    return ClaimQuery(filters, sort, order == "desc", form)


QueryDep = Annotated[ClaimQuery, Depends(claim_query)]


def _page(
    store: Store, results: StoreResults, query: ClaimQuery, limit: int, offset: int
) -> Page[ClaimRow]:
    """One page of the ledger, its total kept while the store is unchanged."""
    filters = query.filters
    total = results.get(("claims", filters), lambda: count_claims(store, filters))
    return list_claims(store, filters, query.sort, query.descending, limit, offset, total)


@router.get("/claims", response_class=HTMLResponse, include_in_schema=False)
def claims_page(
    request: Request,
    store: StoreDep,
    results: ResultsDep,
    query: QueryDep,
    limit: PageLimit,
    offset: Offset = 0,
) -> HTMLResponse:
    """The ledger page."""
    page = _page(store, results, query, limit, offset)
    facets = results.get(
        ("claim facets", query.filters), lambda: claim_facets(store, query.filters)
    )
    return render(
        request,
        "claims.html",
        page=page,
        tab="claims",
        groups=shared_groups(store, [(r.article_id, r.claim.id) for r in page.items]),
        sort=query.sort,
        order="desc" if query.descending else "asc",
        sort_keys=SORT_KEYS,
        form=query.form,
        facet_list=facet_links(request, facets),
    )


@router.get("/api/claims", response_model=PageOut, tags=["claims"])
def api_claims(
    store: StoreDep,
    results: ResultsDep,
    query: QueryDep,
    limit: PageLimit,
    offset: Offset = 0,
    format: Download = "json",
) -> PageOut | Response:
    """Claims across articles with their article id, outlet and date."""
    page = _page(store, results, query, limit, offset)
    return page_response(page, [row.to_dict() for row in page.items], format, "claims")
