"""The store: schema, migrations and queries. Never imports spaCy; the only package that
imports SQLAlchemy (the others hold a `Transaction` and hand it back)."""

from newstrace.store.core import CopyEvidence, Store, Transaction, WriteInfo
from newstrace.store.listings import ArticleSummary, ClaimRow
from newstrace.store.search import fulltext_condition

__all__ = [
    "ArticleSummary",
    "ClaimRow",
    "CopyEvidence",
    "Store",
    "Transaction",
    "WriteInfo",
    "fulltext_condition",
]
