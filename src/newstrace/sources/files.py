"""Files and directories: pick the reader by extension, enforce the size limit, unpack gzip."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from newstrace.models import ReadFailure
from newstrace.settings import Settings
from newstrace.sources.base import Item, Reader
from newstrace.sources.decoding import NotText, gunzip, to_utf8
from newstrace.sources.feed import read_feed
from newstrace.sources.html import read_html
from newstrace.sources.jsonl import read_json, read_json_lines
from newstrace.sources.text import read_text
from newstrace.sources.warc import read_warc

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
    if path.is_dir():
        yield from read_directory(path, settings)
    elif path.is_file():
        yield from read_file(path, settings)
    elif path.exists():
        yield ReadFailure(str(path), "not a regular file")
    else:
        yield ReadFailure(str(path), "no such file or directory")


def read_directory(directory: Path, settings: Settings) -> Iterator[Item]:
    """The files under `directory` with a known extension, in sorted path order."""
    for path in list_directory(directory):
        yield from read_file(path, settings)


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
    locator = str(path)
    found = reader_for(path.name)
    if found is None:
        yield ReadFailure(locator, "unsupported file type")
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
    if isinstance(exc, OSError):
        return f"cannot read ({exc.strerror or exc})"
    return str(exc)
