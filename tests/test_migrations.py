"""Migrations: a store of every earlier schema version migrates to exactly a fresh one.

The fixtures in tests/fixtures/migrations/ are SQL dumps of stores built by the code that
shipped each version (scripts/make_migration_fixtures.py), each holding one fictional
article with a claim and a figure.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, inspect
from sqlalchemy import text as sql

from conftest import BACKENDS, empty_store_url, fresh_store_url
from newstrace.store import Store, schema
from newstrace.store.engine import database_url
from newstrace.store.migrations import LATEST_VERSION

FIXTURES = Path(__file__).parent / "fixtures" / "migrations"
OLD_STORES = sorted(
    (int(path.name.split(".")[0][1:]), path.name.split(".")[1]) for path in FIXTURES.glob("*.sql")
)


def describe(engine: Engine) -> dict[str, Any]:
    """Every table with its columns (type, nullability, default, generated expression),
    primary key, foreign keys and indexes; SQLite's virtual tables by their DDL."""
    found = inspect(engine)
    tables: dict[str, Any] = {}
    for name in found.get_table_names():
        tables[name] = {
            "columns": {
                c["name"]: (
                    str(c["type"]),
                    c["nullable"],
                    c.get("default"),
                    (c.get("computed") or {}).get("sqltext"),
                )
                for c in found.get_columns(name)
            },
            "pk": found.get_pk_constraint(name)["constrained_columns"],
            "fks": sorted(
                (fk["constrained_columns"], fk["referred_table"], fk["options"].get("ondelete"))
                for fk in found.get_foreign_keys(name)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in found.get_indexes(name)
            ),
        }
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            virtual = conn.execute(
                sql("SELECT name, sql FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'")
            )
            tables["(virtual)"] = sorted(tuple(row) for row in virtual)
    return tables


def load_dump(backend: str, url: str, dump: Path) -> None:
    """Restore an SQL dump into the empty store at `url`."""
    script = dump.read_text(encoding="utf-8")
    if backend == "sqlite":
        conn = sqlite3.connect(url)
        conn.executescript(script)
        conn.close()
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(script.encode())  # no parameters: several statements in one go


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """(backend, URL) of a store just created by today's migrations."""
    for url in fresh_store_url(request.param, tmp_path):
        yield request.param, url


def test_fixtures_cover_every_earlier_version_on_both_backends() -> None:
    for backend in BACKENDS:
        versions = {v for v, b in OLD_STORES if b == backend}
        assert set(range(1, LATEST_VERSION)) <= versions, (
            f"{backend}: fixtures for versions {sorted(versions)}; "
            "run scripts/make_migration_fixtures.py after adding a migration"
        )


@pytest.mark.parametrize(("version", "backend"), OLD_STORES)
def test_old_store_migrates_to_a_fresh_one(version: int, backend: str, tmp_path: Path) -> None:
    (tmp_path / "fresh").mkdir()
    for fresh_url in fresh_store_url(backend, tmp_path / "fresh"):
        for old_url in empty_store_url(backend, tmp_path):
            load_dump(backend, old_url, FIXTURES / f"v{version}.{backend}.sql")
            with Store.open(old_url) as store:
                engine = create_engine(database_url(old_url))
                migrated = describe(engine)
                engine.dispose()
                record = store.record("a-fixture")
                found = [a.id for a in store.articles(search="bridges")]
                with store.reading() as conn:
                    versions = [
                        v
                        for (v,) in conn.execute(
                            sql("SELECT version FROM schema_migrations ORDER BY 1")
                        )
                    ]
            engine = create_engine(database_url(fresh_url))
            expected = describe(engine)
            engine.dispose()
    assert migrated == expected
    assert versions == list(range(1, LATEST_VERSION + 1))
    assert [c.content.text for c in record.claims] == ["12 bridges would reopen"]
    assert [f.value for f in record.figures] == [12.0]
    # SQLite's index table came with version 2 and is filled as articles are written, so
    # an article written under version 1 alone is not in it (no such store shipped).
    assert found == ([] if (backend, version) == ("sqlite", 1) else ["a-fixture"])


def test_fresh_store_matches_the_table_definitions(fresh: tuple[str, str], tmp_path: Path) -> None:
    """schema.py, which the queries use, describes exactly what the migrations build
    (besides the full-text index, which only the migrations know)."""
    backend, url = fresh
    engine = create_engine(database_url(url))
    built = describe(engine)
    engine.dispose()
    (tmp_path / "declared").mkdir()
    for declared_url in empty_store_url(backend, tmp_path / "declared"):
        engine = create_engine(database_url(declared_url))
        schema.metadata.create_all(engine)
        declared = describe(engine)
        engine.dispose()
    fulltext = {"search"}
    for name, table in declared.items():
        if name == "(virtual)":
            continue
        got = dict(built[name])
        got["columns"] = {k: v for k, v in got["columns"].items() if k not in fulltext}
        got["indexes"] = [i for i in got["indexes"] if i[0] != "articles_search_idx"]
        assert got == table, name
