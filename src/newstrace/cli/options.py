"""Options and parameter types shared by several commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class IsoDate(click.ParamType):  # type: ignore[type-arg]
    """A date given as YYYY-MM-DD (or YYYY-MM, YYYY for --since/--until)."""

    name = "DATE"

    def __init__(self, partial: bool = False) -> None:
        self.partial = partial

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
        if self.partial:
            for fmt in ("%Y-%m", "%Y"):
                try:
                    dt.datetime.strptime(text, fmt)
                    return text
                except ValueError:
                    continue
        self.fail(f"{text!r} is not a date in the form YYYY-MM-DD", param, ctx)


def json_option(func: F) -> F:
    """--json: print JSON (one object per line for listings) instead of a table."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(
        func
    )


def date_range_options(func: F) -> F:
    """--since and --until on publication dates."""
    func = click.option("--until", type=IsoDate(partial=True), help="Published on or before DATE.")(
        func
    )
    return click.option("--since", type=IsoDate(partial=True), help="Published on or after DATE.")(
        func
    )


def until_bound(until: str | None) -> str | None:
    """Make a partial --until inclusive: 2025-03 covers the whole of March."""
    if until is None or len(until) == 10:
        return until
    return until + "-99"
