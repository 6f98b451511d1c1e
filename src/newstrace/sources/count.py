"""How many documents inputs hold, when that is cheap to know (for a progress bar).

Text and HTML files hold one document each and JSON Lines one per non-blank line;
other formats (JSON, feeds, WARC, gzipped files), URLs and standard input are only
known once read, so any of them makes the count unknown (None).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newstrace.models import InputValue
from newstrace.sources.files import list_directory, reader_for
from newstrace.sources.html import read_html
from newstrace.sources.jsonl import read_json_lines
from newstrace.sources.text import read_text

_CHUNK = 1 << 20


def count_documents(inputs: Iterable[InputValue]) -> int | None:
    """The number of documents in `inputs`, or None when one of them cannot be counted
    without reading it."""
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
            found = _count_file(file)
            if found is None:
                return None
            total += found
    return total


def _count_file(path: Path) -> int | None:
    found = reader_for(path.name)
    if found is None or found[1]:  # unknown (reported as a failure) or gzipped
        return 1 if found is None else None
    reader = found[0]
    if reader in (read_text, read_html):
        return 1
    if reader is read_json_lines:
        return _non_blank_lines(path)
    return None


def _non_blank_lines(path: Path) -> int | None:
    try:
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return None
