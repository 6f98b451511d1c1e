"""Versioned schema migrations, recorded in `schema_migrations` as they run.

Each migration is frozen: it carries its own DDL, written out as it shipped, and never
reads today's table definitions (`schema.py`), so a store migrated from any earlier
version ends up exactly like a fresh one (`tests/test_migrations.py` checks this against
fixture stores of every earlier version on SQLite and PostgreSQL). Add a new step at the
end of `MIGRATIONS` (and the matching change to `schema.py`); never edit one that has
shipped. Statements may use two placeholders for the few types the dialects spell
differently: `{blob}` (BLOB / BYTEA) and `{serial}` (INTEGER / SERIAL).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, inspect, select, text

from newstrace.store import schema


@dataclass(frozen=True)
class Migration:
    """One schema step: its version number, a name, and the function that applies it."""

    version: int
    name: str
    apply: Callable[[Connection], None]


_TYPES = {
    "sqlite": {"blob": "BLOB", "serial": "INTEGER"},
    "postgresql": {"blob": "BYTEA", "serial": "SERIAL"},
}


def run_ddl(conn: Connection, *statements: str) -> None:
    """Execute frozen DDL statements, filling in the dialect's `{blob}` and `{serial}`."""
    types = _TYPES[conn.dialect.name]
    for statement in statements:
        conn.execute(text(statement.format(**types)))


def _ddl(*statements: str, dialect: str | None = None) -> Callable[[Connection], None]:
    """A migration step running `statements` (only on `dialect` when given)."""

    def apply(conn: Connection) -> None:
        if dialect is None or conn.dialect.name == dialect:
            run_ddl(conn, *statements)

    return apply


# The bookkeeping table itself, created before any step runs.
_SCHEMA_MIGRATIONS = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version {serial} NOT NULL,
    name VARCHAR NOT NULL,
    applied_at VARCHAR NOT NULL,
    PRIMARY KEY (version)
)"""

# --- 1: articles and extraction tables ------------------------------------------------

_V1 = (
    """CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    title TEXT,
    url TEXT,
    outlet VARCHAR,
    published VARCHAR,
    author TEXT,
    text TEXT NOT NULL,
    removed TEXT NOT NULL,
    duplicate_of VARCHAR,
    similarity FLOAT,
    locator TEXT,
    raw TEXT,
    raw_kind VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    signature {blob},
    ingested_at VARCHAR NOT NULL,
    PRIMARY KEY (id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_articles_duplicate_of ON articles (duplicate_of)",
    "CREATE INDEX IF NOT EXISTS ix_articles_outlet ON articles (outlet)",
    "CREATE INDEX IF NOT EXISTS ix_articles_published ON articles (published)",
    "CREATE INDEX IF NOT EXISTS ix_articles_seq ON articles (seq)",
    """CREATE TABLE IF NOT EXISTS entities (
    article_id VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    name TEXT NOT NULL,
    type VARCHAR NOT NULL,
    refers_to VARCHAR,
    aliases TEXT NOT NULL,
    roles TEXT NOT NULL,
    mentions TEXT NOT NULL,
    PRIMARY KEY (article_id, id),
    FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE
)""",
    "CREATE INDEX IF NOT EXISTS ix_entities_name ON entities (name)",
    """CREATE TABLE IF NOT EXISTS claims (
    article_id VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    speaker TEXT NOT NULL,
    speaker_start INTEGER,
    speaker_end INTEGER,
    speaker_entity_id VARCHAR,
    source_chain TEXT NOT NULL,
    cue TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    content TEXT NOT NULL,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    stance VARCHAR NOT NULL,
    hedged BOOLEAN NOT NULL,
    figure_ids TEXT NOT NULL,
    time_ids TEXT NOT NULL,
    PRIMARY KEY (article_id, id),
    FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE
)""",
    "CREATE INDEX IF NOT EXISTS ix_claims_speaker ON claims (speaker)",
    "CREATE INDEX IF NOT EXISTS ix_claims_stance ON claims (stance)",
    """CREATE TABLE IF NOT EXISTS figures (
    article_id VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    value FLOAT,
    low FLOAT,
    high FLOAT,
    qualifier VARCHAR,
    unit VARCHAR,
    claim_id VARCHAR,
    PRIMARY KEY (article_id, id),
    FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE
)""",
    "CREATE INDEX IF NOT EXISTS ix_figures_unit ON figures (unit)",
    """CREATE TABLE IF NOT EXISTS times (
    article_id VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    value VARCHAR,
    granularity VARCHAR NOT NULL,
    PRIMARY KEY (article_id, id),
    FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE
)""",
)

# --- 2: full-text index ---------------------------------------------------------------

_V2_POSTGRESQL = (
    "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED",
    "CREATE INDEX articles_search_idx ON articles USING GIN (search)",
)
_V2_SQLITE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
    "article_id UNINDEXED, title, text, tokenize='porter unicode61')",
)

# --- 3: cross-article analysis --------------------------------------------------------
# IF NOT EXISTS throughout: stores created while migration 1 still built every table
# of its day already have these.

_V3 = (
    """CREATE TABLE IF NOT EXISTS canonical_entities (
    id VARCHAR NOT NULL,
    "key" VARCHAR NOT NULL,
    name TEXT NOT NULL,
    type VARCHAR NOT NULL,
    aliases TEXT NOT NULL,
    roles TEXT NOT NULL,
    PRIMARY KEY (id)
)""",
    'CREATE INDEX IF NOT EXISTS ix_canonical_entities_key ON canonical_entities ("key")',
    "CREATE INDEX IF NOT EXISTS ix_canonical_entities_name ON canonical_entities (name)",
    """CREATE TABLE IF NOT EXISTS canonical_keys (
    "key" VARCHAR NOT NULL,
    canonical_id VARCHAR NOT NULL,
    PRIMARY KEY ("key", canonical_id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_canonical_keys_canonical_id ON canonical_keys (canonical_id)",
    """CREATE TABLE IF NOT EXISTS entity_links (
    article_id VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    canonical_id VARCHAR NOT NULL,
    actor_id VARCHAR NOT NULL,
    PRIMARY KEY (article_id, entity_id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_entity_links_actor_id ON entity_links (actor_id)",
    "CREATE INDEX IF NOT EXISTS ix_entity_links_canonical_id ON entity_links (canonical_id)",
    """CREATE TABLE IF NOT EXISTS entity_corrections (
    id {serial} NOT NULL,
    action VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    other VARCHAR NOT NULL,
    created_at VARCHAR NOT NULL,
    PRIMARY KEY (id)
)""",
    """CREATE TABLE IF NOT EXISTS claim_items (
    article_id VARCHAR NOT NULL,
    claim_id VARCHAR NOT NULL,
    figure_id VARCHAR NOT NULL,
    group_id VARCHAR NOT NULL,
    words TEXT NOT NULL,
    value FLOAT,
    low FLOAT,
    high FLOAT,
    unit VARCHAR,
    PRIMARY KEY (article_id, claim_id, figure_id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_claim_items_group_id ON claim_items (group_id)",
    """CREATE TABLE IF NOT EXISTS claim_keys (
    "key" VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    claim_id VARCHAR NOT NULL,
    figure_id VARCHAR NOT NULL,
    PRIMARY KEY ("key", article_id, claim_id, figure_id)
)""",
    """CREATE TABLE IF NOT EXISTS analysed_articles (
    article_id VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    PRIMARY KEY (article_id)
)""",
)

# --- 4: PLOVER events -----------------------------------------------------------------

_V4 = (
    """CREATE TABLE IF NOT EXISTS events (
    article_id VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    mode VARCHAR,
    context VARCHAR,
    "trigger" TEXT NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    source TEXT,
    source_name TEXT,
    source_country VARCHAR,
    source_sector VARCHAR,
    target TEXT,
    target_name TEXT,
    target_country VARCHAR,
    target_sector VARCHAR,
    location VARCHAR,
    time_id VARCHAR,
    date VARCHAR,
    dead VARCHAR,
    injured VARCHAR,
    size VARCHAR,
    claim_id VARCHAR,
    negated BOOLEAN NOT NULL,
    PRIMARY KEY (article_id, id),
    FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE
)""",
    "CREATE INDEX IF NOT EXISTS ix_events_date ON events (date)",
    "CREATE INDEX IF NOT EXISTS ix_events_source_country ON events (source_country)",
    "CREATE INDEX IF NOT EXISTS ix_events_source_name ON events (source_name)",
    "CREATE INDEX IF NOT EXISTS ix_events_target_country ON events (target_country)",
    "CREATE INDEX IF NOT EXISTS ix_events_target_name ON events (target_name)",
    "CREATE INDEX IF NOT EXISTS ix_events_type ON events (type)",
)

# --- 5: PostgreSQL search indexes the words inside angle brackets ---------------------
# Its text-search parser takes "<...>" for markup and drops the words in it, so
# "<b>Karsk</b>" or a quoted "<script>" in an article was unsearchable there (FTS5 on
# SQLite indexes them). Article text is plain text: index angle brackets as spaces.

_V5_POSTGRESQL = (
    "ALTER TABLE articles DROP COLUMN search",  # drops its index too
    "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english', translate(coalesce(title, '') || ' ' || text, '<>', "
    "'  '))) STORED",
    "CREATE INDEX articles_search_idx ON articles USING GIN (search)",
)


# --- 6: what each figure counts ------------------------------------------------------

_V6 = (
    *(
        f"ALTER TABLE figures ADD COLUMN {column}"
        for column in (
            "measure_text TEXT",
            "measure_start INTEGER",
            "measure_end INTEGER",
            "measure_key VARCHAR",
            "holder VARCHAR",
            "holder_name VARCHAR",
            "place VARCHAR",
            "predicate VARCHAR",
            "kind VARCHAR",
            "role VARCHAR",
            "pollster TEXT",
            "as_of VARCHAR",
            "series VARCHAR",
        )
    ),
    "CREATE INDEX IF NOT EXISTS ix_figures_measure_key ON figures (measure_key)",
    "CREATE INDEX IF NOT EXISTS ix_figures_series ON figures (series)",
)


# --- 7: entity listings read the links from one index -----------------------------------

_V7 = (
    "CREATE INDEX IF NOT EXISTS ix_entity_links_canonical_article "
    "ON entity_links (canonical_id, article_id)",
)


# --- 8: speakers resolved to names ----------------------------------------------------

_V8 = (
    "ALTER TABLE claims ADD COLUMN speaker_name TEXT",
    "ALTER TABLE claims ADD COLUMN speaker_unresolved BOOLEAN",
    "CREATE INDEX IF NOT EXISTS ix_claims_speaker_name ON claims (speaker_name)",
)


# --- 9: watched sources and the items seen in them ---------------------------------------

_V9 = (
    """CREATE TABLE IF NOT EXISTS watch_sources (
    id {serial} NOT NULL,
    url TEXT NOT NULL,
    name VARCHAR,
    kind VARCHAR NOT NULL,
    every FLOAT NOT NULL,
    paused BOOLEAN NOT NULL,
    created_at VARCHAR NOT NULL,
    etag TEXT,
    last_modified TEXT,
    next_due FLOAT NOT NULL,
    last_fetch FLOAT,
    last_status VARCHAR,
    last_error TEXT,
    failures INTEGER NOT NULL,
    fetches INTEGER NOT NULL,
    items INTEGER NOT NULL,
    ingested INTEGER NOT NULL,
    lease_owner VARCHAR,
    lease_until FLOAT,
    PRIMARY KEY (id)
)""",
    "CREATE UNIQUE INDEX IF NOT EXISTS ux_watch_sources_url ON watch_sources (url)",
    """CREATE TABLE IF NOT EXISTS watch_items (
    source_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    digest VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    attempts INTEGER NOT NULL,
    first_seen FLOAT NOT NULL,
    done_at FLOAT,
    article_id VARCHAR,
    outcome VARCHAR,
    reason TEXT,
    lease_owner VARCHAR,
    lease_until FLOAT,
    PRIMARY KEY (source_id, key),
    FOREIGN KEY(source_id) REFERENCES watch_sources (id) ON DELETE CASCADE
)""",
    "CREATE INDEX IF NOT EXISTS ix_watch_items_state ON watch_items (source_id, state)",
)


# --- 10: alert rules and their deliveries ----------------------------------------------

_V10 = (
    """CREATE TABLE IF NOT EXISTS alert_rules (
    id {serial} NOT NULL,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    params TEXT NOT NULL,
    delivery VARCHAR NOT NULL,
    target TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at VARCHAR NOT NULL,
    PRIMARY KEY (id)
)""",
    "CREATE UNIQUE INDEX IF NOT EXISTS ux_alert_rules_name ON alert_rules (name)",
    """CREATE TABLE IF NOT EXISTS alert_deliveries (
    id {serial} NOT NULL,
    rule_id INTEGER NOT NULL,
    key VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    article_id VARCHAR,
    payload TEXT NOT NULL,
    created_at VARCHAR NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    sent_at VARCHAR,
    delivered_at VARCHAR,
    read_at VARCHAR,
    PRIMARY KEY (id)
)""",
    "CREATE UNIQUE INDEX IF NOT EXISTS ux_alert_deliveries_rule_key "
    "ON alert_deliveries (rule_id, key)",
    "CREATE INDEX IF NOT EXISTS ix_alert_deliveries_status ON alert_deliveries (status)",
)


# --- 11: sentence vectors of claims; the sentences of claim items, per outlet ------------

_V11 = (
    """CREATE TABLE IF NOT EXISTS text_vectors (
    text_hash VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    vector {blob} NOT NULL,
    PRIMARY KEY (text_hash)
)""",
    "ALTER TABLE claim_items ADD COLUMN text_hash VARCHAR",
    "ALTER TABLE claim_items ADD COLUMN profile VARCHAR",
    "ALTER TABLE claim_items ADD COLUMN names TEXT",
    """CREATE TABLE IF NOT EXISTS item_sentences (
    article_id VARCHAR NOT NULL,
    claim_id VARCHAR NOT NULL,
    figure_id VARCHAR NOT NULL,
    outlet VARCHAR NOT NULL,
    sentence VARCHAR NOT NULL,
    root VARCHAR NOT NULL,
    PRIMARY KEY (article_id, claim_id, figure_id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_item_sentences_outlet_sentence "
    "ON item_sentences (outlet, sentence)",
    # Items matched before this step lack these columns: analyse every article again.
    "DELETE FROM analysed_articles",
)


# --- 12: the language of each article ----------------------------------------------------

_V12 = ("ALTER TABLE articles ADD COLUMN language VARCHAR",)


# --- 13: the name of each article's outlet, one per outlet key ---------------------------

_V13 = (
    "ALTER TABLE articles ADD COLUMN outlet_name VARCHAR",
    "ALTER TABLE articles ADD COLUMN outlet_evidence INTEGER",
)


# --- 14: claim keys indexed by their item -------------------------------------------------

_V14 = (
    "CREATE INDEX IF NOT EXISTS ix_claim_keys_item ON claim_keys (article_id, claim_id, figure_id)",
)


# --- 15: contradictions stored, with what keeps them up to date --------------------------

_V15 = (
    """CREATE TABLE IF NOT EXISTS contradictions (
    id VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    stance VARCHAR NOT NULL,
    group_id VARCHAR NOT NULL,
    reason TEXT NOT NULL,
    confidence FLOAT NOT NULL,
    date VARCHAR NOT NULL,
    side_a INTEGER NOT NULL,
    side_b INTEGER NOT NULL,
    PRIMARY KEY (id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_contradictions_scope ON contradictions (scope)",
    "CREATE INDEX IF NOT EXISTS ix_contradictions_rank "
    "ON contradictions (confidence DESC, date, group_id, id)",
    "CREATE INDEX IF NOT EXISTS ix_contradictions_date "
    "ON contradictions (date, confidence, group_id, id)",
    "CREATE INDEX IF NOT EXISTS ix_contradictions_kind_rank "
    "ON contradictions (kind, confidence DESC, date, group_id, id)",
    "CREATE INDEX IF NOT EXISTS ix_contradictions_kind_date "
    "ON contradictions (kind, date, confidence, group_id, id)",
    """CREATE TABLE IF NOT EXISTS contradiction_tallies (
    kind VARCHAR NOT NULL,
    stance VARCHAR NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (kind, stance)
)""",
    """CREATE TABLE IF NOT EXISTS contradiction_members (
    contradiction_id VARCHAR NOT NULL,
    side VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    article_id VARCHAR NOT NULL,
    claim_id VARCHAR NOT NULL,
    figure_id VARCHAR NOT NULL,
    group_id VARCHAR NOT NULL,
    actor_id VARCHAR,
    series VARCHAR,
    PRIMARY KEY (contradiction_id, side, position)
)""",
    "CREATE INDEX IF NOT EXISTS ix_contradiction_members_group_id "
    "ON contradiction_members (group_id)",
    "CREATE INDEX IF NOT EXISTS ix_contradiction_members_actor_id "
    "ON contradiction_members (actor_id)",
    """CREATE TABLE IF NOT EXISTS analysis_changes (
    group_id VARCHAR NOT NULL,
    PRIMARY KEY (group_id)
)""",
    """CREATE TABLE IF NOT EXISTS figure_reports (
    group_id VARCHAR NOT NULL,
    series VARCHAR NOT NULL,
    day VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    claim_id VARCHAR NOT NULL,
    figure_id VARCHAR NOT NULL,
    PRIMARY KEY (group_id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_figure_reports_series_day ON figure_reports (series, day)",
    """CREATE TABLE IF NOT EXISTS negation_keys (
    article_id VARCHAR NOT NULL,
    claim_id VARCHAR NOT NULL,
    figure_id VARCHAR NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (article_id, claim_id, figure_id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_negation_keys_key ON negation_keys (key)",
    # Every contradiction of the store is still to be found: the next analysis run does.
    "INSERT INTO analysis_changes (group_id) VALUES ('*')",
)

_V16 = (
    """CREATE TABLE IF NOT EXISTS group_summaries (
    group_id VARCHAR NOT NULL,
    items INTEGER NOT NULL,
    last_seen VARCHAR NOT NULL,
    PRIMARY KEY (group_id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_group_summaries_size ON group_summaries (items DESC, group_id)",
    "CREATE INDEX IF NOT EXISTS ix_group_summaries_last_seen "
    "ON group_summaries (last_seen DESC, items DESC, group_id)",
    """CREATE TABLE IF NOT EXISTS group_stances (
    group_id VARCHAR NOT NULL,
    stance VARCHAR NOT NULL,
    PRIMARY KEY (group_id, stance)
)""",
    "CREATE INDEX IF NOT EXISTS ix_group_stances_stance ON group_stances (stance, group_id)",
    # The groups of the store as it is (the analysis keeps them up to date from now on).
    """INSERT INTO group_summaries (group_id, items, last_seen)
SELECT i.group_id, COUNT(*), COALESCE(MAX(a.published), '')
FROM claim_items i JOIN articles a ON a.id = i.article_id
GROUP BY i.group_id""",
    """INSERT INTO group_stances (group_id, stance)
SELECT DISTINCT i.group_id, COALESCE(NULLIF(c.stance, ''), 'assert')
FROM claim_items i LEFT JOIN claims c ON c.article_id = i.article_id AND c.id = i.claim_id""",
)


# --- 17: the figure series of each claim group, and each series' counts and names ------

_V17_ITEMS = """FROM claim_items i
JOIN figures f ON f.article_id = i.article_id AND f.id = i.figure_id
WHERE i.figure_id <> '' AND f.series IS NOT NULL"""

_V17 = (
    """CREATE TABLE IF NOT EXISTS group_series (
    group_id VARCHAR NOT NULL,
    series VARCHAR NOT NULL,
    PRIMARY KEY (group_id, series)
)""",
    "CREATE INDEX IF NOT EXISTS ix_group_series_series ON group_series (series, group_id)",
    """CREATE TABLE IF NOT EXISTS series_summaries (
    series VARCHAR NOT NULL,
    points INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    first_seen VARCHAR,
    last_seen VARCHAR,
    PRIMARY KEY (series)
)""",
    "CREATE INDEX IF NOT EXISTS ix_series_summaries_points "
    "ON series_summaries (points DESC, series)",
    """CREATE TABLE IF NOT EXISTS series_names (
    series VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    PRIMARY KEY (series, name)
)""",
    # The series of the store as it is (the analysis keeps them up to date from now on).
    """INSERT INTO group_series (group_id, series)
SELECT DISTINCT i.group_id, COALESCE(f.series, CASE WHEN f.measure_text IS NULL
    THEN '|' || i.unit || '||total' END)
FROM claim_items i LEFT JOIN figures f ON f.article_id = i.article_id AND f.id = i.figure_id
WHERE i.figure_id <> '' AND COALESCE(f.series, CASE WHEN f.measure_text IS NULL
    THEN '|' || i.unit || '||total' END) IS NOT NULL""",
    """INSERT INTO series_summaries (series, points, articles, first_seen, last_seen)
SELECT f.series, COUNT(*), COUNT(DISTINCT i.article_id), MIN(a.published), MAX(a.published)
FROM claim_items i JOIN figures f ON f.article_id = i.article_id AND f.id = i.figure_id
JOIN articles a ON a.id = i.article_id
WHERE i.figure_id <> '' AND f.series IS NOT NULL
GROUP BY f.series""",
    f"""INSERT INTO series_names (series, name)
SELECT f.series, f.measure_key {_V17_ITEMS} AND f.measure_key IS NOT NULL
UNION SELECT f.series, f.measure_text {_V17_ITEMS} AND f.measure_text IS NOT NULL
UNION SELECT f.series, f.holder_name {_V17_ITEMS} AND f.holder_name IS NOT NULL""",
)


# --- 18: claims by word stem and day ------------------------------------------------------

_V18 = (
    """CREATE TABLE IF NOT EXISTS claim_stems (
    role VARCHAR NOT NULL,
    stem VARCHAR NOT NULL,
    day VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    claim_id VARCHAR NOT NULL,
    stems INTEGER NOT NULL,
    PRIMARY KEY (role, stem, day, article_id, claim_id)
)""",
    "CREATE INDEX IF NOT EXISTS ix_claim_stems_article ON claim_stems (article_id, claim_id)",
    # The stems are the analysis's to file (it alone parses words): the next analysis run
    # files those of every claim and finds again the denials matched through them, and
    # nothing else (`analysis.contradictions.refresh_contradictions`).
    "INSERT INTO analysis_changes (group_id) VALUES ('+stems')",
)


# --- 19: the name of a figure's place --------------------------------------------------

# What was won in one place is that contest's series (`models.Figure.series_key`); rows
# written before keep their series until their article is extracted again.
_V19 = ("ALTER TABLE figures ADD COLUMN place_name VARCHAR",)


def _fulltext_index(conn: Connection) -> None:
    run_ddl(conn, *(_V2_POSTGRESQL if conn.dialect.name == "postgresql" else _V2_SQLITE))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "create articles and extraction tables", _ddl(*_V1)),
    Migration(2, "full-text index on article title and text", _fulltext_index),
    Migration(3, "cross-article analysis tables", _ddl(*_V3)),
    Migration(4, "PLOVER events table", _ddl(*_V4)),
    Migration(
        5,
        "search words inside angle brackets (PostgreSQL)",
        _ddl(*_V5_POSTGRESQL, dialect="postgresql"),
    ),
    Migration(6, "figure measures, holders, predicates and series", _ddl(*_V6)),
    Migration(7, "entity links indexed by canonical entity and article", _ddl(*_V7)),
    Migration(8, "speaker names and unresolved speakers", _ddl(*_V8)),
    Migration(9, "watched sources and their items", _ddl(*_V9)),
    Migration(10, "alert rules and their deliveries", _ddl(*_V10)),
    Migration(11, "claim sentence vectors and item sentences per outlet", _ddl(*_V11)),
    Migration(12, "article language", _ddl(*_V12)),
    Migration(13, "outlet names, one per outlet key", _ddl(*_V13)),
    Migration(14, "claim keys indexed by their item", _ddl(*_V14)),
    Migration(15, "contradictions stored, and what keeps them up to date", _ddl(*_V15)),
    Migration(16, "claim group sizes, dates and stances stored", _ddl(*_V16)),
    Migration(17, "figure series of claim groups, series counts and names", _ddl(*_V17)),
    Migration(18, "claims filed by word stem and day", _ddl(*_V18)),
    Migration(19, "figure place names", _ddl(*_V19)),
)

LATEST_VERSION = MIGRATIONS[-1].version


def applied_versions(engine: Engine) -> set[int]:
    """Versions already recorded in the database."""
    if not inspect(engine).has_table("schema_migrations"):
        return set()
    with engine.connect() as conn:
        return {row[0] for row in conn.execute(select(schema.schema_migrations.c.version))}


# Any constant: PostgreSQL processes opening one store at once migrate one at a time.
_MIGRATION_LOCK = 7_024_113


def migrate(engine: Engine) -> list[int]:
    """Apply every pending migration in order; returns the versions applied now."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
            conn.commit()
            try:
                return _migrate(engine)
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
                conn.commit()
    return _migrate(engine)


def _migrate(engine: Engine) -> list[int]:
    with engine.begin() as conn:
        run_ddl(conn, _SCHEMA_MIGRATIONS)
    done = applied_versions(engine)
    applied = []
    for migration in MIGRATIONS:
        if migration.version in done:
            continue
        with _exclusive(engine) as conn:
            # Another process may have applied it since `done` was read.
            if _recorded(conn, migration.version):
                continue
            migration.apply(conn)
            conn.execute(
                schema.schema_migrations.insert().values(
                    version=migration.version,
                    name=migration.name,
                    applied_at=datetime.now(UTC).isoformat(timespec="seconds"),
                )
            )
        applied.append(migration.version)
    return applied


@contextmanager
def _exclusive(engine: Engine) -> Iterator[Connection]:
    """A transaction no other writer runs beside: on SQLite ``BEGIN IMMEDIATE`` takes
    the write lock before the step reads what is recorded (a second process opening a
    new store waits, then finds the step done); PostgreSQL holds the advisory lock."""
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def _recorded(conn: Connection, version: int) -> bool:
    table = schema.schema_migrations
    found = conn.execute(select(table.c.version).where(table.c.version == version)).first()
    return found is not None
