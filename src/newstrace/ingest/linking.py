"""Linking near-duplicate copies to the earliest copy of their group."""

from __future__ import annotations

from dataclasses import dataclass

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
    store: Store, index: DuplicateIndex, article_id: str, published: str | None, sig: object
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
