"""The demo corpus (examples/, fictional) as news sites on a real HTTP server whose feeds
grow poll by poll, the way an analyst following the Lisk story would see it arrive.

Two feeds: the Northgate Post's own RSS feed (examples/feed.rss, its items carrying
their text) and an Atom feed of headlines about Lisk linking to the other twelve
articles' pages: the HTML pages as they are (examples/html and the pages the WARC is
built from), the wire records and the scraped text files as pages with their date,
outlet and author in meta tags (a page carries its own metadata; a file name does not
reach a web server). An item is served from the poll that follows its publication:
poll 1 brings February, poll 2 the 3 to 10 March reports, poll 3 the rest. Each poll
changes the feeds' ETags, so an unchanged feed answers 304.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from xml.sax.saxutils import escape

from tests.conftest import EXAMPLES, REPO
from tests.watchserver import Page, Site, article_page

NORTHGATE_FEED = "/world/rss.xml"
LISK_FEED = "/lisk/atom.xml"
OUTLETS = {
    "meridian-herald": "The Meridian Herald",
    "borderlands-daily": "Borderlands Daily",
    "newsbuzz24": "newsbuzz24",
}
"""Outlets of the text files, by the name each file is saved under."""


def poll_of(published: str) -> int:
    """Which poll brings an item published on `published` (YYYY-MM-DD...)."""
    return 1 if published < "2025-03" else 2 if published[:10] <= "2025-03-10" else 3


@dataclass(frozen=True)
class DemoPage:
    """One article page of the Lisk feed: where it is served, its headline and date."""

    path: str
    title: str
    published: str
    body: bytes


def demo_pages() -> list[DemoPage]:
    """The twelve articles that are not in the Northgate Post's feed, as pages."""
    wire = (EXAMPLES / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    pages = [_wire_page(json.loads(line)) for line in wire]
    for path in sorted((EXAMPLES / "text").glob("*.txt")):
        headline, _, body = path.read_text(encoding="utf-8").strip().partition("\n")
        day, outlet, slug = path.stem.split("_")
        page = article_page(headline, body.strip(), published=day, outlet=OUTLETS[outlet])
        pages.append(DemoPage(_path(day, slug), headline, day, page))
    html = [*(EXAMPLES / "html").glob("*.html"), *(REPO / "scripts/demo_warc_pages").glob("*")]
    for path in sorted(html):
        text = path.read_text(encoding="utf-8")
        title = re.search(r'<meta property="og:title" content="([^"]+)"', text)
        assert title is not None, path
        day, _, slug = path.stem.split("_")
        pages.append(DemoPage(_path(day, slug), title[1], day, path.read_bytes()))
    return sorted(pages, key=lambda page: page.published)


def northgate_items() -> list[tuple[str, str]]:
    """(publication date, item XML) of the Northgate Post's feed, as written."""
    feed = (EXAMPLES / "feed.rss").read_text(encoding="utf-8")
    found = []
    for item in re.findall(r"<item>.*?</item>", feed, re.S):
        date = re.search(r"<pubDate>(.+?)</pubDate>", item)
        assert date is not None
        found.append((parsedate_to_datetime(date[1]).date().isoformat(), item))
    return found


class DemoSite:
    """The demo's feeds and pages on `site`; `publish(n)` serves what poll n brings."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.pages = demo_pages()
        self.northgate = northgate_items()
        site.routes["/robots.txt"] = Page(b"User-agent: *\nAllow: /\n", content_type="text/plain")
        for page in self.pages:
            site.routes[page.path] = Page(page.body)

    def publish(self, poll: int) -> list[str]:
        """Serve the feeds as they stand at poll `poll`; the headlines now in them."""
        pages = [p for p in self.pages if poll_of(p.published) <= poll]
        items = [item for day, item in self.northgate if poll_of(day) <= poll]
        head, _, _ = (EXAMPLES / "feed.rss").read_text(encoding="utf-8").partition("<item>")
        northgate = head + "".join(items) + "\n  </channel>\n</rss>\n"
        rss = "application/rss+xml"
        self.site.routes[NORTHGATE_FEED] = Page(northgate.encode(), content_type=rss,
                                                etag=f'"ngp-{poll}"')  # fmt: skip
        atom = "application/atom+xml"
        self.site.routes[LISK_FEED] = Page(self._atom(pages), content_type=atom,
                                           etag=f'"lisk-{poll}"')  # fmt: skip
        return [page.title for page in pages]

    def _atom(self, pages: list[DemoPage]) -> bytes:
        """An Atom feed of headlines (title, link, date; no text), newest first."""
        entries = "".join(
            f"<entry><title>{escape(p.title)}</title>"
            f'<link rel="alternate" href="{self.site.url(p.path)}"/>'
            f"<id>{self.site.url(p.path)}</id><updated>{p.published}T12:00:00Z</updated></entry>"
            for p in reversed(pages)
        )
        updated = pages[-1].published if pages else "2025-02-01"
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Lisk standoff</title><id>{self.site.url(LISK_FEED)}</id>"
            f"<updated>{updated}T12:00:00Z</updated>{entries}</feed>"
        ).encode()


def _wire_page(record: dict[str, str]) -> DemoPage:
    day = record["published"][:10]
    slug = record["url"].rstrip("/").rsplit("/", 1)[-1]
    page = article_page(record["title"], record["text"], published=record["published"],
                        outlet=record["outlet"], author=record["author"])  # fmt: skip
    return DemoPage(_path(day, slug), record["title"], day, page)


def _path(day: str, slug: str) -> str:
    return f"/{day.replace('-', '/')}/{slug}.html"
