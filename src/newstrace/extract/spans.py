"""Helpers that turn stretches of a Doc into `Span` records with exact offsets."""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan

from newstrace.models import Span

_TRIM = " \t\r\n,;:—–-"


def char_span(text: str, start: int, end: int, strip: str = _TRIM) -> Span | None:
    """A `Span` over ``text[start:end]`` with `strip` characters trimmed off both ends."""
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    if start >= end:
        return None
    return Span(start=start, end=end, text=text[start:end])


def tokens_span(doc: Doc, first: int, last: int, strip: str = _TRIM) -> Span | None:
    """A `Span` from token index `first` to `last` (inclusive), trimmed."""
    if first > last:
        return None
    start = doc[first].idx
    end = doc[last].idx + len(doc[last].text)
    return char_span(doc.text, start, end, strip)


def from_doc_span(span: DocSpan) -> Span:
    """The `Span` record of a spaCy span (untrimmed)."""
    return Span(start=span.start_char, end=span.end_char, text=span.text)


def token_record(token: Token) -> Span:
    """The `Span` record of one token."""
    return Span(start=token.idx, end=token.idx + len(token.text), text=token.text)


def inside(inner: Span, outer: Span) -> bool:
    """Whether `inner` lies within `outer`."""
    return outer.start <= inner.start and inner.end <= outer.end
