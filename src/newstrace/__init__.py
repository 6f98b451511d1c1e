"""newstrace: who said what, about whom, when, with which figure, on whose authority.

The public Python API. Records (`Record`, `Claim`, ...) are frozen dataclasses with
``to_dict()``; `extract_article` reads one article without a store; `Store` opens a database to
ingest into and query. Query results are `Results` lists with ``to_pandas()`` and
``to_arrow()``. The store and analysis names load on first use, so importing a part of
newstrace (``newstrace.models``) stays cheap.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from newstrace.errors import (
    FetchError,
    InputError,
    ModelError,
    NewstraceError,
    NotFoundError,
    SettingsError,
    StoreError,
)
from newstrace.models import (
    Article,
    ChainLink,
    Claim,
    Entity,
    Event,
    EventActor,
    Figure,
    ReadFailure,
    Record,
    Removed,
    Span,
    Speaker,
    TimeExpression,
    record_from_dict,
)
from newstrace.settings import SETTINGS, Setting, Settings, load_settings

if TYPE_CHECKING:
    from newstrace.api import (
        EXPORT_FORMATS,
        ArticleHit,
        ArticleSummary,
        ClaimGroup,
        ClaimHit,
        ClaimRow,
        Contradiction,
        EntitySummary,
        EventCount,
        EventRow,
        FigurePoint,
        IngestReport,
        Member,
        Network,
        Reader,
        Results,
        Store,
        extract_article,
        extract_inputs,
        plot_figure_history,
        write_network,
    )

__version__ = "0.1.0"

_LAZY = frozenset(
    {
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
        "FigurePoint",
        "IngestReport",
        "Member",
        "Network",
        "Reader",
        "Results",
        "Store",
        "extract_article",
        "extract_inputs",
        "plot_figure_history",
        "write_network",
    }
)


def __getattr__(name: str) -> Any:
    """Load the API names (store, analysis, ingest) on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module("newstrace.api"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'newstrace' has no attribute {name!r}")


__all__ = [
    "EXPORT_FORMATS",
    "SETTINGS",
    "Article",
    "ArticleHit",
    "ArticleSummary",
    "ChainLink",
    "Claim",
    "ClaimGroup",
    "ClaimHit",
    "ClaimRow",
    "Contradiction",
    "Entity",
    "EntitySummary",
    "Event",
    "EventActor",
    "EventCount",
    "EventRow",
    "FetchError",
    "Figure",
    "FigurePoint",
    "IngestReport",
    "InputError",
    "Member",
    "ModelError",
    "Network",
    "NewstraceError",
    "NotFoundError",
    "ReadFailure",
    "Reader",
    "Record",
    "Removed",
    "Results",
    "Setting",
    "Settings",
    "SettingsError",
    "Span",
    "Speaker",
    "Store",
    "StoreError",
    "TimeExpression",
    "__version__",
    "extract_article",
    "extract_inputs",
    "load_settings",
    "plot_figure_history",
    "record_from_dict",
    "write_network",
]

# A library logs; the application decides what to show (the CLI shows warnings only
# with --debug). Without this, Python's last-resort handler would print every
# "paragraph skipped" warning on stderr.
logging.getLogger(__name__).addHandler(logging.NullHandler())
