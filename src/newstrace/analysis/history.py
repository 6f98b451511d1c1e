"""Figure tracking and timelines: reported values and dated claims over time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from newstrace.analysis.groups import Member, load_members, members_of
from newstrace.analysis.text import unit_key
from newstrace.models import series_label
from newstrace.store import Store
from newstrace.store import analysis_queries as q
from newstrace.store import items as store_items
from newstrace.store.filters import in_chunks
from newstrace.store.items import FigureTerm, ItemFilter
from newstrace.store.reads.entities import canonical

_PRONOUNS = frozenset(
    ["it", "its", "he", "she", "they", "we", "i", "you", "him", "her", "them", "us"]
)


@dataclass(frozen=True)
class FigurePoint:
    """One reported value: when, by whom, and whether it repeats an earlier report."""

    member: Member
    first_report: bool

    @property
    def source(self) -> str:
        """Who gives the figure, named: the source chain, else the speaker (a pronoun
        resolved to the actor it stands for), else the outlet."""
        m = self.member
        if m.chain:
            return " > ".join(m.chain)
        if m.speaker and m.speaker.strip().lower() in _PRONOUNS and m.actor_name:
            return m.actor_name
        return m.speaker or f"{m.outlet_shown} (unattributed)"

    @property
    def source_type(self) -> str:
        """ "chain", "named", "anonymous" or "unattributed": one plot series each."""
        m = self.member
        if m.chain:
            return "chain"
        if m.source_key:
            return "named"
        return "anonymous" if m.speaker else "unattributed"

    @property
    def series_label(self) -> str:
        """What the point's series counts ("karsk troops, deployed"), else its unit."""
        if self.member.series:
            return series_label(self.member.series)
        return self.member.unit or ""

    def to_dict(self) -> dict[str, Any]:
        m = self.member
        return {
            **m.to_dict(),
            "source": self.source,
            "source_type": self.source_type,
            "first_report": self.first_report,
            "group_id": m.group_id,
            "series": {"key": m.series, "label": self.series_label},
            "as_of": m.as_of,
            "kind": list(m.kind),
            "predicate": m.predicate,
            "holder": m.holder,
        }


def figure_terms(about: str) -> tuple[FigureTerm, ...]:
    """The terms of a figure search: figures whose series matches `about` by measure or
    holder names ("troops", "Karsk", several terms "troops|soldiers"); figures with no
    measure (stored before measures existed, or records made without them) by their
    unit or, stored before migration 6 without one, their claim's wording."""
    terms = [t.strip() for t in about.split("|") if t.strip()]
    return tuple(FigureTerm(term, unit_key(term) or None) for term in terms)


HISTORY_LIMIT = 1000
"""Default bound of `figure_history` and `timeline`: the most recent 1,000 points or
claims (on a large store, an unbounded history reads every matching claim item)."""


def figure_history(
    store: Store,
    about: str | None,
    first_only: bool = False,
    limit: int | None = HISTORY_LIMIT,
    entity_id: str | None = None,
    series: str | None = None,
) -> list[FigurePoint]:
    """Values reported about `about` ("troops", or several terms: "troops|soldiers"),
    matched on the counted unit (or, for figures without one, the claim's wording), in
    the order they were published; `first_report` is false for repeats of an earlier
    report of the same group (earlier in the whole history, not only in what is shown).
    With `entity_id` (a cross-article entity), the figures it holds, gives, or whose
    claim names it (and match `about`, if given). With `series` (a series key), the
    points of that series only.

    `limit` keeps the most recent `limit` points (by publication date, then date of
    what happened), chosen in the database; None reads the whole history."""
    terms = figure_terms(about) if about else None
    where = ItemFilter(
        figures_only=True,
        figure_terms=terms,
        any_of=entity_filters(store, entity_id),
        series=series,
    )
    if limit is not None:
        return _latest_figures(store, where, first_only, limit)
    with store.reading() as conn:
        members = load_members(conn, where)
    members.sort(key=_published_order)
    return _points(members, set(), first_only)


def entity_filters(store: Store, entity_id: str | None) -> tuple[ItemFilter, ...]:
    """The claim items of an entity, one of which must hold: it speaks, its claim names
    it, or it holds the figure (by its name or an alias); none without `entity_id`."""
    if not entity_id:
        return ()
    found = canonical(store, entity_id)
    names = (found.name, *found.aliases) if found else ()
    return (
        ItemFilter(speaker_entity=entity_id),
        ItemFilter(mentions_entity=entity_id),
        ItemFilter(holder_names=names),
    )


def _points(members: Sequence[Member], seen: set[str], first_only: bool) -> list[FigurePoint]:
    """Points in publication order; a point repeats an earlier report when its group was
    seen before (`seen` holds the groups published before `members`), or when an earlier
    point of its series gives the same value with the same last source ("two senior
    officials told the Valdoria Wire Service last week ... as many as 6,000" after "the
    Valdoria Wire Service > two senior officials: as many as 6,000")."""
    reported: set[tuple[str, str, tuple[float | None, ...]]] = set()
    points = []
    for m in members:
        report = _report_key(m)
        first = m.group_id not in seen and (report is None or report not in reported)
        seen.add(m.group_id)
        if report is not None:
            reported.add(report)
        if first or not first_only:
            points.append(FigurePoint(m, first))
    return points


def _report_key(m: Member) -> tuple[str, str, tuple[float | None, ...]] | None:
    """(series, last named source, bounds) of a point, None when it names no source.
    A speaker is known by its cross-article entity when it has one, so "Valdoria's
    National Intelligence Directorate" repeating the "nearly 4,500" of "the National
    Intelligence Directorate" four days later is a repeat, however it is worded."""
    source = m.chain[-1] if m.chain else m.speaker
    if not m.series or not source or source.strip().lower() in _PRONOUNS:
        return None
    who = f"entity:{m.actor_id}" if m.actor_id and not m.chain else source.strip().lower()
    return (m.series, who, (m.value, m.low, m.high))


def _published_order(m: Member) -> tuple[str, str]:
    return (m.published or "", m.event_date or "")


def _latest_figures(
    store: Store, where: ItemFilter, first_only: bool, limit: int
) -> list[FigurePoint]:
    """The last `limit` points of the history, reading only the items published on or
    after the date of the `limit`-th latest (of the `limit`-th latest first report,
    with `first_only`): the order and `first_report` are those of the whole history."""
    if limit <= 0:
        return []
    seen: set[str] = set()
    with store.reading() as conn:
        few = store_items.few_figure_articles(conn, where)
        if few is not None:  # read in full: the order and first reports of the history
            members = load_members(conn, replace(where, article_ids=few))
            members.sort(key=_published_order)
            return _points(members, seen, first_only)[-limit:]
        if first_only:
            members = members_of(conn, store_items.latest_first_reports(conn, where, limit))
        else:
            since = store_items.nth_latest_published(conn, where, limit)
            recent = where if since is None else replace(where, published_since=since)
            members = load_members(conn, recent)
            if since is not None:
                groups = {m.group_id for m in members}
                seen = store_items.groups_published_before(conn, where, groups, since)
    members.sort(key=_published_order)
    return _points(members, seen, first_only)[-limit:]


def timeline(
    store: Store,
    about: str | None = None,
    entity_id: str | None = None,
    limit: int | None = HISTORY_LIMIT,
) -> list[Member]:
    """Claims about a topic or an entity, ordered by the date of what happened
    (the claim's normalised time), falling back to the publication date.

    With `entity_id`, claims whose speaker is that entity (and whose content contains
    `about`, if given) and claims whose content mentions it. `limit` keeps the `limit`
    claims whose date of what happened is the most recent, chosen in the database; None
    reads them all."""
    where = ItemFilter(claims_only=True, content=about or None)
    if limit is not None:
        return _latest_timeline(store, where, entity_id, limit)
    with store.reading() as conn:
        members = load_members(conn, replace(where, speaker_entity=entity_id or None))
        if entity_id:
            members += _mentioning(store, entity_id)
    unique = {(m.article_id, m.claim_id): m for m in members}
    return sorted(unique.values(), key=_event_order)


def _event_order(m: Member) -> tuple[str, str]:
    return (m.event_date or "9999", m.published or "")


def _latest_timeline(
    store: Store, where: ItemFilter, entity_id: str | None, limit: int
) -> list[Member]:
    first: ItemFilter | None = None
    if entity_id:
        # the speaker is the entity (and the content has `about`), or the content
        # mentions it (whatever its wording): the speaker's claims come first on a tie
        first = replace(where, speaker_entity=entity_id)
        mentioned = ItemFilter(claims_only=True, mentions_entity=entity_id)
        where = ItemFilter(any_of=(first, mentioned))
    members: list[Member] = []
    with store.reading() as conn:
        keys = store_items.latest_claims(conn, where, limit, first)
        keys.reverse()  # oldest first: chunk after chunk, the order of `item_rows`
        for chunk in in_chunks(keys, columns=2):
            pairs = tuple((a, c) for a, c, _ in chunk)
            members += load_members(conn, ItemFilter(claims_only=True, claims=pairs))
    ahead = {(a, c) for a, c, flag in keys if flag}
    members.sort(key=lambda m: (m.article_id, m.claim_id) not in ahead)  # stable
    unique = {(m.article_id, m.claim_id): m for m in members}
    return sorted(unique.values(), key=_event_order)


def _mentioning(store: Store, entity_id: str) -> list[Member]:
    """Claims whose content mentions the entity."""
    with store.reading() as conn:
        spans = q.entity_mentions(conn, entity_id)
        if not spans:
            return []
        members = load_members(conn, ItemFilter(claims_only=True, article_ids=tuple(spans)))
    return [m for m in members if _overlaps(m, spans.get(m.article_id, ()))]


def _overlaps(m: Member, spans: Sequence[tuple[int, int]]) -> bool:
    start, end = m.content_start or 0, m.content_end or 0
    return any(s < end and e > start for s, e in spans)
