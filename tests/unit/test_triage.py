"""The red-flag outcome: the highest level among the yes answers, and no quiet defaults."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from tests.support import NONE_APPLY

from spasm_coach.content import Content
from spasm_coach.records import Screening
from spasm_coach.triage import IncompleteScreen, answered_in, assess, partial, plan_full_check
from spasm_coach.vocabulary import CheckKind, Level, ScreeningReason

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _answers(content: Content, *yes: str) -> dict[str, bool]:
    assert set(yes) <= set(content.flags_by_id), "a test names an unknown flag"
    return {flag.id: flag.id in yes for flag in content.flags}


@pytest.mark.parametrize(
    ("yes", "level"),
    [
        pytest.param((), Level.CLEAR, id="no-yes-is-clear"),
        pytest.param(("not_improving",), Level.SOON, id="one-soon"),
        pytest.param(("pregnant", "exercise_made_worse"), Level.SOON, id="two-soon"),
        pytest.param(("fever",), Level.URGENT, id="one-urgent"),
        pytest.param(("struggling_to_cope", "weight_loss"), Level.URGENT, id="soon-urgent"),
        pytest.param(("cancer_history", "chest_pain"), Level.EMERGENCY, id="urgent-emergency"),
        pytest.param(("saddle_numbness",), Level.EMERGENCY, id="one-emergency"),
        pytest.param(
            ("getting_worse", "rest_or_night_pain", "bladder_change"),
            Level.EMERGENCY,
            id="all-three",
        ),
    ],
)
def test_outcome_is_the_highest_level_answered_yes(
    content: Content, yes: tuple[str, ...], level: Level
) -> None:
    outcome = assess(content, _answers(content, *yes))
    assert outcome.level is level
    assert set(outcome.flags) == set(yes)


@pytest.mark.parametrize("flag_id", ["tummy_and_back_sudden", "unsteady_or_band_pain", "pregnant"])
def test_each_flag_alone_gives_its_own_level(content: Content, flag_id: str) -> None:
    outcome = assess(content, _answers(content, flag_id))
    assert outcome.level is content.flags_by_id[flag_id].level
    assert outcome.flags == (flag_id,)


def test_flags_are_listed_in_question_order(content: Content) -> None:
    answers = _answers(content, "exercise_made_worse", "fever", "saddle_numbness")
    reversed_answers = dict(reversed(list(answers.items())))
    outcome = assess(content, reversed_answers)
    assert outcome.flags == ("saddle_numbness", "fever", "exercise_made_worse")
    assert list(outcome.answers) == [flag.id for flag in content.flags]


@pytest.mark.parametrize(
    ("yes", "allowed"),
    [
        ((), True),
        (("stopping_activities",), True),
        (("upper_back_pain",), False),
        (("major_trauma",), False),
    ],
)
def test_exercise_is_allowed_only_when_clear_or_soon(
    content: Content, yes: tuple[str, ...], allowed: bool
) -> None:
    outcome = assess(content, _answers(content, *yes))
    assert outcome.allows_exercise is allowed
    assert outcome.level.allows_exercise is allowed


def test_a_missing_answer_is_not_a_quiet_no(content: Content) -> None:
    answers = _answers(content)
    del answers["bowel_change"]
    del answers["pregnant"]
    with pytest.raises(IncompleteScreen, match="not answered: bowel_change, pregnant"):
        assess(content, answers)


def test_no_answers_at_all_is_incomplete(content: Content) -> None:
    with pytest.raises(IncompleteScreen):
        assess(content, {})


def test_an_incomplete_screen_with_a_yes_is_still_incomplete(content: Content) -> None:
    answers = _answers(content, "saddle_numbness")
    del answers["fever"]
    with pytest.raises(IncompleteScreen, match="fever"):
        assess(content, answers)


def test_an_unknown_flag_id_is_refused(content: Content) -> None:
    answers = _answers(content) | {"headache": True}
    with pytest.raises(KeyError, match="headache"):
        assess(content, answers)


def test_answers_are_kept_as_booleans(content: Content) -> None:
    outcome = assess(content, _answers(content, "fever"))
    assert outcome.answers["fever"] is True
    assert outcome.answers["chest_pain"] is False
    assert len(outcome.answers) == len(content.flags)


def test_as_dict_shape(content: Content) -> None:
    outcome = assess(content, _answers(content, "weight_loss", "not_improving"))
    assert outcome.as_dict("Get seen today.") == {
        "level": "urgent",
        "flags": ["weight_loss", "not_improving"],
        "action": "Get seen today.",
    }
    assert json.loads(json.dumps(outcome.as_dict("x"))) == outcome.as_dict("x")


def test_as_dict_when_clear(content: Content) -> None:
    assert assess(content, _answers(content)).as_dict("Go gently.") == {
        "level": "clear",
        "flags": [],
        "action": "Go gently.",
    }


# ---- the full check's plan: what is asked, what is known (CLINICAL.md section 7) -----------


def test_an_inferred_answer_never_raises_the_level(content: Content) -> None:
    """Pregnancy known from the cautions is logged, but the daily check is not 'soon' for it:
    the card that points to the midwife shows when the person says so, not every day."""
    answers = {flag.id: False for flag in content.flags}
    answers["pregnant"] = True
    known = partial(content, answers, complete=True, inferred=("pregnant",))
    assert known.level is Level.CLEAR
    assert known.flags == ()
    assert known.answers["pregnant"] is True
    said = partial(content, answers, complete=True)
    assert said.level is Level.SOON
    assert said.flags == ("pregnant",)


def test_pregnancy_warning_signs_are_asked_only_in_pregnancy(content: Content) -> None:
    warning = content.flags_by_id["pregnancy_warning_signs"]
    not_pregnant = plan_full_check(content, cautions=NONE_APPLY, recent_session=True)
    assert warning not in not_pregnant.questions
    assert "pregnancy_warning_signs" not in not_pregnant.known  # not asked, not answered
    pregnant = plan_full_check(
        content, cautions={**NONE_APPLY, "pregnancy": True}, recent_session=True
    )
    assert warning in pregnant.questions
    assert pregnant.asks(warning, {})
    assert pregnant.known["pregnant"] is True
    unknown = plan_full_check(content, cautions={}, recent_session=True)  # not answered yet
    assert content.flags_by_id["pregnant"] in unknown.questions
    assert not unknown.asks(warning, {})
    assert not unknown.asks(warning, {"pregnant": False})
    assert unknown.asks(warning, {"pregnant": True})
    assert len(unknown.remaining({"pregnant": True})) == len(unknown.remaining({})) + 1


def test_a_once_a_day_sign_carries_over_from_todays_earlier_full_check(
    content: Content,
) -> None:
    earlier = {"stopping_activities": True, "getting_worse": False, "fever": False}
    plan = plan_full_check(
        content, cautions=NONE_APPLY, recent_session=True, answered_today=earlier
    )
    asked = {flag.id for flag in plan.questions}
    assert "stopping_activities" not in asked
    assert "getting_worse" not in asked
    assert "fever" in asked  # not a once-a-day sign: asked again
    assert "struggling_to_cope" in asked  # not answered earlier today
    assert plan.known["stopping_activities"] is True
    outcome = partial(
        content,
        {**{flag.id: False for flag in plan.questions}, **plan.known},
        complete=True,
        inferred=tuple(plan.known),
    )
    assert outcome.level is Level.CLEAR  # shown this morning; not a new card this afternoon


def test_answered_in_keeps_only_what_full_checks_asked(content: Content) -> None:
    full = Screening(
        "a", NOW, Level.SOON, ("getting_worse",),
        {"getting_worse": True, "pregnant": True}, ScreeningReason.BEFORE_SESSION,
        inferred=("pregnant",),
    )  # fmt: skip
    quick = Screening(
        "b", NOW, Level.CLEAR, (), {"emergency_signs_now": False, "anything_new": False},
        ScreeningReason.BEFORE_SESSION, kind=CheckKind.QUICK,
    )  # fmt: skip
    assert answered_in([full, quick]) == {"getting_worse": True}
