"""Figure series keyed by the canonical holder: one actor's figures in one series.

Extraction keys a series by its holder as its article writes it ("Trump", "Donald
Trump", "Donald J. Trump"), since only one article is known there. Once the analysis
has resolved an article's entities across articles, each figure whose holder is an
entity of its article takes as its series key's holder the name of that entity's
canonical actor (`entity_links.actor_id`), so that the figures of one actor in every
article are one series. A figure whose holder is unknown stays in no series; one whose
holder the tagger did not find (kept by name, no entity) or a country named for a
demonym ("North Korean troops" -> North Korea, from the gazetteer) keeps its key.

The keys of the figures of every actor an analysed article links to are computed again
after each batch (an actor's canonical name may change as fuller names are seen, and a
surname-only entity may be linked to a full name), and after user corrections.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from newstrace.models import Figure
from newstrace.store import Transaction
from newstrace.store import analysis_queries as q
from newstrace.store.records import from_row


def key_series_by_canonical_holder(conn: Transaction, article_ids: Sequence[str] | None) -> int:
    """Give the figures of the actors `article_ids` link to (None: of every actor) the
    series key of their canonical holder; returns how many keys changed."""
    changed: list[tuple[str, str, str]] = []
    for row in q.holder_figure_rows(conn, article_ids):
        figure = from_row(Figure, row)
        key = replace(figure, holder_name=row["holder_canonical"]).series_key()
        if key is not None and key != row["series"]:
            changed.append((row["article_id"], figure.id, key))
    q.set_series(conn, changed)
    return len(changed)
