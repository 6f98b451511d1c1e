"""Full-text search conditions: FTS5 on SQLite, tsvector on PostgreSQL.

One query syntax on both backends, the one web search engines taught everyone:
words must all appear (``Karsk troops``), ``"a phrase"`` in that order, ``OR``
between two terms for either, ``-word`` or ``NOT word`` to exclude, and ``word*`` for
a prefix. It is parsed here and written out in each backend's own syntax (FTS5
``MATCH``, PostgreSQL ``to_tsquery``) from the words alone, so no input can be a
syntax error. Hand-written: neither backend offers this syntax for both (PostgreSQL's
``websearch_to_tsquery`` has no prefixes, FTS5 no ``-word``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, literal_column, select, text

from newstrace.store import schema

_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(r'-?"[^"]*"?\*?|\S+')


@dataclass(frozen=True)
class Term:
    """A word or a phrase (words in order); `prefix`: its last word is a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass
class SearchQuery:
    """A parsed search: every group must match (a group: one term, or terms joined by
    OR), and no excluded term may."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    def required_words(self) -> list[str]:
        """The words every match holds (those of the groups of one term)."""
        return [w for g in self.groups if len(g) == 1 for w in g[0].words]


def parse_search(search: str) -> SearchQuery:
    """`search` in the syntax of this module's docstring, as a `SearchQuery`."""
    query = SearchQuery()
    join = negate = False
    for token in _TOKEN.findall(search):
        if token == "OR":
            join = bool(query.groups)
            continue
        if token == "NOT":
            negate = True
            continue
        excluded = negate or (token.startswith("-") and len(token) > 1)
        term = _term(token.removeprefix("-") if token.startswith("-") else token)
        if term is None:
            continue
        if excluded:
            query.excluded.append(term)
        elif join:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        join = negate = False
    return query


def _term(token: str) -> Term | None:
    prefix = token.endswith("*")
    words = tuple(_WORD.findall(token))
    return Term(words, prefix) if words else None


def fts5_match(term: Term) -> str:
    """One term in FTS5 syntax: a quoted phrase, ``*`` after it for a prefix."""
    return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")


def _fts5_any(terms: list[Term]) -> str:
    return "(" + " OR ".join(fts5_match(t) for t in terms) + ")"


def _tsquery_term(term: Term) -> str:
    words = [*term.words[:-1], term.words[-1] + (":*" if term.prefix else "")]
    return "(" + " <-> ".join(words) + ")"


def _tsquery_any(terms: list[Term]) -> str:
    return "(" + " | ".join(_tsquery_term(t) for t in terms) + ")"


def to_tsquery_text(query: SearchQuery) -> str:
    """The query as PostgreSQL ``to_tsquery`` text (words only, so always valid)."""
    parts = [_tsquery_any(g) for g in query.groups]
    if query.excluded:
        parts.append("!" + _tsquery_any(query.excluded))
    return " & ".join(parts)


def fulltext_condition(dialect: str, search: str) -> ColumnElement[bool]:
    """`articles.id` is one whose title or text matches `search`: FTS5 on SQLite, the
    tsvector/GIN index on PostgreSQL. A subquery, not a list of ids, so a common word
    cannot overflow the parameter limit."""
    query = parse_search(search)
    if not query.groups and not query.excluded:
        return schema.articles.c.id.is_(None)
    if dialect == "postgresql":
        ids: Select[Any] = (
            select(literal_column("id"))
            .select_from(text("articles AS fts_articles"))
            .where(
                text("search @@ to_tsquery('english', :fts_q)").bindparams(
                    fts_q=to_tsquery_text(query)
                )
            )
        )
        return schema.articles.c.id.in_(ids.scalar_subquery())
    return _fts5_condition(query)


def _fts5_condition(query: SearchQuery) -> ColumnElement[bool]:
    """FTS5: the groups ANDed, NOT the excluded; excluded alone: the articles that the
    excluded terms do not match (FTS5's NOT needs something on its left)."""
    a = schema.articles.c
    match = fts5_match_text(query)
    if match is None:
        return a.id.not_in(_fts5_ids(_fts5_any(query.excluded)).scalar_subquery())
    return a.id.in_(_fts5_ids(match).scalar_subquery())


def fts5_match_text(query: SearchQuery) -> str | None:
    """The query as an FTS5 ``MATCH`` expression; None when it only excludes (FTS5's
    NOT needs something on its left)."""
    if not query.groups:
        return None
    match = " AND ".join(_fts5_any(g) for g in query.groups)
    if query.excluded:
        match += " NOT " + _fts5_any(query.excluded)
    return match


def term_pattern(query: SearchQuery) -> re.Pattern[str] | None:
    """A pattern of the words the query looks for (each as a word start, since the
    index matches stems and prefixes), for highlighting; None when it has none."""
    words = sorted({w for g in query.groups for t in g for w in t.words}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)


def _fts5_ids(match: str) -> Select[Any]:
    return (
        select(literal_column("article_id"))
        .select_from(text("articles_fts"))
        .where(text("articles_fts MATCH :fts_q").bindparams(fts_q=match))
    )
