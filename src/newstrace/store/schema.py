"""Table definitions (SQLAlchemy Core), shared by SQLite and, later, PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("name", String, nullable=False),
    Column("applied_at", String, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String, primary_key=True),
    Column("seq", Integer, nullable=False, index=True),  # ingest order, for "earliest copy"
    Column("title", Text),
    Column("url", Text),
    Column("outlet", String, index=True),  # the key: a web domain when one is known
    Column("outlet_name", String),  # one name per outlet key (migration 13)
    Column("outlet_evidence", Integer),  # how strongly this article's source named it
    Column("published", String, index=True),
    Column("author", Text),
    Column("text", Text, nullable=False),
    Column("removed", Text, nullable=False),  # JSON list of {"text", "reason"}
    Column("duplicate_of", String, index=True),
    Column("similarity", Float),  # estimated Jaccard to duplicate_of
    Column("locator", Text),
    Column("raw", Text),
    Column("raw_kind", String, nullable=False),
    Column("content_hash", String, nullable=False),
    Column("signature", LargeBinary),
    Column("ingested_at", String, nullable=False),
    Column("language", String),  # ISO 639-1 code; null: not told
)


def _child(name: str, *columns: Column[object]) -> Table:
    """A per-article extraction table keyed by (article_id, id)."""
    return Table(
        name,
        metadata,
        Column(
            "article_id",
            String,
            ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("id", String, primary_key=True),
        *columns,
    )


entities = _child(
    "entities",
    Column("name", Text, nullable=False, index=True),
    Column("type", String, nullable=False),
    Column("refers_to", String),
    Column("aliases", Text, nullable=False),  # JSON list
    Column("roles", Text, nullable=False),  # JSON list
    Column("mentions", Text, nullable=False),  # JSON list of spans
)

claims = _child(
    "claims",
    Column("kind", String, nullable=False),
    Column("speaker", Text, nullable=False, index=True),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("speaker_entity_id", String),
    # migration 7: who the speaker resolves to (models.Speaker)
    Column("speaker_name", Text, index=True),
    Column("speaker_unresolved", Boolean),
    Column("source_chain", Text, nullable=False),  # JSON list
    Column("cue", Text),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("content", Text, nullable=False),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("stance", String, nullable=False, index=True),
    Column("hedged", Boolean, nullable=False),
    Column("figure_ids", Text, nullable=False),
    Column("time_ids", Text, nullable=False),
)

figures = _child(
    "figures",
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("value", Float),
    Column("low", Float),
    Column("high", Float),
    Column("qualifier", String),
    Column("unit", String, index=True),
    Column("claim_id", String),
    # migration 6: what the figure counts (see models.Figure) and its series key
    Column("measure_text", Text),
    Column("measure_start", Integer),
    Column("measure_end", Integer),
    Column("measure_key", String, index=True),
    Column("holder", String),
    Column("holder_name", String),
    Column("place", String),
    Column("place_name", String),  # migration 19
    Column("predicate", String),
    Column("kind", String),  # JSON list of flags
    Column("role", String),
    Column("pollster", Text),  # JSON {"text", "entity_id"}
    Column("as_of", String),
    Column("series", String, index=True),
)

times = _child(
    "times",
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("value", String),
    Column("granularity", String, nullable=False),
)

events = _child(
    "events",
    Column("type", String, nullable=False, index=True),
    Column("mode", String),
    Column("context", String),
    Column("trigger", Text, nullable=False),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("source", Text),  # JSON actor object
    Column("source_name", Text, index=True),  # the actor's entity name, else its text
    Column("source_country", String, index=True),
    Column("source_sector", String),
    Column("target", Text),  # JSON actor object
    Column("target_name", Text, index=True),
    Column("target_country", String, index=True),
    Column("target_sector", String),
    Column("location", String),
    Column("time_id", String),
    Column("date", String, index=True),  # the event's time value, else the article's date
    Column("dead", String),
    Column("injured", String),
    Column("size", String),
    Column("claim_id", String),
    Column("negated", Boolean, nullable=False),
)

EXTRACTION_TABLES = (entities, claims, figures, times, events)

# --- cross-article analysis (migration 3) ----------------------------------------------

canonical_entities = Table(
    "canonical_entities",
    metadata,
    Column("id", String, primary_key=True),
    Column("key", String, nullable=False, index=True),  # the founding name key
    Column("name", Text, nullable=False, index=True),
    Column("type", String, nullable=False),
    Column("aliases", Text, nullable=False),  # JSON list
    Column("roles", Text, nullable=False),  # JSON list
)

canonical_keys = Table(
    "canonical_keys",
    metadata,
    Column("key", String, primary_key=True),
    Column("canonical_id", String, primary_key=True, index=True),
)

entity_links = Table(
    "entity_links",
    metadata,
    Column("article_id", String, primary_key=True),
    Column("entity_id", String, primary_key=True),
    Column("canonical_id", String, nullable=False, index=True),
    Column("actor_id", String, nullable=False, index=True),  # refers_to's canonical, else own
    # Entity listings count articles per canonical entity from this index alone.
    Index("ix_entity_links_canonical_article", "canonical_id", "article_id"),
)

entity_corrections = Table(
    "entity_corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String, nullable=False),  # "merge" | "split"
    Column("target", String, nullable=False),  # name key of the entity kept / split from
    Column("other", String, nullable=False),  # name key merged in / alias split off
    Column("created_at", String, nullable=False),
)

claim_items = Table(
    "claim_items",
    metadata,
    Column("article_id", String, primary_key=True),
    Column("claim_id", String, primary_key=True),
    Column("figure_id", String, primary_key=True),  # "" for a claim without figures
    Column("group_id", String, nullable=False, index=True),
    Column("words", Text, nullable=False),  # normalised content words
    Column("value", Float),
    Column("low", Float),
    Column("high", Float),
    Column("unit", String),
    # Migration 9: the hash of the claim's wording (its vector is in text_vectors), what
    # the figure counts ("measure|holder|predicate|part|pollster") and the names the
    # claim's content mentions (folded, space-separated).
    Column("text_hash", String),
    Column("profile", String),
    Column("names", Text),
)

claim_keys = Table(
    "claim_keys",
    metadata,
    Column("key", String, primary_key=True),
    Column("article_id", String, primary_key=True),
    Column("claim_id", String, primary_key=True),
    Column("figure_id", String, primary_key=True),
    # Migration 14: an item's keys by the item, so that analysing an article again (or
    # dropping a boilerplate item) finds its keys without reading every key of the store.
    Index("ix_claim_keys_item", "article_id", "claim_id", "figure_id"),
)

analysed_articles = Table(
    "analysed_articles",
    metadata,
    Column("article_id", String, primary_key=True),
    Column("content_hash", String, nullable=False),
)

# The sentence each claim item stands in, per outlet (migration 9): a sentence one outlet
# prints in many articles is boilerplate (an editor's note, a disclaimer), not a claim.
item_sentences = Table(
    "item_sentences",
    metadata,
    Column("article_id", String, primary_key=True),
    Column("claim_id", String, primary_key=True),
    Column("figure_id", String, primary_key=True),
    Column("outlet", String, nullable=False),
    Column("sentence", String, nullable=False),  # hash of the sentence's folded words
    Column("root", String, nullable=False),  # the article's copy group
    Index("ix_item_sentences_outlet_sentence", "outlet", "sentence"),
)

# Sentence vectors (migration 9), keyed by the hash of the text embedded: computed once at
# ingest, shared by every copy of a wording, kept when an article is analysed again.
text_vectors = Table(
    "text_vectors",
    metadata,
    Column("text_hash", String, primary_key=True),
    Column("model", String, nullable=False),  # the encoder's SHA-256 (first 16 digits)
    Column("vector", LargeBinary, nullable=False),
)

# Contradictions (migration 15), computed when the analysis changes
# (`analysis.contradictions.refresh_contradictions`) and read with one indexed query.
contradictions = Table(
    "contradictions",
    metadata,
    Column("id", String, primary_key=True),  # stable: its scope, kind and both sides' items
    Column("scope", String, nullable=False, index=True),  # what it was found within
    Column("kind", String, nullable=False),
    Column("stance", String, nullable=False),  # of the disputing side's first member
    Column("group_id", String, nullable=False),
    Column("reason", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("date", String, nullable=False),  # the later side's first publication; "" unknown
    Column("side_a", Integer, nullable=False),  # members of each side
    Column("side_b", Integer, nullable=False),
    Index("ix_contradictions_rank", text("confidence DESC"), "date", "group_id", "id"),
    Index("ix_contradictions_date", "date", "confidence", "group_id", "id"),
    Index("ix_contradictions_kind_rank", "kind", text("confidence DESC"), "date", "group_id", "id"),
    Index("ix_contradictions_kind_date", "kind", "date", "confidence", "group_id", "id"),
)

# How many contradictions there are of each kind and disputing stance (the facets of the
# listing unfiltered, without counting every row).
contradiction_tallies = Table(
    "contradiction_tallies",
    metadata,
    Column("kind", String, primary_key=True),
    Column("stance", String, primary_key=True),
    Column("n", Integer, nullable=False),
)

# The members of each side, in order: the claim items and what filters ask of them.
contradiction_members = Table(
    "contradiction_members",
    metadata,
    Column("contradiction_id", String, primary_key=True),
    Column("side", String, primary_key=True),  # "a" asserts, "b" disputes
    Column("position", Integer, primary_key=True),
    Column("article_id", String, nullable=False),
    Column("claim_id", String, nullable=False),
    Column("figure_id", String, nullable=False),
    Column("group_id", String, nullable=False, index=True),  # as found: a change of it
    # (an item moved, merged or gone) makes the contradiction stale
    Column("actor_id", String, index=True),
    Column("series", String),
)

# The claim groups whose items changed since contradictions were last brought up to date
# ("*": all of them, after a migration or a cleared analysis).
analysis_changes = Table(
    "analysis_changes",
    metadata,
    Column("group_id", String, primary_key=True),
)

# Each claim group's size and latest publication date, and the stances of its members
# (migration 16), written again for the groups that changed whenever the analysis is
# brought up to date (`store.group_summaries`): a listing of the groups pages through
# them by index instead of counting every claim item.
group_summaries = Table(
    "group_summaries",
    metadata,
    Column("group_id", String, primary_key=True),
    Column("items", Integer, nullable=False),
    Column("last_seen", String, nullable=False),  # the latest publication date; "" none
    Index("ix_group_summaries_size", text("items DESC"), "group_id"),
    Index("ix_group_summaries_last_seen", text("last_seen DESC"), text("items DESC"), "group_id"),
)

group_stances = Table(
    "group_stances",
    metadata,
    Column("group_id", String, primary_key=True),
    Column("stance", String, primary_key=True),  # a member's ("assert" for a bare figure)
    Index("ix_group_stances_stance", "stance", "group_id"),
)

# The figure series of each claim group's items (migration 17): a series key, or
# "|unit||total" for a figure stored without a measure (as `analysis.groups` keys it);
# written again with the group's summary. The groups page's series filter reads it, and
# a change of a group tells which series summaries are to be written again.
group_series = Table(
    "group_series",
    metadata,
    Column("group_id", String, primary_key=True),
    Column("series", String, primary_key=True),
    Index("ix_group_series_series", "series", "group_id"),
)

# Each figure series' points (claim items), articles and first and last publication
# dates (migration 17), written again for the series of the groups that changed: the
# series listing reads it a page at a time instead of counting every figure.
series_summaries = Table(
    "series_summaries",
    metadata,
    Column("series", String, primary_key=True),
    Column("points", Integer, nullable=False),
    Column("articles", Integer, nullable=False),
    Column("first_seen", String),  # the earliest publication date; NULL when none
    Column("last_seen", String),
    Index("ix_series_summaries_points", text("points DESC"), "series"),
)

# The names a figure search matches a series by (migration 17): the measure keys,
# measure spans and holder names of its figures, written again with its summary.
series_names = Table(
    "series_names",
    metadata,
    Column("series", String, primary_key=True),
    Column("name", String, primary_key=True),
)

# The first report of each claim group with a figure in a series, and its day: the
# figures a new one is compared with, found by series and time.
figure_reports = Table(
    "figure_reports",
    metadata,
    Column("group_id", String, primary_key=True),
    Column("series", String, nullable=False),
    Column("day", String, nullable=False),  # YYYY-MM-DD
    Column("article_id", String, nullable=False),
    Column("claim_id", String, nullable=False),
    Column("figure_id", String, nullable=False),
    Index("ix_figure_reports_series_day", "series", "day"),
)

# The content words of each asserted claim without its negations (its *negation key*):
# a claim and its negation share one.
negation_keys = Table(
    "negation_keys",
    metadata,
    Column("article_id", String, primary_key=True),
    Column("claim_id", String, primary_key=True),
    Column("figure_id", String, primary_key=True),
    Column("key", Text, nullable=False, index=True),
)

# The word stems of the claims a denial of a whole proposition is matched with (migration
# 18): the assertions that state something (role "assert") and those denials (role
# "deny"), each stem with the claim's publication day, so that the claims holding some
# stems about the same time are found by index (`store.contradictions.claims_holding`).
claim_stems = Table(
    "claim_stems",
    metadata,
    Column("role", String, primary_key=True),
    Column("stem", String, primary_key=True),
    Column("day", String, primary_key=True),  # YYYY-MM-DD; "" when the article has no date
    Column("article_id", String, primary_key=True),
    Column("claim_id", String, primary_key=True),
    Column("stems", Integer, nullable=False),  # how many stems the claim has
    Index("ix_claim_stems_article", "article_id", "claim_id"),
)

ANALYSIS_TABLES = (
    entity_links,
    claim_items,
    claim_keys,
    claim_stems,
    item_sentences,
    analysed_articles,
    negation_keys,
)
"""Per-article analysis rows, replaced when an article is analysed again."""

watch_sources = Table(
    "watch_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False),
    Column("name", String),
    Column("kind", String, nullable=False),  # "feed" | "sitemap" | "page"
    Column("every", Float, nullable=False),  # seconds between fetches
    Column("paused", Boolean, nullable=False),
    Column("created_at", String, nullable=False),
    Column("etag", Text),  # validators of the last 200, for a conditional GET
    Column("last_modified", Text),
    Column("next_due", Float, nullable=False),  # epoch seconds
    Column("last_fetch", Float),
    Column("last_status", String),  # "200", "304", "429", "error", ...
    Column("last_error", Text),
    Column("failures", Integer, nullable=False),  # consecutive failed fetches
    Column("fetches", Integer, nullable=False),
    Column("items", Integer, nullable=False),  # items seen
    Column("ingested", Integer, nullable=False),  # articles stored new or updated
    Column("lease_owner", String),  # the runner holding the source, until lease_until
    Column("lease_until", Float),
    Index("ux_watch_sources_url", "url", unique=True),
)

watch_items = Table(
    "watch_items",
    metadata,
    Column(
        "source_id",
        Integer,
        ForeignKey("watch_sources.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("key", Text, primary_key=True),  # the item's URL (or a feed entry's id)
    Column("digest", String, nullable=False),  # what it looked like when last seen
    Column("state", String, nullable=False),  # "pending" | "done" | "failed"
    Column("attempts", Integer, nullable=False),
    Column("first_seen", Float, nullable=False),
    Column("done_at", Float),
    Column("article_id", String),
    Column("outcome", String),  # the ingest's word: new, updated, unchanged, failed
    Column("reason", Text),
    Column("lease_owner", String),
    Column("lease_until", Float),
    Index("ix_watch_items_state", "source_id", "state"),
)

# --- alerts (migration 10) ---------------------------------------------------------------

alert_rules = Table(
    "alert_rules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String, nullable=False),
    Column("kind", String, nullable=False),  # series | contradiction | claim | search
    Column("params", Text, nullable=False),  # JSON object: what the rule watches
    Column("delivery", String, nullable=False),  # stdout | file | webhook | email
    Column("target", Text, nullable=False),  # file path, URL or address ("" for stdout)
    Column("secret", Text, nullable=False),  # HMAC key of a webhook ("" otherwise)
    Column("created_at", String, nullable=False),
    Index("ux_alert_rules_name", "name", unique=True),
)

alert_deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rule_id", Integer, nullable=False),
    Column("key", String, nullable=False),  # the evidence: one alert per rule and key
    Column("status", String, nullable=False),  # baseline|pending|sending|delivered|failed
    Column("article_id", String),
    Column("payload", Text, nullable=False),  # JSON: the alert as delivered
    Column("created_at", String, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("sent_at", String),  # when the last attempt started
    Column("delivered_at", String),
    Column("read_at", String),
    Index("ux_alert_deliveries_rule_key", "rule_id", "key", unique=True),
    Index("ix_alert_deliveries_status", "status"),
)
