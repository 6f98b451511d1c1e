"""Web archives (``.warc``, ``.warc.gz``): one HTML document per successful HTTP response.

Other records (requests, metadata, non-HTML or non-2xx responses) are skipped. A
truncated archive yields the records read so far and one failure naming where it ends.
Archives are read as streams, one record in memory at a time: `max_input_bytes`
limits each record, not the archive.
"""

from __future__ import annotations

import io
from collections.abc import Generator, Iterator
from typing import Any, BinaryIO

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

_DRAIN = 1 << 16


class _Truncated(Exception):
    """A record ends before its declared length."""


def read_warc(data: bytes, locator: str, settings: Settings) -> Iterator[Item]:
    """The HTML responses in a WARC file as ``locator#recordN`` (N counts every record)."""
    yield from read_warc_stream(io.BytesIO(data), locator, settings)


def read_warc_stream(stream: BinaryIO, locator: str, settings: Settings) -> Iterator[Item]:
    """`read_warc` over a seekable stream (an open file), one record in memory at a time."""
    start = stream.tell()
    head = stream.read(64 * 1024)
    zipped = is_gzip(head)
    if not (gzip_head(head) if zipped else head[:16]).startswith(b"WARC/"):
        # warcio would read some garbage as an old ARC file
        yield ReadFailure(locator, "empty file" if not head else "not a WARC file")
        return
    size = stream.seek(0, io.SEEK_END) - start
    stream.seek(start)
    intact = complete_gzip_prefix(stream) if zipped else size
    stream.seek(start)
    read = yield from _records(_Prefix(stream, intact), locator, settings.max_input_bytes)
    if read is None:
        return
    count, end = read
    if intact < size:
        yield ReadFailure(f"{locator}#record{count + 1}", "truncated WARC: gzip data ends early")
    elif not zipped and end < size:  # warcio stops quietly inside a record's headers
        yield ReadFailure(f"{locator}#record{count + 1}", "truncated WARC: headers cut short")


def _records(
    stream: io.RawIOBase, locator: str, limit: int
) -> Generator[Item, None, tuple[int, int] | None]:
    """The items of every record; returns how many records were read and where the last
    one ended (None: the archive broke off, and a failure saying so was the last item)."""
    number = 0
    records = ArchiveIterator(stream)
    try:
        for number, record in enumerate(records, start=1):
            item = _guarded_record(record, f"{locator}#record{number}", limit)
            if item is not None:
                yield item
    except _Truncated:
        yield ReadFailure(f"{locator}#record{number}", "truncated WARC: record is cut short")
        return None
    # warcio signals damage with assorted exception types, AttributeError included (a
    # plain WARC cut inside its headers).
    except (ArchiveLoadFailed, ValueError, AttributeError, EOFError, OSError) as exc:
        reason = "truncated WARC" if isinstance(exc, AttributeError) else f"malformed WARC ({exc})"
        yield ReadFailure(f"{locator}#record{number + 1}", reason)
        return None
    return number, int(records.offset)


def _guarded_record(record: Any, locator: str, limit: int) -> Item | None:
    """One record's item; an error in it (not in the archive) fails that record alone."""
    try:
        return _record_to_item(record, locator, limit)
    except _Truncated:
        raise
    except Exception as exc:  # the boundary of one record
        return ReadFailure(locator, f"cannot read record ({exc.__class__.__name__}: {exc})")


class _Prefix(io.RawIOBase):
    """The first `size` bytes of a stream."""

    def __init__(self, stream: BinaryIO, size: int) -> None:
        self.stream, self.left = stream, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)[: self.left]
        count = int(self.stream.readinto(view))  # type: ignore[attr-defined]
        self.left -= count
        return count


def _record_to_item(record: Any, locator: str, limit: int) -> Item | None:
    if record.rec_headers.get_header("Content-Length") is None:  # headers cut off early
        raise _Truncated
    mime, charset = split_content_type(_content_type(record) or "")
    wanted = record.rec_type == "response" and mime in HTML_TYPES and _is_success(record)
    stream = record.content_stream()
    oversized = wanted and (record.length or 0) > limit
    body = stream.read(limit + 1) if wanted and not oversized else b""
    while stream.read(_DRAIN):  # the rest, unread: only to see whether the record is whole
        pass
    if getattr(record.raw_stream, "limit", 0) > 0:
        raise _Truncated
    if oversized or len(body) > limit:  # (a compressed HTTP body can unpack past it)
        return ReadFailure(locator, f"record too large (over the limit of {limit} bytes)")
    if not wanted:
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
