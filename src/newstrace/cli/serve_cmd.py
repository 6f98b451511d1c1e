"""`newstrace serve`: the local web application over the store."""

from __future__ import annotations

import ipaddress
import secrets

import click

from newstrace.cli.context import Context
from newstrace.cli.options import setting_option
from newstrace.errors import SettingsError

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
MIN_TOKEN_LENGTH = 16


def allowed_hosts(host: str) -> tuple[str, ...] | None:
    """The Host headers a server bound to `host` answers: on loopback the usual local
    names plus the bound address itself (127.0.0.2 is loopback too); beyond loopback
    any (the token guards it instead)."""
    if not is_loopback(host):
        return None
    return tuple(dict.fromkeys((*LOOPBACK_NAMES, host.strip("[]").lower())))


def check_token(host: str, token: str | None) -> None:
    """Refuse to bind beyond loopback without a token that is hard to guess."""
    if is_loopback(host):
        return
    example = f"e.g. --token {secrets.token_hex(16)}"
    if not token:
        raise SettingsError(
            f"{host}: binding beyond loopback needs a token (--token or NEWSTRACE_TOKEN); "
            + example
        )
    if len(token) < MIN_TOKEN_LENGTH or token != token.strip() or len(set(token)) < 4:
        raise SettingsError(
            f"{host}: the token is too weak to bind beyond loopback (at least "
            f"{MIN_TOKEN_LENGTH} characters, no surrounding spaces, not one repeated); " + example
        )


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@setting_option(
    "token",
    help="Required on every request (Authorization: Bearer, or open ?token= once). "
    "Needed to bind anything but loopback.",
)
@click.option(
    "--read-only",
    is_flag=True,
    help="Open the store read-only (a read-only file, or a PostgreSQL role that may only "
    "read: nothing is written, not even the analysis) and disable ingest from the browser.",
)
@setting_option(
    "allow_private",
    help="Let browser ingest fetch URLs on private, loopback and link-local addresses.",
)
@click.pass_obj
def serve(
    ctx: Context,
    host: str,
    port: int,
    token: str | None,
    read_only: bool,
    allow_private: bool | None,
) -> None:
    """Serve the web interface and JSON API (/api/openapi.json) over the store.

    \b
    Binds 127.0.0.1 by default. Binding another address needs a token:
      newstrace serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"
    Pages: /articles /claims /claims/groups /claims/contradictions /entities /figures
    /timeline /network /search /ingest

    The store must be there (`newstrace ingest` creates it). The cross-article
    analysis is brought up to date before the server starts (new or
    changed articles only; not with --read-only), and again after each ingest from the
    browser.
    """
    import uvicorn

    from newstrace.web import WebConfig, create_app

    settings = ctx.settings.with_overrides(allow_private=allow_private, token=token)
    check_token(host, settings.token)
    config = WebConfig.from_settings(
        settings, read_only=read_only, allowed_hosts=allowed_hosts(host)
    )
    if not read_only:
        from newstrace.store import Store

        Store.open(settings.db).close()  # a store that is not there: one line, before any
        click.echo(f"newstrace: bringing the analysis of {settings.db} up to date", err=True)
    app = create_app(config)
    shown = f"[{host}]" if ":" in host else host
    suffix = f"/?token={settings.token}" if settings.token else "/"
    click.echo(f"newstrace: serving {settings.db} at http://{shown}:{port}{suffix}", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
