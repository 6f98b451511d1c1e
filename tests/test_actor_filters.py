"""Every view filterable by one actor: the entity resolver, `claims --entity`, the timeline,
the export's canonical speaker id, entity pages' date ranges and article links.

All names are made up; the records are built without spaCy (`analysis_helpers`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from analysis_helpers import make_record, save, span
from newstrace.api import Store
from newstrace.cli.main import main
from newstrace.errors import AmbiguousError, NotFoundError
from newstrace.models import Event, EventActor, Record
from newstrace.store.reads.entities import entity_detail
from newstrace.web import WebConfig, create_app


def _said(article_id: str, speaker: str, content: str, published: str) -> Record:
    text = f"{speaker} said {content}."
    return make_record(
        article_id,
        text,
        published=published,
        people=((speaker, "PERSON"),),
        claims=((speaker, content, "assert", None),),
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = tmp_path / "actors.db"
    with Store.open(db, create=True) as opened:
        records = [
            _said(f"k{n}", "Corwin Vantor", f"the bridge opens in week {n}", f"2025-0{n}-02")
            for n in range(1, 6)
        ]
        records += [
            _said("v1", "Vantor", "the toll stays low", "2025-06-01"),
            _said("o1", "Odile Vantor", "the school reopens", "2025-07-01"),
            _said("m1", "Mara Quill", "the port is closed", "2025-07-03"),
            _said("m2", "Lena Quill", "the port is open", "2025-07-04"),
            _said("s1", "The Vantor campaign", "it raised money", "2025-07-05"),
        ]
        for record in records:
            save(opened._db, record)
    with Store.open(db) as reopened:
        yield reopened


def test_a_name_resolves_to_the_dominant_actor(store: Store) -> None:
    corwin = store.entity_id("Corwin Vantor")
    assert store.entity_id("Vantor") == corwin
    assert store.entity_id("vantor") == corwin
    assert store.entity_id(corwin) == corwin


def test_an_ambiguous_name_lists_the_candidates(store: Store) -> None:
    with pytest.raises(AmbiguousError) as raised:
        store.entity_id("Quill")
    assert len(raised.value.candidates) == 2
    assert "Mara Quill" in str(raised.value) and "Lena Quill" in str(raised.value)


def test_an_unknown_name_is_an_error_not_zero_rows(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.claims(entity="Nobody Atall")


def test_claims_by_entity_are_the_actors_claims_not_a_text_match(store: Store) -> None:
    rows = store.claims(entity="Corwin Vantor")
    assert sorted(r.article_id for r in rows) == ["k1", "k2", "k3", "k4", "k5", "v1"]
    # the speaker-text filter also matches "The Vantor campaign" and Odile Vantor
    assert len(store.claims(speaker="Vantor")) == 8
    corwin = store.entity_id("Corwin Vantor")
    assert {r.speaker_canonical_id for r in rows} == {corwin}
    assert all(r.to_dict()["speaker_canonical_id"] == corwin for r in rows)


def test_the_export_carries_the_canonical_speaker(store: Store, tmp_path: Path) -> None:
    store.export("csv", tmp_path / "out")
    with (tmp_path / "out" / "claims.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    corwin = store.entity_id("Corwin Vantor")
    by_export = sorted(r["article_id"] for r in rows if r["speaker_canonical_id"] == corwin)
    assert by_export == sorted(r.article_id for r in store.claims(entity=corwin))
    assert {r["speaker_entity_id"] for r in rows} == {"e1"}


def test_timeline_takes_a_name(store: Store) -> None:
    members = store.timeline(entity="Corwin Vantor", limit=None)
    assert {m.article_id for m in members} >= {"k1", "k5", "v1"}


def test_entity_page_dates_cover_every_article(store: Store) -> None:
    detail = entity_detail(store._db, store.entity_id("Corwin Vantor"))
    assert detail is not None
    assert (detail.first_published, detail.last_published) == ("2025-01-02", "2025-06-01")


def test_cli_entity_filter_and_errors(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    db = store.url
    assert main(["--db", db, "claims", "--entity", "Vantor", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 6
    assert main(["--db", db, "claims", "--entity", "Quill"]) == 2
    assert "Mara Quill" in capsys.readouterr().err
    assert main(["--db", db, "timeline", "--entity", "Nobody Atall"]) == 4
    assert "Nobody Atall" in capsys.readouterr().err


def test_web_and_json_api_filter_claims_by_actor(store: Store) -> None:
    client = TestClient(create_app(WebConfig(db=store.url)))
    corwin = store.entity_id("Corwin Vantor")
    found = client.get("/api/claims", params={"entity": "Vantor"}).json()
    assert found["total"] == 6
    assert {item["speaker_canonical_id"] for item in found["items"]} == {corwin}
    ambiguous = client.get("/api/claims", params={"entity": "Quill"})
    assert ambiguous.status_code == 400 and "Lena Quill" in ambiguous.json()["error"]
    assert client.get("/api/claims", params={"entity": "Nobody Atall"}).status_code == 400
    page = client.get("/claims", params={"entity": corwin}).text
    assert "the bridge opens in week 1" in page and "the school reopens" not in page


def _reads_by_actor(tmp_path: Path) -> Store:
    """Corwin Vantor speaks about Halden Brisk and holds a figure; an event of Vantor's
    against Karsk; Lena Quill speaks of the port (no Vantor anywhere)."""
    about = make_record(
        "r1",
        "Corwin Vantor said Halden Brisk had sent 400 troops.",
        published="2025-02-01",
        people=(("Corwin Vantor", "PERSON"), ("Halden Brisk", "PERSON")),
        claims=(
            (
                "Corwin Vantor",
                "Halden Brisk had sent 400 troops",
                "assert",
                "400 troops|400|troops",
            ),
        ),
        holder="Corwin Vantor",
    )
    text = "Corwin Vantor met Karsk envoys on Monday."
    trigger = span(text, "met")
    event = Event(
        "v1",
        "CONSULT",
        trigger,
        source=EventActor("Corwin Vantor", 0, 13, entity_id="e1"),
        target=EventActor("Karsk", 18, 23, entity_id="e2"),
    )
    met = make_record(
        "r2",
        text,
        published="2025-02-02",
        people=(("Corwin Vantor", "PERSON"), ("Karsk", "GPE")),
    )
    other = _said("r3", "Lena Quill", "the port is open", "2025-02-03")
    db = tmp_path / "reads.db"
    with Store.open(db, create=True) as opened:
        for record in (about, replace(met, events=(event,)), other):
            save(opened._db, record)
    return Store.open(db)


def test_figures_events_and_network_take_an_actor_by_name(tmp_path: Path) -> None:
    with _reads_by_actor(tmp_path) as store:
        corwin = store.entity_id("Corwin Vantor")
        points = store.figures(entity="Vantor", include_repeats=True)
        assert [p.member.article_id for p in points] == ["r1"]
        assert [p.member.article_id for p in store.figures(entity="Lena Quill")] == []
        assert [e.article_id for e in store.events(entity="Vantor")] == ["r2"]
        assert [e.article_id for e in store.events(entity="Karsk")] == ["r2"]
        assert list(store.events(entity="Lena Quill")) == []
        edges = store.network(entity="Corwin Vantor").to_dicts()
        assert edges and all(corwin in (e["source"], e["target"]) for e in edges)
        assert store.network(entity="Lena Quill").to_dicts() == []
        assert {m.article_id for m in store.timeline(entity="Halden Brisk", limit=None)} == {"r1"}


def test_every_read_by_actor_refuses_an_ambiguous_name(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    db = store.url
    for command in (
        "figures",
        "timeline",
        "events",
        "network",
        "claims",
        "groups",
        "contradictions",
    ):
        assert main(["--db", db, command, "--entity", "Quill"]) == 2, command
        err = capsys.readouterr().err
        assert "Mara Quill" in err and "Lena Quill" in err, command
    assert main(["--db", db, "timeline", "--entity", "Vantor", "--json"]) == 0
    assert capsys.readouterr().out


def test_the_json_api_reads_by_actor_the_same_way(store: Store) -> None:
    client = TestClient(create_app(WebConfig(db=store.url)))
    for path in ("/api/figures", "/api/timeline", "/api/network", "/api/groups"):
        ambiguous = client.get(path, params={"entity": "Quill"})
        assert ambiguous.status_code == 400 and "Mara Quill" in ambiguous.json()["error"], path
        assert client.get(path, params={"entity": "Nobody Atall"}).status_code == 400, path
    by_name = client.get("/api/timeline", params={"entity": "Vantor"}).json()
    by_id = client.get("/api/timeline", params={"entity": store.entity_id("Vantor")}).json()
    assert by_name == by_id and by_name["total"] >= 6
    for page in ("/figures", "/timeline", "/network"):
        assert client.get(page, params={"entity": "Corwin Vantor"}).status_code == 200, page


def test_entity_page_counts_every_article_and_labels_what_it_shows(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With 2 articles shown of Corwin Vantor's 6, the month table, the totals, the date
    range and the names written count all 6; the claims listed are those of the 2."""
    monkeypatch.setattr("newstrace.store.reads.entities.ARTICLES_PER_ENTITY", 2)
    detail = entity_detail(store._db, store.entity_id("Corwin Vantor"))
    assert detail is not None
    assert detail.articles == 6 and len(detail.appearances) == 2
    assert detail.said_total == 6 and len(detail.said) == 2
    assert [m for m, _, _ in detail.months] == [f"2025-0{n}" for n in range(1, 7)]
    assert dict(detail.alias_counts) == {"Corwin Vantor": 5, "Vantor": 1}
    page = TestClient(create_app(WebConfig(db=store.url))).get(
        "/entities/" + store.entity_id("Corwin Vantor")
    )
    assert "the 2 of the articles listed below" in page.text
    assert "the latest 2 of 6" in page.text
    assert "Corwin Vantor <small>(5)</small>" in page.text.replace("<bdi>", "").replace(
        "</bdi>", ""
    )


def test_entity_page_and_api_list_its_figures_and_events(tmp_path: Path) -> None:
    with _reads_by_actor(tmp_path) as store:
        client = TestClient(create_app(WebConfig(db=store.url)))
        corwin = store.entity_id("Corwin Vantor")
        found = client.get(f"/api/entities/{corwin}").json()
        assert [f["article_id"] for f in found["figures"]] == ["r1"]
        assert [e["article_id"] for e in found["events"]] == ["r2"]
        assert found["said_total"] == 1 and found["first_published"] == "2025-02-01"
        page = client.get(f"/entities/{corwin}").text
        assert "400 troops" in page and "CONSULT" in page


def test_groups_of_an_actor_are_those_it_speaks_in_or_that_name_it(store: Store) -> None:
    corwin = store.entity_id("Corwin Vantor")
    every = {g.id for g in store.groups(limit=None)}
    mine = store.groups(limit=None, entity="Vantor")
    assert mine and {g.id for g in mine} <= every
    assert all(any(m.actor_id == corwin for m in g.members) for g in mine)
    others = store.groups(limit=None, entity="Mara Quill")
    assert {g.id for g in others}.isdisjoint(g.id for g in mine)
    client = TestClient(create_app(WebConfig(db=store.url)))
    found = client.get("/api/groups", params={"entity": "Corwin Vantor"}).json()
    assert sorted(g["group_id"] for g in found["items"]) == sorted(g.id for g in mine)
