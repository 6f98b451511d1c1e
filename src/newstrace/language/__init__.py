"""Language facts shared by extraction and analysis: the words around personal names.

The word lists are data (`language/data/names.json`, the given names by usual sex in
`language/data/first_names.json`, the well-known acronyms in
`language/data/acronyms.json`, and the words that mark a claim's tense and condition in
`language/data/claim_words.json`), read once; both
`newstrace.extract.names` and `newstrace.analysis.text` use them, so "Mr." tells a
person's sex and "Jr." a generation in the same way in an article and across articles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class NameWords:
    """Words that open or close personal names, lower-case and without dots."""

    prefixes: frozenset[str]
    male: frozenset[str]
    female: frozenset[str]
    given_name_titles: frozenset[str]
    suffixes: frozenset[str]
    non_person_heads: frozenset[str]
    generic_heads: frozenset[str]
    organisations: frozenset[str]

    def sex(self, word: str) -> str | None:
        """ "m" or "f" when `word` ("Mr.", "mrs") is an honorific that tells a sex."""
        folded = fold_word(word)
        if folded in self.male:
            return "m"
        if folded in self.female:
            return "f"
        return None

    def is_suffix(self, word: str) -> bool:
        """Whether `word` ("Jr.", "III") is a generational suffix."""
        return fold_word(word) in self.suffixes

    def ends_non_person(self, words: list[str]) -> bool:
        """Whether a name of two or more words ends in a word that makes it an
        organisation or a place ("Obama White House", "Trump Tower")."""
        return len(words) > 1 and fold_word(words[-1]) in self.non_person_heads

    def is_generic_head(self, name: str) -> bool:
        """Whether `name` is one institution word alone ("Party", "the Committee's"),
        which names no organisation in particular."""
        words = name.strip().removeprefix("the ").split()
        return len(words) == 1 and fold_word(words[0].split("’")[0].split("'")[0]) in (
            self.generic_heads
        )

    def is_organisation(self, name: str) -> bool:
        """Whether `name` is the one-word name of a well-known organisation that a tagger
        takes for a person ("Twitter" of "said on Twitter")."""
        return " " not in name.strip() and fold_word(name.strip()) in self.organisations


def fold_word(word: str) -> str:
    """A title or suffix as the lists hold it: lower-case, dots dropped ("Mr." -> "mr")."""
    return word.lower().rstrip(".")


@cache
def name_words() -> NameWords:
    """The name word lists from ``language/data/names.json`` (read once)."""
    text = resources.files("newstrace.language").joinpath("data/names.json").read_text("utf-8")
    raw = json.loads(text)
    return NameWords(
        prefixes=frozenset(raw["name_prefixes"]),
        male=frozenset(raw["male_honorifics"]),
        female=frozenset(raw["female_honorifics"]),
        given_name_titles=frozenset(raw["given_name_titles"]),
        suffixes=frozenset(raw["suffixes"]),
        non_person_heads=frozenset(raw["non_person_heads"]),
        generic_heads=frozenset(raw["generic_heads"]),
        organisations=frozenset(raw["organisations"]),
    )


NAME_WORDS = name_words()


@cache
def _acronyms() -> dict[str, tuple[str, ...]]:
    text = resources.files("newstrace.language").joinpath("data/acronyms.json").read_text("utf-8")
    return {k: tuple(v) for k, v in json.loads(text)["acronyms"].items()}


@cache
def given_names() -> dict[str, str]:
    """Folded given name -> "male" or "female" (``language/data/first_names.json``, from
    the US Census first-name lists; built by scripts/build_first_names.py)."""
    text = resources.files("newstrace.language").joinpath("data/first_names.json")
    raw = json.loads(text.read_text("utf-8"))
    return {n: "male" for n in raw["male"]} | {n: "female" for n in raw["female"]}


def given_name_sex(word: str) -> str | None:
    """ "m" or "f" when `word` ("Laura", "Jeb") is a given name of one usual sex."""
    found = given_names().get(word.lower())
    return None if found is None else found[0]


def acronym_expansions(key: str) -> tuple[str, ...]:
    """The expansions of a well-known acronym (a folded name key: "ap" -> ("associated
    press",)), from ``language/data/acronyms.json``; () for any other name."""
    return _acronyms().get(key, ())


def party_names(word: str) -> tuple[str, ...]:
    """The folded names of the party a party word can stand for: "Republicans" ->
    ("republicans party", "republican party"), "Democrats" -> (..., "democratic
    party"), "GOP" -> ("republican party", ...) from the well-known acronyms. A NORP
    such as "Republicans" is a party's members or voters, and as an actor it is the
    party (spaCy gives it no link to the party's name): these are the names to look
    for. Hand-written forms of English party adjectives (the plural "s", "-crat" /
    "-cratic"); a word of fewer than four letters that is no known acronym gives none."""
    folded = word.strip().lower()
    if not folded.isalpha():
        return ()
    found = [n for n in acronym_expansions(folded) if n.endswith(" party")]
    if len(folded) >= 4:
        stem = folded.removesuffix("s")
        forms = [folded, stem] + ([stem + "ic"] if stem.endswith("crat") else [])
        found += [f"{f} party" for f in forms]
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class ClaimWords:
    """Words that mark a claim future, done or conditional, and the measures that count
    people of any kind (``language/data/claim_words.json``)."""

    future: frozenset[str]
    perfect: frozenset[str]
    participle_endings: tuple[str, ...]
    irregular_participles: frozenset[str]
    conditional: frozenset[str]
    general_measures: frozenset[str]

    def is_participle(self, word: str) -> bool:
        """Whether `word` reads as a past participle ("finished", "taken", "found")."""
        return word in self.irregular_participles or word.endswith(self.participle_endings)


@cache
def claim_mark_words() -> ClaimWords:
    """The claim mark word lists from ``language/data/claim_words.json`` (read once)."""
    path = resources.files("newstrace.language").joinpath("data/claim_words.json")
    raw = json.loads(path.read_text("utf-8"))
    lists = {field: frozenset(raw[key]) for field, key in _CLAIM_LISTS.items()}
    return ClaimWords(participle_endings=tuple(raw["participle_endings"]), **lists)


_CLAIM_LISTS = {
    "future": "future_auxiliaries", "perfect": "perfect_auxiliaries",
    "irregular_participles": "irregular_participles", "conditional": "conditional_words",
    "general_measures": "general_measures",
}  # fmt: skip
