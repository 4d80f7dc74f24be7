"""A physio's own routine file: every problem in one run, each at its line, and finding routines
by id, file name or path."""

from __future__ import annotations

from pathlib import Path

import pytest

from spasm_coach.content import (
    Content,
    RoutineCheck,
    RoutineError,
    RoutineNotFound,
    RoutineProblem,
    Severity,
    check_routine_file,
    check_routine_text,
    find_routine,
    installed_routines,
    load_routine_file,
)
from spasm_coach.handout import dose_words

FILE = "clinic.toml"

FIVE_MISTAKES = """\
id = "standard"
name = "Clinic Jones: after the spasm"
descripton = "Gentle moves to keep going between appointments."

[[step]]
exercise = "cat_cows"

[[step]]
exercise = "knee_to_chest"
repetitions = 40

[[step]]
exercise = "cobra"
side = "left"
hold_seconds = 8

[[step]]
exercise = "childs_pose"
"""

GOOD = """\
id = "clinic-jones"
name = "Clinic Jones"
description = "Two moves."

[[step]]
exercise = "knee_to_chest"
side = "left"

[[step]]
exercise = "cobra"
hold_seconds = 6
repetitions = 10
"""

OWN_EXERCISE = """\
id = "hinge"
name = "Hinge"
description = "A move of our own, then child's pose."

[[exercise]]
id = "wall_hip_hinge"
name = "Wall hip hinge"
kind = "strength"
summary = "  Push your bottom back toward the wall. [b]Not markup[/b]  "
start_position = ["Stand with your back to a wall.", "Feet hip-width apart."]
movement = ["Push your bottom back to the wall.", "Hold.", "Stand tall again."]
feel = "Your buttocks working."
stop_if = ["Sharp, severe or new pain."]
figure = ['''
  O  |
[[step]]
 _/ \\|''']

[exercise.dose]
hold_seconds = 3
repetitions = 8
sided = true

[[exercise.caution]]
condition = "knee"
advice = "Keep your knees soft."
action = "modify"
modified = "Push back only a little."

[[step]]
exercise = "wall_hip_hinge"
side = "right"

[[step]]
exercise = "childs_pose"
"""


def check(text: str, content: Content) -> RoutineCheck:
    return check_routine_text(text, FILE, content)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The line number of the nth line containing `needle`."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[nth - 1]


def where(problem: RoutineProblem) -> tuple:
    return (problem.line, problem.step, problem.field)


# ---- every problem in one run --------------------------------------------------------------


def test_five_mistakes_are_all_reported_in_one_run_at_their_lines(content: Content) -> None:
    result = check(FIVE_MISTAKES, content)

    assert result.routine is None
    assert [str(problem) for problem in result.problems] == [
        "clinic.toml:1: field 'id': shadows the built-in routine 'standard'; choose another id",
        "clinic.toml:3: field 'descripton': not a routine field; did you mean 'description'?",
        "clinic.toml:6: step 1: field 'exercise': unknown exercise 'cat_cows'; "
        "did you mean 'cat_cow'?",
        "clinic.toml:10: step 2: field 'repetitions': 40 repetitions are refused: at most 30 "
        "(each side, if sided)",
        "clinic.toml:14: step 3: field 'side': 'cobra' is done once, not on each side: there is "
        "no side to choose",
    ]
    assert {problem.severity for problem in result.problems} == {Severity.ERROR}
    assert [problem.step for problem in result.problems] == [None, None, 1, 2, 3]


def test_a_good_file_gives_the_routine_and_no_problems(content: Content) -> None:
    result = check(GOOD, content)

    assert result.problems == ()
    assert result.routine is not None
    assert [step.exercise.id for step in result.routine.steps] == ["knee_to_chest", "cobra"]


@pytest.mark.parametrize("routine_id", ["standard", "gentle", "getting_stronger", "relaxation"])
def test_the_built_in_routines_pass_as_own_files_without_a_warning(
    content: Content, routine_id: str
) -> None:
    path = content.root / "routines" / f"{routine_id}.toml"
    text = path.read_text(encoding="utf-8").replace(f'id = "{routine_id}"', 'id = "mine"')

    assert check(text, content).problems == ()


def test_not_valid_toml_is_one_problem_at_its_line(content: Content) -> None:
    text = GOOD.replace("repetitions = 10", "repetitions = ")

    (problem,) = check(text, content).problems
    assert problem.line == line_of(text, "repetitions =")
    assert problem.message.startswith("not valid TOML")


def test_a_misspelt_required_field_is_one_problem_not_two(content: Content) -> None:
    text = GOOD.replace("name =", "nmae =")

    (problem,) = check(text, content).problems
    assert (problem.field, problem.message) == ("nmae", "not a routine field; did you mean 'name'?")


def test_a_missing_field_is_said_without_a_line(content: Content) -> None:
    text = GOOD.replace('name = "Clinic Jones"\n', "")

    (problem,) = check(text, content).problems
    assert (problem.line, problem.field, problem.message) == (None, "name", "missing")
    assert str(problem) == "clinic.toml: field 'name': missing"


# ---- unknown keys at every level, with the closest valid name --------------------------------

UNKNOWN_KEYS = [
    pytest.param(GOOD, 'name = "Clinic Jones"', 'name = "Clinic Jones"\nauthor = "Sam"',
                 "author", None, "not a routine field", id="top-level"),
    pytest.param(GOOD, "hold_seconds = 6", "hold_second = 6", "hold_second", "step 2",
                 "not a step field; did you mean 'hold_seconds'?", id="step"),
    pytest.param(OWN_EXERCISE, 'feel = "Your buttocks working."',
                 'feel = "Your buttocks working."\nfeeling = "x"', "feeling",
                 "exercise 'wall_hip_hinge'", "not an exercise field; did you mean 'feel'?",
                 id="own-exercise"),
    pytest.param(OWN_EXERCISE, "hold_seconds = 3", "hold_seconds = 3\nholds = 2", "holds",
                 "exercise 'wall_hip_hinge': dose", "not a dose field", id="own-dose"),
    pytest.param(OWN_EXERCISE, 'condition = "knee"', 'condition = "knee"\nadvise = "x"',
                 "advise", "exercise 'wall_hip_hinge': caution 1",
                 "not a caution field; did you mean 'advice'?", id="own-caution"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "old", "new", "key", "item", "message"), UNKNOWN_KEYS)
def test_an_unknown_key_is_refused_at_its_line(
    content: Content, text: str, old: str, new: str, key: str, item: str | None, message: str
) -> None:
    text = text.replace(old, new)

    (problem,) = check(text, content).problems
    assert problem.severity is Severity.ERROR
    assert (problem.line, problem.field, problem.item) == (line_of(text, f"{key} ="), key, item)
    assert problem.message == message


def test_an_unknown_exercise_without_a_close_one_lists_the_known(content: Content) -> None:
    text = GOOD.replace('"cobra"', '"plank"')

    (problem,) = check(text, content).problems
    assert where(problem) == (line_of(text, '"plank"'), 2, "exercise")
    assert problem.message.startswith("unknown exercise 'plank' (known: knee_to_chest, cobra,")


def test_a_refused_dose_is_said_even_for_an_unknown_exercise(content: Content) -> None:
    """A 600 s hold is refused whatever the exercise: the typo and the dose, both in one run."""
    text = GOOD.replace('"cobra"', '"cobar"').replace("hold_seconds = 6", "hold_seconds = 600")

    typo, hold = check(text, content).problems
    assert typo.message == "unknown exercise 'cobar'; did you mean 'cobra'?"
    assert where(hold) == (line_of(text, "hold_seconds = 600"), 2, "hold_seconds")
    assert hold.message == "a 600 s hold is refused: hold for at most 120 s"


def test_a_typo_in_an_own_exercise_id_suggests_it(content: Content) -> None:
    text = OWN_EXERCISE.replace('exercise = "wall_hip_hinge"', 'exercise = "wall_hip_hing"')

    (problem,) = check(text, content).problems
    assert where(problem) == (line_of(text, '"wall_hip_hing"'), 1, "exercise")
    assert problem.message == "unknown exercise 'wall_hip_hing'; did you mean 'wall_hip_hinge'?"


# ---- ids: file-safe, never shadowing the built-in ones ---------------------------------------


def test_an_own_exercise_may_not_shadow_a_built_in_one(content: Content) -> None:
    text = OWN_EXERCISE.replace('id = "wall_hip_hinge"', 'id = "cobra"').replace(
        'exercise = "wall_hip_hinge"\nside = "right"', 'exercise = "cobra"'
    )

    (problem,) = check(text, content).problems
    assert (problem.line, problem.item, problem.field) == (
        line_of(text, 'id = "cobra"'),
        "exercise 'cobra'",
        "id",
    )
    assert problem.message == "shadows the built-in exercise 'cobra'; choose another id"


@pytest.mark.parametrize("bad_id", ["Clinic Jones", "../etc/passwd", "x" * 41, "-dash"])
def test_a_routine_id_must_be_safe_as_a_file_name(content: Content, bad_id: str) -> None:
    text = GOOD.replace('"clinic-jones"', f'"{bad_id}"')

    (problem,) = check(text, content).problems
    assert (problem.line, problem.field) == (1, "id")
    assert "lower-case letters, digits, - or _" in problem.message


def test_an_own_exercise_id_used_twice_is_refused(content: Content) -> None:
    table = OWN_EXERCISE[OWN_EXERCISE.index("[[exercise]]") : OWN_EXERCISE.index("[[step]]\nex")]
    text = OWN_EXERCISE.replace(table, table + table)

    problems = check(text, content).problems
    assert [(p.line, p.field, p.message) for p in problems] == [
        (line_of(text, 'id = "wall_hip_hinge"', nth=2), "id", "'wall_hip_hinge' is used twice")
    ]


# ---- doses: absurd ones refused, unusual ones warned about ------------------------------------


def test_the_issues_cobra_of_600_seconds_is_refused_with_the_sessions_length(
    content: Content,
) -> None:
    text = GOOD.replace("hold_seconds = 6\nrepetitions = 10", "hold_seconds = 600\nrepetitions = 8")

    problems = check(text, content).problems
    assert [(p.line, p.step, p.field, p.message) for p in problems] == [
        (
            line_of(text, "hold_seconds = 600"),
            2,
            "hold_seconds",
            "a 600 s hold is refused: hold for at most 120 s",
        ),
        (
            None,
            None,
            None,
            "the whole routine takes about 82 minutes: a session is refused over 60 minutes",
        ),
    ]


def test_the_issues_knee_to_chest_120_s_x_20_warns_twice_and_is_refused_as_too_long(
    content: Content,
) -> None:
    text = GOOD.replace('side = "left"', "hold_seconds = 120\nrepetitions = 20")

    problems = check(text, content).problems
    assert [(p.severity, p.line, p.field) for p in problems] == [
        (Severity.WARNING, line_of(text, "hold_seconds = 120"), "hold_seconds"),
        (Severity.WARNING, line_of(text, "repetitions = 20"), "repetitions"),
        (Severity.ERROR, None, None),
    ]
    assert problems[0].message == (
        "a 120 s hold is longer than the usual 5-30 s for Knee to chest "
        "(ACSM-2021, MAYO-STRETCH, MAYO-BASIC, CSP-BP)"
    )
    assert problems[1].message.startswith(
        "20 repetitions each side are more than the usual 2-4 each side for Knee to chest"
    )
    assert "about 89 minutes" in problems[2].message
    assert str(problems[0]).startswith("clinic.toml:7: warning: step 1: field 'hold_seconds': ")


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ("hold_seconds = 121", "hold_seconds", "a 121 s hold is refused: hold for at most 120 s"),
        ("repetitions = 31", "repetitions", "31 repetitions are refused: at most 30"),
        ("repetitions = 0", "repetitions", "0 is outside 1-30"),
        ("rest_seconds = 601", "rest_seconds", "601 is outside 0-600"),
    ],
)
def test_a_dose_over_the_limits_is_an_error(
    content: Content, override: str, field: str, message: str
) -> None:
    text = GOOD.replace('side = "left"', override)

    errors = check(text, content).errors
    assert (errors[0].line, errors[0].field) == (line_of(text, override), field)
    assert errors[0].message.startswith(message)


@pytest.mark.parametrize(
    ("exercise", "override", "field", "usual"),
    [
        ("cobra", "hold_seconds = 40", "hold_seconds", "5-10 s"),
        ("cobra", "repetitions = 3", "repetitions", "8-10"),
        ("childs_pose", "repetitions = 5", "repetitions", "8-10"),
        ("cat_cow", "repetitions = 14", "repetitions", "4-12"),
        ("pelvic_tilt", "repetitions = 20", "repetitions", "5-15"),
    ],
)
def test_a_dose_outside_the_usual_range_is_a_warning_and_still_usable(
    content: Content, exercise: str, override: str, field: str, usual: str
) -> None:
    text = f'id = "mine"\nname = "Mine"\ndescription = "d"\n[[step]]\nexercise = "{exercise}"\n'
    text += override + "\n"

    result = check(text, content)
    (warning,) = result.problems
    assert (warning.severity, warning.line, warning.field) == (Severity.WARNING, 6, field)
    assert f"the usual {usual}" in warning.message
    assert result.routine is not None


def test_every_built_in_exercise_has_a_cited_usual_range_holding_its_dose(
    content: Content,
) -> None:
    for exercise in content.exercises.values():
        usual = exercise.dose_range
        assert usual is not None, exercise.id
        assert usual.sources, exercise.id
        assert set(usual.sources) <= set(content.sources)
        if usual.hold_seconds:
            assert usual.hold_seconds[0] <= exercise.dose.hold_seconds <= usual.hold_seconds[1]
        assert usual.repetitions
        assert usual.repetitions[0] <= exercise.dose.repetitions <= usual.repetitions[1]


# ---- the side of one-sided work --------------------------------------------------------------


def test_a_side_on_a_sided_exercise_does_only_that_side(content: Content) -> None:
    routine = check(GOOD, content).routine

    assert routine is not None
    dose = routine.steps[0].dose
    assert (dose.sided, dose.only_side, dose.sides) == (True, "left", ("left",))
    assert dose.total_seconds == content.exercises["knee_to_chest"].dose.total_seconds // 2
    assert dose_words(dose) == "Hold 20 seconds, 3 times, rest 10 seconds between, left side only."


@pytest.mark.parametrize(
    ("old", "new", "side_line", "message"),
    [
        ('side = "left"', 'side = "both"', 'side = "both"', "'both' is not one of left, right"),
        (
            'side = "left"',
            'side = "left"\nsided = false',
            'side = "left"',
            "'knee_to_chest' is done once",
        ),
        (
            "repetitions = 10",
            'repetitions = 10\nside = "right"',
            'side = "right"',
            "'cobra' is done once",
        ),
    ],
    ids=["not-a-side", "sided-turned-off", "unsided-exercise"],
)
def test_a_side_is_only_left_or_right_of_a_sided_exercise(
    content: Content, old: str, new: str, side_line: str, message: str
) -> None:
    text = GOOD.replace(old, new)

    (problem,) = check(text, content).problems
    assert (problem.line, problem.field) == (line_of(text, side_line), "side")
    assert problem.message.startswith(message)


# ---- a physio's own exercises ------------------------------------------------------------------


def test_an_own_exercise_is_used_in_a_step_with_its_side(content: Content) -> None:
    result = check(OWN_EXERCISE, content)

    assert result.problems == ()
    assert result.routine is not None
    hinge = result.routine.steps[0].exercise
    assert (hinge.id, hinge.name, hinge.kind, hinge.sources) == (
        "wall_hip_hinge",
        "Wall hip hinge",
        "strength",
        (),
    )
    assert hinge.summary == "Push your bottom back toward the wall. [b]Not markup[/b]"
    assert hinge.figure == ("  O  |\n[[step]]\n _/ \\|",)
    assert hinge.cautions[0].modified == "Push back only a little."
    assert result.routine.steps[0].dose.sides == ("right",)
    assert result.routine.steps[1].exercise is content.exercises["childs_pose"]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('feel = "Your buttocks working."', 'feel = "Your buttocks \\u001b[2Jworking."', "feel"),
        ('"Hold."', '"Hold.\\u0007"', "movement"),
        ('name = "Hinge"', 'name = "Hinge\\u009b"', "name"),
    ],
    ids=["escape-in-text", "bell-in-a-line", "c1-in-the-name"],
)
def test_control_characters_in_text_are_refused(
    content: Content, old: str, new: str, field: str
) -> None:
    text = OWN_EXERCISE.replace(old, new)

    (problem,) = check(text, content).problems
    assert (problem.line, problem.field) == (line_of(text, new), field)
    assert problem.message.startswith("control character U+00")


def test_an_own_exercise_needs_no_figure_and_may_cite_known_sources(content: Content) -> None:
    start = OWN_EXERCISE.index("figure = ")
    text = (
        OWN_EXERCISE[:start]
        + 'source = ["NHS-EX"]\n'
        + OWN_EXERCISE[OWN_EXERCISE.index("\n\n[exercise.dose]") :]
    )

    result = check(text, content)
    assert result.problems == ()
    assert result.routine is not None
    assert result.routine.steps[0].exercise.figure == ()
    assert result.routine.steps[0].exercise.sources == ("NHS-EX",)
    bad = check(text.replace('"NHS-EX"', '"MY-NOTES"'), content)
    assert [(p.field, p.message) for p in bad.problems] == [
        ("source", "unknown source id MY-NOTES")
    ]


def test_every_problem_of_an_own_exercise_is_reported_and_not_its_use(
    content: Content,
) -> None:
    text = (
        OWN_EXERCISE.replace('feel = "Your buttocks working."\n', "")
        .replace("hold_seconds = 3", "hold_seconds = 300")
        .replace('action = "modify"', 'action = "change"')
    )

    problems = check(text, content).problems
    assert [(p.line, p.item, p.field) for p in problems] == [
        (line_of(text, "[[exercise]]"), "exercise 'wall_hip_hinge'", "feel"),
        (line_of(text, "hold_seconds = 300"), "exercise 'wall_hip_hinge': dose", "hold_seconds"),
        (line_of(text, 'action = "change"'), "exercise 'wall_hip_hinge': caution 1", "action"),
    ]


def test_an_inline_dose_table_points_at_its_line(content: Content) -> None:
    start = OWN_EXERCISE.index("[exercise.dose]")
    end = OWN_EXERCISE.index("[[exercise.caution]]")
    text = (
        OWN_EXERCISE[:start]
        + "dose = { hold_seconds = 3, repetitions = 99 }\n\n"
        + OWN_EXERCISE[end:]
    ).replace('side = "right"\n', "")
    text = text.replace("figure = ", "dose_note = 1\nfigure = ", 1)

    problems = check(text, content).problems
    assert [(p.line, p.field) for p in problems] == [
        (line_of(text, "dose_note"), "dose_note"),
        (line_of(text, "dose = {"), "repetitions"),
    ]


# ---- finding routines ------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An installed routine whose file name differs from its id, and a broken one."""
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "jones.toml").write_text(GOOD, encoding="utf-8")
    (routines / "broken.toml").write_text(FIVE_MISTAKES, encoding="utf-8")
    return routines


def test_installed_routines_are_the_usable_ones_with_the_others_problems(
    content: Content, folder: Path
) -> None:
    (folder / "other.toml").write_text(GOOD, encoding="utf-8")

    routines, problems = installed_routines(content, folder)
    assert [(r.id, r.path) for r in routines] == [("clinic-jones", folder / "jones.toml")]
    assert {p.file for p in problems} == {str(folder / "broken.toml"), str(folder / "other.toml")}
    assert len([p for p in problems if p.file.endswith("broken.toml")]) == 5
    assert installed_routines(content, folder / "none") == ([], [])


@pytest.mark.parametrize("name", ["clinic-jones", "jones"], ids=["id", "file-name"])
def test_an_installed_routine_is_found_by_its_id_or_its_file_name(
    content: Content, folder: Path, name: str
) -> None:
    assert find_routine(content, name, folder).path == folder / "jones.toml"


def test_a_built_in_id_and_a_path_are_found(content: Content, folder: Path) -> None:
    assert find_routine(content, "gentle", folder) is content.routines["gentle"]
    assert find_routine(content, str(folder / "jones.toml"), folder).id == "clinic-jones"


def test_an_unknown_name_is_not_found_with_the_closest_name(content: Content, folder: Path) -> None:
    with pytest.raises(
        RoutineNotFound, match=r"no routine 'clinic-jone'; did you mean 'clinic-jones'"
    ):
        find_routine(content, "clinic-jone", folder)


def test_a_broken_routine_named_is_an_error_with_all_its_problems(
    content: Content, folder: Path
) -> None:
    with pytest.raises(RoutineError) as caught:
        find_routine(content, "broken", folder)
    assert len(caught.value.problems) == 5
    assert str(caught.value).startswith(f"{folder / 'broken.toml'}: field 'id': shadows")


def test_load_routine_file_raises_its_first_error_and_check_file_says_a_missing_one(
    content: Content, tmp_path: Path
) -> None:
    path = tmp_path / "five.toml"
    path.write_text(FIVE_MISTAKES, encoding="utf-8")
    with pytest.raises(RoutineError):
        load_routine_file(path, content)
    (missing,) = check_routine_file(tmp_path / "none.toml", content).problems
    assert missing.message == "file not found"
