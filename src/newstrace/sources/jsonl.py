"""JSON records: ``.jsonl``/``.ndjson`` (one a line) and ``.json`` (a list or one record).

A record has ``text`` or ``html`` and optionally ``id``, ``url``, ``title``,
``published``, ``outlet``, ``author`` (the layout of ``shared/corpus/polnear.jsonl``).
When both ``text`` and ``html`` are present the text wins: it is what the
provider extracted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from newstrace.models import ReadFailure
from newstrace.settings import Settings
from newstrace.sources.base import Item, make_document
from newstrace.sources.metadata import iso_date

_STRING_FIELDS = ("url", "title", "outlet", "author")


def read_json_lines(data: bytes, locator: str, settings: Settings) -> Iterator[Item]:
    """One document per non-blank line; a bad line is reported as ``locator:LINENO``."""
    lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield _read_line(line, f"{locator}:{number}")


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
        yield record_to_document(record, f"{locator}#item{number}")


def record_to_document(record: Any, locator: str) -> Item:
    """A document from one decoded JSON record, or the reason it is not one."""
    if not isinstance(record, dict):
        return ReadFailure(locator, f"expected a JSON object, got {type(record).__name__}")
    text, html = _string(record.get("text")), _string(record.get("html"))
    content = text or html
    if content is None:
        return ReadFailure(locator, "record has neither 'text' nor 'html'")
    fields = {name: _string(record.get(name)) for name in _STRING_FIELDS}
    return make_document(
        locator,
        "text" if text else "html",
        content,
        id=_identifier(record.get("id")),
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
