"""A user's corrections to entity resolution: merges and splits.

Corrections are stored by name key (not by id), in their own table, and re-applied after
every analysis run, so they survive re-ingesting articles and rebuilding the analysis.
"""

from __future__ import annotations

from datetime import UTC, datetime

from newstrace.analysis.entities import canonical_id
from newstrace.analysis.holders import key_series_by_canonical_holder
from newstrace.analysis.text import name_key, name_tokens, person_key
from newstrace.errors import NotFoundError
from newstrace.store import Transaction
from newstrace.store import analysis_queries as q


def find_canonical(conn: Transaction, ref: str) -> q.CanonicalRow:
    """The canonical entity named by id, or by exact name when unambiguous."""
    rows = q.load_canonicals(conn, [ref])
    if ref in rows:
        return rows[ref]
    matches = [row for row, _, _ in q.canonical_listing(conn, None) if row.name == ref]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFoundError(f"{ref}: no such entity (use an id from `newstrace entities`)")
    raise NotFoundError(f"{ref}: several entities have this name; use an id")


def record_merge(conn: Transaction, keep: str, other: str) -> None:
    """Merge entity `other` into `keep` now and whenever the analysis runs again."""
    target, source = find_canonical(conn, keep), find_canonical(conn, other)
    if target.id == source.id:
        return
    q.add_correction(conn, "merge", target.key, source.key, _now())
    apply_corrections(conn)


def record_split(conn: Transaction, entity: str, alias: str) -> str:
    """Split the mentions named `alias` out of `entity`; returns the new entity's id."""
    target = find_canonical(conn, entity)
    q.add_correction(conn, "split", target.key, alias, _now())
    apply_corrections(conn)
    return canonical_id("split:" + name_key(alias))


def apply_corrections(conn: Transaction) -> None:
    """Re-apply every stored correction, oldest first (idempotent), and key the figure
    series by the canonical holders they leave (`key_series_by_canonical_holder`)."""
    corrections = q.corrections(conn)
    for action, target, other in corrections:
        if action == "merge":
            _apply_merge(conn, target, other)
        elif action == "split":
            _apply_split(conn, target, other)
    if corrections:
        key_series_by_canonical_holder(conn, None)


def _apply_merge(conn: Transaction, target_key: str, source_key: str) -> None:
    target, source = q.canonical_by_key(conn, target_key), q.canonical_by_key(conn, source_key)
    if target is None or source is None or target == source:
        return
    rows = q.load_canonicals(conn, [target, source])
    kept, gone = rows[target], rows[source]
    kept.aliases = list(dict.fromkeys([*kept.aliases, gone.name, *gone.aliases]))
    kept.roles = list(dict.fromkeys([*kept.roles, *gone.roles]))
    q.relink(conn, source, target)
    q.move_keys(conn, source, target)
    q.delete_canonical(conn, source)
    q.save_canonicals(conn, [kept])


def _alias_keys(alias: str) -> set[str]:
    keys = {"n:" + name_key(alias)}
    tokens = name_tokens(alias)
    if tokens:
        keys.add("p:" + person_key(alias))
    if len(tokens) == 1:
        keys.add("ps:" + tokens[0])
    return keys


def _apply_split(conn: Transaction, target_key: str, alias: str) -> None:
    target = q.canonical_by_key(conn, target_key)
    if target is None:
        return
    wanted = name_key(alias)
    moved = [
        (e["article_id"], e["id"], e["name"], e["type"])
        for e in q.linked_entities(conn, target)
        if name_key(e["name"]) == wanted
    ]
    q.remove_keys(conn, target, _alias_keys(alias))
    if not moved:
        return
    new_key = "split:" + wanted
    new_id = canonical_id(new_key)
    if not q.load_canonicals(conn, [new_id]):
        q.save_canonicals(conn, [q.CanonicalRow(new_id, new_key, alias, moved[0][3], [alias], [])])
    q.relink(conn, target, new_id, entities=[(a, i) for a, i, _, _ in moved])
    q.add_keys(conn, ((k, new_id) for k in _alias_keys(alias)))
    _drop_alias(conn, target, alias)


def _drop_alias(conn: Transaction, target: str, alias: str) -> None:
    row = q.load_canonicals(conn, [target])[target]
    row.aliases = [a for a in row.aliases if name_key(a) != name_key(alias)]
    q.save_canonicals(conn, [row])


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


__all__ = ["apply_corrections", "find_canonical", "record_merge", "record_split"]
