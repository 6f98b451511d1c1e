"""What a figure counts: measure, holder, place, predicate, kind and as-of, decided from
the parse (fictional sentences)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newstrace.analysis.matching import figure_profile
from newstrace.extract.pipeline import extract_record
from newstrace.models import Article, Figure, Measure, Record, record_from_dict, series_label
from newstrace.nlp import load_pipeline
from newstrace.settings import Settings

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(Settings())


def _record(nlp: Language, text: str) -> Record:
    return extract_record(Article(id="t", text=text, published="2025-03-10"), nlp(text))


def _figure(record: Record, text: str) -> Figure:
    return next(f for f in record.figures if text in f.text)


def _holders(record: Record, *texts: str) -> list[str | None]:
    return [_figure(record, t).holder_name for t in texts]


def test_holder_place_predicate_and_as_of(nlp: Language) -> None:
    record = _record(nlp, "Karsk has moved about 3,000 troops to Lisk, Valdoria said on Saturday.")
    f = _figure(record, "3,000")
    names = {e.id: e.name for e in record.entities}
    assert f.measure is not None and f.measure.key == "troops"
    assert f.holder_name == "Karsk"
    assert names.get(f.place or "") == "Lisk"
    assert f.predicate == "deployed"
    assert {t.id: t.value for t in record.times}[f.as_of or ""] == "2025-03-08"
    assert f.series_key() == "karsk|troops|deployed|total"


def test_demonym_and_synonym_give_one_measure(nlp: Language) -> None:
    record = _record(nlp, "About 400 Valdorian soldiers have been killed, the army said.")
    f = _figure(record, "400")
    assert f.measure is not None and f.measure.text == "Valdorian soldiers"
    assert f.measure.key == "troops"
    assert f.holder_name == "Valdoria"
    assert f.predicate == "killed"


def test_change_roles_and_the_earlier_value_is_in_no_series(nlp: Language) -> None:
    record = _record(
        nlp, "Orbis Research found that 28 percent of voters supported Quist, compared with "
        "33 percent last month, in a poll published on Monday."
    )  # fmt: skip
    now, before = _figure(record, "28"), _figure(record, "33")
    assert (now.role, before.role) == ("current", "previous")
    assert "poll" in now.kind and "change" in now.kind
    assert now.pollster is not None and now.pollster.text == "Orbis Research"
    assert before.series_key() is None
    assert (now.series_key() or "").startswith("poll:orbis research|")


def test_increment_projection_and_rejected(nlp: Language) -> None:
    plan = _figure(_record(nlp, "Karsk plans to send another 1,500 soldiers to Lisk."), "1,500")
    assert {"increment", "projection"} <= set(plan.kind)
    denial = _record(
        nlp, "Karsk's foreign ministry denied that it had massed troops, calling a "
        'Valdorian estimate of about 3,000 soldiers "invented."'
    )  # fmt: skip
    rejected = _figure(denial, "3,000")
    assert "rejected" in rejected.kind and rejected.series_key() is None


def test_a_noun_less_figure_takes_the_measure_it_refers_back_to(nlp: Language) -> None:
    record = _record(
        nlp, "Valdoria said 3,000 Karsk troops were near Lisk. The monitors put the "
        "figure at 3,000 to 5,000."
    )  # fmt: skip
    f = _figure(record, "3,000 to 5,000")
    assert f.measure is not None and f.measure.key == "troops"
    assert record.article.text[f.measure.start : f.measure.end] == f.measure.text


def test_the_new_keys_survive_a_round_trip(nlp: Language) -> None:
    record = _record(nlp, "A total of 12,000 Telsian troops are now stationed in Brenno.")
    f = _figure(record, "12,000")
    assert "cumulative" in f.kind
    assert record_from_dict(record.to_dict()) == record


def test_a_capital_named_country_city_holds_for_its_country(nlp: Language) -> None:
    record = _record(
        nlp, "Valdoria says Karsk has massed troops. Karsk City has said that several "
        "thousand of its soldiers are in the border region for exercises."
    )  # fmt: skip
    f = _figure(record, "several thousand")
    assert f.holder_name == "Karsk"
    assert f.series_key() == "karsk|troops|deployed|total"


def test_a_recap_takes_the_holder_the_article_names_without_a_number(nlp: Language) -> None:
    record = _record(
        nlp, "Three months after Valdoria first raised the alarm over Karsk troops near the "
        "town of Lisk, the two sides still disagree.\n\n"
        "Valdoria's defence ministry put the figure at about 3,000 on Feb. 3. The monitors "
        "estimated 3,000 to 5,000 a week later. Karsk's foreign ministry spoke of several "
        "hundred soldiers in February."
    )  # fmt: skip
    assert _figure(record, "about 3,000").holder_name == "Karsk"
    assert _figure(record, "3,000 to 5,000").holder_name == "Karsk"


def test_a_recap_names_no_holder_when_the_article_names_two(nlp: Language) -> None:
    record = _record(
        nlp, "Three months after Valdoria first raised the alarm over Karsk troops and "
        "Orsan troops near the town of Lisk, the two sides still disagree.\n\n"
        "Valdoria's defence ministry put the figure at about 3,000 on Feb. 3. Karsk's "
        "foreign ministry spoke of several hundred soldiers in February."
    )  # fmt: skip
    assert _figure(record, "about 3,000").holder_name is None


def test_a_figure_whose_holder_is_not_said_is_in_no_series(nlp: Language) -> None:
    record = _record(nlp, "In 2014, about 82 percent of the cases were closed within a year.")
    f = _figure(record, "82 percent")
    assert f.holder_name is None and f.pollster is None
    assert f.series_key() is None


def test_a_claim_denied_as_a_noun_is_rejected(nlp: Language) -> None:
    record = _record(
        nlp, "The foreign ministry dismissed a claim that 12,500 Karsk troops had crossed."
    )
    f = _figure(record, "12,500")
    assert "rejected" in f.kind and f.series_key() is None


def test_a_share_takes_the_poll_named_in_the_sentence_before(nlp: Language) -> None:
    record = _record(
        nlp, "A new Orbis Research poll was published on Monday. Quist had 41 percent and "
        "Marel had 38 percent."
    )  # fmt: skip
    f = _figure(record, "41 percent")
    assert "poll" in f.kind
    assert f.pollster is not None and f.pollster.text == "Orbis Research"
    assert f.series_key() == "poll:orbis research|quist|percent"


def test_a_share_of_an_unnamed_poll_is_in_no_series(nlp: Language) -> None:
    record = _record(nlp, "In the latest poll, Quist had 41 percent and Marel had 38 percent.")
    f = _figure(record, "41 percent")
    assert "poll" in f.kind and f.pollster is None
    assert f.series_key() is None


def test_a_weekday_or_a_direction_holds_nothing(nlp: Language) -> None:
    record = _record(nlp, "Primaries are held in five Western states on Tuesday.")
    assert _figure(record, "five").holder_name is None
    record = _record(nlp, "Quist won by 18 points on Wednesday.")
    assert _figure(record, "18").holder_name != "Wednesday"


def test_what_a_candidate_has_of_a_share_or_a_sum_is_named_by_the_measure(nlp: Language) -> None:
    record = _record(nlp, "Through September, Marel had about $800,000 in his campaign account.")
    f = _figure(record, "$800,000")
    assert f.holder_name == "Marel"
    assert f.series_key() == "marel|dollars||total"


def test_delegates_a_candidate_has_are_won_delegates(nlp: Language) -> None:
    record = _record(nlp, "Quist has 11 delegates and Marel has 10.")
    assert _figure(record, "11").predicate == "won"
    ten = _figure(record, "10")
    assert ten.predicate == "won" and ten.series_key() == "marel|delegates|won|total"


def test_what_is_won_in_one_place_is_that_contests_series_not_the_running_total(
    nlp: Language,
) -> None:
    """ "In Lisk, Quist won at least 23 delegates": Lisk's result; "Quist's count
    stands at 488 delegates" is the running total; troops "in Lisk" stay in one series."""
    text = (
        "In Lisk, Quist won at least 23 delegates and Marel won at least 12. Over the "
        "whole race, Quist has 488 delegates."
    )
    record = _record(nlp, text)
    assert _figure(record, "at least 23").series_key() == "quist|delegates|won|total|lisk"
    assert _figure(record, "at least 12").series_key() == "marel|delegates|won|total|lisk"
    assert _figure(record, "488").series_key() == "quist|delegates|won|total"
    assert series_label("quist|delegates|won|total|lisk") == "quist delegates, won in lisk"
    record = _record(nlp, "Karsk has deployed about 3,000 troops in Lisk.")
    assert _figure(record, "about 3,000").series_key() == "karsk|troops|deployed|total"


def test_a_party_is_part_of_what_is_counted_not_its_holder(nlp: Language) -> None:
    record = _record(nlp, "About 4,000 Democratic voters turned out in Corvel on Tuesday.")
    f = _figure(record, "4,000")
    assert f.holder_name is None
    assert f.measure is not None and f.measure.key == "democratic voters"


def test_ratios_and_number_chains_count_nothing(nlp: Language) -> None:
    record = _record(nlp, "About 3 in 10 Quist voters were undecided.")
    assert all(f.measure is None for f in record.figures)
    record = _record(nlp, "Marel follows a 3-2-1 strategy in the primaries.")
    assert all(f.measure is None for f in record.figures)


def test_a_lead_in_a_named_poll_is_a_point_of_that_poll(nlp: Language) -> None:
    record = _record(
        nlp, "A new Orbis Research poll was published on Monday. Quist leads Marel by 12 "
        "points among likely voters."
    )  # fmt: skip
    f = _figure(record, "12")
    assert "poll" in f.kind
    assert (f.series_key() or "").startswith("poll:orbis research|")


def test_a_number_in_a_name_counts_nothing(nlp: Language) -> None:
    record = _record(nlp, "The airline bought nine Boeing 737 jets from the Marel Group.")
    assert all(f.measure is None for f in record.figures if "737" in f.text)


def test_a_list_number_or_a_headline_number_counts_nothing(nlp: Language) -> None:
    text = (
        "Five Things to Know About the Corvel Strike\n\n1\n\nMarel police arrested 40 "
        "protesters on Monday.\n\n2.\n\nThe union said 300 workers walked out."
    )
    record = _record(nlp, text)
    for number in ("Five", "1", "2"):
        assert _figure(record, number).measure is None, number
    assert _figure(record, "40").measure is not None
    headline = "Ten Questions Quist Must Answer Before the Vote"
    record = _record(nlp, f"{headline}\n\nQuist has 11 delegates.")
    assert _figure(record, "Ten").series_key() is None
    assert _figure(record, "11").series_key() == "quist|delegates|won|total"


def test_a_capitalised_number_word_after_a_capitalised_word_is_a_name(nlp: Language) -> None:
    record = _record(nlp, "Marel voted for the Fantastic Four reboot and the Super Six sequel.")
    assert all(f.measure is None and f.series_key() is None for f in record.figures)


def test_a_sum_by_the_hour_is_a_rate_not_a_total(nlp: Language) -> None:
    record = _record(
        nlp, "Corvel raised its minimum wage to $15 an hour, Marel said. The city spent "
        "$4 million on the plan. A donor gave $500 per month."
    )  # fmt: skip
    assert (_figure(record, "$15").measure or Measure("", 0, 0, "")).key == "dollars per hour"
    assert (_figure(record, "$500").measure or Measure("", 0, 0, "")).key == "dollars per month"
    # a total spent, no rate: what it was spent on is its measure (`_purpose_key`)
    assert (_figure(record, "$4 million").measure or Measure("", 0, 0, "")).key == "dollars on plan"


def test_a_sum_takes_no_holder_from_another_sum_of_the_article(nlp: Language) -> None:
    record = _record(
        nlp, "The Harbour Ledger reported that Marel gave $25,000 to the fund. Quist spent "
        "$2 million on ads."
    )  # fmt: skip
    assert _figure(record, "$25,000").holder_name != "Quist"
    assert _figure(record, "$2 million").series_key() == "quist|dollars on ads|spent|total"


def test_a_bare_share_outside_a_named_poll_is_in_no_series(nlp: Language) -> None:
    text = "Quist had 36 percent. Later, Quist had 40 percent of the vote in Corvel."
    record = _record(nlp, text)
    assert _figure(record, "36 percent").series_key() is None
    assert _figure(record, "40 percent").series_key() == "quist|percent of vote||total"


def test_a_result_told_after_a_poll_is_not_a_finding_of_the_poll(nlp: Language) -> None:
    record = _record(
        nlp, "The Orbis Research poll shows Quist at 44 percent. Marel won the state by 12 "
        "points in 2012. Quist led by 5 points."
    )  # fmt: skip
    assert "poll" not in _figure(record, "12").kind
    assert _figure(record, "5").series_key() == "poll:orbis research|quist|points"


def test_a_poll_word_speaker_runs_no_poll_and_a_bare_share_needs_a_holder(nlp: Language) -> None:
    record = _record(nlp, "Exit polls showed that 40 percent of voters were undecided.")
    assert _figure(record, "40 percent").pollster is None
    assert _figure(record, "40 percent").series_key() is None
    record = _record(nlp, "An Orbis Research poll out on Monday found that 52 percent said no.")
    assert _figure(record, "52 percent").series_key() is None


def test_the_second_share_of_a_score_is_the_object_s(nlp: Language) -> None:
    record = _record(
        nlp, "Mara Quist led Teo Marsh 52 percent to 31 percent among Valdorian voters, a "
        "Corvel Analytics poll found."
    )  # fmt: skip
    first, second = _figure(record, "52"), _figure(record, "31")
    assert (first.holder_name, second.holder_name) == ("Mara Quist", "Teo Marsh")
    assert second.series_key() == "poll:corvel analytics|teo marsh|percent"
    record = _record(nlp, "Quist trailed Tavel 41 percent to 47 percent in the Orbis poll.")
    assert _figure(record, "47").holder_name == "Tavel"
    assert _figure(record, "41").holder_name == "Quist"


def test_two_numbers_joined_by_or_are_one_range(nlp: Language) -> None:
    record = _record(nlp, "Karsk lost 20 or 30 percent of its tanks in the first week.")
    f = _figure(record, "30")
    assert (f.text, f.low, f.high, f.unit) == ("20 or 30 percent", 20, 30, "percent")
    assert f.measure is not None and f.measure.key == "percent of tanks"
    assert len(record.figures) == 1


def test_what_a_place_has_is_there_not_deployed_unless_it_is_a_force(nlp: Language) -> None:
    record = _record(nlp, "Valdoria had 312 billionaires last year, the Ardent wealth report said.")
    f = _figure(record, "312")
    assert (f.holder_name, f.predicate) == ("Valdoria", None)
    assert f.series_key() == "valdoria|billionaires||total"
    record = _record(nlp, "Karsk now has nearly 4,500 troops near Lisk, Valdoria said.")
    assert _figure(record, "4,500").predicate == "present"
    record = _record(nlp, "Ardent said that Valdoria had 312 billionaires to Karsk's 297.")
    ours, theirs = _figure(record, "312"), _figure(record, "297")
    assert (ours.holder_name, ours.predicate) == ("Valdoria", None)
    assert (theirs.holder_name, theirs.predicate) == ("Karsk", None)
    assert theirs.series_key() == "karsk|billionaires||total"


def test_delegates_whose_holder_is_not_said_join_no_candidate_s_series(nlp: Language) -> None:
    record = _record(
        nlp, "Mara Quist has won 300 delegates so far. Another 40 delegates remain "
        "uncommitted, party officials said."
    )  # fmt: skip
    assert _figure(record, "300").series_key() == "mara quist|delegates|won|total"
    f = _figure(record, "40")
    assert f.holder_name is None and f.series_key() is None


def test_a_change_from_one_share_to_another_is_no_score(nlp: Language) -> None:
    """ "from 10 percent to 4 percent" is one thing changing, not a score: the second
    share is not the object's (here the object is a lead, Tavel's only by its "'s")."""
    record = _record(
        nlp, "Mara Quist cut Jon Tavel's lead from 10 percent to 4 percent, an Orbis poll "
        "found."
    )  # fmt: skip
    f = _figure(record, "4 percent")
    assert f.holder_name != "Jon Tavel", f.series_key()


def test_armed_men_of_every_kind_are_a_force_present(nlp: Language) -> None:
    """What a place "has" of commandos, paratroopers or rebels is a force there (a point
    of a deployment series), as troops are; billionaires are not (above)."""
    record = _record(nlp, "There are 3,000 Karsk commandos in Lisk, Valdoria said.")
    assert _figure(record, "3,000").predicate == "present"
    record = _record(nlp, "Karsk has 400 paratroopers and 2,000 rebels in Lisk, Valdoria said.")
    assert [_figure(record, n).predicate for n in ("400", "2,000")] == ["present", "present"]


def test_a_lead_over_a_rival_gives_the_rival_the_second_share(nlp: Language) -> None:
    record = _record(
        nlp, "A survey by Orbis Research found Quist with a lead of 48 percent to 41 percent "
        "over Tavel."
    )  # fmt: skip
    assert (_figure(record, "48").holder_name, _figure(record, "41").holder_name) == (
        "Quist",
        "Tavel",
    )


def test_a_count_without_a_holder_takes_none_from_the_one_it_follows(nlp: Language) -> None:
    record = _record(
        nlp, "Counting party elders, Quist has at least 1,122 delegates, while Tavel has "
        "at least 418. A candidate needs 1,190 to win."
    )  # fmt: skip
    assert _figure(record, "418").holder_name == "Tavel"
    f = _figure(record, "1,190")
    assert f.measure is not None and f.measure.key == "delegates"
    assert f.holder_name is None and f.series_key() is None
    record = _record(
        nlp, "Golden Reef has 3 casinos in Varna. Four casinos closed last year in Lisk."
    )
    assert _figure(record, "3").holder_name == "Golden Reef"
    assert _figure(record, "Four").holder_name is None  # only a force's holder is filled


def test_an_over_that_is_not_the_lead_s_names_no_rival(nlp: Language) -> None:
    """ "over Lisk" of "the fight over Lisk" is no rival of the score: only an "over" of
    the verb or of the phrase that holds the figures ("a lead of 48 to 41 percent over
    Tavel") names whose the second share is."""
    record = _record(
        nlp, "Mara Quist leads 46 percent to 44 percent in the fight over Lisk, an Orbis "
        "poll found."
    )  # fmt: skip
    assert _figure(record, "44 percent").holder_name != "Lisk"


def test_each_share_of_a_list_is_the_name_it_follows(nlp: Language) -> None:
    """A poll's list of shares: the parse hangs every item on the first name (or on the
    verb's subject); each share is the name right before it."""
    record = _record(
        nlp, "An Orbis Research poll released Monday found Mara Quist at 34 percent, Jon "
        "Tavel at 22 percent and Lena Brack at 11 percent."
    )  # fmt: skip
    holders = _holders(record, "34", "22", "11")
    assert holders == ["Mara Quist", "Jon Tavel", "Lena Brack"]
    assert _figure(record, "11").series_key() == "poll:orbis research|lena brack|percent"
    record = _record(
        nlp, "In the Orbis survey, Quist had 34 percent, Tavel 22 percent and Brack 11 percent."
    )
    assert _holders(record, "34", "22", "11") == ["Quist", "Tavel", "Brack"]


def test_each_count_of_a_list_of_candidates_is_its_own(nlp: Language) -> None:
    text = (
        "Quist now has at least 437 delegates and Tavel at least 88. Brack has 26, Lind has nine."
    )
    holders = _holders(_record(nlp, text), "437", "88", "26", "nine")
    assert holders == ["Quist", "Tavel", "Brack", "Lind"]


def test_the_delegates_a_contest_hands_out_are_no_candidate_s(nlp: Language) -> None:
    record = _record(nlp, "With 46 delegates at stake in Varna, Quist will gain at least 23.")
    assert _figure(record, "46").series_key() is None
    assert _figure(record, "23").series_key() == "quist|delegates|won|projection|varna"
    record = _record(nlp, "Tavel cannot win all 129 delegates offered by the Lisk primary.")
    assert _figure(record, "129").holder_name is None


def test_a_place_s_count_is_the_place_s_the_in_phrase_names(nlp: Language) -> None:
    """ "counted 214 billionaires in Valdoria, 131 in Karsk": not the counter's, and the
    noun-less 131 not the first place's; a holder carries over only when no other name
    comes between."""
    text = "The Ardent list counted 214 billionaires in Valdoria, 131 in Karsk and 77 in Morvania."
    assert _holders(_record(nlp, text), "214", "131", "77") == ["Valdoria", "Karsk", "Morvania"]
    record = _record(nlp, "Valdoria had 312 billionaires in 2023 and 340 this year.")
    assert _figure(record, "340").holder_name == "Valdoria"
    record = _record(nlp, "Valdoria has 312 billionaires, while Karsk ranks second with 297.")
    assert _figure(record, "297").holder_name != "Valdoria"


def test_a_bare_margin_outside_a_poll_is_in_no_series(nlp: Language) -> None:
    record = _record(nlp, "Mara Quist beat Jon Tavel by 14 points in the Varna primary.")
    f = _figure(record, "14")
    assert f.measure is not None and f.measure.key == "points"
    assert f.series_key() is None


def test_a_range_the_tagger_calls_a_date_is_a_figure(nlp: Language) -> None:
    record = _record(
        nlp, "Two or three thousand Karsk troops crossed the river near Lisk, Valdoria said."
    )
    f = _figure(record, "Two or three thousand")
    assert (f.low, f.high, f.holder_name) == (2000, 3000, "Karsk")
    assert f.measure is not None and f.measure.key == "troops"
    record = _record(nlp, "Karsk moved its troops two years ago, Valdoria said.")
    assert not [f for f in record.figures if "two" in f.text]


def test_the_parts_a_sentence_breaks_a_total_into_are_in_no_series(nlp: Language) -> None:
    text = "The Quist Victory Fund spent $45 million, including $12 million on ads and $8 million."
    record = _record(nlp, text)
    assert _figure(record, "$45").series_key() == "quist victory fund|dollars|spent|total"
    assert [("part" in f.kind, f.series_key()) for f in record.figures[1:]] == [(True, None)] * 2
    record = _record(nlp, "Karsk has 3,000 troops near Lisk, with 500 more on the way.")
    assert _figure(record, "500").series_key() == "karsk|troops|deployed|increment"


def test_a_noun_less_count_before_its_antecedent_takes_no_holder_across_a_name(
    nlp: Language,
) -> None:
    record = _record(nlp, "Only 40 inherited it, though Valdoria now has 312 billionaires.")
    assert _figure(record, "40").holder_name is None
    assert _figure(record, "312").holder_name == "Valdoria"


def test_an_age_after_a_name_is_no_one_s_count(nlp: Language) -> None:
    text = "At least 300 residents have left Lisk. “We stay,” said Ilse Moran, 54, a baker."
    assert _figure(_record(nlp, text), "54").series_key() is None


def test_a_count_after_a_possessive_the_parse_missed_is_the_possessor_s(nlp: Language) -> None:
    text = "Quist now has 1,044 delegates to Tavels’ 761, party officials said."
    assert _holders(_record(nlp, text), "1,044", "761") == ["Quist", "Tavels"]


def test_a_contest_s_threshold_is_one_figure_whatever_it_is_called(nlp: Language) -> None:
    """The delegates needed to win, "needed", "the mark", "the magic number", "reach":
    one measure, predicate and kind, no holder and no poll, so one matching profile; a
    candidate's own count keeps its holder."""
    text = (
        "Mara Quist needs 1,190 delegates to win the nomination, aides said. Quist has 640 "
        'delegates. Lisk Tavel is short of the 1,190 mark, the party said. "Nobody will reach '
        'the magic number of 1,190 before the convention," Tavel told reporters in a new poll '
        "interview. Quist could still fall short of the 1,190 needed to win the nomination. "
        "Tavel hopes to reach 1,190 delegates by June."
    )
    record = _record(nlp, text)
    thresholds = [f for f in record.figures if f.value == 1190]
    assert len(thresholds) == 5
    assert {figure_profile(f) for f in thresholds} == {"delegates||needed|total|"}
    assert all(f.holder is None and f.pollster is None for f in thresholds)
    assert _figure(record, "640").holder_name == "Mara Quist"


def test_a_count_reached_is_the_threshold_only_when_the_article_names_it_so(
    nlp: Language,
) -> None:
    """'reach 1,190' is the threshold the article names; 'reach 800' is Tavel's own."""
    text = (
        "Mara Quist needs 1,190 delegates to win the nomination, aides said. Lisk Tavel is "
        "projected to reach 800 delegates by June, his campaign said. Quist hopes to reach "
        "1,190 delegates before the convention."
    )
    record = _record(nlp, text)
    own = _figure(record, "800")
    assert own.predicate != "needed"
    assert {f.predicate for f in record.figures if f.value == 1190} == {"needed"}


def test_a_mark_outside_a_contest_is_no_threshold(nlp: Language) -> None:
    record = _record(nlp, "Karsk's harbour fees fell short of the 1,190 mark set in March.")
    assert _figure(record, "1,190").predicate != "needed"


def test_a_threshold_named_after_its_number_is_the_threshold(nlp: Language) -> None:
    text = "No candidate has crossed the 1,190 threshold before the Valdorian Union convention."
    f = _figure(_record(nlp, text), "1,190")
    assert (f.measure and f.measure.key, f.predicate) == ("delegates", "needed")


def test_a_threshold_a_clause_names_after_it_is_the_threshold(nlp: Language) -> None:
    text = "Whoever can get 1,190 delegates will be the nominee, Tavel said at the Lisk convention."
    f = _figure(_record(nlp, text), "1,190")
    assert (f.holder, f.predicate) == (None, "needed")


@pytest.mark.parametrize(
    "text",
    [
        'Tavel said nobody is "on pace to get 1,190 delegates," the number needed to secure '
        "the Valdorian Union nomination.",
        "To secure the Valdorian Union nomination, a candidate must win 1,190 delegates.",
        "Mara Quist won 300 delegates in Karsk on Tuesday, the party said. Lisk Tavel won "
        "250. It takes 1,190 to win.",
    ],
)
def test_the_number_a_candidate_must_win_is_the_threshold(nlp: Language, text: str) -> None:
    """A threshold named after its closing quote, the count any candidate must win, and
    what it takes to win counted in the delegates the sentences before count: one
    profile with the other forms of the threshold."""
    f = _figure(_record(nlp, text), "1,190")
    assert figure_profile(f) == "delegates||needed|total|"


def _key(record: Record, text: str) -> str | None:
    return _figure(record, text).series_key()


def _measure_key(record: Record, text: str) -> str:
    return (_figure(record, text).measure or Measure("", 0, 0, "")).key


def test_a_poll_keeps_vote_share_favourability_approval_and_margin_apart(nlp: Language) -> None:
    record = _record(
        nlp, "An Orbis Research poll found Quist leading Tavel 46 percent to 41 percent. "
        "According to the same Orbis Research poll, Quist's favorability among older voters "
        "fell in May from 61 percent to 48 percent. Quist's approval rating stood at 44 "
        "percent in the Orbis Research survey. A Corvel Analytics average of polls shows "
        "Quist leading by 2.2 percent over Tavel."
    )  # fmt: skip
    assert _key(record, "46 percent") == "poll:orbis research|quist|percent"
    assert _key(record, "48 percent") == "poll:orbis research|quist|percent favourable"
    assert _measure_key(record, "44 percent") == ("percent approval")
    assert _measure_key(record, "2.2 percent") == ("percent margin")


def test_a_share_is_the_name_it_is_next_to_not_the_leader_s(nlp: Language) -> None:
    record = _record(
        nlp, "In the latest Orbis Research poll, Quist led Tavel 47 percent to 39 percent "
        "among voters ages 18 to 39. Quist is now well ahead of her challenger 52 percent "
        "to 36 percent, according to a Meridian Insights poll. A Northgate Surveys poll "
        "found that Quist was chosen by 37 percent of likely voters, Tavel by 30 percent "
        "and Brack by 16 percent."
    )  # fmt: skip
    assert _holders(record, "47 percent", "39 percent") == ["Quist", "Tavel"]
    assert _holders(record, "52 percent", "36 percent") == ["Quist", None]  # an unnamed rival
    assert _holders(record, "30 percent", "16 percent") == ["Tavel", "Brack"]


def test_an_average_s_maker_holds_no_share(nlp: Language) -> None:
    record = _record(
        nlp, "Polling averages show Quist with a lead, with Corvel Analytics showing her "
        "ahead 3 points, Ardent Numbers 4.3 points and Halden Polling 2.1 points."
    )  # fmt: skip
    f = _figure(record, "4.3")
    assert f.holder_name != "Ardent Numbers"
    assert f.pollster is not None and f.pollster.text == "Ardent Numbers"


def test_a_plural_acronym_holds_nothing(nlp: Language) -> None:
    record = _record(nlp, "The PACs, all named Forward Valdoria, spent $890,000 on mailers.")
    assert _figure(record, "$890,000").holder_name is None


def test_a_sum_spent_is_measured_by_what_it_was_spent_on(nlp: Language) -> None:
    record = _record(
        nlp, "The Quist campaign paid $110,684 in rent on June 9. In addition to the rent, "
        "Quist paid his own golf clubs more than $260,000."
    )  # fmt: skip
    assert _measure_key(record, "$110,684") == ("dollars on rent")
    assert _measure_key(record, "$260,000") == "dollars"


def test_pledged_delegates_and_superdelegates_are_measures_of_their_own(nlp: Language) -> None:
    record = _record(
        nlp, "A look at the race for delegates, where 700 delegates are at stake:\n\n"
        "PLEDGED DELEGATES.\n\nThese are won in primaries.\n\nMara Quist: 1,212.\n\n"
        "Jon Tavel: 1,001.\n\nSUPERDELEGATES.\n\nThese can change their minds.\n\n"
        "Quist: 388.\n\nTavel: 41.\n\nTHE TOTAL.\n\nQuist: 1,600."
    )  # fmt: skip
    keys = [_measure_key(record, t) for t in ("1,212", "388")]
    assert keys == ["pledged delegates", "superdelegates"]
    assert _key(record, "1,600") == "mara quist|delegates|won|total"
    record = _record(nlp, "Quist now has 1,163 delegates, based on primaries and caucuses.")
    assert _key(record, "1,163") == "quist|pledged delegates|won|total"


def test_a_count_short_of_a_goal_is_no_count_held(nlp: Language) -> None:
    record = _record(nlp, "Right now, Quist is 439 delegates short of the nomination.")
    assert _key(record, "439") == "quist|delegates short||total"
