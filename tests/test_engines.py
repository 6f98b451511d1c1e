"""Engines: the local process pool, Ray, Parquet output + load, and the shared Redis index."""

from __future__ import annotations

import importlib.util
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import EXAMPLES, unavailable
from newstrace.api import EXPORT_FORMATS
from newstrace.api import Store as ApiStore
from newstrace.cli.main import main
from newstrace.ingest.rows import empty_row
from newstrace.settings import load_settings
from newstrace.store import Store
from newstrace.store.exports import EXPORT_TABLES, table_rows


def newstrace(db: str, *args: str) -> int:
    return main(["--db", db, *args])


def all_records(db: str) -> dict[str, dict[str, object]]:
    with Store.open(db) as store:
        return {a.id: store.record(a.id).to_dict() for a in store.articles()}


@pytest.mark.model
def test_process_pool_gives_the_same_records_as_one_process(tmp_path: Path, store_url: str) -> None:
    one, pool = str(tmp_path / "one.db"), store_url
    assert newstrace(one, "ingest", "-q", str(EXAMPLES)) == 0
    assert newstrace(pool, "ingest", "-q", "--workers", "2", str(EXAMPLES)) == 0
    expected = all_records(one)
    assert len(expected) >= 12
    assert all_records(pool) == expected


def test_parquet_out_then_load(
    store_url: str, story_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "parts"
    assert (
        newstrace(
            store_url, "ingest", "--no-extract", "--json", "--out", f"parquet:{out}", str(story_dir)
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["new"] == 3
    assert list(out.glob("*.parquet"))
    with Store.open(store_url) as store:
        assert store.count_articles() == 0  # --out writes Parquet, not the store
    assert newstrace(store_url, "load", "--json", str(out)) == 0
    loaded = json.loads(capsys.readouterr().out)
    assert loaded["new"] == 3 and len(loaded["near_duplicates"]) == 1
    assert newstrace(store_url, "load", "--json", str(out)) == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == 3


def export_tables(url: str) -> dict[str, list[dict[str, object]]]:
    """Every exported table of the store at `url`, its rows sorted, without the columns
    that record when a row was written."""
    with Store.open(url) as store:
        return {
            table: sorted(
                (
                    {k: v for k, v in row.items() if not k.endswith("_at")}
                    for row in table_rows(store, table)
                ),
                key=repr,
            )
            for table in EXPORT_TABLES
        }


@pytest.mark.model
def test_demo_round_trips_through_parquet_out_and_load(store_url: str, tmp_path: Path) -> None:
    settings = load_settings(extractor="rules")
    direct, out = str(tmp_path / "direct.db"), tmp_path / "parts"
    with ApiStore.open(direct, settings=settings, create=True) as store:
        store.ingest(EXAMPLES)
    with ApiStore.open(store_url, settings=settings) as store:
        store.ingest(EXAMPLES, out=out)
        assert store.count_articles() == 0
        report = store.load(out)
    expected = all_records(direct)
    assert len(report.new) == len(expected) >= 12
    assert all_records(store_url) == expected
    tables = export_tables(direct)
    assert all(tables[t] for t in ("claims", "figures", "entities", "events"))
    assert export_tables(store_url) == tables


def test_load_refuses_what_it_cannot_read(
    story_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "store.db")
    assert newstrace(db, "ingest", "-q", "--no-extract", str(story_dir)) == 0
    for fmt in EXPORT_FORMATS:
        assert newstrace(db, "export", "--format", fmt, "--out", str(tmp_path / fmt)) == 0
    (tmp_path / "foreign").mkdir()
    pq.write_table(pa.table({"id": [1]}), tmp_path / "foreign" / "a.parquet")
    (tmp_path / "garbage").mkdir()
    (tmp_path / "garbage" / "part-00000.parquet").write_text("not parquet", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    capsys.readouterr()
    fresh = str(tmp_path / "fresh.db")
    reasons = {
        "parquet": "the tables of newstrace export, which cannot be loaded",
        "csv": "the tables of newstrace export, which cannot be loaded",
        "jsonl": "not a folder of Parquet files",
        "foreign": "not ingest --out results (no status, article_id,",
        "garbage": "unreadable Parquet",
        "empty": "no Parquet files",
        "missing": "not a folder of Parquet files",
    }
    for name, reason in reasons.items():
        assert newstrace(fresh, "load", str(tmp_path / name)) == 1, name
        err = capsys.readouterr().err
        assert err.startswith(f"newstrace: error: {tmp_path / name}: {reason}"), err
        assert err.count("\n") == 1, err
    (tmp_path / "corrupt").mkdir()
    row = {**empty_row("done"), "article_id": "a1", "record": "{not json"}
    pq.write_table(pa.Table.from_pylist([row]), tmp_path / "corrupt" / "part-00000.parquet")
    assert newstrace(fresh, "load", str(tmp_path / "corrupt")) == 1
    err = capsys.readouterr().err
    assert "  failed: a1: unreadable record (JSONDecodeError" in err
    assert err.endswith("\nnewstrace: error: no article loaded (1 row(s) failed)\n"), err
    with Store.open(fresh) as store:
        assert store.count_articles() == 0


def test_bad_out_target_is_a_usage_error(story_dir: Path, db_path: Path) -> None:
    assert newstrace(str(db_path), "ingest", "--out", "csv:/tmp/x", str(story_dir)) == 2


@pytest.mark.model
@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="Ray not installed")
def test_ray_engine_gives_the_same_records_as_local(
    story_dir: Path, tmp_path: Path, store_url: str
) -> None:
    local, distributed = str(tmp_path / "local.db"), store_url
    assert newstrace(local, "ingest", "-q", str(story_dir)) == 0
    command = [
        sys.executable,
        "-m",
        "newstrace",
        "--db",
        distributed,
        "ingest",
        "-q",
        "--engine",
        "ray",
        "--workers",
        "1",
        str(story_dir),
    ]
    subprocess.run(command, check=True, timeout=300, capture_output=True)
    assert all_records(distributed) == all_records(local)
    again = subprocess.run([*command, "--json"], check=True, timeout=300, capture_output=True)
    last = next(x for x in reversed(again.stdout.decode().splitlines()) if x.startswith("{"))
    assert json.loads(last)["unchanged"] == 3  # a re-run resumes: nothing redone


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A private redis-server on a free loopback port (skipped when not installed)."""
    binary = shutil.which("redis-server")
    if binary is None or importlib.util.find_spec("redis") is None:
        unavailable("redis-server or the redis package is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"redis-server did not start on port {port}")


def test_shared_index_links_copies_given_to_different_processes(
    store_url: str, story_dir: Path, redis_url: str
) -> None:
    Store.open(store_url).close()
    inputs = [story_dir / "wire.txt", story_dir / "zz_scraped.txt"]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newstrace",
                "--db",
                store_url,
                "ingest",
                "--no-extract",
                "-q",
                "--json",
                "--lsh",
                redis_url,
                str(path),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in inputs
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    with Store.open(store_url) as store:
        groups = store.duplicate_groups()
    assert len(groups) == 1 and len(next(iter(groups.values()))) == 1


def _synthetic_corpus(path: Path, count: int) -> None:
    """`count` distinct fictional articles built from the demo corpus's vocabulary."""
    import random

    words = (EXAMPLES / "text" / "2025-02-06_meridian-herald_karsk-denies-buildup.txt").read_text()
    vocabulary = words.split()
    rng = random.Random(3)
    with path.open("w") as handle:
        for i in range(count):
            sentences = [
                " ".join(rng.choice(vocabulary) for _ in range(20)).capitalize()
                + ", officials said."
                for _ in range(12)
            ]
            record = {"id": f"k{i:04d}", "published": "2025-03-10", "text": " ".join(sentences)}
            handle.write(json.dumps(record) + "\n")


def _extract_actor_pids() -> list[int]:
    listing = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [
        int(line.split()[0])
        for line in listing.splitlines()
        if "MapBatches(RayExtract)).submit" in line
    ]


@pytest.fixture
def ray_cluster() -> Iterator[str]:
    """A local Ray cluster with room for two extraction workers, started by `ray start`
    (as an operator would) and stopped afterwards; yields the --address to join it."""
    ray = Path(sys.executable).with_name("ray")
    if importlib.util.find_spec("ray") is None or not ray.exists():
        pytest.skip("Ray not installed")
    port = _free_port()
    start = [
        str(ray), "start", "--head", "--port", str(port),
        "--num-cpus", "3", "--include-dashboard", "false", "--disable-usage-stats",
        # Short: Ray puts Unix sockets there (108-byte path limit).
        "--temp-dir", tempfile.mkdtemp(prefix="nt-ray-"),
    ]  # fmt: skip
    subprocess.run(start, check=True, capture_output=True, timeout=120)
    try:
        yield "auto"  # the cluster `ray start` recorded on this machine
    finally:
        subprocess.run([str(ray), "stop", "--force"], capture_output=True, timeout=120)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.model
def test_ray_job_survives_a_killed_worker(tmp_path: Path, store_url: str, ray_cluster: str) -> None:
    import os
    import signal

    corpus, db = tmp_path / "corpus.jsonl", store_url
    _synthetic_corpus(corpus, 300)
    command = [
        sys.executable,
        "-m",
        "newstrace",
        "--db",
        db,
        "ingest",
        "-q",
        "--json",
        "--engine",
        "ray",
        "--address",
        ray_cluster,
        "--workers",
        "2",
        str(corpus),
    ]
    job = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline, victims = time.monotonic() + 180, []
    while time.monotonic() < deadline and not victims and job.poll() is None:
        time.sleep(0.5)
        victims = _extract_actor_pids()
    assert victims, "no extraction actor was seen working"
    os.kill(victims[0], signal.SIGKILL)  # a worker dies mid-batch
    out, err = job.communicate(timeout=400)
    assert job.returncode == 0, err[-2000:]
    # Ray's raylet prints its own notices on stdout, before or after the summary.
    summary = json.loads(next(x for x in reversed(out.splitlines()) if x.startswith("{")))
    assert summary["new"] == 300 and not summary["failed"]
    with Store.open(db) as store:
        assert store.count_articles() == 300  # nothing lost, nothing twice
