"""Oversized input: the article page of a long quote-heavy article, multi-member gzip.

Run:  python bench/bench_hostile.py [--kb 190] [--gzip-mb 10]

Builds (in code, no model) one fictional article of about `--kb` kilobytes in which
every sentence is an attributed quote with a speaker, a cue, an entity, a figure and a
date, stores it in a temporary SQLite store and times its page (`/articles/ID`) with
the in-process TestClient; then times `gunzip` on `--gzip-mb` megabytes of gzip made
of one member per JSON line (what `cat part-*.gz` of a line-per-member export gives).
Point PYTHONPATH at an older checkout to get its figures for comparison.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from newstrace.models import Article, Claim, Entity, Figure, Record, Span, Speaker, TimeExpression
from newstrace.sources.decoding import gunzip
from newstrace.store import Store, WriteInfo
from newstrace.web import WebConfig, create_app

SENTENCE = '"The {n} boats left the harbour of Port Elsin on Tuesday," said Mira Tolvan. '


def quote_heavy(size: int) -> Record:
    """An article of about `size` characters, every sentence a marked-up quote."""
    parts: list[str] = []
    claims: list[Claim] = []
    figures: list[Figure] = []
    times: list[TimeExpression] = []
    mentions: list[Span] = []
    at = 0
    while at < size:
        n = len(claims) + 1
        sentence = SENTENCE.format(n=n)
        end = sentence.index(',"')
        content = Span(at + 1, at + end, sentence[1:end])
        cue = at + sentence.index("said")
        who = at + sentence.index("Mira")
        number = at + sentence.index(str(n))
        day = at + sentence.index("Tuesday")
        figures.append(Figure(f"f{n}", number, number + len(str(n)), str(n), float(n)))
        times.append(TimeExpression(f"t{n}", day, day + 7, "Tuesday", "2025-05-06", "day"))
        mentions.append(Span(who, who + 11, "Mira Tolvan"))
        claims.append(
            Claim(
                f"c{n}",
                "direct",
                Speaker("Mira Tolvan", who, who + 11, "e1"),
                content,
                Span(cue, cue + 4, "said"),
                figure_ids=(f"f{n}",),
                time_ids=(f"t{n}",),
            )
        )
        parts.append(sentence)
        at += len(sentence)
    text = "".join(parts)
    article = Article(
        id="long-1", text=text, title="Boats leave Port Elsin", published="2025-05-06"
    )
    entity = Entity("e1", "Mira Tolvan", "PERSON", ("Mira Tolvan",), mentions=tuple(mentions))
    return Record(article, (entity,), tuple(claims), tuple(figures), tuple(times))


def time_article_page(kb: int) -> tuple[float, int]:
    """Seconds to serve the page of a `kb`-kilobyte quote-heavy article, and its marks."""
    record = quote_heavy(kb * 1000)
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "long.db")
        with Store.open(db, create=True) as store:
            digest = hashlib.sha256(record.article.text.encode()).hexdigest()
            store.save(record, WriteInfo(digest))
        with TestClient(create_app(WebConfig(db=db))) as client:
            start = time.perf_counter()
            response = client.get("/articles/long-1")
            elapsed = time.perf_counter() - start
            response.raise_for_status()
    return elapsed, len(record.claims) * 3 + len(record.figures) * 2


def time_gunzip(megabytes: int) -> tuple[float, int]:
    """Seconds to gunzip about `megabytes` MB of one-member-per-line gzip, and members."""
    line = b'{"id": "r%d", "text": "The harbour board of Port Elsin met again on Tuesday."}\n'
    members: list[bytes] = []
    size = 0
    while size < megabytes * 1_000_000:
        members.append(gzip.compress(line % len(members), mtime=0))
        size += len(members[-1])
    data = b"".join(members)
    start = time.perf_counter()
    gunzip(data, 1 << 30)
    return time.perf_counter() - start, len(members)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=190, help="article size in kilobytes")
    parser.add_argument("--gzip-mb", type=int, default=10, help="gzip size in megabytes")
    args = parser.parse_args()
    page, marks = time_article_page(args.kb)
    print(f"article page, {args.kb} KB quote-heavy text, {marks:,} marks: {page:.2f} s")
    unzip, members = time_gunzip(args.gzip_mb)
    print(f"gunzip, {args.gzip_mb} MB in {members:,} gzip members: {unzip:.2f} s")


if __name__ == "__main__":
    main()
