"""Receivers for alert deliveries on 127.0.0.1: a webhook (http.server) that can fail
its first N requests or hold one open, and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler
from typing import Any

from aiosmtpd.controller import Controller
from tests.watchserver import local_server


@dataclass
class Received:
    """One request the webhook got."""

    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Webhook:
    """What the receiver does and what it got: `fail_first` requests answered 500,
    request number `hold` (1-based) kept open `hold_seconds` before its answer, every
    answer `delay` seconds late."""

    url: str = ""
    fail_first: int = 0
    hold: int | None = None
    hold_seconds: float = 60.0
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ids(self) -> list[str]:
        """The delivery ids of the requests answered 2xx (and of a held one), in order."""
        return [r.headers["X-Newstrace-Delivery"] for r in self.received if r.status < 300]

    def wait_for(self, count: int, timeout: float = 60.0) -> None:
        """Wait until `count` requests have arrived."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.received)} of {count} requests arrived")
            time.sleep(0.05)


@contextmanager
def webhook_server(hook: Webhook) -> Iterator[Webhook]:
    """Serve `hook` on 127.0.0.1 (a free port) for the duration of the block."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with hook.lock:
                number = len(hook.received) + 1
                status = 500 if number <= hook.fail_first else 200
                hook.received.append(Received(dict(self.headers.items()), body, status))
            if hook.hold == number:
                time.sleep(hook.hold_seconds)
            time.sleep(hook.delay)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_: Any) -> None:
            pass

    with local_server(Handler) as base:
        hook.url = base + "/hook"
        yield hook


def free_port() -> int:
    """A TCP port nothing listens on (now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Mailbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """An SMTP server on 127.0.0.1 (a free port) and its mailbox."""
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()
