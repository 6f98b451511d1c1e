"""Opening a store: URL handling, SQLite pragmas, migrations."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError

from newstrace.errors import StoreError
from newstrace.store.migrations import migrate


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


def create_store_engine(db: str) -> Engine:
    """An engine for `db` (SQLite set up for safe concurrent use), schema migrated."""
    url = database_url(db)
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _configure_sqlite)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        migrate(engine)
    except ModuleNotFoundError as exc:
        raise StoreError(f"{db}: PostgreSQL needs psycopg (pip install 'psycopg[binary]')") from exc
    except SQLAlchemyError as exc:
        raise StoreError(f"{_safe(db)}: cannot open store ({_reason(exc)})") from exc
    return engine


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
