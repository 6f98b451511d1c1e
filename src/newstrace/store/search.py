"""Full-text search conditions: FTS5 on SQLite, tsvector on PostgreSQL."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Select, literal_column, select, text

from newstrace.store import schema

_FTS_TOKEN = re.compile(r"\w+", re.UNICODE)


def fulltext_condition(dialect: str, search: str) -> ColumnElement[bool]:
    """`articles.id` is one whose title or text matches `search` (every word must appear):
    FTS5 on SQLite, the tsvector/GIN index on PostgreSQL. A subquery, not a list of ids,
    so a common word cannot overflow the parameter limit."""
    ids: Select[Any]
    if dialect == "postgresql":
        ids = (
            select(literal_column("id"))
            .select_from(text("articles AS fts_articles"))
            .where(text("search @@ plainto_tsquery('english', :fts_q)").bindparams(fts_q=search))
        )
    else:
        match = fts_query(search)
        if not match:
            return schema.articles.c.id.is_(None)
        ids = (
            select(literal_column("article_id"))
            .select_from(text("articles_fts"))
            .where(text("articles_fts MATCH :fts_q").bindparams(fts_q=match))
        )
    return schema.articles.c.id.in_(ids.scalar_subquery())


def fts_query(search: str) -> str:
    """A safe FTS5 query: every word of `search` must appear (no FTS syntax errors)."""
    return " ".join(f'"{token}"' for token in _FTS_TOKEN.findall(search))
