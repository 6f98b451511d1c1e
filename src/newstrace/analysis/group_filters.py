"""Narrowing and ordering claim groups for a listing: by the stance of a member, by a
figure series of a member, largest first or newest first."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from newstrace.analysis.groups import ClaimGroup

GROUP_SORTS = ("size", "date")
G = TypeVar("G")


@dataclass(frozen=True)
class GroupFilter:
    """`stance`: a member has it (deny: the groups somebody denies); `series`: text in a
    member's figure series key ("troops"); `sort`: size (most items first, as stored) or
    date (last seen, newest first)."""

    stance: str | None = None
    series: str | None = None
    sort: str = "size"

    @property
    def narrows(self) -> bool:
        """Does it change what a plain largest-first listing shows?"""
        return bool(self.stance or self.series or self.sort != "size")

    def keeps(self, group: ClaimGroup) -> bool:
        """Does `group` pass every filter that is set?"""
        series = (self.series or "").lower()
        return (not self.stance or any(m.stance == self.stance for m in group.members)) and (
            not series or any(series in (m.series or "").lower() for m in group.members)
        )


def select_groups(
    found: Iterable[G], wanted: GroupFilter, group_of: Callable[[G], ClaimGroup]
) -> list[G]:
    """The groups (or views of groups: `group_of` gives the group) that `wanted` keeps,
    in its order."""
    kept = [g for g in found if wanted.keeps(group_of(g))]
    if wanted.sort == "date":
        kept.sort(key=lambda g: group_of(g).last_seen or "", reverse=True)
    return kept
