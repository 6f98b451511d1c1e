"""The claim ledger: every claim in a sortable, filterable table, and its JSON API."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from newstrace.analysis.group_pages import GroupView, groups_of
from newstrace.errors import FilterError, NotFoundError
from newstrace.store import Store
from newstrace.store.filters import ArticleFilter, ClaimFilter
from newstrace.store.reads.claims import SORT_KEYS, list_claims
from newstrace.store.reads.entities import entity_by_ref
from newstrace.web.analysis import AnalysisCache
from newstrace.web.rendering import render
from newstrace.web.views.common import (
    DateParam,
    Limit,
    Offset,
    PageOut,
    Text,
    blank,
    get_analysis,
    get_store,
    page_out,
)

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
AnalysisDep = Annotated[AnalysisCache, Depends(get_analysis)]
StanceParam = Annotated[Literal["assert", "deny", "dispute", "unconfirmed", ""] | None, Query()]
KindParam = Annotated[
    Literal["direct_quote", "indirect", "according_to", "mixed", ""] | None, Query()
]
SortParam = Annotated[
    Literal["published", "speaker", "stance", "hedged", "outlet", "content", "kind"], Query()
]
HedgedParam = Annotated[Literal["yes", "no", ""] | None, Query()]
OrderParam = Annotated[Literal["asc", "desc"], Query()]
EntityParam = Annotated[
    str | None,
    Query(
        max_length=200,
        description="The speaker is this actor: an entity id, name or alias (422 when "
        "unknown or ambiguous, with the candidates).",
    ),
]


def _filter(
    speaker: str | None,
    about: str | None,
    stance: str | None,
    kind: str | None,
    hedged: str | None,
    articles: ArticleFilter,
    entity: str | None = None,
) -> ClaimFilter:
    flag = {"yes": True, "no": False}.get(hedged or "")
    return ClaimFilter(
        blank(speaker), blank(about), blank(stance), blank(kind), flag, articles, entity
    )


def _entity(store: Store, ref: str | None) -> str | None:
    """The canonical id of an entity filter (id, name or alias); an unknown or
    ambiguous one is a filter error (422, listing the candidates), never 0 rows."""
    if not blank(ref):
        return None
    try:
        return entity_by_ref(store, str(ref))
    except NotFoundError as exc:
        raise FilterError(str(exc)) from exc


def _shared(
    store: Store, analysis: AnalysisCache, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], GroupView]:
    """The group of each of these claims that is stated in more than one place."""
    index = analysis.group_index()
    return {key: index[g] for key, g in groups_of(store, keys).items() if g in index}


@router.get("/claims", response_class=HTMLResponse, include_in_schema=False)
def claims_page(
    request: Request,
    store: StoreDep,
    analysis: AnalysisDep,
    speaker: Text = None,
    entity: EntityParam = None,
    about: Text = None,
    stance: StanceParam = None,
    kind: KindParam = None,
    hedged: HedgedParam = None,
    outlet: Text = None,
    since: DateParam = None,
    until: DateParam = None,
    sort: SortParam = "published",
    order: OrderParam = "desc",
    limit: Limit = 50,
    offset: Offset = 0,
) -> HTMLResponse:
    """The ledger page."""
    articles = ArticleFilter(None, blank(outlet), blank(since), blank(until))
    filters = _filter(speaker, about, stance, kind, hedged, articles, _entity(store, entity))
    page = list_claims(store, filters, sort, order == "desc", limit, offset)
    return render(
        request,
        "claims.html",
        page=page,
        tab="claims",
        groups=_shared(store, analysis, [(r.article_id, r.claim.id) for r in page.items]),
        sort=sort,
        order=order,
        sort_keys=SORT_KEYS,
        form={
            "speaker": speaker or "",
            "entity": entity or "",
            "about": about or "",
            "stance": stance or "",
            "kind": kind or "",
            "hedged": hedged or "",
            "outlet": outlet or "",
            "since": since or "",
            "until": until or "",
        },
    )


@router.get("/api/claims", response_model=PageOut, tags=["claims"])
def api_claims(
    store: StoreDep,
    speaker: Text = None,
    entity: EntityParam = None,
    about: Annotated[str | None, Query(max_length=200, description="Text in the claim.")] = None,
    stance: StanceParam = None,
    kind: KindParam = None,
    hedged: HedgedParam = None,
    outlet: Text = None,
    since: DateParam = None,
    until: DateParam = None,
    sort: SortParam = "published",
    order: OrderParam = "desc",
    limit: Limit = 50,
    offset: Offset = 0,
) -> PageOut:
    """Claims across articles with their article id, outlet and date."""
    articles = ArticleFilter(None, blank(outlet), blank(since), blank(until))
    page = list_claims(
        store,
        _filter(speaker, about, stance, kind, hedged, articles, _entity(store, entity)),
        sort,
        order == "desc",
        limit,
        offset,
    )
    return page_out(page, [row.to_dict() for row in page.items])
