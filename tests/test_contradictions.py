"""Contradictions with their kind, reason, confidence and sides, on fictional records
(no spaCy model): what is one, and what never is."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, func, select

from analysis_helpers import make_record, save
from newstrace.analysis import ensure_analysed
from newstrace.analysis.contradictions import (
    Contradiction,
    find_contradictions,
    refresh_contradictions,
    stored_contradictions,
)
from newstrace.models import Record
from newstrace.store import Store, schema
from newstrace.store.contradictions import (
    ASSERTING,
    CLAIM_STEMS,
    DENYING,
    ContradictionFilter,
    claims_holding,
    delete_contradictions,
    denials_within,
    ids_scoped_under,
    save_claim_stems,
    stems_pending,
)

CROSSED = "Fenland troops had crossed the border near Tamsk"
SAFE = "the water of the Vell river was safe to drink"
CRACKS = "cracks in the spillway had widened by four centimetres"
UNSAFE = "the water of the Vell river was not safe to drink"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def _said(aid: str, speaker: str, content: str, stance: str, published: str) -> Record:
    text = f"{speaker} said on Monday that {content}."
    if stance != "assert":
        text = f"{speaker} on Monday {'denied' if stance == 'deny' else 'disputed'} that {content}."
    return make_record(
        aid,
        text,
        published=published,
        url=f"https://{aid}.example/a",
        claims=((speaker, content, stance, None),),
    )


def _found(store: Store, *records: Record) -> list[Contradiction]:
    for record in records:
        save(store, record)
    ensure_analysed(store)
    return find_contradictions(store)


def test_a_denial_comes_with_its_reason_evidence_confidence_and_sides(store: Store) -> None:
    found = _found(
        store,
        _said("e1", "Eastmarch's defence ministry", CROSSED, "assert", "2025-07-14"),
        _said("f1", "Fenland's foreign ministry", CROSSED, "deny", "2025-07-15"),
    )
    assert len(found) == 1
    item = found[0]
    assert item.kind == "denial"
    assert item.reason == (
        "Fenland's foreign ministry denies: Eastmarch's defence ministry says " + CROSSED
    )
    assert item.side_a_actors == ["Eastmarch's defence ministry"]
    assert item.side_b_actors == ["Fenland's foreign ministry"]
    assert item.date == "2025-07-15"
    assert 0.8 <= item.confidence <= 1.0
    evidence = [m.evidence()[0] for m in (*item.asserted, *item.disputed_by)]
    assert [(e["article_id"], e["text"]) for e in evidence] == [("e1", CROSSED), ("f1", CROSSED)]
    row = item.to_dict()
    assert row["reason"] == item.reason and row["confidence"] == item.confidence
    assert row["side_a"][0]["evidence"][0]["start"] is not None


def test_a_dispute_is_its_own_kind(store: Store) -> None:
    found = _found(
        store,
        _said("e1", "Eastmarch's defence ministry", CROSSED, "assert", "2025-07-14"),
        _said("f1", "Fenland's army", CROSSED, "dispute", "2025-07-15"),
    )
    assert [(c.kind, c.reason.split(":")[0]) for c in found] == [
        ("dispute", "Fenland's army disputes")
    ]


@pytest.mark.parametrize(
    "asserter",
    [
        "Fenland's foreign ministry",  # the same speaker, quoting what it rejects
        "Fenland's army",  # another voice of the same side
    ],
)
def test_one_side_repeating_or_quoting_what_it_rejects_is_no_contradiction(
    store: Store, asserter: str
) -> None:
    found = _found(
        store,
        _said("f0", asserter, CROSSED, "assert", "2025-07-15"),
        _said("f1", "Fenland's foreign ministry", CROSSED, "deny", "2025-07-15"),
    )
    assert found == []


def test_the_other_side_stays_when_the_denier_quotes_the_claim(store: Store) -> None:
    found = _found(
        store,
        _said("e1", "Eastmarch's defence ministry", CROSSED, "assert", "2025-07-14"),
        _said("f0", "Fenland's foreign ministry", CROSSED, "assert", "2025-07-15"),
        _said("f1", "Fenland's foreign ministry", CROSSED, "deny", "2025-07-15"),
    )
    assert [(c.kind, c.side_a_actors) for c in found] == [
        ("denial", ["Eastmarch's defence ministry"])
    ]


def test_a_source_denying_what_it_said_before_retracts_it(store: Store) -> None:
    found = _found(
        store,
        _said(
            "g1", "The Green Union", "ballot boxes in Seltz had been opened", "assert", "2025-09-01"
        ),
        _said(
            "g2", "The Green Union", "ballot boxes in Seltz had been opened", "deny", "2025-09-04"
        ),
    )
    assert [(c.kind, c.reason) for c in found] == [
        (
            "retraction",
            "The Green Union retracts what it said: ballot boxes in Seltz had been opened",
        )
    ]


def test_identical_content_from_two_sources_is_no_contradiction(store: Store) -> None:
    found = _found(
        store,
        _said(
            "v1",
            "The electoral commission",
            "turnout in Lestrin was 61 percent",
            "assert",
            "2025-09-01",
        ),
        _said(
            "v2",
            "Civic Watch observers",
            "turnout in Lestrin was 61 percent",
            "assert",
            "2025-09-02",
        ),
    )
    assert found == []


def test_a_claim_and_its_negation_by_different_parties_contradict(store: Store) -> None:
    found = _found(
        store,
        _said("s1", "The environment agency", SAFE, "assert", "2025-08-11"),
        _said("s2", "Doctors at the Vell clinic", UNSAFE, "assert", "2025-08-12"),
    )
    assert [(c.kind, c.side_a_actors, c.side_b_actors) for c in found] == [
        ("negation", ["The environment agency"], ["Doctors at the Vell clinic"])
    ]
    assert found[0].reason == (
        f"Doctors at the Vell clinic says {UNSAFE}; The environment agency says {SAFE}"
    )


def test_a_negation_by_the_same_side_is_no_contradiction(store: Store) -> None:
    found = _found(
        store,
        _said("s1", "The Vell environment agency", SAFE, "assert", "2025-08-11"),
        _said("s2", "The Vell environment agency's head", UNSAFE, "assert", "2025-08-12"),
    )
    assert found == []


def test_a_denial_of_a_shorter_wording_finds_the_claim_elsewhere(store: Store) -> None:
    found = _found(
        store,
        _said("d1", "Engineers at the Tessin Polytechnic", CRACKS + " since January", "assert",
              "2025-05-02"),
        _said("d2", "The Orvel water board", "the cracks in the spillway had widened", "deny",
              "2025-05-05"),
    )  # fmt: skip
    assert [(c.kind, c.asserted[0].article_id, c.disputed_by[0].article_id) for c in found] == [
        ("denial", "d1", "d2")
    ]


def test_a_referring_denial_targets_the_claim_of_the_source_it_names(store: Store) -> None:
    text = (
        "Valdoria's National Intelligence Directorate said Karsk had 4,500 troops near Lisk. "
        "Analyst Lena Orsk said the border had been quiet for weeks. "
        "Karsk's foreign ministry denied the NID report."
    )
    record = make_record(
        "n1",
        text,
        claims=(
            ("Valdoria's National Intelligence Directorate", "Karsk had 4,500 troops near Lisk",
             "assert", "4,500|4500|troops"),
            ("Analyst Lena Orsk", "the border had been quiet for weeks", "assert", None),
            ("Karsk's foreign ministry", "the NID report", "deny", None),
        ),
    )  # fmt: skip
    found = _found(store, record)
    assert [c.asserted[0].content for c in found] == ["Karsk had 4,500 troops near Lisk"]
    assert found[0].reason.startswith("Karsk's foreign ministry denies: Valdoria's National")


def _denial_and_dispute(store: Store) -> list[Contradiction]:
    """A denial of a whole claim (f1 of e1's), and a dispute of "the claim" (p1)."""
    text = "Officials in Tamsk said the bridge was closed. The Fenland army disputed the claim."
    pointer = make_record(
        "p1", text, published="2025-07-20",
        claims=(("Officials in Tamsk", "the bridge was closed", "assert", None),
                ("The Fenland army", "the claim", "dispute", None)),
    )  # fmt: skip
    return _found(
        store,
        pointer,
        _said("e1", "Eastmarch's defence ministry", CROSSED, "assert", "2025-07-14"),
        _said("f1", "Fenland's foreign ministry", CROSSED, "deny", "2025-07-15"),
    )


def test_contradictions_are_listed_most_certain_first(store: Store) -> None:
    found = _denial_and_dispute(store)
    assert [c.kind for c in found] == ["denial", "dispute"]
    assert found[0].confidence > found[1].confidence


def _cli(store: Store, *args: str) -> str:
    from click.testing import CliRunner

    from newstrace.cli.main import cli

    result = CliRunner().invoke(cli, ["--db", store.db, *args], terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_cli_lists_reasons_confidence_dates_and_whole_article_ids(store: Store) -> None:
    long_id = "fenland-today-2025-07-15-foreign-ministry-denies-any-crossing-near-tamsk"
    _found(
        store,
        _said("e1", "Eastmarch's defence ministry", CROSSED, "assert", "2025-07-14"),
        _said(long_id, "Fenland's foreign ministry", CROSSED, "deny", "2025-07-15"),
    )
    shown = _cli(store, "contradictions")
    assert "0.90  denial  2025-07-15  Fenland's foreign ministry denies: Eastmarch's" in shown
    assert f"  B 2025-07-15  {long_id}#c1  Fenland's foreign ministry:" in shown
    assert "None" not in shown
    groups = _cli(store, "groups")
    assert f"{long_id}#c1" in groups and "1 outlets" not in groups


def test_the_cli_filters_and_sorts_contradictions(store: Store) -> None:
    _denial_and_dispute(store)

    def kinds(*args: str) -> list[str]:
        rows = _cli(store, "contradictions", "--json", *args).splitlines()
        return [json.loads(row)["kind"] for row in rows]

    assert kinds() == ["denial", "dispute"]
    assert kinds("--sort", "date") == ["dispute", "denial"]
    assert kinds("--stance", "dispute") == ["dispute"]
    assert kinds("--kind", "denial") == ["denial"]
    assert kinds("--min-confidence", "0.8") == ["denial"]
    assert kinds("--series", "troops") == []
    row = json.loads(_cli(store, "contradictions", "--json", "-n", "1"))
    assert {"reason", "confidence", "date", "side_a_actors", "side_b_actors"} <= set(row)
    assert row["side_b"][0]["evidence"][0]["article_id"] == "f1"


def _pointer(store: Store, first: str, second: str, said: str, target: str) -> list[Contradiction]:
    """An article where `first` states `said` and `second` (a deny/dispute claim whose
    content is `target`) answers it."""
    text = f"{first} said {said}. {second}"
    record = make_record(
        "q1", text, claims=(
            (first, said, "assert", None),
            (second.split(" ")[0] + " " + second.split(" ")[1], target, "deny", None),
        ),
    )  # fmt: skip
    return _found(store, record)


@pytest.mark.parametrize(
    ("second", "target", "listed"),
    [
        ("The Fenland ministry denied the report.", "the report", True),
        ("The Fenland ministry questioned whether the bridge was closed.",
         "whether the bridge was closed", False),  # a question, not a denial
        ("The Fenland ministry, rather than disputing the report, said nothing.",
         "the report", False),  # not done
        ("The Fenland ministry dismissed Eastmarch's actions.",
         "Eastmarch's actions", False),  # an action, not a claim
    ],
)  # fmt: skip
def test_only_denials_of_something_true_or_false_are_contradictions(
    store: Store, second: str, target: str, listed: bool
) -> None:
    found = _pointer(store, "Eastmarch officials", second, "the bridge was closed", target)
    assert bool(found) == listed


def test_a_rejected_recommendation_is_no_contradiction(store: Store) -> None:
    found = _pointer(
        store, "Eastmarch officials", "The Fenland ministry rejected the report.",
        "Fenland should open the bridge", "the report",
    )  # fmt: skip
    assert found == []


def test_denying_what_the_other_side_also_says_is_not_so_is_agreement(store: Store) -> None:
    found = _found(
        store,
        _said("h1", "Huckabee's campaign", "he had not accepted any new speeches", "assert",
              "2025-12-15"),
        _said("f1", "Fiorina's team", "he had accepted any new speeches", "deny", "2025-12-15"),
    )  # fmt: skip
    assert found == []


def test_groups_filter_by_stance_and_sort_by_date(store: Store) -> None:
    _denial_and_dispute(store)
    save(store, _said("e2", "Eastmarch's army", "the Tamsk bridge was closed", "assert",
                      "2025-07-30"))  # fmt: skip
    save(store, _said("e3", "Tamsk officials", "the Tamsk bridge was closed", "assert",
                      "2025-07-31"))  # fmt: skip
    ensure_analysed(store)

    def labels(*args: str) -> list[str]:
        rows = _cli(store, "groups", "--json", *args).splitlines()
        return [json.loads(row)["label"] for row in rows]

    assert labels("--stance", "deny") == ["Fenland troops had crossed the border near Tamsk"]
    assert labels("--sort", "date")[0] == "the Tamsk bridge was closed"
    assert labels("--series", "troops") == []
    from fastapi.testclient import TestClient

    from newstrace.web.app import create_app
    from newstrace.web.config import WebConfig

    client = TestClient(create_app(WebConfig(db=store.db, read_only=True)))
    found = client.get("/api/groups", params={"stance": "deny"}).json()
    assert [g["label"] for g in found["items"]] == labels("--stance", "deny")
    page = client.get("/claims/groups", params={"sort": "date"}).text
    assert "<option selected>date</option>" in page


def test_a_denial_never_refers_to_an_interjection(store: Store) -> None:
    """ "Varga rejected that idea" answers the tax claim before it, not the exclamation
    between them ("But, come on." states nothing)."""
    text = (
        "Mayor Orla Brask said the harbour tax would fall by half next spring. "
        'Councillor Ivo Holm said: "But, come on." '
        "Treasurer Enna Varga rejected that idea."
    )
    tax = "the harbour tax would fall by half next spring"
    record = make_record(
        "h1",
        text,
        published="2025-05-02",
        url="https://harbour.example/1",
        people=(("Orla Brask", "PERSON"), ("Ivo Holm", "PERSON"), ("Enna Varga", "PERSON")),
        claims=(
            ("Mayor Orla Brask", tax, "assert", None),
            ("Councillor Ivo Holm", "But, come on.", "assert", None),
            ("Treasurer Enna Varga", "that idea", "deny", None),
        ),
    )
    found = _found(store, record)
    assert [(c.kind, c.asserted[0].content) for c in found] == [("denial", tax)]


def test_a_denial_of_a_two_word_proposition_finds_the_report_it_answers(store: Store) -> None:
    """ "denied that she was writing a memoir" states one thing in two content words: it
    answers the report of it in its article."""
    report = "that Mara Quist was writing a memoir"
    text = f"The Harbour Daily reported {report}. Quist has denied that she was writing a memoir."
    record = make_record(
        "m1", text, published="2025-05-02", url="https://memoir.example/1",
        claims=(("The Harbour Daily", report, "assert", None),
                ("Quist", "that she was writing a memoir", "deny", None)),
    )  # fmt: skip
    found = _found(store, record)
    assert [(c.kind, c.asserted[0].content) for c in found] == [("denial", report)]


def test_a_denied_accusation_is_not_the_accused_saying_no(store: Store) -> None:
    """ "Lisk denied the accusations" answers what Orsk accuses him of, not Orsk's own
    denial that names Lisk ("he did not sign a contract with Lisk")."""
    accusation = "He tried to silence me"
    defence = "that he did not sign a contract with Lisk"
    text = (
        f"Tomas Orsk recalled {defence}. {accusation}, Orsk said. "
        "Lisk denied the accusations through a spokeswoman."
    )
    record = make_record(
        "o1", text, published="2025-05-02", url="https://orsk.example/1",
        people=(("Tomas Orsk", "PERSON"), ("Lisk", "PERSON")),
        claims=(("Tomas Orsk", defence, "assert", None), ("Orsk", accusation, "assert", None),
                ("Lisk", "the accusations", "deny", None)),
    )  # fmt: skip
    found = _found(store, record)
    assert [(c.kind, c.asserted[0].content) for c in found] == [("denial", accusation)]


def test_a_short_denial_contradicts_only_a_claim_of_all_its_words(store: Store) -> None:
    """ "denied that she mishandled the council papers": a claim that the papers were
    handled shares the topic's words, not what is denied."""
    found = _found(
        store,
        _said("k1", "Ada Holm", "the mayor had handled the Tessin council papers", "assert",
              "2025-05-02"),
        _said("k2", "Mara Quist", "she had mishandled the Tessin council papers", "deny",
              "2025-05-03"),
    )  # fmt: skip
    assert found == []


def test_two_stories_saying_he_or_she_are_not_about_one_person(store: Store) -> None:
    """Two candidates each saying "he was part of the old guard" of themselves: nothing
    links the two "he"s, so one denying it does not contradict the other."""
    found = _found(
        store,
        _said("g1", "Tomas Feld", "he was once part of the Tessin old guard", "assert",
              "2025-05-02"),
        _said("g2", "Ivo Brant", "he was part of the Tessin old guard", "deny", "2025-05-03"),
        make_record(
            "g3", "Lena Orsk rejected the notion that she was part of the Tessin old guard.",
            published="2025-05-04", url="https://g3.example/a",
            claims=(("Lena Orsk", "the notion that she was part of the Tessin old guard",
                     "deny", None),),
        ),
    )  # fmt: skip
    assert found == []


SHORTER = "the cracks in the spillway had widened"


@pytest.mark.parametrize(
    ("asserted_on", "found"),
    [("2025-04-05", True), ("2025-06-04", True), ("2025-01-02", False), ("", True)],
)
def test_a_denial_finds_the_claim_elsewhere_within_its_window(
    store: Store, asserted_on: str, found: bool
) -> None:
    """Within DENIAL_WINDOW_DAYS (30) of the denial, either way, or undated."""
    contradictions = _found(
        store,
        _said("d1", "Engineers at the Tessin Polytechnic", CRACKS, "assert", asserted_on),
        _said("d2", "The Orvel water board", SHORTER, "deny", "2025-05-05"),
    )
    assert bool(contradictions) is found


@pytest.mark.parametrize(("asserted_on", "found"), [("2025-05-20", True), ("2025-08-01", False)])
def test_a_claim_added_after_the_denial_it_answers_is_found_by_the_update(
    store: Store, asserted_on: str, found: bool
) -> None:
    """The stored contradictions, brought up to date when the assertion comes after the
    denial (`_denials_answered_by`), are those found anew."""
    _found(store, _said("d2", "The Orvel water board", SHORTER, "deny", "2025-05-05"))
    anew = _found(
        store, _said("d1", "Engineers at the Tessin Polytechnic", CRACKS, "assert", asserted_on)
    )
    with store.reading() as conn:
        stored = stored_contradictions(conn, ContradictionFilter())
    assert [c.id for c in stored] == [c.id for c in anew]
    assert [(c.asserted[0].article_id, c.disputed_by[0].article_id) for c in stored] == (
        [("d1", "d2")] if found else []
    )


def _stem_row(role: str, stem: str, day: str, article: str, stems: int) -> dict[str, object]:
    ident = {"article_id": article, "claim_id": "c1", "stems": stems}
    return {"role": role, "stem": stem, "day": day, **ident}


def test_claims_are_found_by_their_stems_within_the_days_asked(store: Store) -> None:
    rows = [
        *(_stem_row(ASSERTING, s, "2025-03-01", "a1", 3) for s in ("crack", "spill", "widen")),
        *(_stem_row(ASSERTING, s, "2025-03-31", "a2", 2) for s in ("crack", "spill")),
        *(_stem_row(ASSERTING, s, "", "a3", 3) for s in ("crack", "spill", "widen")),
        *(_stem_row(ASSERTING, s, "2025-04-01", "a4", 3) for s in ("crack", "spill", "widen")),
        *(_stem_row(DENYING, s, "2025-03-10", "d1", 2) for s in ("crack", "widen")),
        *(_stem_row(DENYING, s, "2025-03-10", "d2", 2) for s in ("crack", "dam")),
        *(_stem_row(DENYING, s, "", "d3", 2) for s in ("spill", "widen")),
    ]
    with store.writing() as conn:
        save_claim_stems(conn, rows)
        # every stem, in the days asked (both ends) or on none
        assert claims_holding(conn, ["crack", "spill", "widen"], "2025-03-01", "2025-03-31") == [
            ("a1", "c1"),
            ("a3", "c1"),
        ]
        assert claims_holding(conn, ["crack", "spill"], "2025-03-02", "2025-04-01") == [
            ("a2", "c1"),
            ("a3", "c1"),
            ("a4", "c1"),
        ]
        # undated: every day
        assert len(claims_holding(conn, ["crack", "spill"], "", "9999-12-31")) == 4
        # denials all of whose stems are among those held
        held = ["crack", "spill", "widen"]
        assert denials_within(conn, held, "2025-03-01", "2025-03-31") == [
            ("d1", "c1"),
            ("d3", "c1"),
        ]
        assert denials_within(conn, held, "2025-03-11", "2025-03-31") == [("d3", "c1")]
        # an article filed again: its claims replaced, not added to
        save_claim_stems(conn, [_stem_row(ASSERTING, "crack", "2025-03-01", "a1", 1)])
        assert claims_holding(conn, ["spill"], "2025-03-01", "2025-03-01") == [("a3", "c1")]
        assert claims_holding(conn, ["crack"], "2025-03-01", "2025-03-01") == [
            ("a1", "c1"),
            ("a3", "c1"),
        ]


def test_the_stems_migration_finds_again_only_the_denials_matched_through_them(
    store: Store,
) -> None:
    """A store migrated to `claim_stems` (none filed, CLAIM_STEMS marked) has them filed
    and its denials found again by the next analysis run, and nothing else written."""
    anew = _found(
        store,
        _said("d1", "Engineers at the Tessin Polytechnic", CRACKS, "assert", "2025-05-02"),
        _said("d2", "The Orvel water board", SHORTER, "deny", "2025-05-05"),
        _said("s1", "The Vell health office", SAFE, "assert", "2025-05-02"),
        _said("s2", "Mayor Ilse Brandt", UNSAFE, "assert", "2025-05-03"),
    )
    assert sorted(c.kind for c in anew) == ["denial", "negation"]
    with store.writing() as conn:
        conn.execute(delete(schema.claim_stems))
        delete_contradictions(conn, ids_scoped_under(conn, "r:"))
        conn.execute(schema.analysis_changes.insert().values(group_id=CLAIM_STEMS))
        assert refresh_contradictions(conn) == 1  # the denial; the negation was kept
        assert conn.execute(select(func.count()).select_from(schema.claim_stems)).scalar() > 0
        stored = stored_contradictions(conn, ContradictionFilter())
        assert sorted(c.id for c in stored) == sorted(c.id for c in anew)
        assert not stems_pending(conn)


def _article(
    store: Store, text: str, people: tuple[str, ...], said: tuple[tuple[str, str, str], ...]
) -> list[Contradiction]:
    """The contradictions of one article naming `people` whose claims are `said`
    (speaker, content, stance)."""
    record = make_record(
        "a1", text, published="2025-05-02", url="https://harbour.example/a1",
        people=tuple((name, "PERSON") for name in people),
        claims=tuple((who, what, stance, None) for who, what, stance in said),
    )  # fmt: skip
    return _found(store, record)


def test_a_denial_that_only_points_back_answers_the_claim_before_it(store: Store) -> None:
    """ "denied that that was the case" states nothing of its own: like "denied the
    report", it answers the claim of another side before it."""
    belief = "the harbour master was trying to spread rumours about Mr. Tavel"
    text = (
        f"Mara Quist believed {belief}. Mr. Lisk has denied that that was the case, and he "
        "still meets the council weekly."
    )
    found = _article(
        store, text, ("Mara Quist", "Lisk"),
        (("Mara Quist", belief, "assert"),
         ("Mr. Lisk", "that that was the case, and he still meets the council weekly", "deny")),
    )  # fmt: skip
    assert [(c.kind, c.asserted[0].content, c.side_b_actors) for c in found] == [
        ("denial", belief, ["Mr. Lisk"])
    ]


def test_that_idea_answers_the_statement_just_before_it(store: Store) -> None:
    """ "Varga rejected that idea" answers the claim just before it; when that claim
    is her own side's (here put to her, and credited to her), it answers nothing else
    of the article."""
    tax = "the harbour tax would fall by half next spring"
    ferry = "to Varga that Valdor should open the ferry to Karsk"
    text = (
        f"Mayor Orla Brask said {tax}. Anchor Lena Orsk insisted {ferry}. "
        "Treasurer Enna Varga rejected that idea."
    )
    found = _article(
        store, text, ("Orla Brask", "Enna Varga"),
        (("Mayor Orla Brask", tax, "assert"), ("Treasurer Enna Varga", ferry, "assert"),
         ("Treasurer Enna Varga", "that idea", "deny")),
    )  # fmt: skip
    assert found == []


def test_a_denied_accusation_is_answered_by_its_accusers_not_by_the_defence(
    store: Store,
) -> None:
    """ "Valdor denied the fraud claims": side A is the accusation (and its repeats),
    not its counsel's defence in the same article, which shares its words."""
    accusation = "Valdor Academy had misled its students about the harbour courses and fees"
    defence = "Valdor Academy had served its students well on the harbour courses and fees"
    text = (
        f"Two lawsuits said {accusation}. Valdor denied the fraud claims. "
        f"Mara Quist, counsel for the academy, said {defence}."
    )
    said = (("Two lawsuits", accusation, "assert"), ("Valdor", "the fraud claims", "deny"),
            ("Mara Quist", defence, "assert"))  # fmt: skip
    found = [c for c in _article(store, text, ("Mara Quist",), said) if c.kind == "denial"]
    assert [[m.content for m in c.asserted] for c in found] == [[accusation]]


@pytest.mark.parametrize(
    ("described", "denied"), [("Tavel campaign manager", False), ("the harbour analyst", True)]
)
def test_a_campaign_manager_does_not_deny_his_own_candidate(
    store: Store, described: str, denied: bool
) -> None:
    """ "Tavel campaign manager Ivo Brant" is on Tavel's side: his rejecting the notion
    that the harbour master is a captive of the old guard denies no claim of Tavel's."""
    captive = "the former harbour master is a captive of the Tessin old guard"
    notion = f"the notion that {captive}"
    second = f'"We are winning," {described} Ivo Brant said. Brant rejected {notion}.'
    found = _found(
        store,
        _said("t1", "Lisk Tavel", captive, "assert", "2025-05-02"),
        make_record(
            "t2", second, published="2025-05-03", url="https://t2.example/a",
            people=(("Ivo Brant", "PERSON"),),
            claims=((f"{described} Ivo Brant", "We are winning", "assert", None),
                    ("Brant", notion, "deny", None)),
        ),
    )  # fmt: skip
    assert [c.asserted[0].content for c in found] == ([captive] if denied else [])


def test_a_she_of_another_story_is_the_denier_when_it_names_her_just_before(
    store: Store,
) -> None:
    """ "she had hired a Karsk lawyer", said of Mara Quist by the name before it, is
    what Quist denies in another story; the same words of an unnamed "she" are not."""
    hired = "she had hired a Karsk lawyer for the council case"
    found = _found(
        store,
        make_record(
            "n1", f"The Harbour Daily said Mara Quist was under pressure and that {hired}.",
            published="2025-05-02", url="https://n1.example/a",
            claims=(("The Harbour Daily", hired, "assert", None),),
        ),
        _said("n2", "Mara Quist", hired, "deny", "2025-05-03"),
        _said("n3", "Ivo Brant", hired, "deny", "2025-05-04"),
    )  # fmt: skip
    assert [(c.side_a_actors, c.side_b_actors) for c in found] == [
        (["The Harbour Daily"], ["Mara Quist"])
    ]
