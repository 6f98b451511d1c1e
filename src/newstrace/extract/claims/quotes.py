"""Quotation spans in straight and curly quotes, across paragraphs.

News convention: a quotation that runs over several paragraphs leaves the closing
mark off each paragraph but the last, and opens every following paragraph again.
A paragraph whose marks do not balance otherwise is skipped (with a warning):
the rest of the document is still read.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

_OPEN = "“"
_CLOSE = "”"
_STRAIGHT = '"'
_DOUBLED = "''"  # two apostrophes, an old newspaper convention for both marks
_MARKS = re.compile("“|”|\"|''")
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Quote:
    """A quotation: `start`/`end` are the offsets inside the marks."""

    start: int
    end: int


def find_quotes(text: str) -> list[Quote]:
    """Every well-formed quotation in `text`, in order; bad paragraphs are skipped."""
    quotes: list[Quote] = []
    carried: int | None = None
    for para in _PARAGRAPH.finditer(text):
        body = para.group()
        stripped = body.lstrip()
        offset = para.start() + len(body) - len(stripped)
        if carried is not None and not stripped.startswith((_OPEN, _STRAIGHT, _DOUBLED)):
            log.warning("unclosed quotation at offset %d; paragraph skipped", carried)
            carried = None
        found, carried, ok = _scan(stripped, offset, carried)
        if ok:
            quotes.extend(found)
        else:
            log.warning("unbalanced quotation marks at offset %d; paragraph skipped", para.start())
            carried = None
    return [q for q in quotes if q.end > q.start]


def _scan(body: str, offset: int, carried: int | None) -> tuple[list[Quote], int | None, bool]:
    """Quotes of one paragraph; returns (quotes, open start carried onward, balanced?)."""
    found: list[Quote] = []
    open_at: int | None = None
    open_mark = ""
    first = True
    for mark in _MARKS.finditer(body):
        ch = mark.group()
        pos = offset + mark.start()
        if first and carried is not None and ch != _CLOSE:
            open_at, open_mark, first = carried, ch, False
            continue
        first = False
        if open_at is None:
            if ch == _CLOSE:
                return [], None, False
            open_at, open_mark = pos + len(ch), ch
        elif ch == _CLOSE or (ch != _OPEN and ch == open_mark):
            if ch == _CLOSE and open_mark != _OPEN:
                return [], None, False
            found.append(Quote(open_at, pos))
            open_at = None
        else:
            return [], None, False
    return found, open_at, True
