"""The SQLite store: migrations, round trips, full-text search, one transaction per article."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text as sql

from newstrace.errors import NotFoundError, StoreError
from newstrace.models import (
    Article,
    ChainLink,
    Claim,
    Entity,
    Figure,
    Record,
    Removed,
    Span,
    Speaker,
    TimeExpression,
)
from newstrace.store import Store, WriteInfo
from newstrace.store.migrations import LATEST_VERSION

TEXT = 'Gen. Ana Varga said on Saturday that "the bridgehead is cleared." About 2,500 fled.'


def sample_record(article_id: str = "a1", text: str = TEXT) -> Record:
    article = Article(
        id=article_id,
        text=text,
        title="Army says bridgehead cleared",
        outlet="meridianherald.example",
        published="2025-03-10",
        removed=(Removed("Advertisement", "advertisement"),),
        raw="Army says bridgehead cleared\n\n" + text,
    )
    entity = Entity(
        "e1",
        "Ana Varga",
        "PERSON",
        ("Varga",),
        None,
        ("chief of staff",),
        (Span(5, 14, "Ana Varga"),),
    )
    time = TimeExpression("t1", 23, 31, "Saturday", "2025-03-08", "day")
    figure = Figure("f1", 67, 72, "2,500", 2500, None, None, "about", None, None)
    claim = Claim(
        "c1",
        "direct_quote",
        Speaker("Gen. Ana Varga", 0, 14, "e1"),
        Span(38, 63, text[38:63]),
        Span(15, 19, "said"),
        (ChainLink("Reuters"),),
        "assert",
        False,
        (),
        ("t1",),
    )
    return Record(article, (entity,), (claim,), (figure,), (time,))


def test_open_creates_schema_and_records_migrations(db_path: Path) -> None:
    with Store.open(str(db_path), create=True):
        pass
    conn = sqlite3.connect(db_path)
    versions = [v for (v,) in conn.execute("SELECT version FROM schema_migrations ORDER BY 1")]
    assert versions == list(range(1, LATEST_VERSION + 1))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store.open(str(db_path)):  # reopening applies nothing twice
        pass
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == LATEST_VERSION


def test_migrations_are_recorded_once_on_each_backend(store_url: str) -> None:
    for _ in range(2):  # reopening applies nothing twice
        with Store.open(store_url) as store, store.reading() as conn:
            rows = conn.execute(sql("SELECT version FROM schema_migrations ORDER BY 1"))
            assert [v for (v,) in rows] == list(range(1, LATEST_VERSION + 1))


def test_unreachable_postgresql_is_a_clear_error() -> None:
    url = "postgresql://nobody@127.0.0.1:9/none"  # port 9 (discard): nothing listens
    with pytest.raises(StoreError, match=r"127\.0\.0\.1") as caught:
        Store.open(url)
    assert "\n" not in str(caught.value)


def test_record_round_trip(store_url: str) -> None:
    record = sample_record()
    with Store.open(store_url) as store:
        store.save(record, WriteInfo("hash"))
        assert store.record("a1") == record
        assert store.record("a1").to_dict() == record.to_dict()
        assert store.content_hash("a1") == "hash"


def test_saving_again_replaces_without_duplicating(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.save(sample_record(), WriteInfo("h1"))
        store.save(sample_record(), WriteInfo("h2"))
        assert store.count_articles() == 1
        assert len(store.claims()) == 1
        assert store.content_hash("a1") == "h2"
        assert len(store.articles(search="bridgehead")) == 1


def test_full_text_search_is_safe_for_any_query(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.save(sample_record(), WriteInfo("h"))
        assert [a.id for a in store.articles(search="Varga")] == ["a1"]
        assert [a.id for a in store.articles(search="clear")] == ["a1"]  # porter stemming
        assert store.articles(search='"unbalanced AND (') == []
        assert store.articles(search="") != []  # empty search: no filter


def test_filters_by_outlet_and_dates(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.save(sample_record(), WriteInfo("h"))
        assert store.articles(outlet="meridian")
        assert not store.articles(outlet="northgate")
        assert store.articles(since="2025-03-01", until="2025-03-10")
        assert not store.articles(since="2025-03-11")


def test_claims_query(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.save(sample_record(), WriteInfo("h"))
        assert len(store.claims(speaker="varga")) == 1
        assert len(store.claims(about="bridgehead")) == 1
        assert store.claims(stance="deny") == []
        assert store.claims()[0].to_dict()["outlet"] == "meridianherald.example"


def test_unknown_article_and_prefix(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.save(sample_record("article-xyz"), WriteInfo("h"))
        assert store.resolve_article_id("article-x") == "article-xyz"
        with pytest.raises(NotFoundError, match="nope"):
            store.record("nope")


def test_failed_write_leaves_no_half_record(store_url: str) -> None:
    bad = sample_record()
    twice = Record(bad.article, bad.entities * 2)  # duplicate primary key in a child table
    with Store.open(store_url) as store:
        with pytest.raises(StoreError, match="a1"):
            store.save(twice, WriteInfo("h"))
        assert store.count_articles() == 0
        assert store.articles(search="Varga") == []
        assert store.integrity_check() == "ok"


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"junk\.db"):
        Store.open(str(path))


# No NUL: PostgreSQL text cannot hold it (such an article fails with a StoreError instead).
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=200,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, title=st.none() | texts)
def test_any_text_round_trips(store_url: str, text: str, title: str | None) -> None:
    record = Record(Article(id="x", text=text, title=title, raw=text))
    with Store.open(store_url) as store:
        store.save(record, WriteInfo("h"))
        assert store.record("x") == record


def test_words_inside_angle_brackets_are_searchable(store_url: str) -> None:
    text = "Officials said <b>Orsk</b> moved, citing <script>Lisk</script> sources."
    with Store.open(store_url) as store:
        store.save(Record(Article("ab1", text)), WriteInfo(content_hash="h"))
        for word in ("Orsk", "Lisk", "officials"):
            assert [a.id for a in store.articles(search=word)] == ["ab1"], word


@pytest.mark.slow  # waits out the 30 s busy timeout
def test_a_store_locked_by_another_writer_is_busy_and_a_read_open_still_reads(
    tmp_path: Path,
) -> None:
    from newstrace.api import Store as ApiStore
    from newstrace.errors import StoreBusyError

    db = tmp_path / "busy.db"
    with Store.open(str(db), create=True) as store:
        store.save(sample_record(), WriteInfo("h1"))  # written, not yet analysed
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # an ingest holding the write lock
    try:
        with (
            Store.open(str(db)) as store,
            pytest.raises(StoreBusyError, match="busy"),
            store.writing() as conn,
        ):
            conn.execute(sql("DELETE FROM articles"))
        with ApiStore.open(str(db), create=False) as api:  # catch-up skipped, not failed
            assert [a.id for a in api.articles()] == ["a1"]
    finally:
        writer.execute("ROLLBACK")
