"""What the web application needs to know, decided once when it is created."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields
from typing import Any

from newstrace.settings import Settings


@dataclass(frozen=True)
class WebConfig(Settings):
    """The settings of one running web application: every `Settings` field (the store
    `db`, `token`, `allow_private`, `max_input_bytes` for uploads, ...), declared there
    once, and what only the server decides.

    `token`, when set, is required on every request. `read_only` disables ingest.
    `allow_private` is handed to the ingest subprocess (URLs on private networks).
    `allowed_hosts`, when set, rejects requests whose Host header is not listed
    (a guard against DNS rebinding when bound to loopback). `kept_answers`: how many
    answers of listing pages and endpoints are kept while the store is unchanged
    (`web.kept`; 0 computes each request, as the benchmarks of a page's cost need).
    """

    read_only: bool = False
    config_path: str | None = None
    allowed_hosts: tuple[str, ...] | None = None
    python: str = field(default=sys.executable)
    kept_answers: int = 256

    @classmethod
    def from_settings(cls, settings: Settings, **web: Any) -> WebConfig:
        """`settings` with the server's own options `web` added."""
        return cls(**{f.name: getattr(settings, f.name) for f in fields(Settings)}, **web)
