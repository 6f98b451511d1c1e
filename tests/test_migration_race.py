"""Processes opening one brand-new store at once: each migrates or waits for the
other, and every step is applied and recorded once (before, the second failed with
"UNIQUE constraint failed: schema_migrations.version")."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from sqlalchemy import text
from tests.conftest import empty_store_url

from newstrace.store.engine import create_store_engine
from newstrace.store.migrations import MIGRATIONS

PROCESSES = 4


def _open(db: str, start: Any, results: Any) -> None:
    start.wait()
    try:
        create_store_engine(db, create=True).dispose()
        results.put("ok")
    except Exception as exc:
        results.put(f"{type(exc).__name__}: {exc}")


def open_at_once(db: str) -> list[str]:
    """Open `db` from several processes released together; each one's outcome."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(PROCESSES), context.Queue()
    workers = [context.Process(target=_open, args=(db, start, results)) for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    return outcomes


def recorded(db: str) -> list[int]:
    engine = create_store_engine(db)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT version FROM schema_migrations ORDER BY version"))
        versions = [row[0] for row in rows]
    engine.dispose()
    return versions


def test_processes_migrating_a_new_postgresql_store_at_once(tmp_path: Path) -> None:
    for url in empty_store_url("postgresql", tmp_path):  # a database with no tables yet
        assert open_at_once(url) == ["ok"] * PROCESSES
        assert recorded(url) == [m.version for m in MIGRATIONS]


def test_processes_migrating_new_sqlite_stores_at_once(tmp_path: Path) -> None:
    for round_ in range(3):  # the race is timing-dependent: a few more fresh stores
        db = str(tmp_path / f"race{round_}.db")  # not yet created
        assert open_at_once(db) == ["ok"] * PROCESSES
        assert recorded(db) == [m.version for m in MIGRATIONS]
