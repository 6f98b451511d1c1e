"""The store: schema, migrations and queries. Never imports spaCy."""

from newstrace.store.core import Store, WriteInfo
from newstrace.store.listings import ArticleSummary, ClaimRow
from newstrace.store.search import fulltext_condition

__all__ = ["ArticleSummary", "ClaimRow", "Store", "WriteInfo", "fulltext_condition"]
