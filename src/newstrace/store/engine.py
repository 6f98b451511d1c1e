"""Opening a store: URL handling, SQLite pragmas, migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError

from newstrace.errors import StoreError
from newstrace.store.migrations import migrate


def database_url(db: str) -> str:
    """Turn a setting value (a path or a URL) into a SQLAlchemy URL."""
    if "://" in db:
        if db.startswith("sqlite://") or db.startswith("postgresql"):
            return db
        raise StoreError(f"{db}: unsupported database URL (use a file path or sqlite:///PATH)")
    return f"sqlite:///{Path(db).expanduser()}"


def create_store_engine(db: str) -> Engine:
    """An engine for `db` with SQLite set up for safe concurrent use, schema migrated."""
    url = database_url(db)
    if url.startswith("postgresql"):
        raise StoreError(f"{db}: PostgreSQL support is not built yet; use a SQLite path")
    try:
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _configure_sqlite)
        migrate(engine)
    except SQLAlchemyError as exc:
        raise StoreError(f"{db}: cannot open store ({_reason(exc)})") from exc
    return engine


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
