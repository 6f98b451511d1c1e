"""Time to add 10 articles to stores of 1,000 and 20,000 synthetic articles.

Each store is filled through `Store.save` with synthetic records (no spaCy) and a sentence
vector per claim wording (random unit vectors: the encoder would take minutes for 20,000
articles, and matching reads only the stored vectors), analysed once in full; then 10 new
articles are saved and analysed with `update_analysis` (a warm-up, as a long-running
ingest is warm), and 10 more, whose `update_analysis` is timed on them alone (their
vectors stored first, as ingest does). The ratio of the two times shows whether the
incremental update depends on the store's size; the goal is <= 2. Wall and CPU time are
both reported (on a shared machine the CPU time is the steadier of the two).

The articles are made to exercise every rule the update runs: two figures each, counted
of holders in the news that week (`ACTIVE_HOLDERS` of 600 fictional ones, five units:
many series, some figures disagreeing); one article in `DENIAL_EVERY` has another body
deny a recent article's claim in four or five of its words (a denial answered from
elsewhere) or "the report" of its own article (a reference); one in `REPEAT_EVERY`
repeats a recent article's claim (answering the denials of it). Words and names are
made up, no two sharing the five letters the denial rules compare.

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


def _pseudo_words(count: int, seed: str, capital: bool = False) -> list[str]:
    """`count` made-up words of 6 to 8 letters, no two with the same first five (the
    word stems the denial rules compare): fictional words and names."""
    rng = random.Random(seed)
    found: dict[str, str] = {}
    while len(found) < count:
        word = "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(4))
        word = word[: rng.randrange(6, 9)]
        found.setdefault(word[:5], word.capitalize() if capital else word)
    return list(found.values())


FIRST = [f"Ana{n}" for n in range(300)]
LAST = [f"Berg{n}" for n in range(300)]
WORDS = _pseudo_words(5000, "words")
HOLDERS = _pseudo_words(600, "holders", capital=True)  # places and bodies figures count
DENIERS = _pseudo_words(200, "deniers", capital=True)  # "Korvath Directorate"
UNITS = ("troops", "cases", "users", "votes", "shells")
PER_DAY = 3  # articles a day
START = dt.date(2025, 1, 1)
ACTIVE_HOLDERS = 40  # holders in the news in any one week
DENIAL_EVERY = 4  # one article in so many denies a claim of a recent article
REPEAT_EVERY = 5  # one in so many repeats a claim of a recent article
RECENT = 60  # articles back that a denial or a repeat reaches


def _statements(n: int) -> list[str]:
    """The three statements of article `n` (the same whatever the store: a later article
    may deny or repeat one): content words around an auxiliary, as a clause."""
    rng = random.Random(f"statements-{n}")
    found = []
    for _ in range(3):
        chosen = rng.choices(WORDS, k=9)
        found.append(" ".join([*chosen[:2], "had", *chosen[2:]]))
    return found


def _holder(rng: random.Random, n: int) -> str:
    """A holder in the news in article `n`'s week (the holders change from week to week)."""
    week = n // (PER_DAY * 7)
    return HOLDERS[(week * 5 + rng.randrange(ACTIVE_HOLDERS)) % len(HOLDERS)]


def synthetic(rng: random.Random, n: int) -> Record:
    """One synthetic article: two people and an organisation making three claims, two of
    them with a figure of a holder of the week (series by holder and unit); in some, a
    claim of a recent article repeated, and another body denying a recent claim (four of
    its words: a denial whose group holds no assertion, answered from elsewhere; five:
    one grouped with it) or the report its article makes (a reference)."""
    people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(2)]
    org = f"Agency{rng.randrange(500)} Council"
    contents = _statements(n)
    if n % REPEAT_EVERY == 1 and n > RECENT:
        contents[2] = rng.choice(_statements(n - rng.randrange(1, RECENT)))
    figures = []
    for i in range(2):
        value, unit, holder = rng.randrange(100, 20000), rng.choice(UNITS), _holder(rng, n)
        figure = f"{value:,} {holder} {unit}"
        contents[i] = f"{figure} {contents[i]}"
        figures.append(f"{figure}|{value}|{unit}|{holder}")
    speakers = [*people, org]
    sentences = [f"{p} said {c}." for p, c in zip(speakers, contents, strict=True)]
    claims = [
        (speaker, content, "assert", figures[i] if i < 2 else None)
        for i, (speaker, content) in enumerate(zip(speakers, contents, strict=True))
    ]
    entities = [(people[0], "PERSON"), (people[1], "PERSON"), (org, "ORG")]
    if n % DENIAL_EVERY == 0 and n > RECENT:
        denier = f"{rng.choice(DENIERS)} Directorate"
        denied = _denial(rng, n)
        sentences.append(f"{denier} denied {denied}.")
        claims.append((denier, denied, "deny", None))
        entities.append((denier, "ORG"))
    day = (START + dt.timedelta(days=n // PER_DAY)).isoformat()
    text = " ".join(sentences)
    return make_record(f"s{n}", text, published=day, people=tuple(entities), claims=tuple(claims))


def _denial(rng: random.Random, n: int) -> str:
    """What article `n` denies: the report its article makes, or some words of a claim
    of a recent article."""
    kind = rng.randrange(3)
    if kind == 0:
        return "the report"
    words = rng.choice(_statements(n - rng.randrange(1, RECENT))).split()
    kept = sorted(rng.sample(range(len(words)), 4 if kind == 1 else 5))
    return "that " + " ".join(words[i] for i in kept if words[i] != "had")


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
