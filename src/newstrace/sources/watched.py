"""What a watched source holds: the items of a feed, a sitemap or a front page.

A feed's entries carry their text (as `newstrace ingest feed.xml` reads them), or only a
link and a title (a headline feed: the watcher fetches the page); a
sitemap's locations and a front page's article links are URLs the watcher fetches.
Each item has a key (its URL) and a digest of what it looked like, so a changed entry
or a newer ``lastmod`` reads as an updated article. Discovery finds the feeds a home
page links (trafilatura's feed finder) and the sitemaps its robots.txt names.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import urldefrag, urljoin, urlsplit

import courlan
from lxml import etree, html
from trafilatura.feeds import FeedParameters, determine_feed

from newstrace.models import RawDocument, ReadFailure
from newstrace.settings import Settings
from newstrace.sources.decoding import HTML_TYPES, NotText, decode_html, gunzip, gzip_head, is_gzip
from newstrace.sources.feed import feed_entries
from newstrace.sources.url import FetchedPage

SourceKind = Literal["feed", "sitemap", "page"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("feed", "sitemap", "page")

MAX_LINKS = 500
"""Most items taken from one fetch of a source."""

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.I)
_SITEMAP_ROOT = re.compile(rb"<(?:[\w-]+:)?(?:urlset|sitemapindex)\b", re.I)
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


@dataclass(frozen=True)
class WatchedItem:
    """One item of a source: its key (URL), a digest of what it looked like, and its
    document when the source carried the text (a feed entry); else the page is fetched."""

    key: str
    digest: str
    document: RawDocument | None = None


@dataclass(frozen=True)
class SourceContent:
    """A fetched source read: its items, the sitemaps an index names, and failures."""

    items: tuple[WatchedItem, ...] = ()
    sitemaps: tuple[str, ...] = ()
    failures: tuple[ReadFailure, ...] = ()


def as_kind(value: str) -> SourceKind:
    """A stored kind name as a `SourceKind` (an unknown one reads as a page)."""
    for kind in SOURCE_KINDS:
        if kind == value:
            return kind
    return "page"


def sniff_kind(page: FetchedPage) -> SourceKind:
    """Whether a fetched URL is a feed, a sitemap or (anything else) a page."""
    head = gzip_head(page.body, 2048) if is_gzip(page.body) else page.body[:2048]
    if _SITEMAP_ROOT.search(head):
        return "sitemap"
    if _FEED_ROOT.search(head):
        return "feed"
    return "page"


def read_source(page: FetchedPage, kind: SourceKind, settings: Settings) -> SourceContent:
    """The items of a fetched source of `kind`."""
    try:
        body = gunzip(page.body, settings.fetch_max_bytes) if is_gzip(page.body) else page.body
    except NotText as exc:
        return SourceContent(failures=(ReadFailure(page.url, str(exc)),))
    page = replace(page, body=body)
    if kind == "feed":
        return _feed_items(page)
    if kind == "sitemap":
        return _sitemap_items(page)
    return SourceContent(tuple(WatchedItem(link, "") for link in page_links(page)))


def discover_feeds(page: FetchedPage) -> list[str]:
    """The feeds a home page links to (``<link rel="alternate">``, else feed-like links)."""
    if page.mime not in HTML_TYPES:
        return []
    text = decode_html(page.body, page.charset)
    domain = courlan.extract_domain(page.url, fast=True) or urlsplit(page.url).netloc
    found = determine_feed(text, FeedParameters(page.url, domain, page.url))
    return [str(url) for url in found]


def page_links(page: FetchedPage) -> list[str]:
    """Links of a front page that may be articles: on the same host, not the page
    itself, not navigation (tags, categories, logins, feeds), first occurrence first."""
    try:
        tree = html.fromstring(decode_html(page.body, page.charset))
    except (etree.ParserError, ValueError):
        return []
    host, seen = urlsplit(page.url).netloc.lower(), dict[str, None]()
    for href in tree.xpath("//a/@href"):
        link = urldefrag(urljoin(page.url, str(href).strip()))[0]
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != host:
            continue
        if parts.path.strip("/") == "" or link.rstrip("/") == page.url.rstrip("/"):
            continue
        if courlan.is_navigation_page(link) or courlan.is_not_crawlable(link):
            continue
        seen.setdefault(link)
    return list(seen)[:MAX_LINKS]


def digest(*parts: str | None) -> str:
    """A short digest of what an item looked like."""
    payload = "\x1f".join(part or "" for part in parts).encode("utf-8", "surrogatepass")
    return hashlib.sha256(payload).hexdigest()[:24]


def _feed_items(page: FetchedPage) -> SourceContent:
    items: dict[str, WatchedItem] = {}
    failures: list[ReadFailure] = []
    for found in feed_entries(page.body, page.url):
        entry = found.item
        if isinstance(entry, ReadFailure):
            if found.link and urlsplit(found.link).scheme in ("http", "https"):
                # A headline-only entry (no text, a link): its page is fetched, and
                # fetched again when the entry's title or date changes.
                look = digest(found.title, found.stamp)
                items.setdefault(found.link, WatchedItem(found.link, look))
            else:
                failures.append(entry)
            continue
        key = entry.url or f"{page.url}#{digest(entry.title, entry.content)}"
        look = digest(entry.title, entry.content, entry.published, entry.author)
        items.setdefault(key, WatchedItem(key, look, replace(entry, locator=key)))
    return SourceContent(tuple(items.values())[:MAX_LINKS], failures=tuple(failures))


def _sitemap_items(page: FetchedPage) -> SourceContent:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(page.body, parser)
    except etree.XMLSyntaxError as exc:
        return SourceContent(failures=(ReadFailure(page.url, f"malformed sitemap ({exc})"),))
    if root is None:
        return SourceContent(failures=(ReadFailure(page.url, "not a sitemap"),))
    if etree.QName(root).localname == "sitemapindex":
        locs = [_text(node, "loc") for node in _children(root, "sitemap")]
        return SourceContent(sitemaps=tuple(loc for loc in locs if loc)[:MAX_LINKS])
    items: dict[str, WatchedItem] = {}
    for node in _children(root, "url"):
        loc = _text(node, "loc")
        if loc and urlsplit(loc).scheme in ("http", "https"):
            items.setdefault(loc, WatchedItem(loc, digest(_text(node, "lastmod"), _news(node))))
    return SourceContent(tuple(items.values())[:MAX_LINKS])


def _children(root: etree._Element, name: str) -> list[etree._Element]:
    return [node for node in root if _local(node) == name]


def _text(node: etree._Element, name: str) -> str | None:
    for child in node:
        if _local(child) == name and child.text and child.text.strip():
            return str(child.text).strip()
    return None


def _news(node: etree._Element) -> str | None:
    """A news sitemap's publication date and title (a changed one: an updated item)."""
    for child in node:
        if isinstance(child.tag, str) and etree.QName(child).namespace == _NEWS_NS:
            return "|".join(filter(None, (_text(child, "publication_date"), _text(child, "title"))))
    return None


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""
