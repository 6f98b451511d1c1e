"""The actor network: who made claims about whom, from recent matching articles."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from newstrace.models import Entity
from newstrace.store import ClaimRow, Store, schema
from newstrace.web.queries.common import ArticleFilter
from newstrace.web.queries.entities import claims_of, entities_of

NETWORK_ARTICLES = 400


@dataclass
class Node:
    """An actor: an entity name."""

    name: str
    type: str
    said: int = 0
    mentioned: int = 0

    @property
    def weight(self) -> int:
        return self.said + self.mentioned


@dataclass
class Edge:
    """Claims by `source` whose content mentions `target`, counted by stance."""

    source: str
    target: str
    stances: Counter[str] = field(default_factory=Counter)
    evidence: list[tuple[str, str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(self.stances.values())

    @property
    def hostile(self) -> bool:
        """Mostly denials and disputes."""
        return self.stances["deny"] + self.stances["dispute"] > self.count / 2


@dataclass(frozen=True)
class Network:
    """Nodes and edges, the biggest first, and how many articles they came from."""

    nodes: list[Node]
    edges: list[Edge]
    articles: int


def network(store: Store, filters: ArticleFilter, max_nodes: int = 40) -> Network:
    """Speaker -> mentioned-entity edges over the most recent matching articles."""
    a = schema.articles.c
    query = (
        select(a.id)
        .where(filters.where(store.engine.dialect.name))
        .order_by(a.published.desc(), a.seq.desc())
        .limit(NETWORK_ARTICLES)
    )
    with store.engine.connect() as conn:
        ids = [str(r[0]) for r in conn.execute(query)]
    entities = entities_of(store, ids)
    nodes: dict[str, Node] = {}
    edges: dict[tuple[str, str], Edge] = {}
    for row in claims_of(store, ids):
        _add_claim(row, entities.get(row.article_id, []), nodes, edges)
    kept = sorted(nodes.values(), key=lambda n: (-n.weight, n.name))[: max(1, min(max_nodes, 200))]
    names = {n.name for n in kept}
    links = [e for e in edges.values() if e.source in names and e.target in names]
    links.sort(key=lambda e: (-e.count, e.source, e.target))
    return Network(kept, links, len(ids))


def _add_claim(
    row: ClaimRow,
    entities: list[Entity],
    nodes: dict[str, Node],
    edges: dict[tuple[str, str], Edge],
) -> None:
    by_id = {e.id: e for e in entities}
    speaker = by_id.get(row.claim.speaker.entity_id or "")
    if speaker is None:
        return
    _node(nodes, speaker).said += 1
    content = row.claim.content
    for other in entities:
        if other.name == speaker.name:
            continue
        if any(content.start <= m.start and m.end <= content.end for m in other.mentions):
            _node(nodes, other).mentioned += 1
            edge = edges.setdefault((speaker.name, other.name), Edge(speaker.name, other.name))
            edge.stances[row.claim.stance] += 1
            if len(edge.evidence) < 5:
                edge.evidence.append((row.article_id, row.claim.id))


def _node(nodes: dict[str, Node], entity: Entity) -> Node:
    return nodes.setdefault(entity.name, Node(entity.name, entity.type))
