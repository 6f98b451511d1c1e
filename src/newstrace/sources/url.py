"""Web pages fetched over http(s), with a guard against reaching private networks.

Standard-library urllib only. Redirects are followed here, not by urllib, so every
hop is checked (at most `MAX_REDIRECTS`). The guard works twice: every address the
host resolves to must be public before connecting, and the address actually
connected to is checked again, so a DNS answer that changes in between (rebinding)
does not get through. Proxies from the environment are not used, for the same reason.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.error import URLError
from urllib.parse import urljoin, urlsplit

from newstrace.errors import FetchError
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
    """A successful fetch: the URL after redirects, the MIME type, charset and body."""

    url: str
    mime: str
    charset: str | None
    body: bytes


def read_url(url: str, settings: Settings) -> Iterator[Item]:
    """One document fetched from `url` (HTML or plain text), or the reason it failed."""
    try:
        page = fetch_url(url, settings)
    except FetchError as exc:
        yield ReadFailure(url, exc.reason)
        return
    try:
        if page.mime in HTML_TYPES:
            yield make_document(url, "html", decode_html(page.body, page.charset), url=page.url)
        else:
            yield make_document(url, "text", decode_text(page.body, page.charset), url=page.url)
    except NotText as exc:
        yield ReadFailure(url, str(exc))


def fetch_url(url: str, settings: Settings) -> FetchedPage:
    """Fetch `url` within the settings' time and size limits; raises `FetchError`."""
    deadline = time.monotonic() + settings.fetch_timeout
    opener = _build_opener(settings.allow_private)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        check_url(current, settings.allow_private)
        location = _fetch_once(opener, current, deadline, settings)
        if isinstance(location, FetchedPage):
            return location
        current = urljoin(current, location)
    raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")


def check_url(url: str, allow_private: bool) -> None:
    """Raise `FetchError` unless `url` is http(s) and (when required) its host is public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(url, f"unsupported URL scheme {parts.scheme!r}")
    if not parts.hostname:
        raise FetchError(url, "URL has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or None, proto=socket.IPPROTO_TCP)
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


def _fetch_once(
    opener: urllib.request.OpenerDirector, url: str, deadline: float, settings: Settings
) -> FetchedPage | str:
    """The page at `url`, or the Location it redirects to."""
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT, "Accept": "*/*"})
    try:
        with opener.open(request, timeout=_remaining(url, deadline, settings)) as response:
            return _handle_response(url, response, deadline, settings)
    except TimeoutError as exc:
        raise _timed_out(url, settings) from exc
    except URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _timed_out(url, settings) from exc
        raise FetchError(url, f"cannot fetch ({exc.reason})") from exc
    except (http.client.HTTPException, OSError, ValueError) as exc:
        raise FetchError(url, f"cannot fetch ({type(exc).__name__}: {exc})") from exc


def _handle_response(
    url: str, response: Any, deadline: float, settings: Settings
) -> FetchedPage | str:
    status = int(response.status)
    if status in _REDIRECTS:
        location = response.headers.get("Location")
        if not location:
            raise FetchError(url, f"HTTP {status} redirect without a Location")
        return str(location)
    if not 200 <= status < 300:
        raise FetchError(url, f"HTTP {status} {response.reason}")
    mime, charset = split_content_type(response.headers.get("Content-Type") or "")
    if mime not in ACCEPTED_TYPES:
        raise FetchError(url, f"unsupported content type {mime or '(none given)'}")
    body = _read_capped(url, response, deadline, settings)
    return FetchedPage(url=url, mime=mime, charset=charset, body=body)


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


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: Any) -> Any:
        return self.do_open(_GuardedConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: Any) -> Any:
        return self.do_open(_GuardedTLSConnection, req)


def _build_opener(allow_private: bool) -> urllib.request.OpenerDirector:
    handlers: list[Any] = [urllib.request.ProxyHandler({}), _KeepStatus()]
    if not allow_private:
        handlers += [_GuardedHTTPHandler(), _GuardedHTTPSHandler()]
    return urllib.request.build_opener(*handlers)
