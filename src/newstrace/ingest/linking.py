"""Linking near-duplicate copies to the earliest copy of their group.

Which copy came first is settled by the best evidence of first publication, never by
the format it arrived in: the publication dates compared at the granularity both have
(a date with a time against a date alone compares the days), then a wire credit (a copy
that credits the other's outlet in its byline, dateline or closing note ran the other's
story), then a canonical URL on the other's site, then the one stored first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cmp_to_key
from typing import Any
from urllib.parse import urlsplit

from newstrace.dedup import DuplicateIndex, Match
from newstrace.models import Article
from newstrace.store import CopyEvidence, Store
from newstrace.store.core import CREDIT_CHARS


@dataclass(frozen=True)
class Link:
    """The outcome for one article: whom it copies, and which others now copy it."""

    duplicate_of: str | None
    similarity: float | None
    relink: dict[str, str]


def link_copies(store: Store, index: DuplicateIndex, article: Article, sig: Any) -> Link:
    """Find the copy group of a new article (not stored yet) and decide which member
    came first (`first_published`). When the new article came before the group's current
    root, it becomes the root and every member is relinked to it."""
    article_id = article.id
    matches: list[Match] = index.matches(sig, exclude=article_id)
    if not matches:
        return Link(None, None, {})
    best = matches[0]
    info = store.copy_info([best.article_id])
    root = info[best.article_id][2] or best.article_id
    if root == article_id:  # the new version of a root that others copy
        return Link(None, None, {})
    stored = store.copy_evidence([root]).get(root)
    if stored is not None and before(_evidence(article), stored):
        members = [m for m in store.group_members(root) if m != article_id]
        relink = {member: article_id for member in [root, *members]}
        return Link(None, None, relink)
    return Link(root, round(best.similarity, 3), {})


def settle_group(store: Store, index: DuplicateIndex, article_id: str, sig: Any) -> None:
    """After indexing an article in a shared index, settle its group's earliest copy.

    Two processes storing two copies at the same moment may each miss the other when
    they look before linking; looking again after indexing, with a rule both apply
    alike (`first_published`), links them anyway.
    """
    matches = index.matches(sig, exclude=article_id)
    if not matches:
        return
    direct = store.copy_info([article_id, *(m.article_id for m in matches)])
    members = set(direct) | {dup or aid for aid, (_, _, dup) in direct.items()}
    for root in list(members):
        members.update(store.group_members(root))
    info = store.copy_info(sorted(members))
    earliest = first_published(list(store.copy_evidence(sorted(members)).values()))
    for member, (_, _, current) in info.items():
        wanted = None if member == earliest else earliest
        if current != wanted:
            store.set_duplicate_of(member, wanted)


def _evidence(article: Article) -> CopyEvidence:
    """The evidence of an article about to be stored (so stored after every other)."""
    text = article.text
    ends = f"{text[:CREDIT_CHARS]}\n{text[-CREDIT_CHARS:]}"
    return CopyEvidence(
        article.id,
        article.published,
        2**62,
        article.outlet,
        article.author,
        article.url,
        ends,
        article.outlet_name,
    )


def first_published(copies: list[CopyEvidence]) -> str:
    """The id of the copy that came first (see the module's docstring)."""
    return min(copies, key=cmp_to_key(_compare)).id


def before(a: CopyEvidence, b: CopyEvidence) -> bool:
    """Whether `a` came before `b`."""
    return _compare(a, b) < 0


def _compare(a: CopyEvidence, b: CopyEvidence) -> int:
    for found in (_by_date(a.published, b.published), _by_credit(a, b), _by_canonical(a, b)):
        if found:
            return found
    return -1 if (a.seq, a.id) < (b.seq, b.id) else 1


def _by_date(a: str | None, b: str | None) -> int:
    """-1 when `a` is earlier, 1 when later, 0 when one cannot tell: undated, or the same
    at the granularity both have ("2025-03-10" against "2025-03-10T16:05")."""
    if a is None or b is None:
        return (a is None) - (b is None)
    width = min(len(a), len(b)) if "T" in a and "T" in b else 10
    x, y = a[:width], b[:width]
    return (x > y) - (x < y)


def _by_credit(a: CopyEvidence, b: CopyEvidence) -> int:
    """1 when `a` credits `b`'s outlet (so ran its story), -1 the other way round."""
    return _credits(a, b) - _credits(b, a)


def _credits(copy: CopyEvidence, other: CopyEvidence) -> bool:
    """Whether `copy` names `other`'s outlet as the source of its story: in its author
    line, or in its opening or closing words (the outlet's name, or the initials of a
    name of several words in a dateline: "(VWS)")."""
    outlet = other.outlet_name or other.outlet
    if not outlet or copy.outlet == other.outlet:
        return False
    name = outlet.strip()
    if name.lower() in (copy.author or "").lower() or name in copy.ends:
        return True
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in ("the", "of", "and")]
    initials = "".join(w[0] for w in words).upper()
    return len(words) > 2 and f"({initials})" in copy.ends


def _by_canonical(a: CopyEvidence, b: CopyEvidence) -> int:
    """1 when `a`'s URL (its canonical URL) is on the site of `b`'s outlet but `a` is
    another outlet's (a scraped copy pointing at the original), -1 the other way round."""
    return _points_at(a, b) - _points_at(b, a)


def _points_at(copy: CopyEvidence, other: CopyEvidence) -> bool:
    """Whether `copy`'s URL is on the site of `other`'s outlet (a domain) and not its own."""
    host = _host(copy.url)
    own, theirs = (c.outlet.lower().removeprefix("www.") if c.outlet else "" for c in (copy, other))
    return bool(host) and host == _host(other.url) == theirs and own != host


def _host(url: str | None) -> str:
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.") if url else ""
    except ValueError:
        return ""
