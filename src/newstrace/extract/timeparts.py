"""Calendar words and absolute-date parsing used by `times`."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from newstrace.models import Granularity

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
SEASONS: dict[str, str] = {
    "spring": "SP",
    "summer": "SU",
    "autumn": "FA",
    "fall": "FA",
    "winter": "WI",
}
NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "a few": 3,
}  # fmt: skip
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "q1": 1, "q2": 2, "q3": 3, "q4": 4}

Absolute = tuple[str | None, Granularity]

_M = "(?P<m>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_Y = r"(?P<y>1[89]\d\d|20\d\d|21\d\d)"
_D = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_W = r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),? )?"
_EDGES = r"early|earlier|late|later|mid|the end of|the start of|the beginning of"
_MODS = r"(?:(?:" + _EDGES + r"|spring|summer|fall|autumn|winter)[\s-]+(?:of )?)?"
_PATTERNS: list[tuple[re.Pattern[str], Granularity]] = [
    (re.compile(r"(?P<y>\d{4})-(?P<mn>\d{2})-(?P<d>\d{2})"), "day"),
    (re.compile(_W + _M + " " + _D + ",? " + _Y), "day"),
    (re.compile(_W + r"(?:the )?" + _D + " (?:of )?" + _M + ",? " + _Y), "day"),
    (re.compile(_MODS + _M + ",? (?:of )?" + _Y), "month"),
    (re.compile(r"(?:the )?(?P<q>first|second|third|fourth) quarter(?: of)? " + _Y), "quarter"),
    (re.compile(r"(?P<q>q[1-4]),? " + _Y), "quarter"),
    (re.compile(r"(?:the )?(?:(?:early|late|mid)[\s-]+)?(?P<dec>1[89]\d0|20\d0)'?s"), "decade"),
    (
        re.compile(r"(?:the )?(?:(?:fiscal|calendar|" + _EDGES + r")[\s-]+(?:year )?)?" + _Y),
        "year",
    ),
]


def parse_absolute(phrase: str) -> Absolute | None:
    """Value and granularity of a date that carries its own year, else None."""
    for pattern, granularity in _PATTERNS:
        match = pattern.fullmatch(phrase)
        if match is not None:
            return _value(match, granularity), granularity
    if re.search(r"\b(1[89]|20)\d\d\b", phrase) and re.search(r"[a-z/.]", phrase):
        return _dateparser(phrase)
    return None


def _value(match: re.Match[str], granularity: Granularity) -> str | None:
    groups = match.groupdict()
    if granularity == "decade":
        return groups["dec"][:3]
    year = int(groups["y"])
    if granularity == "year":
        return f"{year:04d}"
    if granularity == "quarter":
        return f"{year:04d}-Q{_QUARTERS[groups['q']]}"
    month = int(groups["mn"]) if groups.get("mn") else MONTHS[groups["m"]]
    if granularity == "month":
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, int(groups["d"])).isoformat()
    except ValueError:
        return None


def _dateparser(phrase: str) -> Absolute | None:
    """Fallback for absolute dates the patterns miss ("2024/03/05", "5.3.2024")."""
    parsed = _parse_with_dateparser(phrase)
    if parsed is None:
        return None
    value, has_day = parsed
    if has_day:
        return value, "day"
    return value[:7], "month"


@lru_cache(maxsize=4096)
def _parse_with_dateparser(phrase: str) -> tuple[str, bool] | None:
    import dateparser

    settings = {"REQUIRE_PARTS": ["year", "month"], "PREFER_DAY_OF_MONTH": "first"}
    try:
        parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None:
        return None
    has_day = bool(re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b(?!\d)", re.sub(r"\d{4}", "", phrase)))
    return parsed.date().isoformat(), has_day


def month_shift(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by `delta` months."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def week_value(day: date) -> str:
    """The ISO week of `day` as ``YYYY-Www``."""
    iso = day.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"
