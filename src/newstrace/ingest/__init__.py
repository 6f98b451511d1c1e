"""The ingest orchestrator: sources -> clean -> dedup -> extract -> store, one article at a time.

A bad input or record is reported and skipped; each article is written in its own
transaction, so an interrupted run leaves no half-written record and a re-run skips
what was stored (its content hash is unchanged).
"""

from newstrace.ingest.pipeline import IngestReport, Progress, ingest
from newstrace.ingest.prepare import prepare_alone, prepare_article
from newstrace.ingest.worker import ExtractBatch, Prepared

__all__ = [
    "ExtractBatch",
    "IngestReport",
    "Prepared",
    "Progress",
    "ingest",
    "prepare_alone",
    "prepare_article",
]
