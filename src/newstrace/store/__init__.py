"""The store: schema, migrations and queries. Never imports spaCy."""

from newstrace.store.core import ArticleSummary, ClaimRow, Store, WriteInfo, fulltext_condition

__all__ = ["ArticleSummary", "ClaimRow", "Store", "WriteInfo", "fulltext_condition"]
