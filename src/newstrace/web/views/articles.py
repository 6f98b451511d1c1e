"""Articles: the searchable list (with copies marked) and one article's page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newstrace.store import ArticleSummary, Store
from newstrace.store.filters import ArticleFilter, Page
from newstrace.store.reads import articles as q
from newstrace.store.reads.entities import article_canonicals
from newstrace.store.reads.facets import article_facets
from newstrace.web.current import StoreResults
from newstrace.web.highlight import highlight_record
from newstrace.web.rendering import render
from newstrace.web.views.common import (
    DateParam,
    Download,
    LanguageParam,
    Offset,
    PageLimit,
    PageOut,
    ResultsDep,
    Text,
    blank,
    facet_links,
    get_store,
    page_response,
)

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]


def _filters(
    search: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    language: str | None,
) -> ArticleFilter:
    return ArticleFilter(blank(search), blank(outlet), blank(since), blank(until), blank(language))


def _page(
    store: Store, results: StoreResults, filters: ArticleFilter, limit: int, offset: int
) -> Page[ArticleSummary]:
    """One page of articles, its total kept while the store is unchanged."""
    total = results.get(("articles", filters), lambda: q.count_articles(store, filters))
    return q.list_articles(store, filters, limit, offset, total)


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    """The article list is the home page."""
    return RedirectResponse("/articles", status_code=307)


@router.get("/articles", response_class=HTMLResponse, include_in_schema=False)
def articles_page(
    request: Request,
    store: StoreDep,
    results: ResultsDep,
    limit: PageLimit,
    search: Text = None,
    outlet: Text = None,
    since: DateParam = None,
    until: DateParam = None,
    language: LanguageParam = None,
    offset: Offset = 0,
) -> HTMLResponse:
    """Articles newest first, with search, outlet, date and language filters."""
    filters = _filters(search, outlet, since, until, language)
    page = _page(store, results, filters, limit, offset)
    facets = results.get(("article facets", filters), lambda: article_facets(store, filters))
    ids = [a.id for a in page.items]
    roots = [a.duplicate_of for a in page.items if a.duplicate_of]
    return render(
        request,
        "articles.html",
        page=page,
        facet_list=facet_links(request, facets),
        outlets=results.get(("outlets",), lambda: q.outlets(store)),
        copies=q.copy_counts(store, ids),
        root_titles=q.titles(store, roots),
        search=search or "",
        outlet=outlet or "",
        since=since or "",
        until=until or "",
        language=language or "",
    )


@router.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
def article_page(request: Request, store: StoreDep, article_id: str) -> HTMLResponse:
    """One article: highlighted text, claims, figures, dates, removed junk, copies."""
    full_id = store.resolve_article_id(article_id)
    record = store.record(full_id)
    claims_by_id = {c.id: c for c in record.claims}
    canonical_ids = article_canonicals(store, full_id)
    return render(
        request,
        "article.html",
        record=record,
        article=record.article,
        marked=highlight_record(record, canonical_ids),
        canonical_ids=canonical_ids,
        copies=store.copies(full_id),
        entity_names={e.id: e.name for e in record.entities},
        claims_by_id=claims_by_id,
        times_by_id={t.id: t for t in record.times},
    )


@router.get("/api/articles", response_model=PageOut, tags=["articles"])
def api_articles(
    store: StoreDep,
    results: ResultsDep,
    limit: PageLimit,
    search: Annotated[str | None, Query(max_length=200, description="Full-text search.")] = None,
    outlet: Text = None,
    since: DateParam = None,
    until: DateParam = None,
    language: LanguageParam = None,
    offset: Offset = 0,
    format: Download = "json",
) -> PageOut | Response:
    """Articles newest first (copies carry `duplicate_of`), filtered and paginated;
    ``format=csv``: the same rows as CSV."""
    filters = _filters(search, outlet, since, until, language)
    page = _page(store, results, filters, limit, offset)
    return page_response(page, [a.to_dict() for a in page.items], format, "articles")


@router.get("/api/articles/{article_id:path}", tags=["articles"])
def api_article(store: StoreDep, article_id: str) -> dict[str, Any]:
    """The extraction record of one article, with its copies (`copies`)."""
    full_id = store.resolve_article_id(article_id)
    data = store.record(full_id).to_dict()
    data["copies"] = [c.to_dict() for c in store.copies(full_id)]
    return data
