"""URLs of pages, built in one place (ids may contain slashes: they are quoted)."""

from __future__ import annotations

from urllib.parse import quote, urlencode


def article_href(article_id: str, anchor: str | None = None) -> str:
    """The article page, optionally at one claim, figure or date (`#c3`)."""
    href = "/articles/" + quote(article_id, safe="")
    return f"{href}#{quote(anchor, safe='')}" if anchor else href


def entity_href(name: str) -> str:
    """The entity page of a canonical name."""
    return "/entities/" + quote(name, safe="")


def figures_href(unit: str) -> str:
    """The figure history of a unit."""
    return "/figures?" + urlencode({"unit": unit})
