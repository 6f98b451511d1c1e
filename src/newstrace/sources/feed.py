"""RSS and Atom feeds (``.rss``, ``.atom``, ``.xml``): one document per entry, via feedparser."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from functools import partial
from typing import Any

import feedparser

from newstrace.models import ReadFailure
from newstrace.settings import Settings
from newstrace.sources.base import Item, make_document, one_record
from newstrace.sources.metadata import iso_date, outlet_from_url

_MARKUP = re.compile(r"<[A-Za-z/!][^>]*>")
_EMAIL_NAME = re.compile(r"\S+@\S+\s*\((.+)\)")


def read_feed(data: bytes, locator: str, settings: Settings) -> Iterator[Item]:
    """The entries of a feed as ``locator#itemN``; a file that is no feed is one failure."""
    # A stream, never bytes or str: feedparser treats a string as a path or URL to open.
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries:
        if parsed.get("bozo"):
            yield ReadFailure(locator, f"malformed feed ({parsed.get('bozo_exception')})")
        elif not parsed.get("version"):
            yield ReadFailure(locator, "not an RSS or Atom feed")
        return
    outlet = _feed_outlet(parsed.feed)
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{locator}#item{number}"
        yield one_record(where, partial(_entry_to_document, entry, where, outlet))


def _entry_to_document(entry: Any, locator: str, outlet: str | None) -> Item:
    content = _entry_content(entry)
    if not content:
        return ReadFailure(locator, "feed entry has no content or summary")
    is_html = bool(_MARKUP.search(content))
    return make_document(
        locator,
        "html" if is_html else "text",
        # feedparser hands descriptions over as HTML: without tags they are text, but
        # still escaped ("AT&amp;T"), and the escapes would be stored as written.
        content if is_html else html.unescape(content),
        # A feed's guid is usually a URL or an opaque tag, poor as an article id: the
        # article id is derived from the link (or the content) like any web page's.
        url=entry.get("link") or None,
        title=entry.get("title") or None,
        published=_entry_date(entry),
        outlet=outlet,
        author=_entry_author(entry),
    )


def _entry_content(entry: Any) -> str:
    contents = entry.get("content") or []
    value = contents[0].get("value", "") if contents else ""
    text = value if value.strip() else entry.get("summary", "")
    return text if isinstance(text, str) and text.strip() else ""


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        if entry.get(key):
            return iso_date(entry[key])
    return iso_date(entry.get("published") or entry.get("updated"))


def _entry_author(entry: Any) -> str | None:
    """The author's name; RSS writes ``email (Name)``, which feedparser splits unreliably."""
    author = entry.get("author")
    if not isinstance(author, str) or not author.strip():
        return None
    match = _EMAIL_NAME.fullmatch(author.strip())
    return match.group(1).strip() if match else author.strip()


def _feed_outlet(feed: Any) -> str | None:
    return outlet_from_url(feed.get("link")) or feed.get("title") or None
