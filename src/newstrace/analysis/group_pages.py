"""Claim groups (one proposition across articles) for the ledger: a page of the largest,
one group, and the group of each claim on a ledger page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newstrace.analysis.groups import ClaimGroup, Member, groups_by_id, load_members
from newstrace.store import Store
from newstrace.store import analysis_queries as q
from newstrace.store.items import ItemFilter


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
    with store.reading() as conn:
        members = load_members(conn, ItemFilter(shared_groups=True))
    by_group: dict[str, list[Member]] = {}
    for m in members:
        by_group.setdefault(m.group_id, []).append(m)
    found = [view(ClaimGroup(g, tuple(ms))) for g, ms in by_group.items()]
    found.sort(key=lambda g: (-g.items, g.id))
    return found


def matching_groups(store: Store, about: str) -> set[str]:
    """Ids of the groups with a claim worded with `about`."""
    with store.reading() as conn:
        return q.groups_worded(conn, about)


def group(store: Store, group_id: str) -> GroupView | None:
    """One group with its members, or None."""
    with store.reading() as conn:
        found = groups_by_id(conn, [group_id])
    return view(found[0]) if found else None


def groups_of(store: Store, claims: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(article id, claim id) -> the id of that claim's group (its first item's)."""
    keys = list(dict.fromkeys(claims))
    if not keys:
        return {}
    with store.reading() as conn:
        return q.claim_groups(conn, keys)
