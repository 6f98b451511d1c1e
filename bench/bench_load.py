"""The web interface under load: 20 concurrent clients against `newstrace serve`.

Run:  python bench/bench_load.py --db POLNEAR.db [--clients 20] [--seconds 5]

Copies the store (the ingest phase writes to it), starts ``newstrace serve`` on
127.0.0.1 in its own process, and for each page and API endpoint keeps `--clients`
asynchronous clients (httpx) requesting it back to back for `--seconds`, then prints
requests per second, p50 and p99 latency and errors. A static file answered by the
same server is measured the same way in the same run: what the box and the server
give at best. Then a second round runs while ``newstrace ingest`` adds articles to the
same store in another process (as a browser ingest job does). The goal: p99 under
300 ms for every listing page and endpoint. ``--wrk`` makes wrk (``apt install wrk``:
C, one thread) the load generator, which leaves more of a small box to the server
than the Python clients do. ``--cpu`` prints instead the CPU time
each path costs the server, in-process, which a busy box does not distort. Build the
store once with
``newstrace --db POLNEAR.db ingest ../shared/corpus/polnear.jsonl``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

STATIC = "/static/style.css"
PAGES = (
    "/articles",
    "/articles?search=trump",
    "/articles/{article}",
    "/claims",
    "/claims?stance=deny",
    "/claims/groups",
    "/claims/contradictions",
    "/entities",
    "/figures",
    "/timeline",
    "/network",
    "/search?q=trump",
    "/api/articles",
    "/api/claims",
    "/api/groups",
    "/api/contradictions",
    "/api/entities",
    "/api/figures/series",
    "/api/timeline",
    "/api/network",
    "/api/search?q=trump",
)
GOAL_MS = 300.0


@dataclass(frozen=True)
class Measured:
    """One endpoint under load."""

    path: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    percentiles: dict[float, float] | None = None  # ms by share, as wrk reports them
    server_cpu: float = float("nan")  # the server process's CPU seconds over the run

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms(self) -> float:
        """The server's CPU time a request (ms), HTTP parsing and middleware included."""
        return 1000 * self.server_cpu / max(1, self.requests)

    def percentile(self, share: float) -> float:
        """Latency in ms at `share` (0.5, 0.99) of the requests."""
        if self.percentiles is not None:
            return self.percentiles[share]
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# wrk's report of a run, one parseable line (latencies in microseconds)
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %d %f %f\\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(99)))
end
"""


def load_wrk(base: str, path: str, clients: int, seconds: float, script: Path) -> Measured:
    """`clients` connections of wrk (C, one thread) requesting `path` for `seconds`: a
    load generator that leaves the box's cores to the server."""
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "60s"]
    out = subprocess.run([*command, "-s", str(script), base + path],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    requests, errors, micros, p50, p99 = line.split()[1:]
    ms = {0.5: float(p50) / 1000, 0.99: float(p99) / 1000}
    return Measured(path, int(requests), int(errors), int(micros) / 1e6, [], ms)


async def _client(http: httpx.AsyncClient, path: str, until: float, out: list[float]) -> int:
    errors = 0
    while time.perf_counter() < until:
        start = time.perf_counter()
        try:
            response = await http.get(path)
            errors += response.status_code >= 400
        except httpx.HTTPError:
            errors += 1
        out.append(time.perf_counter() - start)
    return errors


async def load(base: str, path: str, clients: int, seconds: float) -> Measured:
    """`clients` clients requesting `path` back to back for `seconds`."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        latencies: list[float] = []
        start = time.perf_counter()
        until = start + seconds
        errors = await asyncio.gather(
            *(_client(http, path, until, latencies) for _ in range(clients))
        )
        elapsed = time.perf_counter() - start
    return Measured(path, len(latencies), sum(errors), elapsed, latencies)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def newstrace(*args: str) -> list[str]:
    return [sys.executable, "-m", "newstrace", *args]


def start_server(db: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(newstrace("--db", db, "serve", "--port", str(port)))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}{STATIC}", timeout=2)
            settle(server.pid)
            return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start")


def settle(pid: int, most: float = 120.0) -> None:
    """Wait until process `pid` is idle (under 5% of a core over a second): the server
    computes its analysis results in the background after it starts, which the first
    paths measured would otherwise pay for."""
    deadline = time.monotonic() + most
    while time.monotonic() < deadline:
        before = process_cpu(pid)
        time.sleep(1.0)
        if not process_cpu(pid) - before >= 0.05:  # NaN (no /proc) is idle too
            return


def first_article(base: str) -> str:
    items = httpx.get(f"{base}/api/articles?limit=1", timeout=60).json()["items"]
    return str(items[0]["id"])


def ingest_input(folder: Path, corpus: Path, count: int) -> Path:
    """`count` records of `corpus` under new ids: real extraction work for the store."""
    out = folder / "more.jsonl"
    with corpus.open() as source, out.open("w") as target:
        for number, line in enumerate(source):
            if number >= count:
                break
            record = json.loads(line)
            record["id"] = f"load-{number}"
            record.pop("url", None)
            target.write(json.dumps(record) + "\n")
    return out


def process_cpu(pid: int) -> float:
    """CPU seconds (user and system) process `pid` has used so far (Linux /proc), NaN
    where that cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_round(
    base: str,
    paths: list[str],
    clients: int,
    seconds: float,
    wrk: Path | None = None,
    server: int | None = None,
) -> list[Measured]:
    """Every path under load, the static file first (with `wrk`, its report script:
    wrk is the load generator); with `server`, its process id, what each path cost it
    in CPU time."""
    results = []
    for path in [STATIC, *paths]:
        httpx.get(base + path, timeout=60)  # warm: the first request may compute what is kept
        before = process_cpu(server) if server else float("nan")
        if wrk is not None:
            measured = load_wrk(base, path, clients, seconds, wrk)
        else:
            measured = asyncio.run(load(base, path, clients, seconds))
        if server:
            measured = replace(measured, server_cpu=process_cpu(server) - before)
        results.append(measured)
        print(f"  {row(measured)}", file=sys.stderr, flush=True)
    return results


def row(m: Measured, static: Measured | None = None) -> str:
    """One Markdown table row: with `static`, p50 and p99 also as multiples of the
    static file's (what a busy box does not change as much); the last cell says whether
    p99 meets the goal."""
    goal = "-" if m.path == STATIC else ("yes" if m.percentile(0.99) < GOAL_MS else "no")
    ratios = ""
    if static is not None:
        ratios = " | ".join(
            f"{m.percentile(share) / static.percentile(share):.1f}" for share in (0.5, 0.99)
        )
        ratios = f" {ratios} |"
    return (
        f"| `{m.path}` | {m.rate:.0f} | {m.percentile(0.5):.0f} | {m.percentile(0.99):.0f} "
        f"|{ratios} {m.cpu_ms:.1f} | {m.errors} | {goal} |"
    )


def table(title: str, results: list[Measured]) -> str:
    """The results of one round as a Markdown table (the static file first)."""
    head = (
        f"\n{title}\n\n| path | req/s | p50 ms | p99 ms | p50 / static | p99 / static "
        f"| server CPU ms a request | errors | p99 < {GOAL_MS:.0f} ms |"
        "\n|---|---:|---:|---:|---:|---:|---:|---:|---|"
    )
    return head + "\n" + "\n".join(row(m, results[0]) for m in results)


def cpu_costs(db: str, paths: list[str], repeat: int = 5) -> str:
    """Median CPU time of each path served in this process (TestClient), after one
    warm request to every path: what a request costs the server, whatever else the box
    runs."""
    from fastapi.testclient import TestClient

    from newstrace.web import WebConfig, create_app

    client = TestClient(create_app(WebConfig(db=db, kept_answers=0)))  # computed each time
    rows = ["| path | CPU ms a request |", "|---|---:|"]
    for path in [STATIC, *paths]:  # every kept result computed before anything is timed
        client.get(path)
    for path in [STATIC, *paths]:
        costs = []
        for _ in range(repeat):
            start = time.process_time()
            client.get(path)
            costs.append(1000 * (time.process_time() - start))
        rows.append(f"| `{path}` | {statistics.median(costs):.0f} |")
    return "\n".join(rows)


def main() -> None:
    """Measure both rounds and print the tables (Markdown)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a polnear store (SQLite file), copied")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument(
        "--corpus", default=str(Path(__file__).parents[2] / "shared/corpus/polnear.jsonl")
    )
    parser.add_argument(
        "--ingest", type=int, default=300, help="records ingested in round two (0: no round two)"
    )
    parser.add_argument("--only", default="", help="only paths containing this")
    parser.add_argument("--cpu", action="store_true", help="only the CPU time per request")
    parser.add_argument(
        "--wrk", action="store_true", help="load from wrk (apt install wrk), not httpx clients"
    )
    args = parser.parse_args()
    if args.cpu:
        paths = [p.replace("{article}", "x") for p in PAGES if args.only in p]
        print(cpu_costs(args.db, [p for p in paths if not p.endswith("/x")]))
        return
    folder = Path(tempfile.mkdtemp(prefix="newstrace-load-"))
    db = str(folder / "store.db")
    shutil.copy(args.db, db)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(db, port)
    wrk = None
    if args.wrk:
        wrk = folder / "report.lua"
        wrk.write_text(WRK_REPORT)
    try:
        article = first_article(base)
        paths = [p.format(article=article) for p in PAGES if args.only in p]
        print("round 1: idle server", file=sys.stderr)
        idle = run_round(base, paths, args.clients, args.seconds, wrk, server.pid)
        busy = None
        if args.ingest:
            busy = busy_round(
                folder, db, Path(args.corpus), args.ingest, base, paths, args, wrk, server.pid
            )
        server_pid = server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n{args.clients} clients ({'wrk' if args.wrk else 'httpx'}), {args.seconds:g} s a path, "
        f"{os.cpu_count()} cores, load {load}, server {server_pid}"
    )
    print(table("Idle server", idle))
    if busy is not None:
        print(
            table("While `newstrace ingest` runs" + ("" if busy[1] else " (ended early)"), busy[0])
        )


def busy_round(
    folder: Path,
    db: str,
    corpus: Path,
    count: int,
    base: str,
    paths: list[str],
    args: argparse.Namespace,
    wrk: Path | None,
    server: int,
) -> tuple[list[Measured], bool]:
    """The round measured while ``newstrace ingest`` adds `count` records of `corpus` to
    the store, and whether it was still running at the end."""
    more = ingest_input(folder, corpus, count)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    job = subprocess.Popen(
        newstrace("--db", db, "ingest", "--quiet", str(more)), env=env, stdout=subprocess.DEVNULL
    )
    print("round 2: while an ingest runs", file=sys.stderr)
    time.sleep(3)  # past the model load, into extraction and writes
    busy = run_round(base, paths, args.clients, args.seconds, wrk, server)
    still = job.poll() is None
    job.kill()
    job.wait()
    return busy, still


if __name__ == "__main__":
    main()
