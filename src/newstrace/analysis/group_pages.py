"""Claim groups (one proposition across articles) for the ledger: a page of the largest,
one group, and the group of each claim on a ledger page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, select, tuple_

from newstrace.analysis.groups import ClaimGroup, Member, groups_by_id, load_members
from newstrace.store import Store, schema


def _sizes(min_items: int, about: str | None) -> Select[tuple[str, int]]:
    i, c = schema.claim_items.c, schema.claims.c
    n = func.count().label("n")
    query = select(i.group_id, n).group_by(i.group_id).having(func.count() >= min_items)
    if about:
        joined = schema.claim_items.join(
            schema.claims, and_(c.article_id == i.article_id, c.id == i.claim_id)
        )
        matching = select(i.group_id).select_from(joined).where(c.content.ilike(f"%{about}%"))
        query = query.where(i.group_id.in_(matching.scalar_subquery()))
    return query


@dataclass(frozen=True)
class GroupView:
    """A claim group with its counts worked out once (they read every member)."""

    group: ClaimGroup
    articles: int
    outlets: int
    sources: int
    first_seen: str | None
    last_seen: str | None

    @property
    def id(self) -> str:
        return self.group.id

    @property
    def items(self) -> int:
        return len(self.group.members)

    @property
    def label(self) -> str:
        return self.group.label

    def to_dict(self, max_members: int | None = None) -> dict[str, Any]:
        """The group as JSON with (the first `max_members` of) its members."""
        members = self.group.members[:max_members]
        return {
            "group_id": self.id,
            "label": self.label,
            "items": self.items,
            "articles": self.articles,
            "outlets": self.outlets,
            "sources": self.sources,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "members_total": self.items,
            "members": [m.to_dict() for m in members],
        }


def view(found: ClaimGroup) -> GroupView:
    """Count a group's articles, outlets and original sources."""
    return GroupView(
        found, found.articles, found.outlets, found.sources, found.first_seen, found.last_seen
    )


def all_groups(store: Store) -> list[GroupView]:
    """Every group of two or more items with all its members, largest first: read in one
    pass (the analysis keeps it), since counting outlets and original sources needs
    every member."""
    i = schema.claim_items.c
    shared = _sizes(2, None).subquery()
    with store.engine.connect() as conn:
        members = load_members(conn, i.group_id.in_(select(shared.c.group_id)))
    by_group: dict[str, list[Member]] = {}
    for m in members:
        by_group.setdefault(m.group_id, []).append(m)
    found = [view(ClaimGroup(g, tuple(ms))) for g, ms in by_group.items()]
    found.sort(key=lambda g: (-g.items, g.id))
    return found


def matching_groups(store: Store, about: str) -> set[str]:
    """Ids of the groups with a claim worded with `about`."""
    i, c = schema.claim_items.c, schema.claims.c
    joined = schema.claim_items.join(
        schema.claims, and_(c.article_id == i.article_id, c.id == i.claim_id)
    )
    query = select(i.group_id).select_from(joined).where(c.content.ilike(f"%{about}%")).distinct()
    with store.engine.connect() as conn:
        return {str(r[0]) for r in conn.execute(query)}


def group(store: Store, group_id: str) -> GroupView | None:
    """One group with its members, or None."""
    with store.engine.connect() as conn:
        found = groups_by_id(conn, [group_id])
    return view(found[0]) if found else None


def groups_of(store: Store, claims: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(article id, claim id) -> the id of that claim's group (its first item's)."""
    keys = list(dict.fromkeys(claims))
    if not keys:
        return {}
    i = schema.claim_items.c
    query = (
        select(i.article_id, i.claim_id, func.min(i.group_id).label("g"))
        .where(tuple_(i.article_id, i.claim_id).in_(keys))
        .group_by(i.article_id, i.claim_id)
    )
    with store.engine.connect() as conn:
        return {(r.article_id, r.claim_id): str(r.g) for r in conn.execute(query)}
