"""Personal-name handling: honorifics, titles, and within-article alias matching."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from newstrace.extract.gazetteer import _data
from newstrace.language import NAME_WORDS, fold_word


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


def honorific_sex(words: list[str]) -> str | None:
    """ "m" or "f" when a name opens with an honorific that shows the sex ("Mr. Holm" and
    "Mrs. Holm" are two people), else None."""
    for word in words[: len(words) - len(name_tokens(words))]:
        sex = NAME_WORDS.sex(word)
        if sex is not None:
            return sex
    return None


def _split_suffix(words: list[str]) -> tuple[list[str], str]:
    """A generational suffix ("Ada Holm Jr." is not "Ada Holm") split off the name."""
    if len(words) > 1 and NAME_WORDS.is_suffix(words[-1]):
        return words[:-1], fold_word(words[-1])
    return words, ""


def middle_initials(words: list[str]) -> str:
    """The initials of the words between first and last name: ["George", "H.W.", "Holm"]
    -> "hw"; an all-capitals word of up to three letters counts as initials ("HW")."""
    words, _ = _split_suffix(words)
    letters = []
    for word in words[1:-1]:
        bare = word.replace(".", "")
        initials = bare.isupper() and len(bare) <= 3
        letters.append(bare if initials else bare[:1])
    return "".join(letters).lower()


def compatible(a: list[str], b: list[str]) -> bool:
    """Whether two names can denote one person: the same surname and, for two full names,
    compatible given names, the same generational suffix ("Jr.") and no differing middle
    initials ("George W. Holm" is not "George H.W. Holm")."""
    a, suffix_a = _split_suffix(a)
    b, suffix_b = _split_suffix(b)
    if not a or not b or a[-1].lower() != b[-1].lower():
        return False
    if len(a) == 1 or len(b) == 1:
        return True
    first_a, first_b = a[0], b[0]
    if is_initial(first_a) or is_initial(first_b):
        same_first = first_a[0].lower() == first_b[0].lower()
    else:
        same_first = first_a.lower() == first_b.lower()
    middle_a, middle_b = middle_initials(a), middle_initials(b)
    middles_agree = not middle_a or not middle_b or middle_a == middle_b
    return same_first and suffix_a == suffix_b and middles_agree
