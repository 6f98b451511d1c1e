"""Standard input (``-``): read once, then sniffed as JSON lines, a feed, a WARC, HTML or text.

JSON Lines on standard input are read as a stream (the limit is per line, as for
files); everything else is read whole, up to `max_input_bytes`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from newstrace.models import ReadFailure
from newstrace.settings import Settings
from newstrace.sources.base import Item, Reader
from newstrace.sources.decoding import NotText, gunzip, gzip_head, is_gzip, to_utf8
from newstrace.sources.feed import read_feed
from newstrace.sources.html import read_html
from newstrace.sources.jsonl import read_json, read_json_lines, read_json_lines_stream
from newstrace.sources.text import read_text
from newstrace.sources.warc import read_warc

STDIN_LOCATOR = "<stdin>"
_HEAD = 1 << 16
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]")
_HTML_ROOT = re.compile(rb"<(!doctype html|html)[\s>]", re.I)


def read_stream(
    stream: BinaryIO, settings: Settings, locator: str = STDIN_LOCATOR
) -> Iterator[Item]:
    """The documents in a byte stream, its format guessed from the first bytes."""
    head = stream.read(_HEAD)
    if not is_gzip(head) and sniff_reader(head) is read_json_lines:
        chained = io.BufferedReader(_Chain(head, stream))
        yield from read_json_lines_stream(chained, locator, settings)
        return
    data = head + stream.read(max(settings.max_input_bytes + 1 - len(head), 0))
    if len(data) > settings.max_input_bytes:
        yield ReadFailure(locator, f"input too large (> limit {settings.max_input_bytes} bytes)")
        return
    try:
        if is_gzip(data) and not gzip_head(data).startswith(b"WARC/"):
            data = gunzip(data, settings.max_input_bytes)
        data = to_utf8(data)
    except NotText as exc:
        yield ReadFailure(locator, str(exc))
        return
    yield from sniff_reader(data)(data, locator, settings)


def sniff_reader(data: bytes) -> Reader:
    """The reader whose format the bytes look like; plain text when nothing else fits."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"WARC/") or is_gzip(data):  # gzip here is a compressed WARC
        return read_warc
    if head.startswith(b"{"):
        return read_json_lines
    if head.startswith(b"["):
        return read_json
    if head.startswith(b"<"):
        is_feed = _FEED_ROOT.search(head) and not _HTML_ROOT.search(head)
        return read_feed if is_feed else read_html
    return read_text


class _Chain(io.RawIOBase):
    """`head`, then the rest of `stream`: the sniffed bytes put back in front."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self.head, self.stream = memoryview(head), stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            count = min(len(buffer), len(self.head))
            buffer[:count], self.head = self.head[:count], self.head[count:]
            return count
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
