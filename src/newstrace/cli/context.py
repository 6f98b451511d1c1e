"""What every command receives from the `newstrace` group."""

from __future__ import annotations

from dataclasses import dataclass

from newstrace.settings import Settings


@dataclass
class Context:
    """The settings (flags > environment > config file > defaults) and the --debug flag."""

    settings: Settings
    debug: bool
