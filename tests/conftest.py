"""Shared fixtures: fictional articles written for these tests, and store helpers."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from hypothesis import settings

# The machines running these tests are small and shared: judge hypothesis examples by
# their results, not their timing.
settings.register_profile("newstrace", deadline=None)
settings.load_profile("newstrace")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples"

WIRE_STORY = """Karsk moves artillery toward the Lisk crossing

Karsk has moved at least 40 artillery pieces to within ten kilometres of the Lisk river \
crossing, according to two senior Valdorian officials who spoke on condition of anonymity.

The officials said the guns arrived over the weekend and were dug in along the eastern bank. \
Satellite images reviewed by the Valdoria Wire Service showed fresh earthworks near the village \
of Orn.

Karsk's foreign ministry denied the report on Monday, calling it "a fabrication meant to \
justify Valdor's own mobilisation." A spokesman, Ilan Brec, told reporters that no units had \
moved "in recent weeks."

Defence analyst Lena Orsk of the Institute for Border Studies said the deployment, if \
confirmed, would be the largest since the ceasefire was signed last June.
"""

OTHER_STORY = """Grain prices rise in Valdor markets

Bread prices in the capital rose for a third straight week, traders said on Friday, as \
farmers held back stocks ahead of the spring sowing season.

A kilo of flour now costs about 14 crowns, up from 11 crowns in January, according to the \
national statistics office. The agriculture ministry said it would release reserves "if \
needed" but gave no date.
"""


def scraped_copy(story: str) -> str:
    """A scraped republication: same story with ad, share and comment junk around it."""
    lines = story.splitlines()
    return "\n".join(
        [
            lines[0],
            "Share on Facebook | Share on X | Email",
            *lines[1:],
            "Advertisement",
            "Click here to claim your bonus: https://track.example/?utm_source=newsbuzz",
            "Leave a Comment",
            "3 Comments",
        ]
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A fresh store path."""
    return tmp_path / "store.db"


@pytest.fixture
def story_dir(tmp_path: Path) -> Path:
    """A folder with two different stories and a scraped copy of the first."""
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "wire.txt").write_text(WIRE_STORY, encoding="utf-8")
    (folder / "grain.txt").write_text(OTHER_STORY, encoding="utf-8")
    (folder / "zz_scraped.txt").write_text(scraped_copy(WIRE_STORY), encoding="utf-8")
    return folder


PG_ADMIN_URL = os.environ.get("NEWSTRACE_TEST_PG")
BACKENDS = ["sqlite", "postgresql"]
# Set by .ci/run: there a missing PostgreSQL or Redis server fails the tests instead of
# skipping them, so "passes on both backends" cannot quietly become "passes on one".
STRICT = bool(os.environ.get("NEWSTRACE_TEST_STRICT"))


def unavailable(reason: str) -> NoReturn:
    """Skip the current test for a missing server, or fail it under NEWSTRACE_TEST_STRICT."""
    if STRICT:
        pytest.fail(f"{reason} (NEWSTRACE_TEST_STRICT is set)")
    pytest.skip(reason)


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store on each backend: a SQLite file, and a new PostgreSQL database
    on the server named by NEWSTRACE_TEST_PG (started by .ci/run; skipped when unset)."""
    yield from fresh_store_url(request.param, tmp_path)


@pytest.fixture(scope="module", params=BACKENDS)
def module_store_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Like `store_url`, shared by the tests of one module (for stores built once)."""
    yield from fresh_store_url(request.param, tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module", params=BACKENDS)
def demo_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The demo corpus (examples/) extracted by the rules, on each backend: events,
    groups, figures and contradictions included (needs the spaCy model: `model` tests)."""
    from newstrace.api import Store
    from newstrace.settings import load_settings

    for url in fresh_store_url(request.param, tmp_path_factory.mktemp("demo")):
        with Store.open(url, settings=load_settings(extractor="rules")) as store:
            store.ingest(Path(__file__).resolve().parents[1] / "examples")
        yield url


def fresh_store_url(backend: str, folder: Path) -> Iterator[str]:
    """Yield the URL of a new empty store on `backend` (created and migrated, as
    `newstrace ingest` creates one); drop it afterwards (PostgreSQL)."""
    from newstrace.store import Store

    for url in empty_store_url(backend, folder):
        Store.open(url, create=True).close()
        yield url


def empty_store_url(backend: str, folder: Path) -> Iterator[str]:
    """Yield where no store is yet: a SQLite path not yet opened, a new PostgreSQL
    database with no tables (dropped afterwards)."""
    if backend == "sqlite":
        yield str(folder / "store.db")
        return
    if not PG_ADMIN_URL:
        unavailable("NEWSTRACE_TEST_PG is not set (see scripts/start-postgres.sh)")
    yield from _fresh_postgres_database(PG_ADMIN_URL)


def _fresh_postgres_database(admin_url: str) -> Iterator[str]:
    import psycopg

    name = f"nt_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
