"""The set-based actor network and the bounded figure histories and timelines give what
the per-record and unbounded methods give (synthetic records, no spaCy model; the demo
corpus with the model)."""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from analysis_helpers import save
from conftest import BACKENDS, fresh_store_url
from newstrace.analysis import ensure_analysed
from newstrace.analysis.contradictions import NEGATIVE, is_reference, referent
from newstrace.analysis.groups import Member, load_members
from newstrace.analysis.history import figure_history, timeline
from newstrace.analysis.network import Network, _speaker_node, _unique, build_network
from newstrace.analysis.text import name_key
from newstrace.cli.main import main
from newstrace.models import (
    Article,
    ChainLink,
    Claim,
    Entity,
    Figure,
    Record,
    Span,
    Speaker,
    TimeExpression,
)
from newstrace.store import Store
from newstrace.store import analysis_queries as q
from newstrace.store.items import ItemFilter

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ACTORS = ("Karsk", "Valdoria", "Ilan Brec", "Ana Varga", "Lena Orsk")
SOURCES = ("two senior officials", "Officials in Valdor", "the Valdoria Wire Service")
DAYS = ("2025-01-05", "2025-01-05", "2025-02-11", "2025-03-10", "2025-03-10", None)
TIMES = ("2025-03-07", "2025-03", "2025", "PRESENT_REF", "2025-W10", None)
STANCES = ("assert", "assert", "deny", "dispute", "unconfirmed")


# --- the network as it was built before: one `Store.record` per article -------------


def _reference_network(store: Store) -> Network:
    net = Network()
    with store.reading() as conn:
        links = q.all_links(conn)
        net.labels.update(q.canonical_names(conn))
        members = [m for m in load_members(conn, ItemFilter(claims_only=True))]
    actor = {(a, e): act for a, e, _, act in links}
    by_article: dict[str, list[Member]] = {}
    for m in members:
        by_article.setdefault(m.article_id, []).append(m)
    for article_id, found in by_article.items():
        record, claims = store.record(article_id), _unique(found)
        for m in claims:
            speaker = _speaker_node(m, net)
            if speaker is None:
                continue
            start, end = m.content_start or 0, m.content_end or 0
            about = {
                actor[(article_id, e.id)]
                for e in record.entities
                if (article_id, e.id) in actor
                and any(s.start < end and s.end > start for s in e.mentions)
            } - {speaker}
            if m.stance in NEGATIVE:
                target = referent(m, claims) if is_reference(m) else None
                disputed = _speaker_node(target, net) if target else None
                for node in {disputed} if disputed else about:
                    net.edges[(speaker, node, "disputes")] += 1
            for node in about:
                net.edges[(speaker, node, "speaks_about")] += 1
            claim = next((c for c in record.claims if c.id == m.claim_id), None)
            nodes = []
            for link in claim.source_chain if claim else ():
                linked = actor.get((article_id, link.entity_id or ""))
                if linked is None:
                    linked = "text:" + name_key(link.text)
                    net.labels.setdefault(linked, (link.text, "UNRESOLVED"))
                nodes.append(linked)
            for source, target_node in itertools.pairwise(nodes):
                if source != target_node:
                    net.edges[(source, target_node, "cites")] += 1
    return net


# --- a synthetic store: speakers, mentions, chains, referring denials, dates ---------


def _synthetic(n: int, rng: random.Random) -> Record:
    text = ""
    claims: list[Claim] = []
    figures: list[Figure] = []
    times: list[TimeExpression] = []
    mentions: dict[str, list[Span]] = {}

    def mention(name: str, start: int) -> None:
        mentions.setdefault(name, []).append(Span(start, start + len(name), name))

    for k in range(1, 4):
        who, about = rng.sample(ACTORS, 2)
        stance = rng.choice(STANCES)
        troops, tanks = rng.choice((3000, 4500, 6000, 8000)), rng.choice((40, 60, 80))
        if stance in NEGATIVE and rng.random() < 0.5:
            content = "the report"
        elif rng.random() < 0.3:
            content = f"{about} has about {troops:,} troops and {tanks} tanks near Lisk"
        else:
            content = f"{about} has about {troops:,} troops near Lisk"
        source = rng.choice(SOURCES)
        base = len(text)
        text += f"{who} said, citing {source}, that {content}. "
        mention(who, base)
        c_start = text.index(content, base)
        if content.startswith(about):
            mention(about, c_start)
        fids: list[str] = []
        for value, unit in ((troops, "troops"), (tanks, "tanks")):
            words = f"about {value:,} {unit}" if unit == "troops" else f"{value} {unit}"
            if words in content:
                s = c_start + content.index(words)
                fid = f"f{len(figures) + 1}"
                figures.append(Figure(fid, s, s + len(words), words, float(value), unit=unit,
                                      claim_id=f"c{k}"))  # fmt: skip
                fids.append(fid)
        tids: tuple[str, ...] = ()
        normalised = rng.choice(TIMES)
        if normalised is not None or rng.random() < 0.5:
            tids = (f"t{k}",)
            times.append(TimeExpression(f"t{k}", base, base + len(who), who, normalised, "day"))
        chain: tuple[ChainLink, ...] = ()
        if rng.random() < 0.5:
            linked = ACTORS.index(who) + 1 if rng.random() < 0.5 else None
            chain = (ChainLink(who, f"e{linked}" if linked else None), ChainLink(source))
        entity = f"e{ACTORS.index(who) + 1}" if rng.random() < 0.8 else None
        claims.append(
            Claim(
                f"c{k}", "indirect", Speaker(who, base, base + len(who), entity),
                Span(c_start, c_start + len(content), content), stance=stance,  # type: ignore[arg-type]
                source_chain=chain, figure_ids=tuple(fids), time_ids=tids,
            )
        )  # fmt: skip
    entities = tuple(
        Entity(
            f"e{ACTORS.index(name) + 1}",
            name,
            "PERSON" if " " in name else "GPE",
            (name,),
            mentions=tuple(spans),
        )
        for name, spans in sorted(mentions.items())
    )
    article = Article(
        f"s{n}", text, title=f"s{n}", url=f"https://o{n % 3}.example/{n}",
        published=rng.choice(DAYS), duplicate_of=f"s{n - 1}" if n % 7 == 6 else None,
    )  # fmt: skip
    return Record(article, entities, tuple(claims), tuple(figures), tuple(times))


@pytest.fixture(scope="module")
def synthetic(module_store_url: str) -> Iterator[Store]:
    rng = random.Random(11)
    with Store.open(module_store_url) as store:
        for n in range(40):
            save(store, _synthetic(n, rng))
        ensure_analysed(store)
        yield store


def test_network_equals_the_per_record_method(synthetic: Store) -> None:
    net, reference = build_network(synthetic), _reference_network(synthetic)
    assert net.edges and {kind for _, _, kind in net.edges} == {
        "speaks_about",
        "disputes",
        "cites",
    }
    assert net.edges == reference.edges
    assert net.labels == reference.labels


def test_figure_history_limit_keeps_the_most_recent(synthetic: Store) -> None:
    for about, first_only in itertools.product(("troops", "tanks", "tanks|troops"), (False, True)):
        full = figure_history(synthetic, about, first_only, limit=None)
        assert len(full) >= 3
        assert figure_history(synthetic, about, first_only) == full  # the default bound
        assert figure_history(synthetic, about, first_only, limit=len(full) + 5) == full
        for k in (1, 2, 3, len(full) // 2):
            assert figure_history(synthetic, about, first_only, limit=k) == full[-k:]
    # the bounded tails compared above hold repeats of reports they leave out
    full = figure_history(synthetic, "troops", limit=None)
    assert any(not p.first_report for p in full[len(full) // 2 :])


def test_timeline_limit_keeps_the_most_recent(synthetic: Store) -> None:
    for about in ("Lisk", "tanks", "the report"):
        full = timeline(synthetic, about, limit=None)
        assert len(full) > 3
        assert timeline(synthetic, about) == full
        for k in (1, 2, 5, len(full) // 2):
            assert timeline(synthetic, about, limit=k) == full[-k:]
    with synthetic.reading() as conn:
        entities = [cid for cid, _ in q.canonical_names(conn).items()]
    assert entities
    for entity_id, topic in itertools.product(entities, (None, "tanks")):
        full = timeline(synthetic, topic, entity_id, limit=None)
        assert timeline(synthetic, topic, entity_id, limit=len(full) + 1) == full
        if len(full) > 4:
            kept = timeline(synthetic, topic, entity_id, limit=4)
            order = [(m.event_date or "9999", m.published or "") for m in full]
            assert len(kept) == 4 and set(kept) <= set(full)
            assert [(m.event_date or "9999", m.published or "") for m in kept] == order[-4:]


def test_cli_limit(
    synthetic: Store, module_store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = module_store_url
    figures = ["--db", url, "figures", "--about", "troops", "--repeats", "--json"]
    assert main([*figures, "-n", "3", "--offset", "2"]) == 0  # one page, oldest first
    lines = capsys.readouterr().out.splitlines()
    full = figure_history(synthetic, "troops", limit=None)
    assert [json.loads(line)["article_id"] for line in lines] == [
        p.member.article_id for p in full[2:5]
    ]
    assert main([*figures, "--all"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(full)
    assert main(["--db", url, "timeline", "--about", "Lisk", "--limit", "2", "--json"]) == 0
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    wanted = timeline(synthetic, "Lisk", limit=None)[:2]
    assert [(d["article_id"], d["claim_id"]) for d in found] == [
        (m.article_id, m.claim_id) for m in wanted
    ]


# --- the demo corpus ------------------------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("demo")
    with contextmanager(fresh_store_url)(request.param, folder) as url:
        assert main(["--db", url, "ingest", "-q", "--json", str(EXAMPLES)]) == 0
        with Store.open(url) as store:
            yield store


@pytest.mark.model
def test_demo_network_equals_the_per_record_method(demo: Store) -> None:
    net, reference = build_network(demo), _reference_network(demo)
    assert len(net.edges) > 10
    assert net.edges == reference.edges
    assert net.labels == reference.labels


@pytest.mark.model
def test_demo_histories_unchanged_by_the_bound(demo: Store) -> None:
    for first_only in (False, True):
        full = figure_history(demo, "troops|soldiers", first_only, limit=None)
        assert full and figure_history(demo, "troops|soldiers", first_only) == full
    full_timeline = timeline(demo, "troops", limit=None)
    assert full_timeline and timeline(demo, "troops") == full_timeline


@pytest.mark.model
def test_demo_network_edges_come_in_one_order_whatever_the_hash_seed(demo: Store) -> None:
    """Ties of counts (an entity page's disputes, the network's cut) keep the order the
    edges were counted in, which came from iterating a set of node ids."""
    script = (
        "import json, sys\n"
        "from newstrace.analysis.network import build_network\n"
        "from newstrace.store import Store\n"
        "with Store.open(sys.argv[1], read_only=True) as store:\n"
        "    print(json.dumps([list(e) for e in build_network(store).edges]))\n"
    )
    orders = {
        subprocess.run(
            [sys.executable, "-c", script, demo.db],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True, text=True, check=True,
        ).stdout
        for seed in range(4)
    }  # fmt: skip
    assert len(orders) == 1
