"""`newstrace watch run` over 50 local feeds: memory over time and requests per host.

Run:  python bench/bench_watch.py [--feeds 50] [--hosts 10] [--minutes 10] [--every 60]

Serves `--feeds` RSS feeds from `--hosts` HTTP servers on loopback addresses
(127.0.0.2, 127.0.0.3, ...: each its own host to the watcher), every feed watched at
`--every` seconds. The feeds grow as time passes (each gains a fictional article every
`--grow` seconds, the feeds out of step), answer 304 to a matching If-None-Match, and
every server logs its requests. ``newstrace watch run`` runs in its own process for
`--minutes` minutes (a scaled-down run: fewer minutes, or a shorter `--every`), its
resident memory (with its children) sampled every few seconds; then it gets SIGTERM.
Printed: RSS over time (peak per minute, and the last minute's peak against the
first's), the most requests one host received in any minute (and the pace the watcher
was set to), requests, 304s and articles ingested.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import psutil

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from newstrace.store import Store  # noqa: E402
from newstrace.store.watch import add_source  # noqa: E402

PLACES = ["Orn", "Lisk", "Tel", "Marn", "Ostra", "Vesk", "Dalm", "Karsk"]


class Feeds:
    """The content of every feed at a moment, and the log of requests per host."""

    def __init__(self, feeds_per_host: int, grow: float, start: float) -> None:
        self.feeds_per_host, self.grow, self.start = feeds_per_host, grow, start
        self.hits: list[tuple[float, str, int]] = []  # (time, host, status)
        self.lock = threading.Lock()

    def items(self, host: int, feed: int, now: float) -> int:
        """How many articles the feed holds at `now` (3 at start, then one per `grow`)."""
        offset = (host * self.feeds_per_host + feed) * self.grow / 50
        return 3 + max(0, int((now - self.start + offset) // self.grow))

    def body(self, host: int, feed: int, count: int, base: str) -> bytes:
        entries = "".join(_entry(host, feed, n, base) for n in range(max(0, count - 20), count))
        return (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Bench wire {host}-{feed}</title><link>{base}/</link>{entries}</channel></rss>"
        ).encode()


def _entry(host: int, feed: int, n: int, base: str) -> str:
    place = PLACES[(host + feed + n) % len(PLACES)]
    text = (
        f"Officials in {place} said on day {n} that {100 + 7 * n + feed} families had "
        f"returned to the district, according to the regional council of host {host}. "
        f"A spokesman, Ilan Brec, said {n + 2} bridges near {place} would reopen by the "
        f"end of the month. Residents of feed {feed} said the roads were still closed."
    )
    link = f"{base}/news/{feed}/{n}"
    return (
        f"<item><title>{place} update {host}-{feed}-{n}</title><link>{link}</link>"
        f"<guid>{link}</guid><pubDate>{formatdate(1741600000 + n * 3600, usegmt=True)}</pubDate>"
        f"<description>{escape(text)}</description></item>"
    )


def _handler(feeds: Feeds, host: int) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            now = time.time()
            base = f"http://{self.headers.get('Host')}"
            status, body, etag = 404, b"", None
            if self.path == "/robots.txt":
                status, body = 200, b"User-agent: *\nDisallow: /private/\n"
            elif self.path.startswith("/feed") and self.path.endswith(".xml"):
                feed = int(self.path[5:-4])
                count = feeds.items(host, feed, now)
                etag = f'"{count}"'
                status = 304 if self.headers.get("If-None-Match") == etag else 200
                body = b"" if status == 304 else feeds.body(host, feed, count, base)
            with feeds.lock:
                feeds.hits.append((now, f"127.0.0.{host + 2}", status))
            self.send_response(status)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def serve(feeds: Feeds, hosts: int) -> list[ThreadingHTTPServer]:
    """One server per loopback address, on one free port each."""
    servers = []
    for host in range(hosts):
        server = ThreadingHTTPServer((f"127.0.0.{host + 2}", 0), _handler(feeds, host))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


def newstrace(db: str, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "newstrace", "--db", db, *args]
    return subprocess.Popen(
        command, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def rss_mib(process: psutil.Process) -> float:
    """Resident memory of a process and its children, in MiB."""
    try:
        members = [process, *process.children(recursive=True)]
        return sum(p.memory_info().rss for p in members) / 2**20
    except psutil.Error:
        return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument(
        "--every", type=float, default=60.0, help="seconds between fetches of a feed"
    )
    parser.add_argument(
        "--grow", type=float, default=300.0, help="seconds between new items of a feed"
    )
    parser.add_argument("--interval", type=float, default=1.0, help="watch_host_interval")
    parser.add_argument("--extractor", default="rules", choices=["rules", "model"])
    args = parser.parse_args()

    per_host = -(-args.feeds // args.hosts)
    feeds = Feeds(per_host, args.grow, time.time())
    servers = serve(feeds, args.hosts)
    env = {
        **os.environ, "PYTHONPATH": str(SRC), "NEWSTRACE_ALLOW_PRIVATE": "1",
        "NEWSTRACE_EXTRACTOR": args.extractor, "NEWSTRACE_WATCH_HOST_INTERVAL": str(args.interval),
    }  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as tmp:
        db = str(Path(tmp) / "watch.db")
        with Store.open(db, create=True) as store:
            for n in range(args.feeds):
                host, port = servers[n % args.hosts].server_address[:2]
                url = f"http://{host}:{port}/feed{n // args.hosts}.xml"
                add_source(store, url, "feed", args.every, None, time.time())
        runner = newstrace(db, "watch", "run", "--json", env=env)
        process = psutil.Process(runner.pid)
        started, samples = time.time(), []
        while time.time() - started < args.minutes * 60 and runner.poll() is None:
            samples.append((time.time() - started, rss_mib(process)))
            time.sleep(5)
        runner.send_signal(signal.SIGTERM)
        out, err = runner.communicate(timeout=300)
        passes = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        listing = newstrace(db, "watch", "list", "--json", env=env).communicate()[0]
    report(args, feeds, samples, passes, listing, started, runner.returncode, err)


def report(
    args: argparse.Namespace, feeds: Feeds, samples: list[tuple[float, float]],
    passes: list[dict[str, object]], listing: str, started: float, code: int | None, err: str,
) -> None:  # fmt: skip
    per_minute: dict[int, float] = {}
    for at, mib in samples:
        per_minute[int(at // 60)] = max(per_minute.get(int(at // 60), 0.0), mib)
    host_minutes = Counter((host, int((at - started) // 60)) for at, host, _ in feeds.hits)
    statuses = Counter(status for _, _, status in feeds.hits)
    sources = [json.loads(line) for line in listing.splitlines() if line.strip()]
    ingested = sum(int(s["ingested"]) for s in sources)
    print(f"watch run: {args.feeds} feeds on {args.hosts} hosts every {args.every:g}s, "
          f"{args.minutes:g} min, extractor {args.extractor}, exit {code}")  # fmt: skip
    print(
        "peak RSS per minute (MiB): "
        + ", ".join(f"{m}: {v:.0f}" for m, v in sorted(per_minute.items()))
    )
    if len(per_minute) > 1:
        first, last = per_minute[min(per_minute)], per_minute[max(per_minute)]
        print(f"last/first minute peak RSS: {last / first:.2f} ({first:.0f} -> {last:.0f} MiB)")
    busiest = max(host_minutes.values()) if host_minutes else 0
    pace = f"at most {60 / args.interval:.0f}/min at {args.interval:g}s apart"
    load = f"{args.feeds // args.hosts} feeds a host every {args.every:g}s"
    print(f"max requests to one host in one minute: {busiest} ({pace}; {load})")
    errors = sum(v for k, v in statuses.items() if k >= 400)
    print(
        f"requests: {len(feeds.hits)} ({statuses.get(200, 0)} x 200, {statuses.get(304, 0)} "
        f"x 304, {errors} errors); passes with fetches: {len(passes)}"
    )
    unhealthy = sum(not s["healthy"] for s in sources)
    print(f"articles stored: {ingested}; unhealthy sources: {unhealthy}")
    if code != 0:
        print(err[-2000:])


if __name__ == "__main__":
    main()
