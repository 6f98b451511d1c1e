"""Speakers: the source as written, resolved to an entity and a name when the text allows.

While the rules extract, `resolve_speaker` takes the speaker noun phrase of a cue
(without appositions) and its entity. Once any extractor has finished, `resolve_speakers`
cleans every speaker and resolves it to a name: pronouns ("he", "it", "their") and
titles or descriptions ("the official", "the ministry") to the nearest compatible named
antecedent, names through their entity; groups and anonymous sources ("two Western
officials") keep their text as the name; what resolves to no one is marked unresolved.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan

from newstrace.extract.claims.cues import cue_lexicon
from newstrace.extract.claims.quotes import find_quotes
from newstrace.extract.claims.speaker_words import speaker_words
from newstrace.extract.names import title_lexicon
from newstrace.extract.spans import char_span, doc_text, tokens_span
from newstrace.models import Claim, Entity, Speaker

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
        kept = [i for i in kept if token.doc[i].tag_ != "POS"] or [token.i]  # a lone "'s"
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


# --- resolving the speakers of finished claims (every extractor) ----------------------

_WINDOW = 5  # sentences back that a pronoun or a title may reach
_JUNK_LEAD = re.compile(r"^[^\w]+")
_GLUED = re.compile(r"[.!?](He|She|It|They|We)$")
_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
_NAMED_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})
_FUNCTION_POS = frozenset({"ADP", "CCONJ", "SCONJ", "PART", "AUX", "ADV", "INTJ"})
_RELATIVE_TAGS = frozenset({"WDT", "WP"})  # "which", "who", "that" opening a clause
_CLITICS = frozenset({"'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d"})
_STRIP = " \t\r\n,;:.—–-\"“”‘’'«»()[]"


def resolve_speakers(
    doc: Doc,
    claims: Sequence[Claim],
    entities: Sequence[Entity] = (),
    *,
    drop_non_sources: bool = False,
) -> list[Claim]:
    """`claims` (in text order) with each speaker cleaned and resolved to a name.

    Line-break junk, leading symbols and a pronoun glued to the sentence before are cut
    from the speaker ("AP\\n\\nSeoul", "» Park", "the U.S.He"); a pronoun ("he", "it",
    "their") or a title or description ("the minister", "the spy agency") resolves to
    the nearest compatible named person or organisation before it (gender from given
    names, honorifics and roles, number, person vs organisation; subjects and earlier
    speakers first); a name resolves through its entity. What resolves to no one is
    `unresolved` with no `name`. A phrase that cannot speak ("real potential", "the
    way") is dropped with its claim when `drop_non_sources`, else left unresolved.
    """
    resolver = _Resolver(doc, list(entities))
    out: list[Claim] = []
    for claim in claims:
        speaker = resolver.resolve(claim.speaker)
        if speaker is None:
            if drop_non_sources:
                continue
            speaker = replace(claim.speaker, entity_id=None, name=None, unresolved=True)
        out.append(replace(claim, speaker=speaker))
        resolver.spoke(speaker)
    if len(out) == len(claims):
        return out
    return [replace(c, id=f"c{n}") for n, c in enumerate(out, 1)]


@dataclass(frozen=True)
class _Spoken:
    sent: int
    speaker: Speaker
    plural: bool


class _Resolver:
    """Antecedents for the speakers of one document, read in text order."""

    def __init__(self, doc: Doc, entities: list[Entity]) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.words = speaker_words()
        self.by_id = {e.id: e for e in entities}
        self.index = EntityIndex(entities)
        quotes = find_quotes(self.text)
        self.mentions = sorted(
            (
                (m.start, m.end, e)
                for e in entities
                for m in e.mentions
                if not any(q.start <= m.start < q.end for q in quotes)
            ),
            key=lambda m: m[0],
        )
        self.sent_starts = [s.start_char for s in doc.sents]
        self.history: list[_Spoken] = []
        self._genders: dict[str, str | None] = {}

    def sent_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, offset) - 1)

    def spoke(self, speaker: Speaker) -> None:
        """Remember a claim's resolved speaker (earlier speakers are antecedents first)."""
        if speaker.start is None or speaker.unresolved:
            return
        span = self.doc.char_span(speaker.start, speaker.end or speaker.start, "expand")
        plural = span is not None and span.root.tag_ in ("NNS", "NNPS")
        self.history.append(_Spoken(self.sent_of(speaker.start), speaker, plural))
        entity = self.by_id.get(speaker.entity_id or "")
        if entity is not None:  # a speaker the entities missed is an antecedent too
            mention = (speaker.start, speaker.end or speaker.start, entity)
            bisect.insort(self.mentions, mention, key=lambda m: m[0])

    def resolve(self, speaker: Speaker) -> Speaker | None:
        """The speaker cleaned and resolved; None for a phrase that cannot speak."""
        cleaned = self._clean(speaker)
        if cleaned.start is None or cleaned.end is None:
            return replace(cleaned, name=cleaned.name, unresolved=not cleaned.name)
        span = self.doc.char_span(cleaned.start, cleaned.end, alignment_mode="expand")
        words = [t for t in span if any(ch.isalpha() for ch in t.text)] if span else []
        if span is None or not words:
            return replace(cleaned, entity_id=None, name=None, unresolved=True)
        if all(t.pos_ in _FUNCTION_POS for t in words):  # "and", "of": a stray word
            return replace(cleaned, entity_id=None, name=None, unresolved=True)
        if words[0].tag_ in _RELATIVE_TAGS and len(words) == 1:
            return self._relative(cleaned, words[0])
        words = [t for t in words if t.lower_ not in _CLITICS] or words  # "he’s"
        head = span.root
        lower = cleaned.text.lower()
        if lower in self.words.nameless:
            return replace(cleaned, entity_id=None, name=None, unresolved=True)
        if lower in self.words.pronouns or (
            len(words) == 1 and words[0].lower_ in self.words.pronouns
        ):
            word = lower if lower in self.words.pronouns else words[0].lower_
            return self._resolved(cleaned, self._pronoun(word, cleaned.start))
        named = any(t.pos_ == "PROPN" or t.ent_type_ in _NAMED_TYPES for t in span)
        if not named and head.lemma_.lower() in self.words.non_speakers:
            return None
        if not named and words[0].lower_ in _DETERMINERS and self._describes(head):
            found = self._resolved(cleaned, self._description(head, cleaned.start))
            return found if found.name else replace(found, name=cleaned.text)
        return self._named(cleaned, span)

    def _relative(self, speaker: Speaker, pronoun: Token) -> Speaker:
        """ "a report, which said ...": the entity of the noun the relative clause
        describes, else unresolved (a relative pronoun is never shown as a source)."""
        clause = pronoun.head
        noun = clause.head if clause.dep_ == "relcl" else None
        if noun is None:
            return self._resolved(speaker, None)
        entity = self.index.inside(noun.left_edge.idx, noun.idx + len(noun), noun.idx)
        return self._resolved(speaker, entity)

    def _clean(self, speaker: Speaker) -> Speaker:
        """The speaker without line-break junk, leading symbols or a glued sentence."""
        if speaker.start is None or speaker.end is None:
            return speaker
        start, end = speaker.start, speaker.end
        part = self.text[start:end]
        if "\n" in part.strip():
            cut = part.rstrip().rindex("\n") + 1
            start, part = start + cut, part[cut:]
        lead = _JUNK_LEAD.match(part)
        if lead:
            start, part = start + lead.end(), part[lead.end() :]
        glued = _GLUED.search(part.rstrip())
        if glued:
            start += glued.start(1)
        found = char_span(self.text, start, end, _STRIP)
        if found is not None and found.text.count("(") > found.text.count(")"):
            # "The Institute for Border Studies (IBS)": stripping took the ")"; the
            # acronym in brackets is an apposition, dropped like the others
            found = char_span(self.text, found.start, found.start + found.text.rindex("("), _STRIP)
        if found is None:
            return replace(speaker, text="", start=None, end=None, entity_id=None)
        entity_id = speaker.entity_id if (found.start, found.end) == (speaker.start, end) else None
        return Speaker(found.text, found.start, found.end, entity_id or speaker.entity_id)

    def _resolved(self, speaker: Speaker, entity: Entity | Speaker | None) -> Speaker:
        if isinstance(entity, Speaker):  # a plural speaker before ("officials" -> "they")
            return replace(speaker, entity_id=entity.entity_id, name=entity.name)
        if entity is None:
            return replace(speaker, entity_id=None, name=None, unresolved=True)
        entity = self._full(entity)
        name = self.words.without_title(entity.name) if entity.type == "PERSON" else entity.name
        return replace(speaker, entity_id=entity.id, name=name, unresolved=False)

    def _full(self, entity: Entity) -> Entity:
        """One word that is a person's last name ("Orsk", also when tagged as an
        organisation or a place) as the entity with the full name ("Lena Orsk")."""
        words = entity.name.split()
        if len(words) != 1 or entity.type not in ("PERSON", "ORG", "GPE"):
            return entity
        return self._surname(entity.name) or entity

    def _named(self, speaker: Speaker, span: DocSpan) -> Speaker:
        """A name or a description of someone: the person named in it or just after it
        ("the choir's conductor, Arthur Lewis"), else its entity's name, else the text."""
        person = self._leading_person(span) or self._person_in(
            span.start_char, self._apposition_end(span)
        )
        if person is not None:
            return self._resolved(speaker, person)
        entity = self.by_id.get(speaker.entity_id or "")
        head = span.root
        if entity is None:
            entity = self.index.inside(speaker.start or 0, speaker.end or 0, head.idx)
        if entity is not None and self._holds(entity, head.idx):
            return self._resolved(speaker, entity)
        surname = self._surname(speaker.text)
        if surname is not None:
            return self._resolved(speaker, surname)
        entity_id = entity.id if entity is not None else None
        return replace(speaker, entity_id=entity_id, name=speaker.text, unresolved=False)

    def _apposition_end(self, span: DocSpan) -> int:
        """The end of a name set off by a comma right after the span, else the span's."""
        doc, i = self.doc, span.end
        if i + 1 < len(doc) and doc[i].text == "," and doc[i + 1].pos_ == "PROPN":
            j = i + 1
            while j < len(doc) and doc[j].pos_ == "PROPN":
                j += 1
            return doc[j - 1].idx + len(doc[j - 1])
        if i < len(doc) and doc[i].pos_ == "PROPN" and doc[i - 1].pos_ == "PROPN":
            return doc[i].idx + len(doc[i])  # "Mayor" + "Simon Hart"
        return span.end_char

    def _leading_person(self, span: DocSpan) -> Entity | None:
        """The person named first when a comma sets a description after the name ("Mo
        Elleithee, a Clinton campaign aide ..." is Elleithee, not Clinton)."""
        lo = bisect.bisect_left(self.mentions, span.start_char, key=lambda m: m[0])
        for m_start, m_end, entity in self.mentions[lo:]:
            if m_start > span.start_char:
                break
            if entity.type == "PERSON" and m_end < span.end_char and self.text[m_end] == ",":
                return self._full(entity)
        return None

    def _person_in(self, start: int, end: int) -> Entity | None:
        """The last person mentioned inside [start, end)."""
        found = None
        for m_start, m_end, entity in self.mentions:
            if m_start >= end:
                break
            if m_start >= start and m_end <= end and entity.type == "PERSON":
                found = entity
        return self._full(found) if found is not None else None

    def _surname(self, text: str) -> Entity | None:
        """The person whose last name `text` is ("Price" for Helen Price)."""
        if len(text.split()) != 1 or not text[:1].isupper():
            return None
        for other in self.by_id.values():
            names = other.name.split()
            if other.type == "PERSON" and len(names) > 1 and names[-1] == text:
                return other
        return None

    def _holds(self, entity: Entity, offset: int) -> bool:
        return any(m.start <= offset < m.end for m in entity.mentions)

    def _describes(self, head: Token) -> bool:
        lemma = head.lemma_.lower()
        return lemma in title_lexicon().person_nouns or lemma in self.words.org_nouns

    def _pronoun(self, word: str, offset: int) -> Entity | Speaker | None:
        pronoun = self.words.pronouns[word]
        if pronoun.kind == "PERSON":
            return self._nearest(offset, ("PERSON",), pronoun.gender)
        if pronoun.kind == "ORG":
            return self._nearest(offset, ("ORG", "GPE"), None)
        if pronoun.kind == "GROUP":
            return self._group(offset)
        return None

    def _group(self, offset: int) -> Entity | Speaker | None:
        """ "they", "their": the last plural speaker or organisation close before."""
        sent = self.sent_of(offset)
        for spoken in reversed(self.history):
            if sent - spoken.sent > 2:
                break
            entity = self.by_id.get(spoken.speaker.entity_id or "")
            if spoken.plural and spoken.speaker.name:
                return spoken.speaker
            if entity is not None and entity.type in ("ORG", "NORP"):
                return entity
        return None

    def _description(self, head: Token, offset: int) -> Entity | None:
        """ "the minister": the person with that role; "the ministry": the organisation
        whose name holds the word; else the last such speaker close before."""
        lemma = head.lemma_.lower()
        person = lemma in title_lexicon().person_nouns
        if head.tag_ in ("NNS", "NNPS"):
            return None  # "the officials": a group, not one named source
        for _start, end, entity in reversed(self.mentions):
            if end > offset:
                continue
            if person and entity.type == "PERSON" and any(lemma in r.lower() for r in entity.roles):
                return entity
            if not person and entity.type == "ORG" and lemma in entity.name.lower():
                return entity
        types = ("PERSON",) if person else ("ORG",)
        gender = self.words.gendered.get(lemma)
        return self._last_speaker(offset, types, gender)

    def _last_speaker(
        self, offset: int, types: tuple[str, ...], gender: str | None
    ) -> Entity | None:
        sent = self.sent_of(offset)
        for spoken in reversed(self.history):
            if sent - spoken.sent > 2:
                break
            entity = self.by_id.get(spoken.speaker.entity_id or "")
            if entity is not None and entity.type in types and self._agrees(entity, gender):
                return entity
        return None

    def _nearest(self, offset: int, types: tuple[str, ...], gender: str | None) -> Entity | None:
        """The compatible entity mentioned before `offset` that is nearest, counting
        sentences: an earlier speaker goes ahead of a subject, a subject ahead of other
        mentions, and each rank is worth half a sentence."""
        sent = self.sent_of(offset)
        spoken = {(s.speaker.start, s.speaker.entity_id) for s in self.history}
        best: tuple[int, int, Entity] | None = None
        lo = bisect.bisect_left(
            [m[0] for m in self.mentions], self.sent_starts[max(0, sent - _WINDOW)]
        )
        for start, end, mentioned in self.mentions[lo:]:
            if end > offset:
                break
            entity = self._full(mentioned)
            said = any(e == entity.id for _, e in spoken)
            if not self._fits(entity, types, said) or not self._agrees(entity, gender):
                continue
            distance = sent - self.sent_of(start)
            rank = 0 if said else 1 if self._is_subject(start, end) else 2
            score = 2 * distance + rank
            if best is None or (score, -start) <= (best[0], -best[1]):
                best = (score, start, entity)
        return best[2] if best else None

    def _fits(self, entity: Entity, types: tuple[str, ...], said: bool) -> bool:
        """Of one of `types`; a one-word speaker tagged as a place or an organisation
        ("Warren said") may be the person a pronoun stands for, unless it is written in
        capitals as no surname is ("POLITICO published ... He denied": not POLITICO)."""
        if entity.type in types:
            return True
        one_word = len(entity.name.split()) == 1 and not entity.name.isupper()
        return "PERSON" in types and said and one_word and entity.type in ("GPE", "ORG")

    def _is_subject(self, start: int, end: int) -> bool:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span is not None and span.root.dep_ in ("nsubj", "nsubjpass")

    def _agrees(self, entity: Entity, gender: str | None) -> bool:
        if gender is None or entity.type != "PERSON":
            return True
        if entity.id not in self._genders:
            self._genders[entity.id] = self.words.gender_of(entity, self.text)
        found = self._genders[entity.id]
        return found is None or found == gender
