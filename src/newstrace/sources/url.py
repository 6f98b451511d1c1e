"""Web pages fetched over http(s), with a guard against reaching private networks.

Standard-library urllib only. Redirects are followed here, not by urllib, so every
hop is checked (at most `MAX_REDIRECTS`). `fetch_timeout` is a wall-clock deadline
over the whole fetch, every hop included: a watchdog shuts the connection when it
passes, so a server trickling its headers or body a byte at a time (each read well
within a socket timeout) cannot hold a fetch longer. The guard works twice: every address the
host resolves to must be public before connecting, and the address actually
connected to is checked again, so a DNS answer that changes in between (rebinding)
does not get through. Proxies from the environment are not used, for the same reason.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.error import URLError
from urllib.parse import urljoin, urlsplit

from newstrace.errors import FetchError, HTTPStatusError
from newstrace.models import ReadFailure
from newstrace.settings import Settings
from newstrace.sources.base import Item, make_document
from newstrace.sources.decoding import (
    HTML_TYPES,
    NotText,
    decode_html,
    decode_text,
    split_content_type,
)

MAX_REDIRECTS = 5
ACCEPTED_TYPES = HTML_TYPES | {"text/plain"}
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 1 << 16
_USER_AGENT = "newstrace/0.1 (news attribution research)"


@dataclass(frozen=True)
class FetchedPage:
    """A successful fetch: the URL after redirects, the MIME type, charset and body;
    `status` 304 (not modified, for a conditional request) has an empty body. `etag`
    and `last_modified` are the validators to send next time."""

    url: str
    mime: str
    charset: str | None
    body: bytes
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None


def read_url(url: str, settings: Settings) -> Iterator[Item]:
    """One document fetched from `url` (HTML or plain text), or the reason it failed."""
    try:
        page = fetch_url(url, settings)
    except FetchError as exc:
        yield ReadFailure(url, exc.reason)
        return
    yield page_document(url, page)


def page_document(locator: str, page: FetchedPage) -> Item:
    """The document of a fetched HTML or plain-text page (or why its bytes are no text)."""
    try:
        if page.mime in HTML_TYPES:
            text = decode_html(page.body, page.charset)
            return make_document(locator, "html", text, url=page.url)
        return make_document(locator, "text", decode_text(page.body, page.charset), url=page.url)
    except NotText as exc:
        return ReadFailure(locator, str(exc))


def fetch_url(
    url: str,
    settings: Settings,
    *,
    headers: Mapping[str, str] | None = None,
    accept: frozenset[str] = ACCEPTED_TYPES,
) -> FetchedPage:
    """Fetch `url` within the settings' time and size limits; raises `FetchError`
    (`HTTPStatusError` for an error status). `headers` are sent with every hop (e.g.
    the validators of a conditional GET); `accept` are the MIME types taken."""
    deadline = time.monotonic() + settings.fetch_timeout
    watchdog = _Watchdog(deadline)
    opener = _build_opener(settings.allow_private, watchdog)
    request = _Request(deadline, settings, dict(headers or {}), accept)
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            check_url(current, settings.allow_private)
            location = _fetch_once(opener, current, request)
            if isinstance(location, FetchedPage):
                return location
            current = urljoin(current, location)
    except FetchError:
        if watchdog.expired:  # whatever the cut connection looked like, it was the deadline
            raise _timed_out(url, settings) from None
        raise
    finally:
        watchdog.close()
    raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")


def check_url(url: str, allow_private: bool) -> None:
    """Raise `FetchError` unless `url` is http(s) and (when required) its host is public."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a port that is no number or out of range
    except ValueError as exc:  # "http://[" (Invalid IPv6 URL), "http://h:99999"
        raise FetchError(url, f"malformed URL ({exc})") from exc
    if parts.scheme not in ("http", "https"):
        raise FetchError(url, f"unsupported URL scheme {parts.scheme!r}")
    if not parts.hostname:
        raise FetchError(url, "URL has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, port or None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(url, f"cannot resolve host {parts.hostname} ({exc})") from exc
    for info in infos:
        _refuse_private(url, parts.hostname, str(info[4][0]))


def address_kind(address: str) -> str | None:
    """Why `address` is not public ("loopback", "private", ...), or None when it is."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (  # most specific first: Python counts loopback, link-local... as private too
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-global", not ip.is_global),
    )
    return next((kind for kind, hit in checks if hit), None)


def _refuse_private(url: str, host: str, address: str) -> None:
    kind = address_kind(address)
    if kind is not None:
        raise FetchError(
            url,
            f"refusing {kind} address {address} of {host} (private/loopback; allow_private is off)",
        )


@dataclass(frozen=True)
class _Request:
    """What every hop of one fetch shares: its deadline, limits, headers, types taken."""

    deadline: float
    settings: Settings
    headers: dict[str, str]
    accept: frozenset[str]


def _fetch_once(
    opener: urllib.request.OpenerDirector, url: str, fetch: _Request
) -> FetchedPage | str:
    """The page at `url`, or the Location it redirects to."""
    deadline, settings = fetch.deadline, fetch.settings
    headers = {"User-Agent": _USER_AGENT, "Accept": "*/*", **fetch.headers}
    request = urllib.request.Request(url, headers=headers)
    try:
        with opener.open(request, timeout=_remaining(url, deadline, settings)) as response:
            return _handle_response(url, response, fetch)
    except TimeoutError as exc:
        raise _timed_out(url, settings) from exc
    except URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _timed_out(url, settings) from exc
        raise FetchError(url, f"cannot fetch ({exc.reason})") from exc
    except (http.client.HTTPException, OSError, ValueError) as exc:
        raise FetchError(url, f"cannot fetch ({type(exc).__name__}: {exc})") from exc


def _handle_response(url: str, response: Any, fetch: _Request) -> FetchedPage | str:
    status = int(response.status)
    if status in _REDIRECTS:
        location = response.headers.get("Location")
        if not location:
            raise FetchError(url, f"HTTP {status} redirect without a Location")
        return str(location)
    etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
    if status == 304:
        return FetchedPage(url, "", None, b"", status, etag, modified)
    if not 200 <= status < 300:
        raise HTTPStatusError(url, status, response.reason, response.headers.get("Retry-After"))
    mime, charset = split_content_type(response.headers.get("Content-Type") or "")
    if mime not in fetch.accept:
        raise FetchError(url, f"unsupported content type {mime or '(none given)'}")
    body = _read_capped(url, response, fetch.deadline, fetch.settings)
    return FetchedPage(url, mime, charset, body, status, etag, modified)


def _read_capped(url: str, response: Any, deadline: float, settings: Settings) -> bytes:
    limit = settings.fetch_max_bytes
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FetchError(url, f"response larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise FetchError(url, f"response larger than {limit} bytes")
        _remaining(url, deadline, settings)
        chunks.append(chunk)
    _remaining(url, deadline, settings)  # a body cut short by the watchdog is no page
    return b"".join(chunks)


def _remaining(url: str, deadline: float, settings: Settings) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _timed_out(url, settings)
    return left


def _timed_out(url: str, settings: Settings) -> FetchError:
    return FetchError(url, f"timed out after {settings.fetch_timeout:g}s")


class _KeepStatus(urllib.request.HTTPErrorProcessor):
    """Hand every response back as it is: no urllib redirects, no HTTPError."""

    def http_response(self, request: Any, response: Any) -> Any:
        return response

    https_response = http_response


class _Watchdog:
    """Shuts the sockets of one fetch when its deadline passes (a blocked read then
    returns), so the deadline holds however slowly the server sends."""

    def __init__(self, deadline: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket | None) -> None:
        """Shut `sock` at the deadline (now, when it has passed)."""
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def close(self) -> None:
        """The fetch is over: no more shutting."""
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


class _GuardedConnection(http.client.HTTPConnection):
    """An HTTP connection that refuses a non-public peer right after connecting."""

    def connect(self) -> None:
        super().connect()
        if self.sock is None:
            return
        address = str(self.sock.getpeername()[0])
        if address_kind(address) is not None:
            self.close()
            _refuse_private(f"http://{self.host}/", self.host, address)


class _GuardedTLSConnection(http.client.HTTPSConnection, _GuardedConnection):
    """HTTPS whose TCP connect goes through `_GuardedConnection`, before the handshake."""


def _build_opener(allow_private: bool, watchdog: _Watchdog) -> urllib.request.OpenerDirector:
    plain = http.client.HTTPConnection if allow_private else _GuardedConnection
    tls = http.client.HTTPSConnection if allow_private else _GuardedTLSConnection

    class Plain(plain):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            super().connect()
            watchdog.watch(self.sock)

    class TLS(tls):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            super().connect()
            watchdog.watch(self.sock)

    class PlainHandler(urllib.request.HTTPHandler):
        def http_open(self, req: Any) -> Any:
            return self.do_open(Plain, req)

    class TLSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            return self.do_open(TLS, req)

    handlers = [urllib.request.ProxyHandler({}), _KeepStatus(), PlainHandler(), TLSHandler()]
    return urllib.request.build_opener(*handlers)
