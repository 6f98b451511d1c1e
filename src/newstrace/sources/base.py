"""The one interface every source module implements.

A reader takes the bytes of one input and the locator naming it, and yields
`RawDocument`s and `ReadFailure`s; it never raises for bad input.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from newstrace.models import RawDocument, RawKind, ReadFailure
from newstrace.settings import Settings
from newstrace.sources.metadata import outlet_from_url

Item = RawDocument | ReadFailure
Reader = Callable[[bytes, str, Settings], Iterator[Item]]
_T = TypeVar("_T")

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0/C1 controls (tab and newline too: a locator is one line) and bidirectional overrides.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def scrub(value: str) -> str:
    """`value` with lone surrogates (from JSON escapes such as ``"\\udcff"``) replaced
    by U+FFFD: no store, terminal or page can encode them."""
    return _SURROGATE.sub("\ufffd", value)


def path_locator(path: Path) -> str:
    """A path as a locator anything can print: undecodable bytes of the file name as
    ``\\xff``, control characters (terminal escapes) as ``\\x1b``."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return printable(text)


def printable(text: str) -> str:
    """`text` with control characters and bidirectional overrides written as escapes
    (``\\x1b``, ``\\u202e``), so a message shows what is there and cannot drive the
    terminal."""
    return _CONTROL.sub(_escape, scrub(text))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_record(locator: str, read: Callable[[], _T]) -> _T | ReadFailure:
    """`read()`, or the failure of the record at `locator` when it raises: the failure
    boundary of one record inside a file of many."""
    try:
        return read()
    except Exception as exc:  # the boundary: any error of one record, reported as its failure
        return ReadFailure(locator, f"cannot read record ({exc.__class__.__name__}: {exc})")


def guarded(locator: str, items: Iterator[Item]) -> Iterator[Item]:
    """`items`, with anything a reader raises turned into one failure for `locator`.

    The failure boundary of one input: a reader that breaks on some input it was not
    written for costs that input, never the inputs after it.
    """
    try:
        yield from items
    except Exception as exc:  # the boundary: any error of one input, reported as its failure
        yield ReadFailure(locator, f"cannot read ({exc.__class__.__name__}: {exc})")


def make_document(
    locator: str,
    kind: RawKind,
    content: str,
    *,
    id: str | None = None,
    url: str | None = None,
    title: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    author: str | None = None,
    feed_title: str | None = None,
) -> RawDocument:
    """A `RawDocument` whose outlet falls back to the URL's host without ``www.``;
    lone surrogates in any field are replaced (see `scrub`)."""
    return RawDocument(
        locator=scrub(locator),
        kind=kind,
        content=scrub(content),
        id=_optional(id),
        url=_optional(url),
        title=_optional(title),
        published=published,
        outlet=_optional(outlet) or outlet_from_url(_optional(url)),
        author=_optional(author),
        feed_title=_optional(feed_title),
    )


def _optional(value: str | None) -> str | None:
    return None if value is None else scrub(value)
