"""Which claims are one proposition: sentence vectors, figure profiles, bare numbers,
boilerplate and honest source counts, on fictional records with the shipped encoder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pytest

from analysis_helpers import make_record, save
from newstrace.analysis import update_analysis
from newstrace.analysis.groups import ClaimGroup, largest_groups, load_members
from newstrace.analysis.matching import Item, claim_words, compatible, similarity
from newstrace.errors import ModelError
from newstrace.ingest.vectors import embed_claims
from newstrace.models import Record
from newstrace.nlp.embedding import ENCODER_DIR, SentenceEncoder, load_encoder
from newstrace.store import Store
from newstrace.store.items import ItemFilter
from newstrace.store.vectors import pack, unpack


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def _analyse(store: Store, records: list[Record]) -> list[ClaimGroup]:
    for record in records:
        save(store, record)
    ids = [r.article.id for r in records]
    embed_claims(store, ids)
    update_analysis(store, ids)
    return largest_groups(store, None, min_items=2)


def _said(
    aid: str, speaker: str, content: str, outlet: str, duplicate_of: str | None = None
) -> Record:
    text = f"{speaker} said {content}."
    claims = ((speaker, content, "assert", None),)
    return make_record(aid, text, claims=claims, outlet=outlet, duplicate_of=duplicate_of)


def _counted(
    aid: str, speaker: str, content: str, figure: str, outlet: str, holder: str = "Valdor"
) -> Record:
    text = f"{speaker} said {content}."
    claims = ((speaker, content, "assert", figure),)
    return make_record(aid, text, claims=claims, outlet=outlet, holder=holder)


def _contents(group: ClaimGroup) -> set[str]:
    return {m.content or "" for m in group.members}


def test_the_encoder_puts_paraphrases_closer_than_unrelated_claims() -> None:
    vectors = load_encoder().embed(
        [
            "the bridge over the Lisk river will close for repairs next spring",
            "the Lisk bridge is to shut next spring so it can be repaired",
            "the harvest festival drew record crowds",
        ]
    )
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > 0.8 > 0.3 > vectors[0] @ vectors[2]


def test_a_wording_s_vector_does_not_depend_on_what_it_is_embedded_with() -> None:
    """The int8 model quantises activations over a batch: batched, a claim's vector moved
    with its neighbours (and a cosine across a threshold with them)."""
    encoder = load_encoder()
    claim = "turnout in the Lestrin election was 61 percent"
    others = ["the dam was sound", "inspections of the Orvel dam would continue every month"]
    alone = encoder.embed([claim])[0]
    assert np.array_equal(encoder.embed([*others, claim])[2], alone)


def test_packed_vectors_keep_their_direction() -> None:
    vector = load_encoder().embed(["Ada Holm will stand again"])[0]
    assert len(pack(vector)) == 4 + 384
    assert float(unpack(pack(vector)) @ vector) > 0.999


def test_an_altered_encoder_file_is_refused(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    for name in ("model-card.json", "tokenizer.json"):
        (folder / name).write_bytes((ENCODER_DIR / name).read_bytes())
    (folder / "model.int8.onnx").write_bytes(b"not a model")
    with pytest.raises(ModelError, match="corrupt"):
        SentenceEncoder(folder)


def test_vectors_are_computed_once_per_wording(store: Store) -> None:
    records = [
        _said("v1", "Ada Holm", "the Lisk bridge will close next spring", outlet="a.example"),
        _said("v2", "Ada Holm", "the Lisk bridge will close next spring", outlet="b.example"),
    ]
    for record in records:
        save(store, record)
    assert embed_claims(store, ["v1", "v2"]) == 1
    assert embed_claims(store, ["v1", "v2"]) == 0


def test_paraphrases_are_grouped_by_meaning(store: Store) -> None:
    groups = _analyse(
        store,
        [
            _said(
                "p1",
                "Mayor Ada Holm",
                "the bridge over the Lisk river will close for repairs next spring",
                outlet="a.example",
            ),
            _said(
                "p2",
                "Ada Holm",
                "the Lisk bridge is to shut next spring so it can be repaired",
                outlet="b.example",
            ),
            _said(
                "p3",
                "Ada Holm",
                "the harvest festival on the Lisk drew record crowds",
                outlet="c.example",
            ),
        ],
    )
    assert len(groups) == 1
    assert {m.article_id for m in groups[0].members} == {"p1", "p2"}


def test_claims_naming_different_places_are_not_one_proposition(store: Store) -> None:
    groups = _analyse(
        store,
        [
            _said(
                "n1",
                "Ada Holm",
                "the Lisk bridge will close for repairs next spring",
                outlet="a.example",
            ),
            _said(
                "n2",
                "Ada Holm",
                "the Karsk bridge will close for repairs next spring",
                outlet="b.example",
            ),
        ],
    )
    assert groups == []


def test_a_claim_that_only_shares_a_group_s_topic_does_not_join_it(store: Store) -> None:
    """The inquiry's independence is close to one member (the server's use, its topic)
    but not to the group as a whole: linked to any one member, the topic chained
    different claims into one group."""
    server = "Mara Quist's use of a private mail server as foreign minister of Karsk"
    groups = _analyse(
        store,
        [
            _said("t1", "Ada Holm", server, outlet="a.example"),
            _said(
                "t2",
                "Ada Holm",
                "her use of a private mail server while she was foreign minister of Karsk",
                outlet="b.example",
            ),
            _said(
                "t3",
                "Lisk Tavel",
                "the inquiry into Mara Quist's use of a private mail server as foreign "
                "minister is free of political influence",
                outlet="c.example",
            ),
        ],
    )
    assert [sorted(m.article_id for m in g.members) for g in groups] == [["t1", "t2"]]


def test_figures_of_different_series_are_never_merged(store: Store) -> None:
    content = "4,000 troops were deployed to the northern border this week"
    groups = _analyse(
        store,
        [
            _counted(
                "s1",
                "Ada Holm",
                content,
                "4,000 troops|4000|troops",
                holder="Valdor",
                outlet="a.example",
            ),
            _counted(
                "s2",
                "Ada Holm",
                content,
                "4,000 troops|4000|troops",
                holder="Karsk",
                outlet="b.example",
            ),
            _counted(
                "s3",
                "Ada Holm",
                "Valdor has 4,000 troops at the border",
                "4,000 troops|4000|troops",
                holder="Valdor",
                outlet="c.example",
            ),
        ],
    )
    assert [sorted(m.article_id for m in g.members) for g in groups] == [["s1", "s3"]]


def test_bare_numbers_never_make_a_group_by_themselves(store: Store) -> None:
    groups = _analyse(
        store,
        [
            _counted(
                "b1",
                "Ada Holm",
                "she had voted 6 times in the council",
                "6 times|6|times",
                outlet="a.example",
            ),
            _counted(
                "b2",
                "Ivo Brant",
                "the river flooded 6 times in a decade",
                "6 times|6|times",
                outlet="b.example",
            ),
            _counted(
                "b3",
                "Ivo Brant",
                "tickets cost 200 dollars at the gate",
                "200 dollars|200|dollars",
                outlet="a.example",
            ),
            _counted(
                "b4",
                "Ada Holm",
                "the fine was 200 dollars for each truck",
                "200 dollars|200|dollars",
                outlet="b.example",
            ),
        ],
    )
    assert groups == []


def _vague(aid: str, speaker: str, content: str, outlet: str, holder: str = "") -> Record:
    """A claim with "thousands of ...": bounds and no value, as extraction gives it."""
    record = _counted(aid, speaker, content, "thousands|0|people", outlet, holder=holder)
    figure = replace(
        record.figures[0], value=None, low=2000.0, high=9999.0, qualifier="thousands of",
        holder_name=holder or None,
    )  # fmt: skip
    return replace(record, figures=(figure,))


def test_vague_amounts_of_no_one_never_make_a_group_by_themselves(store: Store) -> None:
    groups = _analyse(
        store,
        [
            _vague("v1", "Ada Holm", "thousands of people marched in Karsk on Monday", "a.example"),
            _vague("v2", "Ivo Brant", "thousands of people lost power in the storm", "b.example"),
            _vague("v3", "Mara Quist", "thousands of people had signed the petition", "c.example"),
            _vague("v4", "Lena Orsk", "thousands of Karsk people had crossed at Lisk", "d.example",
                   holder="Karsk"),
            _vague("v5", "Tomas Feld", "Karsk said thousands of its people were in Tamsk",
                   "e.example", holder="Karsk"),
        ],
    )  # fmt: skip
    # the amount of a named holder is one count, however it is worded
    assert [sorted(m.article_id for m in g.members) for g in groups] == [["v4", "v5"]]


NOTE = (
    "Editor's note: Ivo Brant is a serial liar who has repeatedly pledged to close "
    "the border to 40,000 refugees"
)


def _with_note(aid: str, outlet: str, claim: str) -> Record:
    text = f"Ada Holm said {claim}. {NOTE}."
    return make_record(
        aid, text, outlet=outlet,
        claims=(("Ada Holm", claim, "assert", None), ("Editor", NOTE, "assert", None)),
    )  # fmt: skip


def test_a_sentence_one_outlet_repeats_is_boilerplate(store: Store) -> None:
    topics = ["the harvest was late", "the mine will reopen", "taxes will rise in May"]
    records = [_with_note(f"e{n}", "daily.example", t) for n, t in enumerate(topics)]
    records.append(_with_note("e9", "other.example", "the ferry will stop running"))
    groups = _analyse(store, records[:2])
    assert [len(g.members) for g in groups] == [2]  # two articles: not yet boilerplate
    groups = _analyse(store, records[2:])
    assert all(NOTE not in _contents(g) for g in groups)
    with store.reading() as conn:
        kept = sorted((m.article_id, m.content == NOTE) for m in load_members(conn, ItemFilter()))
    # the three articles of one outlet keep their own claims; the other outlet its note
    assert kept == [("e0", False), ("e1", False), ("e2", False), ("e9", False), ("e9", True)]


def test_copies_of_one_story_count_as_one_source(store: Store) -> None:
    content = "the Lisk bridge will close for repairs next spring"
    groups = _analyse(
        store,
        [
            _said("c1", "officials", content, outlet="wire.example"),
            _said("c2", "officials", content, outlet="a.example", duplicate_of="c1"),
            _said("c3", "officials", content, outlet="b.example", duplicate_of="c1"),
            _said("c4", "Ada Holm", content, outlet="c.example"),
        ],
    )
    (group,) = groups
    assert (len(group.members), group.articles, group.outlets, group.sources) == (4, 4, 4, 2)


def _two_shares(aid: str, outlet: str) -> Record:
    """A claim with two shares of one poll sentence: Rubio's and Kasich's."""
    content = "Rubio was at 11 percent and Kasich at 10 percent in the Orbis poll"
    record = _counted(aid, "Ada Holm", content, "11 percent|11|percent", outlet)
    first = record.figures[0]
    text = record.article.text
    start = text.index("10 percent")
    second = replace(first, id="f2", start=start, end=start + 10, text="10 percent", value=10.0)
    claim = replace(record.claims[0], figure_ids=("f1", "f2"))
    return replace(record, claims=(claim,), figures=(first, second))


def test_the_figures_of_one_sentence_stay_apart(store: Store) -> None:
    records = [_two_shares("t1", "a.example"), _two_shares("t2", "b.example")]
    records.append(
        _said(
            "t3",
            "Ivo Brant",
            "Rubio was at 11 percent and Kasich at 10 percent in the Orbis poll",
            "c.example",
        )
    )
    groups = _analyse(store, records)
    values = sorted(sorted({m.value for m in g.members if m.value is not None}) for g in groups)
    assert values == [[10.0], [11.0]]  # never 10 and 11 percent in one group


def test_a_plan_and_the_deed_are_two_propositions(store: Store) -> None:
    """ "Would end on Friday" (said before) and "had ended" (said after) are close in
    meaning, but one says what will be and the other what has been."""
    groups = _analyse(
        store,
        [
            _said(
                "w1", "Odo Harrow", "voting in the Brill council would end on Friday", "a.example"
            ),
            _said("w2", "Odo Harrow", "voting in the Brill council had ended", "b.example"),
            _said("w3", "Ivo Pell", "voting in the Brill council will end on Friday", "c.example"),
        ],
    )
    assert [sorted(m.article_id for m in g.members) for g in groups] == [["w1", "w3"]]


def test_a_claim_on_a_condition_is_not_the_claim_without_it(store: Store) -> None:
    strike = "the union would call a strike"
    groups = _analyse(
        store,
        [
            _said("k1", "Maren Coss", f"{strike} at the port of Hadra", "a.example"),
            _said(
                "k2", "Maren Coss", f"{strike} at the port of Hadra if talks failed", "b.example"
            ),
        ],
    )
    assert groups == []


def _item(words: str, profile: str | None = None, value: float | None = None) -> Item:
    figure = "f1" if profile is not None else ""
    return Item("a", "c", figure, words, value, value, value, None, None, profile)


def test_forms_of_one_word_are_one_shared_word() -> None:
    """ "damaged" and "damage" are one word shared: with three, a fairly close pair of
    wordings is one proposition."""
    a = _item(" ".join(claim_words("the Orvel dam had not been damaged by the flood")))
    b = _item(" ".join(claim_words("the flood had caused no damage to the dam")))
    assert similarity(a, b, 0.69) > 0
    assert (
        similarity(a, _item(" ".join(claim_words("the flood had caused damage to the dam"))), 0.9)
        == 0
    )


def test_a_count_of_people_meets_a_count_of_one_kind_of_people_by_meaning() -> None:
    people = _item("people evacuated valley", "people||left|total|", 3000.0)
    residents = _item("residents evacuated valley", "residents||left|total|", 3000.0)
    assert similarity(people, residents, 0.85) > 0
    assert similarity(people, residents, 0.5) == 0  # not by the count alone
    killed = _item("residents killed valley", "residents||killed|total|", 3000.0)
    assert similarity(people, killed, 0.85) == 0  # all else must agree


def test_a_poll_given_by_its_pollster_is_that_pollster_s() -> None:
    named = _item(
        "voters opposed cuts civic watch poll", "percent of voters||polled|total|civic watch", 58.0
    )
    said = _item("voters against cuts civic watch", "percent of voters||polled|total|", 58.0)
    other = _item("voters against cuts", "percent of voters||polled|total|", 58.0)
    unnamed = _item("voters against cuts civic watch", "percent of voters||polled|total|?", 58.0)
    assert compatible(named, said) and compatible(said, named)
    assert not compatible(named, other)
    assert not compatible(named, unnamed)


def _unclaimed(aid: str, text: str, figure: str, outlet: str) -> Record:
    """A figure no claim holds ("In all, 691 delegates are at stake"), as extraction
    gives a figure outside every attribution."""
    record = _counted(aid, "The wire", text, figure, outlet)
    return replace(record, claims=(), figures=(replace(record.figures[0], claim_id=None),))


def test_a_group_of_figures_no_claim_holds_is_labelled_with_what_they_count(
    store: Store,
) -> None:
    groups = _analyse(
        store,
        [
            _unclaimed("u1", "691 delegates are at stake in five states", "691|691|delegates",
                       "a.example"),
            _unclaimed("u2", "in all, 691 delegates are up for grabs", "691|691|delegates",
                       "b.example"),
        ],
    )  # fmt: skip
    assert [g.label for g in groups] == ["691 delegates"]
