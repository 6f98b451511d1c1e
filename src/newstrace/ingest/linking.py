"""Linking near-duplicate copies to the earliest copy of their group."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newstrace.dedup import DuplicateIndex, Match
from newstrace.store import Store

_NO_DATE = "9999-99-99"


@dataclass(frozen=True)
class Link:
    """The outcome for one article: whom it copies, and which others now copy it."""

    duplicate_of: str | None
    similarity: float | None
    relink: dict[str, str]


def link_copies(
    store: Store, index: DuplicateIndex, article_id: str, published: str | None, sig: Any
) -> Link:
    """Find the copy group of a new article and decide which member is the earliest.

    The earliest copy is the one with the earliest publication date (undated last),
    ties going to the one stored first. When the new article is earlier than the group's
    current root, it becomes the root and every member is relinked to it.
    """
    matches: list[Match] = index.matches(sig, exclude=article_id)
    if not matches:
        return Link(None, None, {})
    best = matches[0]
    info = store.copy_info([best.article_id])
    root = info[best.article_id][2] or best.article_id
    if root == article_id:  # the new version of a root that others copy
        return Link(None, None, {})
    root_info = store.copy_info([root]).get(root)
    root_date = (root_info[0] if root_info else None) or _NO_DATE
    if (published or _NO_DATE) < root_date:
        members = [m for m in store.group_members(root) if m != article_id]
        relink = {member: article_id for member in [root, *members]}
        return Link(None, None, relink)
    return Link(root, round(best.similarity, 3), {})


def settle_group(store: Store, index: DuplicateIndex, article_id: str, sig: Any) -> None:
    """After indexing an article in a shared index, settle its group's earliest copy.

    Two processes storing two copies at the same moment may each miss the other when
    they look before linking; looking again after indexing, with a rule both apply
    alike (earliest publication date, then first stored, then id), links them anyway.
    """
    matches = index.matches(sig, exclude=article_id)
    if not matches:
        return
    direct = store.copy_info([article_id, *(m.article_id for m in matches)])
    members = set(direct) | {dup or aid for aid, (_, _, dup) in direct.items()}
    for root in list(members):
        members.update(store.group_members(root))
    info = store.copy_info(sorted(members))
    earliest = min(info, key=lambda i: (info[i][0] or _NO_DATE, info[i][1], i))
    for member, (_, _, current) in info.items():
        wanted = None if member == earliest else earliest
        if current != wanted:
            store.set_duplicate_of(member, wanted)
