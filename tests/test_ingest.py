"""Ingest end to end (without NLP): idempotence, copies, bad input, interrupted runs."""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import OTHER_STORY, WIRE_STORY
from newstrace.ingest import IngestReport, ingest
from newstrace.settings import Settings
from newstrace.store import Store


def run(inputs: list[Path], db: str | Path, published: str | None = None) -> IngestReport:
    settings = Settings(db=str(db))
    with Store.open(settings.db, create=True) as store:
        return ingest([str(i) for i in inputs], settings, store, extract=False, published=published)


def test_ingest_twice_changes_nothing(story_dir: Path, store_url: str) -> None:
    first = run([story_dir], store_url)
    assert len(first.new) == 3 and not first.failed
    second = run([story_dir], store_url)
    assert len(second.unchanged) == 3 and not second.new and not second.updated
    with Store.open(store_url) as store:
        assert store.count_articles() == 3


def test_scraped_copy_is_linked_not_dropped(story_dir: Path, store_url: str) -> None:
    report = run([story_dir], store_url)
    with Store.open(store_url) as store:
        listed = {a.title: a for a in store.articles()}
        groups = store.duplicate_groups()
    assert len(listed) == 2 or len(report.new) == 3
    assert len(groups) == 1
    root, members = next(iter(groups.items()))
    assert len(members) == 1
    with Store.open(store_url) as store:
        copy = store.record(members[0])
        original = store.record(root)
    assert "Advertisement" not in copy.article.text
    assert {r.reason for r in copy.article.removed}  # junk recorded with reasons
    assert original.article.duplicate_of is None
    assert copy.article.duplicate_of == root


def test_earlier_copy_ingested_later_becomes_the_root(tmp_path: Path, store_url: str) -> None:
    late = tmp_path / "late.jsonl"
    late.write_text(
        json.dumps({"id": "late", "published": "2025-03-12", "text": WIRE_STORY}) + "\n"
    )
    early = tmp_path / "early.jsonl"
    edited = WIRE_STORY.replace("Karsk moves artillery", "Artillery moves")
    early.write_text(json.dumps({"id": "early", "published": "2025-03-10", "text": edited}) + "\n")
    run([late], store_url)
    run([early], store_url)
    with Store.open(store_url) as store:
        assert store.duplicate_groups() == {"early": ["late"]}


def _one_line(path: Path, **record: str) -> Path:
    path.write_text(json.dumps(record) + "\n")
    return path


def test_a_wire_story_is_the_original_of_a_page_that_credits_it(
    tmp_path: Path, store_url: str
) -> None:
    """The page (stored first, with a time of day) and the wire record (a date alone)
    are of one day; the page credits the wire service, so the wire is the original."""
    url = "https://valdoriawire.example/2025/03/10/artillery"
    wire = _one_line(
        tmp_path / "wire.jsonl", id="vws-1", outlet="Valdoria Wire Service",
        published="2025-03-10", url=url, text=WIRE_STORY,
    )  # fmt: skip
    page = _one_line(
        tmp_path / "page.jsonl", id="paper-1", outlet="Borderlands Daily",
        published="2025-03-10T16:05:00+01:00", author="Marek Stoll, Valdoria Wire Service",
        text="LISK, March 10 (VWS) - " + WIRE_STORY,
    )  # fmt: skip
    run([page], store_url)
    run([wire], store_url)
    with Store.open(store_url) as store:
        assert store.duplicate_groups() == {"vws-1": ["paper-1"]}


def test_input_id_and_published_are_kept(tmp_path: Path, store_url: str) -> None:
    path = tmp_path / "one.jsonl"
    record = {
        "id": "wire-42",
        "published": "2025-02-06",
        "outlet": "vws.example",
        "text": OTHER_STORY,
    }
    path.write_text(json.dumps(record) + "\n")
    run([path], store_url)
    with Store.open(store_url) as store:
        article = store.record("wire-42").article
    assert article.published == "2025-02-06"
    assert article.outlet == "vws.example"


def test_published_flag_fills_only_missing_dates(story_dir: Path, store_url: str) -> None:
    run([story_dir / "grain.txt"], store_url, published="2025-01-31")
    with Store.open(store_url) as store:
        assert store.articles()[0].published == "2025-01-31"


def garbage_inputs(folder: Path) -> list[Path]:
    """Every kind of bad input the issue names (except URLs: see the fetch tests)."""
    folder.mkdir()
    files = {
        "binary.txt": bytes(range(256)) * 20,
        "empty.txt": b"",
        "badutf8.txt": b"Headline\n\n\xff\xfe\xfa broken \xc3\x28 bytes " * 5,
        "truncated.html.gz": gzip.compress(b"<html><body><p>" + b"word " * 400)[:-12],
        "truncated.html": b"<html><head><title>Cut</title></head><body><p>Only half a tag <di",
        "truncated.warc.gz": gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n")[:30],
        "bad.jsonl": (
            b'{"id": "ok-1", "text": "A fine record about the river crossing."}\n{"id": oops\n'
        ),
        "data.bin": b"\x00\x01\x02",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in files]


def test_garbage_is_reported_per_input_and_good_articles_survive(
    tmp_path: Path, store_url: str
) -> None:
    bad = garbage_inputs(tmp_path / "bad")
    good = tmp_path / "good.txt"
    good.write_text(OTHER_STORY)
    report = run([*bad, good], store_url)
    reasons = {Path(f.locator.split(":")[0].split("#")[0]).name: f.reason for f in report.failed}
    for name in ("binary.txt", "empty.txt", "truncated.html.gz", "truncated.warc.gz", "data.bin"):
        assert name in reasons, (name, reasons)
    assert "bad.jsonl" in reasons  # the malformed line, while its good line is stored
    assert all(reason and "\n" not in reason for reason in reasons.values())
    with Store.open(store_url) as store:
        assert store.integrity_check() == "ok"
        ids = {a.id for a in store.articles()}
    assert "ok-1" in ids
    assert len(report.new) >= 2


def test_huge_file_is_refused_without_reading_it(tmp_path: Path, store_url: str) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    report = run([huge], store_url)
    assert len(report.failed) == 1
    assert "large" in report.failed[0].reason


def test_sigkill_mid_ingest_loses_and_duplicates_nothing(tmp_path: Path, store_url: str) -> None:
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w") as handle:
        rng = random.Random(7)
        vocabulary = OTHER_STORY.split()
        for i in range(1500):
            text = " ".join(rng.choice(vocabulary) for _ in range(120))
            handle.write(json.dumps({"id": f"r{i:05d}", "text": text}) + "\n")
    command = [
        sys.executable,
        "-m",
        "newstrace",
        "--db",
        store_url,
        "ingest",
        "--no-extract",
        "--quiet",
        str(corpus),
    ]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and stored < 50:
        time.sleep(0.2)
        stored = _count(store_url)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < _count(store_url) < 1500, "the kill should land mid-ingest"
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with Store.open(store_url) as store:
        assert store.integrity_check() == "ok"
        assert store.count_articles() == 1500


def _count(store_url: str) -> int:
    try:
        with Store.open(store_url) as store:
            return store.count_articles()
    except Exception:
        return 0


def test_concurrent_ingests_neither_deadlock_nor_duplicate(tmp_path: Path, store_url: str) -> None:
    corpus = tmp_path / "shared.jsonl"
    rng = random.Random(11)
    vocabulary = WIRE_STORY.split()
    with corpus.open("w") as handle:
        for i in range(200):
            text = " ".join(rng.choice(vocabulary) for _ in range(100))
            handle.write(json.dumps({"id": f"c{i:04d}", "text": text}) + "\n")
    Store.open(store_url).close()  # schema in place before the race
    command = [
        sys.executable,
        "-m",
        "newstrace",
        "--db",
        store_url,
        "ingest",
        "--no-extract",
        "--quiet",
        "--json",
        str(corpus),
    ]
    procs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    results = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in results]
    with Store.open(store_url) as store:
        assert store.count_articles() == 200
        assert store.integrity_check() == "ok"
