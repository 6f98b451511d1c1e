"""The tables an export writes, their columns (with the Python type each holds) and rows,
and the articles in ingest order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Table, select

from newstrace.store import schema
from newstrace.store.core import Store
from newstrace.store.listings import speaker_canonical

_EXPORTED: tuple[Table, ...] = (
    schema.articles,
    schema.entities,
    schema.claims,
    schema.figures,
    schema.times,
    schema.events,
    schema.canonical_entities,
    schema.entity_links,
    schema.claim_items,
)
EXPORT_TABLES: tuple[str, ...] = tuple(t.name for t in _EXPORTED)
"""The names of the exported tables, in the order they are written."""
SKIPPED_COLUMNS = frozenset({"signature", "raw"})
_BY_NAME = {t.name: t for t in _EXPORTED}


def _columns(table: str) -> list[Any]:
    found: list[Any] = [c for c in _BY_NAME[table].c if c.name not in SKIPPED_COLUMNS]
    if table == "claims":
        found.append(speaker_canonical().label("speaker_canonical_id"))
    return found


def export_columns(table: str) -> list[str]:
    """The exported columns of `table`: all but binary and raw-input ones; claims also
    carry their speaker's cross-article entity (`speaker_canonical_id`) beside the
    article-local `speaker_entity_id`."""
    return [c.name for c in _columns(table)]


def column_types(table: str) -> dict[str, type | None]:
    """The Python type each exported column of `table` holds, from its declaration
    (None where the declaration does not say)."""
    return {c.name: _python_type(c.type) for c in _columns(table)}


def _python_type(column_type: Any) -> type | None:
    try:
        found = column_type.python_type
    except NotImplementedError:
        return None
    return found if isinstance(found, type) else None


def table_rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    """The rows of one exported table, as `export_columns` has them."""
    with store.reading() as conn:
        for row in conn.execute(select(*_columns(table))):
            yield dict(row._mapping)


def article_ids(store: Store) -> list[str]:
    """The ids of every stored article, in ingest order."""
    a = schema.articles.c
    with store.reading() as conn:
        return [r[0] for r in conn.execute(select(a.id).order_by(a.seq))]
