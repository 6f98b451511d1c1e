"""The timeline of a topic: resolved dates in articles, with the claims they date."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, and_, select

from newstrace.models import Claim
from newstrace.store import Store, schema
from newstrace.store.records import claim_from_row
from newstrace.web.queries.common import ArticleFilter, Page, capped_count, clamp, until_bound


@dataclass(frozen=True)
class TimelineItem:
    """A dated mention: what date, where, and the claim it belongs to."""

    value: str
    granularity: str
    text: str
    time_id: str
    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    claim: Claim | None


def timeline(
    store: Store,
    filters: ArticleFilter,
    since: str | None = None,
    until: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> Page[TimelineItem]:
    """Resolved dates (TIMEX3 values starting with a year), oldest first."""
    limit, offset = clamp(limit, offset)
    t, a = schema.times.c, schema.articles.c
    dialect = store.engine.dialect.name
    conditions = [t.value.regexp_match("^[0-9]{4}"), *filters.conditions(dialect)]
    if since:
        conditions.append(t.value >= since)
    if until:
        conditions.append(t.value <= until_bound(until))
    joined = schema.times.join(schema.articles, a.id == t.article_id)
    query = (
        select(schema.times, a.title, a.outlet, a.published)
        .select_from(joined)
        .where(and_(*conditions))
        .order_by(t.value, a.published, t.article_id, t.start)
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as conn:
        total = capped_count(conn, select(t.id).select_from(joined).where(and_(*conditions)))
        rows = list(conn.execute(query))
        dated = _claims_by_time(conn, {r.article_id for r in rows})
    items = [
        TimelineItem(
            r.value,
            r.granularity,
            r.text,
            r.id,
            r.article_id,
            r.title,
            r.outlet,
            r.published,
            dated.get((r.article_id, r.id)),
        )
        for r in rows
    ]
    return Page(items, total, limit, offset)


def _claims_by_time(conn: Connection, article_ids: set[str]) -> dict[tuple[str, str], Claim]:
    c = schema.claims.c
    found: dict[tuple[str, str], Claim] = {}
    for r in conn.execute(select(schema.claims).where(c.article_id.in_(sorted(article_ids)))):
        claim = claim_from_row(r._mapping)
        for time_id in claim.time_ids:
            found.setdefault((r.article_id, time_id), claim)
    return found
