"""JSON records: ``.jsonl``/``.ndjson`` (one a line) and ``.json`` (a list or one record).

A record has ``text`` or ``html`` and optionally ``id``, ``url``, ``title``,
``published``, ``outlet``, ``author`` (the layout of ``shared/corpus/polnear.jsonl``).
When both ``text`` and ``html`` are present the text wins: it is what the
provider extracted.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from functools import partial
from typing import Any, BinaryIO

from newstrace.models import ReadFailure
from newstrace.settings import Settings
from newstrace.sources.base import Item, make_document, one_record
from newstrace.sources.json_stream import NotAnArray, array_elements
from newstrace.sources.metadata import iso_date

_STRING_FIELDS = ("url", "title", "outlet", "author")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SKIP = 1 << 16


def read_json_lines(data: bytes, locator: str, settings: Settings) -> Iterator[Item]:
    """One document per non-blank line; a bad line is reported as ``locator:LINENO``."""
    yield from read_json_lines_stream(io.BytesIO(data), locator, settings)


def read_json_lines_stream(stream: BinaryIO, locator: str, settings: Settings) -> Iterator[Item]:
    """`read_json_lines` over a stream, one line in memory at a time.

    `max_input_bytes` limits each line (record), not the file: a corpus of any size is
    read, and an oversized line fails alone as ``locator:LINENO``.
    """
    limit, number, found = settings.max_input_bytes, 0, False
    while line := stream.readline(limit + 1):
        number += 1
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        where = f"{locator}:{number}"
        if len(line) > limit and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
            found = True
            yield ReadFailure(where, f"record too large (over {limit} bytes)")
        elif line.strip():
            found = True
            yield one_record(where, partial(_read_line, line, where))
    if not found:
        yield ReadFailure(locator, "empty file")


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while (piece := stream.readline(_SKIP)) and not piece.endswith(b"\n"):
        pass


def read_json(data: bytes, locator: str, settings: Settings) -> Iterator[Item]:
    """The records of a ``.json`` file: a list (``locator#itemN``) or a single object."""
    try:
        value = json.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except (ValueError, RecursionError) as exc:
        yield ReadFailure(locator, f"invalid JSON ({_short(exc)})")
        return
    if not isinstance(value, list):
        yield record_to_document(value, locator)
        return
    for number, record in enumerate(value, start=1):
        where = f"{locator}#item{number}"
        yield one_record(where, partial(record_to_document, record, where))


def read_json_stream(stream: BinaryIO, locator: str, settings: Settings) -> Iterator[Item]:
    """`read_json` over a stream, for a file over `max_input_bytes`: its array is read
    one element at a time, and the limit is per element (``locator#itemN``)."""
    limit = settings.max_input_bytes
    try:
        for number, element in enumerate(array_elements(stream, limit), start=1):
            where = f"{locator}#item{number}"
            if element is None:
                yield ReadFailure(where, f"record too large (over {limit} bytes)")
            else:
                yield one_record(where, partial(_read_line, element, where))
    except NotAnArray as exc:
        yield ReadFailure(locator, f"file too large (over {limit} bytes) and {exc}")


def record_to_document(record: Any, locator: str) -> Item:
    """A document from one decoded JSON record, or the reason it is not one."""
    if not isinstance(record, dict):
        return ReadFailure(locator, f"expected a JSON object, got {type(record).__name__}")
    text, html = _string(record.get("text")), _string(record.get("html"))
    content = text or html
    if content is None:
        return ReadFailure(locator, "record has neither 'text' nor 'html'")
    identifier = _identifier(record.get("id"))
    if identifier is not None and _CONTROL.search(identifier):
        # The web's addresses and PostgreSQL's text columns cannot carry these.
        return ReadFailure(locator, "record id contains a control character (NUL, newline...)")
    fields = {name: _string(record.get(name)) for name in _STRING_FIELDS}
    return make_document(
        locator,
        "text" if text else "html",
        content,
        id=identifier,
        published=iso_date(record.get("published")),
        **fields,
    )


def _read_line(line: bytes, locator: str) -> Item:
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        return ReadFailure(locator, "invalid UTF-8")
    except (ValueError, RecursionError) as exc:
        return ReadFailure(locator, f"invalid JSON ({_short(exc)})")
    return record_to_document(record, locator)


def _string(value: Any) -> str | None:
    """A non-blank string value, else None."""
    return value if isinstance(value, str) and value.strip() else None


def _identifier(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    return _string(value)


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
