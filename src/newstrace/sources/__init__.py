"""Sources: turn input strings (files, directories, URLs, ``-`` for stdin) into raw documents.

One module per input kind, all behind one interface (`base.Reader`): bytes and a
locator in, `RawDocument`s and `ReadFailure`s out. A bad input or record is
reported as a failure and the batch goes on; nothing here raises for bad input.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from newstrace.models import InputValue, RawDocument, ReadFailure
from newstrace.settings import Settings
from newstrace.sources.base import guarded, printable
from newstrace.sources.files import list_directory, read_path
from newstrace.sources.stdin import read_stream
from newstrace.sources.url import fetch_url, read_url

__all__ = ["expand_inputs", "fetch_url", "read_input", "read_inputs"]

# A URL's scheme and "//" (file://, gopher://); a Windows drive letter is one letter.
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")


def read_inputs(
    inputs: Iterable[InputValue], settings: Settings
) -> Iterator[RawDocument | ReadFailure]:
    """Every document in `inputs`, in order, with a `ReadFailure` for each one that fails.

    An input is a `RawDocument` already read (passed on as it is), ``-`` (standard
    input, format sniffed), an http(s) URL, a directory
    (read recursively in sorted order, unknown extensions skipped) or a file, read by
    its extension (``.txt``, ``.html``/``.htm`` (also gzipped), ``.jsonl``/``.ndjson``,
    ``.json``, ``.rss``/``.atom``/``.xml``, ``.warc``/``.warc.gz``).
    """
    for value in inputs:
        if isinstance(value, RawDocument):
            yield value
        else:
            yield from guarded(printable(value), read_input(value, settings))


def read_input(value: str, settings: Settings) -> Iterator[RawDocument | ReadFailure]:
    """The documents of one input string (see `read_inputs`)."""
    if value == "-":
        yield from read_stream(sys.stdin.buffer, settings)
    elif value.lower().startswith(("http://", "https://")):
        yield from read_url(value, settings)
    elif _URL_SCHEME.match(value):
        scheme = value.split(":", 1)[0].lower()
        yield ReadFailure(
            printable(value), f"unsupported URL scheme {scheme!r} (use http or https)"
        )
    else:
        yield from read_path(Path(value), settings)


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """The inputs with every directory replaced by the files it holds (in walk order),
    so that the work can be shared out file by file."""
    expanded: list[str] = []
    for value in inputs:
        path = Path(value)
        if value != "-" and not value.lower().startswith(("http://", "https://")) and path.is_dir():
            expanded.extend(str(p) for p in list_directory(path))
        else:
            expanded.append(value)
    return expanded
