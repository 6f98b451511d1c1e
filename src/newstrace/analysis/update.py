"""Keeping the cross-article analysis up to date, one batch of articles at a time.

Only the articles given (or found new or changed) are analysed: their old analysis rows
are replaced, their entities resolved against the canonical entities already stored and
their claims matched against the stored claim items through blocking keys. Nothing else
is recomputed; user corrections are re-applied at the end (they are few), then the
summaries and the contradictions of the claim groups that changed are found again and
stored.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from newstrace.analysis.contradictions import file_claim_stems, refresh_contradictions
from newstrace.analysis.corrections import apply_corrections
from newstrace.analysis.entities import resolve_records
from newstrace.analysis.holders import key_series_by_canonical_holder
from newstrace.analysis.matching import match_records
from newstrace.models import Record
from newstrace.store import Store, Transaction
from newstrace.store import analysis_queries as q
from newstrace.store.group_summaries import refresh_group_summaries

BATCH = 200


@dataclass(frozen=True)
class AnalysisReport:
    """What one analysis run did."""

    articles: int
    entity_links: int
    claim_items: int


def update_analysis(store: Store, article_ids: Sequence[str]) -> AnalysisReport:
    """Analyse (again) the given articles, leaving every other article's analysis as is."""
    links = items = 0
    ids = list(dict.fromkeys(article_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with store.writing() as conn:
            q.lock_analysis(conn)
            q.delete_article_analysis(conn, batch)
            records = list(_records(store, conn, batch))
            links += resolve_records(conn, records)
            items += match_records(conn, records)
            file_claim_stems(conn, batch)
            key_series_by_canonical_holder(conn, batch)
            q.mark_analysed(conn, [r.article.id for r in records])
    with store.writing() as conn:
        q.lock_analysis(conn)
        apply_corrections(conn)
        refresh_group_summaries(conn)
        refresh_contradictions(conn)
    store.refresh_statistics()  # the tables may have grown: the planner's view of them
    return AnalysisReport(len(ids), links, items)


def _records(store: Store, conn: Transaction, ids: Sequence[str]) -> Iterator[Record]:
    present = set(q.existing_article_ids(conn, ids))
    for article_id in ids:
        if article_id in present:
            yield store.record(article_id)


def ensure_analysed(store: Store) -> AnalysisReport:
    """Analyse the articles that are new or changed since the last analysis."""
    with store.writing() as conn:
        q.lock_analysis(conn)
        orphans = q.orphan_article_ids(conn)
        if orphans:
            q.delete_article_analysis(conn, orphans)
        stale = q.stale_article_ids(conn)
    return update_analysis(store, stale)


def rebuild_analysis(store: Store) -> AnalysisReport:
    """Forget all analysis (but not user corrections) and analyse every article again."""
    with store.writing() as conn:
        q.lock_analysis(conn)
        q.clear_analysis(conn)
    return ensure_analysed(store)
