"""The actor network: who speaks about whom, who disputes whom, who cites whom.

Nodes are canonical entities (actors, metonymy resolved) and, for speakers or chain links
that resolve to no entity but name someone ("Officials in Valdor"), their folded text.
Edges are counted:

- ``speaks_about``: a claim's speaker -> each entity mentioned inside its content;
- ``disputes``: a deny/dispute claim's speaker -> the speaker of the claim it targets,
  or else the entities its content mentions;
- ``cites``: each link of a source chain -> the next one (outermost first).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from newstrace.analysis.contradictions import NEGATIVE, is_reference, referent
from newstrace.analysis.groups import Member, member_from_row, name_words
from newstrace.analysis.text import name_key
from newstrace.store import Store
from newstrace.store import analysis_queries as q
from newstrace.store.items import ItemFilter, item_rows

Edge = tuple[str, str, str]
KINDS = ("speaks_about", "disputes", "cites")
"""The kinds of edge, in the order of this module's docstring."""


@dataclass
class Network:
    """Counted, typed edges between actors, and node labels."""

    edges: Counter[Edge] = field(default_factory=Counter)
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)

    def to_graph(self) -> nx.MultiDiGraph:
        """A networkx graph (one edge per source, target and kind, with a weight)."""
        graph = nx.MultiDiGraph()
        for node, (label, kind) in self.labels.items():
            graph.add_node(node, label=label, type=kind)
        for (source, target, kind), weight in self.edges.items():
            graph.add_edge(source, target, key=kind, kind=kind, weight=weight)
        return graph

    def around(self, entity_id: str) -> Network:
        """The edges from or to `entity_id` (who it speaks about, disputes and cites,
        and who does so of it), with the labels of their ends."""
        edges = Counter({e: n for e, n in self.edges.items() if entity_id in e[:2]})
        ends = {node for s, t, _ in edges for node in (s, t)} | {entity_id}
        return Network(edges, {k: v for k, v in self.labels.items() if k in ends})

    def to_dicts(self) -> list[dict[str, Any]]:
        """One dict per edge, heaviest first."""
        return [
            {
                "source": s,
                "source_label": self.labels.get(s, (s, ""))[0],
                "target": t,
                "target_label": self.labels.get(t, (t, ""))[0],
                "kind": kind,
                "count": n,
            }
            for (s, t, kind), n in self.edges.most_common()
        ]


def _speaker_node(m: Member, net: Network) -> str | None:
    if m.actor_id:
        return m.actor_id
    if m.speaker and name_words(m.speaker):
        node = "text:" + name_key(m.speaker)
        net.labels.setdefault(node, (m.speaker, "UNRESOLVED"))
        return node
    return None


@dataclass
class _Article:
    """What the network needs of one article: its linked entities' mentions and its
    claims' source chains (as stored: text and entity id of each link)."""

    mentions: list[tuple[str, list[tuple[int, int]]]] = field(default_factory=list)
    chains: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def build_network(store: Store, since: str | None = None, until: str | None = None) -> Network:
    """The actor network of every analysed claim in the store (of the articles published
    from `since` to `until`, both inclusive, when given).

    Reads the store in three set-based queries (claim items, entity links with their
    mentions, canonical names), whatever its size."""
    net = Network()
    with store.reading() as conn:
        net.labels.update(q.canonical_names(conn))
        dated = ItemFilter(claims_only=True, published_since=since, published_until=until)
        rows = item_rows(conn, dated)
        links = q.link_mentions(conn)
    actor = {(a, e): act for a, e, act, _ in links}
    articles: dict[str, _Article] = {}
    by_article: dict[str, list[Member]] = {}
    for row in rows:
        m = member_from_row(row, {})  # the network uses no dates
        by_article.setdefault(m.article_id, []).append(m)
        if row["source_chain"] not in (None, "[]"):  # an empty chain cites no one
            chain = json.loads(row["source_chain"])
            articles.setdefault(m.article_id, _Article()).chains[m.claim_id] = chain
    for article_id, _, act, spans in links:
        if spans is not None and article_id in by_article:
            articles.setdefault(article_id, _Article()).mentions.append((act, spans))
    for article_id, claims in by_article.items():
        found = articles.get(article_id, _Article())
        _article_edges(article_id, found, _unique(claims), actor, net)
    return net


def _unique(claims: list[Member]) -> list[Member]:
    return list({m.claim_id: m for m in claims}.values())


def _mentioned(article: _Article, m: Member) -> set[str]:
    start, end = m.content_start or 0, m.content_end or 0
    return {
        node
        for node, spans in article.mentions
        if any(s_start < end and s_end > start for s_start, s_end in spans)
    }


def _article_edges(
    article_id: str,
    article: _Article,
    claims: list[Member],
    actor: dict[tuple[str, str], str],
    net: Network,
) -> None:
    for m in claims:
        speaker = _speaker_node(m, net)
        if speaker is None:
            continue
        about = _mentioned(article, m) - {speaker}
        if m.stance in NEGATIVE:
            target = referent(m, claims) if is_reference(m) else None
            disputed = _speaker_node(target, net) if target else None
            for node in [disputed] if disputed else sorted(about):
                net.edges[(speaker, node, "disputes")] += 1
        for node in sorted(about):  # in one order: ties of counts keep it (a set's
            net.edges[(speaker, node, "speaks_about")] += 1  # changes with the hash seed)
        _chain_edges(article_id, article.chains.get(m.claim_id), actor, net)


def _chain_edges(
    article_id: str,
    chain: list[dict[str, Any]] | None,
    actor: dict[tuple[str, str], str],
    net: Network,
) -> None:
    if chain is None:
        return
    nodes = []
    for link in chain:
        node = actor.get((article_id, link.get("entity_id") or ""))
        if node is None:
            node = "text:" + name_key(link["text"])
            net.labels.setdefault(node, (link["text"], "UNRESOLVED"))
        nodes.append(node)
    for source, target in itertools.pairwise(nodes):
        if source != target:
            net.edges[(source, target, "cites")] += 1


def write_graph(net: Network, path: str, fmt: str) -> None:
    """Write the network as GraphML or GEXF (for Gephi)."""
    graph = nx.DiGraph()
    for node, (label, kind) in net.labels.items():
        graph.add_node(node, label=label, type=kind)
    for (source, target, kind), weight in net.edges.items():
        if graph.has_edge(source, target):
            graph[source][target]["weight"] += weight
            graph[source][target]["kinds"] += f",{kind}"
        else:
            graph.add_edge(source, target, weight=weight, kinds=kind)
    used = {n for edge in graph.edges for n in edge}
    graph.remove_nodes_from([n for n in list(graph.nodes) if n not in used])
    if fmt == "graphml":
        nx.write_graphml(graph, path)
    else:
        nx.write_gexf(graph, path)
