"""Article listings with totals and offsets, and the list of outlets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from newstrace.store import ArticleSummary, Store, schema
from newstrace.web.queries.common import ArticleFilter, Page, capped_count, clamp


def _n_claims() -> Any:
    a = schema.articles.c
    return (
        select(func.count())
        .where(schema.claims.c.article_id == a.id)
        .correlate(schema.articles)
        .scalar_subquery()
    )


_A = schema.articles.c
LISTING_COLUMNS = (
    _A.id,
    _A.title,
    _A.outlet,
    _A.published,
    _A.url,
    _A.text,
    _A.duplicate_of,
    _A.similarity,
    _n_claims().label("claims"),
)
"""The columns of an article listing row (see `summary`)."""


def list_articles(
    store: Store, filters: ArticleFilter, limit: int = 50, offset: int = 0
) -> Page[ArticleSummary]:
    """Articles newest first, filtered, one page of them."""
    limit, offset = clamp(limit, offset)
    a = schema.articles.c
    where = filters.where(store.engine.dialect.name)
    query = (
        select(*LISTING_COLUMNS)
        .where(where)
        .order_by(a.published.desc().nulls_last(), a.seq.desc())
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as conn:
        total = capped_count(conn, select(a.id).where(where))
        rows = [summary(r._mapping) for r in conn.execute(query)]
    return Page(rows, total, limit, offset)


def summary(row: Mapping[Any, Any]) -> ArticleSummary:
    """An `ArticleSummary` from a row with the listing's columns."""
    return ArticleSummary(
        id=row["id"],
        title=row["title"],
        outlet=row["outlet"],
        published=row["published"],
        url=row["url"],
        words=len(row["text"].split()),
        duplicate_of=row["duplicate_of"],
        similarity=row["similarity"],
        claims=int(row["claims"] or 0),
    )


def outlets(store: Store) -> list[str]:
    """Every outlet name in the store, sorted."""
    a = schema.articles.c
    query = select(a.outlet).where(a.outlet.is_not(None)).distinct().order_by(a.outlet)
    with store.engine.connect() as conn:
        return [str(r[0]) for r in conn.execute(query)]


def copy_counts(store: Store, ids: list[str]) -> dict[str, int]:
    """For each of `ids`, how many copies link to it."""
    a = schema.articles.c
    query = (
        select(a.duplicate_of, func.count()).where(a.duplicate_of.in_(ids)).group_by(a.duplicate_of)
    )
    with store.engine.connect() as conn:
        return {str(root): int(n) for root, n in conn.execute(query)}


def titles(store: Store, ids: list[str]) -> dict[str, str | None]:
    """Titles of the given articles."""
    a = schema.articles.c
    with store.engine.connect() as conn:
        return {r.id: r.title for r in conn.execute(select(a.id, a.title).where(a.id.in_(ids)))}
