"""Figure series summaries: each series' points, articles, first and last publication
dates and the names a figure search matches it by (`series_summaries`, `series_names`),
and the series of each claim group (`group_series`). Written when the analysis changes,
for the series of the groups that changed (`store.group_summaries`), and read instead of
counting or searching every figure, whatever the store's size."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, case, delete, func, or_, select, true

from newstrace.store import schema
from newstrace.store.filters import in_chunks


def effective_series() -> ColumnElement[Any]:
    """The series a claim item's figure is filed under in `group_series`: its series
    key, else "|unit||total" for a figure stored without a measure (as `analysis.groups`
    keys it); NULL for an item without a figure (on the tables of `items.item_sources`)."""
    i, f = schema.claim_items.c, schema.figures.c
    legacy = case((f.measure_text.is_(None), "|" + i.unit + "||total"))
    return case((i.figure_id == "", None), else_=func.coalesce(f.series, legacy))


def group_series_rows(where: ColumnElement[bool]) -> Select[Any]:
    """(group id, series) of the claim items `where` selects (on `claim_items`)."""
    i, f = schema.claim_items.c, schema.figures.c
    series = effective_series()
    figures = schema.claim_items.outerjoin(
        schema.figures, (f.article_id == i.article_id) & (f.id == i.figure_id)
    )
    return (
        select(i.group_id, series).select_from(figures).where(where, series.is_not(None)).distinct()
    )


def series_of_groups(conn: Connection, group_ids: Sequence[str]) -> set[str]:
    """The series stored in `group_series` for these groups."""
    g = schema.group_series.c
    query = select(g.series).where(g.group_id.in_(list(group_ids))).distinct()
    return {str(r[0]) for r in conn.execute(query)}


def refresh_series(conn: Connection, keys: Collection[str] | None) -> None:
    """Write again the summaries and names of the series `keys` (None: of every series)
    from their claim items as they are now."""
    tables = (schema.series_summaries, schema.series_names)
    if keys is None:
        for table in tables:
            conn.execute(delete(table))
        _summarise(conn, true())
        return
    for chunk in in_chunks(sorted(keys)):
        for table in tables:
            conn.execute(delete(table).where(table.c.series.in_(chunk)))
        _summarise(conn, schema.figures.c.series.in_(chunk))


def _figures_in_series() -> Any:
    """Claim items joined to their figures (the FROM of the summaries)."""
    i, f = schema.claim_items.c, schema.figures.c
    return schema.claim_items.join(
        schema.figures, (f.article_id == i.article_id) & (f.id == i.figure_id)
    )


def _summarise(conn: Connection, where: ColumnElement[bool]) -> None:
    """Summarise the series of the figures `where` selects (on `figures`)."""
    i, f, a = schema.claim_items.c, schema.figures.c, schema.articles.c
    scope = _in_series(where)
    counts = (
        select(
            f.series,
            func.count(),
            func.count(i.article_id.distinct()),
            func.min(a.published),
            func.max(a.published),
        )
        .select_from(_figures_in_series().join(schema.articles, a.id == i.article_id))
        .where(scope)
        .group_by(f.series)
    )
    columns = ("series", "points", "articles", "first_seen", "last_seen")
    conn.execute(schema.series_summaries.insert().from_select(columns, counts))
    names: set[tuple[str, str]] = set()  # a measure key may be its measure span too
    for name in (f.measure_key, f.measure_text, f.holder_name):
        named = select(f.series, name).select_from(_figures_in_series())
        found = conn.execute(named.where(scope, name.is_not(None)))
        names.update((str(s), str(n)) for s, n in found)
    if names:
        rows = [{"series": s, "name": n} for s, n in sorted(names)]
        conn.execute(schema.series_names.insert(), rows)


def _in_series(where: ColumnElement[bool]) -> ColumnElement[bool]:
    """`where` on the figures of claim items that are in a series."""
    i, f = schema.claim_items.c, schema.figures.c
    return (i.figure_id != "") & f.series.is_not(None) & where


def named_series(words: Sequence[str]) -> Select[Any]:
    """The keys of the series one of whose names holds one of `words`, in any case."""
    n = schema.series_names.c
    return select(n.series).where(or_(*(n.name.ilike(f"%{w}%") for w in words))).distinct()


def series_rows(
    conn: Connection, words: Sequence[str] | None, limit: int
) -> list[tuple[str, int, int, str | None, str | None]]:
    """(series key, points, articles, first and last publication date) of the series
    with most points (those named with one of `words`, when given), most first."""
    s = schema.series_summaries.c
    query = select(s.series, s.points, s.articles, s.first_seen, s.last_seen)
    if words is not None:
        query = query.where(s.series.in_(named_series(words)))
    query = query.order_by(s.points.desc(), s.series).limit(limit)
    return [(str(r[0]), int(r[1]), int(r[2]), r[3], r[4]) for r in conn.execute(query)]
