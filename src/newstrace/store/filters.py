"""What the filters of every listing mean, decided once for the CLI, the API and the web."""

from __future__ import annotations


def until_bound(until: str | None) -> str | None:
    """Make a partial `until` inclusive: ``2025-03`` covers the whole of March, ``2025``
    the whole year; a full date (or anything longer) is taken as it is."""
    if until is None or len(until) >= 10:
        return until
    return until + "-99"
