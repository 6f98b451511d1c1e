"""Where extraction runs on one machine: in this process, or in a pool of processes.

Both use `ExtractBatch`, the class Ray's actors run too (see `ray_engine`).
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from newstrace.ingest.worker import (
    ExtractBatch,
    Prepared,
    Result,
    decode_results,
    encode_batch,
)
from newstrace.settings import Settings

# Articles per batch: large enough for nlp.pipe to be efficient, small enough that a
# pool's workers stay evenly loaded and memory stays flat.
CHUNK_SIZE = 32


def run_local(pending: Iterator[Prepared], settings: Settings, extract: bool) -> Iterator[Result]:
    """Extract `pending` in this process (workers <= 1) or in a process pool."""
    if settings.workers <= 1 or not extract:
        yield from _run_inline(pending, ExtractBatch(settings, extract))
    else:
        yield from _run_pool(pending, settings)


def _run_inline(pending: Iterator[Prepared], worker: ExtractBatch) -> Iterator[Result]:
    while chunk := list(itertools.islice(pending, CHUNK_SIZE * 2)):
        yield from worker.process(chunk)


def _run_pool(pending: Iterator[Prepared], settings: Settings) -> Iterator[Result]:
    # spawn, not fork: the parent may hold threads and open database connections.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        settings.workers, mp_context=context, initializer=_start_worker, initargs=(settings,)
    ) as pool:
        in_flight: set[Future[dict[str, list[Any]]]] = set()
        while chunk := list(itertools.islice(pending, CHUNK_SIZE)):
            in_flight.add(pool.submit(_work, encode_batch(chunk)))
            if len(in_flight) >= settings.workers * 2:  # bounded: memory stays flat
                done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                yield from _collect(done)
        while in_flight:
            done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            yield from _collect(done)


def _collect(done: set[Future[dict[str, list[Any]]]]) -> Iterator[Result]:
    for future in done:
        yield from decode_results(future.result())


_WORKER: ExtractBatch | None = None


def _start_worker(settings: Settings) -> None:
    global _WORKER
    _WORKER = ExtractBatch(settings)


def _work(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
    assert _WORKER is not None, "pool worker was not initialised"
    return _WORKER(batch)
