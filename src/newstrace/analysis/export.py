"""Exports for analysts: JSON Lines (the extraction record), CSV and Parquet tables."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from newstrace.errors import ExportError
from newstrace.store import Store
from newstrace.store.exports import (
    EXPORT_TABLES,
    article_ids,
    column_types,
    export_columns,
    table_rows,
)

FORMATS = ("jsonl", "csv", "parquet")


def export_jsonl(store: Store, path: Path) -> int:
    """One extraction record per article (`Store.record(id).to_dict()`); returns the count."""
    ids = article_ids(store)
    with path.open("w", encoding="utf-8") as out:
        for article_id in ids:
            out.write(json.dumps(store.record(article_id).to_dict(), ensure_ascii=False) + "\n")
    return len(ids)


def export_csv(store: Store, folder: Path) -> dict[str, int]:
    """One CSV file per table in `folder`; returns rows written per table."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in EXPORT_TABLES:
        names = export_columns(table)
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=names)
            writer.writeheader()
            n = 0
            for row in table_rows(store, table):
                writer.writerow(row)
                n += 1
        counts[table] = n
    return counts


def _arrow_type(pa: Any, python_type: type | None) -> Any:
    """The Arrow type of a column, from its declaration (a column empty in every row,
    ``articles.url`` of a corpus without URLs, is still a string column, not NULL);
    None: inferred from the values."""
    if python_type is None:
        return None
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
        types = {n: _arrow_type(pa, t) for n, t in column_types(table).items()}
        data = pa.table({n: pa.array([r[n] for r in rows], type=types[n]) for n in types})
        pq.write_table(data, folder / f"{table}.parquet")
        counts[table] = len(rows)
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
