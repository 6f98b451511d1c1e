"""Run the fuzz targets (tests/test_fuzz.py) for much longer than CI does.

    python scripts/fuzz.py                 # 20,000 examples per target
    python scripts/fuzz.py --examples 200000 -k feeds

Hypothesis keeps what it finds in .hypothesis/ and replays it first on the next run.
A finding is a failing example printed by pytest: add it to the findings at the end
of tests/test_fuzz.py as a named regression test, then fix the code.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    """Run pytest on the fuzz targets with many examples each; its exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20_000, help="examples per target")
    parser.add_argument("-k", default="", help="only targets matching this pytest -k expression")
    args = parser.parse_args()
    env = {**os.environ, "NEWSTRACE_FUZZ_EXAMPLES": str(args.examples)}
    command = [sys.executable, "-m", "pytest", "-q", "-m", "fuzz", "tests/test_fuzz.py"]
    if args.k:
        command += ["-k", args.k]
    return subprocess.call(command, cwd=REPO, env=env)


if __name__ == "__main__":
    sys.exit(main())
