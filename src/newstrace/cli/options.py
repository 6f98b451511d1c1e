"""Options and parameter types shared by several commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

from newstrace.errors import FilterError
from newstrace.settings import setting
from newstrace.store.filters import check_date_bound

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
            try:
                return check_date_bound(param.name if param else "date", text)
            except FilterError:
                pass
        self.fail(f"{text!r} is not a date in the form YYYY-MM-DD", param, ctx)


def json_option(func: F) -> F:
    """--json: print JSON (one object per line for listings) instead of a table."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(
        func
    )


def entity_option(what: str) -> Callable[[F], F]:
    """``--entity NAME|ID``: an actor of `newstrace entities`, resolved as every
    command resolves it (an ambiguous name lists the candidates and exits 2); `what`
    says what it selects."""
    return click.option(
        "--entity",
        help=f"{what}: an entity id, name or alias (`newstrace entities`); an ambiguous "
        "name lists the candidates.",
    )


def date_range_options(func: F) -> F:
    """--since and --until on publication dates."""
    func = click.option("--until", type=IsoDate(partial=True), help="Published on or before DATE.")(
        func
    )
    return click.option("--since", type=IsoDate(partial=True), help="Published on or after DATE.")(
        func
    )


def setting_option(name: str, *flags: str, **kwargs: Any) -> Callable[[F], F]:
    """A command-line option for the setting `name`, its help and type taken from the
    setting's declaration. The option's value is None unless given, so the environment,
    the config file and the default keep their turn (see `newstrace.settings`)."""
    declared = setting(name)
    flags = flags or ("--" + name.replace("_", "-"),)
    if declared.type == "bool":
        kwargs.setdefault("is_flag", True)
    else:
        kwargs.setdefault("type", {"int": int, "float": float}.get(declared.type, str))
    default = "" if declared.default == "" else f"; default {declared.default}"
    help_text = kwargs.pop("help", declared.help)
    return click.option(
        *flags, default=None, help=f"{help_text} [env {declared.env}{default}]", **kwargs
    )
