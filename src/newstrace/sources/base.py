"""The one interface every source module implements.

A reader takes the bytes of one input and the locator naming it, and yields
`RawDocument`s and `ReadFailure`s; it never raises for bad input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from newstrace.models import RawDocument, RawKind, ReadFailure
from newstrace.settings import Settings
from newstrace.sources.metadata import outlet_from_url

Item = RawDocument | ReadFailure
Reader = Callable[[bytes, str, Settings], Iterator[Item]]


def make_document(
    locator: str,
    kind: RawKind,
    content: str,
    *,
    id: str | None = None,
    url: str | None = None,
    title: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    author: str | None = None,
) -> RawDocument:
    """A `RawDocument` whose outlet falls back to the URL's host without ``www.``."""
    return RawDocument(
        locator=locator,
        kind=kind,
        content=content,
        id=id,
        url=url,
        title=title,
        published=published,
        outlet=outlet or outlet_from_url(url),
        author=author,
    )
