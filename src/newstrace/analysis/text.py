"""Normalising names, words and units so that the same thing written twice compares equal.

Nothing here is specific to one story: the word lists are English function words and
the name words shared with extraction (`newstrace.language`), not topics.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from newstrace.language import NAME_WORDS

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "not",
        "no",
        "nor",
        "than",
        "then",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "him",
        "we",
        "our",
        "us",
        "you",
        "your",
        "i",
        "me",
        "my",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "only",
        "own",
        "same",
        "so",
        "too",
        "very",
        "just",
        "also",
        "into",
        "over",
        "after",
        "before",
        "about",
        "said",
        "says",
        "say",
        "told",
        "according",
    ]
)

HONORIFICS = NAME_WORDS.prefixes
MALE_HONORIFICS = NAME_WORDS.male
FEMALE_HONORIFICS = NAME_WORDS.female
# Titles followed by a given or regnal name, not a surname: "Pope Adrian", "Queen Mab",
# "Sir Ector" (British usage), "Sister Agnes".
GIVEN_NAME_TITLES = NAME_WORDS.given_name_titles
# Generational suffixes: "Ada Holm Jr." is not "Ada Holm".
SUFFIXES = NAME_WORDS.suffixes


def fold(text: str) -> str:
    """Lower-case, accents stripped, curly apostrophes straightened."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The folded words of `text`, possessive "'s" removed."""
    return [_strip_possessive(w) for w in _WORD.findall(fold(text))]


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no function words, no one-letter words."""
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


_INFLECTIONS = (
    ("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("e", "")
)  # fmt: skip
MIN_STEM = 3


def stem(word: str) -> str:
    """`word` without its inflection, so that the forms of one word compare equal:
    "damaged" and "damage", "voted" and "votes", "reversed" and "reverse" (a crude
    suffix strip, English only; a stem is never shorter than `MIN_STEM` letters)."""
    for suffix, replacement in _INFLECTIONS:
        if not word.endswith(suffix) or len(word) - len(suffix) < MIN_STEM:
            continue
        if suffix == "s" and word.endswith("ss"):
            return word
        return word[: -len(suffix)] + replacement
    return word


def _strip_possessive(word: str) -> str:
    return word[:-2] if word.endswith("'s") else word


def leading_titles(name: str) -> list[str]:
    """The honorifics and titles that open `name`: "Sen. Ada Holm" -> ["sen"]. The last
    word is always a name ("Mr. King")."""
    found: list[str] = []
    for word in words(name)[:-1]:
        if word not in HONORIFICS:
            break
        found.append(word)
    return found


def _bare_words(name: str) -> list[str]:
    """The words of a name after its opening titles, without a generational suffix."""
    tokens = words(name)[len(leading_titles(name)) :]
    while tokens and tokens[-1] in SUFFIXES:
        tokens.pop()
    return tokens


def name_tokens(name: str) -> list[str]:
    """A person's name without opening honorifics, initials, numbers or a generational
    suffix: "Gen. Valery V. Gerasimov" -> ["valery", "gerasimov"]. Only opening titles
    are dropped: "King" in "Ada King" is a surname."""
    return [t for t in _bare_words(name) if len(t) > 1 and not any(c.isdigit() for c in t)]


def name_suffix(name: str) -> str:
    """The generational suffix closing a name ("jr"), or ""."""
    tokens = words(name)
    return tokens[-1] if len(tokens) > 1 and tokens[-1] in SUFFIXES else ""


def name_key(name: str) -> str:
    """The key under which an actor's name is looked up."""
    tokens = [w for w in words(name) if w != "the"]
    return " ".join(tokens)


def person_key(name: str) -> str:
    """First and last name tokens, and a generational suffix: "Vladimir V. Putin" and
    "Vladimir Putin" share a key; "Ada Holm Jr." has its own."""
    tokens = name_tokens(name)
    if len(tokens) <= 1:
        return " ".join(tokens)
    return " ".join(t for t in (tokens[0], tokens[-1], name_suffix(name)) if t)


def middle_initials(name: str) -> str:
    """The initials of the names between first and last name: "George H.W. Bush" ->
    "hw", "Ada Lyn Holm" -> "l", "Ada Holm" -> "". Reads case, so "HW" counts as two
    initials."""
    # Only capitalised words are parts of the name: not "a" in "a Holm", nor the "s" of
    # "Holm‘s" (a misused quote), nor numbers.
    raw = [
        w
        for w in _WORD.findall(name.replace("’", "'"))
        if w[:1].isupper() and not any(c.isdigit() for c in w)
    ]
    while len(raw) > 1 and fold(raw[0]) in HONORIFICS:
        raw.pop(0)
    while len(raw) > 1 and fold(raw[-1]) in SUFFIXES:
        raw.pop()
    letters = [w if w.isupper() and len(w) <= 3 else w[0] for w in raw[1:-1]]
    return fold("".join(letters))


def person_sex(names: Iterable[str]) -> str | None:
    """ "m" or "f" when the honorifics opening `names` show one sex ("Mr. Holm"); None when
    they show none or both."""
    sexes = {_honorific_sex(leading_titles(n)) for n in names} - {None}
    return next(iter(sexes)) if len(sexes) == 1 else None


def person_sexes(names: Iterable[str]) -> set[str]:
    """Every sex that the honorifics opening `names` show."""
    return {s for s in (_honorific_sex(leading_titles(n)) for n in names) if s is not None}


def _honorific_sex(titles: list[str]) -> str | None:
    if any(t in MALE_HONORIFICS for t in titles):
        return "m"
    if any(t in FEMALE_HONORIFICS for t in titles):
        return "f"
    return None


def given_name_title(names: Iterable[str]) -> str | None:
    """The title when a one-word name follows a title that precedes given or regnal names
    ("Pope Adrian" -> "pope"), else None."""
    for name in names:
        titles = leading_titles(name)
        if titles and titles[-1] in GIVEN_NAME_TITLES and len(name_tokens(name)) == 1:
            return titles[-1]
    return None


def titled_surname(names: Iterable[str]) -> bool:
    """Whether a one-word name appears after an honorific or title that precedes surnames
    ("Mr. Holm", "Sen. Holm"): the word is then a surname, never a first name."""
    return any(
        leading_titles(n) and len(name_tokens(n)) == 1 and given_name_title([n]) is None
        for n in names
    )


def acronym(name: str) -> str | None:
    """Initials of a multi-word organisation name ("National Intelligence Service" ->
    "nis"), or None when the name is a single word."""
    tokens = [w for w in words(name.split("(")[0]) if w not in STOPWORDS]
    if len(tokens) < 2:
        return None
    return "".join(t[0] for t in tokens)


def unit_key(unit: str | None) -> str | None:
    """A counted noun folded to a crude singular: "Troops" -> "troop"."""
    if not unit:
        return None
    tokens = words(unit)
    if not tokens:
        return None
    head = tokens[-1]
    if head.endswith("ies") and len(head) > 4:
        return head[:-3] + "y"
    if head.endswith("s") and not head.endswith("ss") and len(head) > 3:
        return head[:-1]
    return head
