"""The actor network: who made claims about whom, drawn as server-side SVG."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from newstrace.store import Store
from newstrace.web.queries.common import ArticleFilter
from newstrace.web.queries.network import Network, network
from newstrace.web.rendering import render
from newstrace.web.svg import network_graph
from newstrace.web.views.common import Text, blank, get_store

router = APIRouter()
StoreDep = Annotated[Store, Depends(get_store)]
Nodes = Annotated[int, Query(ge=2, le=200, description="Most actors shown.")]


@router.get("/network", response_class=HTMLResponse, include_in_schema=False)
def network_page(
    request: Request, store: StoreDep, q: Text = None, nodes: Nodes = 40
) -> HTMLResponse:
    """The graph, and its edges as a table."""
    graph = network(store, ArticleFilter(search=blank(q)), nodes)
    return render(
        request, "network.html", graph=graph, svg=network_graph(graph), q=q or "", nodes=nodes
    )


def network_dict(graph: Network) -> dict[str, Any]:
    """Nodes and edges as JSON."""
    return {
        "articles": graph.articles,
        "nodes": [
            {"name": n.name, "type": n.type, "said": n.said, "mentioned": n.mentioned}
            for n in graph.nodes
        ],
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "count": e.count,
                "stances": dict(e.stances),
                "evidence": [{"article_id": a, "claim_id": c} for a, c in e.evidence],
            }
            for e in graph.edges
        ],
    }


@router.get("/api/network", tags=["network"])
def api_network(store: StoreDep, q: Text = None, nodes: Nodes = 40) -> dict[str, Any]:
    """Speaker -> mentioned-actor edges from the most recent matching articles."""
    return network_dict(network(store, ArticleFilter(search=blank(q)), nodes))
