"""The web server under hostile use: where it binds, who it answers, what it accepts."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from newstrace.cli.main import main
from newstrace.cli.serve_cmd import check_token
from newstrace.errors import SettingsError


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
    port = free_port("127.0.0.2")
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
