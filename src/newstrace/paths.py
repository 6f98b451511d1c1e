"""URLs of pages, built in one place (ids may contain slashes: they are quoted)."""

from __future__ import annotations

from urllib.parse import quote, urlencode


def article_href(article_id: str, anchor: str | None = None) -> str:
    """The article page, optionally at one claim, figure or date (`#c3`)."""
    href = "/articles/" + quote(article_id, safe="")
    return f"{href}#{quote(anchor, safe='')}" if anchor else href


def entity_href(key: str) -> str:
    """The entity page: by canonical id, or by a name as written (which redirects)."""
    return "/entities/" + quote(key, safe="")


def figures_href(about: str) -> str:
    """The figure history of a unit (or of figures worded with `about`)."""
    return "/figures?" + urlencode({"about": about})


def alerts_href(rule: str | None = None) -> str:
    """The alert history, optionally of one rule (by name)."""
    return "/alerts" + ("?" + urlencode({"rule": rule}) if rule else "")
