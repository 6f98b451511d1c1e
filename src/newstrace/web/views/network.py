"""The actor network from the analysis: who speaks about, disputes and cites whom,
drawn as server-side SVG, and its JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from newstrace.analysis.network import build_network
from newstrace.store import Store
from newstrace.store.filters import check_range
from newstrace.web.analysis import AnalysisCache
from newstrace.web.graph import Graph, cut
from newstrace.web.rendering import render
from newstrace.web.svg import EDGE_COLOURS, network_graph, node_href
from newstrace.web.views.common import (
    DateParam,
    EntityRef,
    Text,
    blank,
    entity_filter,
    get_analysis,
    get_store,
)

router = APIRouter()
AnalysisDep = Annotated[AnalysisCache, Depends(get_analysis)]
StoreDep = Annotated[Store, Depends(get_store)]
Nodes = Annotated[int, Query(ge=2, le=200, description="Most actors shown.")]
KindParam = Annotated[
    Literal["speaks_about", "disputes", "cites", ""] | None,
    Query(description="Only edges of this kind."),
]


@dataclass(frozen=True)
class NetworkQuery:
    """The network's filters, as the page and the API take them."""

    q: str | None
    entity: str | None  # as given
    entity_id: str | None  # resolved
    kind: str | None
    nodes: int
    since: str | None = None  # articles published from
    until: str | None = None  # to (both inclusive)

    @property
    def key(self) -> tuple[object, ...]:
        """What the drawing depends on (it is kept per analysis and these)."""
        return (self.nodes, self.q, self.kind, self.entity_id, self.since, self.until)


def network_query(
    store: StoreDep,
    q: Text = None,
    entity: EntityRef = None,
    kind: KindParam = None,
    nodes: Nodes = 40,
    since: DateParam = None,
    until: DateParam = None,
) -> NetworkQuery:
    """The network's query parameters (one declaration for the page and the API)."""
    check_range(blank(since), blank(until))
    return NetworkQuery(
        blank(q), blank(entity), entity_filter(store, entity), blank(kind), nodes,
        blank(since), blank(until),
    )  # fmt: skip


QueryDep = Annotated[NetworkQuery, Depends(network_query)]


@router.get("/network", response_class=HTMLResponse, include_in_schema=False)
def network_page(
    request: Request, store: StoreDep, analysis: AnalysisDep, query: QueryDep
) -> HTMLResponse:
    """The graph, and its edges as a table; with `entity`, the edges from or to it; the
    busiest actors left out are named below it."""
    graph = _cut(store, analysis, query)
    # Laid out once per analysis and filters: the layout is most of the page's time.
    svg = analysis.kept(("network svg", *query.key), lambda: network_graph(graph))
    return render(
        request,
        "network.html",
        graph=graph,
        svg=svg,
        q=query.q or "",
        entity=query.entity or "",
        kind=query.kind or "",
        nodes=query.nodes,
        since=query.since or "",
        until=query.until or "",
        by_id={n.id: n for n in graph.nodes},
        node_href=node_href,
        edge_colours=EDGE_COLOURS,
    )


def _cut(store: Store, analysis: AnalysisCache, query: NetworkQuery) -> Graph:
    """The busiest actors and their edges (of one entity only, of the articles of some
    dates, when given), kept per analysis and filters."""

    def compute() -> Graph:
        dated = query.since or query.until
        net = build_network(store, query.since, query.until) if dated else analysis.network()
        net = net.around(query.entity_id) if query.entity_id else net
        return cut(net, query.nodes, query.q, query.kind)

    return analysis.kept(("network cut", *query.key), compute)


def network_dict(graph: Graph) -> dict[str, Any]:
    """Nodes and edges as JSON."""
    return {
        "total_nodes": graph.total_nodes,
        "total_edges": graph.total_edges,
        "nodes": [
            {"id": n.id, "label": n.label, "type": n.type, "weight": n.weight, "entity": n.resolved}
            for n in graph.nodes
        ],
        "edges": [dict(e.__dict__) for e in graph.edges],
        "left_out": [{"id": n.id, "label": n.label, "weight": n.weight} for n in graph.left_out],
    }


@router.get("/api/network", tags=["network"])
def api_network(store: StoreDep, analysis: AnalysisDep, query: QueryDep) -> dict[str, Any]:
    """The busiest actors (named like `q`) and the counted edges between them:
    speaks_about, disputes, cites; with `entity`, the edges from or to it; with
    `since`/`until`, of the articles published then; `left_out`: the busiest actors
    not drawn (`total_nodes` counts them all)."""
    return network_dict(_cut(store, analysis, query))
