"""Personal-name handling: honorifics, titles, and within-article alias matching."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from newstrace.extract.gazetteer import _data


@dataclass(frozen=True)
class TitleLexicon:
    """Words that precede names: honorifics (no role) and titles (kept as roles)."""

    honorifics: frozenset[str]
    titles: frozenset[str]
    role_words: frozenset[str]
    person_nouns: frozenset[str]

    def is_prefix(self, word: str) -> bool:
        """Whether `word` is an honorific or title that may precede a name."""
        return word in self.honorifics or word in self.titles


@lru_cache(maxsize=1)
def title_lexicon() -> TitleLexicon:
    """The title lexicon from ``data/titles.json`` (cached)."""
    raw = _data("titles.json")
    return TitleLexicon(
        honorifics=frozenset(raw["honorifics"]),
        titles=frozenset(raw["titles"]),
        role_words=frozenset(raw["role_words"]),
        person_nouns=frozenset(raw["person_nouns"]),
    )


def name_tokens(words: list[str]) -> list[str]:
    """The words of a personal name without leading honorifics/titles or a trailing "'s"."""
    lex = title_lexicon()
    out = list(words)
    while out and out[-1] in ("'s", "’s", "'"):
        out.pop()
    while len(out) > 1 and lex.is_prefix(out[0]):
        out.pop(0)
    return out


def is_initial(word: str) -> bool:
    """Whether `word` is an initial such as "V." or "V"."""
    return len(word.rstrip(".")) == 1 and word[:1].isupper()


def compatible(a: list[str], b: list[str]) -> bool:
    """Whether two full names can denote one person (same surname, compatible given names)."""
    if not a or not b or a[-1].lower() != b[-1].lower():
        return False
    if len(a) == 1 or len(b) == 1:
        return True
    first_a, first_b = a[0], b[0]
    if is_initial(first_a) or is_initial(first_b):
        return first_a[0].lower() == first_b[0].lower()
    return first_a.lower() == first_b.lower()
