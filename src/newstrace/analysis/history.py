"""Figure tracking and timelines: reported values and dated claims over time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_

from newstrace.analysis.groups import Member, load_members
from newstrace.analysis.text import unit_key
from newstrace.store import Store, schema
from newstrace.store import analysis_queries as q


@dataclass(frozen=True)
class FigurePoint:
    """One reported value: when, by whom, and whether it repeats an earlier report."""

    member: Member
    first_report: bool

    @property
    def source(self) -> str:
        m = self.member
        if m.chain:
            return " > ".join(m.chain)
        return m.speaker or f"{m.outlet_key} (unattributed)"

    @property
    def source_type(self) -> str:
        """ "chain", "named", "anonymous" or "unattributed": one plot series each."""
        m = self.member
        if m.chain:
            return "chain"
        if m.source_key:
            return "named"
        return "anonymous" if m.speaker else "unattributed"

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.member.to_dict(),
            "source": self.source,
            "source_type": self.source_type,
            "first_report": self.first_report,
            "group_id": self.member.group_id,
        }


def _about_condition(about: str) -> Any:
    i, c, f = schema.claim_items.c, schema.claims.c, schema.figures.c
    terms = [t.strip() for t in about.split("|") if t.strip()]
    conditions = []
    for term in terms:
        unit = unit_key(term)
        unitless = and_(i.unit.is_(None), c.content.ilike(f"%{term}%"))
        conditions += [unitless, f.unit.ilike(f"%{term}%")]
        if unit:
            conditions.append(i.unit == unit)
    return or_(*conditions)


def figure_history(store: Store, about: str, first_only: bool = False) -> list[FigurePoint]:
    """Values reported about `about` ("troops", or several terms: "troops|soldiers"),
    matched on the counted unit (or, for figures without one, the claim's wording), in
    the order they were published; `first_report` is false for repeats of an earlier
    report of the same group."""
    i = schema.claim_items.c
    with store.engine.connect() as conn:
        members = load_members(conn, and_(i.figure_id != "", _about_condition(about)))
    members.sort(key=lambda m: (m.published or "", m.event_date or ""))
    seen: set[str] = set()
    points = []
    for m in members:
        first = m.group_id not in seen
        seen.add(m.group_id)
        if first or not first_only:
            points.append(FigurePoint(m, first))
    return points


def timeline(store: Store, about: str | None = None, entity_id: str | None = None) -> list[Member]:
    """Claims about a topic or an entity, ordered by the date of what happened
    (the claim's normalised time), falling back to the publication date."""
    i, c, lk = schema.claim_items.c, schema.claims.c, schema.entity_links.c
    conditions: list[Any] = [i.claim_id != ""]
    if about:
        conditions.append(c.content.ilike(f"%{about}%"))
    with store.engine.connect() as conn:
        if entity_id:
            conditions.append(or_(lk.canonical_id == entity_id, lk.actor_id == entity_id))
        members = load_members(conn, and_(*conditions))
        if entity_id:
            members += _mentioning(store, entity_id)
    unique = {(m.article_id, m.claim_id): m for m in members}
    return sorted(unique.values(), key=lambda m: (m.event_date or "9999", m.published or ""))


def _mentioning(store: Store, entity_id: str) -> list[Member]:
    """Claims whose content mentions the entity."""
    i = schema.claim_items.c
    with store.engine.connect() as conn:
        spans = q.entity_mentions(conn, entity_id)
        if not spans:
            return []
        members = load_members(conn, and_(i.claim_id != "", i.article_id.in_(list(spans))))
    return [m for m in members if _overlaps(m, spans.get(m.article_id, ()))]


def _overlaps(m: Member, spans: Sequence[tuple[int, int]]) -> bool:
    start, end = m.content_start or 0, m.content_end or 0
    return any(s < end and e > start for s, e in spans)
