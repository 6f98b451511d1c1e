"""The `newstrace` command: global options, the command list, and the one place errors
become messages for people.

Exit codes: 0 success (some inputs may have failed: see the summary); 1 the whole
command failed (for ingest: every input failed); 2 bad usage or settings; 3 store
error; 4 not found; 5 the spaCy model cannot be loaded.
"""

from __future__ import annotations

import logging
import sys

import click

from newstrace.cli import (
    alert_cmd,
    articles_cmd,
    claims_cmd,
    entities_cmd,
    eval_cmd,
    events_cmd,
    export_cmd,
    extract_cmd,
    figures_cmd,
    groups_cmd,
    ingest_cmd,
    load_cmd,
    network_cmd,
    search_cmd,
    serve_cmd,
    timeline_cmd,
    watch_cmd,
)
from newstrace.cli.context import Context
from newstrace.cli.options import setting_option
from newstrace.errors import NewstraceError
from newstrace.settings import load_settings


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@setting_option("db")
@setting_option("model")
@setting_option("extractor", type=click.Choice(["model", "rules"]))
@click.option(
    "--config", type=click.Path(dir_okay=False), help="TOML config file. [default ./newstrace.toml]"
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="newstrace")
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    model: str | None,
    extractor: str | None,
    config: str | None,
    debug: bool,
) -> None:
    """Turn news articles into a record of who said what, about whom, when,
    with which figure, on whose authority.

    \b
    Typical use:
      newstrace ingest examples/          read, clean, dedupe, extract, store
      newstrace articles --search troops  list stored articles
      newstrace show ID                   one article with its claims
      newstrace claims --stance deny      claims across articles
      newstrace extract page.html --json  extract without a store
    """
    ctx.obj = Context(load_settings(config, db=db, model=model, extractor=extractor), debug)


for command in (
    ingest_cmd.ingest,
    extract_cmd.extract,
    articles_cmd.articles,
    articles_cmd.show,
    search_cmd.search,
    claims_cmd.claims,
    events_cmd.events,
    load_cmd.load,
    entities_cmd.entities,
    groups_cmd.groups,
    groups_cmd.contradictions,
    figures_cmd.figures,
    timeline_cmd.timeline,
    network_cmd.network,
    export_cmd.export,
    serve_cmd.serve,
    eval_cmd.eval_command,
    watch_cmd.watch,
    alert_cmd.alert,
):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    if debug:  # extraction warnings (e.g. a paragraph skipped) are shown only here
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        cli.main(args=argv, prog_name="newstrace", standalone_mode=False)
    except NewstraceError as exc:
        if debug:
            raise
        click.echo(f"newstrace: error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("newstrace: aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("newstrace: interrupted", err=True)
        return 130
    return 0
