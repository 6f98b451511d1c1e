"""What an alert rule may say, checked once when it is added (CLI, API)."""

from __future__ import annotations

import secrets
from typing import Any

from newstrace.errors import FilterError
from newstrace.models import STANCES, numbered
from newstrace.store.alerts import RuleSpec

KINDS = ("series", "contradiction", "claim", "search")
"""series: a figure series moves; contradiction: a new contradiction (about an entity
or a series); claim: an entity makes a claim; search: a search gets new matches."""

DELIVERIES = ("stdout", "file", "webhook", "email")


def rule_spec(
    name: str,
    kind: str,
    *,
    series: str | None = None,
    about: str | None = None,
    change: float | None = None,
    entity: str | None = None,
    words: str | None = None,
    stance: str | None = None,
    query: str | None = None,
    delivery: str = "stdout",
    target: str | None = None,
    secret: str | None = None,
) -> RuleSpec:
    """Check a rule's options against its kind and delivery; `FilterError` names the
    option that is missing or means nothing here. A webhook without `secret` gets a
    random one (shown once by the CLI)."""
    if not name.strip() or numbered(name, "R") is not None:
        # "2" and "R2" are how commands name rule 2 (`alert list` shows R2)
        raise FilterError(f"alert name {name!r}: give a name that is not a number or a rule id")
    if kind not in KINDS:
        raise FilterError(f"alert kind {kind!r}: one of {', '.join(KINDS)}")
    params = _params(kind, series, about, change, entity, words, stance, query)
    how, where, key = _delivery(delivery, target, secret)
    return RuleSpec(name.strip(), kind, params, how, where, key)


def _params(
    kind: str,
    series: str | None,
    about: str | None,
    change: float | None,
    entity: str | None,
    words: str | None,
    stance: str | None,
    query: str | None,
) -> dict[str, Any]:
    allowed = {
        "series": {"series", "about", "change"},
        "contradiction": {"series", "entity"},
        "claim": {"entity", "words", "stance"},
        "search": {"query"},
    }[kind]
    given = {
        "series": series, "about": about, "change": change, "entity": entity,
        "words": words, "stance": stance, "query": query,
    }  # fmt: skip
    params = {k: v for k, v in given.items() if v is not None and v != ""}
    extra = sorted(set(params) - allowed)
    if extra:
        raise FilterError(f"alert kind {kind}: --{extra[0]} does not apply")
    if kind == "series" and ("series" in params) == ("about" in params):
        raise FilterError("alert kind series: give --series KEY or --about TERMS")
    if kind == "claim" and "entity" not in params:
        raise FilterError("alert kind claim: give --entity (who speaks)")
    if kind == "search" and not str(params.get("query", "")).strip():
        raise FilterError("alert kind search: give --query")
    if stance is not None and stance not in STANCES:
        raise FilterError(f"--stance {stance!r}: one of {', '.join(STANCES)}")
    if change is not None and change < 0:
        raise FilterError(f"--change {change}: a percentage, 0 or more")
    return params


def _delivery(delivery: str, target: str | None, secret: str | None) -> tuple[str, str, str]:
    if delivery not in DELIVERIES:
        raise FilterError(f"delivery {delivery!r}: one of {', '.join(DELIVERIES)}")
    if delivery == "stdout":
        return delivery, "", ""
    if not target:
        wanted = {"file": "a file path", "webhook": "a URL", "email": "an address"}[delivery]
        raise FilterError(f"delivery {delivery}: give --target ({wanted})")
    if delivery == "webhook":
        if not target.startswith(("http://", "https://")):
            raise FilterError(f"--target {target!r}: a webhook is an http(s) URL")
        return delivery, target, secret or secrets.token_hex(16)
    if delivery == "email" and "@" not in target:
        raise FilterError(f"--target {target!r}: not an email address")
    return delivery, target, ""
