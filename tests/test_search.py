"""Search syntax: phrases, OR, NOT / -word and prefixes, the same on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.api import Store
from newstrace.store.search import parse_search, to_tsquery_text

STORIES = {
    "a.txt": "Karsk troops crossed the Ostra river near Lisk on Monday.",
    "b.txt": "Valdoria disputes the Karsk claim about the troops at the bridgehead.",
    "c.txt": "Grain prices rise in Valdor markets as the harvest comes in.",
}


@pytest.fixture(scope="module")
def searched(module_store_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("stories")
    for name, text in STORIES.items():
        (folder / name).write_text(f"{name[0].upper()} story\n\n{text}")
    with Store.open(module_store_url) as store:
        store.ingest(str(folder), extract=False, published="2025-03-10")
    return module_store_url


def _found(url: str, search: str) -> set[str]:
    with Store.open(url) as store:
        return {a.title[0] for a in store.articles(search) if a.title}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("Karsk troops", {"A", "B"}),
        ('"troops crossed"', {"A"}),
        ('"crossed troops"', set()),
        ("Valdoria OR grain", {"B", "C"}),
        ("Karsk -Valdoria", {"A"}),
        ("Karsk NOT Valdoria", {"A"}),
        ("NOT Karsk", {"C"}),
        ("-Karsk -grain", set()),
        ("Valdo*", {"B", "C"}),
        ('"Ostra riv"*', {"A"}),
        ("Karsk OR", {"A", "B"}),
        ("bridgehead OR harvest Valdor*", {"B", "C"}),
    ],
)
def test_search_syntax(searched: str, search: str, expected: set[str]) -> None:
    assert _found(searched, search) == expected


def test_words_alone_keep_their_meaning() -> None:
    query = parse_search('Karsk "Ostra river" OR Lisk -"fake news" NOT Trump troop*')
    assert [[t.words for t in g] for g in query.groups] == [
        [("Karsk",)],
        [("Ostra", "river"), ("Lisk",)],
        [("troop",)],
    ]
    assert [t.words for t in query.excluded] == [("fake", "news"), ("Trump",)]
    assert query.required_words() == ["Karsk", "troop"]
    assert to_tsquery_text(parse_search("a b* OR c")) == "((a)) & ((b:*) | (c))"


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("ab \"*-()ORNT:&|!<>'")), max_size=30))
def test_no_search_is_a_syntax_error(tmp_path: Path, search: str) -> None:
    """Whatever is typed, both backends get a valid query (words and syntax only)."""
    query = parse_search(search)
    assert set(to_tsquery_text(query)) <= set("abORNT:*()<->&|! ")
    with Store.open(tmp_path / "s.db", create=True) as store:
        store.articles(search)


RANKED = {
    # title weighs 5 to 1: r1 says "flour" in its title and four times
    "r1.txt": ("Flour prices in Valdor", "Flour is dear. Millers say flour and more flour."),
    "r2.txt": ("Market day", "Bakers in Valdor buy flour at the market on Mondays."),
    "r3.txt": ("Harvest report", "The harvest was late this year; flour comes later."),
    "r4.txt": ("Weather", "Rain in the hills, sun in the valley, nothing about grain."),
}


@pytest.fixture(scope="module")
def ranked(module_store_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store of four stories that mention "flour" in their title, often, once or never."""
    folder = tmp_path_factory.mktemp("ranked")
    for name, (title, text) in RANKED.items():
        (folder / name).write_text(f"{title}\n\n{text}")
    with Store.open(module_store_url) as store:
        store.ingest(str(folder), extract=False, published="2025-03-10")
    return module_store_url


def test_search_ranks_by_relevance_with_marked_passages(ranked: str) -> None:
    with Store.open(ranked) as store:
        hits = store.search("flour")
        assert hits[0].article.title == "Flour prices in Valdor", "in the title, and often"
        assert hits.total == 3 and "Weather" not in {h.article.title for h in hits}
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        for hit in hits:
            marked = [hit.snippet[s:e].lower() for s, e in hit.marks]
            assert marked and set(marked) == {"flour"}, hit.snippet
        phrase = store.search('"flour comes"')
        assert [h.article.title for h in phrase] == ["Harvest report"]
        assert {h.article.title for h in store.search("flour -millers")} == {
            "Market day",
            "Harvest report",
        }
        assert {h.article.title for h in store.search("harv* OR weather -Valdor")} == {
            "Harvest report",
            "Weather",
        }


def test_claim_search_marks_the_words(ranked: str) -> None:
    with Store.open(ranked) as store:
        assert store.search_claims("flour").total == 0  # no extraction in this store
        page = store.search("flour", limit=1, offset=1)
        assert len(page) == 1 and page.total == 3 and page.more == 1


@pytest.mark.model
def test_an_unlimited_claim_search_reads_its_rows_in_chunks(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every matching claim, whatever the number of keys a query may bind (SQLite takes
    at most 32,766 variables a statement): the same hits read two keys a query."""
    from newstrace.store import filters

    with Store.open(demo_url) as store:
        whole = store.search_claims("Karsk", limit=None)
        monkeypatch.setattr(filters, "IN_LIST_VARIABLES", 4)  # two (article, claim) keys
        chunked = store.search_claims("Karsk", limit=None)
    assert whole.total > 4 and len(whole) == whole.total
    keys = [(h.row.article_id, h.row.claim.id, h.marks) for h in whole]
    assert [(h.row.article_id, h.row.claim.id, h.marks) for h in chunked] == keys


def test_in_lists_are_cut_to_the_bound_and_keep_every_value() -> None:
    from newstrace.store.filters import IN_LIST_VARIABLES, in_chunks

    keys = [(str(n), f"c{n}") for n in range(IN_LIST_VARIABLES + 7)]
    chunks = list(in_chunks(keys, columns=2))
    assert [k for chunk in chunks for k in chunk] == keys
    assert all(0 < len(chunk) * 2 <= IN_LIST_VARIABLES for chunk in chunks)
    assert list(in_chunks([])) == []


@pytest.mark.model
def test_an_unlimited_article_search_binds_no_more_than_the_bound(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`search --all` on a store where a word matches more articles than SQLite takes
    variables in a statement: the passages and summaries of the found articles are read
    a slice of ids at a time (here SQLite itself is held to 8 variables a statement)."""
    import sqlite3

    from sqlalchemy import event

    from newstrace.store import Store as Database
    from newstrace.store import filters
    from newstrace.store.reads.search import ranked_articles

    if demo_url.startswith("postgresql"):
        pytest.skip("SQLite's limit on variables")
    with Database.open(demo_url, read_only=True) as db:
        whole = ranked_articles(db, "Karsk", None)
        monkeypatch.setattr(filters, "IN_LIST_VARIABLES", 2)

        def few_variables(dbapi: sqlite3.Connection, _record: object) -> None:
            dbapi.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 8)

        event.listen(db._engine, "connect", few_variables)
        db._engine.dispose()
        held = ranked_articles(db, "Karsk", None)
    assert whole.total > 8 and len(whole.items) == whole.total
    shown = [(h.article.id, h.snippet) for h in whole.items]
    assert [(h.article.id, h.snippet) for h in held.items] == shown
