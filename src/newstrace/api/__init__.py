"""The public Python API: what the ``newstrace`` command does, for notebooks and pipelines.

Everything here is re-exported from `newstrace` itself:

```python
import newstrace

record = newstrace.extract_article(page_html, published="2025-03-10")
with newstrace.Store.open("news.db", create=True) as store:
    store.ingest(["examples/"])
    claims = store.claims(stance="deny").to_pandas()
```

The command line is a thin layer over these functions and classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import Literal

from newstrace.analysis.contradictions import Contradiction
from newstrace.analysis.export import FORMATS as EXPORT_FORMATS
from newstrace.analysis.groups import ClaimGroup, Member
from newstrace.analysis.history import FigurePoint
from newstrace.analysis.network import Network, write_graph
from newstrace.api.extraction import extract_article, extract_inputs, sniff_kind
from newstrace.api.results import EntitySummary, Plain, Results, Row
from newstrace.api.store import ExportFormat, Store
from newstrace.ingest import IngestReport, Progress
from newstrace.reader import Reader
from newstrace.store import ArticleSummary, ClaimRow
from newstrace.store.events_queries import EventCount, EventRow
from newstrace.store.filters import until_bound
from newstrace.store.reads.search import ArticleHit, ClaimHit


def plot_figure_history(
    points: Sequence[FigurePoint], path: str | PathLike[str], title: str
) -> None:
    """Draw a figure history (from `Store.figures`) as a PNG at `path`: one series per
    kind of source, bars for low-high bounds where known (matplotlib, no display)."""
    from newstrace.analysis.plot import plot_history

    plot_history(points, Path(path), title)


def write_network(
    network: Network, path: str | PathLike[str], format: Literal["graphml", "gexf"]
) -> None:
    """Write the actor network (from `Store.network`) as GraphML or GEXF (Gephi, yEd)."""
    write_graph(network, str(path), format)


__all__ = [
    "EXPORT_FORMATS",
    "ArticleHit",
    "ArticleSummary",
    "ClaimGroup",
    "ClaimHit",
    "ClaimRow",
    "Contradiction",
    "EntitySummary",
    "EventCount",
    "EventRow",
    "ExportFormat",
    "FigurePoint",
    "IngestReport",
    "Member",
    "Network",
    "Plain",
    "Progress",
    "Reader",
    "Results",
    "Row",
    "Store",
    "extract_article",
    "extract_inputs",
    "plot_figure_history",
    "sniff_kind",
    "until_bound",
    "write_network",
]
