"""Opening a store: URL handling, SQLite pragmas, migrations."""

from __future__ import annotations

import itertools
import re
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from newstrace.errors import NoSuchStoreError, StoreError
from newstrace.store.migrations import MIGRATIONS, applied_versions, migrate


def database_url(db: str) -> str:
    """Turn a setting value (a path or a URL) into a SQLAlchemy URL."""
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if db.startswith(("sqlite://", "postgresql+psycopg://")):
        return db
    if "://" in db:
        raise StoreError(
            f"{db}: unsupported database URL (use a file path, sqlite:///PATH or postgresql://...)"
        )
    return f"sqlite:///{Path(db).expanduser()}"


def create_store_engine(db: str, read_only: bool = False, *, create: bool = False) -> Engine:
    """An engine for `db` (SQLite set up for safe concurrent use), schema migrated.

    A store is created only when asked: without `create`, a SQLite file that is not
    there, or a database (a file or PostgreSQL) that holds no newstrace schema, is
    refused with `NoSuchStoreError` and nothing is written (a mistyped ``--db`` must not
    read as an empty store). An existing store whose schema is behind is migrated.
    `read_only` never writes: SQLite opens the file read-only, PostgreSQL sessions are
    read-only (so a role with SELECT rights alone will do), and nothing is migrated; a
    store whose schema is behind is refused with a message saying how to migrate it.
    """
    url = database_url(db)
    try:
        if not create:
            _check_store(url, db)
        if url.startswith("sqlite"):
            engine = _sqlite_engine(url, read_only)
        elif read_only:
            options = "-c default_transaction_read_only=on"
            engine = create_engine(url, pool_pre_ping=True, connect_args={"options": options})
        else:
            engine = create_engine(url, pool_pre_ping=True)
        if read_only:
            _check_migrated(engine, db)
        else:
            _migrate_with_retries(engine)
    except ModuleNotFoundError as exc:
        raise StoreError(f"{db}: PostgreSQL needs psycopg (pip install 'psycopg[binary]')") from exc
    except SQLAlchemyError as exc:
        raise StoreError(f"{_safe(db)}: cannot open store ({_reason(exc)})") from exc
    return engine


def _no_store(db: str, reason: str) -> NoSuchStoreError:
    return NoSuchStoreError(
        f"{_safe(db)}: {reason} (a mistyped --db? `newstrace ingest` creates one)"
    )


def _check_store(url: str, db: str) -> None:
    """Refuse `url` unless a store is there, writing nothing: a SQLite file that does not
    exist (connecting would create it), or a database without newstrace's schema (a
    SQLite file is looked at read-only: a writable connection switches it to WAL)."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path in ("", ":memory:"):
            return
        if not Path(path).is_file():
            raise _no_store(db, "no such store")
        probe = _sqlite_engine(url, read_only=True)
    else:
        probe = create_engine(url)
    try:
        if not applied_versions(probe):
            raise _no_store(db, "holds no newstrace store")
    finally:
        probe.dispose()


_LOCKED_RETRIES = 5


def is_locked(exc: OperationalError) -> bool:
    """Whether SQLite refused for want of its write lock ("database is locked": another
    process kept it past the busy timeout)."""
    return "database is locked" in str(exc.orig or exc)


def _migrate_with_retries(engine: Engine) -> None:
    """Migrate; on SQLite, "database is locked" (a brand-new file several processes
    open at once: the switch to WAL does not always wait on the busy timeout) is retried
    with a growing pause, each step re-reading what another process has recorded."""
    for attempt in range(_LOCKED_RETRIES):
        try:
            migrate(engine)
            return
        except OperationalError as exc:
            if (
                engine.dialect.name != "sqlite"
                or not is_locked(exc)
                or attempt == _LOCKED_RETRIES - 1
            ):
                raise
            engine.dispose()
            time.sleep(0.2 * 2**attempt)


def _sqlite_engine(url: str, read_only: bool) -> Engine:
    if not read_only:
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    path = url.removeprefix("sqlite:///")
    if not Path(path).is_file():
        raise _no_store(path, "no such store (a read-only store must exist already)")
    engine = create_engine(
        f"sqlite:///file:{quote(path)}?mode=ro&uri=true", connect_args={"timeout": 30}
    )
    event.listen(engine, "connect", _configure_sqlite_read_only)
    return engine


def _check_migrated(engine: Engine, db: str) -> None:
    missing = sorted({m.version for m in MIGRATIONS} - applied_versions(engine))
    if missing:
        raise StoreError(
            f"{_safe(db)}: store schema lacks migration(s) {', '.join(map(str, missing))}; "
            "open it once without --read-only (with a role that may write) to migrate it"
        )


def _configure_sqlite_read_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _safe(db: str) -> str:
    """`db` with any password masked, for error messages."""
    return re.sub(r"(://[^:/@]+:)[^@]+@", r"\1***@", db)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None)
    return str(original or exc).splitlines()[0]


class StoreVersion:
    """What `Store.version` reads. SQLite: ``PRAGMA data_version`` of one connection
    kept for it alone, which changes when any other connection (of any process) commits;
    it never writes, so every commit counts. PostgreSQL: the current snapshot (``xmin:
    xmax:in-progress ids``), which changes when a transaction that wrote commits or a new
    one takes an id (anywhere in the cluster: more changes than the store's own, never
    fewer). An in-memory SQLite database has no second connection to ask: every reading
    is a new version (nothing is kept)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._probe: Any = None  # the SQLite connection, opened on first use
        self._fresh = itertools.count()
        database = engine.url.database or ""
        self._memory = engine.dialect.name == "sqlite" and database in ("", ":memory:")

    def current(self) -> str:
        """The version now."""
        if self._memory:
            return f"memory:{next(self._fresh)}"
        if self._engine.dialect.name != "sqlite":
            with self._engine.connect() as conn:
                return str(conn.execute(text("SELECT pg_current_snapshot()::text")).scalar())
        with self._lock:
            if self._probe is None:  # the store's URL and options, outside its pool
                dialect = self._engine.dialect
                args, options = dialect.create_connect_args(self._engine.url)
                self._probe = dialect.connect(*args, **options)
            return str(self._probe.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        """Close the SQLite connection kept."""
        with self._lock:
            if self._probe is not None:
                self._probe.close()
                self._probe = None
