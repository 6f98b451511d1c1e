"""Versioned schema migrations, recorded in `schema_migrations` as they run.

Each migration is a function of a connection, applied once inside its own transaction.
Add new ones at the end of `MIGRATIONS`; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, inspect, select, text

from newstrace.store import schema


@dataclass(frozen=True)
class Migration:
    """One schema step: its version number, a name, and the function that applies it."""

    version: int
    name: str
    apply: Callable[[Connection], None]


def _create_tables(conn: Connection) -> None:
    tables = [t for t in schema.metadata.sorted_tables if t.name != "schema_migrations"]
    schema.metadata.create_all(conn, tables=tables)


def _create_fulltext_index(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
                "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED"
            )
        )
        conn.execute(text("CREATE INDEX articles_search_idx ON articles USING GIN (search)"))
        return
    conn.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
            "article_id UNINDEXED, title, text, tokenize='porter unicode61')"
        )
    )


def _index_words_inside_angle_brackets(conn: Connection) -> None:
    # PostgreSQL's text-search parser takes "<...>" for markup and drops the words in it,
    # so "<b>Karsk</b>" or a quoted "<script>" in an article was unsearchable there (FTS5
    # on SQLite indexes them). Article text is plain text: index angle brackets as spaces.
    if conn.dialect.name != "postgresql":
        return
    conn.execute(text("ALTER TABLE articles DROP COLUMN search"))  # drops its index too
    conn.execute(
        text(
            "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
            "(to_tsvector('english', translate(coalesce(title, '') || ' ' || text, '<>', "
            "'  '))) STORED"
        )
    )
    conn.execute(text("CREATE INDEX articles_search_idx ON articles USING GIN (search)"))


def _create_analysis_tables(conn: Connection) -> None:
    analysis = (
        schema.canonical_entities,
        schema.canonical_keys,
        schema.entity_links,
        schema.entity_corrections,
        schema.claim_items,
        schema.claim_keys,
        schema.analysed_articles,
    )
    schema.metadata.create_all(conn, tables=list(analysis))


def _create_events_table(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.events])


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "create articles and extraction tables", _create_tables),
    Migration(2, "full-text index on article title and text", _create_fulltext_index),
    Migration(3, "cross-article analysis tables", _create_analysis_tables),
    Migration(4, "PLOVER events table", _create_events_table),
    Migration(
        5, "search words inside angle brackets (PostgreSQL)", _index_words_inside_angle_brackets
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version


def applied_versions(engine: Engine) -> set[int]:
    """Versions already recorded in the database."""
    if not inspect(engine).has_table("schema_migrations"):
        return set()
    with engine.connect() as conn:
        return {row[0] for row in conn.execute(select(schema.schema_migrations.c.version))}


# Any constant: PostgreSQL processes opening one store at once migrate one at a time.
_MIGRATION_LOCK = 7_024_113


def migrate(engine: Engine) -> list[int]:
    """Apply every pending migration in order; returns the versions applied now."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
            conn.commit()
            try:
                return _migrate(engine)
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
                conn.commit()
    return _migrate(engine)


def _migrate(engine: Engine) -> list[int]:
    schema.schema_migrations.create(engine, checkfirst=True)
    done = applied_versions(engine)
    applied = []
    for migration in MIGRATIONS:
        if migration.version in done:
            continue
        with engine.begin() as conn:
            migration.apply(conn)
            conn.execute(
                schema.schema_migrations.insert().values(
                    version=migration.version,
                    name=migration.name,
                    applied_at=datetime.now(UTC).isoformat(timespec="seconds"),
                )
            )
        applied.append(migration.version)
    return applied
