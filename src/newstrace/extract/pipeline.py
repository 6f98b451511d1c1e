"""The orchestrator: runs the extractors over a parsed Doc and links their results."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import partial

from spacy.tokens import Doc

from newstrace.errors import ExtractionError, SettingsError
from newstrace.extract.claims import extract_claims
from newstrace.extract.claims.common import split_at_attribution
from newstrace.extract.claims.model import extract_claims_with_model
from newstrace.extract.claims.speakers import resolve_speakers
from newstrace.extract.entities import extract_entities
from newstrace.extract.events import extract_events
from newstrace.extract.figures import extract_figures
from newstrace.extract.measures import describe_figures
from newstrace.extract.spans import doc_text
from newstrace.extract.times import extract_times
from newstrace.models import Article, Claim, Entity, Figure, Record, Span, TimeExpression
from newstrace.nlp import pipe_with_context
from newstrace.settings import Settings


def extract_record(article: Article, doc: Doc, settings: Settings | None = None) -> Record:
    """The record of `article`, whose text `doc` is the parse of.

    ``settings.extractor`` picks the attribution extractor: ``rules`` (the parse rules;
    the default) or ``model`` (the trained tagger, with the rules as back-off and for
    speakers, stance and hedging).
    """
    if doc_text(doc) != article.text:
        raise ExtractionError(f"{article.id}: the Doc was not parsed from this article's text")
    entities = extract_entities(doc)
    claims = split_at_attribution(doc, _claims_by(settings or Settings())(doc, entities))
    claims = resolve_speakers(doc, claims, entities, drop_non_sources=True)
    figures = extract_figures(doc)
    times = extract_times(doc, article.published)
    claims, figures = link(doc, claims, figures, times)
    figures = describe_figures(doc, figures, entities, claims, times)
    events = extract_events(doc, entities, claims, figures, times)
    return Record(
        article=article,
        entities=tuple(entities),
        claims=tuple(claims),
        figures=tuple(figures),
        times=tuple(times),
        events=tuple(events),
    )


def extract_records(articles: Iterable[Article], settings: Settings) -> Iterator[Record]:
    """Records for `articles`, streamed through ``nlp.pipe`` in batches (memory stays flat)."""
    pairs = ((article.text, article) for article in articles)
    for doc, article in pipe_with_context(pairs, settings):
        yield extract_record(article, doc, settings)


def _claims_by(settings: Settings) -> Callable[[Doc, Sequence[Entity]], list[Claim]]:
    if settings.extractor == "rules":
        return extract_claims
    if settings.extractor == "model":
        folder = settings.attribution_model or None
        return partial(extract_claims_with_model, model=folder)
    raise SettingsError(f"extractor must be 'model' or 'rules', not {settings.extractor!r}")


def link(
    doc: Doc, claims: list[Claim], figures: list[Figure], times: list[TimeExpression]
) -> tuple[list[Claim], list[Figure]]:
    """Attach figures and times to the claim whose content (else sentence) holds them."""
    regions = [(c, c.content, _sentence_of(doc, c)) for c in claims]
    figure_ids: dict[str, list[str]] = {c.id: [] for c in claims}
    time_ids: dict[str, list[str]] = {c.id: [] for c in claims}
    linked: list[Figure] = []
    for figure in figures:
        owner = _owner(regions, figure.start, figure.end)
        if owner is not None:
            figure_ids[owner].append(figure.id)
        linked.append(replace(figure, claim_id=owner))
    for time in times:
        owner = _owner(regions, time.start, time.end)
        if owner is not None:
            time_ids[owner].append(time.id)
    claims = [
        replace(c, figure_ids=tuple(figure_ids[c.id]), time_ids=tuple(time_ids[c.id]))
        for c in claims
    ]
    return claims, linked


def _sentence_of(doc: Doc, claim: Claim) -> Span:
    anchor = claim.cue.start if claim.cue else claim.content.start
    token = doc.char_span(anchor, anchor + 1, alignment_mode="expand")
    if token is None:
        return claim.content
    sent = token[0].sent
    start = min(sent.start_char, claim.content.start)
    end = max(sent.end_char, claim.content.end)
    return Span(start, end, "")  # bounds only; the text is not needed here


def _owner(regions: list[tuple[Claim, Span, Span]], start: int, end: int) -> str | None:
    for claim, content, _ in regions:
        if content.start <= start and end <= content.end:
            return claim.id
    for claim, _, sentence in regions:
        if sentence.start <= start and end <= sentence.end:
            return claim.id
    return None
