"""Records that stages hand to each other: frozen dataclasses, never raw dicts.

`Record.to_dict()` produces the public extraction record described in
`shared/contract/extraction.md` (and docs/reference/record.md); its required keys are a
public interface. Each record type is declared once, below: its dict form (`to_dict`,
`from_dict`) and its table rows (`newstrace.store.records`) are derived from the
declaration, and tests/test_record_mapping.py checks the documents against it.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from types import UnionType
from typing import Any, ClassVar, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

M = TypeVar("M", bound="Mapped")


INTERNAL = {"internal": True}
"""Metadata of a field the store keeps but the public record leaves out."""


class Mapped:
    """A record whose dict form (`to_dict`, `from_dict`) and table rows
    (`newstrace.store.records`) are derived from its dataclass declaration: the keys are
    its public fields, those named in `KEYS_FIRST` first, the rest in declared order."""

    KEYS_FIRST: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict[str, Any]:
        """The record as plain data, in the record format's key order."""
        return {name: plain(getattr(self, name)) for name in record_keys(type(self))}

    @classmethod
    def from_dict(cls: type[M], data: Mapping[str, Any]) -> M:
        """Rebuild the record from `to_dict()` output. Internal keys are read when
        present; absent keys, and nulls where the type allows none, take the default."""
        given = {
            name: None if data[name] is None else typer(data[name])
            for name, typer, may_be_none in _dict_plan(cls)
            if data.get(name) is not None or (may_be_none and name in data)
        }
        try:
            return cls(**given)
        except TypeError as exc:  # a required key is missing
            raise KeyError(f"{cls.__name__}: {exc}") from exc


RawKind = Literal["text", "html"]
EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "OTHER"]
ClaimKind = Literal["direct_quote", "indirect", "according_to", "mixed"]
Stance = Literal["assert", "deny", "dispute", "unconfirmed"]
STANCES: tuple[Stance, ...] = get_args(Stance)
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
    feed_title: str | None = None  # the title of the feed an entry came from


@dataclass(frozen=True)
class ReadFailure:
    """A document a source could not read; the batch goes on without it."""

    locator: str
    reason: str


InputValue = Union[str, RawDocument]  # noqa: UP007 (a runtime alias)
"""One input of an ingest: a path, URL or ``-``, or a document already read (the
watcher's fetched articles)."""


@dataclass(frozen=True)
class Removed(Mapped):
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
    site_name: str | None = None  # the site's name in the page's metadata (HTML only)


@dataclass(frozen=True)
class Article(Mapped):
    """A cleaned article with its identity; `raw` keeps the input so cleaning can be redone."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = field(default=None, metadata=INTERNAL)
    removed: tuple[Removed, ...] = ()
    duplicate_of: str | None = None
    locator: str | None = field(default=None, metadata=INTERNAL)
    raw: str | None = field(default=None, metadata=INTERNAL)
    raw_kind: RawKind = field(default="text", metadata=INTERNAL)
    language: str | None = None
    # `outlet` is the site's key (its web domain when one is known, "reuters.com");
    # `outlet_name` the name it goes by ("Reuters"), one per key in a store, taken from
    # the best evidence of any of its articles (`outlet_evidence`, see ingest.prepare).
    outlet_name: str | None = None
    outlet_evidence: int = field(default=0, metadata=INTERNAL)

    KEYS_FIRST = ("id", "title", "url", "outlet", "outlet_name", "published", "text")


# An outlet key that is a web domain ("reuters.com"), as opposed to a name ("Reuters").
_DOMAIN = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)


def domain_of(name: str | None) -> str | None:
    """`name` as an outlet key when it is a web domain ("www.Reuters.com" ->
    "reuters.com"), else None ("Reuters" is a name, not a domain)."""
    if not name or not _DOMAIN.fullmatch(name.strip()):
        return None
    return name.strip().lower().removeprefix("www.")


@dataclass(frozen=True)
class Span(Mapped):
    """A stretch of `article.text`: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity(Mapped):
    """One actor or place within one article, with every mention resolved to it."""

    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    refers_to: str | None = None
    roles: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Speaker(Mapped):
    """The source of a claim as written; offsets are null when it is implicit.

    `name` is who it resolves to (the entity's canonical name, a pronoun's or a title's
    antecedent, or the text itself when it names or describes someone); `unresolved`
    marks a pronoun, a description ("the union") or a nameless source ("reports") that
    resolves to no named one; the `name` of an unresolved pronoun or nameless source is
    null, never the pronoun.
    """

    text: str
    start: int | None = None
    end: int | None = None
    entity_id: str | None = None
    name: str | None = None
    unresolved: bool = False

    def label(self) -> str:
        """What to show as the source: the name, else "unresolved" (never a bare
        pronoun), else the text as written."""
        if self.name:
            return self.name
        return "unresolved" if self.unresolved else self.text


@dataclass(frozen=True)
class ChainLink(Mapped):
    """One step of a source chain, outermost first ("Reuters" -> "two U.S. officials")."""

    text: str
    entity_id: str | None = None


@dataclass(frozen=True)
class Claim(Mapped):
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

    KEYS_FIRST = ("id", "kind", "speaker", "source_chain", "cue", "content")


FigureFlag = Literal[
    "total", "increment", "change", "projection", "poll", "cumulative", "rejected", "part"
]
FIGURE_FLAGS: tuple[str, ...] = get_args(FigureFlag)
PREDICATES: tuple[str, ...] = (
    "deployed", "present", "killed", "wounded", "killed-or-wounded", "captured",
    "withdrawn", "planned", "voted", "polled", "won", "spent", "lost", "left", "arrested",
    "fired", "needed",
)  # fmt: skip
"""What can happen to counted things (`Figure.predicate`); see docs/reference/record.md."""
SERIES_PREDICATES: dict[str, str] = {"present": "deployed"}
"""Predicates one figure series holds together: a force "present" near a town and one
"deployed" there are one deployment series."""

POLL_MEASURES = frozenset({"points", "point", "percentage points", "percentage point"})
"""Measures of a poll besides shares: a lead or a margin ("leads by 12 points")."""

# A share or a margin counted by nothing more: "41 percent", "12 points".
_BARE_SHARES = POLL_MEASURES | {"percent"}

CURRENCY_UNITS = frozenset({"dollars", "euros", "pounds", "yen"})
"""Figure units that are sums of money ("$2 million" has unit "dollars")."""

_CONTESTED = frozenset({"won"})
"""Predicates of what is won in one contest: "In Nevada, Quist won at least 19
delegates" is Nevada's result, kept apart from Quist's running total (a series of its own,
keyed by the place), where a count of troops "in Kursk" stays in the deployment series."""

_HAVING = frozenset({"present", "deployed"})
"""Predicates that say no more than "has" of a share or a sum ("Clinton had 36 percent",
"the campaign had $800,000 in the bank"): such a series is named by its measure alone."""


@dataclass(frozen=True)
class Measure(Mapped):
    """What a figure counts: the counted noun phrase as written and its normalised key
    ("North Korean troops" -> key "troops", the holder going to `Figure.holder`)."""

    text: str
    start: int
    end: int
    key: str


@dataclass(frozen=True)
class Figure(Mapped):
    """A number in the text with its qualifier, bounds and counted unit, and what it
    counts: `measure`, whose (`holder`), where (`place`, an entity id, and `place_name`,
    its name), what happened (`predicate`),
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
    place_name: str | None = None  # last: added after the others (migration 19)

    KEYS_FIRST = ("id", "text", "start", "end")

    def series_key(self) -> str | None:
        """The series this figure is a point of: ``holder|measure|predicate|part`` (the
        predicate as `SERIES_PREDICATES` joins them; part ``total``, ``increment`` or
        ``projection``), with ``|place`` after it for what was won in one place (one
        contest's result: `_CONTESTED`), or for a poll ``poll:pollster|holder|measure``.
        None for a figure
        no series holds: no measure, repeated inside a denial, the earlier value of a change
        ("up from 3,000"), a part of a total its sentence breaks down ("spent $45 million,
        including $12 million on ads"), or one whose it is not known (no holder; for a poll,
        no pollster, or a bare share or margin with no holder): "14 percent", "$2 million",
        "500 delegates" with no one they belong to, or shares of an unnamed poll, are points
        of no one history, and a series of them would mix every share, sum and count of a
        corpus. A bare share outside a named poll ("Quist had 36 percent") is in none
        either, nor a bare margin outside a named poll ("Quist beat Tavel by 14 points", "a
        net rating of -17 points"): of what (a vote, an unnamed poll, a state) it does not
        say ("percent of the vote" does)."""
        if self.measure is None or self.role == "previous" or {"rejected", "part"} & {*self.kind}:
            return None
        holder = _fold(self.holder_name)
        if "poll" in self.kind and (self.unit == "percent" or self.measure.key in POLL_MEASURES):
            pollster = _fold(self.pollster.text if self.pollster else None)
            if not pollster or (not holder and self.measure.key in _BARE_SHARES):
                return None  # every share of a poll is "percent": whose, it must say
            return f"poll:{pollster}|{holder}|{self.measure.key}"
        if not holder or self.measure.key in _BARE_SHARES:
            return (
                None  # "Quist led by 9 points": a margin of what (a poll, a vote) it does not say
            )
        predicate = SERIES_PREDICATES.get(self.predicate or "", self.predicate or "")
        if predicate in _HAVING and (self.unit == "percent" or self.unit in CURRENCY_UNITS):
            predicate = ""
        part = "total"
        if "projection" in self.kind:
            part = "projection"
        elif "increment" in self.kind:
            part = "increment"
        key = f"{holder}|{self.measure.key}|{predicate}|{part}"
        if self.predicate in _CONTESTED and self.place_name:
            return f"{key}|{_fold(self.place_name)}"  # one contest's result
        return key


def _fold(name: str | None) -> str:
    """A holder's or pollster's name as a series key part ("The Gallup" -> "gallup")."""
    words = (name or "").lower().replace("’", "'").replace("'s ", " ").replace("|", " ").split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def stable_id(prefix: str, *parts: str) -> str:
    """The id a listing shows for what `parts` name, the same on every run and store:
    `prefix` (E entity, G claim group, S figure series, C event count) and 12 hex digits
    of the SHA-1 of the parts (joined by U+001F)."""
    raw = "\x1f".join(parts)
    return prefix + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


# The rows numbered by the store (watched sources, alert rules, alerts) are shown with a
# letter before their number, so that the id a listing shows says what it is and
# `newstrace show` can open it: W3 is watched source 3, R2 alert rule 2, A17 alert 17.
NUMBERED = {"W": "watched source", "R": "alert rule", "A": "alert"}


def numbered_id(prefix: str, number: int) -> str:
    """The id shown for row `number` of a numbered kind (`prefix` a key of NUMBERED)."""
    return f"{prefix}{number}"


def numbered(ref: str, prefix: str) -> int | None:
    """The number in `ref` when it is an id of that kind (``W3``, any case) or a bare
    number (``3``, what the commands took before), else None."""
    text = ref.strip()
    if text[:1].upper() == prefix:
        text = text[1:]
    return int(text) if text.isdigit() and text.isascii() else None


def series_id(key: str) -> str:
    """The id of the figure series `key` (what ``newstrace figures --series`` shows and
    ``newstrace show`` opens)."""
    return stable_id("S", key)


def series_label(key: str) -> str:
    """What a series key reads as: "karsk|troops|deployed|total" -> "karsk troops,
    deployed"; "quist|delegates|won|total|nevada" -> "quist delegates, won in nevada";
    "poll:gallup|harris|percent of voters" -> "Gallup poll: percent of voters, harris";
    increments and projections say so."""
    if key.startswith("poll:"):
        pollster, holder, measure = ([*key[5:].split("|"), "", ""])[:3]
        label = f"{pollster or 'unnamed'} poll: {measure}"
        return f"{label}, {holder}" if holder else label
    holder, measure, predicate, part, place = ([*key.split("|"), "", "", "", ""])[:5]
    label = f"{holder} {measure}".strip()
    if predicate:
        label += f", {predicate}"
    if place:
        label += f" in {place}"
    if part in ("increment", "projection"):
        label += f" ({part})"
    return label


@dataclass(frozen=True)
class TimeExpression(Mapped):
    """A time expression normalised against the publication date (TIMEX3-style value)."""

    id: str
    start: int
    end: int
    text: str
    value: str | None = None
    granularity: Granularity = "unknown"

    KEYS_FIRST = ("id", "text", "start", "end")


@dataclass(frozen=True)
class EventActor(Mapped):
    """Who did something, or to whom: the phrase as written, its entity (resolved through
    metonymy: "Moscow" -> the Russia entity), country (ISO 3166-1 alpha-3, or PLOVER's
    IGO/UNO/EUR/NGO) and PLOVER sector (GOV, MIL, ...)."""

    text: str
    start: int | None = None
    end: int | None = None
    entity_id: str | None = None
    country: str | None = None
    sector: str | None = None


@dataclass(frozen=True)
class Event(Mapped):
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

    KEYS_FIRST = ("id", "type", "mode", "context", "trigger")


@dataclass(frozen=True)
class Record(Mapped):
    """Everything newstrace knows about one article: the public extraction record."""

    article: Article
    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()
    figures: tuple[Figure, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    events: tuple[Event, ...] = ()


# --- the mapping, derived from each record's own declaration ---------------------------


def record_keys(cls: type[Any]) -> tuple[str, ...]:
    """The keys of `cls`'s dict form (the public interface of docs/reference/record.md)."""
    if cls not in _KEYS:  # once per class: `to_dict` asks for every record
        _KEYS[cls] = _record_keys(cls)
    return _KEYS[cls]


_KEYS: dict[type[Any], tuple[str, ...]] = {}


def _record_keys(cls: type[Any]) -> tuple[str, ...]:
    public = [f.name for f in fields(cls) if not f.metadata.get("internal")]
    first: tuple[str, ...] = cls.KEYS_FIRST
    return (*first, *(name for name in public if name not in first))


@functools.cache
def internal_fields(cls: type[Any]) -> tuple[str, ...]:
    """Fields kept in the store but left out of the public record."""
    return tuple(f.name for f in fields(cls) if f.metadata.get("internal"))


_FIELD_TYPES: dict[type[Any], dict[str, Any]] = {}


def field_types(cls: type[Any]) -> dict[str, Any]:
    """Each field's resolved type annotation (resolved once per class)."""
    if cls not in _FIELD_TYPES:
        _FIELD_TYPES[cls] = get_type_hints(cls)
    return _FIELD_TYPES[cls]


@functools.cache
def optional(hint: Any) -> bool:
    """Whether the type `hint` allows None."""
    return get_origin(hint) in (Union, UnionType) and type(None) in get_args(hint)


@functools.cache
def record_type(hint: Any) -> type[Mapped] | None:
    """The record class `hint` names (``Span``, ``Span | None``), else None."""
    if get_origin(hint) in (Union, UnionType):
        named = [a for a in get_args(hint) if a is not type(None)]
        return record_type(named[0]) if len(named) == 1 else None
    if isinstance(hint, type) and issubclass(hint, Mapped):
        return hint
    return None


def plain(value: Any) -> Any:
    """`value` as JSON-friendly data: records as dicts, tuples as lists, whole floats
    as ints (4000, not 4000.0)."""
    if isinstance(value, Mapped):
        return value.to_dict()
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def typed(hint: Any, value: Any) -> Any:
    """`value` (plain data) as the type `hint` declares: records and tuples rebuilt."""
    return None if value is None else typer(hint)(value)


def _same(value: Any) -> Any:
    return value


@functools.cache
def typer(hint: Any) -> Callable[[Any], Any]:
    """What `typed` does for `hint`, worked out once per hint (a listing rebuilds
    thousands of records a second): a function of a value that is not None."""
    if get_origin(hint) in (Union, UnionType):
        return typer(next(a for a in get_args(hint) if a is not type(None)))
    if get_origin(hint) is tuple:
        item = typer(get_args(hint)[0])
        return lambda value: tuple(None if v is None else item(v) for v in value)
    kind = record_type(hint)
    return kind.from_dict if kind is not None else _same


def _dict_plan(cls: type[Any]) -> tuple[tuple[str, Callable[[Any], Any], bool], ...]:
    """(field, its `typer`, whether it may be None) for each field of `cls` (once per
    class)."""
    if cls not in _DICT_PLANS:
        hints = field_types(cls)
        _DICT_PLANS[cls] = tuple(
            (f.name, typer(hints[f.name]), optional(hints[f.name])) for f in fields(cls)
        )
    return _DICT_PLANS[cls]


_DICT_PLANS: dict[type[Any], tuple[tuple[str, Callable[[Any], Any], bool], ...]] = {}


def record_from_dict(data: Mapping[str, Any]) -> Record:
    """Rebuild a `Record` from `Record.to_dict()` output (plus the optional internal
    article keys `locator`, `raw`, `raw_kind`, `author` that exports may carry)."""
    return Record.from_dict(data)


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """Rebuild an `Event` from `Event.to_dict()` output."""
    return Event.from_dict(data)


def article_internals(article: Article) -> dict[str, Any]:
    """The article keys that the public record leaves out but a full copy needs."""
    return {name: getattr(article, name) for name in internal_fields(Article)}
