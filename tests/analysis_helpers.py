"""Synthetic extraction records for the analysis tests and benchmark (no spaCy)."""

from __future__ import annotations

from newstrace.models import (
    Article,
    ChainLink,
    Claim,
    Entity,
    Figure,
    Measure,
    Record,
    Span,
    Speaker,
    TimeExpression,
)
from newstrace.store import Store, WriteInfo


def span(text: str, part: str) -> Span:
    """The span of `part` in `text`."""
    start = text.index(part)
    return Span(start, start + len(part), part)


def make_record(
    article_id: str,
    text: str,
    *,
    published: str = "2025-01-01",
    outlet: str | None = None,
    url: str | None = None,
    duplicate_of: str | None = None,
    people: tuple[tuple[str, str], ...] = (),
    claims: tuple[tuple[str, str, str, str | None], ...] = (),
    chain: tuple[str, ...] = (),
    time: tuple[str, str] | None = None,
    holder: str = "Valdor",
) -> Record:
    """A record whose entities are (name, type) found in `text`, and whose claims are
    (speaker, content, stance, figure or None) found in `text`, a figure written
    "text|value|unit", or "text|value|unit|holder" when not `holder`'s (a figure whose
    holder is not known is in no series)."""
    entities = tuple(
        Entity(f"e{n}", name, type_, (name,), mentions=(span(text, name),))  # type: ignore[arg-type]
        for n, (name, type_) in enumerate(people, 1)
    )
    by_name = {e.name: e.id for e in entities}
    figures, built = [], []
    times = ()
    if time is not None:
        times = (TimeExpression("t1", *_span_tuple(text, time[0]), value=time[1]),)
    for n, (speaker, content, stance, figure) in enumerate(claims, 1):
        fids: tuple[str, ...] = ()
        if figure is not None:
            fig_text, value, unit, *own = figure.split("|")
            s = span(text, fig_text)
            # what extraction would say it counts: the unit and one holder for all, nothing
            # more (no predicate or kind flags: those need the parse, see test_measures.py)
            counted = span(text, unit) if unit in text else s
            measure = Measure(counted.text, counted.start, counted.end, unit)
            figures.append(
                Figure(
                    f"f{n}", s.start, s.end, s.text, float(value), unit=unit,
                    claim_id=f"c{n}", measure=measure, holder_name=own[0] if own else holder,
                )
            )  # fmt: skip
            fids = (f"f{n}",)
        sp = span(text, speaker)
        built.append(
            Claim(
                f"c{n}", "indirect", Speaker(sp.text, sp.start, sp.end, by_name.get(speaker)),
                span(text, content), stance=stance,  # type: ignore[arg-type]
                figure_ids=fids, time_ids=("t1",) if times else (),
                source_chain=tuple(ChainLink(c) for c in chain),
            )
        )  # fmt: skip
    article = Article(
        article_id, text, title=article_id, url=url, outlet=outlet, published=published,
        duplicate_of=duplicate_of,
    )  # fmt: skip
    return Record(article, entities, tuple(built), tuple(figures), times)


def _span_tuple(text: str, part: str) -> tuple[int, int, str]:
    s = span(text, part)
    return s.start, s.end, s.text


def save(store: Store, record: Record) -> None:
    """Store a record as ingest would (content hash from the id and text)."""
    store.save(record, WriteInfo(content_hash=str(hash((record.article.id, record.article.text)))))
