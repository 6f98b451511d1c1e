"""Time to add 10 articles to stores of 1,000 and 20,000 synthetic articles.

Each store is filled through `Store.save` with synthetic records (no spaCy) and a sentence
vector per claim wording (random unit vectors: the encoder would take minutes for 20,000
articles, and matching reads only the stored vectors), analysed once in full; then 10 new
articles are saved and analysed with `update_analysis` (a warm-up, as a long-running
ingest is warm), and 10 more, whose `update_analysis` is timed on them alone (their
vectors stored first, as ingest does). The ratio of the two times shows whether the
incremental update depends on the store's size; the goal is <= 2. Wall and CPU time are
both reported (on a shared machine the CPU time is the steadier of the two).

A store grows with time: articles come at `PER_DAY` a day (the 1,000-article store spans
333 days, the 20,000-article one 18 years), so a new article meets as many reports of
its series about the same week in either store. (Packed into the same year, the larger
store would hold 20 times the news of each week: every new figure would then truly
disagree with 20 times the reports, and the contradictions to write would grow with it.)

    python bench/bench_incremental.py [--sizes 1000,20000] [--new 10] [--keep DIR]

`--keep DIR` keeps each analysed store in DIR (`bench-SIZE.db`) and later runs start
from a copy of it, so that repeated runs do not fill and analyse the stores again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import numpy as np

from analysis_helpers import make_record, save
from newstrace.analysis import ensure_analysed, update_analysis
from newstrace.models import Record
from newstrace.store import Store
from newstrace.store.vectors import pack, save_vectors, stored_hashes, text_hash

FIRST = [f"Ana{n}" for n in range(300)]
LAST = [f"Berg{n}" for n in range(300)]
WORDS = [f"word{n}" for n in range(5000)]
UNITS = ("troops", "cases", "users", "votes", "shells")
PER_DAY = 3  # articles a day
START = dt.date(2025, 1, 1)


def synthetic(rng: random.Random, n: int) -> Record:
    """One synthetic article: two people, an organisation, three claims, one figure."""
    people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(2)]
    org = f"Agency{rng.randrange(500)} Council"
    value = rng.randrange(100, 20000)
    figure = f"{value:,} {rng.choice(UNITS)}"
    contents = [" ".join(rng.choices(WORDS, k=10)) for _ in range(3)]
    contents[0] = f"{figure} {contents[0]}"
    sentences = [f"{p} said {c}." for p, c in zip([*people, org], contents, strict=True)]
    text = " ".join(sentences)
    claims = tuple(
        (speaker, content, "assert", f"{figure}|{value}|{figure.split()[1]}" if i == 0 else None)
        for i, (speaker, content) in enumerate(zip([*people, org], contents, strict=True))
    )
    entities = ((people[0], "PERSON"), (people[1], "PERSON"), (org, "ORG"))
    day = (START + dt.timedelta(days=n // PER_DAY)).isoformat()
    return make_record(f"s{n}", text, published=day, people=entities, claims=claims)


def add(store: Store, record: Record, rng: random.Random) -> None:
    """Save a record and a random unit vector for each new claim wording."""
    save(store, record)
    generator = np.random.default_rng(rng.randrange(2**32))
    hashes = [text_hash(c.content.text) for c in record.claims]
    with store.writing() as conn:
        known = set(stored_hashes(conn, hashes))
        vectors = {}
        for h in dict.fromkeys(hashes):
            if h not in known:
                v = generator.standard_normal(384).astype(np.float32)
                vectors[h] = pack(v / np.linalg.norm(v))
        save_vectors(conn, "random", vectors)


def build(size: int, path: Path) -> None:
    """Fill a store of `size` synthetic articles at `path` and analyse it in full."""
    rng = random.Random(size)
    store = Store.open(str(path), create=True)
    start = time.perf_counter()
    for n in range(size):
        add(store, synthetic(rng, n), rng)
    filled = time.perf_counter()
    ensure_analysed(store)
    analysed = time.perf_counter()
    store.close()
    print(
        f"store {size:>6}: fill {filled - start:6.1f} s, full analysis {analysed - filled:6.1f} s",
        flush=True,
    )


def run(size: int, new: int, folder: Path, keep: Path | None) -> tuple[float, float]:
    """Wall and CPU seconds to analyse `new` articles added to an analysed store of `size`."""
    path = folder / f"bench-{size}.db"
    if keep is None:
        build(size, path)
    else:
        kept = keep / f"bench-{size}.db"
        if not kept.exists():
            build(size, kept)
        for suffix in ("", "-wal"):  # a store closed cleanly has no WAL left
            if Path(f"{kept}{suffix}").exists():
                shutil.copyfile(f"{kept}{suffix}", f"{path}{suffix}")
    rng = random.Random(f"new-{size}")
    store = Store.open(str(path))
    for first in (size, size + new):  # the first round warms the process (compiled
        # queries, the page cache), as a long-running ingest is: only the second is timed
        ids = []
        for n in range(first, first + new):
            record = synthetic(rng, n)
            add(store, record, rng)
            ids.append(record.article.id)
        begin, cpu = time.perf_counter(), time.process_time()
        update_analysis(store, ids)
        took, took_cpu = time.perf_counter() - begin, time.process_time() - cpu
    print(
        f"store {size:>6}: add {new} articles {took * 1000:7.1f} ms "
        f"(CPU {took_cpu * 1000:7.1f} ms)",
        flush=True,
    )
    store.close()
    return took, took_cpu


def main() -> None:
    """Run the benchmark and print the ratio of the largest to the smallest store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,20000")
    parser.add_argument("--new", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="keep the analysed stores here")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        times = [run(size, args.new, Path(tmp), args.keep) for size in sizes]
    (wall, cpu), (wall0, cpu0) = times[-1], times[0]
    print(f"ratio {sizes[-1]} / {sizes[0]}: {wall / wall0:.2f} (CPU {cpu / cpu0:.2f})")


if __name__ == "__main__":
    main()
