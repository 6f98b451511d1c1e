"""Claim groups (one proposition across articles) for the ledger: a page of the largest,
one group, and the group of each claim on a ledger page, each read from the database
for the groups shown alone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newstrace.analysis.groups import ClaimGroup, group_listing, groups_by_id
from newstrace.store import Store
from newstrace.store import analysis_queries as q
from newstrace.store.filters import Page
from newstrace.store.group_summaries import group_stances
from newstrace.store.items import GroupQuery


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


def group_views(
    store: Store, query: GroupQuery, limit: int | None, offset: int = 0
) -> Page[GroupView]:
    """One page of the groups `query` keeps (chosen and counted in the database)."""
    found = group_listing(store, query, limit, offset)
    return Page([view(g) for g in found.items], found.total, limit, offset)


def stance_counts(store: Store, query: GroupQuery) -> dict[str, int]:
    """How many of the groups `query` keeps have a member of each stance."""
    with store.reading() as conn:
        return group_stances(conn, query)


def group(store: Store, group_id: str) -> GroupView | None:
    """One group with its members, or None."""
    with store.reading() as conn:
        found = groups_by_id(conn, [group_id])
    return view(found[0]) if found else None


def shared_groups(
    store: Store, claims: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], GroupView]:
    """(article id, claim id) -> the group of that claim (its first item's), for the
    claims whose group is stated in more than one place."""
    keys = list(dict.fromkeys(claims))
    if not keys:
        return {}
    with store.reading() as conn:
        of_claim = q.claim_groups(conn, keys)
        found = {g.id: view(g) for g in groups_by_id(conn, sorted(set(of_claim.values())))}
    return {k: found[g] for k, g in of_claim.items() if g in found and found[g].items > 1}
