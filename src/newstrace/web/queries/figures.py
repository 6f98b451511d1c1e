"""Figures across articles: which quantities are counted, and the history of one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from newstrace.models import Claim, Figure
from newstrace.store import Store, schema
from newstrace.store.records import claim_from_row, figure_from_row

MAX_POINTS = 500


@dataclass(frozen=True)
class UnitCount:
    """A counted unit ("troops") and how many figures count it."""

    unit: str
    figures: int
    articles: int


@dataclass(frozen=True)
class FigurePoint:
    """One figure in one article, with the claim that carries it."""

    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    figure: Figure
    claim: Claim | None


def units(store: Store, limit: int = 100) -> list[UnitCount]:
    """Units by how many figures count them."""
    f = schema.figures.c
    n = func.count().label("n")
    query = (
        select(f.unit, n, func.count(func.distinct(f.article_id)).label("arts"))
        .where(f.unit.is_not(None), f.value.is_not(None))
        .group_by(f.unit)
        .order_by(n.desc(), f.unit)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return [UnitCount(str(r.unit), int(r.n), int(r.arts)) for r in conn.execute(query)]


def figure_history(
    store: Store, unit: str, limit: int = MAX_POINTS, offset: int = 0
) -> list[FigurePoint]:
    """Dated figures counting `unit`, oldest first."""
    f, a = schema.figures.c, schema.articles.c
    query = (
        select(schema.figures, a.title, a.outlet, a.published)
        .join(schema.articles, a.id == f.article_id)
        .where(f.unit == unit, f.value.is_not(None))
        .order_by(a.published, a.seq, f.start)
        .limit(max(1, min(limit, MAX_POINTS)))
        .offset(max(0, offset))
    )
    with store.engine.connect() as conn:
        rows = list(conn.execute(query))
        claims = _claims(conn, {r.article_id for r in rows})
    return [
        FigurePoint(
            r.article_id,
            r.title,
            r.outlet,
            r.published,
            figure_from_row(r._mapping),
            claims.get((r.article_id, r.claim_id)) if r.claim_id else None,
        )
        for r in rows
    ]


def _claims(conn: Connection, article_ids: set[str]) -> dict[tuple[str, str], Claim]:
    c = schema.claims.c
    query = select(schema.claims).where(c.article_id.in_(sorted(article_ids)))
    return {(r.article_id, r.id): claim_from_row(r._mapping) for r in conn.execute(query)}
