"""Span integrity: every extraction must point at its evidence in ``article.text``."""

from __future__ import annotations

from newstrace.models import Record, Span


def validate_record(record: Record) -> list[str]:
    """Problems found in `record` (empty when every span and reference is sound)."""
    text = record.article.text
    problems: list[str] = []
    entity_ids = {e.id for e in record.entities}
    figure_ids = {f.id for f in record.figures}
    time_ids = {t.id for t in record.times}
    claim_ids = {c.id for c in record.claims}
    for e in record.entities:
        if not e.mentions:
            problems.append(f"entity {e.id}: no mentions")
        problems += [_check(text, m, f"entity {e.id} mention") for m in e.mentions]
        if e.refers_to is not None and e.refers_to not in entity_ids:
            problems.append(f"entity {e.id}: refers_to {e.refers_to} unknown")
    for c in record.claims:
        problems.append(_check(text, c.content, f"claim {c.id} content"))
        if c.cue is not None:
            problems.append(_check(text, c.cue, f"claim {c.id} cue"))
        s = c.speaker
        if s.start is not None and s.end is not None:
            problems.append(_check(text, Span(s.start, s.end, s.text), f"claim {c.id} speaker"))
        if s.entity_id is not None and s.entity_id not in entity_ids:
            problems.append(f"claim {c.id}: speaker entity {s.entity_id} unknown")
        problems += [
            f"claim {c.id}: figure {f} unknown" for f in c.figure_ids if f not in figure_ids
        ]
        problems += [f"claim {c.id}: time {t} unknown" for t in c.time_ids if t not in time_ids]
    for f in record.figures:
        problems.append(_check(text, Span(f.start, f.end, f.text), f"figure {f.id}"))
        if f.claim_id is not None and f.claim_id not in claim_ids:
            problems.append(f"figure {f.id}: claim {f.claim_id} unknown")
    for t in record.times:
        problems.append(_check(text, Span(t.start, t.end, t.text), f"time {t.id}"))
    problems += _event_problems(record, entity_ids, claim_ids, figure_ids, time_ids)
    return [p for p in problems if p]


def _event_problems(
    record: Record,
    entity_ids: set[str],
    claim_ids: set[str],
    figure_ids: set[str],
    time_ids: set[str],
) -> list[str]:
    text = record.article.text
    problems: list[str] = []
    for ev in record.events:
        problems.append(_check(text, ev.trigger, f"event {ev.id} trigger"))
        for role, actor in (("source", ev.source), ("target", ev.target)):
            if actor is None:
                continue
            if actor.start is not None and actor.end is not None:
                span = Span(actor.start, actor.end, actor.text)
                problems.append(_check(text, span, f"event {ev.id} {role}"))
            if actor.entity_id is not None and actor.entity_id not in entity_ids:
                problems.append(f"event {ev.id}: {role} entity {actor.entity_id} unknown")
        refs = (
            (ev.location, entity_ids, "location"),
            (ev.claim_id, claim_ids, "claim"),
            (ev.time_id, time_ids, "time"),
            (ev.dead, figure_ids, "figure"),
            (ev.injured, figure_ids, "figure"),
            (ev.size, figure_ids, "figure"),
        )
        problems += [
            f"event {ev.id}: {what} {ref} unknown"
            for ref, ids, what in refs
            if ref and ref not in ids
        ]
    return problems


def _check(text: str, span: Span, what: str) -> str:
    if not 0 <= span.start < span.end <= len(text):
        return f"{what}: offsets {span.start}:{span.end} out of range"
    if text[span.start : span.end] != span.text:
        return f"{what}: text {span.text!r} != article.text[{span.start}:{span.end}]"
    return ""
