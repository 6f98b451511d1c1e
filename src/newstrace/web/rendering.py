"""Templates (Jinja2, autoescaped) and the helpers pages use in them."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

import newstrace.paths as paths
from newstrace.models import STANCES

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

KINDS = ("direct_quote", "indirect", "according_to", "mixed")


def fmt_num(value: float | None) -> str:
    """4000.0 -> "4,000"; None -> "–"."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def fmt_range(low: float | None, high: float | None) -> str:
    """A figure's bounds: "3,000–5,000", "≤ 4,500", "≥ 100", or "" when unbounded."""
    if low is None and high is None:
        return ""
    if low is None:
        return f"≤ {fmt_num(high)}"
    if high is None:
        return f"≥ {fmt_num(low)}"
    return fmt_num(low) if low == high else f"{fmt_num(low)}–{fmt_num(high)}"


def query_url(request: Request, **changes: Any) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    url = request.url.path
    return f"{url}?{urlencode(params)}" if params else url


def isolated(value: object) -> Markup:
    """`value` escaped, inside ``<bdi>``: a right-to-left override (U+202E) in an outlet
    or a title reorders only itself, never the text around it."""
    return Markup("<bdi>{}</bdi>").format(value)


def marked(text: str, marks: list[tuple[int, int]]) -> Markup:
    """`text` escaped, with each of the `marks` spans (search matches) in ``<mark>``."""
    out, at = Markup(""), 0
    for start, end in sorted(marks):
        if start < at:
            continue
        out += Markup("{}<mark>{}</mark>").format(text[at:start], text[start:end])
        at = end
    return out + Markup("{}").format(text[at:])


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # article content is hostile: never turn this off
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["bdi"] = isolated
    env.globals.update(
        article_href=paths.article_href,
        entity_href=paths.entity_href,
        figures_href=paths.figures_href,
        fmt_num=fmt_num,
        fmt_range=fmt_range,
        marked=marked,
        query_url=query_url,
        STANCES=STANCES,
        KINDS=KINDS,
    )
    return env


templates = Jinja2Templates(env=_environment())


def compile_templates() -> None:
    """Compile every template now (kept by the environment), so that no page's first
    request waits for it (half a second on a loaded machine)."""
    for name in templates.env.list_templates(extensions=["html"]):
        templates.env.get_template(name)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render template `name` with `context` (plus the request and app settings)."""
    config = request.app.state.config
    context.setdefault("read_only", config.read_only)
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    return response
