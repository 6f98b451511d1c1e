"""The web server under hostile use: where it binds, who it answers, what it accepts."""

from __future__ import annotations

import html
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.webdata import build_store, save, story

from newstrace.cli.main import main
from newstrace.cli.serve_cmd import allowed_hosts, check_token
from newstrace.errors import SettingsError
from newstrace.store import Store as WriteStore
from newstrace.web import WebConfig, create_app


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def status(url: str, host_header: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Host": host_header} if host_header else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.fixture
def served_on_127_0_0_2(tmp_path: Path) -> Iterator[str]:
    """`newstrace serve --host 127.0.0.2` in a subprocess, as a user would start it."""
    from newstrace.store import Store

    port = free_port("127.0.0.2")
    Store.open(str(tmp_path / "s.db"), create=True).close()  # serve reads a store that is there
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newstrace",
            "--db",
            str(tmp_path / "s.db"),
            "serve",
            "--host",
            "127.0.0.2",
            "--port",
            str(port),
        ],
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.2:{port}"
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.2", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_on_another_loopback_address_answers_it(served_on_127_0_0_2: str) -> None:
    """It started without a token but answered every request 400 "host not allowed"."""
    assert status(served_on_127_0_0_2 + "/articles") == 200
    port = served_on_127_0_0_2.rsplit(":", 1)[1]
    assert status(served_on_127_0_0_2 + "/articles", f"localhost:{port}") == 200
    assert status(served_on_127_0_0_2 + "/articles", f"LocalHost:{port}") == 200
    assert status(served_on_127_0_0_2 + "/articles", "rebound.example") == 400


@pytest.mark.parametrize("token", ["   ", "x", "short-token", "a" * 20, " padded-token-123456 "])
def test_weak_tokens_are_refused_beyond_loopback(token: str) -> None:
    """`--token "   "` or a one-character token was accepted with --host 0.0.0.0.

    (`check_token` is what `serve` runs before binding; called here directly, so that a
    regression fails this test instead of starting a public server.)"""
    with pytest.raises(SettingsError, match="too weak"):
        check_token("0.0.0.0", token)
    check_token("127.0.0.1", token)  # loopback needs none
    check_token("0.0.0.0", "8c1f9e2a7b3d4c5e")  # a generated one passes


def test_serve_without_a_token_beyond_loopback_still_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(tmp_path / "x.db"), "serve", "--host", "0.0.0.0"]) == 2
    assert "needs a token" in capsys.readouterr().err
    # `serve` itself runs the check, before it binds: a weak token exits 2 as well.
    args = ["--db", str(tmp_path / "x.db"), "serve", "--host", "0.0.0.0", "--token", "   "]
    assert main(args) == 2
    assert "too weak" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("[::1]:8000", 200),
        ("[::1]", 200),
        ("LOCALHOST", 200),
        ("127.0.0.1:80", 200),
        ("[::2]:8000", 400),
        ("localhost.evil.example", 400),
        ("127.0.0.2.evil.example", 400),
    ],
)
def test_host_headers_are_read_whole(tmp_path: Path, header: str, code: int) -> None:
    """A Host header is matched on its host, bracketed IPv6 with or without a port, in
    any case ("[::1]" without a port was cut at its last colon and refused)."""
    config = WebConfig(db=build_store(str(tmp_path / "h.db")), allowed_hosts=allowed_hosts("::1"))
    client = TestClient(create_app(config))
    assert client.get("/api/articles", headers={"Host": header}).status_code == code


# --- uploads ------------------------------------------------------------------------------


@pytest.fixture
def quiet_python(tmp_path: Path) -> str:
    """Stands in for the ingest subprocess: the jobs here test the upload, not ingest."""
    fake = tmp_path / "python.sh"
    summary = '{"new": 0, "updated": 0, "unchanged": 0, "near_duplicates": [], "failed": []}'
    fake.write_text(f"#!/bin/sh\necho '{summary}'\n")
    fake.chmod(0o755)
    return str(fake)


def web_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("newstrace-web-*")}


def upload_app(tmp_path: Path, python: str, **options: object) -> TestClient:
    db = build_store(str(tmp_path / "w.db"))
    return TestClient(create_app(WebConfig(db=db, python=python, **options)))  # type: ignore[arg-type]


def test_a_refused_upload_leaves_nothing_behind(tmp_path: Path, quiet_python: str) -> None:
    """A 60 MB upload got 413 but left a 48 MB /tmp/newstrace-web-* folder every time."""
    client = upload_app(tmp_path, quiet_python, max_input_bytes=200_000)
    before = web_folders()
    small = ("a.txt", b"Pier vote\n\nThe board met.\n", "text/plain")
    big = ("b.txt", b"x" * 150_000, "text/plain")
    declared = client.post("/ingest", files=[("files", small), ("files", big), ("files", big)])
    assert declared.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted as it comes
        boundary = b"--edge\r\n"
        yield boundary + b'Content-Disposition: form-data; name="files"; filename="c.txt"\r\n\r\n'
        for _ in range(40):
            yield b"y" * 100_000
        yield b"\r\n--edge--\r\n"

    streamed = client.post(
        "/ingest", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=edge"}
    )
    assert streamed.status_code == 413 and "larger than 200,000 bytes" in streamed.text
    assert web_folders() == before


def test_pasted_text_over_a_megabyte_is_taken(tmp_path: Path, quiet_python: str) -> None:
    """The form says 5,000,000 characters; the multipart parser stopped at 1 MB."""
    client = upload_app(tmp_path, quiet_python)
    text = "Pier vote\n\n" + "The harbour board of Port Elsin met on Tuesday. " * 30_000
    response = client.post("/ingest", files={"text": (None, text)}, data={}, follow_redirects=False)
    assert response.status_code == 303, response.text[:300]
    too_long = client.post("/ingest", files={"text": (None, "z" * 5_000_001)})
    assert too_long.status_code == 413 and "5,000,000 characters" in too_long.text


def test_a_read_only_server_refuses_before_reading_the_body(tmp_path: Path) -> None:
    """With --read-only the whole upload was received and stored before the 403."""
    import uvicorn

    app = create_app(WebConfig(db=build_store(str(tmp_path / "r.db")), read_only=True))
    port = free_port("127.0.0.1")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(
                b"POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 40000000\r\n"
                b"Content-Type: multipart/form-data; boundary=edge\r\n\r\n--edge\r\n"
            )  # and then nothing: the server must answer without waiting for 40 MB
            assert conn.recv(200).startswith(b"HTTP/1.1 403")
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_right_to_left_overrides_stay_inside_their_cell(tmp_path: Path) -> None:
    """U+202E in an outlet or a title showed unisolated in the article list."""
    from newstrace.models import Article, Record
    from newstrace.store import Store, WriteInfo

    db = str(tmp_path / "bidi.db")
    title, outlet = "Pier \u202evote reopened", "evil\u202e.example"
    with Store.open(db, create=True) as store:
        article = Article(id="b1", text="The pier vote.", title=title, outlet=outlet)
        store.save(Record(article), WriteInfo("h"))
    client = TestClient(create_app(WebConfig(db=db)))
    for path in ("/articles", "/articles/b1", "/search?q=pier"):
        page = client.get(path, headers={"Accept": "text/html"}).text
        # Text in attributes, <option>s and the <title> is no running text: left as is.
        page = re.sub(r'="[^"]*"|<option[^>]*>[^<]*</option>|<title>[^<]*</title>', "", page)
        for value in (title, outlet):
            if value in page:
                assert page.count(value) == page.count(f"<bdi>{value}</bdi>"), (path, value)
        assert f"<bdi>{title}</bdi>" in page, path


def test_outlet_keys_stay_inside_their_cell_on_every_page(tmp_path: Path) -> None:
    """The outlet key (an outlet's domain or name) of group members, figure points and
    timeline entries showed U+202E unisolated: it reversed the date and id after it."""
    db = build_store(str(tmp_path / "keys.db"))
    outlet = "evil\u202e.example"
    with WriteStore.open(db) as store:
        save(store, story("b2", "2025-03-22", outlet, 6000))
    client = TestClient(create_app(WebConfig(db=db)))
    listings = ["/claims", "/claims/groups", "/claims/contradictions", "/figures", "/timeline"]
    linked = {
        html.unescape(link)
        for path in listings
        for link in re.findall(
            r'href="(/(?:figures\?|claims/groups/|timeline\?entity=)[^"]*)"', client.get(path).text
        )
    }
    shown = 0
    for path in [*listings, *sorted(linked)]:
        page = re.sub(r'="[^"]*"|<title>[^<]*</title>', "", client.get(path).text)
        assert page.count(outlet) == page.count(f"<bdi>{outlet}</bdi>"), path
        shown += page.count(outlet)
    assert shown >= 10  # the key is on the pages at all: members, points, entries
