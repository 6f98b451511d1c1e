"""Speakers: the source as written, resolved to an entity when the text allows.

Pronouns ("he", "she", "it") and definite role nouns ("the official", "the
spokesman") resolve to the nearest compatible antecedent before them; groups and
anonymous sources ("two Western officials") stay as written with no entity.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Token

from newstrace.extract.claims.cues import cue_lexicon
from newstrace.extract.names import title_lexicon
from newstrace.extract.spans import tokens_span
from newstrace.models import Entity, Speaker

_DROP_DEPS = frozenset({"appos", "relcl", "acl", "punct", "advcl", "case"})


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    entity: Entity


class EntityIndex:
    """Entity mentions by offset, for speaker lookup and antecedent search."""

    def __init__(self, entities: list[Entity]) -> None:
        mentions = [_Mention(m.start, m.end, e) for e in entities for m in e.mentions]
        self._mentions = sorted(mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self._mentions]

    def inside(self, start: int, end: int, head: int) -> Entity | None:
        """The entity mentioned within [start, end), preferring the mention holding `head`."""
        best: Entity | None = None
        lo = bisect.bisect_left(self._starts, start)
        for m in self._mentions[lo:]:
            if m.start >= end:
                break
            if m.end <= end and m.start <= head < m.end:
                return m.entity
            if m.end <= end and best is None and m.entity.type in ("PERSON", "ORG"):
                best = m.entity
        return best

    def before(self, offset: int, types: tuple[str, ...]) -> Entity | None:
        """The entity of the nearest mention ending before `offset` with one of `types`."""
        hi = bisect.bisect_left(self._starts, offset)
        for m in reversed(self._mentions[max(0, hi - 200) : hi]):
            if m.end <= offset and m.entity.type in types:
                return m.entity
        return None


def speaker_span(token: Token) -> tuple[int, int]:
    """Token range of the speaker noun phrase without appositions and relative clauses."""
    kept = [token.i]
    for child in token.children:
        if child.dep_ not in _DROP_DEPS:
            kept.extend(t.i for t in child.subtree)
    if token.tag_ == "POS" or token.dep_ == "poss":
        kept = [i for i in kept if token.doc[i].tag_ != "POS"]
    return min(kept), max(kept)


def resolve_speaker(token: Token, index: EntityIndex, last: Entity | None) -> Speaker:
    """The `Speaker` for the noun phrase headed by `token`."""
    doc = token.doc
    first, final = speaker_span(token)
    span = tokens_span(doc, first, final, strip=" \t\r\n,;:")
    if span is None:
        return Speaker(text=token.text, start=token.idx, end=token.idx + len(token.text))
    entity = index.inside(span.start, span.end, token.idx)
    if entity is None:
        entity = _antecedent(token, index, last)
    return Speaker(span.text, span.start, span.end, entity.id if entity else None)


def _antecedent(token: Token, index: EntityIndex, last: Entity | None) -> Entity | None:
    kind = cue_lexicon().speaker_pronouns.get(token.lower_)
    if kind == "PERSON":
        if last is not None and last.type == "PERSON":
            return last
        return index.before(token.idx, ("PERSON",))
    if kind == "ORG":
        return index.before(token.idx, ("ORG", "GPE"))
    if _definite_role(token):
        if last is not None and last.type == "PERSON":
            return last
        return index.before(token.idx, ("PERSON",))
    return None


def _definite_role(token: Token) -> bool:
    """ "the official", "the spokesman" (singular, definite, a person noun)."""
    if token.tag_ != "NN" or token.lemma_.lower() not in title_lexicon().person_nouns:
        return False
    return any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
