"""Query results (kept here for existing imports; declared in `newstrace.reader.results`)."""

from newstrace.reader.results import EntitySummary, Plain, Results, Row, columns_of, flatten_rows

__all__ = ["EntitySummary", "Plain", "Results", "Row", "columns_of", "flatten_rows"]
