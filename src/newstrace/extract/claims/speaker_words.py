"""Word lists for speakers (``data/speakers.json``) and given names by gender
(``language/data/first_names.json``, built by scripts/build_first_names.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from newstrace.extract.gazetteer import _data
from newstrace.language import given_names
from newstrace.models import Entity


@dataclass(frozen=True)
class Pronoun:
    """What a pronoun can stand for: PERSON, ORG, GROUP (plural) or SELF (never resolved)."""

    kind: str
    gender: str | None
    plural: bool


@dataclass(frozen=True)
class SpeakerWords:
    """Pronouns, sources that name no one, heads that cannot speak, organisation nouns,
    gendered words and given names."""

    pronouns: dict[str, Pronoun]
    nameless: frozenset[str]
    non_speakers: frozenset[str]
    org_nouns: frozenset[str]
    gendered: dict[str, str]  # honorific or role word -> male/female
    first_names: dict[str, str]  # folded given name -> male/female

    def gender_of(self, entity: Entity, text: str) -> str | None:
        """The gender an entity's given name, honorifics or roles show (None: unknown or
        conflicting); `text` is the document, for the words before each mention."""
        found = set()
        names = entity.name.split()
        given = [w.lower() for w in names[:-1] if w.lower() in self.first_names]
        if given:  # one word alone is a last name
            found.add(self.first_names[given[0]])
        for mention in entity.mentions:
            before = text[max(0, mention.start - 12) : mention.start].split()
            if before and before[-1].lower() in self.gendered:
                found.add(self.gendered[before[-1].lower()])
        for role in entity.roles:
            found.update(self.gendered[w] for w in role.lower().split() if w in self.gendered)
        return found.pop() if len(found) == 1 else None

    def without_title(self, name: str) -> str:
        """A person's name from its given name on ("Councillor George Hale" -> "George
        Hale"), when a given name follows words that are not one."""
        words = name.split()
        for i, word in enumerate(words[:-1]):
            if word.lower() in self.first_names:
                return " ".join(words[i:])
        return name


@lru_cache(maxsize=1)
def speaker_words() -> SpeakerWords:
    """The speaker word lists, read once from the package data."""
    raw = _data("speakers.json")
    gendered = {w: "male" for w in raw["male_words"]} | {w: "female" for w in raw["female_words"]}
    return SpeakerWords(
        pronouns={w: Pronoun(k, g, n == "plural") for w, (k, g, n) in raw["pronouns"].items()},
        nameless=frozenset(raw["nameless"]),
        non_speakers=frozenset(raw["non_speakers"]),
        org_nouns=frozenset(raw["org_nouns"]),
        gendered=gendered,
        first_names=given_names(),
    )
