"""Converting between extraction records and table rows."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from newstrace.models import (
    Article,
    ChainLink,
    Claim,
    Entity,
    Event,
    EventActor,
    Figure,
    Record,
    Removed,
    Span,
    Speaker,
    TimeExpression,
    figure_from_dict,
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def article_row(article: Article) -> dict[str, Any]:
    """Columns of `articles` that come from the article itself."""
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "published": article.published,
        "author": article.author,
        "text": article.text,
        "removed": _dumps([{"text": r.text, "reason": r.reason} for r in article.removed]),
        "duplicate_of": article.duplicate_of,
        "locator": article.locator,
        "raw": article.raw,
        "raw_kind": article.raw_kind,
    }


def entity_row(article_id: str, entity: Entity) -> dict[str, Any]:
    """A row of `entities`."""
    return {
        "article_id": article_id,
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "refers_to": entity.refers_to,
        "aliases": _dumps(list(entity.aliases)),
        "roles": _dumps(list(entity.roles)),
        "mentions": _dumps([m.to_dict() for m in entity.mentions]),
    }


def claim_row(article_id: str, claim: Claim) -> dict[str, Any]:
    """A row of `claims`."""
    return {
        "article_id": article_id,
        "id": claim.id,
        "kind": claim.kind,
        "speaker": claim.speaker.text,
        "speaker_start": claim.speaker.start,
        "speaker_end": claim.speaker.end,
        "speaker_entity_id": claim.speaker.entity_id,
        "source_chain": _dumps([c.to_dict() for c in claim.source_chain]),
        "cue": claim.cue.text if claim.cue else None,
        "cue_start": claim.cue.start if claim.cue else None,
        "cue_end": claim.cue.end if claim.cue else None,
        "content": claim.content.text,
        "content_start": claim.content.start,
        "content_end": claim.content.end,
        "stance": claim.stance,
        "hedged": claim.hedged,
        "figure_ids": _dumps(list(claim.figure_ids)),
        "time_ids": _dumps(list(claim.time_ids)),
    }


def figure_row(article_id: str, figure: Figure) -> dict[str, Any]:
    """A row of `figures`: the record's keys, the measure and pollster flattened, and
    the figure's series key."""
    row = {"article_id": article_id, **figure.to_dict()}
    measure = row.pop("measure")
    for key in ("text", "start", "end", "key"):
        row[f"measure_{key}"] = measure[key] if measure else None
    row["kind"] = _dumps(row["kind"])
    row["pollster"] = _dumps(row["pollster"]) if row["pollster"] else None
    row["series"] = figure.series_key()
    return row


def time_row(article_id: str, time: TimeExpression) -> dict[str, Any]:
    """A row of `times`."""
    return {"article_id": article_id, **time.to_dict()}


def event_row(
    article_id: str, event: Event, names: Mapping[str, str], date: str | None
) -> dict[str, Any]:
    """A row of `events`; `names` maps entity ids to names, `date` is the event's date."""
    row: dict[str, Any] = {
        "article_id": article_id,
        "id": event.id,
        "type": event.type,
        "mode": event.mode,
        "context": event.context,
        "trigger": event.trigger.text,
        "trigger_start": event.trigger.start,
        "trigger_end": event.trigger.end,
        "location": event.location,
        "time_id": event.time_id,
        "date": date,
        "dead": event.dead,
        "injured": event.injured,
        "size": event.size,
        "claim_id": event.claim_id,
        "negated": event.negated,
    }
    for role, actor in (("source", event.source), ("target", event.target)):
        row[role] = _dumps(actor.to_dict()) if actor else None
        row[f"{role}_name"] = _actor_name(actor, names)
        row[f"{role}_country"] = actor.country if actor else None
        row[f"{role}_sector"] = actor.sector if actor else None
    return row


def _actor_name(actor: EventActor | None, names: Mapping[str, str]) -> str | None:
    if actor is None:
        return None
    return names.get(actor.entity_id or "", actor.text)


def event_from_row(row: Mapping[Any, Any]) -> Event:
    """Rebuild an `Event` from its row."""
    source = EventActor(**json.loads(row["source"])) if row["source"] else None
    target = EventActor(**json.loads(row["target"])) if row["target"] else None
    return Event(
        id=row["id"],
        type=row["type"],
        trigger=Span(row["trigger_start"], row["trigger_end"], row["trigger"]),
        mode=row["mode"],
        context=row["context"],
        source=source,
        target=target,
        location=row["location"],
        time_id=row["time_id"],
        dead=row["dead"],
        injured=row["injured"],
        size=row["size"],
        claim_id=row["claim_id"],
        negated=bool(row["negated"]),
    )


def event_date(record: Record, event: Event) -> str | None:
    """The event's date: its own normalised time when it has one, else publication."""
    for time in record.times:
        if time.id == event.time_id and time.value and time.value[:1].isdigit():
            return time.value
    return record.article.published


def event_rows(record: Record) -> list[dict[str, Any]]:
    """Rows of `events` for one record."""
    names = {e.id: e.name for e in record.entities}
    aid = record.article.id
    return [event_row(aid, e, names, event_date(record, e)) for e in record.events]


def article_from_row(row: Mapping[Any, Any]) -> Article:
    """Rebuild an `Article` from its `articles` row."""
    removed = tuple(Removed(r["text"], r["reason"]) for r in json.loads(row["removed"]))
    return Article(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        url=row["url"],
        outlet=row["outlet"],
        published=row["published"],
        author=row["author"],
        removed=removed,
        duplicate_of=row["duplicate_of"],
        locator=row["locator"],
        raw=row["raw"],
        raw_kind=row["raw_kind"],
    )


def entity_from_row(row: Mapping[Any, Any]) -> Entity:
    """Rebuild an `Entity` from its row."""
    return Entity(
        id=row["id"],
        name=row["name"],
        type=row["type"],
        aliases=tuple(json.loads(row["aliases"])),
        refers_to=row["refers_to"],
        roles=tuple(json.loads(row["roles"])),
        mentions=tuple(Span(**m) for m in json.loads(row["mentions"])),
    )


def claim_from_row(row: Mapping[Any, Any]) -> Claim:
    """Rebuild a `Claim` from its row."""
    cue = None
    if row["cue"] is not None:
        cue = Span(row["cue_start"], row["cue_end"], row["cue"])
    return Claim(
        id=row["id"],
        kind=row["kind"],
        speaker=Speaker(
            row["speaker"], row["speaker_start"], row["speaker_end"], row["speaker_entity_id"]
        ),
        content=Span(row["content_start"], row["content_end"], row["content"]),
        cue=cue,
        source_chain=tuple(ChainLink(**c) for c in json.loads(row["source_chain"])),
        stance=row["stance"],
        hedged=bool(row["hedged"]),
        figure_ids=tuple(json.loads(row["figure_ids"])),
        time_ids=tuple(json.loads(row["time_ids"])),
    )


def figure_from_row(row: Mapping[Any, Any]) -> Figure:
    """Rebuild a `Figure` from its row (rows written before migration 6 have no measure)."""
    keys = ("id", "start", "end", "text", "value", "low", "high", "qualifier", "unit", "claim_id")
    data: dict[str, Any] = {k: row[k] for k in keys}
    for key in ("holder", "holder_name", "place", "predicate", "role", "as_of"):
        data[key] = row[key]
    if row["measure_key"] is not None:
        data["measure"] = {k: row[f"measure_{k}"] for k in ("text", "start", "end", "key")}
    data["kind"] = json.loads(row["kind"]) if row["kind"] else None
    data["pollster"] = json.loads(row["pollster"]) if row["pollster"] else None
    return figure_from_dict(data)


def time_from_row(row: Mapping[Any, Any]) -> TimeExpression:
    """Rebuild a `TimeExpression` from its row."""
    keys = ("id", "start", "end", "text", "value", "granularity")
    return TimeExpression(**{k: row[k] for k in keys})


def record_from_rows(
    article: Article,
    entities: list[Entity],
    claims: list[Claim],
    figures: list[Figure],
    times: list[TimeExpression],
    events: list[Event] | None = None,
) -> Record:
    """Assemble a `Record`."""
    return Record(
        article, tuple(entities), tuple(claims), tuple(figures), tuple(times), tuple(events or ())
    )
