"""A real HTTP server on 127.0.0.1 whose pages tests change between polls.

Each route is a `Page` (status, body, headers, an optional delay); a page with an ETag
answers a matching If-None-Match with 304. Every request is logged with its path and
headers. Fictional content only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Page:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Hit:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    status: int


class Site:
    """The server's routes (path -> Page or a list of Pages served in turn) and log."""

    def __init__(self) -> None:
        self.routes: dict[str, Page | list[Page]] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.base = ""
        self.in_flight = 0
        self.most_in_flight = 0

    def url(self, path: str) -> str:
        """The absolute URL of `path`."""
        return self.base + path

    def paths(self) -> list[str]:
        """Paths requested, in order."""
        with self.lock:
            return [hit.path for hit in self.hits]

    def answer(self, path: str) -> Page:
        """The page for `path` now (a list is consumed one page per request, its last
        page staying)."""
        with self.lock:
            route = self.routes.get(path)
            if isinstance(route, list):
                return route.pop(0) if len(route) > 1 else route[0]
            return route or Page(b"not found", 404, "text/plain")


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            page = site.answer(self.path)
            headers = dict(self.headers.items())
            status = page.status
            if page.etag and headers.get("If-None-Match") == page.etag:
                status = 304
            with site.lock:
                site.hits.append(Hit(self.path, headers, status))
                site.in_flight += 1
                site.most_in_flight = max(site.most_in_flight, site.in_flight)
            if page.delay:
                time.sleep(page.delay)
            with site.lock:
                site.in_flight -= 1
            self.send_response(status)
            body = b"" if status == 304 else page.body
            if status != 304:
                self.send_header("Content-Type", page.content_type)
            if page.etag:
                self.send_header("ETag", page.etag)
            for name, value in page.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def local_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on a free port of 127.0.0.1 for the block; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    """Run `site` on a free port of 127.0.0.1 for the block."""
    with local_server(_handler(site)) as base:
        site.base = base
        yield site


def rss(base: str, entries: list[tuple[str, str, str]], title: str = "Valdor Wire") -> bytes:
    """An RSS 2.0 feed of (path, title, text) entries, newest first."""
    items = "".join(
        f"<item><title>{escape(t)}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
        f"<pubDate>{formatdate(1741600000 + n * 3600, usegmt=True)}</pubDate>"
        f"<description>{escape(text)}</description></item>"
        for n, (p, t, text) in enumerate(entries)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


def sitemap(base: str, entries: list[tuple[str, str]]) -> bytes:
    """A sitemap of (path, lastmod) entries."""
    urls = "".join(f"<url><loc>{base}{p}</loc><lastmod>{m}</lastmod></url>" for p, m in entries)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


def article_page(
    title: str,
    text: str,
    *,
    published: str | None = None,
    outlet: str | None = None,
    author: str | None = None,
) -> bytes:
    """A small HTML article page (paragraphs split at blank lines), with the metadata
    given as the usual meta tags."""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    metas = (
        ("property", "article:published_time", published),
        ("property", "og:site_name", outlet),
        ("name", "author", author),
    )
    head = "".join(
        f'<meta {kind}="{name}" content="{escape(value, {chr(34): "&quot;"})}">'
        for kind, name, value in metas
        if value
    )
    return (
        f"<html><head><title>{escape(title)}</title>{head}</head><body><article>"
        f"<h1>{escape(title)}</h1>{paragraphs}</article></body></html>"
    ).encode()


class FakeClock:
    """A clock that moves only when slept on (or told to)."""

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self.t = start
        self.lock = threading.Lock()

    def now(self) -> float:
        """The current fake time."""
        with self.lock:
            return self.t

    def sleep(self, seconds: float) -> None:
        """Move on by `seconds` at once."""
        with self.lock:
            self.t += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        """Move on by `seconds`."""
        self.sleep(seconds)
