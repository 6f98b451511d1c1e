"""Charts drawn on the server as SVG: no JavaScript libraries, nothing fetched.

Every text that comes from an article (names, titles, claim text) goes through
`markupsafe.escape`; numbers are formatted here. Colours are presentation
attributes, not `style=`, so the page's Content-Security-Policy can forbid inline
styles.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup, escape

from newstrace.analysis.history import FigurePoint
from newstrace.analysis.plot import bounds, needs_log_scale, point_day
from newstrace.paths import article_href, entity_href
from newstrace.web.graph import Edge, Graph, Node

NO_CLAIM = "#6e7781"
SERIES_COLOURS = {
    "named": "#1f6feb",
    "chain": "#1a7f37",
    "anonymous": "#bf8700",
    "unattributed": "#8250df",
}
EDGE_COLOURS = {"speaks_about": "#8c959f", "disputes": "#cf222e", "cites": "#0969da"}


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
    """A dated scatter of one series' reported values, one colour per source type,
    points at the date each figure describes, bars for stated ranges, vague amounts
    ("several thousand") as bars only, and a log axis when one value would flatten the
    rest; each point links to its evidence span."""
    dated = [(d.toordinal(), p) for p in points if (d := point_day(p)) is not None]
    if not dated:
        return Markup('<p class="empty">No dated figures to chart.</p>')
    days = [d for d, _ in dated]
    first, last = min(days), max(days)
    span = max(1, last - first)
    scale = _Scale.fit([v for _, p in dated for v in bounds(p) if v is not None])
    parts = [_chart_open(box), *_y_axis(box, scale), *_x_axis(box, first, last)]
    seen: Counter[tuple[int, tuple[float | None, ...]]] = Counter()
    # ranges and vague amounts first, so the exact points drawn over them stay clickable
    for day, point in sorted(dated, key=lambda dp: bounds(dp[1])[0] is not None):
        fx = 0.5 if last == first else (day - first) / span
        # points of the same day and value side by side, so each stays clickable
        place = (day, tuple(bounds(point)))
        parts.append(_point(box, fx, scale, point, dodge=_DODGE * seen[place]))
        seen[place] += 1
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class _Scale:
    """The value axis: linear from 0 to `top`, or logarithmic from `bottom` to `top`."""

    top: float
    bottom: float = 0.0
    log: bool = False

    @classmethod
    def fit(cls, values: Sequence[float]) -> _Scale:
        if needs_log_scale(values):
            positive = [v for v in values if v > 0]
            low = 10.0 ** math.floor(math.log10(min(positive)))
            high = 10.0 ** math.ceil(math.log10(max(positive)))
            return cls(high, low, log=True)
        return cls(_nice_max(max([*values, 0.0])))

    def fraction(self, value: float) -> float:
        if self.log:
            if value <= self.bottom:
                return 0.0
            return math.log10(value / self.bottom) / math.log10(self.top / self.bottom)
        return value / self.top

    def ticks(self) -> list[float]:
        if self.log:
            n = round(math.log10(self.top / self.bottom))
            return [self.bottom * 10**i for i in range(n + 1)]
        return [self.top * i / 4 for i in range(5)]


def _chart_open(box: Box) -> str:
    return (
        f'<svg class="chart figure-chart" viewBox="0 0 {box.width} {box.height}" '
        'role="img" aria-label="Figure history" xmlns="http://www.w3.org/2000/svg">'
    )


def _y_axis(box: Box, scale: _Scale) -> list[str]:
    grey = "#57606a"
    parts = [
        el("line", class_="axis", x1=box.left, y1=box.y(0), x2=box.left, y2=box.top, stroke=grey)
    ]
    right = box.width - box.right
    for tick in scale.ticks():
        y = round(box.y(scale.fraction(tick)), 1)
        parts.append(
            el("line", x1=box.left, x2=right, y1=y, y2=y, stroke="#d0d7de", stroke_width=0.5)
        )
        parts.append(
            el(
                "text",
                _fmt(tick),
                class_="tick",
                x=box.left - 6,
                y=y + 4,
                text_anchor="end",
                **TICK,
            )
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


_DODGE = 13.0  # a marker's width and a pixel: coincident points sit side by side


def _point(box: Box, fx: float, scale: _Scale, point: FigurePoint, dodge: float = 0.0) -> str:
    m = point.member
    value, low, high = bounds(point)
    x = round(box.x(fx) + dodge, 1)
    colour = SERIES_COLOURS.get(point.source_type, NO_CLAIM)
    bar = ""
    ranged = low is not None and high is not None and low != high
    if ranged:
        y1, y2 = (
            round(box.y(scale.fraction(low or 0.0)), 1),
            round(box.y(scale.fraction(high or 0.0)), 1),
        )
        bar = el("line", x1=x, x2=x, y1=y1, y2=y2, stroke=colour, stroke_width=4)
    fill = colour if point.first_report else "white"
    cls = f"point series-{point.source_type}"
    if value is None or ranged:
        # a vague amount or a stated range: the bar is the figure, with a thin hit area
        y1 = round(box.y(scale.fraction(high or low or 0.0)), 1)
        y2 = round(box.y(scale.fraction(low or 0.0)), 1)
        marker = el(
            "rect", class_=cls, x=x - 5, y=y1, width=10, height=max(2.0, y2 - y1),
            fill=fill, fill_opacity=0.25, stroke=colour, stroke_width=1,
        )  # fmt: skip
    else:
        y = round(box.y(scale.fraction(value)), 1)
        if m.hedged:
            marker = el(
                "rect", class_=cls, x=x - 6, y=y - 6, width=12, height=12,
                fill=fill, stroke=colour, stroke_width=2.5,
            )  # fmt: skip
        else:
            marker = el(
                "circle", class_=cls, cx=x, cy=y, r=6, fill=fill, stroke=colour, stroke_width=2
            )
    inner = bar + marker + el("title", str(escape(_point_title(point))))
    href = article_href(m.article_id, m.figure_id or m.claim_id)
    return el("a", inner, href=href, class_="point-link")


def _point_title(point: FigurePoint) -> str:
    m = point.member
    hedged = ", hedged" if m.hedged else ""
    repeat = "" if point.first_report else " (repeats an earlier report)"
    if m.value is None:
        amount = f"{_fmt(m.low or 0.0)} to {_fmt(m.high) if m.high else '?'}"
    else:
        amount = _fmt(m.value)
    amount = f"{amount} {m.unit or ''}".strip()
    said = m.figure_text or m.content or ""
    return (
        f"{m.as_of or m.published}: “{said}” ({amount}) — {point.source}, {m.stance}{hedged}; "
        f"{m.outlet_shown}{repeat}"
    )


ARROW = (
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
    'markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8c959f"/>'
    "</marker></defs>"
)


def network_graph(graph: Graph, width: int = 820, height: int = 560) -> Markup:
    """Actors as circles, counted claims between them as arrows coloured by kind."""
    if not graph.nodes:
        return Markup('<p class="empty">No attributed claims between named actors yet.</p>')
    positions = layout([n.id for n in graph.nodes], [(e.source, e.target) for e in graph.edges])
    place = {
        node: (40 + x * (width - 80), 30 + y * (height - 70)) for node, (x, y) in positions.items()
    }
    top = max(n.weight for n in graph.nodes) or 1
    radius = {n.id: 6 + 14 * math.sqrt(n.weight / top) for n in graph.nodes}
    parts = [
        f'<svg class="chart network" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Actor network" xmlns="http://www.w3.org/2000/svg">',
        ARROW,
        *(_edge(e, graph, place, radius) for e in graph.edges),
        *(_node(n, place[n.id], radius[n.id]) for n in graph.nodes),
        "</svg>",
    ]
    return Markup("".join(parts))


def node_href(node: Node) -> str:
    """An actor's page, or the claims of a speaker that resolved to no entity."""
    if node.resolved:
        return entity_href(node.id)
    return "/claims?" + urlencode({"speaker": node.label})


def _edge(
    edge: Edge, graph: Graph, place: dict[str, tuple[float, float]], radius: dict[str, float]
) -> str:
    (x1, y1), (x2, y2) = place[edge.source], place[edge.target]
    dist = math.hypot(x2 - x1, y2 - y1) or 1.0
    r = radius[edge.target] + 2
    x2e, y2e = x2 - (x2 - x1) * r / dist, y2 - (y2 - y1) * r / dist
    colour = EDGE_COLOURS.get(edge.kind, "#8c959f")
    kind = edge.kind.replace("_", " ")
    label = f"{graph.label(edge.source)} {kind} {graph.label(edge.target)}: {edge.count} claim(s)"
    line = el(
        "line",
        class_=f"edge edge-{edge.kind}",
        x1=round(x1, 1),
        y1=round(y1, 1),
        x2=round(x2e, 1),
        y2=round(y2e, 1),
        stroke=colour,
        stroke_width=min(1 + edge.count, 6),
        marker_end="url(#arrow)",
        opacity=0.8,
    )
    source = next(n for n in graph.nodes if n.id == edge.source)
    inner = line + el("title", str(escape(label)))
    return el("a", inner, href=node_href(source), class_="edge-link")


TYPE_COLOURS = {"PERSON": "#0969da", "ORG": "#1a7f37", "GPE": "#9a6700", "NORP": "#8250df"}


def _node(node: Node, at: tuple[float, float], r: float) -> str:
    x, y = round(at[0], 1), round(at[1], 1)
    colour = TYPE_COLOURS.get(node.type, "#57606a")
    kind = node.type if node.resolved else "not resolved to an entity"
    title = f"{node.label} ({kind}): {node.weight} claim(s) in or out"
    circle = el(
        "circle",
        class_="node",
        cx=x,
        cy=y,
        r=round(r, 1),
        fill=colour,
        fill_opacity=0.85 if node.resolved else 0.35,
        stroke="#fff",
    )
    label = el(
        "text",
        str(escape(node.label)),
        x=x,
        y=round(y + r + 13, 1),
        text_anchor="middle",
        font_size=12,
        fill="#24292f",
    )
    inner = circle + label + el("title", str(escape(title)))
    return el("a", inner, href=node_href(node), class_="node-link")


GRAVITY = 0.08  # pulls every actor to the centre, so that small clusters stay in view


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
            pos[name][0] += (0.5 - pos[name][0]) * GRAVITY
            pos[name][1] += (0.5 - pos[name][1]) * GRAVITY
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
