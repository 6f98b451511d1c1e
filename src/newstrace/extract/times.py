"""Time expressions normalised against the publication date, with news conventions.

All the relative rules live here, in order, so they can be read in one place:

* a bare weekday ("on Saturday") is the most recent such day on or before the
  publication date, unless the governing verb is future ("will meet on Monday"):
  then the next one after it; "last Tuesday" is strictly before, "next Tuesday" after;
* a month without a year ("in June", "June 5") is the nearest past occurrence for
  past-tense verbs, the next one for future verbs, otherwise the past one unless the
  month is at most three months ahead ("Oct. 23" in a May article is last October);
  "last June" is the latest June before the publication month, "next June" the first after;
* "yesterday", "today", "tomorrow", "N days/weeks/months/years ago";
* "this/last/next week|month|year|quarter", with "earlier"/"later"/"early"/"late"
  modifiers keeping the granularity of the noun ("late last year" -> "2024");
* seasons in one sequence (spring Mar-May, summer Jun-Aug, autumn Sep-Nov, winter
  Dec-Feb, named by the year it starts in): "last spring" is the latest spring before the
  publication's season ("last spring" in December 2015 -> "2015-SP", in April 2016 ->
  "2015-SP"), "next spring" the first after it; "this spring" the one of the current
  season-year (spring to winter), the coming one in future tense; a bare "in the spring"
  the latest one in past tense, the coming one in future tense, else this season-year's;
* weekends ("YYYY-Www-WE", the ISO week's Saturday and Sunday): "this weekend" and "the
  weekend" are the coming one (the current one when published on a Saturday or Sunday),
  in past tense on a weekday the one just gone ("clashes this weekend killed three" on a
  Tuesday); "last weekend" the one of the week before, "next weekend" of the week after;
* quarters ("the fourth quarter of 2024" -> "2024-Q4"),
  decades ("the 1990s" -> "199"), "since 2022" -> "2022" (the span keeps "since");
* "the third quarter" / "third-quarter" without a year is the latest such quarter that
  has begun (the next one in future tense); "the (latest) quarter" in past tense is the
  last completed quarter;
* durations are TIMEX3 DURATION values: "two weeks" -> "P2W", "the past six months" ->
  "P6M", "several days" -> "PXD", "five hours" -> "PT5H" (granularity of the unit);
* "would"/"could" and "plan/schedule/set to ..." count as future for weekdays and months;
* vague references: "recently" -> PAST_REF, "currently"/"now" -> PRESENT_REF,
  "in the coming weeks" -> FUTURE_REF.

Absolute dates resolve without a publication date (dateparser handles the forms the
patterns here do not); relative ones get value None when it is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Literal

from spacy.tokens import Doc
from spacy.tokens import Span as DocSpan

from newstrace.extract.spans import doc_text, tokens_span
from newstrace.extract.timeparts import (
    MONTHS,
    NUMBER_WORDS,
    SEASONS,
    WEEKDAYS,
    month_shift,
    parse_absolute,
    week_value,
)
from newstrace.models import Granularity, TimeExpression

Tense = Literal["past", "present", "future"]
Result = tuple[str | None, Granularity]
_Rule = Callable[[re.Match[str], date, Tense], Result]

_LEAD = re.compile(r"^(?:since|until|till|by|from|on|in|during|at|of|for|as of|over)\s+", re.I)
_KEEP_LEAD = frozenset({"since", "until", "till"})
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(WEEKDAYS)
_MOD = r"(?:(?:early|earlier|late|later|mid|the end of|the start of|the beginning of)[\s-]+)?"
_FUTURE_LEMMAS = frozenset(
    {"will", "shall", "'ll", "expect", "plan", "schedule", "due", "set", "intend", "hope"}
)
_AHEAD_MONTHS = 3  # a later month named in the present tense is upcoming only when this close
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would", "could"})
_REFS = {
    "recently": "PAST_REF",
    "lately": "PAST_REF",
    "currently": "PRESENT_REF",
    "now": "PRESENT_REF",
    "at present": "PRESENT_REF",
    "these days": "PRESENT_REF",
    "soon": "FUTURE_REF",
    "the future": "FUTURE_REF",
    "the past": "PAST_REF",
}
_BARE_UNITS = frozenset(
    f"{the}{unit}" for the in ("", "the ") for unit in ("year", "month", "week")
)
_REF_PATTERNS = re.compile(
    r"\b(?:in recent (?:days|weeks|months|years)"
    r"|in the (?:coming|next few) (?:days|weeks|months|years)|recently|currently|now)\b",
    re.I,
)


def extract_times(doc: Doc, published: str | None) -> list[TimeExpression]:
    """Time expressions of `doc`, ids ``t1``, ``t2``... in text order."""
    pub = _parse_published(published)
    found: list[TimeExpression] = []
    for first, last in _candidates(doc):
        span = tokens_span(doc, first, last, strip=" \t\r\n,;:.")
        if span is None:
            continue
        result = normalize_time(span.text, pub, _tense(doc[first : last + 1]))
        if result is None:
            continue
        value, granularity = result
        if value is None and (pub is not None or granularity == "unknown"):
            continue
        tid = f"t{len(found) + 1}"
        found.append(TimeExpression(tid, span.start, span.end, span.text, value, granularity))
    return found


def _parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _candidates(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges (inclusive) of DATE/TIME entities, weekdays and vague references."""
    ranges: list[tuple[int, int]] = []
    taken: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME") or _is_age(ent):
            continue
        if ent.label_ == "TIME" and not _has_day_word(ent):
            continue
        first = ent.start
        if first > 0 and doc[first - 1].lower_ in _KEEP_LEAD:
            first -= 1
        ranges.append((first, ent.end - 1))
        taken.update(range(first, ent.end))
    for token in doc:
        if token.i in taken:
            continue
        if token.lower_ in WEEKDAYS and token.is_title:
            ranges.append((token.i, token.i))
    for match in _REF_PATTERNS.finditer(doc_text(doc)):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None and not taken.intersection(range(span.start, span.end)):
            ranges.append((span.start, span.end - 1))
    return sorted(set(ranges))


def _is_age(ent: DocSpan) -> bool:
    return any(t.lower_ in ("old", "-year-old", "year-old") for t in ent) or "-old" in ent.text


def _has_day_word(ent: DocSpan) -> bool:
    return any(t.lower_ in WEEKDAYS or t.lower_ in ("yesterday", "today", "tomorrow") for t in ent)


def _tense(span: DocSpan) -> Tense:
    """The tense of the verb that governs `span` (future, past, or present)."""
    verb = span.root
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
            break
        verb = verb.head
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass") and child.lower_ in _FUTURE_AUX:
            return "future"
    if verb.lemma_ in _FUTURE_LEMMAS and verb.tag_ != "VBD":
        return "future"
    if verb.dep_ == "xcomp" and verb.head.lemma_ in _FUTURE_LEMMAS:
        return "future"  # "plans to meet on Tuesday", "is scheduled to vote Friday"
    if verb.tag_ in ("VBD", "VBN"):
        return "past"
    if any(c.dep_ == "aux" and c.tag_ == "VBD" for c in verb.children):
        return "past"
    return "present"


def normalize_time(text: str, published: date | None, tense: Tense = "past") -> Result | None:
    """The TIMEX3-style value and granularity of `text`, or None when not a time point.

    Relative expressions get value None when `published` is None.
    """
    phrase = _LEAD.sub("", text.strip().lower().rstrip(".,")).strip()
    phrase = re.sub(r"\s+", " ", phrase.replace("’", "'"))
    absolute = parse_absolute(phrase)
    if absolute is not None:
        return absolute
    if phrase in _BARE_UNITS:
        return None
    ref = _REFS.get(phrase) or _vague(phrase)
    if ref is not None:
        return ref, "unknown"
    for pattern, rule in _RULES:
        match = pattern.fullmatch(phrase)
        if match is not None:
            if published is None:
                return None, rule(match, date(2000, 1, 1), tense)[1]
            return rule(match, published, tense)
    return None, "unknown"


def _vague(phrase: str) -> str | None:
    if re.fullmatch(
        r"in recent (?:days|weeks|months|years)|recent (?:days|weeks|months|years)", phrase
    ):
        return "PAST_REF"
    if re.fullmatch(r"(?:in )?the (?:coming|next few) (?:days|weeks|months|years)", phrase):
        return "FUTURE_REF"
    return None


def _day(match: re.Match[str], pub: date, tense: Tense) -> Result:
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[match.group(1)]
    return (pub + timedelta(days=offset)).isoformat(), "day"


def _weekday(match: re.Match[str], pub: date, tense: Tense) -> Result:
    rel, target = match.group(1), WEEKDAYS[match.group(2)]
    back = (pub.weekday() - target) % 7
    ahead = (target - pub.weekday()) % 7
    if rel == "next" or (rel != "last" and tense == "future"):
        day = pub + timedelta(days=ahead or 7)
    elif rel == "last":
        day = pub - timedelta(days=back or 7)
    else:
        day = pub - timedelta(days=back)
    return day.isoformat(), "day"


def _shift(rel: str | None) -> int:
    return {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel or "", 0)


def _week(match: re.Match[str], pub: date, tense: Tense) -> Result:
    return week_value(pub + timedelta(weeks=_shift(match.group(1)))), "week"


def _month_rel(match: re.Match[str], pub: date, tense: Tense) -> Result:
    year, month = month_shift(pub.year, pub.month, _shift(match.group(1)))
    return f"{year:04d}-{month:02d}", "month"


def _year_rel(match: re.Match[str], pub: date, tense: Tense) -> Result:
    return f"{pub.year + _shift(match.group(1)):04d}", "year"


def _quarter_rel(match: re.Match[str], pub: date, tense: Tense) -> Result:
    index = pub.year * 4 + (pub.month - 1) // 3 + _shift(match.group(1))
    return f"{index // 4:04d}-Q{index % 4 + 1}", "quarter"


def _named_quarter(match: re.Match[str], pub: date, tense: Tense) -> Result:
    """ "the third quarter": the latest one that has begun, or the next one in future tense."""
    number = ("first", "second", "third", "fourth").index(match.group(1)) + 1
    current = (pub.month - 1) // 3 + 1
    year = pub.year if number <= current or tense == "future" else pub.year - 1
    if tense == "future" and number < current:
        year += 1
    return f"{year:04d}-Q{number}", "quarter"


def _latest_quarter(match: re.Match[str], pub: date, tense: Tense) -> Result:
    """ "the quarter" in past-tense results: the last completed quarter."""
    index = pub.year * 4 + (pub.month - 1) // 3 - (1 if tense == "past" else 0)
    return f"{index // 4:04d}-Q{index % 4 + 1}", "quarter"


def _month_year(month: int, pub: date, rel: str | None, tense: Tense) -> int:
    """The year of a month named without one, by the conventions in the module docstring."""
    if rel in ("last", "past", "previous"):
        return pub.year if month < pub.month else pub.year - 1
    if rel in ("next", "coming"):
        return pub.year if month > pub.month else pub.year + 1
    if rel == "this":
        return pub.year
    if tense == "future":
        return pub.year if month >= pub.month else pub.year + 1
    if tense == "past" or month <= pub.month:
        return pub.year if month <= pub.month else pub.year - 1
    return pub.year if month - pub.month <= _AHEAD_MONTHS else pub.year - 1


def _named_month(match: re.Match[str], pub: date, tense: Tense) -> Result:
    month = MONTHS[match.group(2)]
    year = _month_year(month, pub, match.group(1), tense)
    return f"{year:04d}-{month:02d}", "month"


def _month_day(match: re.Match[str], pub: date, tense: Tense) -> Result:
    month = MONTHS[match.group("m")]
    day = int(match.group("d"))
    year = _month_year(month, pub, None, tense)
    try:
        return date(year, month, day).isoformat(), "day"
    except ValueError:
        return None, "day"


_SEASON_ORDER = ("SP", "SU", "FA", "WI")  # spring Mar-May ... winter Dec-Feb


def _season(match: re.Match[str], pub: date, tense: Tense) -> Result:
    """A season by the rules of the module docstring: seasons counted in one sequence
    (spring, summer, autumn of a year, then its winter, which ends in February)."""
    rel, wanted = match.group(1), _SEASON_ORDER.index(SEASONS[match.group(2)])
    month = pub.month
    current = (pub.year - (month <= 2)) * 4 + (3 if month in (12, 1, 2) else (month - 3) // 3)
    back, ahead = (current - wanted) % 4, (wanted - current) % 4
    if rel in ("last", "past", "previous"):
        index = current - (back or 4)
    elif rel in ("next", "coming"):
        index = current + (ahead or 4)
    elif tense == "future":
        index = current + ahead
    elif tense == "past" and rel != "this":
        index = current - back
    else:  # "this", or no tense: the one of the current season-year
        index = current - current % 4 + wanted
    return f"{index // 4:04d}-{_SEASON_ORDER[index % 4]}", "season"


def _weekend(match: re.Match[str], pub: date, tense: Tense) -> Result:
    """A weekend (``YYYY-Www-WE``) by the rules of the module docstring."""
    rel, on_weekend = match.group(1), pub.weekday() >= 5
    if rel in ("last", "past", "previous") or (
        tense == "past" and not on_weekend and rel != "next"
    ):
        weeks = -1
    elif rel in ("next", "coming"):
        weeks = 1
    else:
        weeks = 0
    return week_value(pub + timedelta(weeks=weeks)) + "-WE", "week"


def _ago(match: re.Match[str], pub: date, tense: Tense) -> Result:
    count = NUMBER_WORDS.get(match.group(1)) or int(match.group(1))
    unit = match.group(2).rstrip("s")
    if unit == "day":
        return (pub - timedelta(days=count)).isoformat(), "day"
    if unit == "week":
        return week_value(pub - timedelta(weeks=count)), "week"
    if unit == "month":
        year, month = month_shift(pub.year, pub.month, -count)
        return f"{year:04d}-{month:02d}", "month"
    return f"{pub.year - count:04d}", "year"


def _duration(match: re.Match[str], pub: date, tense: Tense) -> Result:
    """ "two weeks" -> P2W, "the past six months" -> P6M, "five hours" -> PT5H."""
    amount, unit = match.group(1), match.group(2).rstrip("s")
    count = "1" if amount in ("a", "an") else str(NUMBER_WORDS.get(amount, amount))
    if amount in ("several", "a few", "few"):
        count = "X"
    if unit == "hour":
        return f"PT{count}H", "unknown"
    return f"P{count}{unit[0].upper()}", _UNIT_GRANULARITY[unit]


_REL = r"(?:(last|this|next|past|previous|coming)\s+)?"
_NUM = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
_UNIT_GRANULARITY: dict[str, Granularity] = {
    "day": "day",
    "week": "week",
    "month": "month",
    "year": "year",
}
_DURATION = (
    r"(?:(?:about|nearly|almost|more than|less than|over|at least|some|the) )?"
    r"(?:(?:past|last|next|first|previous|coming|latest) )?"
    r"(\d+|a|an|several|a few|few|" + "|".join(NUMBER_WORDS) + r")[\s-]"
    r"(hours?|days?|weeks?|months?|years?)(?:-long)?"
)
_RULES: list[tuple[re.Pattern[str], _Rule]] = [
    (
        re.compile(r"(today|tonight|yesterday|tomorrow)(?: (?:morning|afternoon|evening|night))?"),
        _day,
    ),
    (
        re.compile(
            r"(?:(last|this|next) )?(" + _WEEKDAY_RE + r")(?: (?:morning|afternoon|evening|night))?"
        ),
        _weekday,
    ),
    (re.compile(_MOD + r"(?:the )?" + _REL + r"weekend"), _weekend),
    (re.compile(_MOD + r"(?:the )?" + _REL + r"week"), _week),
    (re.compile(_MOD + r"(?:the )?" + _REL + r"month"), _month_rel),
    (re.compile(_MOD + r"(?:the )?" + _REL + r"year"), _year_rel),
    (re.compile(r"(?:the )?(first|second|third|fourth)[\s-]quarter"), _named_quarter),
    (re.compile(r"the (?:latest |most recent |recent )?quarter"), _latest_quarter),
    (re.compile(_MOD + r"(?:the )?" + _REL + r"quarter"), _quarter_rel),
    (re.compile(_MOD + r"(?:(last|this|next|past|coming) )?(" + _MONTH_RE + r")\.?"), _named_month),
    (re.compile(r"(?P<m>" + _MONTH_RE + r")\.? (?P<d>\d{1,2})(?:st|nd|rd|th)?"), _month_day),
    (
        re.compile(r"(?:the )?(?P<d>\d{1,2})(?:st|nd|rd|th)? (?:of )?(?P<m>" + _MONTH_RE + r")"),
        _month_day,
    ),
    (re.compile(_MOD + r"(?:the )?" + _REL + r"(spring|summer|autumn|fall|winter)"), _season),
    (re.compile(_NUM + r" (days?|weeks?|months?|years?) ago"), _ago),
    (re.compile(_DURATION), _duration),
    (re.compile(r"(a|an) (day|week|month|year) ago"), lambda m, p, t: _ago_one(m, p, t)),
]


def _ago_one(match: re.Match[str], pub: date, tense: Tense) -> Result:
    rebuilt = re.fullmatch(
        _NUM + r" (days?|weeks?|months?|years?) ago", f"one {match.group(2)} ago"
    )
    assert rebuilt is not None
    return _ago(rebuilt, pub, tense)
