"""`fetch_timeout` is a deadline over the whole fetch: real trickling servers on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from newstrace.models import RawDocument, ReadFailure
from newstrace.settings import Settings
from newstrace.sources import read_inputs

PAGE = b"<html><body><p>The pier at Port Elsin reopened on Monday.</p></body></html>"


def trickle(conn: socket.socket, path: str) -> None:
    """Answer one request; /body and /headers send a byte or a header line every 0.1 s
    for about 60 s, each read well inside any socket timeout."""
    with contextlib.suppress(OSError):
        if path == "/headers":
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            for n in range(600):
                conn.sendall(b"X-Slow-%d: yes\r\n" % n)
                time.sleep(0.1)
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n"
        conn.sendall(head % len(PAGE))
        if path == "/body":
            for byte in PAGE:
                conn.sendall(bytes([byte]))
                time.sleep(0.1 * 600 / len(PAGE))
        else:
            conn.sendall(PAGE)


def answer(conn: socket.socket, path: str) -> None:
    with conn:
        trickle(conn, path)


@pytest.fixture(scope="module")
def slow_server() -> Iterator[str]:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            request = conn.recv(4096).decode("latin-1")
            path = request.split(" ")[1] if " " in request else "/"
            threading.Thread(target=answer, args=(conn, path), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    listener.close()


def timed_fetch(url: str, timeout: float) -> tuple[RawDocument | ReadFailure, float]:
    start = time.monotonic()
    (item,) = read_inputs([url], Settings(allow_private=True, fetch_timeout=timeout))
    return item, time.monotonic() - start


def test_a_fast_page_from_the_same_server_is_fetched(slow_server: str) -> None:
    item, _ = timed_fetch(slow_server + "/page", 5.0)
    assert isinstance(item, RawDocument) and "pier at Port Elsin" in item.content


@pytest.mark.parametrize("path", ["/body", "/headers"])
def test_a_trickling_server_cannot_hold_a_fetch_past_its_deadline(
    slow_server: str, path: str
) -> None:
    """A body at 1 byte / 0.5 s ran 61 s with a 3 s timeout; slow header lines held a
    5 s fetch for 50 s. Here the server would trickle for 60 s."""
    item, elapsed = timed_fetch(slow_server + path, 1.5)
    assert item == ReadFailure(slow_server + path, "timed out after 1.5s")
    assert elapsed < 6.0  # the deadline plus scheduling slack, a tenth of the trickle
