"""Web archives (``.warc``, ``.warc.gz``): one HTML document per successful HTTP response.

Other records (requests, metadata, non-HTML or non-2xx responses) are skipped. A
truncated archive yields the records read so far and one failure naming where it ends.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newstrace.models import ReadFailure
from newstrace.settings import Settings
from newstrace.sources.base import Item, make_document
from newstrace.sources.decoding import (
    HTML_TYPES,
    NotText,
    complete_gzip_prefix,
    decode_html,
    gzip_head,
    is_gzip,
    split_content_type,
)


class _Truncated(Exception):
    """A record ends before its declared length."""


def read_warc(data: bytes, locator: str, settings: Settings) -> Iterator[Item]:
    """The HTML responses in a WARC file as ``locator#recordN`` (N counts every record)."""
    head = gzip_head(data) if is_gzip(data) else data[:16]
    if not head.startswith(b"WARC/"):  # warcio would read some garbage as an old ARC file
        yield ReadFailure(locator, "empty file" if not data else "not a WARC file")
        return
    intact = complete_gzip_prefix(data) if is_gzip(data) else len(data)
    number = 0
    try:
        for number, record in enumerate(ArchiveIterator(io.BytesIO(data[:intact])), start=1):
            item = _record_to_item(record, f"{locator}#record{number}")
            if item is not None:
                yield item
    except _Truncated:
        yield ReadFailure(f"{locator}#record{number}", "truncated WARC: record is cut short")
        return
    # warcio signals damage with assorted exception types, AttributeError included.
    except (ArchiveLoadFailed, ValueError, AttributeError, EOFError, OSError) as exc:
        yield ReadFailure(f"{locator}#record{number + 1}", f"malformed WARC ({exc})")
        return
    if intact < len(data):
        yield ReadFailure(f"{locator}#record{number + 1}", "truncated WARC: gzip data ends early")


def _record_to_item(record: Any, locator: str) -> Item | None:
    body = record.content_stream().read()
    if getattr(record.raw_stream, "limit", 0) > 0:
        raise _Truncated
    content_type = _content_type(record)
    if record.rec_type != "response" or content_type is None:
        return None
    mime, charset = split_content_type(content_type)
    if mime not in HTML_TYPES or not _is_success(record):
        return None
    try:
        html = decode_html(body, charset)
    except NotText as exc:
        return ReadFailure(locator, str(exc))
    url = record.rec_headers.get_header("WARC-Target-URI")
    return make_document(locator, "html", html, url=url or None)


def _content_type(record: Any) -> str | None:
    headers = record.http_headers
    return headers.get_header("Content-Type") if headers is not None else None


def _is_success(record: Any) -> bool:
    status = str(record.http_headers.get_statuscode() or "")
    return status.startswith("2")
