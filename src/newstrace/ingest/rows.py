"""The row format that work travels in between processes, Ray actors and Parquet files.

Every row has all of `COLUMNS` (strings and a bool), so a Ray Dataset or a Parquet file
of them has one schema. ``status`` says what the row holds: ``extract`` (an article to
extract: ``article``), ``done`` (its record: ``record``), ``unchanged`` (``article_id``
is already stored as it is) or ``failed`` (``locator`` and ``error``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newstrace.ingest.worker import Prepared, Result, decode_result, encode_prepared
from newstrace.models import ReadFailure

COLUMNS = (
    "status",
    "article_id",
    "article",
    "content_hash",
    "is_update",
    "record",
    "locator",
    "error",
)


def empty_row(status: str) -> dict[str, Any]:
    """A row of `status` with every other column empty."""
    row: dict[str, Any] = {key: "" for key in COLUMNS}
    row.update(status=status, is_update=False)
    return row


def outcome_row(outcome: Prepared | ReadFailure | str) -> dict[str, Any]:
    """The row for one prepared document, failure, or unchanged article id."""
    if isinstance(outcome, str):
        return {**empty_row("unchanged"), "article_id": outcome}
    if isinstance(outcome, ReadFailure):
        return {**empty_row("failed"), "locator": outcome.locator, "error": outcome.reason}
    return {**empty_row("extract"), "article_id": outcome.article.id, **encode_prepared(outcome)}


def decode_row(row: Mapping[str, Any]) -> Result | str:
    """A finished row as the writer takes it: a result, a failure or an unchanged id."""
    status = row["status"]
    if status == "unchanged":
        return str(row["article_id"])
    if status == "failed":
        return ReadFailure(str(row["locator"]), str(row["error"]))
    if status == "done":
        return decode_result(row)
    return ReadFailure(str(row["locator"] or row["article_id"]), f"row not extracted ({status})")
