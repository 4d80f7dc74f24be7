"""Plan files: the built-in plan and a physio's own, checked with every problem named (file,
line, stage, field), within the safe bounds."""

from __future__ import annotations

from pathlib import Path

import pytest

from spasm_coach.content import Content, Routine, Severity, load_routine_file
from spasm_coach.plans import (
    AUTOMATIC_STEP_BACK,
    PlanError,
    PlanNotFound,
    built_in_plans,
    check_plan_text,
    choose_plan,
    load_plans,
    move_on_words,
    step_back_words,
)

FIVE_MISTAKES = """\
id = "recovery"
name = "Clinic Jones: after the spasm"
description = "Gentle first, then strength."

[[stage]]
id = "easy"
name = "Easy does it"
goal = "Let the spasm settle."
routines = ["gentel"]
sessions_per_day = 3

[stage.move_on]
latest_scores = 3
scores_at_most = 7
days_in_stge = 2

[[stage]]
id = "strong"
name = "Stronger"
goal = "Strength work for the garden."
routines = ["getting_stronger"]
sessions_per_day = 1

[stage.step_back]
pain_rise = 3
latest_scores = 2
scores_at_least = 5
"""

GOOD = """\
id = "clinic-jones-plan"
name = "Mrs Jones: back to the garden"
description = "A gentle start, then the exercises from clinic, then strength."

[[stage]]
id = "easy"
name = "Easy does it"
goal = "Let the spasm settle: the gentle routine and slow breathing."
routines = ["gentle", "relaxation"]
sessions_per_day = 3
advice = ["Short walks round the garden, twice a day."]

[stage.move_on]
latest_scores = 4
scores_at_most = 4
sessions_without_hurt = 3
days_in_stage = 3

[[stage]]
id = "jones"
name = "Your programme"
goal = "The exercises we went through in clinic."
routines = ["clinic-jones"]
sessions_per_day = 2

[stage.move_on]
latest_scores = 3
scores_at_most = 3
sessions_without_hurt = 4
days_in_stage = 5
trend = "better"
trend_days = 10

[stage.step_back]
latest_scores = 2
scores_at_least = 6

[[stage]]
id = "strong"
name = "Stronger"
goal = "Strength work for the garden."
routines = ["getting_stronger"]
sessions_per_day = 1
"""

JONES_ROUTINE = """\
id = "clinic-jones"
name = "Clinic Jones: left side"
description = "Knee to chest on the left, then a short sphinx."

[[step]]
exercise = "knee_to_chest"
side = "left"

[[step]]
exercise = "cobra"
hold_seconds = 6
repetitions = 10
"""


@pytest.fixture
def routines(content: Content, tmp_path: Path) -> dict[str, Routine]:
    path = tmp_path / "clinic-jones.toml"
    path.write_text(JONES_ROUTINE)
    return {**content.routines, "clinic-jones": load_routine_file(path, content)}


def check(text: str, content: Content, routines: dict[str, Routine]) -> list[str]:
    built_in = built_in_plans(content)
    found = check_plan_text(text, "plan.toml", content, routines, built_in=built_in)
    return [str(problem) for problem in found.problems]


def test_the_built_in_plan_cites_its_sources_and_says_its_rules(content: Content) -> None:
    plan = built_in_plans(content)["recovery"]
    assert [stage.id for stage in plan.stages] == ["settle", "move", "stronger"]
    assert [[r.id for r in stage.routines] for stage in plan.stages] == [
        ["gentle", "relaxation"],
        ["standard", "relaxation"],
        ["getting_stronger", "standard"],
    ]
    for source in plan.all_sources():
        assert source in content.sources
    # sessions a day live in one place: the routines' own, else data/defaults.toml
    for stage in plan.stages:
        assert stage.sessions_per_day == content.planned_per_day(stage.routines[0]) == 3
    assert {"NICE-NG59", "NHS-BP"} <= set(plan.sources) | set(plan.course.sources)
    assert all(stage.sources for stage in plan.stages)
    settle, move, stronger = plan.stages
    assert move_on_words(plan, settle) == (
        "Next: Get moving (Standard: daily routine), when your last 3 scores are 4 or less, "
        "2 sessions in this stage finished without it hurting and at least a day in this stage."
    )
    assert move_on_words(plan, stronger) is None
    assert step_back_words(plan, settle) == (
        f"Back to the start of this stage, by itself, when {AUTOMATIC_STEP_BACK}."
    )
    assert step_back_words(plan, move).endswith("offered when your last 2 scores are 6 or more.")
    # getting_stronger is for scores of 3 or less: the rule into it keeps to that
    limit = content.routines["getting_stronger"].offer_when_pain_at_most
    assert move.move_on is not None
    assert move.move_on.scores_at_most <= (limit or 0)


def test_a_plan_with_five_mistakes_lists_all_five_with_line_stage_and_field(
    content: Content, routines: dict[str, Routine]
) -> None:
    assert check(FIVE_MISTAKES, content, routines) == [
        "plan.toml:1: field 'id': shadows the built-in plan 'recovery'; choose another id",
        "plan.toml:9: stage 'easy': field 'routines': unknown routine 'gentel'; did you mean "
        "'gentle'?",
        "plan.toml:14: stage 'easy': move_on: field 'scores_at_most': 7 is outside 0-6 (7 and "
        "over is a bad day: nobody moves on then)",
        "plan.toml:15: stage 'easy': move_on: field 'days_in_stge': not a move_on field; did you "
        "mean 'days_in_stage'?",
        "plan.toml:25: stage 'strong': step_back: field 'pain_rise': stepping back after "
        '"it hurt" or a rise of 2 is always on: leave it out',
    ]


def test_a_good_physio_plan_uses_installed_routines_and_keeps_the_built_in_course(
    content: Content, routines: dict[str, Routine]
) -> None:
    built_in = built_in_plans(content)
    found = check_plan_text(GOOD, "plan.toml", content, routines, built_in=built_in)
    assert found.errors == ()
    assert found.warnings == ()
    plan = found.plan
    assert plan is not None
    assert [routine.id for routine in plan.stages[1].routines] == ["clinic-jones"]
    assert plan.course == built_in["recovery"].course
    assert plan.sources == ()
    jones = plan.stages[1]
    assert jones.move_on is not None
    assert jones.move_on.trend == "better"
    assert "your pain is clearly better than 10 days ago" in jones.move_on.words()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("scores_at_most = 4\n", "scores_at_most = 4\nit_hurt = false\n"), "not a move_on field"),
        (("latest_scores = 4\n", ""), "stage 'easy': move_on: field 'latest_scores': missing"),
        (("latest_scores = 4\n", "latest_scores = 1\n"), "1 is outside 2-14 (one score says"),
        (("scores_at_most = 3\n", "scores_at_most = 4\n"), "only for scores of 3 or less"),
        (('id = "easy"', 'id = "Easy Does It"'), "can't be a stage id"),
        (('id = "strong"', 'id = "easy"'), "field 'id': 'easy' is used twice"),
        (("sessions_per_day = 1\n", "sessions_per_day = 13\n"), "13 is outside 1-12"),
        (
            (
                "sessions_per_day = 1\n",
                "sessions_per_day = 1\n[stage.move_on]\nlatest_scores = 3\n",
            ),
            "the last stage has no stage after it to move on to",
        ),
        (
            ("days_in_stage = 3\n", "days_in_stage = 3\n[stage.step_back]\nscores_at_least = 6\n"),
            "the first stage has no stage before it to step back to",
        ),
        (('trend = "better"\n', 'trend = "sideways"\n'), "'sideways' is not one of better"),
        (('trend = "better"\n', ""), "field 'trend_days': only with trend"),
        (
            (
                "description =",
                "[course]\nno_better_after_days = 21\nworse_after_days = 7\n"
                "settled_at_most = 3\n\ndescription =",
            ),
            "21 is outside 7-14 (not better after about two weeks",
        ),
        (('goal = "Strength', 'goal = "\\u001b[2JStrength'), "control character U+001B"),
        (('routines = ["getting_stronger"]', 'routines = ["gentle", "gentle"]'), "listed twice"),
    ],
)
def test_safe_bounds_and_mistakes_are_named(
    content: Content, routines: dict[str, Routine], change: tuple[str, str], message: str
) -> None:
    old, new = change
    assert old in GOOD
    text = (
        GOOD.replace(old, new, 1)
        if not old.startswith("description")
        else GOOD.replace("description =", new, 1)
    )
    problems = check(text, content, routines)
    assert any(message in problem for problem in problems), problems


def test_a_stage_without_a_rule_to_move_on_is_a_warning(
    content: Content, routines: dict[str, Routine]
) -> None:
    start = GOOD.index("[stage.move_on]")
    end = GOOD.index("[[stage]]", start)
    built_in = built_in_plans(content)
    text = GOOD[:start] + GOOD[end:]
    found = check_plan_text(text, "plan.toml", content, routines, built_in=built_in)
    assert found.plan is not None
    assert [p.severity for p in found.problems] == [Severity.WARNING]
    assert "the next stage is never offered from here" in str(found.problems[0])
    assert move_on_words(found.plan, found.plan.stages[0]) == (
        "Next: Your programme is not offered from this stage; a physio can change the plan."
    )


def test_not_toml_and_no_stages(content: Content, routines: dict[str, Routine]) -> None:
    assert check('id = "x\n', content, routines)[0].startswith("plan.toml:1: not valid TOML")
    problems = check('id = "x"\nname = "X"\ndescription = "Y"\n', content, routines)
    assert problems == ["plan.toml: field 'stage': a plan needs at least one [[stage]]"]


def test_finding_and_choosing_plans(
    content: Content, routines: dict[str, Routine], tmp_path: Path
) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "jones.toml").write_text(GOOD)
    (folder / "broken.toml").write_text(FIVE_MISTAKES)
    plans = load_plans(content, folder, routines)
    assert [plan.id for plan in plans.all()] == ["recovery", "clinic-jones-plan"]
    assert {problem.file for problem in plans.problems} == {str(folder / "broken.toml")}
    assert plans.find("clinic-jones-plan", content, routines).id == "clinic-jones-plan"
    assert plans.find("jones", content, routines).id == "clinic-jones-plan"
    assert plans.find(str(folder / "jones.toml"), content, routines).id == "clinic-jones-plan"
    with pytest.raises(PlanNotFound, match="did you mean 'recovery'"):
        plans.find("recovry", content, routines)
    with pytest.raises(PlanError) as failed:
        plans.find(str(folder / "broken.toml"), content, routines)
    assert len(failed.value.problems) == 5
    assert choose_plan(plans, None) == (plans.built_in["recovery"], None)
    assert choose_plan(plans, "clinic-jones-plan")[0].id == "clinic-jones-plan"
    fallback, why = choose_plan(plans, "gone")
    assert fallback.id == "recovery"
    assert why is not None
    assert "Your plan 'gone' can't be found" in why


def test_the_default_routine_stands_in_for_the_standard_one(content: Content) -> None:
    from spasm_coach.plans import routine_names, stage_routines

    settle, move, stronger = built_in_plans(content)["recovery"].stages
    gentle, relaxation = content.routines["gentle"], content.routines["relaxation"]
    assert stage_routines(move, None) == move.routines
    assert stage_routines(move, content.routines["standard"]) == move.routines
    assert [r.id for r in stage_routines(move, gentle)] == ["gentle", "relaxation"]
    assert [r.id for r in stage_routines(stronger, gentle)] == ["getting_stronger", "gentle"]
    assert [r.id for r in stage_routines(settle, relaxation)] == ["relaxation", "gentle"]
    assert routine_names(settle, relaxation) == "Breathe and relax, or Gentle: for a bad day"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "x"\n', "field 'id': missing"),
        ('id = "clinic plan!"\nname = "x"\ndescription = "y"\n', "can't be a plan id"),
        ('id = "p"\nname = "x"\ndescription = "y"\nstage = 5\n', "at least one [[stage]]"),
        ('id = "p"\nname = "x"\ndescription = "y"\nstage = [5]\n', "expected a table"),
        ('id = "p"\nname = "x"\ndescription = "y"\ncourse = 5\n', "expected a table"),
        (
            'id = "p"\nname = "x"\ndescription = "y"\n[course]\nno_better_after_days = "14"\n',
            "expected a whole number, got '14'",
        ),
        (
            'id = "p"\nname = "x"\ndescription = "y"\n'
            + "".join(
                f'[[stage]]\nid = "s{n}"\nname = "S"\ngoal = "G"\nroutines = ["gentle"]\n'
                "sessions_per_day = 1\n"
                for n in range(9)
            ),
            "9 stages: a plan has at most 8",
        ),
        (
            GOOD.replace("sessions_per_day = 3\n", "sessions_per_day = 3\nmove_on = 5\n").replace(
                "[stage.move_on]\nlatest_scores = 4", "[x]\nlatest_scores = 4"
            ),
            "stage 'easy': move_on: expected a table",
        ),
        (
            GOOD.replace("sessions_per_day = 2\n", "sessions_per_day = 2\nstep_back = 5\n").replace(
                "[stage.step_back]\n", "[y]\n"
            ),
            "stage 'jones': step_back: expected a table",
        ),
    ],
)
def test_more_mistakes_are_named(
    content: Content, routines: dict[str, Routine], text: str, message: str
) -> None:
    problems = check(text, content, routines)
    assert any(message in problem for problem in problems), problems


def test_a_built_in_plan_needs_sources_and_a_course(
    content: Content, routines: dict[str, Routine]
) -> None:
    found = check_plan_text(GOOD, "plans/x.toml", content, routines, own=False)
    messages = [str(problem) for problem in found.problems]
    assert "plans/x.toml: field 'course': missing: give a [course] table" in messages
    assert any("field 'source': missing" in message for message in messages)


def test_unreadable_and_duplicate_plan_files(
    content: Content, routines: dict[str, Routine], tmp_path: Path
) -> None:
    from spasm_coach.plans import check_plan_file

    built_in = built_in_plans(content)
    missing = check_plan_file(tmp_path / "gone.toml", content, routines, built_in)
    assert [str(p) for p in missing.problems] == [f"{tmp_path / 'gone.toml'}: file not found"]
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe")
    assert "not UTF-8 text" in str(check_plan_file(binary, content, routines, built_in).problems[0])
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "a.toml").write_text(GOOD)
    (folder / "b.toml").write_text(GOOD)
    plans = load_plans(content, folder, routines)
    assert [plan.id for plan in plans.installed] == ["clinic-jones-plan"]
    (problem,) = plans.problems
    assert problem.file == str(folder / "b.toml")
    assert "is also the id of" in problem.message
    loose = tmp_path / "loose plan"
    loose.write_text(GOOD)
    assert plans.find(str(loose), content, routines).id == "clinic-jones-plan"


def test_the_built_in_plans_must_be_sound(content: Content, tmp_path: Path) -> None:
    import shutil
    from dataclasses import replace

    from spasm_coach.content import ContentError

    root = tmp_path / "data"
    shutil.copytree(content.root, root)
    moved = replace(content, root=root)
    plan_file = root / "plans" / "recovery.toml"
    text = plan_file.read_text()
    (root / "plans" / "again.toml").write_text(text)
    with pytest.raises(ContentError, match="plan id 'recovery' used twice"):
        built_in_plans(moved)
    (root / "plans" / "again.toml").unlink()
    plan_file.write_text(text.replace('routines = ["gentle", "relaxation"]', 'routines = ["x"]'))
    with pytest.raises(PlanError, match="unknown routine 'x'"):
        built_in_plans(moved)
    plan_file.rename(root / "plans" / "other.toml")
    (root / "plans" / "other.toml").write_text(text.replace('id = "recovery"', 'id = "other"'))
    with pytest.raises(ContentError, match="the built-in plan 'recovery' is missing"):
        built_in_plans(moved)


def test_a_stage_without_its_own_number_plans_its_first_routines(
    content: Content, routines: dict[str, Routine]
) -> None:
    from dataclasses import replace

    twice = {**routines, "gentle": replace(content.routines["gentle"], sessions_per_day=2)}
    text = GOOD.replace("sessions_per_day = 3\n", "", 1)
    found = check_plan_text(text, "plan.toml", content, twice, built_in=built_in_plans(content))
    assert found.plan is not None
    assert [stage.sessions_per_day for stage in found.plan.stages] == [2, 2, 1]
