"""Extraction results as partitioned Parquet, and loading them into a store.

``newstrace ingest --out parquet:DIR`` writes rows (see `rows.COLUMNS`) instead of
writing the store, so that extraction can run where the store is not reachable;
``newstrace load DIR`` then links copies and bulk-loads them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newstrace.errors import InputError
from newstrace.ingest.pipeline import IngestReport, Progress, store_results
from newstrace.ingest.rows import COLUMNS, decode_row, outcome_row
from newstrace.ingest.worker import Extracted, Result, encode_results
from newstrace.models import InputValue, ReadFailure
from newstrace.settings import Settings
from newstrace.store import Store
from newstrace.store.exports import EXPORT_TABLES

ROWS_PER_FILE = 1000


def result_row(result: Result | str) -> dict[str, Any]:
    """The Parquet row of one result."""
    if isinstance(result, str | ReadFailure):
        return outcome_row(result)
    columns = encode_results([result])
    row = {key: values[0] for key, values in columns.items()}
    return {**{k: "" for k in COLUMNS}, **row, "status": "done"}


def write_rows(rows: Iterable[dict[str, Any]], out_dir: Path) -> int:
    """Write rows as numbered Parquet files in `out_dir`; returns the number written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out_dir.mkdir(parents=True, exist_ok=True)
    start = len(list(out_dir.glob("*.parquet")))
    count = 0
    remaining = iter(rows)
    chunks = iter(lambda: list(itertools.islice(remaining, ROWS_PER_FILE)), [])
    for number, chunk in enumerate(chunks, start=start):
        table = pa.Table.from_pylist([{k: r[k] for k in COLUMNS} for r in chunk])
        pq.write_table(table, out_dir / f"part-{number:05d}.parquet")
        count += len(chunk)
    return count


def read_rows(directory: Path) -> Iterator[dict[str, Any]]:
    """Every row of the Parquet files under `directory`, which must be results written by
    ``ingest --out parquet:DIR``; anything else (an empty folder, a file that is not
    Parquet, the analyst tables of ``newstrace export --format parquet``, which leave out
    the raw inputs and cannot be loaded) is an `InputError` naming what is wrong."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    if not directory.is_dir():
        raise InputError(str(directory), "not a folder of Parquet files")
    if any((directory / f"{EXPORT_TABLES[0]}.{ext}").exists() for ext in ("parquet", "csv")):
        raise InputError(
            str(directory),
            "the tables of newstrace export, which cannot be loaded (they leave out the raw "
            "inputs); load reads what ingest --out parquet:DIR writes",
        )
    try:
        dataset = ds.dataset(str(directory), format="parquet")
        if not dataset.files:
            raise InputError(str(directory), "no Parquet files (write them with ingest --out)")
        missing = [name for name in COLUMNS if name not in dataset.schema.names]
        if missing:
            raise InputError(str(directory), f"not ingest --out results (no {', '.join(missing)})")
        for batch in dataset.to_batches(columns=list(COLUMNS)):
            yield from batch.to_pylist()
    except pa.ArrowException as exc:  # a file that is not Parquet, or of another schema
        raise InputError(str(directory), f"unreadable Parquet ({exc})") from exc


def load_rows(
    directory: Path, settings: Settings, store: Store, progress: Progress | None = None
) -> IngestReport:
    """Load extraction results written by ``ingest --out parquet:DIR`` into `store`."""
    return store_results(_unless_stored(read_rows(directory), store), settings, store, progress)


def _unless_stored(rows: Iterable[dict[str, Any]], store: Store) -> Iterator[Result | str]:
    for row in rows:
        try:
            result = decode_row(row)
        except (ValueError, KeyError, TypeError) as exc:  # a record that is not one
            where = str(row["locator"] or row["article_id"] or row["status"])
            yield ReadFailure(where, f"unreadable record ({type(exc).__name__}: {exc})")
            continue
        if isinstance(result, Extracted):
            article_id = result.prepared.article.id
            if store.content_hash(article_id) == result.prepared.content_hash:
                yield article_id
                continue
        yield result


def ingest_to_parquet(
    inputs: list[InputValue],
    settings: Settings,
    store: Store,
    out_dir: Path,
    published: str | None = None,
    extract: bool = True,
    progress: Progress | None = None,
) -> IngestReport:
    """Extract `inputs` into Parquet files in `out_dir` instead of the store (which is
    only read, to skip what it holds already). Copies are linked at `load` time."""
    from newstrace.ingest.pipeline import extraction_results, input_paths

    report = IngestReport()
    notify = progress or (lambda _outcome, _locator: None)
    if settings.engine == "ray":
        from newstrace.ingest.ray_engine import ray_dataset

        ray_dataset(input_paths(inputs), settings, published, extract).write_parquet(str(out_dir))
        rows: Iterable[dict[str, Any]] = read_rows(out_dir)
    else:
        results = extraction_results(inputs, settings, store, published, extract)
        rows = _tee(map(result_row, results), out_dir)
    for row in rows:
        _count(report, row)
        notify(_OUTCOME.get(row["status"], "failed"), str(row["locator"] or row["article_id"]))
    return report


_OUTCOME = {"done": "new", "unchanged": "unchanged", "failed": "failed"}


def _tee(rows: Iterator[dict[str, Any]], out_dir: Path) -> Iterator[dict[str, Any]]:
    """Write rows to Parquet in chunks while passing them on for counting."""
    while chunk := list(itertools.islice(rows, ROWS_PER_FILE)):
        write_rows(chunk, out_dir)
        yield from chunk


def _count(report: IngestReport, row: dict[str, Any]) -> None:
    status = row["status"]
    if status == "done":
        (report.updated if row["is_update"] else report.new).append(str(row["article_id"]))
    elif status == "unchanged":
        report.unchanged.append(str(row["article_id"]))
    else:
        report.failed.append(ReadFailure(str(row["locator"]), str(row["error"])))
