"""Figures: numbers with their qualifier, bounds and counted unit.

`extract_figures(doc)` reads numerals and number words ("14,000", "1.2 million",
"ten-thousand", "several thousand", "millions of"), ranges ("3,000 to 5,000",
"between 3,000 and 5,000", "20 or 30 percent"), and qualifiers ("as many as", "more
than", ...) mapped to bounds. Years, dates, times of day and ordinals are skipped; percentages get
unit "percent". Claims are linked later by the pipeline (`claim_id`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Token

from newstrace.extract.numbers import FUZZY, SCALES, VAGUE, is_number_word, parse_number
from newstrace.extract.spans import tokens_span
from newstrace.models import Figure

_SKIP_ENTS = frozenset({"DATE", "TIME", "ORDINAL"})
_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")
_CURRENCY = {"$": "dollars", "€": "euros", "£": "pounds", "¥": "yen"}
_PERCENT = frozenset({"%", "percent", "per cent", "pct"})
_RANGE_LINKS = frozenset({"to", "-", "–", "and", "or"})
_VAGUE_FIRST = frozenset(p.split()[0] for p in (*VAGUE, *FUZZY))


@dataclass(frozen=True)
class _Qualifiers:
    before: dict[str, str]
    after: dict[str, str]


@lru_cache(maxsize=1)
def _qualifiers() -> _Qualifiers:
    path = resources.files("newstrace.extract.data").joinpath("qualifiers.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    return _Qualifiers(before=raw["before"], after=raw["after"])


@dataclass
class _Run:
    first: int
    last: int
    value: float | None
    low: float | None
    high: float | None
    qualifier: str | None = None


def extract_figures(doc: Doc) -> list[Figure]:
    """Figures of `doc`, ids ``f1``, ``f2``... in text order."""
    figures: list[Figure] = []
    i = 0
    while i < len(doc):
        run = _read_run(doc, i)
        if run is None:
            i += 1
            continue
        i = run.last + 1
        if _skip(doc, run):
            continue
        figure = _figure(doc, run, f"f{len(figures) + 1}")
        if figure is not None:
            figures.append(figure)
    return figures


def _is_num(token: Token) -> bool:
    if token.ent_type_ in _SKIP_ENTS and not _numbers_only(token):
        return False
    if token.like_num and is_number_word(token.lower_):
        return True
    return token.lower_ in SCALES and token.i > 0


def _read_run(doc: Doc, i: int) -> _Run | None:
    vague = _vague_at(doc, i)
    if vague is not None:
        return vague
    if not _is_num(doc[i]) or doc[i].lower_ in SCALES:
        return None
    last = _number_end(doc, i)
    value = parse_number([t.lower_ for t in doc[i : last + 1]])
    if value is None:
        return None
    run = _Run(i, last, value, value, value)
    return _extend_range(doc, run)


def _numbers_only(token: Token) -> bool:
    """A DATE entity made of number words only ("two or three thousand", "77"): the
    tagger's mistake for an amount, not a date (a year, "two years" or "March 5" has a
    word of time or a year in it)."""
    if token.ent_type_ != "DATE":
        return False
    doc, start, end = token.doc, token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    words = doc[start:end]
    return any(t.like_num for t in words) and all(
        (is_number_word(t.lower_) and not _YEAR.fullmatch(t.text)) or t.lower_ in _RANGE_LINKS
        for t in words
    )


def _number_end(doc: Doc, i: int) -> int:
    last = i
    while last + 1 < len(doc):
        nxt = doc[last + 1]
        if _is_num(nxt) and (nxt.lower_ in SCALES or not nxt.like_num or not doc[last].like_num):
            last += 1
        elif (nxt.text == "-" and last + 2 < len(doc) and doc[last + 2].lower_ in SCALES) or (
            nxt.text == "-"
            and nxt.whitespace_ == ""
            and last + 2 < len(doc)
            and _word_num(doc[last + 2])
        ):
            last += 2
        else:
            break
    return last


def _word_num(token: Token) -> bool:
    return token.lower_ in SCALES or (token.like_num and token.is_alpha)


def _vague_at(doc: Doc, i: int) -> _Run | None:
    """ "tens of thousands of", "millions of", "several thousand", "a few hundred"."""
    if doc[i].lower_ not in _VAGUE_FIRST:
        return None
    for phrase in sorted(VAGUE, key=len, reverse=True):
        words = phrase.split()
        if _matches(doc, i, words):
            low, high = VAGUE[phrase]
            last = i + len(words) - 1
            qualifier = phrase
            if last + 1 < len(doc) and doc[last + 1].lower_ == "of":
                qualifier += " of"
            return _Run(i, last, None, low, high, qualifier)
    for phrase, (lo, hi) in FUZZY.items():
        words = phrase.split()
        n = len(words)
        if _matches(doc, i, words) and i + n < len(doc) and doc[i + n].lower_ in SCALES:
            scale = SCALES[doc[i + n].lower_]
            return _Run(i, i + n, None, lo * scale, hi * scale, phrase)
    return None


def _matches(doc: Doc, i: int, words: list[str]) -> bool:
    if i + len(words) > len(doc):
        return False
    return all(doc[i + k].lower_ == w for k, w in enumerate(words))


def _extend_range(doc: Doc, run: _Run) -> _Run:
    j = run.last + 1
    if j + 1 >= len(doc) or doc[j].lower_ not in _RANGE_LINKS or not _is_num(doc[j + 1]):
        return run
    if doc[j].lower_ == "and" and not (run.first > 0 and doc[run.first - 1].lower_ == "between"):
        return run
    end = _number_end(doc, j + 1)
    upper = parse_number([t.lower_ for t in doc[j + 1 : end + 1]])
    if upper is None or run.value is None:
        return run
    lower = run.value
    if doc[end].lower_ in SCALES and doc[run.last].lower_ not in SCALES:
        lower *= SCALES[doc[end].lower_]
    if upper < lower:
        return run
    return _Run(run.first, end, (lower + upper) / 2, lower, upper)


def _skip(doc: Doc, run: _Run) -> bool:
    first = doc[run.first]
    if run.first == run.last and _YEAR.fullmatch(first.text):
        return not (first.dep_ == "nummod" and first.head.tag_ == "NNS")
    if first.lower_ in ("one", "a", "an") and run.first == run.last and run.qualifier is None:
        return True
    if (
        run.first > 0
        and doc[run.first - 1].text in (":", ".")
        and doc[run.first - 1].whitespace_ == ""
    ):
        return True
    if first.dep_ == "nummod" and first.head.pos_ == "PROPN" and first.head.i < first.i:
        return True
    return first.lower_ == "a" and run.qualifier is None and run.first == run.last


def _figure(doc: Doc, run: _Run, fid: str) -> Figure | None:
    first, last = run.first, run.last
    unit: str | None = None
    if first > 0 and doc[first - 1].text in _CURRENCY:
        first -= 1
        unit = _CURRENCY[doc[first].text]
    if last + 1 < len(doc) and doc[last + 1].lower_ in _PERCENT:
        last += 1
        unit = "percent"
    first, last, run = _qualify(doc, first, last, run)
    span = tokens_span(doc, first, last, strip=" \t\r\n,;:")
    if span is None:
        return None
    return Figure(
        id=fid,
        start=span.start,
        end=span.end,
        text=span.text,
        value=run.value,
        low=run.low,
        high=run.high,
        qualifier=run.qualifier,
        unit=unit or _unit(doc, run),
    )


def _qualify(doc: Doc, first: int, last: int, run: _Run) -> tuple[int, int, _Run]:
    quals = _qualifiers()
    if run.qualifier is None and run.low == run.high:
        for n in (3, 2, 1):
            if first - n < 0:
                continue
            phrase = doc[first - n : first].text.lower()
            kind = quals.before.get(phrase)
            if kind is not None:
                return first - n, last, _bounded(run, phrase, kind)
        if last + 2 < len(doc):
            phrase = doc[last + 1 : last + 3].text.lower()
            kind = quals.after.get(phrase)
            if kind is not None:
                return first, last + 2, _bounded(run, phrase, kind)
    return first, last, run


def _bounded(run: _Run, qualifier: str, kind: str) -> _Run:
    v = run.value
    low, high = {"upper": (None, v), "lower": (v, None), "approx": (None, None)}.get(kind, (v, v))
    return _Run(run.first, run.last, v, low, high, qualifier)


def _unit(doc: Doc, run: _Run) -> str | None:
    """The counted noun: the head the number modifies, or the object of "of"."""
    last = doc[run.last]
    while last.dep_ == "conj" and run.first <= last.head.i < last.i:
        last = last.head  # "two or three thousand troops": "thousand" is a conjunct of "two"
    candidates: list[Token] = []
    if last.dep_ in ("nummod", "quantmod", "amod", "compound") and last.head.pos_ in (
        "NOUN",
        "PROPN",
    ):
        candidates.append(last.head)
    for token in (last, last.head):
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                candidates.extend(c for c in child.children if c.dep_ == "pobj")
    if run.last + 1 < len(doc) and doc[run.last + 1].pos_ == "NOUN":
        candidates.append(doc[run.last + 1])
    for noun in candidates:
        if noun.i > run.last and noun.pos_ in ("NOUN", "PROPN") and not noun.like_num:
            return noun.text if noun.pos_ == "PROPN" else noun.lower_
    return None
