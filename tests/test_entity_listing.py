"""The entity listing counts articles per entity from one (canonical_id, article_id)
index (migration 7); its total is the number of entities listed, on both backends."""

from __future__ import annotations

from tests.webdata import build_store

from newstrace.analysis import ensure_analysed
from newstrace.store import Store
from newstrace.store.reads.entities import list_entities


def test_entity_listing_totals_and_counts(store_url: str) -> None:
    with Store.open(build_store(store_url)) as store:
        ensure_analysed(store)
        everything = list_entities(store, limit=500)
        assert everything.total == len(everything.items) == 3
        counts = [e.articles for e in everything.items]
        assert counts == sorted(counts, reverse=True) and min(counts) >= 1
        first = everything.items[0]
        named = list_entities(store, q=first.name, limit=500)
        assert first.id in [e.id for e in named.items]
        assert named.total == len(named.items) <= everything.total
        typed = list_entities(store, kind=first.type, limit=500)
        assert typed.total == len(typed.items) >= 1
        assert list_entities(store, q=first.name, kind="NOPE").total == 0
        page = list_entities(store, limit=2, offset=1)
        assert page.total == everything.total
        assert [e.id for e in page.items] == [e.id for e in everything.items[1:3]]
