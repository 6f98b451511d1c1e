"""Helpers that turn stretches of a Doc into `Span` records with exact offsets."""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan

from newstrace.models import Span

_TRIM = " \t\r\n,;:—–-"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once and kept in ``doc.user_data`` (spaCy rebuilds it on each access)."""
    cached = doc.user_data.get("nt_text")
    if isinstance(cached, str):
        return cached
    text: str = doc.text
    doc.user_data["nt_text"] = text
    return text


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
    """A `Span` from token index `first` to `last` (inclusive), trimmed.

    Reads only the tokens' own text: ``Doc.text`` is rebuilt on every access.
    """
    if first > last:
        return None
    text = doc[first : last + 1].text
    start = doc[first].idx
    lead = len(text) - len(text.lstrip(strip))
    body = text.strip(strip)
    if not body:
        return None
    return Span(start=start + lead, end=start + lead + len(body), text=body)


def from_doc_span(span: DocSpan) -> Span:
    """The `Span` record of a spaCy span (untrimmed)."""
    return Span(start=span.start_char, end=span.end_char, text=span.text)


def token_record(token: Token) -> Span:
    """The `Span` record of one token."""
    return Span(start=token.idx, end=token.idx + len(token.text), text=token.text)


def inside(inner: Span, outer: Span) -> bool:
    """Whether `inner` lies within `outer`."""
    return outer.start <= inner.start and inner.end <= outer.end
