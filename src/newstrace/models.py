"""Records that stages hand to each other: frozen dataclasses, never raw dicts.

`Record.to_dict()` produces the public extraction record described in
`shared/contract/extraction.md`; its required keys are a public interface.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

RawKind = Literal["text", "html"]
EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "OTHER"]
ClaimKind = Literal["direct_quote", "indirect", "according_to", "mixed"]
Stance = Literal["assert", "deny", "dispute", "unconfirmed"]
Granularity = Literal["day", "week", "month", "quarter", "season", "year", "decade", "unknown"]
EventType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]


@dataclass(frozen=True)
class RawDocument:
    """One document as a source read it, before cleaning.

    `locator` names where it came from precisely enough for an error message
    (``feed.xml#item3``, ``corpus.jsonl:12``, ``https://...``).
    """

    locator: str
    kind: RawKind
    content: str
    id: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class ReadFailure:
    """A document a source could not read; the batch goes on without it."""

    locator: str
    reason: str


@dataclass(frozen=True)
class Removed:
    """A piece of junk the cleaner took out of the raw input, and why."""

    text: str
    reason: str


@dataclass(frozen=True)
class CleanedDocument:
    """The result of cleaning one raw document: body text plus metadata found in it."""

    text: str
    title: str | None
    removed: tuple[Removed, ...] = ()
    url: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Article:
    """A cleaned article with its identity; `raw` keeps the input so cleaning can be redone."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = None
    removed: tuple[Removed, ...] = ()
    duplicate_of: str | None = None
    locator: str | None = None
    raw: str | None = None
    raw_kind: RawKind = "text"

    def to_dict(self) -> dict[str, Any]:
        """The `article` part of the extraction record."""
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "outlet": self.outlet,
            "published": self.published,
            "text": self.text,
            "removed": [{"text": r.text, "reason": r.reason} for r in self.removed],
            "duplicate_of": self.duplicate_of,
        }


@dataclass(frozen=True)
class Span:
    """A stretch of `article.text`: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Entity:
    """One actor or place within one article, with every mention resolved to it."""

    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    refers_to: str | None = None
    roles: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "refers_to": self.refers_to,
            "roles": list(self.roles),
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(frozen=True)
class Speaker:
    """The source of a claim as written; offsets are null when it is implicit."""

    text: str
    start: int | None = None
    end: int | None = None
    entity_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "entity_id": self.entity_id,
        }


@dataclass(frozen=True)
class ChainLink:
    """One step of a source chain, outermost first ("Reuters" -> "two U.S. officials")."""

    text: str
    entity_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "entity_id": self.entity_id}


@dataclass(frozen=True)
class Claim:
    """An attributed statement: who (speaker), how (cue), what (content), with what stance."""

    id: str
    kind: ClaimKind
    speaker: Speaker
    content: Span
    cue: Span | None = None
    source_chain: tuple[ChainLink, ...] = ()
    stance: Stance = "assert"
    hedged: bool = False
    figure_ids: tuple[str, ...] = ()
    time_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "speaker": self.speaker.to_dict(),
            "source_chain": [c.to_dict() for c in self.source_chain],
            "cue": self.cue.to_dict() if self.cue else None,
            "content": self.content.to_dict(),
            "stance": self.stance,
            "hedged": self.hedged,
            "figure_ids": list(self.figure_ids),
            "time_ids": list(self.time_ids),
        }


FigureFlag = Literal["total", "increment", "change", "projection", "poll", "cumulative", "rejected"]
FIGURE_FLAGS: tuple[str, ...] = get_args(FigureFlag)
PREDICATES: tuple[str, ...] = (
    "deployed", "present", "killed", "wounded", "killed-or-wounded", "captured",
    "withdrawn", "planned", "voted", "polled", "won", "spent", "lost", "left", "arrested",
    "fired",
)  # fmt: skip
"""What can happen to counted things (`Figure.predicate`); see docs/reference/record.md."""
SERIES_PREDICATES: dict[str, str] = {"present": "deployed"}
"""Predicates one figure series holds together: a force "present" near a town and one
"deployed" there are one deployment series."""


@dataclass(frozen=True)
class Measure:
    """What a figure counts: the counted noun phrase as written and its normalised key
    ("North Korean troops" -> key "troops", the holder going to `Figure.holder`)."""

    text: str
    start: int
    end: int
    key: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "key": self.key}


@dataclass(frozen=True)
class Figure:
    """A number in the text with its qualifier, bounds and counted unit, and what it
    counts: `measure`, whose (`holder`), where (`place`), what happened (`predicate`),
    what kind of figure it is (`kind` flags, `role` in a change, `pollster`) and the
    time it describes (`as_of`, a time id)."""

    id: str
    start: int
    end: int
    text: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None
    unit: str | None = None
    claim_id: str | None = None
    measure: Measure | None = None
    holder: str | None = None
    holder_name: str | None = None
    place: str | None = None
    predicate: str | None = None
    kind: tuple[str, ...] = ("total",)
    role: str | None = None
    pollster: ChainLink | None = None
    as_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": _number(self.value),
            "low": _number(self.low),
            "high": _number(self.high),
            "qualifier": self.qualifier,
            "unit": self.unit,
            "claim_id": self.claim_id,
            "measure": self.measure.to_dict() if self.measure else None,
            "holder": self.holder,
            "holder_name": self.holder_name,
            "place": self.place,
            "predicate": self.predicate,
            "kind": list(self.kind),
            "role": self.role,
            "pollster": self.pollster.to_dict() if self.pollster else None,
            "as_of": self.as_of,
        }

    def series_key(self) -> str | None:
        """The series this figure is a point of: ``holder|measure|predicate|part`` (the
        predicate as `SERIES_PREDICATES` joins them; part ``total``, ``increment`` or
        ``projection``), or for a poll ``poll:pollster|holder|measure``. None for a
        figure no series holds: no measure, repeated inside a denial, or the earlier
        value of a change ("up from 3,000")."""
        if self.measure is None or "rejected" in self.kind or self.role == "previous":
            return None
        holder = _fold(self.holder_name)
        if "poll" in self.kind and self.unit == "percent":
            pollster = _fold(self.pollster.text if self.pollster else None)
            return f"poll:{pollster}|{holder}|{self.measure.key}"
        predicate = SERIES_PREDICATES.get(self.predicate or "", self.predicate or "")
        part = "total"
        if "projection" in self.kind:
            part = "projection"
        elif "increment" in self.kind:
            part = "increment"
        return f"{holder}|{self.measure.key}|{predicate}|{part}"


def _fold(name: str | None) -> str:
    """A holder's or pollster's name as a series key part ("The Gallup" -> "gallup")."""
    words = (name or "").lower().replace("’", "'").replace("'s ", " ").replace("|", " ").split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def series_label(key: str) -> str:
    """What a series key reads as: "karsk|troops|deployed|total" -> "karsk troops,
    deployed"; "poll:gallup|harris|percent of voters" -> "Gallup poll: percent of
    voters, harris"; increments and projections say so."""
    if key.startswith("poll:"):
        pollster, holder, measure = ([*key[5:].split("|"), "", ""])[:3]
        label = f"{pollster or 'unnamed'} poll: {measure}"
        return f"{label}, {holder}" if holder else label
    holder, measure, predicate, part = ([*key.split("|"), "", "", ""])[:4]
    label = f"{holder} {measure}".strip()
    if predicate:
        label += f", {predicate}"
    if part in ("increment", "projection"):
        label += f" ({part})"
    return label


def figure_from_dict(f: Mapping[str, Any]) -> Figure:
    """Rebuild a `Figure` from `Figure.to_dict()` output (records written before the
    measure keys existed read with them empty)."""
    measure = f.get("measure")
    pollster = f.get("pollster")
    return Figure(
        id=f["id"], start=f["start"], end=f["end"], text=f["text"], value=f.get("value"),
        low=f.get("low"), high=f.get("high"), qualifier=f.get("qualifier"),
        unit=f.get("unit"), claim_id=f.get("claim_id"),
        measure=Measure(**measure) if measure else None,
        holder=f.get("holder"), holder_name=f.get("holder_name"), place=f.get("place"),
        predicate=f.get("predicate"), kind=tuple(f.get("kind") or ("total",)),
        role=f.get("role"), pollster=ChainLink(**pollster) if pollster else None,
        as_of=f.get("as_of"),
    )  # fmt: skip


@dataclass(frozen=True)
class TimeExpression:
    """A time expression normalised against the publication date (TIMEX3-style value)."""

    id: str
    start: int
    end: int
    text: str
    value: str | None = None
    granularity: Granularity = "unknown"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "granularity": self.granularity,
        }


@dataclass(frozen=True)
class EventActor:
    """Who did something, or to whom: the phrase as written, its entity (resolved through
    metonymy: "Moscow" -> the Russia entity), country (ISO 3166-1 alpha-3, or PLOVER's
    IGO/UNO/EUR/NGO) and PLOVER sector (GOV, MIL, ...)."""

    text: str
    start: int | None = None
    end: int | None = None
    entity_id: str | None = None
    country: str | None = None
    sector: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "entity_id": self.entity_id,
            "country": self.country,
            "sector": self.sector,
        }


@dataclass(frozen=True)
class Event:
    """A political event coded in PLOVER: who did what to whom, where, when, and on
    whose word (`claim_id`). Magnitudes (`dead`, `injured`, `size`) are figure ids."""

    id: str
    type: EventType
    trigger: Span
    mode: str | None = None
    context: str | None = None
    source: EventActor | None = None
    target: EventActor | None = None
    location: str | None = None
    time_id: str | None = None
    dead: str | None = None
    injured: str | None = None
    size: str | None = None
    claim_id: str | None = None
    negated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "context": self.context,
            "trigger": self.trigger.to_dict(),
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "location": self.location,
            "time_id": self.time_id,
            "dead": self.dead,
            "injured": self.injured,
            "size": self.size,
            "claim_id": self.claim_id,
            "negated": self.negated,
        }


@dataclass(frozen=True)
class Record:
    """Everything newstrace knows about one article: the public extraction record."""

    article: Article
    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()
    figures: tuple[Figure, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    events: tuple[Event, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The record as in `shared/contract/extraction.md`."""
        return {
            "article": self.article.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "claims": [c.to_dict() for c in self.claims],
            "figures": [f.to_dict() for f in self.figures],
            "times": [t.to_dict() for t in self.times],
            "events": [e.to_dict() for e in self.events],
        }


def _number(value: float | None) -> int | float | None:
    """Whole numbers print as ints in JSON (4000, not 4000.0)."""
    if value is None:
        return None
    if float(value).is_integer():
        return int(value)
    return value


def record_from_dict(data: dict[str, Any]) -> Record:
    """Rebuild a `Record` from `Record.to_dict()` output (plus the optional internal
    article keys `locator`, `raw`, `raw_kind`, `author` that exports may carry)."""
    a = data["article"]
    article = Article(
        id=a["id"],
        text=a["text"],
        title=a.get("title"),
        url=a.get("url"),
        outlet=a.get("outlet"),
        published=a.get("published"),
        author=a.get("author"),
        removed=tuple(Removed(r["text"], r["reason"]) for r in a.get("removed", [])),
        duplicate_of=a.get("duplicate_of"),
        locator=a.get("locator"),
        raw=a.get("raw"),
        raw_kind=a.get("raw_kind", "text"),
    )
    return Record(
        article=article,
        entities=tuple(_entity_from_dict(e) for e in data.get("entities", [])),
        claims=tuple(_claim_from_dict(c) for c in data.get("claims", [])),
        figures=tuple(figure_from_dict(f) for f in data.get("figures", [])),
        times=tuple(TimeExpression(**t) for t in data.get("times", [])),
        events=tuple(event_from_dict(e) for e in data.get("events", [])),
    )


def article_internals(article: Article) -> dict[str, Any]:
    """The article keys that the public record leaves out but a full copy needs."""
    return {
        "author": article.author,
        "locator": article.locator,
        "raw": article.raw,
        "raw_kind": article.raw_kind,
    }


def _entity_from_dict(e: dict[str, Any]) -> Entity:
    return Entity(
        id=e["id"],
        name=e["name"],
        type=e["type"],
        aliases=tuple(e.get("aliases", [])),
        refers_to=e.get("refers_to"),
        roles=tuple(e.get("roles", [])),
        mentions=tuple(Span(**m) for m in e.get("mentions", [])),
    )


def _claim_from_dict(c: dict[str, Any]) -> Claim:
    return Claim(
        id=c["id"],
        kind=c["kind"],
        speaker=Speaker(**c["speaker"]),
        content=Span(**c["content"]),
        cue=Span(**c["cue"]) if c.get("cue") else None,
        source_chain=tuple(ChainLink(**link) for link in c.get("source_chain", [])),
        stance=c.get("stance", "assert"),
        hedged=bool(c.get("hedged", False)),
        figure_ids=tuple(c.get("figure_ids", [])),
        time_ids=tuple(c.get("time_ids", [])),
    )


def event_from_dict(e: dict[str, Any]) -> Event:
    """Rebuild an `Event` from `Event.to_dict()` output."""
    return Event(
        id=e["id"],
        type=e["type"],
        trigger=Span(**e["trigger"]),
        mode=e.get("mode"),
        context=e.get("context"),
        source=EventActor(**e["source"]) if e.get("source") else None,
        target=EventActor(**e["target"]) if e.get("target") else None,
        location=e.get("location"),
        time_id=e.get("time_id"),
        dead=e.get("dead"),
        injured=e.get("injured"),
        size=e.get("size"),
        claim_id=e.get("claim_id"),
        negated=bool(e.get("negated", False)),
    )
