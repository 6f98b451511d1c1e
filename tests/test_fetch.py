"""URL fetching against a real HTTP server on 127.0.0.1 (started in a thread here)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newstrace.models import RawDocument, ReadFailure
from newstrace.settings import Settings
from newstrace.sources import read_inputs
from newstrace.sources import url as url_module
from newstrace.sources.url import address_kind

PAGE = b"<html><head><title>Quay</title></head><body><p>The quay reopened.</p></body></html>"
ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/page": (200, "text/html; charset=utf-8", PAGE),
    "/plain": (200, "text/plain", b"Plain quay news.\n"),
    "/image": (200, "image/png", b"\x89PNG"),
    "/big": (200, "text/html", b"<p>" + b"x" * 5000 + b"</p>"),
    "/missing": (404, "text/html", b"gone"),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(1.0)
        if self.path.startswith("/hop"):
            hops = int(self.path.removeprefix("/hop"))
            self.send_response(302)
            self.send_header("Location", "/page" if hops == 0 else f"/hop{hops - 1}")
            self.end_headers()
            return
        status, content_type, body = ROUTES.get(self.path, ROUTES["/page"])
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # the client may have given up (the timeout test)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


ALLOW = Settings(allow_private=True, fetch_timeout=5.0)


def fetch(url: str, settings: Settings = ALLOW) -> RawDocument | ReadFailure:
    (item,) = read_inputs([url], settings)
    return item


def test_private_address_refused_by_default(base_url: str) -> None:
    item = fetch(base_url + "/page", Settings())
    assert isinstance(item, ReadFailure) and item.locator == base_url + "/page"
    assert "loopback" in item.reason and "127.0.0.1" in item.reason


def test_connected_address_is_checked_again(base_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A DNS answer that changes after the first check (rebinding) is caught at connect."""
    monkeypatch.setattr(url_module, "check_url", lambda url, allow_private: None)
    item = fetch(base_url + "/page", Settings())
    assert isinstance(item, ReadFailure) and "loopback address 127.0.0.1" in item.reason


def test_localhost_name_refused_too() -> None:
    item = fetch("http://localhost:9/page", Settings())
    assert isinstance(item, ReadFailure) and "private/loopback" in item.reason


def test_fetched_with_allow_private(base_url: str) -> None:
    item = fetch(base_url + "/page")
    assert isinstance(item, RawDocument)
    assert (item.kind, item.content, item.url) == ("html", PAGE.decode(), base_url + "/page")
    assert item.outlet == "127.0.0.1"


def test_plain_text_fetched_as_text(base_url: str) -> None:
    item = fetch(base_url + "/plain")
    assert isinstance(item, RawDocument) and item.kind == "text"


def test_redirects_followed_and_capped(base_url: str) -> None:
    item = fetch(base_url + "/hop2")
    assert isinstance(item, RawDocument) and item.url == base_url + "/page"
    item = fetch(base_url + "/hop9")
    assert isinstance(item, ReadFailure) and item.reason == "more than 5 redirects"


def test_wrong_content_type_refused(base_url: str) -> None:
    item = fetch(base_url + "/image")
    assert isinstance(item, ReadFailure) and item.reason == "unsupported content type image/png"


def test_oversize_refused(base_url: str) -> None:
    item = fetch(base_url + "/big", Settings(allow_private=True, fetch_max_bytes=1000))
    assert isinstance(item, ReadFailure) and item.reason == "response larger than 1000 bytes"


def test_http_error_reported(base_url: str) -> None:
    item = fetch(base_url + "/missing")
    assert isinstance(item, ReadFailure) and item.reason.startswith("HTTP 404")


def test_timeout_reported(base_url: str) -> None:
    item = fetch(base_url + "/slow", Settings(allow_private=True, fetch_timeout=0.2))
    assert item == ReadFailure(base_url + "/slow", "timed out after 0.2s")


def test_unresolvable_host_is_a_failure() -> None:
    item = fetch("http://no-such-host.invalid/", Settings())
    assert isinstance(item, ReadFailure) and "cannot resolve" in item.reason


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::1", "loopback"),
        ("::ffff:192.168.0.1", "private"),
        ("fe80::1%eth0", "link-local"),
        ("100.64.0.1", "non-global"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_kind(address: str, kind: str | None) -> None:
    assert address_kind(address) == kind
