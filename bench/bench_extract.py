"""Throughput of newstrace extraction against plain spaCy parsing, and its memory.

Run:  python bench/bench_extract.py [--limit N] [--compare-model FOLDER]

OPENBLAS_NUM_THREADS=1 is set before spaCy is imported, so both measurements
run single-threaded and are comparable. Texts: ../shared/corpus/polnear.jsonl
when present, else the text files in examples/, else a generated set. After a
warm-up, it times ``nlp.pipe`` with every component of the same model (before and
after the extractions, keeping the fastest), the full extraction (which includes the
parse) with each attribution extractor (the trained model, the default, and the rules),
and prints words/second for each, their ratios to spaCy (in wall-clock time, and in
CPU time, which a loaded machine disturbs less), and RSS at a quarter of the
corpus and at the end of each extraction (the peak is the process's so far). With
``--compare-model FOLDER`` it also times the model extractor with another attribution
model (a folder with its card, ONNX file and tokenizer) in the same run.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import resource
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from newstrace.extract import extract_records
from newstrace.models import Article
from newstrace.nlp import load_pipeline
from newstrace.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "polnear.jsonl"
WARMUP = 20


def load_articles(limit: int | None) -> list[Article]:
    """The benchmark texts, as articles (the headline line stripped)."""
    if CORPUS.is_file():
        articles = list(_corpus())
    else:
        files = sorted((ROOT / "examples").glob("*.txt"))
        texts = [p.read_text(encoding="utf-8") for p in files] or _generated()
        articles = [
            Article(id=f"a{i}", text=t, published="2025-03-10") for i, t in enumerate(texts)
        ]
    return articles[:limit] if limit else articles


def _corpus() -> Iterator[Article]:
    with CORPUS.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            text = row["text"]
            body = text.split("\n", 1)[1].lstrip("\n") if "\n" in text else text
            yield Article(id=row["id"], text=body, published=row.get("published"))


def _generated() -> list[str]:
    base = (
        'Gen. Ana Varga said on Saturday that "the bridgehead has been fully cleared." '
        "As many as 2,500 fighters have been killed since last June, according to two officials. "
    )
    return [base * 20 for _ in range(200)]


def rss_mib() -> float:
    """Current resident set size in MiB."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mib() -> float:
    """Peak resident set size so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_spacy(articles: list[Article], settings: Settings) -> tuple[float, float]:
    """Wall and CPU seconds (this process, all its threads) for plain ``nlp.pipe``."""
    nlp = load_pipeline(settings)
    start, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe((a.text for a in articles), batch_size=settings.batch_size):
        pass
    return time.perf_counter() - start, time.process_time() - cpu


def bench_extract(
    articles: list[Article], settings: Settings
) -> tuple[tuple[float, float], list[str]]:
    """Wall and CPU seconds for the full extraction, with memory notes at 1/4 and at the end."""
    quarter = max(1, len(articles) // 4)
    notes: list[str] = []
    start, cpu = time.perf_counter(), time.process_time()
    for n, _record in enumerate(extract_records(iter(articles), settings), 1):
        if n == quarter:
            notes.append(f"after {n:>4} docs: rss {rss_mib():7.1f} MiB, peak {peak_mib():7.1f} MiB")
    elapsed = (time.perf_counter() - start, time.process_time() - cpu)
    notes.append(
        f"after {len(articles):>4} docs: rss {rss_mib():7.1f} MiB, peak {peak_mib():7.1f} MiB"
    )
    return elapsed, notes


GOALS = {"model": 0.6, "rules": 0.8}


def main() -> None:
    """Warm up, measure spaCy and both extractors in one run, print the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N texts")
    parser.add_argument(
        "--compare-model",
        metavar="FOLDER",
        help="also time the model extractor with the attribution model in FOLDER",
    )
    args = parser.parse_args()
    settings = Settings()
    articles = load_articles(args.limit)
    words = sum(len(a.text.split()) for a in articles)
    warm = articles[:WARMUP]
    bench_spacy(warm, settings)
    runs = {name: replace(settings, extractor=name) for name in GOALS}
    if args.compare_model:
        runs[f"model {args.compare_model}"] = replace(
            settings, extractor="model", attribution_model=args.compare_model
        )
    for run in runs.values():
        bench_extract(warm, run)
    # spaCy is timed before and after the extractions (the first pass over a corpus also
    # fills the vocabulary), and the fastest pass is the baseline.
    spacy_times = [bench_spacy(articles, settings)]
    results = {}
    for name, run in runs.items():
        results[name] = bench_extract(articles, run)
        spacy_times.append(bench_spacy(articles, settings))
    spacy_wall = min(t[0] for t in spacy_times)
    spacy_cpu = min(t[1] for t in spacy_times)
    print(f"texts: {len(articles)}  words: {words}  model: {settings.model}")
    print(
        f"spaCy nlp.pipe (all components): {words / spacy_wall:9.0f} words/s  "
        f"({spacy_wall:.1f} s, {spacy_cpu:.1f} s CPU)"
    )
    for name, ((seconds, cpu), notes) in results.items():
        wps = words / seconds
        print(
            f"extraction --extractor {name} (incl. parse): {wps:9.0f} words/s  "
            f"({seconds:.1f} s, {cpu:.1f} s CPU)"
        )
        print(
            f"  ratio to spaCy: {spacy_wall / seconds:.2f}, in CPU time {spacy_cpu / cpu:.2f}  "
            f"(goal >= {GOALS[runs[name].extractor]:.2f})"
        )
        for note in notes:
            print(f"  {note}")


if __name__ == "__main__":
    main()
