"""Files and directories: pick the reader by extension, enforce the size limit, unpack gzip.

JSON Lines and WARC files are read as streams, so their limit is per record (line or
WARC record); ``.json`` files and feeds are read whole up to `max_input_bytes` and as
streams beyond it, limited per array element or feed entry; every other file is read
whole, and `max_input_bytes` is its limit.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from newstrace.models import ReadFailure
from newstrace.settings import Settings
from newstrace.sources.base import Item, Reader, guarded, path_locator
from newstrace.sources.decoding import NotText, bom_codec, gunzip, to_utf8
from newstrace.sources.feed import read_feed, read_feed_stream
from newstrace.sources.html import read_html
from newstrace.sources.jsonl import (
    read_json,
    read_json_lines,
    read_json_lines_stream,
    read_json_stream,
)
from newstrace.sources.text import read_text
from newstrace.sources.warc import read_warc, read_warc_stream

_SKIP = 1 << 20
StreamReader = Callable[[BinaryIO, str, Settings], Iterator[Item]]

# Longest suffix first: ".warc.gz" is read by warcio itself, other ".gz" files are unpacked.
READERS: dict[str, Reader] = {
    ".warc.gz": read_warc,
    ".warc": read_warc,
    ".txt": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_json_lines,
    ".ndjson": read_json_lines,
    ".json": read_json,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
}


# Readers of formats that hold many records: they take the open file, not its bytes.
STREAM_READERS: dict[Reader, StreamReader] = {
    read_json_lines: read_json_lines_stream,
    read_warc: read_warc_stream,
}

# Readers of formats read whole up to the limit, and as streams of records beyond it.
LARGE_READERS: dict[Reader, StreamReader] = {
    read_json: read_json_stream,
    read_feed: read_feed_stream,
}


def reader_for(name: str) -> tuple[Reader, bool] | None:
    """The reader for a file name and whether it must be gunzipped first; None if unknown."""
    lower = name.lower()
    for suffix, reader in READERS.items():
        if lower.endswith(suffix):
            return reader, False
        if suffix != ".warc" and lower.endswith(suffix + ".gz"):
            return reader, True
    return None


def read_path(path: Path, settings: Settings) -> Iterator[Item]:
    """Everything in a file or (recursively, sorted) a directory."""
    locator = path_locator(path)
    try:
        path.stat()
    except OSError as exc:  # a looping or dangling symlink is not "no such file"
        yield ReadFailure(locator, _reason(exc))
        return
    if path.is_dir():
        yield from read_directory(path, settings)
    elif path.is_file():
        yield from read_file(path, settings)
    else:
        yield ReadFailure(locator, "not a regular file")


def read_directory(directory: Path, settings: Settings) -> Iterator[Item]:
    """The files under `directory` with a known extension, in sorted path order."""
    for path in list_directory(directory):
        yield from guarded(path_locator(path), read_file(path, settings))


def list_directory(directory: Path) -> list[Path]:
    """Files under `directory` with a known extension, sorted; hidden ones skipped."""
    return sorted(
        p
        for p in directory.rglob("*")
        if p.is_file() and reader_for(p.name) and not _hidden(p.relative_to(directory))
    )


def _hidden(relative: Path) -> bool:
    """Dot-files and anything under a dot-folder (.git, .cache) are skipped in walks."""
    return any(part.startswith(".") for part in relative.parts)


def read_file(path: Path, settings: Settings) -> Iterator[Item]:
    """One file, by its extension; too large or unknown files are one failure."""
    locator = path_locator(path)
    found = reader_for(path.name)
    if found is None:
        yield ReadFailure(locator, "unsupported file type")
        return
    streamed = STREAM_READERS.get(found[0])
    if found[0] in LARGE_READERS and _over_limit(path, found[1], settings.max_input_bytes):
        streamed = LARGE_READERS[found[0]]
    if streamed is not None and not _wide_bom(path, found[1]):
        yield from _read_stream(path, locator, found[1], streamed, settings)
        return
    try:
        data = _read_limited(path, settings.max_input_bytes)
        if found[1]:
            data = gunzip(data, settings.max_input_bytes)
        if found[0] is not read_warc:  # a WARC is a binary container; its records say
            data = to_utf8(data)
    except (OSError, NotText) as exc:
        yield ReadFailure(locator, _reason(exc))
        return
    yield from found[0](data, locator, settings)


def _read_stream(
    path: Path, locator: str, zipped: bool, reader: StreamReader, settings: Settings
) -> Iterator[Item]:
    try:
        with path.open("rb") as raw:
            stream: BinaryIO = gzip.GzipFile(fileobj=raw) if zipped else raw  # type: ignore[assignment]
            yield from reader(stream, locator, settings)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield ReadFailure(locator, f"corrupt or truncated gzip ({exc or 'ends early'})")
    except OSError as exc:
        yield ReadFailure(locator, _reason(exc))


def _over_limit(path: Path, zipped: bool, limit: int) -> bool:
    """Whether the file (unpacked, when zipped) holds more than `limit` bytes."""
    try:
        if not zipped:
            return path.stat().st_size > limit
        with gzip.open(path) as handle:
            while handle.read(_SKIP):
                if handle.tell() > limit:
                    return True
    except (OSError, EOFError, zlib.error):
        pass  # the reader reports it
    return False


def _wide_bom(path: Path, zipped: bool) -> bool:
    """Whether the file starts with a UTF-16/32 byte-order mark (read whole, transcoded)."""
    try:
        with gzip.open(path) if zipped else path.open("rb") as handle:
            found = bom_codec(handle.read(4))
    except (OSError, EOFError, zlib.error):
        return False
    return found is not None and found[0] != "utf-8"


def _read_limited(path: Path, limit: int) -> bytes:
    size = path.stat().st_size
    if size > limit:
        raise NotText(f"file too large ({size} bytes > limit {limit})")
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # grew since stat
        raise NotText(f"file too large ({len(data)}+ bytes > limit {limit})")
    return data


def _reason(exc: Exception) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, OSError):
        return f"cannot read ({exc.strerror or exc})"
    return str(exc)
