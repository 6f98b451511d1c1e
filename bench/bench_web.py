"""Page times of the web interface on a synthetic store of 20,000 articles.

Run:  python bench/bench_web.py [--articles 20000] [--db PATH] [--repeat 5]

Builds the store once with `Store.save` and synthetic records (a few entities,
claims, figures and dates each; every tenth article a copy of another) and runs
the cross-article analysis on it, unless --db names an existing one, then
requests each page with the in-process TestClient and prints the time of the
first request (whole-store analysis results — contradictions, the network,
figure histories, timelines — are computed then and kept until the analysis
changes) and the median and worst of `--repeat` more; then the same for the
`newstrace figures` commands run in this process (store opened each time). The target
is under 300 ms a page or command.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import random
import statistics
import time
from pathlib import Path

from fastapi.testclient import TestClient

from newstrace.analysis import ensure_analysed
from newstrace.cli.main import main as cli_main
from newstrace.models import (
    Article,
    Claim,
    Entity,
    Figure,
    Measure,
    Record,
    Span,
    Speaker,
    TimeExpression,
)
from newstrace.store import Store, WriteInfo
from newstrace.web import WebConfig, create_app

ACTORS = ("Karsk", "Valdoria", "Ilan Brec", "Ana Varga", "Lena Orsk", "Ostra Mission", "Orn")
OUTLETS = ("northgate.example", "meridian.example", "borderlands.example", "wire.example")
STANCES = ("assert", "assert", "assert", "deny", "dispute", "unconfirmed")
PAGES = (
    "/articles",
    "/articles?search=troops%20Lisk",
    "/articles?outlet=meridian&since=2024-06",
    "/articles/b1000",
    "/claims",
    "/claims?stance=deny&sort=speaker&order=asc",
    "/claims?about=troops&offset=1000",
    "/claims/groups",
    "/claims/contradictions",
    "/entities",
    "/entities/Karsk",
    "/figures",
    "/figures?about=troops",
    "/figures?about=Karsk&series=karsk%7Ctroops%7Cdeployed%7Ctotal",
    "/figures?about=troops&first_only=true&offset=200",
    "/timeline?q=Lisk",
    "/network",
    "/search?q=Brec",
    "/search?q=troops%20Lisk",
    "/api/groups?limit=20",
    "/api/contradictions?limit=20",
    "/api/articles?limit=100",
    "/api/claims?limit=100",
    "/api/figures/series",
    "/api/figures?about=troops&limit=100",
)
CLI = (
    ("figures", "--series"),
    ("figures", "--about", "troops"),
    ("figures", "--about", "Karsk", "--json"),
)


def sentence(rng: random.Random, i: int) -> tuple[str, list[tuple[str, str, str]]]:
    """One attributed sentence and its (speaker, cue, content) parts."""
    who, about = rng.sample(ACTORS, 2)
    count = rng.choice((3000, 4000, 4500, 6000, 10000)) + i % 7
    content = f"{about} has about {count:,} troops near Lisk"
    return f"{who} said {content}. ", [(who, "said", content)]


def synthetic(i: int, rng: random.Random) -> Record:
    """A synthetic article with 4 claims, entities, figures and dates."""
    text = ""
    claims, figures, entities, times = [], [], {}, []
    for k in range(4):
        part, _ = sentence(rng, i + k)
        base = len(text)
        text += part + f"The report came on Monday in week {k}. "
        who = part.split(" said ")[0]
        content = part[len(who) + 6 : -2]
        c_start = base + len(who) + 6
        cid, fid, tid = f"c{k + 1}", f"f{k + 1}", f"t{k + 1}"
        number = content.split("about ")[1].split(" troops")[0]
        f_start = c_start + content.index("about ")
        counted = f_start + 6 + len(number) + 1
        holder = content.split(" has")[0]
        figures.append(
            Figure(
                fid,
                f_start,
                f_start + 6 + len(number),
                f"about {number}",
                float(number.replace(",", "")),
                None,
                None,
                "about",
                "troops",
                cid,
                measure=Measure("troops", counted, counted + 6, "troops"),
                holder=f"e{ACTORS.index(holder) + 1}",
                holder_name=holder,
                predicate="present",
            )
        )
        monday = text.index("Monday", base)
        times.append(
            TimeExpression(tid, monday, monday + 6, "Monday", f"2025-{1 + i % 12:02d}-07", "day")
        )
        entity = entities.setdefault(who, [])
        entity.append(Span(base, base + len(who), who))
        about = content.split(" has")[0]
        entities.setdefault(about, []).append(Span(c_start, c_start + len(about), about))
        claims.append(
            Claim(
                cid,
                "indirect",
                Speaker(who, base, base + len(who), f"e{ACTORS.index(who) + 1}"),
                Span(c_start, c_start + len(content), content),
                Span(base + len(who) + 1, base + len(who) + 5, "said"),
                stance=rng.choice(STANCES),
                hedged=rng.random() < 0.3,
                figure_ids=(fid,),
                time_ids=(tid,),
            )
        )
    ents = tuple(
        Entity(
            f"e{ACTORS.index(name) + 1}",
            name,
            "PERSON" if " " in name else "GPE",
            (name,),
            mentions=tuple(spans),
        )
        for name, spans in entities.items()
    )
    day = f"20{24 + i % 2}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    article = Article(
        id=f"b{i}",
        text=text,
        title=f"Troops near Lisk, report {i}",
        url=f"https://x.example/{i}",
        outlet=OUTLETS[i % 4],
        published=day,
        duplicate_of=f"b{i - 1}" if i % 10 == 0 and i else None,
    )
    return Record(article, ents, tuple(claims), tuple(figures), tuple(times))


def build(db: Path, n: int) -> None:
    """Write `n` synthetic articles."""
    rng = random.Random(7)
    started = time.perf_counter()
    with Store.open(str(db), create=True) as store:
        for i in range(n):
            record = synthetic(i, rng)
            digest = hashlib.sha256(record.article.text.encode()).hexdigest()
            store.save(record, WriteInfo(digest))
    print(f"built {n:,} articles in {time.perf_counter() - started:.0f} s: {db}")
    started = time.perf_counter()
    with Store.open(str(db)) as store:
        report = ensure_analysed(store)
    print(f"analysed {report.articles:,} articles in {time.perf_counter() - started:.0f} s")


def get_ms(client: TestClient, path: str) -> float:
    """Milliseconds of one request of `path` as a page."""
    started = time.perf_counter()
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    return (time.perf_counter() - started) * 1000


def measure(client: TestClient, path: str, repeat: int) -> tuple[float, float, float]:
    """First, median and worst milliseconds of `repeat` requests after the first."""
    first = get_ms(client, path)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, headers={"Accept": "text/html"})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    return first, statistics.median(times), max(times)


def cli_ms(db: Path, args: tuple[str, ...]) -> float:
    """Milliseconds of one `newstrace` command run in this process (store opened, query,
    output printed to a discarded stream; the interpreter's start is not counted)."""
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli_main(["--db", str(db), *args])
    assert code == 0, args
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/newstrace-bench-web.db"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.db.exists():
        build(args.db, args.articles)
    with Store.open(str(args.db)):  # a store built by an earlier version: migrated
        pass
    started = time.perf_counter()
    app = create_app(WebConfig(db=str(args.db), read_only=True, kept_answers=0))  # computed
    print(f"app start (analysis brought up to date): {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    app.state.analysis.warm().join()
    print(f"network and contradictions computed in {time.perf_counter() - started:.1f} s")
    client = TestClient(app)
    print(f"{'page':<48} {'first ms':>10} {'median ms':>10} {'worst ms':>10}")
    for path in PAGES:
        first, median, worst = measure(client, path, args.repeat)
        flag = "" if worst < 300 else "  (over 300 ms)"
        print(f"{path:<48} {first:>10.1f} {median:>10.1f} {worst:>10.1f}{flag}")
    for command in CLI:
        runs = [cli_ms(args.db, command) for _ in range(1 + args.repeat)]
        first, rest = runs[0], runs[1:]
        flag = "" if max(runs) < 300 else "  (over 300 ms)"
        name = "newstrace " + " ".join(command)
        print(
            f"{name:<48} {first:>10.1f} {statistics.median(rest):>10.1f} {max(rest):>10.1f}{flag}"
        )


if __name__ == "__main__":
    main()
