"""How ingest scales: engines and workers on the same articles, and the store write cost.

Run:  python bench/bench_scale.py [--articles 2000] [--configs local:1,local:2,ray:1,ray:2]
                                  [--pg postgresql://...] [--writes 500]

Articles: ../shared/corpus/polnear.jsonl repeated with distinct ids up to --articles
(else the demo corpus in examples/ repeated). Each configuration ingests them into a
fresh SQLite store in a subprocess (``newstrace ingest --engine E --workers N``); it
reports articles/second, the ratio to one local process measured in the same run, and
the peak resident memory of each process of the run (from /proc VmHWM, sampled).
Then it times `Store.save` of already-extracted records on SQLite and, with --pg (or
NEWSTRACE_TEST_PG), PostgreSQL: the cost per article of the store write.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "polnear.jsonl"


def build_corpus(count: int, path: Path) -> None:
    """`count` articles with distinct ids, cycling through the source corpus."""
    if CORPUS.is_file():
        base = [json.loads(line) for line in CORPUS.open()]
    else:
        base = [
            {"id": p.stem, "text": p.read_text(), "published": p.name[:10]}
            for p in sorted((ROOT / "examples" / "text").glob("*.txt"))
        ]
    with path.open("w") as handle:
        for i in range(count):
            record = dict(base[i % len(base)])
            record["id"] = f"{record['id']}#{i // len(base)}"
            # A distinct first line, so copies are not all one near-duplicate group.
            record["text"] = f"Copy {i // len(base)} of this story.\n\n" + record["text"]
            handle.write(json.dumps(record) + "\n")


class PeakMemory(threading.Thread):
    """Samples VmHWM (peak RSS) of a process and all its descendants until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peaks, self.stopped = pid, {}, threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.5):
            for pid in _descendants(self.root):
                peak = _vm_hwm_mib(pid)
                if peak:
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), peak)


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _vm_hwm_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_config(engine: str, workers: int, corpus: Path, folder: Path) -> dict[str, object]:
    """Ingest the corpus once with one engine configuration; time and memory."""
    db = folder / f"{engine}-{workers}.db"
    command = [
        sys.executable,
        "-m",
        "newstrace",
        "--db",
        str(db),
        "ingest",
        "-q",
        "--json",
        "--engine",
        engine,
        "--workers",
        str(workers),
        str(corpus),
    ]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    sampler = PeakMemory(proc.pid)
    sampler.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.stopped.set()
    summary = json.loads(out.decode().strip().splitlines()[-1])
    peaks = sorted(sampler.peaks.values(), reverse=True)
    return {
        "engine": engine,
        "workers": workers,
        "seconds": round(seconds, 1),
        "articles": summary["new"],
        "failed": len(summary["failed"]),
        "articles_per_s": round(summary["new"] / seconds, 2),
        "peak_mib_top_processes": [round(p) for p in peaks[: workers + 2]],
    }


def store_write_cost(db: str, source_db: Path, writes: int) -> float:
    """Milliseconds per article to write extracted records into the store at `db`."""
    from newstrace.store import Store, WriteInfo

    with Store.open(str(source_db)) as source:
        records = [source.record(a.id) for a in source.articles(limit=writes)]
    with Store.open(db, create=True) as store:
        start = time.perf_counter()
        for record in records:
            store.save(record, WriteInfo("bench"))
        return (time.perf_counter() - start) * 1000 / len(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--configs", default="local:1,local:2,ray:1,ray:2")
    parser.add_argument("--pg", default=os.environ.get("NEWSTRACE_TEST_PG", ""))
    parser.add_argument("--writes", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        build_corpus(args.articles, corpus)
        results = []
        for config in args.configs.split(","):
            engine, workers = config.split(":")
            results.append(run_config(engine, int(workers), corpus, folder))
            print(json.dumps(results[-1]), flush=True)
        base = next((r for r in results if r["engine"] == "local" and r["workers"] == 1), None)
        header = (
            "| engine | workers | articles/s | ratio to 1 process | peak RSS per process (MiB) |"
        )
        print("\n" + header)
        print("|---|---|---|---|---|")
        for r in results:
            ratio = float(r["articles_per_s"]) / float(base["articles_per_s"]) if base else 0.0  # type: ignore[arg-type]
            print(
                f"| {r['engine']} | {r['workers']} | {r['articles_per_s']} | {ratio:.2f} | "
                f"{', '.join(map(str, r['peak_mib_top_processes']))} |"
            )
        source = folder / f"{results[0]['engine']}-{results[0]['workers']}.db"
        sqlite_ms = store_write_cost(str(folder / "write.db"), source, args.writes)
        print(f"\nstore write, SQLite: {sqlite_ms:.2f} ms/article")
        if args.pg:
            pg_ms = store_write_cost(_fresh_pg(args.pg), source, args.writes)
            print(f"store write, PostgreSQL: {pg_ms:.2f} ms/article")


def _fresh_pg(admin_url: str) -> str:
    import psycopg

    name = f"nt_bench_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


if __name__ == "__main__":
    main()
