"""The actor network from the analysis: who speaks about, disputes and cites whom,
drawn as server-side SVG, and its JSON."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from newstrace.web.analysis import AnalysisCache
from newstrace.web.graph import Graph, cut
from newstrace.web.rendering import render
from newstrace.web.svg import EDGE_COLOURS, network_graph, node_href
from newstrace.web.views.common import Text, blank, get_analysis

router = APIRouter()
AnalysisDep = Annotated[AnalysisCache, Depends(get_analysis)]
Nodes = Annotated[int, Query(ge=2, le=200, description="Most actors shown.")]
KindParam = Annotated[
    Literal["speaks_about", "disputes", "cites", ""] | None,
    Query(description="Only edges of this kind."),
]


@router.get("/network", response_class=HTMLResponse, include_in_schema=False)
def network_page(
    request: Request,
    analysis: AnalysisDep,
    q: Text = None,
    kind: KindParam = None,
    nodes: Nodes = 40,
) -> HTMLResponse:
    """The graph, and its edges as a table."""
    graph = _cut(analysis, nodes, q, kind)
    # Laid out once per analysis and filters: the layout is most of the page's time.
    svg = analysis.kept(("network svg", nodes, blank(q), blank(kind)), lambda: network_graph(graph))
    return render(
        request,
        "network.html",
        graph=graph,
        svg=svg,
        q=q or "",
        kind=kind or "",
        nodes=nodes,
        by_id={n.id: n for n in graph.nodes},
        node_href=node_href,
        edge_colours=EDGE_COLOURS,
    )


def _cut(analysis: AnalysisCache, nodes: int, q: str | None, kind: str | None) -> Graph:
    """The busiest `nodes` actors and their edges, kept per analysis and filters."""
    topic, only = blank(q), blank(kind)
    return analysis.kept(
        ("network cut", nodes, topic, only), lambda: cut(analysis.network(), nodes, topic, only)
    )


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
    }


@router.get("/api/network", tags=["network"])
def api_network(
    analysis: AnalysisDep, q: Text = None, kind: KindParam = None, nodes: Nodes = 40
) -> dict[str, Any]:
    """The busiest actors (named like `q`) and the counted edges between them:
    speaks_about, disputes, cites."""
    return network_dict(_cut(analysis, nodes, q, kind))
