"""What every view uses: the store, paging parameters, date parameters."""

from __future__ import annotations

import io
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel

from newstrace.errors import FilterError, NotFoundError
from newstrace.models import Stance
from newstrace.reader.results import flatten_rows, write_csv
from newstrace.store import Store
from newstrace.store.filters import MAX_LIMIT, Page
from newstrace.store.reads.entities import (
    EntitySummary,
    entity_by_ref,
    list_entities,
    ranked_entities,
)
from newstrace.store.reads.facets import Facet
from newstrace.web.analysis import AnalysisCache
from newstrace.web.current import StoreResults
from newstrace.web.rendering import query_url

T = TypeVar("T")
DATE_PATTERN = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"
MAX_OFFSET = 1_000_000


def page_limit(
    request: Request,
    limit: Annotated[
        int | None,
        Query(ge=1, le=MAX_LIMIT, description="Items per page (default: the page_size setting)."),
    ] = None,
) -> int:
    """The `limit` of a listing: as asked, else the ``page_size`` setting (one default
    for every listing of the CLI, the API and the web)."""
    size: int = request.app.state.config.page_size
    return limit or size


PageLimit = Annotated[int, Depends(page_limit)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
DateParam = Annotated[
    str | None, Query(pattern=DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD.")
]
Text = Annotated[str | None, Query(max_length=200)]
StanceParam = Annotated[Stance | Literal[""] | None, Query()]
LanguageParam = Annotated[
    str | None,
    Query(pattern=r"^([A-Za-z]{2,3})?$", description="A detected language: en, fr (ISO 639-1)."),
]
EntityRef = Annotated[
    str | None,
    Query(
        max_length=200,
        description="An actor: an entity id, name or alias (400 when unknown or ambiguous, "
        "with the candidates).",
    ),
]


def get_store(request: Request) -> Store:
    """The application's store."""
    store: Store = request.app.state.store
    return store


def get_analysis(request: Request) -> AnalysisCache:
    """The application's analysis results."""
    analysis: AnalysisCache = request.app.state.analysis
    return analysis


def get_results(request: Request) -> StoreResults:
    """The application's kept listing totals and facets."""
    results: StoreResults = request.app.state.results
    return results


ResultsDep = Annotated[StoreResults, Depends(get_results)]


def entity_page_of(
    store: Store,
    results: StoreResults,
    q: str | None,
    kind: str | None,
    limit: int | None,
    offset: int,
) -> Page[EntitySummary]:
    """One page of the entity listing, its order kept while the store is unchanged."""
    ranked = results.get(("entities", q, kind), lambda: ranked_entities(store, q, kind))
    return list_entities(store, q, kind, limit, offset, ranked)


def slice_page(items: list[T], limit: int, offset: int) -> Page[T]:
    """One page of a list computed in full."""
    return Page(items[offset : offset + limit], len(items), limit, offset)


class PageOut(BaseModel):
    """One page of a listing."""

    total: int
    limit: int | None
    offset: int
    next_offset: int | None
    items: list[dict[str, Any]]


def page_out(page: Page[Any], items: list[dict[str, Any]]) -> PageOut:
    """The JSON form of a page whose items are already dicts."""
    return PageOut(
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        next_offset=page.next_offset,
        items=items,
    )


def blank(value: str | None) -> str | None:
    """Empty form fields mean "no filter"."""
    return value.strip() or None if value is not None else None


def entity_filter(store: Store, ref: str | None) -> str | None:
    """The canonical id of an entity filter (id, name or alias), None when not given; an
    unknown or ambiguous one is a filter error (400, listing the candidates), never 0 rows."""
    if not blank(ref):
        return None
    try:
        return entity_by_ref(store, str(ref))
    except NotFoundError as exc:
        raise FilterError(str(exc)) from exc


Download = Annotated[
    Literal["json", "csv"],
    Query(description="json (the page) or csv (its items, nested fields flattened)."),
]


def page_response(
    page: Page[Any], items: list[dict[str, Any]], format: str, name: str
) -> PageOut | Response:
    """A page of a listing as its JSON (`page_out`), or its items as CSV (`csv_response`):
    the download links of a page give exactly the rows it shows."""
    if format == "csv":
        return csv_response(items, f"{name}.csv")
    return page_out(page, items)


def csv_response(items: list[dict[str, Any]], filename: str) -> Response:
    """`items` (the rows of a page, as its JSON gives them) as a CSV download: nested
    objects flattened into ``parent_child`` columns, lists as JSON."""
    out = io.StringIO()
    write_csv(out, flatten_rows(items))
    disposition = f'attachment; filename="{filename}"'
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition})  # fmt: skip


# which query parameters a facet's value sets (a month is a since/until pair)
FACET_PARAMS = {
    "outlet": ("outlet",),
    "month": ("since", "until"),
    "language": ("language",),
    "stance": ("stance",),
    "speaker": ("entity",),
    "type": ("type",),
    "source": ("source",),
    "series": ("series",),
    "kind": ("kind",),
    "rule": ("rule",),
    "status": ("status",),
}


def facet_links(
    request: Request, found: list[Facet], shown: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Each facet with, for each value, the URL of this view narrowed to it (a shareable
    link: every filter is in the query string) and whether it is the filter already
    (given, or what the view `shown` without it: the Figures page's largest series)."""
    given = {**(shown or {}), **request.query_params}
    found_links = []
    for facet in found:
        names = FACET_PARAMS[facet.name]
        values = [
            {
                "label": v.label,
                "count": v.count,
                "href": query_url(request, offset=None, **dict.fromkeys(names, v.value)),
                "current": all(given.get(n) == v.value for n in names),
            }
            for v in facet.values
        ]
        found_links.append({"name": facet.name, "values": values})
    return found_links
