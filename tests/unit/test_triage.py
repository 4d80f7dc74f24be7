"""The red-flag outcome: the highest level among the yes answers, and no quiet defaults."""

from __future__ import annotations

import json

import pytest

from spasm_coach.content import Content, Level
from spasm_coach.triage import IncompleteScreen, assess


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
