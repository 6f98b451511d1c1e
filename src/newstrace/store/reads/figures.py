"""Figures across articles: which quantities are counted (the analysis' normalised units)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from newstrace.store import Store, schema


@dataclass(frozen=True)
class UnitCount:
    """A counted unit ("troop") and how many reported figures count it."""

    unit: str
    figures: int
    articles: int


def units(store: Store, limit: int = 100) -> list[UnitCount]:
    """Units by how many figures count them."""
    i = schema.claim_items.c
    n = func.count().label("n")
    query = (
        select(i.unit, n, func.count(i.article_id.distinct()).label("arts"))
        .where(i.unit.is_not(None), i.figure_id != "", i.value.is_not(None))
        .group_by(i.unit)
        .order_by(n.desc(), i.unit)
        .limit(limit)
    )
    with store.reading() as conn:
        return [UnitCount(str(r.unit), int(r.n), int(r.arts)) for r in conn.execute(query)]
