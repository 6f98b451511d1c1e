"""Build the old-store fixtures of tests/test_migrations.py from the code that shipped.

For every earlier schema version it checks out `src/` at the commit where that version
was the newest, lets that code's own migrations build a store (SQLite, and PostgreSQL
where the commit supported it), writes one fictional article with a claim and a figure
through that code's tables, and dumps the store as SQL into tests/fixtures/migrations/.
After shipping a migration, add a line for the version it replaces as the newest (with
the last commit that had it newest) to VERSIONS and run, from the repository root:

    NEWSTRACE_TEST_PG=postgresql://postgres@127.0.0.1:54329/postgres \\
        python scripts/make_migration_fixtures.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "fixtures" / "migrations"

# (schema version, commit whose code built it, backends that code supported). Versions
# 1 and 2 shipped together; 1 alone is the store of a run stopped after its first step.
VERSIONS = (
    (1, "0eedef0", ("sqlite",)),
    (2, "0eedef0", ("sqlite",)),
    (1, "159a8fd", ("postgresql",)),
    (2, "159a8fd", ("postgresql",)),
    (3, "159a8fd", ("sqlite", "postgresql")),
    (4, "4adf6f8", ("sqlite", "postgresql")),
    (5, "71d355c", ("sqlite", "postgresql")),
    (6, "c553541", ("sqlite", "postgresql")),
    (7, "ace3b7a", ("sqlite", "postgresql")),
    (8, "440a2d7", ("sqlite", "postgresql")),
    (9, "59b89b3", ("sqlite", "postgresql")),
    (10, "d621a21", ("sqlite", "postgresql")),
    (11, "b945c8e", ("sqlite", "postgresql")),
    (12, "d78528a", ("sqlite", "postgresql")),
    (13, "da0db26", ("sqlite", "postgresql")),
    (14, "77f09af", ("sqlite", "postgresql")),
    (15, "3705a6a", ("sqlite", "postgresql")),
    (16, "736e053", ("sqlite", "postgresql")),
    (17, "60f5bc1", ("sqlite", "postgresql")),
    (18, "833f987", ("sqlite", "postgresql")),
)

# Runs inside the old code (its src/ first on the path): migrate up to VERSION, add rows.
BUILD = """
import sys
from sqlalchemy import create_engine
from newstrace.store import migrations, schema

version, url = int(sys.argv[1]), sys.argv[2]
migrations.MIGRATIONS = tuple(m for m in migrations.MIGRATIONS if m.version <= version)
engine = create_engine(url)
migrations.migrate(engine)
text = "Ministers in Valdor said on Tuesday that 12 bridges would reopen."
with engine.begin() as conn:
    conn.execute(schema.articles.insert(), dict(
        id="a-fixture", seq=1, title="Valdor bridges reopen", url=None, outlet="fixture-wire",
        published="2025-01-07", author=None, text=text, removed="[]", duplicate_of=None,
        similarity=None, locator="fixture.txt", raw=None, raw_kind="text",
        content_hash="0" * 16, signature=None, ingested_at="2025-01-07T00:00:00+00:00"))
    conn.execute(schema.claims.insert(), dict(
        article_id="a-fixture", id="c1", kind="indirect", speaker="Ministers in Valdor",
        speaker_start=0, speaker_end=19, speaker_entity_id=None, source_chain="[]",
        cue="said", cue_start=20, cue_end=24, content="12 bridges would reopen",
        content_start=43, content_end=66, stance="neutral", hedged=False,
        figure_ids='["f1"]', time_ids="[]"))
    conn.execute(schema.figures.insert(), dict(
        article_id="a-fixture", id="f1", text="12 bridges", start=43, end=53, value=12.0,
        low=None, high=None, qualifier=None, unit="bridges", claim_id="c1"))
    if conn.dialect.name == "sqlite" and version >= 2:
        conn.exec_driver_sql(
            "INSERT INTO articles_fts (article_id, title, text) VALUES (?, ?, ?)",
            ("a-fixture", "Valdor bridges reopen", text))
engine.dispose()
"""


def main() -> None:
    """Write one SQL dump per (version, backend) into tests/fixtures/migrations/."""
    admin = os.environ.get("NEWSTRACE_TEST_PG")
    OUT.mkdir(parents=True, exist_ok=True)
    for version, commit, backends in VERSIONS:
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(
                ["git", "archive", commit, "src"], cwd=REPO, check=True, capture_output=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
            for backend in backends:
                dump = OUT / f"v{version}.{backend}.sql"
                if backend == "sqlite":
                    _build_sqlite(Path(tmp), version, dump)
                elif admin:
                    _build_postgres(Path(tmp), version, admin, dump)
                else:
                    sys.exit("NEWSTRACE_TEST_PG is not set: cannot build PostgreSQL fixtures")
                print(f"{dump.relative_to(REPO)}: schema version {version} from {commit}")


def _run_old(src: Path, version: int, url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(src / "src")}
    subprocess.run([sys.executable, "-c", BUILD, str(version), url], env=env, check=True)


def _build_sqlite(src: Path, version: int, dump: Path) -> None:
    db = src / f"v{version}.db"
    _run_old(src, version, f"sqlite:///{db}")
    sql = subprocess.run(["sqlite3", str(db), ".dump"], check=True, capture_output=True)
    dump.write_bytes(sql.stdout)


def _build_postgres(src: Path, version: int, admin: str, dump: Path) -> None:
    name = f"nt_fixture_{uuid.uuid4().hex[:8]}"
    base = admin.rsplit("/", 1)[0]
    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    try:
        _run_old(src, version, f"postgresql+psycopg://{base.split('://', 1)[1]}/{name}")
        sql = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", "--inserts", f"{base}/{name}"],
            check=True,
            capture_output=True,
        )
        # pg_dump's \\restrict lines carry a random key: drop them so a rebuild is stable.
        lines = sql.stdout.decode().splitlines(keepends=True)
        dump.write_text("".join(line for line in lines if not line.startswith("\\")))
    finally:
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE "{name}" WITH (FORCE)'], check=True)


if __name__ == "__main__":
    main()
