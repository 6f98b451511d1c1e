"""Claim group summaries: each group's size, latest publication date and member stances,
stored when the analysis changes (`refresh_group_summaries`) and read a page at a time
by index (`group_page`, `group_stances`), whatever the store's size."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, func, select, true

from newstrace.store import schema
from newstrace.store.contradictions import ALL_GROUPS, changed_groups
from newstrace.store.filters import in_chunks
from newstrace.store.items import GroupQuery, item_sources
from newstrace.store.series_summaries import group_series_rows, refresh_series, series_of_groups


def refresh_group_summaries(conn: Connection) -> None:
    """Write again the summaries and series of the groups changed since contradictions
    were last brought up to date (`analysis_changes`, which this leaves as it is), and
    the summaries of the series they held or hold (`store.series_summaries`): call it
    before contradictions are brought up to date."""
    groups = changed_groups(conn)
    if ALL_GROUPS in groups:
        for table in GROUP_TABLES:
            conn.execute(delete(table))
        _summarise(conn, true())
        refresh_series(conn, None)
        return
    g = schema.claim_items.c.group_id
    touched: set[str] = set()
    for chunk in in_chunks(sorted(groups)):
        touched |= series_of_groups(conn, chunk)  # as they were: an item may be gone
        for table in GROUP_TABLES:
            conn.execute(delete(table).where(table.c.group_id.in_(chunk)))
        _summarise(conn, g.in_(chunk))
        touched |= series_of_groups(conn, chunk)
    refresh_series(conn, touched)


GROUP_TABLES = (schema.group_summaries, schema.group_stances, schema.group_series)
"""What is stored of each claim group, written again when it changes."""


def _summarise(conn: Connection, where: ColumnElement[bool]) -> None:
    """Summarise the groups of the claim items `where` selects (on `claim_items`)."""
    i, a, c = schema.claim_items.c, schema.articles.c, schema.claims.c
    sizes = (
        select(i.group_id, func.count(), func.coalesce(func.max(a.published), ""))
        .select_from(schema.claim_items.join(schema.articles, a.id == i.article_id))
        .where(where)
        .group_by(i.group_id)
    )
    columns = ("group_id", "items", "last_seen")
    conn.execute(schema.group_summaries.insert().from_select(columns, sizes))
    stance = func.coalesce(func.nullif(c.stance, ""), "assert")
    claims = schema.claim_items.outerjoin(
        schema.claims, (c.article_id == i.article_id) & (c.id == i.claim_id)
    )
    stances = select(i.group_id, stance).select_from(claims).where(where).distinct()
    conn.execute(schema.group_stances.insert().from_select(("group_id", "stance"), stances))
    series = group_series_rows(where)
    conn.execute(schema.group_series.insert().from_select(("group_id", "series"), series))


def _kept(query: GroupQuery, dialect: str) -> Any:
    """The summaries of the groups `query` keeps (a select of `group_summaries`)."""
    s, st, i = schema.group_summaries.c, schema.group_stances.c, schema.claim_items.c
    kept = select(s.group_id, s["items"], s.last_seen).where(s["items"] >= query.min_items)
    if query.stance:
        of_stance = select(st.group_id).where(st.stance == query.stance)
        kept = kept.where(s.group_id.in_(of_stance))
    if query.series:
        g = schema.group_series.c
        holding = select(g.group_id).where(g.series.ilike(f"%{query.series}%"))
        kept = kept.where(s.group_id.in_(holding))
    for condition in query.member_conditions(dialect):
        members = select(i.group_id).select_from(item_sources()).where(condition)
        kept = kept.where(s.group_id.in_(members))
    return kept


def group_page(
    conn: Connection, query: GroupQuery, limit: int | None, offset: int = 0
) -> tuple[list[str], int]:
    """The ids of one page of the groups `query` keeps, in its order, and how many it
    keeps in all."""
    s = schema.group_summaries.c
    kept = _kept(query, conn.dialect.name)
    total = conn.execute(select(func.count()).select_from(kept.subquery())).scalar_one()
    order = [s["items"].desc(), s.group_id]
    if query.sort == "date":
        order.insert(0, s.last_seen.desc())
    ids = kept.with_only_columns(s.group_id).order_by(*order).offset(offset)
    if limit is not None:
        ids = ids.limit(limit)
    return [str(r[0]) for r in conn.execute(ids)], int(total)


def group_stances(conn: Connection, query: GroupQuery) -> dict[str, int]:
    """How many of the groups `query` keeps have a member of each stance."""
    st = schema.group_stances.c
    kept = _kept(query, conn.dialect.name).subquery()
    counts = (
        select(st.stance, func.count())
        .select_from(schema.group_stances.join(kept, kept.c.group_id == st.group_id))
        .group_by(st.stance)
    )
    return {str(s): int(n) for s, n in conn.execute(counts)}
