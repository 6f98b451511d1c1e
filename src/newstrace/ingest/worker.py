"""The extraction step as a callable class, shared by every engine.

`ExtractBatch` loads the spaCy pipeline once (in its constructor) and turns a batch of
prepared articles into records. The in-process engine calls `process` directly; the
local process pool and Ray's ``map_batches`` call it on column batches of JSON rows, so
all three run the same code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newstrace.errors import NewstraceError
from newstrace.ingest.budget import OverBudget, time_budget
from newstrace.language.detect import is_english
from newstrace.models import Article, ReadFailure, Record, article_internals, record_from_dict
from newstrace.settings import Settings


@dataclass(frozen=True)
class Prepared:
    """An article ready for extraction, with what the store needs to know about it."""

    article: Article
    content_hash: str
    is_update: bool


@dataclass(frozen=True)
class Extracted:
    """A prepared article and its record, ready to be linked and stored."""

    prepared: Prepared
    record: Record


Result = Extracted | ReadFailure


_WARM_UP = '"The pier reopened on Monday," said Mira Tolvan of the Port Elsin harbour board.'


class ExtractBatch:
    """Callable class: records for a batch of prepared articles, model loaded once."""

    def __init__(self, settings: Settings, extract: bool = True) -> None:
        self.settings = settings
        self.extract = extract
        if extract:
            from newstrace.extract import extract_records
            from newstrace.nlp import load_pipeline  # the one place spaCy is loaded

            load_pipeline(settings)
            # Once, outside any budget: what extraction loads on first use (gazetteers,
            # word lists) must not count against the first document's time.
            list(extract_records([Article(id="warm-up", text=_WARM_UP)], settings))

    def process(self, batch: Sequence[Prepared]) -> list[Result]:
        """Extract every article of `batch`; a failing article fails alone. Articles
        in another language than English are passed on without extraction."""
        if not self.extract:
            return [Extracted(p, Record(p.article)) for p in batch]
        english = [p for p in batch if is_english(p.article.language)]
        done = iter(self._process_english(english) if english else [])
        return [
            next(done) if is_english(p.article.language) else Extracted(p, Record(p.article))
            for p in batch
        ]

    def _process_english(self, batch: Sequence[Prepared]) -> list[Result]:
        try:
            return self._extract_all(batch)
        except NewstraceError:
            raise  # a model that cannot load fails the whole command
        except (Exception, OverBudget) as exc:  # one bad article must not cost the batch:
            if len(batch) == 1:  # retry one by one
                reason = str(exc) if isinstance(exc, OverBudget) else None
                reason = reason or f"extraction failed ({exc.__class__.__name__}: {exc})"
                return [_failure(batch[0], reason)]
            return [result for p in batch for result in self._process_english([p])]

    def _extract_all(self, batch: Sequence[Prepared]) -> list[Result]:
        from newstrace.extract import extract_records

        # One document's budget for the whole batch: a batch that overruns it (one huge
        # or pathological article among normal ones) is retried article by article,
        # each with its own budget, so only the slow one fails.
        with time_budget(self.settings.document_timeout, "extraction"):
            records = list(extract_records([p.article for p in batch], self.settings))
        return [Extracted(p, r) for p, r in zip(batch, records, strict=True)]

    def __call__(self, batch: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        """Column batch in (``encode_batch``), column batch out (``decode_results``)."""
        prepared = [decode_prepared(row) for row in _rows(batch)]
        return encode_results(self.process(prepared))


def encode_prepared(p: Prepared) -> dict[str, Any]:
    """A prepared article as one JSON-friendly row."""
    data = {**p.article.to_dict(), **article_internals(p.article)}
    return {"article": json.dumps(data), "content_hash": p.content_hash, "is_update": p.is_update}


def decode_prepared(row: Mapping[str, Any]) -> Prepared:
    """Inverse of `encode_prepared`."""
    article = record_from_dict({"article": json.loads(row["article"])}).article
    return Prepared(article, str(row["content_hash"]), bool(row["is_update"]))


def encode_batch(batch: Sequence[Prepared]) -> dict[str, list[Any]]:
    """Prepared articles as a column batch."""
    rows = [encode_prepared(p) for p in batch]
    return {key: [row[key] for row in rows] for key in ("article", "content_hash", "is_update")}


def encode_results(results: Sequence[Result]) -> dict[str, list[Any]]:
    """Results as a column batch: a record (JSON) or an error per row."""
    columns: dict[str, list[Any]] = {
        k: [] for k in ("article_id", "content_hash", "is_update", "record", "locator", "error")
    }
    for result in results:
        if isinstance(result, ReadFailure):
            values = ["", "", False, "", result.locator, result.reason]
        else:
            record = result.record
            full = record.to_dict()
            full["article"].update(article_internals(record.article))
            p = result.prepared
            values = [p.article.id, p.content_hash, p.is_update, json.dumps(full), "", ""]
        for key, value in zip(columns, values, strict=True):
            columns[key].append(value)
    return columns


def decode_results(batch: Mapping[str, Sequence[Any]]) -> list[Result]:
    """Inverse of `encode_results`."""
    return [decode_result(row) for row in _rows(batch)]


def decode_result(row: Mapping[str, Any]) -> Result:
    """One row of `encode_results` output back as a result."""
    if row["error"]:
        return ReadFailure(str(row["locator"]), str(row["error"]))
    record = record_from_dict(json.loads(row["record"]))
    prepared = Prepared(record.article, str(row["content_hash"]), bool(row["is_update"]))
    return Extracted(prepared, record)


def _rows(batch: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    keys = list(batch)
    size = len(batch[keys[0]]) if keys else 0
    return [{k: _plain(batch[k][i]) for k in keys} for i in range(size)]


def _plain(value: Any) -> Any:
    """numpy scalars (from Ray batches) as plain Python values."""
    return value.item() if hasattr(value, "item") else value


def _failure(p: Prepared, reason: str) -> ReadFailure:
    return ReadFailure(p.article.locator or p.article.id, reason)
