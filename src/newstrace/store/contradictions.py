"""Stored contradictions (SQLAlchemy Core, portable to PostgreSQL): what the analysis
writes (`analysis.contradictions.refresh_contradictions`) and the one read of them,
filtered, sorted and paged in SQL; and what keeps them up to date: the claim groups
changed since they were found (`analysis_changes`, filled by the queries that change
claim items), the first figure report of each group and the negation key of each claim.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    column,
    delete,
    exists,
    func,
    select,
    tuple_,
    union_all,
    update,
    values,
)
from sqlalchemy.dialects import postgresql, sqlite

from newstrace.store import schema
from newstrace.store.filters import capped_count, in_chunks, one_page

ALL_GROUPS = "*"  # in `analysis_changes`: every group (a migration, a cleared analysis)
# In `analysis_changes`: the claims' stems are still to be filed (`claim_stems`, migration
# 18), and the denials matched through them to be found again.
CLAIM_STEMS = "+stems"

KINDS = ("denial", "dispute", "retraction", "negation", "figure")
SORTS = ("confidence", "date")


def insert_for(conn: Connection) -> Any:
    """The dialect's INSERT (with ``on_conflict_do_nothing``)."""
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


# --- what changed ------------------------------------------------------------------------


def mark_groups(conn: Connection, group_ids: Iterable[str]) -> None:
    """Record that these claim groups changed (their contradictions are to be found again)."""
    rows = [{"group_id": g} for g in dict.fromkeys(group_ids)]
    for chunk in in_chunks(rows):
        conn.execute(
            insert_for(conn)(schema.analysis_changes).values(chunk).on_conflict_do_nothing()
        )


def mark_items(conn: Connection, where: ColumnElement[bool]) -> None:
    """Record the groups of the claim items `where` selects (on `claim_items` alone) as
    changed, before the items change."""
    i = schema.claim_items.c
    found = select(i.group_id).where(where).distinct()
    statement = insert_for(conn)(schema.analysis_changes).from_select(["group_id"], found)
    conn.execute(statement.on_conflict_do_nothing())


def mark_speakers(conn: Connection, canonical_ids: Collection[str]) -> None:
    """Record as changed the groups of the claims whose speaker is linked to one of these
    canonical entities (their actor, or its name, is about to change)."""
    if not canonical_ids:
        return
    i, c, lk = schema.claim_items.c, schema.claims.c, schema.entity_links.c
    ids = list(canonical_ids)
    speaking = (
        select(lk.article_id, lk.entity_id)
        .where(lk.canonical_id.in_(ids) | lk.actor_id.in_(ids))
        .subquery()
    )
    found = (
        select(i.group_id)
        .select_from(
            schema.claim_items.join(
                schema.claims, (c.article_id == i.article_id) & (c.id == i.claim_id)
            ).join(
                speaking,
                (speaking.c.article_id == c.article_id)
                & (speaking.c.entity_id == c.speaker_entity_id),
            )
        )
        .distinct()
    )
    statement = insert_for(conn)(schema.analysis_changes).from_select(["group_id"], found)
    conn.execute(statement.on_conflict_do_nothing())


def changed_groups(conn: Connection) -> set[str]:
    """The groups changed since contradictions were last brought up to date (`ALL_GROUPS`
    among them: all)."""
    found = {r[0] for r in conn.execute(select(schema.analysis_changes.c.group_id))}
    return found - {CLAIM_STEMS}


def stems_pending(conn: Connection) -> bool:
    """Are the claims' stems still to be filed (`CLAIM_STEMS`)?"""
    c = schema.analysis_changes.c
    return conn.execute(select(c.group_id).where(c.group_id == CLAIM_STEMS)).first() is not None


def forget_changes(conn: Connection) -> None:
    """Contradictions are up to date: no group is changed any more."""
    conn.execute(delete(schema.analysis_changes))


def clear_contradictions(conn: Connection) -> None:
    """Forget every stored contradiction, figure report and negation key."""
    for table in (
        schema.contradictions,
        schema.contradiction_members,
        schema.contradiction_tallies,
        schema.figure_reports,
        schema.negation_keys,
    ):
        conn.execute(delete(table))


# --- writing -----------------------------------------------------------------------------


def stale_contradictions(conn: Connection, group_ids: Collection[str]) -> dict[str, str]:
    """(id -> scope) of the stored contradictions with a member found in one of these
    groups."""
    m, c = schema.contradiction_members.c, schema.contradictions.c
    found: dict[str, str] = {}
    for chunk in in_chunks(list(group_ids)):
        ids = select(m.contradiction_id).where(m.group_id.in_(chunk))
        found.update((r[0], r[1]) for r in conn.execute(select(c.id, c.scope).where(c.id.in_(ids))))
    return found


def ids_scoped_under(conn: Connection, prefix: str) -> set[str]:
    """The ids of the stored contradictions whose scope starts with `prefix` ("r:")."""
    c = schema.contradictions.c
    query = select(c.id).where(c.scope.startswith(prefix, autoescape=True))
    return {r[0] for r in conn.execute(query)}


def scoped_ids(conn: Connection, scopes: Collection[str]) -> set[str]:
    """The ids of the stored contradictions found within these scopes."""
    c = schema.contradictions.c
    found: set[str] = set()
    for chunk in in_chunks(list(scopes)):
        # joined from a VALUES list, not `scope IN (...)`: SQLite's statistics give each
        # scope the rows of an average one (a figure series holds thousands), so for a
        # long IN list it scanned the whole table; from the list it looks each one up
        listed = values(column("scope", String), name="listed").data([(s,) for s in chunk])
        wanted = listed.cte("wanted")
        query = select(c.id).join_from(wanted, schema.contradictions, c.scope == wanted.c.scope)
        found.update(r[0] for r in conn.execute(query))
    return found


def delete_contradictions(conn: Connection, ids: Collection[str]) -> None:
    """Remove these contradictions and their members."""
    m, c = schema.contradiction_members, schema.contradictions
    gone: Counter[tuple[str, str]] = Counter()
    for chunk in in_chunks(list(ids)):
        kinds = select(c.c.kind, c.c.stance).where(c.c.id.in_(chunk))
        gone.update((r[0], r[1]) for r in conn.execute(kinds))
        conn.execute(delete(m).where(m.c.contradiction_id.in_(chunk)))
        conn.execute(delete(c).where(c.c.id.in_(chunk)))
    _tally(conn, {key: -n for key, n in gone.items()})


def _tally(conn: Connection, changes: Mapping[tuple[str, str], int]) -> None:
    """Add `changes` (by kind and stance) to `contradiction_tallies`."""
    t = schema.contradiction_tallies
    for (kind, stance), n in changes.items():
        if not n:
            continue
        where = (t.c.kind == kind) & (t.c.stance == stance)
        if conn.execute(update(t).where(where).values(n=t.c.n + n)).rowcount == 0:
            conn.execute(t.insert().values(kind=kind, stance=stance, n=n))
    conn.execute(delete(t).where(t.c.n <= 0))


def save_contradictions(
    conn: Connection,
    rows: Sequence[Mapping[str, Any]],
    members: Sequence[Mapping[str, Any]],
) -> None:
    """Insert contradiction rows and their member rows."""
    if rows:
        conn.execute(schema.contradictions.insert(), list(rows))
        _tally(conn, Counter((r["kind"], r["stance"]) for r in rows))
    if members:
        conn.execute(schema.contradiction_members.insert(), list(members))


def delete_figure_reports(conn: Connection, group_ids: Collection[str]) -> None:
    """Forget the first figure reports of these groups."""
    f = schema.figure_reports
    for chunk in in_chunks(list(group_ids)):
        conn.execute(delete(f).where(f.c.group_id.in_(chunk)))


def save_figure_reports(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert first figure reports (group_id, series, day and the item)."""
    if rows:
        conn.execute(schema.figure_reports.insert(), list(rows))


def figure_reports_near(
    conn: Connection, series: str, since: str, until: str
) -> list[tuple[str, str, str]]:
    """(article, claim, figure) of the first reports of `series` dated from `since` to
    `until` (both inclusive, YYYY-MM-DD)."""
    f = schema.figure_reports.c
    query = select(f.article_id, f.claim_id, f.figure_id).where(
        f.series == series, f.day >= since, f.day <= until
    )
    return [(r[0], r[1], r[2]) for r in conn.execute(query)]


def save_negation_keys(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """File claim items (article_id, claim_id, figure_id) under their negation `key`,
    replacing what they were filed under."""
    n = schema.negation_keys
    for chunk in in_chunks(rows, 3):
        keys = [(r["article_id"], r["claim_id"], r["figure_id"]) for r in chunk]
        # the articles named apart: SQLite then looks the keys up by index (a row-value
        # IN alone read every negation key)
        articles = n.c.article_id.in_(sorted({k[0] for k in keys}))
        listed = tuple_(n.c.article_id, n.c.claim_id, n.c.figure_id).in_(keys)
        conn.execute(delete(n).where(articles, listed))
        conn.execute(n.insert(), chunk)


def negation_keyed(conn: Connection, keys: Collection[str]) -> list[tuple[str, str]]:
    """(article, claim) of the claim items filed under these negation keys."""
    n, i = schema.negation_keys.c, schema.claim_items.c
    found: list[tuple[str, str]] = []
    for chunk in in_chunks(list(keys)):
        query = (
            select(n.article_id, n.claim_id)
            .where(n.key.in_(chunk))
            .where(
                exists().where(
                    i.article_id == n.article_id,
                    i.claim_id == n.claim_id,
                    i.figure_id == n.figure_id,
                )
            )
            .distinct()
        )
        found.extend((r[0], r[1]) for r in conn.execute(query))
    return found


# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ContradictionFilter:
    """Which contradictions a listing shows, and in which order: `kind`; `stance` of the
    disputing side (deny, dispute; assert for figures and negations); `entity_id`, an
    actor of either side; `series`, text in a figure series key of either side ("troops");
    at least `min_confidence`; `sort` by confidence (most certain first, then oldest) or
    date (newest first, then most certain)."""

    kind: str | None = None
    stance: str | None = None
    entity_id: str | None = None
    series: str | None = None
    min_confidence: float = 0.0
    sort: str = "confidence"

    def where(self, dialect: str) -> list[ColumnElement[bool]]:
        """The SQL conditions on `contradictions`."""
        c, m = schema.contradictions.c, schema.contradiction_members.c
        found: list[ColumnElement[bool]] = []
        if self.kind:
            found.append(c.kind == self.kind)
        if self.stance:
            found.append(c.stance == self.stance)
        if self.entity_id:
            found.append(c.id.in_(select(m.contradiction_id).where(m.actor_id == self.entity_id)))
        if self.series:
            text = self.series.lower()
            series = select(m.contradiction_id).where(
                func.lower(m.series).contains(text, autoescape=True)
            )
            found.append(c.id.in_(series))
        if self.min_confidence:
            found.append(c.confidence >= self.min_confidence - 1e-9)
        return found


def _selected(wanted: ContradictionFilter, dialect: str) -> Select[Any]:
    c = schema.contradictions.c
    query = select(schema.contradictions).where(*wanted.where(dialect))
    if wanted.sort == "date":
        return query.order_by(c.date.desc(), c.confidence.desc(), c.group_id.desc(), c.id.desc())
    return query.order_by(c.confidence.desc(), c.date, c.group_id, c.id)


def contradiction_rows(
    conn: Connection, wanted: ContradictionFilter, limit: int | None, offset: int
) -> list[Mapping[Any, Any]]:
    """One page of the stored contradictions `wanted` keeps, in its order."""
    query = one_page(_selected(wanted, conn.dialect.name), limit, offset)
    return [r._mapping for r in conn.execute(query)]


def contradiction_count(conn: Connection, wanted: ContradictionFilter) -> int:
    """How many stored contradictions `wanted` keeps (counted up to COUNT_CAP + 1)."""
    c = schema.contradictions.c
    return capped_count(conn, select(c.id).where(*wanted.where(conn.dialect.name)))


def contradiction_tallies(
    conn: Connection, wanted: ContradictionFilter
) -> list[tuple[str, str, int]]:
    """(kind, disputing stance, count) of the stored contradictions `wanted` keeps (read
    from their tallies when it narrows by kind and stance only)."""
    c = schema.contradictions.c
    if not (wanted.entity_id or wanted.series or wanted.min_confidence):
        t = schema.contradiction_tallies.c
        tallied = select(t.kind, t.stance, t.n)
        if wanted.kind:
            tallied = tallied.where(t.kind == wanted.kind)
        if wanted.stance:
            tallied = tallied.where(t.stance == wanted.stance)
        return [(r[0], r[1], int(r[2])) for r in conn.execute(tallied)]
    query = (
        select(c.kind, c.stance, func.count())
        .where(*wanted.where(conn.dialect.name))
        .group_by(c.kind, c.stance)
    )
    return [(r[0], r[1], int(r[2])) for r in conn.execute(query)]


def member_rows(
    conn: Connection, ids: Collection[str], max_members: int | None = None
) -> list[Mapping[Any, Any]]:
    """The member rows of these contradictions, by side and position (at most
    `max_members` a side)."""
    m = schema.contradiction_members.c
    found: list[Mapping[Any, Any]] = []
    for chunk in in_chunks(list(ids)):
        query = select(schema.contradiction_members).where(m.contradiction_id.in_(chunk))
        if max_members is not None:
            query = query.where(m.position < max_members)
        found.extend(r._mapping for r in conn.execute(query.order_by(m.side, m.position)))
    return found


# --- claims by word stem ----------------------------------------------------------------

ASSERTING, DENYING = "assert", "deny"  # the roles of `claim_stems`


def save_claim_stems(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """File the claims of some articles under their word stems: rows of `claim_stems`
    (role, stem, day, article_id, claim_id, stems), replacing what those articles'
    claims were filed under."""
    t = schema.claim_stems
    # by article (its index): a row-value IN of (article, claim) read the whole table
    for chunk in in_chunks(sorted({r["article_id"] for r in rows})):
        conn.execute(delete(t).where(t.c.article_id.in_(chunk)))
    for part in in_chunks(rows, 6):
        conn.execute(t.insert(), list(part))


def claims_holding(
    conn: Connection, stems: Collection[str], since: str, until: str
) -> list[tuple[str, str]]:
    """(article, claim) of the asserting claims filed under every one of `stems`,
    published from day `since` to `until` (inclusive) or on no known day."""
    return _claims_filed(conn, ASSERTING, stems, (since, until), lambda _: len(set(stems)))


def denials_within(
    conn: Connection, stems: Collection[str], since: str, until: str
) -> list[tuple[str, str]]:
    """(article, claim) of the denying claims all of whose stems are among `stems`,
    published from day `since` to `until` (inclusive) or on no known day."""
    return _claims_filed(conn, DENYING, stems, (since, until), lambda hits: func.max(hits.c.stems))


def _claims_filed(
    conn: Connection,
    role: str,
    stems: Collection[str],
    days: tuple[str, str],
    wanted: Callable[[Any], Any],
) -> list[tuple[str, str]]:
    """(article, claim) of the claims of `role` in `days` with `wanted(hits)` of `stems`
    (the rows found, `_filed`)."""
    if not stems:
        return []
    hits = _filed(role, stems, *days)
    query = (
        select(hits.c.article_id, hits.c.claim_id)
        .group_by(hits.c.article_id, hits.c.claim_id)
        .having(func.count() == wanted(hits))
        .order_by(hits.c.article_id, hits.c.claim_id)
    )
    return [(r.article_id, r.claim_id) for r in conn.execute(query)]


def _filed(role: str, stems: Collection[str], since: str, until: str) -> Any:
    """The rows of `claim_stems` of `role` under `stems` in the days `since` to `until`
    and on no day: each a range of the primary key (role, stem, day), so that the rows
    read are those of the window, however long the store's history."""
    t = schema.claim_stems.c
    base = select(t.article_id, t.claim_id, t.stems).where(
        t.role == role, t.stem.in_(sorted(set(stems)))
    )
    parts = [base.where(t.day.between(since, until))]
    if since > "":  # an undated claim is within every window
        parts.append(base.where(t.day == ""))
    return union_all(*parts).subquery("filed") if len(parts) > 1 else parts[0].subquery("filed")


def articles_of_roots(conn: Connection, roots: Collection[str]) -> list[str]:
    """The articles of these copy groups (the root and its copies)."""
    a = schema.articles.c
    found: list[str] = []
    for chunk in in_chunks(list(roots)):
        query = select(a.id).where(a.id.in_(chunk) | a.duplicate_of.in_(chunk))
        found.extend(r[0] for r in conn.execute(query))
    return found
