"""Page times of the web interface on a synthetic store of 20,000 articles.

Run:  python bench/bench_web.py [--articles 20000] [--db PATH] [--repeat 5]

Builds the store once with `Store.save` and synthetic records, unless --db names an
existing one: stories of STORY articles, each article reporting its story's four
figures (troops, cases, jobs, votes, arrests, one sector each, held by one of 60
places or actors) in its own words (its speakers, cues, adverbs; one figure in five
another value), every tenth article a copy of the one before; then runs the
cross-article analysis on it. Then it requests each page with the in-process
TestClient and prints the time of the first request (whole-store results, the
network, figure series and histories, timelines, are computed then and kept while the
store is unchanged) and the median and worst of `--repeat` more; then the same for
the `newstrace figures`, `groups` and `contradictions` commands run in this process
(store opened each time). The target is under 300 ms a page or command.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import random
import statistics
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
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
STANCES = ("assert", "assert", "assert", "assert", "assert", "deny", "dispute", "unconfirmed")
CUES = ("said", "says", "reported", "claimed", "stated", "told reporters")
NOW = ("now", "so far", "by then", "this week", "again", "still")
SYLLABLES = ("lis", "kar", "os", "tra", "val", "do", "ria", "brec", "ved", "mun", "sel", "zor")
# Each sector words its figures its own way: (template, measure, predicate). A template
# names the holder, an adverb, the number ("about N"), the measure and a place.
SECTORS = (
    ("{holder} {now} has about {n} troops near {place}", "troops", "present"),
    ("{holder} {now} counted about {n} cholera cases in {place}", "cases", None),
    ("{holder} {now} lost about {n} factory jobs in {place}", "jobs", "lost"),
    ("{holder} {now} won about {n} votes in {place}", "votes", "won"),
    ("{holder} {now} arrested about {n} protesters in {place}", "protesters", "arrested"),
)
STORY = 6  # articles a story runs in (different outlets, speakers and wordings)
STORIES_PER_DAY = 5
PAGES = (
    "/articles",
    "/articles?search=troops%20Lisk",
    "/articles?outlet=meridian&since=2024-06",
    "/articles/b777",
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
    ("groups",),
    ("contradictions",),
)


def places(rng: random.Random, n: int) -> list[str]:
    """`n` fictional place names of two or three syllables."""
    names: set[str] = {"Lisk"}
    while len(names) < n:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).title())
    return sorted(names)


PLACES = places(random.Random(3), 180)
HOLDERS = ("Karsk", "Valdoria", "Orn", *PLACES[120:])  # whose figures: the series' holders
PLACES = PLACES[:120]


@dataclass(frozen=True)
class Fact:
    """One figure a story reports: whose, what, where and how many."""

    sector: int
    holder: str
    place: str
    value: int


def story_facts(story: int) -> list[Fact]:
    """The four facts of story `story`, the same in every article that runs it."""
    rng = random.Random(story)
    return [
        Fact(
            (story + k) % len(SECTORS), rng.choice(HOLDERS), rng.choice(PLACES),
            rng.randrange(20, 2_000) * 10,
        )
        for k in range(4)
    ]  # fmt: skip


def synthetic(i: int, rng: random.Random) -> Record:
    """Article `i`: one of the STORY articles of its story, whose four facts it reports
    in its own words (its own speakers, cues and adverbs; now and then another value:
    a revision or a clash), or, every tenth article, a copy of the one before it."""
    story = i // STORY
    text = ""
    claims, figures, entities, times = [], [], {}, []
    ids: dict[str, str] = {}  # entity ids of the article, by name
    for k, fact in enumerate(story_facts(story)):
        who = rng.choice([a for a in ACTORS if a != fact.holder])
        cue = rng.choice(CUES)
        value = fact.value if rng.random() < 0.8 else fact.value + rng.randrange(1, 50) * 10
        template, measure, predicate = SECTORS[fact.sector]
        content = template.format(
            holder=fact.holder, now=rng.choice(NOW), n=f"{value:,}", place=fact.place
        )
        base = len(text)
        c_start = base + len(who) + 1 + len(cue) + 1
        text += f"{who} {cue} {content}. It came on Monday. "
        cid, fid, tid = f"c{k + 1}", f"f{k + 1}", f"t{k + 1}"
        f_start = c_start + content.index("about ")
        number = f"{value:,}"
        counted = f_start + 6 + len(number) + 1
        for name in (who, fact.holder):
            ids.setdefault(name, f"e{len(ids) + 1}")
        figures.append(
            Figure(
                fid, f_start, f_start + 6 + len(number), f"about {number}", float(value),
                None, None, "about", measure, cid,
                measure=Measure(measure, counted, counted + len(measure), measure),
                holder=ids[fact.holder], holder_name=fact.holder, place=fact.place,
                predicate=predicate, as_of=tid,
            )
        )  # fmt: skip
        monday = text.index("Monday", c_start)
        times.append(TimeExpression(tid, monday, monday + 6, "Monday", published(story), "day"))
        entities.setdefault(who, []).append(Span(base, base + len(who), who))
        entities.setdefault(fact.holder, []).append(
            Span(c_start, c_start + len(fact.holder), fact.holder)
        )
        claims.append(
            Claim(
                cid,
                "indirect",
                Speaker(who, base, base + len(who), ids[who]),
                Span(c_start, c_start + len(content), content),
                Span(base + len(who) + 1, base + len(who) + 1 + len(cue), cue),
                stance=rng.choice(STANCES),
                hedged=rng.random() < 0.3,
                figure_ids=(fid,),
                time_ids=(tid,),
            )
        )
    ents = tuple(
        Entity(
            ids[name],
            name,
            "PERSON" if " " in name else "GPE",
            (name,),
            mentions=tuple(spans),
        )
        for name, spans in entities.items()
    )
    article = Article(
        id=f"b{i}",
        text=text,
        title=f"{SECTORS[story % len(SECTORS)][1].title()} in {PLACES[story % len(PLACES)]}, "
        f"report {i}",
        url=f"https://x.example/{i}",
        outlet=OUTLETS[i % 4],
        published=published(story),
    )
    return Record(article, ents, tuple(claims), tuple(figures), tuple(times))


def published(story: int) -> str:
    """The day story `story` ran: STORIES_PER_DAY a day, one after the other."""
    return (date(2024, 1, 1) + timedelta(days=story // STORIES_PER_DAY)).isoformat()


def copy_of(record: Record, i: int) -> Record:
    """Article `i` as a copy of `record` run by another outlet."""
    article = replace(
        record.article,
        id=f"b{i}",
        url=f"https://x.example/{i}",
        outlet=OUTLETS[i % 4],
        duplicate_of=record.article.id,
    )
    return replace(record, article=article)


def build(db: Path, n: int) -> None:
    """Write `n` synthetic articles."""
    rng = random.Random(7)
    started = time.perf_counter()
    with Store.open(str(db), create=True) as store:
        record = synthetic(0, rng)
        for i in range(n):
            record = copy_of(record, i) if i % 10 == 0 and i else synthetic(i, rng)
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
    print(f"warm-up (network, figure series) computed in {time.perf_counter() - started:.1f} s")
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
