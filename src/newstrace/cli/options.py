"""Options and parameter types shared by several commands."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import click

from newstrace.cli.context import Context
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


PAGE_SIZE = setting("page_size").default
Format = Literal["table", "json", "csv", "tsv"]
FORMATS: tuple[Format, ...] = ("table", "json", "csv", "tsv")


@dataclass(frozen=True)
class Listing:
    """How one listing is printed: `limit` rows (None: all) after `offset`, as `format`."""

    limit: int | None
    offset: int
    format: Format


def listing_options(noun: str) -> Callable[[F], F]:
    """The options of every listing, one convention: ``--limit/-n N`` rows (default: the
    ``page_size`` setting), ``--offset N``, ``--all``, and ``--format table|json|csv|tsv``
    with ``--json``, ``--csv`` and ``--tsv`` as its short forms. The command receives
    them as one `Listing` argument, ``listing``."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            kwargs["listing"] = _listing(kwargs)
            return func(*args, **kwargs)

        options = [
            click.option("--limit", "-n", type=click.IntRange(min=1),
                         help=f"Show N {noun} [env NEWSTRACE_PAGE_SIZE; default {PAGE_SIZE}]."),
            click.option("--offset", type=click.IntRange(min=0), default=0,
                         help=f"Skip the first N {noun}."),
            click.option("--all", "all_rows", is_flag=True, help=f"Show every {noun[:-1]}."),
            click.option("--format", "fmt", type=click.Choice(FORMATS),
                         help="table (default), json (one object a line), csv or tsv."),
            click.option("--json", "as_json", is_flag=True, help="Same as --format json."),
            click.option("--csv", "as_csv", is_flag=True, help="Same as --format csv."),
            click.option("--tsv", "as_tsv", is_flag=True, help="Same as --format tsv."),
        ]  # fmt: skip
        for option in reversed(options):
            command = option(command)
        return command  # type: ignore[return-value]

    return decorate


def _listing(kwargs: dict[str, Any]) -> Listing:
    """Take the listing options out of a command's arguments."""
    chosen = [f for f, flag in (("json", "as_json"), ("csv", "as_csv"), ("tsv", "as_tsv"))
              if kwargs.pop(flag)]  # fmt: skip
    given: Format | None = kwargs.pop("fmt")
    if given:
        chosen.append(given)
    if len(set(chosen)) > 1:
        raise click.UsageError(f"choose one output format, not {' and '.join(sorted(chosen))}")
    limit, offset, all_rows = kwargs.pop("limit"), kwargs.pop("offset"), kwargs.pop("all_rows")
    if all_rows and limit is not None:
        raise click.UsageError("--all and --limit: choose one")
    if limit is None and not all_rows:
        limit = click.get_current_context().find_object(Context).settings.page_size  # type: ignore[union-attr]
    fmt: Format = chosen[0] if chosen else "table"  # type: ignore[assignment]
    return Listing(None if all_rows else limit, offset, fmt)
