"""Distributed extraction on Ray (``pip install newstrace[ray]``).

Inputs become a Ray Dataset of files and URLs; a `flat_map` reads, cleans and
identifies the documents of each (skipping what the store already holds, so a re-run
after a crash resumes), and `map_batches` runs `ExtractBatch` in actors that load the
spaCy model once each. The driver then links copies and writes the store as the single
writer, or the dataset is written as partitioned Parquet for `newstrace load`.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from newstrace.errors import SettingsError
from newstrace.ingest.engines import CHUNK_SIZE
from newstrace.ingest.prepare import prepare_document
from newstrace.ingest.rows import COLUMNS, decode_row, outcome_row
from newstrace.ingest.worker import ExtractBatch, Result, decode_prepared, encode_results
from newstrace.settings import Settings


def run_ray(
    inputs: list[str], settings: Settings, published: str | None, extract: bool
) -> Iterator[Result | str]:
    """Results of extracting `inputs` on Ray, streamed back to this process."""
    for row in ray_dataset(inputs, settings, published, extract).iter_rows():
        yield decode_row(row)


def ray_dataset(inputs: list[str], settings: Settings, published: str | None, extract: bool) -> Any:
    """The lazy Ray Dataset of result rows (see `rows.COLUMNS`) for `inputs`."""
    ray = _start_ray(settings)
    from newstrace.sources import expand_inputs

    if "-" in inputs:
        raise SettingsError("engine ray cannot read standard input; give files or URLs")
    items = [{"input": value} for value in expand_inputs(inputs)]
    documents = ray.data.from_items(items).flat_map(
        _read_and_prepare,
        fn_kwargs={"settings": settings, "published": published, "extract": extract},
    )
    # One input (a JSONL file, a WARC) yields one big block; actors are handed blocks,
    # so split it into batch-sized blocks or a single actor would get all the work.
    documents = documents.repartition(target_num_rows_per_block=CHUNK_SIZE)
    return documents.map_batches(
        RayExtract,
        fn_constructor_kwargs={"settings": settings, "extract": extract},
        batch_size=CHUNK_SIZE,
        compute=ray.data.ActorPoolStrategy(size=max(1, settings.workers)),
        batch_format="numpy",
    )


def _check_reachable(address: str) -> None:
    """Fail fast on a host:port nobody listens on: `ray.init` would retry for minutes."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if address == "auto" or not host or not port.isdigit():
        return
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as exc:
        raise SettingsError(f"cannot join Ray at {address}: {exc.strerror or exc}") from exc


def _start_ray(settings: Settings) -> Any:
    try:
        import ray
        import ray.data
    except ModuleNotFoundError as exc:
        raise SettingsError("engine ray needs Ray: pip install 'newstrace[ray]'") from exc
    if not ray.is_initialized():
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
        if settings.ray_address:
            _check_reachable(settings.ray_address)
            options["address"] = settings.ray_address
        else:
            # One CPU per extraction actor plus one for the tasks that read the inputs;
            # with exactly one per actor, the readers would wait for ever.
            options["num_cpus"] = max(1, settings.workers) + 1
        try:
            ray.init(**options)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = settings.ray_address or "a new local cluster"
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SettingsError(f"cannot start or join Ray ({where}): {reason}") from exc
        ray.data.DataContext.get_current().enable_progress_bars = False
    return ray


def _read_and_prepare(
    item: dict[str, Any], settings: Settings, published: str | None, extract: bool
) -> list[dict[str, Any]]:
    """Rows for every document of one input: to extract, unchanged or failed."""
    from newstrace.sources import read_input
    from newstrace.store import Store

    with Store.open(settings.db) as store:
        return [
            outcome_row(prepare_document(doc, store, published, extract, settings))
            for doc in read_input(item["input"], settings)
        ]


class RayExtract:
    """`ExtractBatch` for Ray's map_batches: rows to extract go through the model,
    unchanged and failed rows pass through as they are."""

    def __init__(self, settings: Settings, extract: bool) -> None:
        self.worker = ExtractBatch(settings, extract)

    def __call__(self, batch: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        rows = [{k: _plain(batch[k][i]) for k in COLUMNS} for i in range(len(batch["status"]))]
        todo = [decode_prepared(r) for r in rows if r["status"] == "extract"]
        done = iter(_result_rows(encode_results(self.worker.process(todo))))
        out = [next(done) if r["status"] == "extract" else r for r in rows]
        return {k: [r[k] for r in out] for k in COLUMNS}


def _result_rows(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    size = len(columns["error"])
    rows = [{k: v[i] for k, v in columns.items()} for i in range(size)]
    for row in rows:
        row["status"] = "failed" if row["error"] else "done"
        row.setdefault("article", "")
    return [{k: row.get(k, "") for k in COLUMNS} for row in rows]


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
