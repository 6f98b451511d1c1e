"""Article listings with totals and offsets, and the list of outlets."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from newstrace.store import ArticleSummary, Store, Transaction, schema
from newstrace.store.filters import ArticleFilter, Page, capped_count, clamp
from newstrace.store.listings import article_page, summary


def list_articles(
    store: Store,
    filters: ArticleFilter,
    limit: int | None = 50,
    offset: int = 0,
    total: int | None = None,
) -> Page[ArticleSummary]:
    """Articles newest first, filtered, one page of them (in the order of `Store.articles`);
    `total`: what `count_articles` gave for `filters`, when the caller kept it."""
    limit, offset = clamp(limit, offset)
    query = article_page(filters, store.dialect, limit, offset)
    with store.reading() as conn:
        if total is None:
            total = _count(conn, filters, store.dialect)
        rows = [summary(r._mapping) for r in conn.execute(query)]
    return Page(rows, total, limit, offset)


def count_articles(store: Store, filters: ArticleFilter) -> int:
    """How many articles `filters` selects (`capped_count`): a page's total."""
    with store.reading() as conn:
        return _count(conn, filters, store.dialect)


def _count(conn: Transaction, filters: ArticleFilter, dialect: str) -> int:
    return capped_count(conn, select(schema.articles.c.id).where(filters.where(dialect)))


def outlets(store: Store) -> list[tuple[str, str]]:
    """Every outlet in the store as (key, the name it goes by), sorted by name."""
    a = schema.articles.c
    name = func.coalesce(func.max(a.outlet_name), a.outlet)  # one name per key
    query = select(a.outlet, name).where(a.outlet.is_not(None)).group_by(a.outlet)
    with store.reading() as conn:
        found = [(str(key), str(shown)) for key, shown in conn.execute(query)]
    return sorted(found, key=lambda outlet: (outlet[1].lower(), outlet[0]))


def copy_counts(store: Store, ids: list[str]) -> dict[str, int]:
    """For each of `ids`, how many copies link to it."""
    a = schema.articles.c
    query = (
        select(a.duplicate_of, func.count()).where(a.duplicate_of.in_(ids)).group_by(a.duplicate_of)
    )
    with store.reading() as conn:
        return {str(root): int(n) for root, n in conn.execute(query)}


def titles(store: Store, ids: list[str]) -> dict[str, str | None]:
    """Titles of the given articles."""
    a = schema.articles.c
    with store.reading() as conn:
        return {r.id: r.title for r in conn.execute(select(a.id, a.title).where(a.id.in_(ids)))}


SHORT_ID = 8  # the shortest prefix shown for an id


def short_ids(store: Store, ids: list[str]) -> dict[str, str]:
    """For each of `ids`, its shortest prefix (at least `SHORT_ID` characters) that no
    other article id starts with, as `newstrace show` accepts it: the longest prefix it
    shares with its neighbours in code-point order, plus one character."""
    a = schema.articles.c
    ordered = a.id.collate("C") if store.dialect == "postgresql" else a.id
    unique = list(dict.fromkeys(ids))
    short: dict[str, str] = {}
    with store.reading() as conn:
        for start in range(0, len(unique), _AT_ONCE):
            chunk = unique[start : start + _AT_ONCE]
            around = _neighbours(conn, ordered, chunk)
            for article_id, (before, after) in zip(chunk, around, strict=True):
                shared = max(_common(article_id, before), _common(article_id, after))
                short[article_id] = article_id[: max(SHORT_ID, shared + 1)]
    return short


def _neighbours(
    conn: Transaction, ordered: Any, ids: list[str]
) -> list[tuple[str | None, str | None]]:
    """The ids before and after each of `ids` in `ordered`, in one statement (a round
    trip an id was most of a listing's time on PostgreSQL: 100 of them for a page)."""
    before = [select(func.max(ordered)).where(ordered < i).scalar_subquery() for i in ids]
    after = [select(func.min(ordered)).where(ordered > i).scalar_subquery() for i in ids]
    found = conn.execute(select(*before, *after)).one()
    return [(found[n], found[len(ids) + n]) for n in range(len(ids))]


_AT_ONCE = 500  # ids one statement asks the neighbours of (two result columns each)


def _common(a: str, b: str | None) -> int:
    """Length of the prefix `a` and `b` share."""
    n = 0
    for x, y in zip(a, b or "", strict=False):
        if x != y:
            break
        n += 1
    return n
