"""Exports for analysts: JSON Lines (the extraction record), CSV and Parquet tables."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select

from newstrace.errors import ExportError
from newstrace.store import Store, schema
from newstrace.store.listings import speaker_canonical

EXPORT_TABLES: tuple[Table, ...] = (
    schema.articles,
    schema.entities,
    schema.claims,
    schema.figures,
    schema.times,
    schema.canonical_entities,
    schema.entity_links,
    schema.claim_items,
)
SKIPPED_COLUMNS = frozenset({"signature", "raw"})
FORMATS = ("jsonl", "csv", "parquet")


def export_jsonl(store: Store, path: Path) -> int:
    """One extraction record per article (`Store.record(id).to_dict()`); returns the count."""
    a = schema.articles.c
    with store.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(select(a.id).order_by(a.seq))]
    with path.open("w", encoding="utf-8") as out:
        for article_id in ids:
            out.write(json.dumps(store.record(article_id).to_dict(), ensure_ascii=False) + "\n")
    return len(ids)


def export_columns(table: Table) -> list[Any]:
    """The exported columns of `table`: all but binary and raw-input ones; claims also
    carry their speaker's cross-article entity (`speaker_canonical_id`) beside the
    article-local `speaker_entity_id`."""
    columns: list[Any] = [c for c in table.c if c.name not in SKIPPED_COLUMNS]
    if table is schema.claims:
        columns.append(speaker_canonical().label("speaker_canonical_id"))
    return columns


def table_rows(store: Store, table: Table) -> Iterator[dict[str, Any]]:
    """The rows of one table, as `export_columns` has them."""
    columns = export_columns(table)
    with store.engine.connect() as conn:
        for row in conn.execute(select(*columns)):
            yield dict(row._mapping)


def export_csv(store: Store, folder: Path) -> dict[str, int]:
    """One CSV file per table in `folder`; returns rows written per table."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in EXPORT_TABLES:
        names = [c.name for c in export_columns(table)]
        with (folder / f"{table.name}.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=names)
            writer.writeheader()
            n = 0
            for row in table_rows(store, table):
                writer.writerow(row)
                n += 1
        counts[table.name] = n
    return counts


def _arrow_type(pa: Any, column_type: Any) -> Any:
    """The Arrow type of a column, from its declaration (a column empty in every row,
    ``articles.url`` of a corpus without URLs, is still a string column, not NULL)."""
    try:
        python_type = column_type.python_type
    except NotImplementedError:
        return None  # inferred from the values
    return {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}.get(
        python_type
    )


def export_parquet(store: Store, folder: Path) -> dict[str, int]:
    """One Parquet file per table in `folder`; returns rows written per table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in EXPORT_TABLES:
        rows = list(table_rows(store, table))
        names = [c.name for c in export_columns(table)]
        types = {c.name: _arrow_type(pa, c.type) for c in export_columns(table)}
        data = pa.table({n: pa.array([r[n] for r in rows], type=types[n]) for n in names})
        pq.write_table(data, folder / f"{table.name}.parquet")
        counts[table.name] = len(rows)
    return counts


def export(store: Store, fmt: str, out: Path) -> dict[str, int]:
    """Export in `fmt` (jsonl: a file; csv, parquet: a folder); returns counts."""
    try:
        if fmt == "jsonl":
            return {"articles": export_jsonl(store, out)}
        if fmt == "csv":
            return export_csv(store, out)
        if fmt == "parquet":
            return export_parquet(store, out)
    except OSError as exc:
        raise ExportError(f"{out}: cannot write export ({exc.strerror or exc})") from exc
    raise ExportError(f"{fmt}: unknown export format (use one of {', '.join(FORMATS)})")
