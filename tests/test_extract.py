"""The full pipeline: the yardstick passage, span integrity, streaming, the whole corpus."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from spacy.language import Language

from newstrace.extract import extract_record, extract_records, validate_record
from newstrace.models import Article, Claim, Record, Span
from newstrace.nlp import load_pipeline
from newstrace.settings import Settings

PASSAGE = (
    "Gen. Ana Varga, the army's chief of staff, said on Saturday that \"the bridgehead has been "
    'fully cleared." Officials in the capital disputed the claim, insisting that their units '
    "still held positions there. As many as 2,500 fighters have been killed or wounded since "
    "last June, according to two Western officials who spoke on condition of anonymity. "
    "Mr. Kosta told reporters the deal could collapse, Reuters reported, citing a senior aide."
)
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline(Settings())


@pytest.fixture(scope="session", params=["model", "rules"])
def record(nlp: Language, request: pytest.FixtureRequest) -> Record:
    """The passage through each attribution extractor: both must get it right (the model
    takes the rules' source chain, their quote boundaries, and stops a content at the end
    of its sentence)."""
    article = Article(id="a1", text=PASSAGE, published="2025-03-10")
    return extract_record(article, nlp(PASSAGE), Settings(extractor=request.param))


def _claim(record: Record, speaker: str) -> Claim:
    for c in record.claims:
        if c.speaker.text == speaker:
            return c
    raise AssertionError(f"no claim by {speaker}: {[c.speaker.text for c in record.claims]}")


@pytest.mark.model
def test_passage_spans_are_sound(record: Record) -> None:
    assert validate_record(record) == []


@pytest.mark.model
def test_passage_varga(record: Record) -> None:
    varga = next(e for e in record.entities if e.name == "Ana Varga")
    assert varga.type == "PERSON"
    assert {"the army's chief of staff", "army's chief of staff"} & set(varga.roles)
    quote = next(c for c in record.claims if c.speaker.entity_id == varga.id)
    assert quote.kind == "direct_quote" and quote.cue is not None and quote.cue.text == "said"
    assert "the bridgehead has been fully cleared" in quote.content.text
    saturday = next(t for t in record.times if t.text == "Saturday")
    assert saturday.value == "2025-03-08" and saturday.granularity == "day"


@pytest.mark.model
def test_passage_dispute(record: Record) -> None:
    claims = [c for c in record.claims if c.speaker.text == "Officials in the capital"]
    assert any(c.stance == "dispute" for c in claims)


@pytest.mark.model
def test_passage_figure_and_time(record: Record) -> None:
    claim = _claim(record, "two Western officials")
    figure = next(f for f in record.figures if f.value == 2500)
    assert (figure.qualifier, figure.unit, figure.low, figure.high) == (
        "as many as",
        "fighters",
        None,
        2500,
    )
    assert figure.claim_id == claim.id and figure.id in claim.figure_ids
    since = next(t for t in record.times if t.text == "since last June")
    assert since.value == "2024-06" and since.id in claim.time_ids


@pytest.mark.model
def test_passage_kosta_chain(record: Record) -> None:
    claim = _claim(record, "Mr. Kosta")
    assert claim.hedged and claim.kind == "indirect"
    assert "could collapse" in claim.content.text
    assert [link.text for link in claim.source_chain] == ["Reuters", "a senior aide", "Mr. Kosta"]


@pytest.mark.model
def test_record_to_dict_is_json(record: Record) -> None:
    data = json.loads(json.dumps(record.to_dict()))
    # The contract's keys must all be there; extensions (events) may be added.
    assert {"article", "entities", "claims", "figures", "times"} <= set(data)
    assert set(data) == {"article", "entities", "claims", "figures", "times", "events"}


def test_validate_record_reports_bad_spans() -> None:
    from newstrace.models import Entity

    article = Article(id="x", text="Hello world")
    bad = Entity(id="e1", name="World", type="OTHER", mentions=(Span(6, 11, "World"),))
    problems = validate_record(Record(article=article, entities=(bad,)))
    assert problems and "e1" in problems[0]


@pytest.mark.model
def test_extract_records_streams_in_order() -> None:
    texts = [
        'He said "ok."',
        'The "peace plan" failed.\n\nShe said "this never closes.',
        "Nothing here.",
    ]
    articles = (Article(id=f"a{i}", text=t) for i, t in enumerate(texts))
    records = extract_records(articles, Settings(batch_size=2))
    assert not isinstance(records, list)
    ids = [r.article.id for r in records]
    assert ids == ["a0", "a1", "a2"]


def _corpus() -> Iterator[Article]:
    with (SHARED / "corpus" / "polnear.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            text = row["text"]
            body = text.split("\n", 1)[1].lstrip("\n") if "\n" in text else text
            yield Article(
                id=row["id"], text=body, title=row.get("title"), published=row.get("published")
            )


@pytest.mark.shared
@pytest.mark.model
@pytest.mark.skipif(
    not (SHARED / "corpus" / "polnear.jsonl").is_file(), reason="shared corpus absent"
)
def test_whole_corpus_has_sound_spans() -> None:
    count = 0
    problems: list[str] = []
    for record in extract_records(_corpus(), Settings()):
        count += 1
        problems += [f"{record.article.id}: {p}" for p in validate_record(record)]
    assert count == 924
    assert problems == []
