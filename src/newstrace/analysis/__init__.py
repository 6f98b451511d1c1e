"""Cross-article analysis over the store: entity resolution, claim groups,
contradictions, figure histories, timelines, the actor network and exports.

Never imports spaCy: everything here reads what extraction stored.
"""

from __future__ import annotations

from typing import Any

from newstrace.analysis.contradictions import refresh_contradictions
from newstrace.analysis.corrections import record_merge, record_split
from newstrace.analysis.update import (
    AnalysisReport,
    ensure_analysed,
    rebuild_analysis,
    update_analysis,
)
from newstrace.store import Store
from newstrace.store import analysis_queries as q
from newstrace.store.group_summaries import refresh_group_summaries


def list_entities(store: Store, search: str | None = None) -> list[dict[str, Any]]:
    """Canonical entities with their article and mention-link counts, most articles first."""
    with store.reading() as conn:
        rows = q.canonical_listing(conn, search)
    return [
        {
            "id": row.id,
            "name": row.name,
            "type": row.type,
            "aliases": row.aliases,
            "roles": row.roles,
            "links": links,
            "articles": articles,
        }
        for row, links, articles in rows
    ]


def merge_entities(store: Store, keep: str, other: str) -> None:
    """Merge entity `other` into `keep`; the correction survives re-analysis."""
    with store.writing() as conn:
        record_merge(conn, keep, other)
        refresh_group_summaries(conn)
        refresh_contradictions(conn)


def split_entity(store: Store, entity: str, alias: str) -> str:
    """Split mentions named `alias` off `entity`; returns the new entity's id."""
    with store.writing() as conn:
        found = record_split(conn, entity, alias)
        refresh_group_summaries(conn)
        refresh_contradictions(conn)
        return found


__all__ = [
    "AnalysisReport",
    "ensure_analysed",
    "list_entities",
    "merge_entities",
    "rebuild_analysis",
    "split_entity",
    "update_analysis",
]
