"""Records to table rows and back, derived from each record's declaration and its table.

A field holding a nested record is spread over columns when its table has them (a
`Span` or `Speaker` named ``content`` becomes ``content``, ``content_start``,
``content_end``: the text in the column named after the field, each other field in
``<field>_<name>``), else stored as a JSON object; tuples are stored as JSON lists.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any, TypeVar, get_origin

from sqlalchemy import Table

from newstrace.models import (
    Article,
    Claim,
    Entity,
    Event,
    EventActor,
    Figure,
    Mapped,
    Record,
    TimeExpression,
    field_types,
    optional,
    plain,
    record_type,
    typer,
)
from newstrace.store import schema

M = TypeVar("M", bound=Mapped)

TABLES: dict[type[Mapped], Table] = {
    Article: schema.articles,
    Entity: schema.entities,
    Claim: schema.claims,
    Figure: schema.figures,
    TimeExpression: schema.times,
    Event: schema.events,
}
"""The table of each record type stored in a table of its own."""


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _spread(table: Table, name: str) -> bool:
    """Whether the nested record in field `name` has columns of its own in `table`
    (``content_start`` for ``content``; else it is one JSON column)."""
    return f"{name}_start" in table.c


def _column(table: Table, name: str, sub: str) -> str:
    """The column of nested field `sub` of field `name`: ``name_sub``, except that the
    text goes in the column named after the field itself where there is one."""
    return name if sub == "text" and name in table.c else f"{name}_{sub}"


def _is_json(hint: Any, kind: type[Mapped] | None) -> bool:
    """Whether a field that is not spread over columns is stored as JSON."""
    return kind is not None or get_origin(hint) is tuple


def to_row(item: Mapped, article_id: str | None = None) -> dict[str, Any]:
    """The row of `item` in its table (with `article_id` for per-article tables)."""
    table = TABLES[type(item)]
    row: dict[str, Any] = {} if article_id is None else {"article_id": article_id}
    hints = field_types(type(item))
    for f in fields(item):  # type: ignore[arg-type]
        value, kind = getattr(item, f.name), record_type(hints[f.name])
        if kind is not None and _spread(table, f.name):
            for sub in fields(kind):  # type: ignore[arg-type]
                row[_column(table, f.name, sub.name)] = (
                    None if value is None else getattr(value, sub.name)
                )
        elif _is_json(hints[f.name], kind):
            row[f.name] = None if value is None else _dumps(plain(value))
        else:
            row[f.name] = value
    return row


def from_row(cls: type[M], row: Mapping[Any, Any]) -> M:
    """Rebuild a record of type `cls` from its row."""
    values: dict[str, Any] = {}
    for name, read in _row_plan(cls):
        found = read(row)
        if found is not _DEFAULT:
            values[name] = found
    return cls(**values)


_DEFAULT = object()  # a field left to its default (a column added after the row was written)


Plan = tuple[tuple[str, Callable[[Mapping[Any, Any]], Any]], ...]
_PLANS: dict[type[Mapped], Plan] = {}


def _row_plan(cls: type[Mapped]) -> Plan:
    """How each field of `cls` is read from its row, worked out once per class (the
    claim ledger rebuilds 50 claims a page): (field, reader of a row)."""
    if cls not in _PLANS:
        _PLANS[cls] = _plan(cls)
    return _PLANS[cls]


def _plan(cls: type[Mapped]) -> Plan:
    table = TABLES[cls]
    hints = field_types(cls)
    plan = []
    for f in fields(cls):  # type: ignore[arg-type]
        hint, kind = hints[f.name], record_type(hints[f.name])
        if kind is not None and _spread(table, f.name):
            plan.append((f.name, _gather(table, f.name, kind)))
        else:
            plan.append((f.name, _reader(f.name, hint, kind)))
    return tuple(plan)


def _reader(name: str, hint: Any, kind: type[Mapped] | None) -> Callable[[Mapping[Any, Any]], Any]:
    """The value of field `name` in a row: JSON decoded, booleans as bool."""
    may_be_none, as_json, convert = optional(hint), _is_json(hint, kind), typer(hint)

    def read(row: Mapping[Any, Any]) -> Any:
        value = row[name]
        if value is None:
            return None if may_be_none else _DEFAULT
        if as_json:
            return convert(json.loads(value))
        return bool(value) if hint is bool else value

    return read


def _gather(table: Table, name: str, kind: type[M]) -> Callable[[Mapping[Any, Any]], M | None]:
    """The nested record of field `name` from its columns (None when its text is null)."""
    hints = field_types(kind)
    text = _column(table, name, "text")
    subs = [
        (
            sub.name,
            _column(table, name, sub.name),
            optional(hints[sub.name]),
            hints[sub.name] is bool,
        )
        for sub in fields(kind)  # type: ignore[arg-type]
    ]

    def read(row: Mapping[Any, Any]) -> M | None:
        if row[text] is None:
            return None
        values = {}
        for sub, column, may_be_none, is_bool in subs:
            value = row[column]
            if value is None and not may_be_none:
                continue  # a column added after this row was written: the field's default
            values[sub] = bool(value) if is_bool else value
        return kind(**values)

    return read


def figure_rows(record: Record) -> list[dict[str, Any]]:
    """Rows of `figures` for one record, with each figure's series key."""
    return [
        {**to_row(figure, record.article.id), "series": figure.series_key()}
        for figure in record.figures
    ]


def event_date(record: Record, event: Event) -> str | None:
    """The event's date: its own normalised time when it has one, else publication."""
    for time in record.times:
        if time.id == event.time_id and time.value and time.value[:1].isdigit():
            return time.value
    return record.article.published


def event_rows(record: Record) -> list[dict[str, Any]]:
    """Rows of `events` for one record, with the columns its listings filter on: each
    actor's entity name (else its text), country and sector, and the event's date."""
    names = {e.id: e.name for e in record.entities}
    rows = []
    for event in record.events:
        row = to_row(event, record.article.id)
        row["date"] = event_date(record, event)
        for role, actor in (("source", event.source), ("target", event.target)):
            row[f"{role}_name"] = _actor_name(actor, names)
            row[f"{role}_country"] = actor.country if actor else None
            row[f"{role}_sector"] = actor.sector if actor else None
        rows.append(row)
    return rows


def _actor_name(actor: EventActor | None, names: Mapping[str, str]) -> str | None:
    if actor is None:
        return None
    return names.get(actor.entity_id or "", actor.text)
