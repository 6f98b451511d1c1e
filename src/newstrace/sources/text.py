"""Plain text files (``.txt``): scraped web text, one document per file."""

from __future__ import annotations

from collections.abc import Iterator

from newstrace.models import RawDocument, ReadFailure
from newstrace.settings import Settings
from newstrace.sources.base import Item
from newstrace.sources.decoding import NotText, decode_text


def read_text(data: bytes, locator: str, settings: Settings) -> Iterator[Item]:
    """One text document from the bytes of a ``.txt`` file."""
    try:
        content = decode_text(data)
    except NotText as exc:
        yield ReadFailure(locator, str(exc))
        return
    yield RawDocument(locator=locator, kind="text", content=content)
