"""The incremental analysis gives what a full recompute gives: claim groups, entity links
and contradictions of a store analysed in steps equal those of the same store analysed
again from scratch (fictional records, seeded sentence vectors, no spaCy)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

from analysis_helpers import make_record, save, span
from newstrace.analysis import ensure_analysed, rebuild_analysis, update_analysis
from newstrace.analysis.contradictions import find_contradictions, stored_contradictions
from newstrace.models import Article, Entity, Record
from newstrace.store import Store, schema
from newstrace.store.contradictions import ContradictionFilter, changed_groups
from newstrace.store.vectors import pack, save_vectors, stored_hashes, text_hash

SPEAKERS = ("Mira Holt", "Tomas Brenn", "Ada Brix", "Ilan Vesk", "Lena Orsk")
PLACES = ("Norvale", "Karsk", "Lisk")
# Each topic has wordings that mean one thing (their vectors lie close together).
TOPICS = (
    ("the dam above {p} is sound", "engineers found the {p} dam sound", "the {p} dam holds"),
    ("the border at {p} was closed overnight", "guards shut the {p} crossing overnight"),
    ("fuel prices in {p} doubled this winter", "{p} drivers pay twice as much for fuel"),
    ("the {p} bridge reopens in spring", "traffic returns to the {p} bridge in spring"),
)
NOTE = ("The regional office", "this story was updated with comments from its press staff")


def _vector(rng: np.random.Generator, base: np.ndarray) -> bytes:
    v = base + 0.25 * rng.standard_normal(base.shape).astype(np.float32)
    return pack(v / np.linalg.norm(v))


def _world(n: int) -> list[Record]:
    """`n` fictional articles: counts of troops near three places (some agreeing, some
    not), claims worded several ways, denials, wire copies and one outlet's note."""
    rng = random.Random(17)
    records = []
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        who, other = rng.sample(SPEAKERS, 2)
        count = rng.choice((3000, 4000, 4000, 6000))
        figure = f"{count:,} troops"
        first = f"{figure} were seen near {place}"
        topic = TOPICS[i % len(TOPICS)]
        worded = rng.choice(topic).format(p=place)
        sentences = [f"{who} said {first}.", f"{other} said {worded}."]
        claims: list[tuple[str, str, str, str | None]] = [
            (who, first, "assert", f"{figure}|{count}|troops"),
            (other, worded, "assert", None),
        ]
        if i % 5 == 3:
            sentences.append(f"The {place} governor denied the report.")
            claims.append((f"The {place} governor", "the report", "deny", None))
        if i in (2, 33):  # the negation of another side's claim (more would be boilerplate)
            negated = f"the border at {place} was not closed overnight"
            sentences.append(f"The {place} mayor said {negated}.")
            claims.append((f"The {place} mayor", negated, "assert", None))
        if i % 8 == 5:  # a denial of the proposition of a group, in the group
            denied = f"the border at {place} was closed overnight"
            sentences.append(f"The {place} police denied that {denied}.")
            claims.append((f"The {place} police", denied, "deny", None))
        host = ("northgate", "meridian", "wire", "borderlands")[i % 4]
        if host == "northgate":  # the outlet's standing note: boilerplate, never a claim
            sentences.append(f"{NOTE[0]} said {NOTE[1]}.")
            claims.append((*NOTE, "assert", None))
        copy_of = f"a{i - 1}" if i % 7 == 6 else None
        records.append(
            make_record(
                f"a{i}",
                " ".join(sentences),
                published=f"2025-03-{1 + i % 28:02d}",
                url=f"https://{host}.example/{i}",
                duplicate_of=copy_of,
                people=((who, "PERSON"), (other, "PERSON")),
                claims=tuple(claims),
                holder=place,
            )
        )
    return records


def _add(store: Store, records: list[Record]) -> list[str]:
    """Save records and a vector for each new claim wording, near its topic's."""
    rng = np.random.default_rng(5)
    for record in records:
        save(store, record)
        with store.writing() as conn:
            hashes = [text_hash(c.content.text) for c in record.claims]
            known = set(stored_hashes(conn, hashes))
            vectors = {}
            for claim, h in zip(record.claims, hashes, strict=True):
                if h not in known and h not in vectors:
                    vectors[h] = _vector(rng, BASES[_topic(claim.content.text)])
            save_vectors(conn, "seeded", vectors)
    return [r.article.id for r in records]


def _topic(content: str) -> int:
    """The topic of a wording; the troop counts' topic is their place's, a denial's -1."""
    for n, topic in enumerate(TOPICS):
        if content in {w.format(p=p) for w in topic for p in PLACES}:
            return n
    if content.endswith("not closed overnight"):
        return 1  # a negation is worded as what it negates
    return next((-2 - n for n, p in enumerate(PLACES) if content.endswith(p)), -1)


BASES = {
    n: np.random.default_rng(n + 10).standard_normal(384).astype(np.float32)
    for n in range(-1 - len(PLACES), len(TOPICS))
}


def _analysis(store: Store) -> dict[str, Any]:
    """Every claim item with its group, every entity link, every stored contradiction
    (its rows, and as read), which are what finding them anew gives."""
    i, lk = schema.claim_items.c, schema.entity_links.c
    with store.reading() as conn:
        items = sorted(
            tuple(r)
            for r in conn.execute(select(i.article_id, i.claim_id, i.figure_id, i.group_id))
        )
        links = sorted(tuple(r) for r in conn.execute(select(lk)))
        rows = {
            table.name: sorted(tuple(r) for r in conn.execute(select(table))) for table in STORED
        }
        stored = [c.to_dict() for c in stored_contradictions(conn, ContradictionFilter())]
        assert not changed_groups(conn)
    assert stored == [c.to_dict() for c in find_contradictions(store)]
    return {"items": items, "links": links, "rows": rows, "contradictions": stored}


STORED = (
    schema.contradictions,
    schema.contradiction_members,
    schema.contradiction_tallies,
    schema.figure_reports,
    schema.negation_keys,
    schema.group_summaries,
    schema.group_stances,
    schema.group_series,
    schema.series_summaries,
    schema.series_names,
)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def test_incremental_analysis_equals_a_full_recompute(store: Store) -> None:
    world = _world(40)
    _add(store, world[:30])
    ensure_analysed(store)
    for record in world[30:35]:  # one at a time, as watch adds them
        update_analysis(store, _add(store, [record]))
    update_analysis(store, _add(store, world[35:]))  # then a batch
    # articles changed (a denial, a negation left out): analysed again, their old
    # claims' contradictions gone
    for changed in (world[3], world[2]):
        text = changed.article.text + " Updated."
        article = replace(changed.article, text=text)
        update_analysis(
            store, _add(store, [replace(changed, claims=changed.claims[:2], article=article)])
        )
    stepwise = _analysis(store)
    rebuild_analysis(store)
    assert _analysis(store) == stepwise
    # what is compared is not trivial: groups across articles, notes left out, both
    # kinds of contradiction found
    groups: dict[str, set[str]] = {}
    for article_id, _, _, group_id in stepwise["items"]:
        groups.setdefault(group_id, set()).add(article_id)
    assert max(len(g) for g in groups.values()) >= 5
    assert sum(len(g) >= 2 for g in groups.values()) >= 6
    kinds = {c["kind"] for c in stepwise["contradictions"]}
    assert {"figure", "denial", "negation"} <= kinds
    assert stepwise["rows"]["series_summaries"] and stepwise["rows"]["group_series"]
    scopes = {row[1][:2] for row in stepwise["rows"]["contradictions"]}
    assert scopes == {"g:", "r:", "n:", "f:"}  # each way of finding one
    noted = {(a, c) for a, c, _, _ in stepwise["items"] if a in {"a0", "a4"}}
    assert len(noted) == 2 * 2  # a0's and a4's note are not items


def _party_record(article_id: str, text: str, party: bool) -> Record:
    """An article with the group word "Unionists", linked to the "Unionist Party" it
    names when `party`, else linked to nothing."""
    word = Entity("e2", "Unionists", "NORP", ("Unionists",), mentions=(span(text, "Unionists"),))
    if not party:
        return Record(article=Article(id=article_id, text=text), entities=(word,))
    named = Entity(
        "e1", "Unionist Party", "ORG", ("Unionist Party",), mentions=(span(text, "Unionist Party"),)
    )
    linked = Entity(
        "e2", "Unionists", "NORP", ("Unionists",), refers_to="e1", mentions=word.mentions
    )
    return Record(article=Article(id=article_id, text=text), entities=(named, linked))


def test_a_group_word_analysed_before_its_party_link_acts_as_the_party(store: Store) -> None:
    """ "Unionists" of an article naming no party, analysed before any article linked
    the word, acts as the Unionist Party once one does, as a full rebuild gives."""
    save(store, _party_record("p1", "Unionists marched in Lisk.", party=False))
    ensure_analysed(store)
    save(store, _party_record("p2", "The Unionist Party met. Unionists cheered.", party=True))
    update_analysis(store, ["p2"])
    stepwise = _analysis(store)["links"]
    rebuild_analysis(store)
    assert _analysis(store)["links"] == stepwise
    actors = {(a, e): actor for a, e, _, actor in stepwise}
    assert actors[("p1", "e2")] == actors[("p2", "e1")] == actors[("p2", "e2")]


def test_a_word_made_to_act_as_a_party_makes_its_claims_groups_changed(store_url: str) -> None:
    """`act_as` gives the claims of a group word a new actor: their groups' stored
    contradictions (whose sides are actors) are to be found again."""
    from newstrace.store import Store, schema
    from newstrace.store import analysis_queries as q
    from newstrace.store.contradictions import changed_groups

    record = make_record(
        "w1", "Republicans said the tax would rise next year.",
        people=(("Republicans", "NORP"),),
        claims=(("Republicans", "the tax would rise next year", "assert", None),),
    )  # fmt: skip
    with Store.open(store_url) as store:
        save(store, record)
        ensure_analysed(store)
        with store.writing() as conn:
            lk = schema.entity_links.c
            own = conn.execute(
                select(lk.canonical_id).where(lk.canonical_id == lk.actor_id)
            ).scalar_one()
            group = conn.execute(select(schema.claim_items.c.group_id)).scalar_one()
            assert group not in changed_groups(conn)
            q.act_as(conn, own, "some-party")
            assert group in changed_groups(conn)
