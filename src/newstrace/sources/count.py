"""How many documents inputs hold, known before they are ingested (for a progress bar
with a rate and an estimate of the time left).

Text and HTML files hold one document each and JSON Lines one per non-blank line, so
they are counted without being parsed; the formats whose documents are only known once
read (WARC, feeds, JSON, gzipped files) are read through once by their own reader
(`read_file`), which costs a small share of an ingest (no cleaning, no extraction).
URLs and standard input can only be read once, so any of them makes the count unknown
(None).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newstrace.models import InputValue
from newstrace.settings import Settings
from newstrace.sources.files import list_directory, read_file, reader_for
from newstrace.sources.html import read_html
from newstrace.sources.jsonl import read_json_lines
from newstrace.sources.text import read_text

_CHUNK = 1 << 20


def count_documents(inputs: Iterable[InputValue], settings: Settings) -> int | None:
    """The number of documents (and failures: each one a step of the ingest) in
    `inputs`, or None when one of them can only be read once (a URL, ``-``)."""
    total = 0
    for value in inputs:
        if not isinstance(value, str):  # a document already read
            total += 1
            continue
        path = Path(value)
        if value == "-" or "://" in value or not path.exists():
            return None
        files = list_directory(path) if path.is_dir() else [path]
        for file in files:
            found = _count_file(file, settings)
            if found is None:
                return None
            total += found
    return total


def _count_file(path: Path, settings: Settings) -> int | None:
    found = reader_for(path.name)
    if found is None:  # unknown: reported as one failure
        return 1
    reader, zipped = found
    if reader in (read_text, read_html) and not zipped:
        return 1
    if reader is read_json_lines and not zipped:
        return _non_blank_lines(path)
    return sum(1 for _ in read_file(path, settings))


def _non_blank_lines(path: Path) -> int | None:
    try:
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return None
