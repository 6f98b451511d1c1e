"""Claim groups with their corroboration counts: outlets, original sources, first and
last seen.

Independent outlets are counted by web domain (the outlet name when there is no URL).
Original sources collapse (a) syndicated copies — articles linked by `duplicate_of` are
one source — and (b) members credited to the same named source or the same source
chain; a member credited to nobody in particular ("the official", "it") counts only as
its own article's copy group.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newstrace.analysis.matching import outlet_key, outlet_label
from newstrace.analysis.text import STOPWORDS, name_key, words
from newstrace.store import Store, Transaction, group_summaries
from newstrace.store import analysis_queries as q
from newstrace.store.filters import Page
from newstrace.store.items import GroupQuery, ItemFilter, item_rows

GENERIC_SPEAKERS = frozenset(
    [
        "official",
        "officials",
        "source",
        "sources",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "police",
        "authorities",
        "experts",
        "analysts",
        "critics",
        "residents",
        "witnesses",
        "reports",
        "report",
        "media",
        "statement",
        "ministry",
        "agency",
        "government",
        "people",
        "observers",
        "diplomats",
        "aides",
    ]
)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Member:
    """One item of a group, with what is needed to count and show it."""

    article_id: str
    claim_id: str
    figure_id: str
    group_id: str
    outlet: str | None
    url: str | None
    published: str | None
    root: str
    speaker: str | None
    actor_id: str | None
    chain: tuple[str, ...]
    stance: str
    hedged: bool
    content: str | None
    content_start: int | None
    content_end: int | None
    words: str
    unit: str | None
    value: float | None
    low: float | None
    high: float | None
    qualifier: str | None
    figure_text: str | None
    figure_start: int | None
    figure_end: int | None
    times: tuple[str, ...] = ()
    cue: str | None = None
    series: str | None = None
    as_of: str | None = None  # the normalised time the figure describes
    kind: tuple[str, ...] = ()
    predicate: str | None = None
    holder: str | None = None
    measure: str | None = None  # the counted noun phrase as written
    actor_name: str | None = None

    @property
    def outlet_key(self) -> str:
        """One name per outlet: the web domain, else the outlet name, else the copy group."""
        return outlet_key(self.url, self.outlet, self.root)

    @property
    def outlet_shown(self) -> str:
        """The outlet as a reader sees it: the key, or "(no outlet)" for none."""
        return outlet_label(self.outlet_key)

    @property
    def source_key(self) -> str | None:
        """A key shared by members credited to the same source; None when anonymous."""
        if self.chain:
            return "chain:" + " > ".join(name_key(c) for c in self.chain)
        if self.actor_id:
            return "actor:" + self.actor_id
        if self.speaker and _is_named(self.speaker):
            return "speaker:" + name_key(self.speaker)
        return None

    @property
    def event_date(self) -> str | None:
        """The normalised date of what happened: the claim's first dated time, else the
        publication date."""
        dated = sorted(t for t in self.times if _DATE.match(t))
        return dated[0] if dated else self.published

    def evidence(self) -> list[dict[str, Any]]:
        """Spans in the article that support this member (content and figure)."""
        spans = []
        if self.content is not None:
            spans.append(_span(self.article_id, self.content_start, self.content_end, self.content))
        if self.figure_text is not None:
            spans.append(
                _span(self.article_id, self.figure_start, self.figure_end, self.figure_text)
            )
        return spans

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "claim_id": self.claim_id or None,
            "figure_id": self.figure_id or None,
            "published": self.published,
            "date": self.event_date,
            "outlet": self.outlet_key,
            "speaker": self.speaker,
            "source_chain": list(self.chain),
            "stance": self.stance,
            "hedged": self.hedged,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "qualifier": self.qualifier,
            "unit": self.unit,
            "evidence": self.evidence(),
        }


def _span(article_id: str, start: int | None, end: int | None, text: str) -> dict[str, Any]:
    return {"article_id": article_id, "start": start, "end": end, "text": text}


def name_words(speaker: str) -> set[str]:
    """The folded capitalised words that name someone in a speaker ("Officials in Valdor"
    -> {"valdor"}; "the official", "It" -> empty)."""
    raw = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", speaker)
    folded = words(speaker)
    return {
        f
        for w, f in zip(raw, folded, strict=False)
        if w[:1].isupper() and f not in STOPWORDS and f not in GENERIC_SPEAKERS
    }


def _is_named(speaker: str) -> bool:
    return bool(name_words(speaker))


def member_from_row(row: Mapping[Any, Any], times: Mapping[tuple[str, str], str]) -> Member:
    """A `Member` from a row of `store.items.item_rows`."""
    time_ids = json.loads(row["time_ids"]) if row["time_ids"] else []
    chain = tuple(link["text"] for link in json.loads(row["source_chain"] or "[]"))
    aid = row["article_id"]
    actor = row["actor_id"]
    if actor and str(row["actor_key"] or "").startswith(f"n:{aid}:"):
        actor = None  # a generic name ("defence ministry") identifies no one across articles
    return Member(
        aid, row["claim_id"], row["figure_id"], row["group_id"], row["outlet"], row["url"],
        row["published"], row["duplicate_of"] or aid, row["speaker"], actor,
        chain, row["stance"] or "assert", bool(row["hedged"]), row["content"],
        row["content_start"], row["content_end"], row["words"], row["unit"], row["value"],
        row["low"], row["high"], row["qualifier"], row["figure_text"], row["figure_start"],
        row["figure_end"], tuple(times[(aid, t)] for t in time_ids if (aid, t) in times),
        row["cue"], row["series"] or _unit_series(row),
        times.get((aid, row["figure_as_of"] or "")),
        tuple(json.loads(row["figure_kind"])) if row["figure_kind"] else (),
        row["predicate"], row["holder_name"], row["measure_text"], row["actor_name"],
    )  # fmt: skip


def _unit_series(row: Mapping[Any, Any]) -> str | None:
    """A figure with a unit but no measure (stored before migration 6, or a record made
    without measures): the series of its unit alone, "|troops||total"."""
    if row["measure_text"] is None and row["unit"] and row["figure_id"]:
        return f"|{row['unit']}||total"
    return None


def load_members(conn: Transaction, items: ItemFilter) -> list[Member]:
    """Members of the claim items `items` selects, oldest first."""
    return members_of(conn, item_rows(conn, items))


def members_of(conn: Transaction, rows: Sequence[Mapping[Any, Any]]) -> list[Member]:
    """Members of rows of `store.items` (with the normalised times of their claims)."""
    times = q.time_values(conn, {r["article_id"] for r in rows})
    return [member_from_row(r, times) for r in rows]


def count_sources(members: Sequence[Member]) -> int:
    """Distinct original sources: union of copy groups and of shared source keys."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in members:
        node = find("root:" + m.root)
        if m.source_key:
            parent[node] = find(m.source_key)
    return len({find("root:" + m.root) for m in members})


@dataclass(frozen=True)
class ClaimGroup:
    """Claims (and figures) across articles that state one proposition."""

    id: str
    members: tuple[Member, ...] = field(default_factory=tuple)

    @property
    def articles(self) -> int:
        return len({m.article_id for m in self.members})

    @property
    def outlets(self) -> int:
        return len({m.outlet_key for m in self.members})

    @property
    def sources(self) -> int:
        return count_sources(self.members)

    @property
    def first_seen(self) -> str | None:
        return min((m.published for m in self.members if m.published), default=None)

    @property
    def last_seen(self) -> str | None:
        return max((m.published for m in self.members if m.published), default=None)

    @property
    def label(self) -> str:
        """The earliest member's wording; for a figure no claim holds, the number with
        what it counts ("691 delegates", not "691")."""
        first = self.members[0]
        if first.content:
            return first.content
        number = first.figure_text or ""
        if first.measure and first.measure.lower() not in number.lower():
            return f"{number} {first.measure}".strip()
        return number

    def to_dict(self) -> dict[str, Any]:
        return {
            "group_id": self.id,
            "label": self.label,
            "items": len(self.members),
            "articles": self.articles,
            "outlets": self.outlets,
            "sources": self.sources,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "members": [m.to_dict() for m in self.members],
        }


def groups_by_id(conn: Transaction, group_ids: Iterable[str]) -> list[ClaimGroup]:
    """The given groups, in the order given."""
    ids = list(group_ids)
    members = load_members(conn, ItemFilter(group_ids=tuple(ids)))
    by_group: dict[str, list[Member]] = {g: [] for g in ids}
    for m in members:
        by_group[m.group_id].append(m)
    return [ClaimGroup(g, tuple(by_group[g])) for g in ids if by_group[g]]


def largest_groups(
    store: Store, limit: int | None = 20, min_items: int = 2, entity_id: str | None = None
) -> list[ClaimGroup]:
    """Claim groups with at least `min_items` items, largest first; with `entity_id` (a
    cross-article entity), those where it speaks or that name it."""
    return group_listing(store, GroupQuery(min_items, entity=entity_id), limit).items


def group_listing(
    store: Store, query: GroupQuery, limit: int | None = 20, offset: int = 0
) -> Page[ClaimGroup]:
    """One page of the claim groups `query` keeps, in its order, with their members,
    and how many it keeps in all: chosen and counted in the database, so a page reads
    the members of its own groups only."""
    with store.reading() as conn:
        ids, total = group_summaries.group_page(conn, query, limit, offset)
        found = groups_by_id(conn, ids)
    return Page(found, total, limit, offset)
