"""The actor network as drawn: the analysis' whole-store network cut to its busiest
actors (optionally those whose name contains some text)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from newstrace.analysis.network import Network

LEFT_OUT_SHOWN = 12  # the busiest actors left out of the drawing, named below it


@dataclass(frozen=True)
class Node:
    """An actor: a canonical entity, or a speaker's text that resolved to none."""

    id: str
    label: str
    type: str
    weight: int

    @property
    def resolved(self) -> bool:
        """Whether it is a canonical entity (with a page of its own)."""
        return not self.id.startswith("text:")


@dataclass(frozen=True)
class Edge:
    """`count` claims of `kind` from `source` to `target`."""

    source: str
    target: str
    kind: str
    count: int


@dataclass(frozen=True)
class Graph:
    """The nodes and edges drawn, heaviest first, and the size of the whole network."""

    nodes: list[Node]
    edges: list[Edge]
    total_nodes: int
    total_edges: int
    left_out: list[Node] = field(default_factory=list)  # the busiest actors not drawn

    def label(self, node_id: str) -> str:
        """A node's name."""
        return next((n.label for n in self.nodes if n.id == node_id), node_id)


def cut(net: Network, max_nodes: int = 40, q: str | None = None, kind: str | None = None) -> Graph:
    """The `max_nodes` actors with the most claims (touching actors named like `q`)."""
    edges = [(s, t, k, n) for (s, t, k), n in net.edges.items() if s != t and kind in (None, k)]
    weight: Counter[str] = Counter()
    for s, t, _, n in edges:
        weight[s] += n
        weight[t] += n
    if q:
        wanted = {node for node in weight if q.lower() in _label(net, node).lower()}
        edges = [e for e in edges if e[0] in wanted or e[1] in wanted]
        touched = {e[0] for e in edges} | {e[1] for e in edges}
        weight = Counter({n: w for n, w in weight.items() if n in touched})
    ranked = [node for node, _ in weight.most_common()]
    kept = ranked[: max(2, min(max_nodes, 200))]
    keep = set(kept)
    drawn = [Edge(s, t, k, n) for s, t, k, n in edges if s in keep and t in keep]
    drawn.sort(key=lambda e: (-e.count, e.source, e.target, e.kind))
    rest = [_node(net, n, weight[n]) for n in ranked[len(kept) : len(kept) + LEFT_OUT_SHOWN]]
    nodes = [_node(net, n, weight[n]) for n in kept]
    return Graph(nodes, drawn, len(weight), len(edges), rest)


def _node(net: Network, node: str, weight: int) -> Node:
    return Node(node, _label(net, node), net.labels.get(node, (node, ""))[1], weight)


def _label(net: Network, node: str) -> str:
    return net.labels.get(node, (node, ""))[0]


@dataclass(frozen=True)
class Dispute:
    """Another actor on the other side of counted denials and disputes."""

    node: Node
    count: int


def disputes(net: Network, actor: str) -> tuple[list[Dispute], list[Dispute]]:
    """Whom `actor` disputes, and who disputes it, most often first."""
    whom: Counter[str] = Counter()
    by: Counter[str] = Counter()
    for (source, target, kind), n in net.edges.items():
        if kind != "disputes" or source == target:
            continue
        if source == actor:
            whom[target] += n
        elif target == actor:
            by[source] += n
    return _disputes(net, whom), _disputes(net, by)


def _disputes(net: Network, counted: Counter[str]) -> list[Dispute]:
    return [
        Dispute(Node(node, _label(net, node), net.labels.get(node, (node, ""))[1], n), n)
        for node, n in counted.most_common()
    ]
