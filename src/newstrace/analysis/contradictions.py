"""Contradictions: where sources disagree about one proposition.

Three kinds, each listing both sides with evidence spans:

- ``denial``: a proposition asserted by one source is denied or disputed by another,
  either inside one claim group, or through a deny/dispute claim whose content only
  refers back ("denied the report", "disputed the claim"); such a claim is linked to the
  claim of the same article it most plausibly refers to: the preceding claim by another
  speaker sharing most word stems with the reference, preferring claims with figures,
  then the nearest.
- ``retraction``: the source of an assertion later denies it.
- ``figure``: different, non-overlapping figures, each given by a claim (attributed), for
  the same counted unit, worded alike (three shared words besides the unit, token-set
  similarity >= 75), from different sources, dated within `FIGURE_WINDOW_DAYS` of each
  other (the date of what happened, else publication).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Connection, select

from newstrace.analysis.groups import Member, groups_by_id, load_members, name_words
from newstrace.analysis.text import content_words
from newstrace.store import Store, schema

NEGATIVE = ("deny", "dispute")
FIGURE_WINDOW_DAYS = 7
REFERENCE_WORDS = 4
REFERENCE_NOUNS = frozenset(
    [
        "report",
        "reports",
        "claim",
        "claims",
        "figure",
        "figures",
        "estimate",
        "estimates",
        "account",
        "accounts",
        "finding",
        "findings",
        "remark",
        "remarks",
        "statement",
        "statements",
        "allegation",
        "allegations",
        "accusation",
        "accusations",
        "view",
        "views",
        "plan",
        "plans",
        "assessment",
        "story",
        "stories",
        "number",
        "numbers",
        "comment",
        "comments",
        "charge",
        "charges",
        "suggestion",
        "assertion",
        "assertions",
        "characterization",
        "reporting",
        "version",
        "idea",
        "conclusion",
        "conclusions",
        "data",
        "count",
    ]
)
APPROXIMATE = 0.1


@dataclass(frozen=True)
class Contradiction:
    """Two sides that cannot both be right."""

    kind: str
    group_id: str
    asserted: tuple[Member, ...]
    disputed_by: tuple[Member, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "group_id": self.group_id,
            "side_a": [m.to_dict() for m in self.asserted],
            "side_b": [m.to_dict() for m in self.disputed_by],
        }


def find_contradictions(store: Store) -> list[Contradiction]:
    """Every contradiction in the store: denials, retractions and figure disagreements."""
    with store.engine.connect() as conn:
        found = _group_denials(conn)
        found += _reference_denials(conn)
        found += figure_disagreements(load_members(conn, schema.claim_items.c.unit.is_not(None)))
    return found


def _key(m: Member) -> str:
    return m.source_key or "root:" + m.root


def _group_denials(conn: Connection) -> list[Contradiction]:
    i, c = schema.claim_items.c, schema.claims.c
    query = (
        select(i.group_id)
        .join(schema.claims, (c.article_id == i.article_id) & (c.id == i.claim_id))
        .where(c.stance.in_(NEGATIVE))
        .distinct()
    )
    found = []
    for group in groups_by_id(conn, sorted(r[0] for r in conn.execute(query))):
        asserted = [m for m in group.members if m.stance == "assert"]
        negative = [m for m in group.members if m.stance in NEGATIVE]
        found.extend(_sides(group.id, asserted, negative))
    return found


def _sides(group_id: str, asserted: list[Member], negative: list[Member]) -> list[Contradiction]:
    keys = {_key(m) for m in asserted}
    others = [m for m in negative if _key(m) not in keys]
    own = [
        m
        for m in negative
        if _key(m) in keys
        and any(_key(a) == _key(m) and (a.published or "") < (m.published or "") for a in asserted)
    ]
    found = []
    if asserted and others:
        found.append(Contradiction("denial", group_id, tuple(asserted), tuple(others)))
    if own:
        found.append(Contradiction("retraction", group_id, tuple(asserted), tuple(own)))
    return found


def _stems(text: str) -> set[str]:
    return {w[:5] for w in content_words(text)}


def is_reference(member: Member) -> bool:
    """Is this claim's content only a pointer ("the report", "Varga's remarks")?"""
    found = content_words(member.content or "")
    return 0 < len(found) <= REFERENCE_WORDS and found[-1] in REFERENCE_NOUNS


def _same_side(a: Member, b: Member) -> bool:
    """Do two speakers share a name ("Karsk City" and "Karsk's foreign ministry")?"""
    if a.actor_id and a.actor_id == b.actor_id:
        return True
    return bool(name_words(a.speaker or "") & name_words(b.speaker or ""))


def referent(denial: Member, claims: Sequence[Member]) -> Member | None:
    """The claim of the same article that a referring denial most plausibly targets."""
    wanted = _stems(denial.content or "")
    earlier = [
        m
        for m in claims
        if m.claim_id
        and (m.content_start or 0) < (denial.content_start or 0)
        and m.stance not in NEGATIVE
        and _key(m) != _key(denial)
        and not _same_side(m, denial)
    ]

    def score(m: Member) -> tuple[int, int, int]:
        said = f"{m.speaker or ''} {m.cue or ''} {m.content or ''} {' '.join(m.chain)}"
        return (len(wanted & _stems(said)), int(bool(m.figure_id)), m.content_start or 0)

    return max(earlier, key=score, default=None)


def _reference_denials(conn: Connection) -> list[Contradiction]:
    i, c = schema.claim_items.c, schema.claims.c
    negatives = [m for m in load_members(conn, c.stance.in_(NEGATIVE)) if is_reference(m)]
    by_article: dict[str, list[Member]] = {}
    found = []
    done: set[tuple[str, str]] = set()
    for denial in negatives:
        if denial.article_id not in by_article:
            by_article[denial.article_id] = load_members(conn, i.article_id == denial.article_id)
        target = referent(denial, by_article[denial.article_id])
        if target is None or (target.group_id, denial.root) in done:
            continue
        done.add((target.group_id, denial.root))
        group = groups_by_id(conn, [target.group_id])[0]
        asserted = tuple(m for m in group.members if m.stance == "assert")
        found.append(Contradiction("denial", group.id, asserted or (target,), (denial,)))
    return found


def _bounds(m: Member) -> tuple[float, float] | None:
    low = m.low if m.low is not None else m.value
    high = m.high if m.high is not None else m.value
    if low is None or high is None:
        return None
    if m.qualifier and m.qualifier.lower() in ("about", "around", "approximately", "roughly"):
        return (low * (1 - APPROXIMATE), high * (1 + APPROXIMATE))
    return (low, high)


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat((value + "-01-01")[:10] if len(value) < 10 else value[:10])
    except ValueError:
        return None


def _disagree(a: Member, b: Member) -> bool:
    ba, bb = _bounds(a), _bounds(b)
    if ba is None or bb is None or a.group_id == b.group_id or _key(a) == _key(b):
        return False
    if a.root == b.root and a.article_id != b.article_id:
        return False
    if ba[1] >= bb[0] and bb[1] >= ba[0]:
        return False
    shared = set(content_words(a.words)) & set(content_words(b.words)) - {a.unit, f"{a.unit}s"}
    return len(shared) >= 3 and fuzz.token_set_ratio(a.words, b.words) >= 75


def figure_disagreements(members: Iterable[Member]) -> list[Contradiction]:
    """Pairs of figure groups that disagree (see the module docstring)."""
    by_unit: dict[str, list[tuple[dt.date, Member]]] = {}
    for m in members:
        day = _day(m.event_date)
        if m.unit and day is not None and m.figure_id and m.claim_id:
            by_unit.setdefault(m.unit, []).append((day, m))
    found: dict[tuple[str, str], Contradiction] = {}
    window = dt.timedelta(days=FIGURE_WINDOW_DAYS)
    for dated in by_unit.values():
        dated.sort(key=lambda pair: pair[0])
        for n, (day, a) in enumerate(dated):
            for later_day, b in dated[n + 1 :]:
                if later_day - day > window:
                    break
                pair = (min(a.group_id, b.group_id), max(a.group_id, b.group_id))
                if pair not in found and _disagree(a, b):
                    found[pair] = Contradiction("figure", a.group_id, (a,), (b,))
    return list(found.values())
