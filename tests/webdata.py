"""Stores for the web tests, built in code (no model): a small story set and hostile pages."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient
from sqlalchemy import event

from newstrace.models import (
    Article,
    ChainLink,
    Claim,
    Entity,
    Figure,
    Measure,
    Record,
    Removed,
    Span,
    Speaker,
    TimeExpression,
)
from newstrace.store import Store, WriteInfo

PAYLOADS = (
    "<script>window.__pwned = 1; document.title = 'pwned'</script>",
    "<img src=x onerror=\"window.__pwned = 2; document.title = 'pwned'\">",
    '<a href="javascript:window.__pwned = 3">click me</a>',
    "<div <b>broken <i markup</p></td>",
    '<svg onload="window.__pwned = 4"></svg>',
)


def span(text: str, part: str, start_at: int = 0) -> Span:
    """The span of `part` in `text` (first occurrence from `start_at`)."""
    start = text.index(part, start_at)
    return Span(start, start + len(part), part)


def story(
    article_id: str, published: str, outlet: str, troops: int, stance: str = "assert"
) -> Record:
    """A short article: an official claims a troop number, a ministry disputes it."""
    text = (
        f"Karsk has as many as {troops:,} troops near Lisk, according to Valdorian officials. "
        "Karsk's foreign ministry disputed the report on Monday, calling it a fabrication. "
        "Spokesman Ilan Brec said no units had moved."
    )
    first = span(text, f"Karsk has as many as {troops:,} troops near Lisk")
    fig = span(text, f"as many as {troops:,}")
    counted = span(text, "troops", fig.end)
    cue1 = span(text, "according to")
    who1 = span(text, "Valdorian officials")
    content2 = span(text, "the report")
    cue2 = span(text, "disputed")
    who2 = span(text, "Karsk's foreign ministry")
    monday = span(text, "Monday")
    brec = span(text, "Ilan Brec")
    said = span(text, "said")
    moved = span(text, "no units had moved")
    karsk = [span(text, "Karsk"), span(text, "Karsk", first.end)]
    return Record(
        article=Article(
            id=article_id,
            text=text,
            title=f"Karsk troops near Lisk: {troops:,}",
            url=f"https://{outlet}/{article_id}",
            outlet=outlet,
            published=published,
            removed=(Removed("Advertisement", "ad"),),
        ),
        entities=(
            Entity("e1", "Karsk", "GPE", ("Karsk",), mentions=tuple(karsk)),
            Entity(
                "e2",
                "Ilan Brec",
                "PERSON",
                ("Ilan Brec", "Spokesman Brec"),
                roles=("Spokesman",),
                mentions=(brec,),
            ),
        ),
        claims=(
            Claim(
                "c1",
                "according_to",
                Speaker(who1.text, who1.start, who1.end),
                first,
                cue1,
                (ChainLink("Valdorian officials"),),
                "assert",
                True,
                ("f1",),
                (),
            ),
            Claim(
                "c2",
                "indirect",
                Speaker(who2.text, who2.start, who2.end, "e1"),
                content2,
                cue2,
                stance=stance,
                time_ids=("t1",),
            ),
            Claim(
                "c3",
                "indirect",
                Speaker(brec.text, brec.start, brec.end, "e2"),
                moved,
                said,
                stance="deny",
            ),
        ),
        figures=(
            Figure(
                "f1",
                fig.start,
                fig.end,
                fig.text,
                float(troops),
                None,
                float(troops),
                "as many as",
                "troops",
                "c1",
                measure=Measure(counted.text, counted.start, counted.end, "troops"),
                holder="e1",
                holder_name="Karsk",
                predicate="present",
            ),
        ),
        times=(TimeExpression("t1", monday.start, monday.end, "Monday", published, "day"),),
    )


def hostile(article_id: str = "hostile-1") -> Record:
    """An article whose every field carries markup that would run if rendered raw."""
    body = " ".join(f"Officials said {p} today." for p in PAYLOADS)
    text = f"{body}\n\n<p>Unclosed <b>markup and <script>alert(1)"
    claims = []
    for i, payload in enumerate(PAYLOADS, 1):
        start = text.index(payload)
        content = Span(start, start + len(payload), payload)
        who = span(text, "Officials", 0 if i == 1 else claims[-1].content.end)
        cue = span(text, "said", who.end)
        claims.append(
            Claim(f"c{i}", "indirect", Speaker(who.text, who.start, who.end), content, cue)
        )
    bad = span(text, PAYLOADS[1])
    return Record(
        article=Article(
            id=article_id,
            text=text,
            title=PAYLOADS[0],
            url="javascript:window.__pwned = 5",
            outlet='<b onmouseover="window.__pwned=6">evil.example</b>',
            published="2025-04-20",
            removed=(Removed(PAYLOADS[2], PAYLOADS[1]),),
        ),
        entities=(
            Entity("e1", PAYLOADS[1], "ORG", (PAYLOADS[3],), roles=(PAYLOADS[4],), mentions=(bad,)),
        ),
        claims=tuple(claims),
        figures=(
            Figure("f1", bad.start, bad.end, bad.text, 3.0, None, None, PAYLOADS[0], PAYLOADS[4]),
        ),
        times=(TimeExpression("t1", bad.start, bad.end, bad.text, "2025-04-20", "day"),),
    )


def save(store: Store, record: Record, duplicate_of: str | None = None) -> None:
    """Write one record (optionally as a copy of another article)."""
    if duplicate_of:
        record = Record(
            Article(**{**record.article.__dict__, "duplicate_of": duplicate_of}),
            record.entities,
            record.claims,
            record.figures,
            record.times,
        )
    digest = hashlib.sha256(record.article.text.encode()).hexdigest()
    store.save(record, WriteInfo(digest, None, 0.9 if duplicate_of else None))


def build_store(url: str) -> str:
    """Three stories (one a copy of another) and one hostile page, in the store at `url`."""
    with Store.open(url, create=True) as store:
        save(store, story("a1", "2025-03-01", "northgate.example", 4000))
        save(store, story("a2", "2025-03-20", "meridian.example", 6000, "dispute"))
        save(store, story("a3", "2025-03-21", "copycat.example", 6000), duplicate_of="a2")
        save(store, hostile())
    return url


@contextmanager
def statements(client: TestClient) -> Iterator[list[str]]:
    """The SQL statements run by the app's store while the block runs."""
    engine = client.app.state.store._engine  # type: ignore[attr-defined]
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
