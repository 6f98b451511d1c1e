"""Normalising names, words and units so that the same thing written twice compares equal.

Nothing here is specific to one story: the word lists are English function words and
honorifics, not topics.
"""

from __future__ import annotations

import re
import unicodedata

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

HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sir",
        "dame",
        "gen",
        "general",
        "lt",
        "col",
        "colonel",
        "maj",
        "major",
        "capt",
        "captain",
        "adm",
        "admiral",
        "sgt",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "president",
        "vice",
        "prime",
        "minister",
        "secretary",
        "mayor",
        "judge",
        "justice",
        "rev",
        "father",
        "sister",
        "brother",
        "king",
        "queen",
        "prince",
        "princess",
        "lord",
        "lady",
        "chancellor",
        "premier",
        "chief",
        "director",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "ambassador",
        "commander",
        "defence",
        "defense",
        "foreign",
        "state",
        "deputy",
        "former",
        "the",
    ]
)


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


def _strip_possessive(word: str) -> str:
    return word[:-2] if word.endswith("'s") else word


def name_tokens(name: str) -> list[str]:
    """A person's name without honorifics and initials: "Gen. Valery V. Gerasimov" ->
    ["valery", "gerasimov"]."""
    tokens = [w for w in words(name) if w not in HONORIFICS]
    return [t for t in tokens if len(t) > 1 and not t.isdigit()]


def name_key(name: str) -> str:
    """The key under which an actor's name is looked up."""
    tokens = [w for w in words(name) if w != "the"]
    return " ".join(tokens)


def person_key(name: str) -> str:
    """First and last name tokens: "Vladimir V. Putin" and "Vladimir Putin" share a key."""
    tokens = name_tokens(name)
    if len(tokens) <= 1:
        return " ".join(tokens)
    return f"{tokens[0]} {tokens[-1]}"


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
