"""The record is declared once (models.py): its dict form, its rows and the documents
describing it all follow from that declaration."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

import pytest

from newstrace.models import (
    Article,
    ChainLink,
    Claim,
    Entity,
    Event,
    EventActor,
    Figure,
    Mapped,
    Measure,
    Record,
    Removed,
    Span,
    Speaker,
    TimeExpression,
    record_from_dict,
    record_keys,
)
from newstrace.store import schema
from newstrace.store.records import TABLES, event_rows, figure_rows, from_row, to_row

REPO = Path(__file__).resolve().parents[1]
RECORD_DOC = REPO / "docs" / "reference" / "record.md"
CONTRACT = REPO.parent / "shared" / "contract" / "extraction.md"
SECTIONS = {
    "article": Article,
    "entities": Entity,
    "claims": Claim,
    "figures": Figure,
    "times": TimeExpression,
}
TEXT = "Gen. Ana Varga said on Saturday that about 2,500 Karsk troops had left Orn."


def full_record() -> Record:
    """A record in which every field of every type holds a value."""
    article = Article(
        "a1", TEXT, "Troops leave Orn", "https://news.example/orn", "news.example",
        "2025-03-10", "Desk", (Removed("Advertisement", "advertisement"),), "a0",
        "orn.txt", TEXT, "text", "en", "News Example", 3,
    )  # fmt: skip
    varga = Span(5, 14, "Ana Varga")
    entity = Entity("e1", "Ana Varga", "PERSON", ("Varga",), "e2", ("general",), (varga,))
    claim = Claim(
        "c1", "indirect", Speaker("Gen. Ana Varga", 0, 14, "e1", "Ana Varga", True),
        Span(37, 74, TEXT[37:74]),
        Span(15, 19, "said"), (ChainLink("Reuters", "e3"),), "deny", True, ("f1",), ("t1",),
    )  # fmt: skip
    figure = Figure(
        "f1", 43, 48, "2,500", 2500.0, 2000.0, 3000.5, "about", "troops", "c1",
        Measure("Karsk troops", 49, 61, "troops"), "e4", "Karsk", "e5", "left",
        ("total", "change"), "current", ChainLink("Varga", "e1"), "t1", "Orn",
    )  # fmt: skip
    time = TimeExpression("t1", 23, 31, "Saturday", "2025-03-08", "day")
    actor = EventActor("Karsk troops", 49, 61, "e4", "KRS", "MIL")
    event = Event(
        "ev1", "RETREAT", Span(66, 70, "left"), "withdraw", "military", actor,
        EventActor("Orn"), "Orn", "t1", "f1", None, "f1", "c1", True,
    )  # fmt: skip
    return Record(article, (entity,), (claim,), (figure,), (time,), (event,))


def mapped_types() -> list[type[Mapped]]:
    return [Record, *TABLES, Removed, Span, Speaker, ChainLink, Measure, EventActor]


@pytest.mark.parametrize("cls", mapped_types(), ids=lambda c: c.__name__)
def test_leading_keys_are_public_fields(cls: type[Mapped]) -> None:
    public = {f.name for f in fields(cls) if not f.metadata.get("internal")}  # type: ignore[arg-type]
    assert set(cls.KEYS_FIRST) <= public
    assert sorted(record_keys(cls)) == sorted(public)


def test_every_field_set_survives_the_dict_and_the_rows() -> None:
    record = full_record()
    assert all(getattr(record.figures[0], f.name) is not None for f in fields(Figure))
    assert record_from_dict(json.loads(json.dumps(record.to_dict()))).article.id == "a1"
    dicts = record_from_dict({**record.to_dict(), "article": {
        **record.to_dict()["article"], "author": "Desk", "locator": "orn.txt", "raw": TEXT,
        "outlet_evidence": 3,
    }})  # fmt: skip
    assert dicts == record
    aid = record.article.id
    stored = {
        Article: ([to_row(record.article)], (record.article,)),
        Entity: ([to_row(e, aid) for e in record.entities], record.entities),
        Claim: ([to_row(c, aid) for c in record.claims], record.claims),
        Figure: (figure_rows(record), record.figures),
        TimeExpression: ([to_row(t, aid) for t in record.times], record.times),
        Event: (event_rows(record), record.events),
    }
    for cls, (rows, items) in stored.items():
        assert all(set(row) <= set(TABLES[cls].c.keys()) for row in rows), cls.__name__
        assert tuple(from_row(cls, row) for row in rows) == tuple(items), cls.__name__


def test_every_column_of_a_record_table_is_filled() -> None:
    record = full_record()
    derived = {"seq", "content_hash", "signature", "similarity", "ingested_at"}
    assert set(schema.articles.c.keys()) - set(to_row(record.article)) == derived
    assert set(schema.figures.c.keys()) == set(figure_rows(record)[0])
    assert set(schema.events.c.keys()) == set(event_rows(record)[0])
    assert set(schema.claims.c.keys()) == set(to_row(record.claims[0], "a1"))


def test_whole_numbers_are_written_as_ints() -> None:
    figure = full_record().figures[0].to_dict()
    assert (figure["value"], figure["low"], figure["high"]) == (2500, 2000, 3000.5)
    assert isinstance(figure["value"], int)


def _documented_keys(section: str) -> list[str]:
    """The keys of one `## \\`section\\`` table of docs/reference/record.md, in order."""
    text = RECORD_DOC.read_text(encoding="utf-8")
    body = text.split(f"## `{section}`", 1)[1].split("\n## ", 1)[0]
    keys: list[str] = []
    for line in body.splitlines():
        if line.startswith("| `"):
            keys += re.findall(r"`(\w+)`", line.split("|")[1])
    return keys


@pytest.mark.parametrize("section", SECTIONS)
def test_reference_page_documents_exactly_the_declared_keys(section: str) -> None:
    assert _documented_keys(section) == list(record_keys(SECTIONS[section]))


def test_record_sections_are_the_declared_ones() -> None:
    text = RECORD_DOC.read_text(encoding="utf-8")
    assert re.findall(r"^## `(\w+)`", text, re.M) == list(record_keys(Record))


@pytest.mark.shared
def test_shared_contract_keys_are_all_declared() -> None:
    if not CONTRACT.is_file():
        pytest.skip("../shared/contract/extraction.md is not beside the checkout")
    block = CONTRACT.read_text(encoding="utf-8").split("```")[1]
    for section, cls in SECTIONS.items():
        part = block.split(f'"{section}":', 1)[1]
        for later in SECTIONS:
            if later != section:
                part = part.split(f'"{later}":', 1)[0]
        keys = dict.fromkeys(re.findall(r'"(\w+)":', part))
        nested = {k for t in (Removed, Span, Speaker, ChainLink) for k in record_keys(t)}
        top = [k for k in keys if k in record_keys(cls) or k not in nested]
        assert top == [k for k in record_keys(cls) if k in keys], section
        assert set(top) <= set(record_keys(cls)), section
