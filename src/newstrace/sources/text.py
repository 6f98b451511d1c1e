"""Plain text files (``.txt``): scraped web text, one document per file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import PurePath

from newstrace.models import ReadFailure
from newstrace.settings import Settings
from newstrace.sources.base import Item, make_document
from newstrace.sources.decoding import NotText, decode_text


def read_text(data: bytes, locator: str, settings: Settings) -> Iterator[Item]:
    """One text document from the bytes of a ``.txt`` file."""
    try:
        content = decode_text(data)
    except NotText as exc:
        yield ReadFailure(locator, str(exc))
        return
    yield make_document(locator, "text", content, published=date_from_filename(locator))


_LEADING_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?!\d)")


def date_from_filename(locator: str) -> str | None:
    """A publication date from a file name that starts with one ("2025-03-10_story.txt").

    Scraped text carries no metadata; naming saved files by date is the common
    convention, and this lets relative dates ("on Saturday") resolve without --published.
    """
    match = _LEADING_DATE.match(PurePath(locator).name)
    if match is None:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None
