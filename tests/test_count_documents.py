"""Counting the documents of inputs ahead of reading them (the ingest progress bar)."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newstrace.api import Store


def count(inputs: Path | str | list[str]) -> int | None:
    """What `Store.count_documents` says of `inputs` (a store, created for the asking)."""
    with (
        tempfile.TemporaryDirectory() as folder,
        Store.open(Path(folder) / "s.db", create=True) as store,
    ):
        return store.count_documents(inputs if isinstance(inputs, list) else str(inputs))


def test_files_folders_and_json_lines_are_counted(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("One story.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<p>Another.</p>")
    (tmp_path / "c.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n  \n{"text": "z"}')
    (tmp_path / ".hidden.txt").write_text("skipped by the walk")
    assert count(str(tmp_path)) == 5
    assert count([str(tmp_path / "c.jsonl"), str(tmp_path / "a.txt")]) == 4


def test_only_what_can_be_read_once_is_unknown(tmp_path: Path) -> None:
    """URLs and standard input cannot be read twice; every file can be counted."""
    (tmp_path / "a.txt").write_text("One story.")
    (tmp_path / "feed.rss").write_text("<rss/>")  # a feed without entries
    (tmp_path / "d.jsonl.gz").write_bytes(gzip.compress(b'{"text": "x"}\n{"text": "y"}\n'))
    assert count(tmp_path / "feed.rss") == 0
    assert count(tmp_path / "d.jsonl.gz") == 2
    assert count(tmp_path) == 3
    assert count("-") is None
    assert count("https://news.example/") is None
    assert count(tmp_path / "missing.txt") is None


@given(st.lists(st.sampled_from(['{"text": "a"}', "", "   ", "not json"]), max_size=30))
def test_json_lines_count_is_the_non_blank_lines(
    tmp_path_factory: object, lines: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.jsonl"
        path.write_text("\n".join(lines))
        assert count(str(path)) == sum(1 for line in lines if line.strip())


def test_the_count_is_the_number_of_progress_steps_of_the_ingest(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("The harbour board of Port Elsin met on Tuesday.")
    (tmp_path / "in" / "b.jsonl").write_text(
        '{"id": "b1", "text": "Mira Tolvan spoke."}\nnot json\n{"id": "b2", "text": "Rain."}\n'
    )
    steps: list[str] = []
    with Store.open(tmp_path / "s.db", create=True) as store:
        expected = store.count_documents(str(tmp_path / "in"))
        store.ingest(str(tmp_path / "in"), extract=False, progress=lambda o, _: steps.append(o))
    assert expected == len(steps) == 4


def test_a_warc_a_feed_and_the_demo_folder_are_counted_as_the_ingest_steps(
    tmp_path: Path,
) -> None:
    """The bundled demo holds every format (WARC, RSS, JSON Lines, HTML, text): the
    count made before the ingest is the number of its progress steps, for each file and
    the whole folder."""
    examples = Path(__file__).resolve().parents[1] / "examples"
    for n, path in enumerate([examples / "archive.warc.gz", examples / "feed.rss", examples]):
        assert count(path) == len(_steps(tmp_path / f"s{n}.db", path)) > 1, path


def _steps(db: Path, path: Path) -> list[str]:
    """The progress steps of an ingest of `path` (no extraction) into a new store."""
    steps: list[str] = []
    with Store.open(db, create=True) as store:
        store.ingest(str(path), extract=False, progress=lambda o, _: steps.append(o))
    return steps


def test_the_terminal_bar_shows_the_total_from_the_start(tmp_path: Path) -> None:
    """On a terminal, `newstrace ingest` of the demo folder (every format) shows
    'done/total' with the total counted before the first article, and the time left."""
    import os
    import re
    import subprocess
    import sys
    import threading

    examples = Path(__file__).resolve().parents[1] / "examples"
    expected = count(examples)
    leader, follower = os.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    args = ["--db", str(tmp_path / "s.db"), "ingest", "--no-extract", str(examples)]
    env = {**os.environ, "COLUMNS": "160", "TERM": "xterm"}
    done = subprocess.run(
        [sys.executable, "-m", "newstrace", *args],
        stdout=subprocess.DEVNULL, stderr=follower, env=env, timeout=300, check=False,
    )  # fmt: skip
    os.close(follower)
    reader.join(timeout=10)
    os.close(leader)
    assert done.returncode == 0
    shown = b"".join(chunks).decode("utf-8", "replace")
    steps = {int(n) for n in re.findall(rf"(\d+)/{expected}\b", shown)}
    assert steps and max(steps) == expected, shown[-500:]
    assert "/?" not in shown, "never an unknown total"
