"""What every evaluation task returns: metrics, counts and the errors for people to read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class EvalResult:
    """The scores of one task on one data set.

    `errors` are misses, false alarms and mismatches as plain JSON objects (each has a
    ``kind`` and a ``doc``); `--errors FILE` writes them one per line.
    """

    task: str
    dataset: str
    split: str | None
    n_docs: int
    metrics: dict[str, float]
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` summary (errors left out)."""
        return {
            "task": self.task,
            "dataset": self.dataset,
            "split": self.split,
            "n_docs": self.n_docs,
            "metrics": self.metrics,
        }
