"""RSS and Atom feeds (``.rss``, ``.atom``, ``.xml``): one document per entry, via feedparser."""

from __future__ import annotations

import copy
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any, BinaryIO

import feedparser
from lxml import etree

from newstrace.models import ReadFailure
from newstrace.settings import Settings
from newstrace.sources.base import Item, make_document, one_record
from newstrace.sources.metadata import feed_site_name, iso_date, outlet_from_url

_MARKUP = re.compile(r"<[A-Za-z/!][^>]*>")
_EMAIL_NAME = re.compile(r"\S+@\S+\s*\((.+)\)")


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: its link, title and date as the feed writes them, and its
    document (or why it has none: a headline-only entry has no text, only a link)."""

    link: str | None
    title: str | None
    stamp: str | None
    """The entry's date as written (``updated``, else ``published``)."""
    item: Item


def read_feed(data: bytes, locator: str, settings: Settings) -> Iterator[Item]:
    """The entries of a feed as ``locator#itemN``; a file that is no feed is one failure."""
    for entry in feed_entries(data, locator):
        yield entry.item


def feed_entries(data: bytes, locator: str) -> Iterator[FeedEntry]:
    """The entries of a feed with their links (a watcher fetches the page of an entry
    that carries no text); a file that is no feed is one failure without a link."""
    # A stream, never bytes or str: feedparser treats a string as a path or URL to open.
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries:
        if parsed.get("bozo"):
            failure = ReadFailure(locator, f"malformed feed ({parsed.get('bozo_exception')})")
            yield FeedEntry(None, None, None, failure)
        elif not parsed.get("version"):
            yield FeedEntry(None, None, None, ReadFailure(locator, "not an RSS or Atom feed"))
        return
    yield from _entries(parsed, locator, 1)


def _entries(parsed: Any, locator: str, first: int) -> Iterator[FeedEntry]:
    outlet = _feed_outlet(parsed.feed)
    name = feed_site_name(parsed.feed.get("title"))
    for number, entry in enumerate(parsed.entries, start=first):
        where = f"{locator}#item{number}"
        item = one_record(where, partial(_entry_to_document, entry, where, outlet, name))
        # dict.get: feedparser's own get warns when a missing "updated" falls back.
        stamp = dict.get(entry, "updated") or entry.get("published")
        yield FeedEntry(entry.get("link") or None, entry.get("title") or None, stamp, item)


_ENTRY_NAMES = frozenset({"item", "entry"})


@dataclass
class _Chunk:
    """Entries waiting to be parsed together, inside a copy of the feed's head."""

    head: Any  # the feed's root before its first entry, entries removed
    parent: str  # path of the entries' parent in `head`
    first: int  # number of the first entry held
    entries: list[bytes] = field(default_factory=list)
    size: int = 0

    def parse(self, locator: str) -> Iterator[Item]:
        """The held entries as documents, through feedparser like any feed's; emptied."""
        if not self.entries:
            return
        root = copy.deepcopy(self.head)
        parent = root.getroottree().xpath(self.parent)[0]
        for entry in self.entries:
            parent.append(etree.fromstring(entry))
        parsed = feedparser.parse(io.BytesIO(etree.tostring(root)))
        yield from (entry.item for entry in _entries(parsed, locator, self.first))
        self.first += len(self.entries)
        self.entries, self.size = [], 0


def read_feed_stream(stream: BinaryIO, locator: str, settings: Settings) -> Iterator[Item]:
    """A feed over `max_input_bytes`, read entry by entry: the limit is per entry
    (``locator#itemN``), and entries are parsed in groups of about the limit."""
    limit, chunk, number, depth = settings.max_input_bytes, None, 0, 0
    events = etree.iterparse(
        stream, events=("start", "end"), huge_tree=True, resolve_entities=False, no_network=True
    )
    try:
        for event, element in events:
            if etree.QName(element).localname not in _ENTRY_NAMES:
                continue
            depth += 1 if event == "start" else -1
            if event == "start" and depth == 1 and chunk is None:
                chunk = _head(element)
            if event == "start" or depth or chunk is None:
                continue
            number += 1
            yield from _add_entry(chunk, element, locator, number, limit)
    except etree.XMLSyntaxError as exc:
        yield from chunk.parse(locator) if chunk else ()
        yield ReadFailure(locator, f"malformed feed ({exc})")
        return
    if chunk is None:
        yield ReadFailure(locator, "not an RSS or Atom feed")
    else:
        yield from chunk.parse(locator)


def _add_entry(
    chunk: _Chunk, element: Any, locator: str, number: int, limit: int
) -> Iterator[Item]:
    """Hold one finished entry (or fail it when over `limit`), freeing its tree."""
    raw = etree.tostring(element)
    element.clear(keep_tail=False)
    while element.getprevious() is not None:
        del element.getparent()[0]
    if len(raw) > limit:
        yield from chunk.parse(locator)
        chunk.first += 1
        yield ReadFailure(f"{locator}#item{number}", f"record too large (over {limit} bytes)")
        return
    chunk.entries.append(raw)
    chunk.size += len(raw)
    if chunk.size >= limit:
        yield from chunk.parse(locator)


def _head(entry: Any) -> _Chunk:
    """The feed as parsed up to its first entry (channel title, link), entries removed."""
    tree = entry.getroottree()
    head = copy.deepcopy(tree.getroot())
    parent = tree.getpath(entry.getparent())
    for child in list(head.getroottree().xpath(parent)[0]):
        if isinstance(child.tag, str) and etree.QName(child).localname in _ENTRY_NAMES:
            child.getparent().remove(child)
    return _Chunk(head, parent, 1)


def _entry_to_document(
    entry: Any, locator: str, outlet: str | None, feed_title: str | None
) -> Item:
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
        feed_title=feed_title,
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
