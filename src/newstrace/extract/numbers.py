"""Reading numbers written in figures and words: "14,000", "1.2 million", "ten-thousand"."""

from __future__ import annotations

SMALL: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
}  # fmt: skip
SCALES: dict[str, int] = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "mln": 1_000_000, "bln": 1_000_000_000, "bn": 1_000_000_000,
    "m": 1_000_000, "k": 1_000, "dozen": 12,
}  # fmt: skip
# Vague amounts: (low, high) bounds; the best single value stays null.
VAGUE: dict[str, tuple[float, float | None]] = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, None),
    "tens of millions": (20_000_000, 99_999_999),
    "hundreds of millions": (200_000_000, 999_999_999),
    "billions": (2_000_000_000, None),
}
FUZZY: dict[str, tuple[float, float]] = {"several": (3, 9), "a few": (2, 5), "a couple of": (2, 3)}


def parse_number(words: list[str]) -> float | None:
    """The value of a number written as `words` (already lower-cased), or None."""
    total = 0.0
    current = 0.0
    seen = False
    for word in words:
        if word in ("-", "and", "–"):
            continue
        numeric = _numeric(word)
        if numeric is not None:
            current += numeric
        elif word in SMALL:
            current += SMALL[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in SCALES:
            total += (current or 1) * SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _numeric(word: str) -> float | None:
    text = word.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def is_number_word(word: str) -> bool:
    """Whether a lower-cased token can be part of a number."""
    return _numeric(word) is not None or word in SMALL or word in SCALES
