"""The tutorial shows exactly what its commands print: every `.venv/bin/newstrace` line
of docs/tutorial.md is run, in order, in a folder holding the demo corpus, and a
```text block right after a command's block is compared with what it printed."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

REPO = Path(__file__).resolve().parents[1]
TUTORIAL = REPO / "docs" / "tutorial.md"
COMMAND = ".venv/bin/newstrace"
COLUMNS = "100"  # the width the tutorial's output is shown at (it says so)
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Step:
    """One command of the tutorial and the output it shows (None: output not shown)."""

    command: str
    shown: str | None


def tutorial_steps(markdown: str) -> list[Step]:
    """The tutorial's commands in order; a ```text block right after a ```bash block is
    the output of that block's last command."""
    blocks = [(m.group(1), m.group(2), m.start(), m.end()) for m in _FENCE.finditer(markdown)]
    steps: list[Step] = []
    for n, (lang, body, _, end) in enumerate(blocks):
        if lang != "bash":
            continue
        commands = [line.strip() for line in body.splitlines() if line.strip()]
        assert all(c.startswith(f"{COMMAND} ") for c in commands), (
            f"tutorial commands use the venv's newstrace ({COMMAND}): {commands}"
        )
        after = blocks[n + 1] if n + 1 < len(blocks) else None
        shown = (
            after[1]
            if after and after[0] == "text" and not markdown[end : after[2]].strip()
            else None
        )
        steps += [Step(c, None) for c in commands[:-1]]
        steps.append(Step(commands[-1], shown))
    return steps


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    args = shlex.split(command)
    assert args[0] == COMMAND
    env = {
        **os.environ,
        "COLUMNS": COLUMNS,
        "LINES": "50",
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    for name in ("NEWSTRACE_DB", "NO_COLOR", "FORCE_COLOR", "TERM"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "newstrace", *args[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip().splitlines()]


def test_tutorial_commands_use_the_venv() -> None:
    steps = tutorial_steps(TUTORIAL.read_text(encoding="utf-8"))
    assert len(steps) >= 6
    assert any("figures" in s.command and s.shown for s in steps), "the figure history is shown"


def test_tutorial_shows_what_its_commands_print(tmp_path: Path) -> None:
    (tmp_path / "examples").symlink_to(REPO / "examples", target_is_directory=True)
    for step in tutorial_steps(TUTORIAL.read_text(encoding="utf-8")):
        result = _run(step.command, tmp_path)
        assert result.returncode == 0, f"{step.command}: {result.stderr[-2000:]}"
        if step.shown is not None:
            assert _lines(result.stdout) == _lines(step.shown), step.command
    assert (tmp_path / "troops.png").stat().st_size > 1000
