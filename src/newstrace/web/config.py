"""What the web application needs to know, decided once when it is created."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field


@dataclass(frozen=True)
class WebConfig:
    """Options of one running web application.

    `token`, when set, is required on every request. `read_only` disables ingest.
    `allow_private` is handed to the ingest subprocess (URLs on private networks).
    `allowed_hosts`, when set, rejects requests whose Host header is not listed
    (a guard against DNS rebinding when bound to loopback).
    """

    db: str
    token: str | None = None
    read_only: bool = False
    allow_private: bool = False
    model: str | None = None
    config_path: str | None = None
    allowed_hosts: tuple[str, ...] | None = None
    max_upload_bytes: int = 50_000_000
    python: str = field(default=sys.executable)
