"""The claim ledger: every claim with its article, filtered, sorted, paginated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, select, true

from newstrace.store import ClaimRow, Store, schema
from newstrace.store.records import claim_from_row
from newstrace.web.queries.common import ArticleFilter, Page, capped_count, clamp

SortKey = Literal["published", "speaker", "stance", "hedged", "outlet", "content", "kind"]
SORT_KEYS: tuple[str, ...] = (
    "published",
    "speaker",
    "stance",
    "hedged",
    "outlet",
    "content",
    "kind",
)


@dataclass(frozen=True)
class ClaimFilter:
    """Filters of the claim ledger."""

    speaker: str | None = None
    about: str | None = None
    stance: str | None = None
    kind: str | None = None
    hedged: bool | None = None
    article: ArticleFilter = field(default_factory=ArticleFilter)

    def where(self, dialect: str = "sqlite") -> ColumnElement[bool]:
        """All conditions joined with AND (`dialect`: the store's)."""
        c = schema.claims.c
        found = self.article.conditions(dialect)
        if self.speaker:
            found.append(c.speaker.ilike(f"%{self.speaker}%"))
        if self.about:
            found.append(c.content.ilike(f"%{self.about}%"))
        if self.stance:
            found.append(c.stance == self.stance)
        if self.kind:
            found.append(c.kind == self.kind)
        if self.hedged is not None:
            found.append(c.hedged == self.hedged)
        return and_(true(), *found)


def _order(sort: str, descending: bool) -> list[Any]:
    c, a = schema.claims.c, schema.articles.c
    columns = {
        "published": a.published,
        "speaker": c.speaker,
        "stance": c.stance,
        "hedged": c.hedged,
        "outlet": a.outlet,
        "content": c.content,
        "kind": c.kind,
    }
    column = columns.get(sort, a.published)
    primary = column.desc() if descending else column.asc()
    return [primary, a.published.desc().nulls_last(), c.article_id, c.content_start]


def list_claims(
    store: Store,
    filters: ClaimFilter,
    sort: str = "published",
    descending: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> Page[ClaimRow]:
    """One page of claims across articles."""
    limit, offset = clamp(limit, offset)
    c, a = schema.claims.c, schema.articles.c
    joined = schema.claims.join(schema.articles, a.id == c.article_id)
    where = filters.where(store.engine.dialect.name)
    query = (
        select(schema.claims, a.outlet, a.published)
        .select_from(joined)
        .where(where)
        .order_by(*_order(sort, descending))
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as conn:
        total = capped_count(conn, select(c.id).select_from(joined).where(where))
        rows = [
            ClaimRow(r.article_id, r.outlet, r.published, claim_from_row(r._mapping))
            for r in conn.execute(query)
        ]
    return Page(rows, total, limit, offset)
