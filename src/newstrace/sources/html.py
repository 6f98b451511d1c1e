"""HTML pages (``.html``, ``.htm``; gzipped ones are unpacked before they get here)."""

from __future__ import annotations

from collections.abc import Iterator

from newstrace.models import ReadFailure
from newstrace.settings import Settings
from newstrace.sources.base import Item, make_document
from newstrace.sources.decoding import NotText, decode_html


def read_html(data: bytes, locator: str, settings: Settings) -> Iterator[Item]:
    """One HTML document from the bytes of a page, decoded by its meta charset."""
    try:
        content = decode_html(data)
    except NotText as exc:
        yield ReadFailure(locator, str(exc))
        return
    yield make_document(locator, "html", content)
