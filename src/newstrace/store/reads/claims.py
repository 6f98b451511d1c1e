"""The claim ledger: every claim with its article, filtered, sorted, paginated."""

from __future__ import annotations

from sqlalchemy import select

from newstrace.store import ClaimRow, Store, Transaction, schema
from newstrace.store.filters import ClaimFilter, Page, capped_count, clamp
from newstrace.store.listings import CLAIM_SORTS, claim_page, claim_row

SORT_KEYS = CLAIM_SORTS


def list_claims(
    store: Store,
    filters: ClaimFilter,
    sort: str = "published",
    descending: bool = True,
    limit: int | None = 50,
    offset: int = 0,
    total: int | None = None,
) -> Page[ClaimRow]:
    """One page of claims across articles (in the order of `Store.claims`); `total`:
    what `count_claims` gave for `filters`, when the caller kept it."""
    limit, offset = clamp(limit, offset)
    query = claim_page(filters, store.dialect, sort, descending, limit, offset)
    with store.reading() as conn:
        if total is None:
            total = _count(conn, filters, store.dialect)
        rows = [claim_row(r._mapping) for r in conn.execute(query)]
    return Page(rows, total, limit, offset)


def count_claims(store: Store, filters: ClaimFilter) -> int:
    """How many claims `filters` selects (`capped_count`): a page's total."""
    with store.reading() as conn:
        return _count(conn, filters, store.dialect)


def _count(conn: Transaction, filters: ClaimFilter, dialect: str) -> int:
    c = schema.claims.c
    counted = select(c.id).select_from(filters.source(dialect)).where(filters.where(dialect))
    return capped_count(conn, counted)
