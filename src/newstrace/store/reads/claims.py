"""The claim ledger: every claim with its article, filtered, sorted, paginated."""

from __future__ import annotations

from sqlalchemy import select

from newstrace.store import ClaimRow, Store, schema
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
) -> Page[ClaimRow]:
    """One page of claims across articles (in the order of `Store.claims`)."""
    limit, offset = clamp(limit, offset)
    c, dialect = schema.claims.c, store.dialect
    query = claim_page(filters, dialect, sort, descending, limit, offset)
    counted = select(c.id).select_from(filters.source(dialect)).where(filters.where(dialect))
    with store.reading() as conn:
        total = capped_count(conn, counted)
        rows = [claim_row(r._mapping) for r in conn.execute(query)]
    return Page(rows, total, limit, offset)
