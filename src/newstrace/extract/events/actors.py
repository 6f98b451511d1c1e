"""Actors of events: a noun phrase's head -> entity (through metonymy), country, sector.

"Ukrainian forces" -> the Ukraine entity, UKR, MIL; "Karsk's foreign ministry" -> the
Karsk entity, GOV; "Moscow" as subject -> the Russia entity, RUS, GOV (PLOVER codes a
capital that acts as its government); "the United Nations" -> UNO.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import pycountry
from spacy.tokens import Doc, Token

from newstrace.extract.events.lexicon import Lexicon, load_lexicon
from newstrace.extract.gazetteer import Gazetteer, load_gazetteer
from newstrace.extract.spans import tokens_span
from newstrace.models import Entity, EventActor

_MODIFIER_DEPS = frozenset({"poss", "compound", "amod", "nmod", "nummod"})
_PRONOUNS = frozenset({"it", "they", "he", "she", "its", "their", "his", "her", "we", "our"})
_LEAD = frozenset({"the", "a", "an", "some", "several", "two", "three"})
_MAX_PHRASE = 8
_PLACES = frozenset({"GPE", "LOC", "FAC"})


@lru_cache(maxsize=512)
def alpha3(iso2: str) -> str | None:
    """ISO 3166-1 alpha-3 for an alpha-2 code ("RU" -> "RUS")."""
    country = pycountry.countries.get(alpha_2=iso2.upper())
    return None if country is None else str(country.alpha_3)


class ActorResolver:
    """Maps tokens of one Doc to the article's entities and builds `EventActor`s."""

    def __init__(self, doc: Doc, entities: Sequence[Entity]) -> None:
        self.doc = doc
        self.lex: Lexicon = load_lexicon()
        self.gaz: Gazetteer = load_gazetteer()
        self.by_id = {e.id: e for e in entities}
        self.by_token: dict[int, Entity] = {}
        for entity in entities:
            for mention in entity.mentions:
                span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                for token in span or ():
                    self.by_token.setdefault(token.i, entity)

    # --- entities -----------------------------------------------------------------

    def entity_at(self, token: Token) -> Entity | None:
        """The entity one of whose mentions covers `token`."""
        return self.by_token.get(token.i)

    def place_in(self, token: Token) -> Entity | None:
        """The first place entity within `token`'s phrase ("the border town of Lisk")."""
        for t in _bounded_subtree(token):
            entity = self.by_token.get(t.i)
            if entity is not None and entity.type in _PLACES:
                return entity
        return None

    def country(self, entity: Entity) -> str | None:
        """Country code of an entity: alpha-3 from its names, or a PLOVER org code."""
        for name in (entity.name, *entity.aliases):
            key = name.lower().strip()
            key = key[4:] if key.startswith("the ") else key
            iso2 = (
                self.gaz.country_of(name)
                or self.gaz.demonyms.get(key)
                or self.gaz.seats.get(key)
                or self.gaz.capitals.get(key)
            )
            if iso2:
                return alpha3(iso2)
            if key in self.lex.organisations:
                return self.lex.organisations[key]
        target = self.by_id.get(entity.refers_to or "")
        return self.country(target) if target is not None and target is not entity else None

    # --- actors -------------------------------------------------------------------

    def actor(self, head: Token | None) -> EventActor | None:
        """The actor named by the noun phrase headed by `head`, or None when it names none."""
        if head is None or head.lower_ in _PRONOUNS:
            return None
        entity = self.entity_at(head) or self._modifier_entity(head)
        sector = self.sector(head, entity)
        if entity is None and sector is None and head.pos_ != "PROPN":
            return None
        span = self._phrase(head)
        if span is None:
            return None
        return EventActor(
            text=span.text,
            start=span.start,
            end=span.end,
            entity_id=(entity.refers_to or entity.id) if entity else None,
            country=self.country(entity) if entity else None,
            sector=sector,
        )

    def from_entity(
        self, entity: Entity, text: str, start: int | None, end: int | None
    ) -> EventActor:
        """An actor for a claim's speaker that was resolved to `entity`."""
        return EventActor(
            text=text,
            start=start,
            end=end,
            entity_id=entity.refers_to or entity.id,
            country=self.country(entity),
            sector=self._entity_sector(entity, subject=True),
        )

    def sector(self, head: Token, entity: Entity | None) -> str | None:
        """PLOVER sector from the head noun ("forces" -> MIL), else from the entity."""
        sectors = self.lex.sectors
        prev = head.doc[head.i - 1] if head.i > 0 else None
        if prev is not None and f"{prev.lower_} {head.lemma_.lower()}" in sectors:
            return sectors[f"{prev.lower_} {head.lemma_.lower()}"]
        for word in (head.lemma_.lower(), head.lower_):
            if word in sectors and (entity is None or entity.type != "PERSON"):
                return sectors[word]
        if entity is None:
            return None
        return self._entity_sector(entity, subject=head.dep_ in ("nsubj", "dobj", "nsubjpass"))

    def _entity_sector(self, entity: Entity, subject: bool) -> str | None:
        key = entity.name.lower().removeprefix("the ")
        if key in self.gaz.seats or (subject and key in self.gaz.capitals and entity.refers_to):
            return "GOV"
        if entity.type == "PERSON":
            return _first_sector(self.lex, entity.roles)
        return None

    def _modifier_entity(self, head: Token) -> Entity | None:
        for child in head.children:
            if child.dep_ in _MODIFIER_DEPS or (child.dep_ == "prep" and child.lower_ == "of"):
                for t in _bounded_subtree(child):
                    entity = self.by_token.get(t.i)
                    if entity is not None:
                        return entity
        return None

    def _phrase(self, head: Token) -> EventActor | None:
        doc = head.doc
        first = max(head.left_edge.i, head.i - _MAX_PHRASE)
        while first < head.i and (doc[first].lower_ in _LEAD or doc[first].is_punct):
            first += 1
        last = head.i
        entity = self.by_token.get(head.i)
        while entity is not None and last + 1 < len(doc) and self.by_token.get(last + 1) is entity:
            last += 1
        span = tokens_span(doc, first, last)
        return None if span is None else EventActor(span.text, span.start, span.end)


def is_pronoun(token: Token) -> bool:
    """Whether `token` is a pronoun that stands for an actor named elsewhere."""
    return token.lower_ in _PRONOUNS


def _first_sector(lex: Lexicon, roles: Iterable[str]) -> str | None:
    for role in roles:
        for word in reversed(role.lower().replace("'s", "").split()):
            if word in lex.sectors:
                return lex.sectors[word]
    return None


def _bounded_subtree(token: Token, limit: int = 12) -> list[Token]:
    return [t for t in token.subtree if abs(t.i - token.i) <= limit]
