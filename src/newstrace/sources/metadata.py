"""Metadata normalisation shared by the sources: ISO dates and outlet names."""

from __future__ import annotations

import re
import time
from datetime import date, datetime
from urllib.parse import urlsplit

from newstrace.models import domain_of

_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")
# A feed's title names the site, often with its section after a separator
# ("Northgate Post - World", "World | The Meridian Herald" is rarer and kept whole).
_FEED_SECTION = re.compile(r"\s+[-|\u2013\u2014\u00b7:]\s+.*$")


def iso_date(value: object) -> str | None:
    """`value` as ``YYYY-MM-DD``, or None when it is not a recognisable date."""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time.struct_time):
        return _from_struct(value)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text).strftime("%Y-%m-%d")
    except ValueError:
        pass
    if _ISO_PREFIX.match(text):
        return _valid_iso(text[:10])
    return _parse_loose(text)


def outlet_from_url(url: str | None) -> str | None:
    """The host of `url` without ``www.``, or None for a URL without one."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def feed_site_name(title: str | None) -> str | None:
    """The site's name in a feed's title, without the section after a separator
    ("Northgate Post - World" -> "Northgate Post"); None for a domain or no title."""
    if not title or not title.strip() or domain_of(title):
        return None
    return _FEED_SECTION.sub("", title.strip()) or None


def _from_struct(value: time.struct_time) -> str | None:
    try:
        return date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
    except ValueError:
        return None


def _valid_iso(text: str) -> str | None:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _parse_loose(text: str) -> str | None:
    import dateparser  # slow to import: only when a date is not ISO

    if len(text) > 100:
        return None
    # No relative-time parser: "yesterday" is not a publication date without a reference.
    parsed = dateparser.parse(
        text,
        settings={
            "STRICT_PARSING": True,
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
        },
    )
    return parsed.strftime("%Y-%m-%d") if parsed else None
