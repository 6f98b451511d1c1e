"""Charts drawn on the server as SVG: no JavaScript libraries, nothing fetched.

Every text that comes from an article (names, titles, claim text) goes through
`markupsafe.escape`; numbers are formatted here. Colours are presentation
attributes, not `style=`, so the page's Content-Security-Policy can forbid inline
styles.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from newstrace.web.paths import article_href, entity_href
from newstrace.web.queries.figures import FigurePoint
from newstrace.web.queries.network import Edge, Network, Node

STANCE_COLOURS = {
    "assert": "#1f6feb",
    "deny": "#cf222e",
    "dispute": "#bf8700",
    "unconfirmed": "#8250df",
}
NO_CLAIM = "#6e7781"


@dataclass(frozen=True)
class Box:
    """The drawing area inside the margins."""

    width: int = 820
    height: int = 340
    left: int = 70
    right: int = 20
    top: int = 20
    bottom: int = 50

    def x(self, fraction: float) -> float:
        return self.left + fraction * (self.width - self.left - self.right)

    def y(self, fraction: float) -> float:
        return self.height - self.bottom - fraction * (self.height - self.top - self.bottom)


def el(name: str, inner: str = "", **attrs: object) -> str:
    """An SVG element; attribute names use `_` for `-`, every value is escaped."""
    rendered = "".join(
        f' {key.rstrip("_").replace("_", "-")}="{escape(str(value))}"'
        for key, value in attrs.items()
    )
    return f"<{name}{rendered}>{inner}</{name}>"


def _day(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def _fmt(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def figure_chart(points: Sequence[FigurePoint], box: Box = Box()) -> Markup:
    """A dated scatter of figures with their bounds; each point links to its evidence."""
    dated = [(d, p) for p in points if (d := _day(p.published)) is not None]
    if not dated:
        return Markup('<p class="empty">No dated figures to chart.</p>')
    days = [d for d, _ in dated]
    first, last = min(days), max(days)
    span = max(1, last - first)
    top = _nice_max(max(_upper(p) for _, p in dated))
    parts = [_chart_open(box), *_y_axis(box, top), *_x_axis(box, first, last)]
    for day, point in dated:
        fx = 0.5 if last == first else (day - first) / span
        parts.append(_point(box, fx, top, point))
    parts.append("</svg>")
    return Markup("".join(parts))


def _upper(point: FigurePoint) -> float:
    f = point.figure
    return max(float(v) for v in (f.value, f.high, f.low, 0.0) if v is not None)


def _chart_open(box: Box) -> str:
    return (
        f'<svg class="chart figure-chart" viewBox="0 0 {box.width} {box.height}" '
        'role="img" aria-label="Figure history" xmlns="http://www.w3.org/2000/svg">'
    )


def _y_axis(box: Box, top: float) -> list[str]:
    grey = "#57606a"
    parts = [
        el("line", class_="axis", x1=box.left, y1=box.y(0), x2=box.left, y2=box.top, stroke=grey)
    ]
    right = box.width - box.right
    for i in range(5):
        y = round(box.y(i / 4), 1)
        parts.append(
            el("line", x1=box.left, x2=right, y1=y, y2=y, stroke="#d0d7de", stroke_width=0.5)
        )
        label = _fmt(top * i / 4)
        parts.append(
            el("text", label, class_="tick", x=box.left - 6, y=y + 4, text_anchor="end", **TICK)
        )
    return parts


TICK = {"font_size": 12, "fill": "#57606a"}


def _x_axis(box: Box, first: int, last: int) -> list[str]:
    y = box.y(0)
    right = box.width - box.right
    parts = [el("line", class_="axis", x1=box.left, y1=y, x2=right, y2=y, stroke="#57606a")]
    ticks = [first] if first == last else [first + round((last - first) * i / 4) for i in range(5)]
    for day in dict.fromkeys(ticks):
        fx = 0.5 if first == last else (day - first) / (last - first)
        label = dt.date.fromordinal(day).isoformat()
        x = round(box.x(fx), 1)
        anchor = "end" if day == last and first != last else "middle"
        parts.append(el("text", label, class_="tick", x=x, y=y + 20, text_anchor=anchor, **TICK))
    return parts


def _point(box: Box, fx: float, top: float, point: FigurePoint) -> str:
    f = point.figure
    x = round(box.x(fx), 1)
    stance = point.claim.stance if point.claim else None
    colour = STANCE_COLOURS.get(stance or "", NO_CLAIM)
    bar = ""
    if f.low is not None and f.high is not None and f.low != f.high:
        y1, y2 = round(box.y(f.low / top), 1), round(box.y(f.high / top), 1)
        bar = el("line", x1=x, x2=x, y1=y1, y2=y2, stroke=colour, stroke_width=2)
    y = round(box.y((f.value or 0.0) / top), 1)
    if point.claim and point.claim.hedged:
        marker = el(
            "rect",
            class_="point",
            x=x - 6,
            y=y - 6,
            width=12,
            height=12,
            fill="white",
            stroke=colour,
            stroke_width=2.5,
        )
    else:
        marker = el("circle", class_="point", cx=x, cy=y, r=6, fill=colour)
    inner = bar + marker + el("title", str(escape(_point_title(point))))
    href = article_href(point.article_id, f.id)
    return el("a", inner, href=href, class_="point-link")


def _point_title(point: FigurePoint) -> str:
    f = point.figure
    who = point.claim.speaker.text if point.claim else "no attributed claim"
    stance = f", {point.claim.stance}" if point.claim else ""
    hedged = ", hedged" if point.claim and point.claim.hedged else ""
    where = point.outlet or point.article_id
    amount = f"{_fmt(f.value or 0.0)} {f.unit or ''}".strip()
    return f"{point.published}: “{f.text}” ({amount}) — {who}{stance}{hedged}; {where}"


ARROW = (
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
    'markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8c959f"/>'
    "</marker></defs>"
)


def network_graph(graph: Network, width: int = 820, height: int = 560) -> Markup:
    """Actors as circles, claims about each other as lines; each links to its evidence."""
    if not graph.nodes:
        return Markup('<p class="empty">No attributed claims between named actors yet.</p>')
    positions = layout([n.name for n in graph.nodes], [(e.source, e.target) for e in graph.edges])
    place = {
        name: (40 + x * (width - 80), 30 + y * (height - 70)) for name, (x, y) in positions.items()
    }
    top = max(n.weight for n in graph.nodes) or 1
    radius = {n.name: 6 + 14 * math.sqrt(n.weight / top) for n in graph.nodes}
    parts = [
        f'<svg class="chart network" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Actor network" xmlns="http://www.w3.org/2000/svg">',
        ARROW,
        *(_edge(e, place, radius) for e in graph.edges),
        *(_node(n, place[n.name], radius[n.name]) for n in graph.nodes),
        "</svg>",
    ]
    return Markup("".join(parts))


def _edge(edge: Edge, place: dict[str, tuple[float, float]], radius: dict[str, float]) -> str:
    (x1, y1), (x2, y2) = place[edge.source], place[edge.target]
    dist = math.hypot(x2 - x1, y2 - y1) or 1.0
    r = radius[edge.target] + 2
    x2e, y2e = x2 - (x2 - x1) * r / dist, y2 - (y2 - y1) * r / dist
    colour = STANCE_COLOURS["deny"] if edge.hostile else "#8c959f"
    stances = ", ".join(f"{k} {v}" for k, v in sorted(edge.stances.items()))
    label = f"{edge.source} → {edge.target}: {edge.count} claim(s) ({stances})"
    line = el(
        "line",
        class_="edge",
        x1=round(x1, 1),
        y1=round(y1, 1),
        x2=round(x2e, 1),
        y2=round(y2e, 1),
        stroke=colour,
        stroke_width=min(1 + edge.count, 6),
        marker_end="url(#arrow)",
        opacity=0.8,
    )
    article_id, claim_id = edge.evidence[0]
    inner = line + el("title", str(escape(label)))
    return el("a", inner, href=article_href(article_id, claim_id), class_="edge-link")


TYPE_COLOURS = {"PERSON": "#0969da", "ORG": "#1a7f37", "GPE": "#9a6700", "NORP": "#8250df"}


def _node(node: Node, at: tuple[float, float], r: float) -> str:
    x, y = round(at[0], 1), round(at[1], 1)
    colour = TYPE_COLOURS.get(node.type, "#57606a")
    title = f"{node.name} ({node.type}): {node.said} claim(s) made, mentioned in {node.mentioned}"
    circle = el(
        "circle",
        class_="node",
        cx=x,
        cy=y,
        r=round(r, 1),
        fill=colour,
        fill_opacity=0.85,
        stroke="#fff",
    )
    label = el(
        "text",
        str(escape(node.name)),
        x=x,
        y=round(y + r + 13, 1),
        text_anchor="middle",
        font_size=12,
        fill="#24292f",
    )
    inner = circle + label + el("title", str(escape(title)))
    return el("a", inner, href=entity_href(node.name), class_="node-link")


def layout(
    names: Sequence[str], links: Sequence[tuple[str, str]], rounds: int = 120
) -> dict[str, tuple[float, float]]:
    """A deterministic force-directed layout (Fruchterman-Reingold) in the unit square."""
    n = len(names)
    pos = {
        name: [0.5 + 0.4 * math.cos(2 * math.pi * i / n), 0.5 + 0.4 * math.sin(2 * math.pi * i / n)]
        for i, name in enumerate(names)
    }
    if n < 3:
        return {k: (v[0], v[1]) for k, v in pos.items()}
    k = math.sqrt(1.0 / n)
    for step in range(rounds):
        shift = {name: [0.0, 0.0] for name in names}
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                _push(pos, shift, a, b, k * k, repel=True)
        for a, b in links:
            if a in pos and b in pos and a != b:
                _push(pos, shift, a, b, k, repel=False)
        heat = 0.1 * (1 - step / rounds)
        for name in names:
            dx, dy = shift[name]
            length = math.hypot(dx, dy) or 1.0
            pos[name][0] += dx / length * min(length, heat)
            pos[name][1] += dy / length * min(length, heat)
            pos[name][0] += (0.5 - pos[name][0]) * 0.01
            pos[name][1] += (0.5 - pos[name][1]) * 0.01
    return _normalise(pos)


def _push(
    pos: dict[str, list[float]],
    shift: dict[str, list[float]],
    a: str,
    b: str,
    c: float,
    repel: bool,
) -> None:
    dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
    dist = math.hypot(dx, dy) or 0.01
    force = c / dist if repel else -(dist * dist) / c
    fx, fy = dx / dist * force, dy / dist * force
    shift[a][0] += fx
    shift[a][1] += fy
    shift[b][0] -= fx
    shift[b][1] -= fy


def _normalise(pos: dict[str, list[float]]) -> dict[str, tuple[float, float]]:
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    wx, wy = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {k: ((p[0] - min(xs)) / wx, (p[1] - min(ys)) / wy) for k, p in pos.items()}
