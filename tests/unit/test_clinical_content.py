"""The content agrees with CLINICAL.md section 7: what each sign calls for, the two new signs,
questions an ordinary spasm answers no to, doses that cite what says them, heat and ice."""

from __future__ import annotations

import re

import pytest

from spasm_coach.advice import outcome_advice, warning_signs
from spasm_coach.content import Content
from spasm_coach.vocabulary import Level, QuickAnswer

AMBULANCE = ("chest_pain", "tummy_and_back_sudden", "sudden_pain_faint", "fever_very_unwell")
EMERGENCY_DEPARTMENT = (
    "saddle_numbness",
    "bladder_change",
    "bowel_change",
    "sexual_change",
    "both_legs",
    "leg_weakness_worsening",
)
OVER_TRIAGE = {
    "leg_weakness_worsening": ("trouble walking",),
    "unsteady_or_band_pain": ("walking newly unsteady", "is your walking"),
    "rest_or_night_pain": ("wakes you", "not eased by rest"),
    "infection_risk": ("recently, have you had an infection",),
    "fragility_fracture": ("or are you older", "minor fall, lift or strain"),
    "getting_worse": ("severe",),
    "stopping_activities": ("stopping you",),
    "struggling_to_cope": ("afraid to move",),
}
"""The phrases most people in an ordinary spasm would truthfully answer yes to (issue 17)."""
EVERYWHERE = ("trouble walking", "wakes you", "afraid to move", "or are you older")


@pytest.mark.parametrize("flag_id", AMBULANCE)
def test_the_ambulance_signs_say_ambulance_first(content: Content, flag_id: str) -> None:
    flag = content.flags_by_id[flag_id]
    assert flag.level is Level.EMERGENCY
    assert flag.action is not None
    action = content.actions[flag.action].for_region(content.regions["uk"])
    assert action.title == "Call 999 for an ambulance now"
    assert action.big == "CALL 999"
    assert "don't get a lift" in " ".join(action.lines)


def test_major_trauma_calls_an_ambulance_and_keeps_still(content: Content) -> None:
    flag = content.flags_by_id["major_trauma"]
    assert flag.action is not None
    action = content.actions[flag.action]
    filled = action.for_region(content.regions["au"])
    assert filled.title == "Call 000 for an ambulance now"
    assert "don't move more than you need to" in " ".join(filled.lines)


@pytest.mark.parametrize("flag_id", EMERGENCY_DEPARTMENT)
def test_the_cauda_equina_signs_go_to_the_emergency_department_now(
    content: Content, flag_id: str
) -> None:
    flag = content.flags_by_id[flag_id]
    assert flag.action is not None
    action = content.actions[flag.action]
    us = action.for_region(content.regions["us"])
    assert us.title == "Go to the emergency room now"
    text = " ".join(us.lines)
    assert "ask someone to take you, or call 911" in text
    assert "Don't wait for an appointment with your doctor" in text
    assert flag.action is not None
    assert content.actions[flag.action].big is None


def test_every_emergency_sign_has_one_of_the_section_7_actions(content: Content) -> None:
    emergency = {flag.id for flag in content.flags if flag.level is Level.EMERGENCY}
    assert emergency == {*AMBULANCE, *EMERGENCY_DEPARTMENT, "major_trauma"}
    for flag_id in emergency:
        assert content.flags_by_id[flag_id].action in (
            "ambulance",
            "ambulance_keep_still",
            "emergency_department",
        )


def test_a_burst_aneurysm_is_asked_without_needing_tummy_and_back_together(
    content: Content,
) -> None:
    faint = content.flags_by_id["sudden_pain_faint"]
    assert faint.level is Level.EMERGENCY
    for words in ("faint", "dizzy", "sweaty", "clammy", "pass out", "back or tummy"):
        assert words in faint.question
    assert "NHS-AAA" in faint.sources
    tummy = content.flags_by_id["tummy_and_back_sudden"].question
    assert "and your back at the same time" not in tummy
    assert "on its own" in tummy
    assert "sudden_pain_faint" in content.quick_check.signs


def test_the_pregnancy_warning_signs_call_the_maternity_unit(content: Content) -> None:
    flag = content.flags_by_id["pregnancy_warning_signs"]
    assert flag.level is Level.URGENT
    assert flag.ask_if_yes == "pregnant"
    for words in ("waves", "bleeding", "leaking fluid", "temperature", "pee"):
        assert words in flag.question
    assert flag.action is not None
    action = content.actions[flag.action].for_region(content.regions["ie"])
    assert action.title == "Call your maternity unit or midwife now"
    order = [flag.id for flag in content.flags]
    assert order.index("pregnancy_warning_signs") == order.index("pregnant") + 1


def test_pregnancy_is_a_caution_that_points_to_the_midwife(content: Content) -> None:
    flag = content.flags_by_id["pregnant"]
    assert flag.level is Level.SOON
    assert flag.answered_by_caution == "pregnancy"
    assert flag.action is not None
    action = content.actions[flag.action]
    text = " ".join(action.lines)
    assert "midwife" in action.title
    assert "stretches" in text
    assert "GP" not in text
    assert "{doctor}" not in text


@pytest.mark.parametrize(("flag_id", "phrases"), OVER_TRIAGE.items())
def test_no_question_asks_what_an_ordinary_spasm_answers_yes_to(
    content: Content, flag_id: str, phrases: tuple[str, ...]
) -> None:
    question = content.flags_by_id[flag_id].question.lower()
    for phrase in phrases:
        assert phrase not in question, (flag_id, phrase)


def test_no_question_anywhere_has_an_over_triage_phrase(content: Content) -> None:
    for flag in content.flags:
        for phrase in EVERYWHERE:
            assert phrase not in flag.question.lower(), (flag.id, phrase)


def test_the_reworded_questions_say_what_section_7_says(content: Content) -> None:
    flags = content.flags_by_id
    assert "not just slower because of the pain" in flags["leg_weakness_worsening"].question
    assert "not because of the pain" in flags["unsteady_or_band_pain"].question
    assert "even when you lie still" in flags["rest_or_night_pain"].question
    assert "treated with antibiotics" in flags["infection_risk"].question
    assert "65 or over" in flags["fragility_fracture"].question
    assert "with or without a fall" in flags["fragility_fracture"].question
    for flag_id in ("stopping_activities", "getting_worse", "struggling_to_cope"):
        assert "a week or more" in flags[flag_id].question
        assert flags[flag_id].once_a_day


def test_only_the_signs_with_a_time_frame_are_once_a_day(content: Content) -> None:
    once = {flag.id for flag in content.flags if flag.once_a_day}
    assert once == {"stopping_activities", "getting_worse", "struggling_to_cope"}


def test_every_line_of_the_quick_check_says_new_or_getting_worse(content: Content) -> None:
    for sign in content.quick_check.signs:
        short = content.flags_by_id[sign].short
        assert re.search(r"\b(new|newly|getting|worsening)\b", short, re.I), short


def test_each_question_is_one_yes_or_no_with_its_sources(content: Content) -> None:
    for flag in content.flags:
        assert flag.question.endswith("?"), flag.id
        assert flag.sources, flag.id
        assert all(source in content.sources for source in flag.sources)


def test_chest_pain_and_aneurysm_cite_what_says_them(content: Content) -> None:
    for flag_id in ("chest_pain", "tummy_and_back_sudden", "sudden_pain_faint"):
        assert "IFOMPT-2020" not in content.flags_by_id[flag_id].sources


@pytest.mark.parametrize(
    "exercise_id", ["knee_to_chest", "cobra", "childs_pose", "cat_cow", "pelvic_tilt", "bridge"]
)
def test_each_dose_is_what_its_sources_say_or_says_which_it_follows(
    content: Content, exercise_id: str
) -> None:
    exercise = content.exercises[exercise_id]
    usual = exercise.dose_range
    assert usual is not None
    assert set(usual.says) == set(usual.sources)
    differing = [s for s, stated in usual.says.items() if not stated.holds(exercise.dose)]
    if differing:
        assert usual.follows in usual.sources
        assert usual.follows_why


def test_knee_to_chest_names_the_sources_that_hold_it_for_5_seconds(content: Content) -> None:
    usual = content.exercises["knee_to_chest"].dose_range
    assert usual is not None
    assert usual.follows == "ACSM-2021"
    assert usual.says["MAYO-STRETCH"].hold_seconds == (5, 5)
    assert usual.says["CSP-BP"].hold_seconds == (5, 5)
    assert usual.follows_why is not None
    assert "Mayo" in usual.follows_why
    assert "CSP" in usual.follows_why


def test_csp_is_cited_only_where_its_page_has_the_exercise(content: Content) -> None:
    for exercise_id in ("cobra", "childs_pose", "cat_cow"):
        exercise = content.exercises[exercise_id]
        assert "CSP-BP" not in exercise.sources
        assert exercise.dose_range is not None
        assert "CSP-BP" not in exercise.dose_range.sources


def test_sources_are_the_pages_themselves(content: Content) -> None:
    """Every source the advice cites links to the page that says it, never a site's home page
    (a region's own service may be its site: 111.nhs.uk is NHS 111)."""
    for source_id in content.cited_for_advice:
        source = content.sources[source_id]
        path = source.url.split("://", 1)[1].rstrip("/")
        assert "/" in path, f"{source.id} points at a site's home page: {source.url}"
    assert content.sources["NHS-HEAT"].url != content.sources["NHS-COLD"].url
    assert "heat" in content.sources["NHS-HEAT"].url
    assert "cold" in content.sources["NHS-COLD"].url


def test_the_hydration_card_cites_a_page_about_drinking(content: Content) -> None:
    card = next(card for card in content.education if card.id == "hydration")
    assert card.sources == ("NHS-WATER",)
    assert "Water" in content.sources["NHS-WATER"].title


def test_the_medicine_card_says_what_to_tell_the_pharmacist(content: Content) -> None:
    card = next(card for card in content.education if card.id == "medicines")
    text = " ".join(card.lines)
    for words in ("pregnant", "stomach", "kidney", "heart", "asthma"):
        assert words in text


def test_heat_is_never_lain_on_nor_put_on_a_fresh_swelling(content: Content) -> None:
    heat = content.thermal["heat"]
    never = " ".join(heat.never)
    assert "Never lie on it" in never
    assert "fresh swelling or bruise" in never
    assert "48 hours" in never
    assert "NHS-SPRAINS" in heat.sources


def test_heat_is_not_timed_over_cancer_or_a_skin_condition(content: Content) -> None:
    by_id = {item.id: item for item in content.contraindications}
    for item_id in ("cancer", "skin_condition"):
        assert "heat" in by_id[item_id].applies_to
        assert by_id[item_id].sources


def test_warning_signs_group_by_what_they_call_for_ambulance_first(content: Content) -> None:
    groups = warning_signs(content, content.regions["nz"])
    assert [group.action for group in groups] == [
        "Call 111 for an ambulance now",
        "Go to the emergency department now",
        "Call your maternity unit or midwife now",
        "Urgent: get seen today",
    ]
    ambulance = groups[0].signs
    assert content.flags_by_id["major_trauma"].short in ambulance
    assert content.flags_by_id["chest_pain"].short in ambulance


def test_the_outcome_leads_with_the_most_urgent_action(content: Content) -> None:
    uk = content.regions["uk"]
    both = outcome_advice(content, Level.EMERGENCY, ["saddle_numbness", "chest_pain"], uk)
    assert both.title == "Call 999 for an ambulance now"
    assert both.big == "CALL 999"
    assert [group.action for group in both.groups] == [
        "Call 999 for an ambulance now",
        "Go to A&E now",
    ]
    cauda = outcome_advice(content, Level.EMERGENCY, ["bladder_change"], uk)
    assert cauda.title == "Go to A&E now"
    assert cauda.big is None
    urgent = outcome_advice(content, Level.URGENT, ["fever"], uk)
    assert urgent.title == content.levels[Level.URGENT].title
    assert "NHS 111" in urgent.action


def test_a_quick_checks_yes_lists_each_group_with_its_action(content: Content) -> None:
    advice = outcome_advice(
        content, Level.EMERGENCY, [QuickAnswer.EMERGENCY_SIGNS.value], content.regions["ca"]
    )
    assert advice.big == "CALL 911"
    assert [group.action for group in advice.groups] == [
        "Call 911 for an ambulance now",
        "Go to the emergency room now",
    ]
    assert sum(len(group.signs) for group in advice.groups) == len(content.quick_check.signs)


def test_what_changed_is_said_with_its_sources(content: Content) -> None:
    assert len(content.changes) >= 8
    for change in content.changes:
        assert change.sources
        assert all(source in content.sources for source in change.sources)
    words = " ".join(change.text for change in content.changes)
    for topic in ("ambulance", "faint", "pregnancy", "ACSM", "Heat", "region"):
        assert topic in words
    us = content.changes_for(content.regions["us"])
    assert "911-GOV" in us[-1].sources
    assert "NHS-111" not in us[-1].sources
