"""Rewrite the output blocks of docs/tutorial.md with what its commands print now.

Run:  python scripts/regenerate_tutorial.py

Runs every `.venv/bin/newstrace` step of the tutorial in a temporary folder holding the
demo corpus, exactly as tests/test_tutorial.py does, and replaces each ```text block
that follows a command with that command's output. Read the diff before committing:
the test pins whatever this writes.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from test_tutorial import _FENCE, TUTORIAL, _lines, _run, tutorial_steps  # noqa: E402


def main() -> None:
    markdown = TUTORIAL.read_text(encoding="utf-8")
    outputs: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        (cwd / "examples").symlink_to(REPO / "examples", target_is_directory=True)
        for step in tutorial_steps(markdown):
            result = _run(step.command, cwd)
            if result.returncode != 0:
                sys.exit(f"{step.command}: exit {result.returncode}: {result.stderr[-500:]}")
            if step.shown is not None:
                outputs[step.shown] = "\n".join(_lines(result.stdout)) + "\n"
    rewritten = _FENCE.sub(
        lambda m: (
            f"```text\n{outputs[m.group(2)]}```\n"
            if m.group(1) == "text" and m.group(2) in outputs
            else m.group(0)
        ),
        markdown,
    )
    TUTORIAL.write_text(rewritten, encoding="utf-8")
    print(f"{TUTORIAL}: {len(outputs)} output blocks written")


if __name__ == "__main__":
    main()
