"""The PLOVER lexicon (``data/plover_verbs.json``), loaded once and typed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, cast

from newstrace.models import EventType


@dataclass(frozen=True)
class Entry:
    """One reading of a trigger word: its PLOVER type, mode and context, and when it applies."""

    type: EventType
    mode: str | None = None
    context: str | None = None
    object: str | None = None  # noun class the object head must be in
    subject: str | None = None  # noun class the subject head must be in
    modifier: str | None = None  # a compound/amod word the noun needs ("air" strike)
    needs_argument: bool = False  # only with an object or complement ("declined to ...")
    needs_no_object: bool = False  # intransitive reading only ("protesters demonstrated")
    host: bool = False  # CONSULT host: the object is the visitor

    @property
    def conditional(self) -> bool:
        return bool(self.object or self.subject or self.modifier)


@dataclass(frozen=True)
class Lexicon:
    """Verb and noun triggers, light verbs, and the word lists that type actors."""

    verbs: dict[str, tuple[Entry, ...]]
    nouns: dict[str, tuple[Entry, ...]]
    light_verbs: frozenset[str]
    future: dict[str, EventType]
    object_modes: dict[str, str]
    threat_modes: dict[str, str]
    noun_classes: dict[str, frozenset[str]]
    sectors: dict[str, str]
    organisations: dict[str, str]

    def in_class(self, lemma: str, name: str) -> bool:
        """Whether `lemma` belongs to the noun class `name` ("military", "weapons", ...)."""
        return lemma.lower() in self.noun_classes.get(name, frozenset())


def _entries(raw: dict[str, Any] | list[dict[str, Any]]) -> tuple[Entry, ...]:
    items = raw if isinstance(raw, list) else [raw]
    return tuple(Entry(**item) for item in items)


def _plain(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The lexicon, parsed once per process."""
    path = resources.files("newstrace.extract.data").joinpath("plover_verbs.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    sectors = {word: code for code, words in _plain(data["sectors"]).items() for word in words}
    return Lexicon(
        verbs={k: _entries(v) for k, v in _plain(data["verbs"]).items()},
        nouns={k: _entries(v) for k, v in _plain(data["nouns"]).items()},
        light_verbs=frozenset(data["light_verbs"]),
        future=cast(dict[str, EventType], _plain(data["future_agree"])),
        object_modes=_plain(data["object_modes"]),
        threat_modes=_plain(data["threat_modes"]),
        noun_classes={k: frozenset(v) for k, v in _plain(data["noun_classes"]).items()},
        sectors=sectors,
        organisations=_plain(data["organisations"]),
    )
