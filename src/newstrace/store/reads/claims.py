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
    c, a = schema.claims.c, schema.articles.c
    dialect = store.dialect
    query = claim_page(filters, dialect, sort, descending, limit, offset)
    joined = schema.claims.join(schema.articles, a.id == c.article_id)
    with store.reading() as conn:
        total = capped_count(conn, select(c.id).select_from(joined).where(filters.where(dialect)))
        rows = [claim_row(r._mapping) for r in conn.execute(query)]
    return Page(rows, total, limit, offset)
