"""The built-in clinical content agrees with CLINICAL.md, and broken files say where they break."""

from __future__ import annotations

import re
import shutil
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from spasm_coach.content import (
    Content,
    ContentError,
    Dose,
    Routine,
    RoutineStep,
    load_content,
    load_routine_file,
)
from spasm_coach.vocabulary import CONDITIONS, Level

# CLINICAL.md sections 1 and 7, in the order the questions are asked. These ids are a contract.
RED_FLAGS = {
    "saddle_numbness": "emergency",
    "bladder_change": "emergency",
    "bowel_change": "emergency",
    "sexual_change": "emergency",
    "both_legs": "emergency",
    "leg_weakness_worsening": "emergency",
    "major_trauma": "emergency",
    "chest_pain": "emergency",
    "fever_very_unwell": "emergency",
    "tummy_and_back_sudden": "emergency",
    "sudden_pain_faint": "emergency",
    "fever": "urgent",
    "weight_loss": "urgent",
    "lump_or_shape_change": "urgent",
    "rest_or_night_pain": "urgent",
    "upper_back_pain": "urgent",
    "cough_sneeze_pain": "urgent",
    "cancer_history": "urgent",
    "infection_risk": "urgent",
    "fragility_fracture": "urgent",
    "one_leg_worsening": "urgent",
    "unsteady_or_band_pain": "urgent",
    "not_improving": "soon",
    "stopping_activities": "soon",
    "getting_worse": "soon",
    "struggling_to_cope": "soon",
    "first_episode_age": "soon",
    "sciatica_not_settling": "soon",
    "pregnant": "soon",
    "pregnancy_warning_signs": "urgent",
    "exercise_made_worse": "soon",
}

EXERCISES = ("knee_to_chest", "cobra", "childs_pose", "cat_cow")


# ---- the built-in content ------------------------------------------------------------------


def test_built_in_content_loads(content: Content) -> None:
    assert load_content(content.root) == content
    assert (content.root / "red_flags.toml").is_file()


def test_red_flag_ids_and_levels_match_the_contract_in_order(content: Content) -> None:
    assert len(RED_FLAGS) == 31
    assert {flag.id: flag.level.value for flag in content.flags} == RED_FLAGS
    assert [flag.id for flag in content.flags] == list(RED_FLAGS)


def test_every_red_flag_has_a_question_to_answer(content: Content) -> None:
    for flag in content.flags:
        assert flag.question.endswith("?"), flag.id
        assert content.flags_by_id[flag.id] is flag


@pytest.mark.parametrize("level", list(Level))
def test_every_level_has_advice(content: Content, level: Level) -> None:
    advice = content.levels[level]
    assert advice.level is level
    assert advice.title
    assert advice.action


def test_levels_rise_in_order_of_concern() -> None:
    assert [level.rank for level in (Level.CLEAR, Level.SOON, Level.URGENT, Level.EMERGENCY)] == [
        0,
        1,
        2,
        3,
    ]


@pytest.mark.parametrize(
    ("region_id", "number"),
    [
        ("uk", "999"),
        ("ie", "112"),
        ("us", "911"),
        ("ca", "911"),
        ("au", "000"),
        ("nz", "111"),
        ("eu", "112"),
    ],
)
def test_emergency_advice_names_the_chosen_regions_number(
    content: Content, region_id: str, number: str
) -> None:
    region = content.regions[region_id]
    assert region.emergency == number
    advice = content.levels[Level.EMERGENCY].for_region(region)
    assert f"Call {number} for an ambulance" in advice.action
    assert f"go to {region.emergency_place} now" in advice.action
    urgent = content.levels[Level.URGENT].for_region(region)
    assert region.urgent in urgent.action
    assert number in urgent.action


def test_the_four_exercises_exist(content: Content) -> None:
    assert set(EXERCISES) <= set(content.exercises)


@pytest.mark.parametrize(
    ("exercise_id", "hold", "repetitions", "sided", "paced"),
    [
        ("knee_to_chest", (10, 30), (2, 4), True, False),  # ACSM-2021, which it follows
        ("cobra", (5, 10), (8, 10), False, False),  # NHS-EX back extension
        ("childs_pose", (10, 10), (8, 10), False, True),  # NHS-EX: one deep breath, 8-10 times
        ("cat_cow", None, (4, 12), False, True),  # UW-CAT
    ],
)
def test_default_doses_are_inside_what_their_sources_state(
    content: Content,
    exercise_id: str,
    hold: tuple[int, int] | None,
    repetitions: tuple[int, int],
    sided: bool,
    paced: bool,
) -> None:
    dose = content.exercises[exercise_id].dose
    if hold is not None:
        assert hold[0] <= dose.hold_seconds <= hold[1]
    assert repetitions[0] <= dose.repetitions <= repetitions[1]
    assert dose.sided is sided
    assert dose.paced is paced
    if paced:
        assert dose.breath_out_seconds is not None


def test_childs_pose_holds_one_slow_breath_as_the_nhs_page_does(content: Content) -> None:
    exercise = content.exercises["childs_pose"]
    dose = exercise.dose
    assert dose.breath_in_seconds is not None
    assert dose.breath_out_seconds is not None
    assert dose.hold_seconds == dose.breath_in_seconds + dose.breath_out_seconds
    assert not exercise.flow  # a still hold with a pacer, not a movement with the breath
    assert exercise.dose_range is not None
    assert exercise.dose_range.says["NHS-EX"].repetitions == (8, 10)


def test_cat_cow_hold_is_one_breath_cycle(content: Content) -> None:
    dose = content.exercises["cat_cow"].dose
    assert dose.breath_in_seconds is not None
    assert dose.breath_out_seconds is not None
    assert dose.hold_seconds == dose.breath_in_seconds + dose.breath_out_seconds


@pytest.mark.parametrize("exercise_id", ["cat_cow", "cobra", "knee_to_chest"])
def test_moving_exercises_have_a_start_and_another_position(
    content: Content, exercise_id: str
) -> None:
    poses = content.exercises[exercise_id].poses
    assert poses is not None
    assert len(poses.positions) >= 2


def test_every_built_in_exercise_is_drawn_from_poses(content: Content) -> None:
    """The pose model replaces ASCII figures in the built-in library (a physio's own exercise
    may still give an ASCII figure)."""
    for exercise in content.exercises.values():
        assert exercise.poses is not None, exercise.id
        assert exercise.figure == (), exercise.id
    cobra = content.exercises["cobra"].poses
    assert cobra is not None
    assert (cobra.start.name, cobra.held(1).name, cobra.held(5).name) == (
        "prone",
        "sphinx",
        "cobra",
    )
    assert cobra.held(8, ["wrist"]).name == "sphinx"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_cautions_are_for_known_conditions(content: Content, exercise_id: str) -> None:
    assert set(CONDITIONS) == {"osteoporosis", "pregnancy", "knee", "wrist"}
    for caution in content.exercises[exercise_id].cautions:
        assert caution.condition in CONDITIONS
        assert caution.action in ("modify", "skip")
        assert (caution.modified is not None) == (caution.action == "modify")


@pytest.mark.parametrize(
    ("exercise_id", "condition"),
    [
        ("knee_to_chest", "osteoporosis"),
        ("cobra", "pregnancy"),
        ("childs_pose", "knee"),
        ("childs_pose", "osteoporosis"),
        ("cat_cow", "knee"),
        ("cat_cow", "wrist"),
    ],
)
def test_clinical_cautions_are_present(content: Content, exercise_id: str, condition: str) -> None:
    assert content.exercises[exercise_id].caution_for([condition])


def test_cobra_is_skipped_in_pregnancy(content: Content) -> None:
    (caution,) = content.exercises["cobra"].caution_for(["pregnancy"])
    assert caution.action == "skip"


def test_caution_for_returns_only_the_asked_conditions(content: Content) -> None:
    cautions = content.exercises["cat_cow"].caution_for(["wrist"])
    assert [c.condition for c in cautions] == ["wrist"]
    assert content.exercises["cat_cow"].caution_for([]) == ()


def test_gentle_and_standard_routines_exist(content: Content) -> None:
    assert {"gentle", "standard"} <= set(content.routines)
    standard = content.routines["standard"]
    assert set(EXERCISES) <= {step.exercise.id for step in standard.steps}, "the four stretches"
    for step in standard.steps:
        assert step.dose == step.exercise.dose


def test_gentle_routine_is_gentler_than_standard(content: Content) -> None:
    assert content.routines["gentle"].total_seconds < content.routines["standard"].total_seconds


@pytest.mark.parametrize(
    ("kind", "cap", "skin_check", "min_gap", "default_range"),
    [("heat", 20, 5, 60, (15, 20)), ("ice", 20, 5, 120, (10, 15))],
)
def test_heat_and_ice_match_the_clinical_reference(
    content: Content,
    kind: str,
    cap: int,
    skin_check: int,
    min_gap: int,
    default_range: tuple[int, int],
) -> None:
    rule = content.thermal[kind]
    assert rule.cap_minutes == cap
    assert rule.skin_check_minutes == skin_check
    assert rule.gap_minutes >= min_gap
    assert default_range[0] <= rule.default_minutes <= default_range[1]


@pytest.mark.parametrize(
    ("contraindication_id", "applies_to"),
    [
        ("diabetes", {"heat", "ice"}),
        ("numb_skin", {"heat", "ice"}),
        ("poor_circulation", {"heat", "ice"}),
        ("broken_skin", {"heat", "ice"}),
        ("raynauds", {"ice"}),
        ("cold_allergy", {"ice"}),
    ],
)
def test_thermal_contraindications(
    content: Content, contraindication_id: str, applies_to: set[str]
) -> None:
    by_id = {c.id: c for c in content.contraindications}
    assert set(by_id[contraindication_id].applies_to) == applies_to


def _cited(content: Content) -> Iterator[tuple[str, tuple[str, ...]]]:
    for level, advice in content.levels.items():
        yield f"level {level}", advice.sources
    for flag in content.flags:
        yield f"flag {flag.id}", flag.sources
    yield "ces_card", content.ces_card.sources
    yield "quick_check", content.quick_check.sources
    for region in content.regions.values():
        yield f"region {region.id}", region.sources
    for exercise in content.exercises.values():
        yield f"exercise {exercise.id}", exercise.sources
        for caution in exercise.cautions:
            yield f"exercise {exercise.id} caution {caution.condition}", caution.sources
    for routine in content.routines.values():
        yield f"routine {routine.id}", routine.sources
    for rule in content.thermal.values():
        yield f"thermal {rule.kind}", rule.sources
    for contraindication in content.contraindications:
        yield f"contraindication {contraindication.id}", contraindication.sources
    yield "pain", content.pain.sources
    for card in content.education:
        yield f"card {card.id}", card.sources


def test_every_cited_source_is_listed(content: Content) -> None:
    cited = list(_cited(content))
    assert len(cited) > 50
    for where, sources in cited:
        for source in sources:
            assert source in content.sources, f"{where} cites unknown {source}"


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _content_text(root: Path) -> list[str]:
    files = sorted(root.rglob("*.toml"))
    assert len(files) >= 11
    return [
        text for file in files for text in _strings(tomllib.loads(file.read_text(encoding="utf-8")))
    ]


@pytest.mark.parametrize(
    "pattern",
    [r"\d+\s?mg\b", r"ibuprofen|paracetamol|naproxen|codeine|acetaminophen"],
)
def test_content_never_suggests_a_medicine_dose(content: Content, pattern: str) -> None:
    texts = _content_text(content.root)
    assert any("steroid tablets" in text for text in texts)  # a red-flag question, not a dose
    offending = [text for text in texts if re.search(pattern, text, re.IGNORECASE)]
    assert offending == []


# ---- the quick check and when a flag is asked -----------------------------------------------

CAUDA_EQUINA = ("saddle_numbness", "bladder_change", "bowel_change", "sexual_change", "both_legs")


def test_quick_check_asks_the_fast_emergency_signs_together(content: Content) -> None:
    quick = content.quick_check
    assert set(CAUDA_EQUINA) | {"leg_weakness_worsening"} <= set(quick.signs)
    assert {"chest_pain", "fever_very_unwell", "tummy_and_back_sudden"} <= set(quick.signs)
    assert "major_trauma" not in quick.signs  # how the pain began: caught by "anything new"
    assert all(content.flags_by_id[sign].level is Level.EMERGENCY for sign in quick.signs)
    assert quick.signs_question == "Do you have any of these now?"
    assert quick.full_every == "day"
    assert {"NHS-CES", "GIRFT-CES", "NHS-BP"} <= set(quick.sources)


def test_quick_check_rule_says_why_in_plain_words(content: Content) -> None:
    rule = " ".join(content.quick_check.rule).lower()
    assert "within hours" in rule
    assert "once a day" in rule
    assert "new or worse" in rule
    assert "ends the check at once" in rule


def test_anything_new_question_names_the_time_of_the_last_full_check(content: Content) -> None:
    assert content.quick_check.anything_new("09:30") == (
        "Is anything else new or worse since your check at 09:30?"
    )


def test_every_flag_has_a_short_phrase_for_lists(content: Content) -> None:
    shorts = [flag.short for flag in content.flags]
    assert all(0 < len(short) <= 60 for short in shorts)
    assert len(set(shorts)) == len(shorts)
    assert not any(short.endswith("?") for short in shorts)


def test_only_the_two_conditional_flags_have_conditions(content: Content) -> None:
    worse = content.flags_by_id["exercise_made_worse"]
    assert (worse.ask_when, worse.recent_session_days) == ("recent_session", 7)
    assert content.flags_by_id["pregnant"].answered_by_caution == "pregnancy"
    others = [f for f in content.flags if f.id not in ("exercise_made_worse", "pregnant")]
    assert all(
        (f.ask_when, f.recent_session_days, f.answered_by_caution) == (None, None, None)
        for f in others
    )


# ---- exercise kinds, breath flow, words and cues ---------------------------------------------

STRENGTH = ("pelvic_tilt", "bridge", "bird_dog")
RELAXATION = ("slow_breathing", "muscle_relaxation", "body_scan")


def test_exercise_kinds(content: Content) -> None:
    kinds = {exercise.id: exercise.kind for exercise in content.exercises.values()}
    assert {kinds[e] for e in EXERCISES} == {"stretch"}
    assert {kinds[e] for e in STRENGTH} == {"strength"}
    assert {kinds[e] for e in RELAXATION} == {"relaxation"}


def test_cat_cow_flows_with_the_breath_but_childs_pose_is_a_still_hold(content: Content) -> None:
    cat_cow, childs_pose = content.exercises["cat_cow"], content.exercises["childs_pose"]
    assert cat_cow.flow is True
    assert childs_pose.flow is False
    assert childs_pose.dose.paced  # a still hold, with a slow-breathing pacer


def test_words_default_to_hold_and_rest(content: Content) -> None:
    knee = content.exercises["knee_to_chest"]
    assert (knee.hold_word, knee.rest_word, knee.cues) == ("HOLD", "REST", ())


@pytest.mark.parametrize("exercise_id", [*STRENGTH, *RELAXATION])
def test_new_exercises_are_complete(content: Content, exercise_id: str) -> None:
    exercise = content.exercises[exercise_id]
    for name in ("summary", "feel", "sources", "start_position", "movement", "stop_if", "poses"):
        assert getattr(exercise, name), name
    if exercise.cues:
        assert len(exercise.cues) == exercise.dose.repetitions


@pytest.mark.parametrize("exercise_id", STRENGTH)
def test_strengthening_doses_start_gently(content: Content, exercise_id: str) -> None:
    dose = content.exercises[exercise_id].dose
    assert dose.repetitions == 5  # NHS inform: start with 5, add 1 or 2 every few days
    assert dose.hold_seconds <= 10
    assert dose.rest_seconds >= 5


@pytest.mark.parametrize(
    ("exercise_id", "condition", "action"),
    [
        ("pelvic_tilt", "pregnancy", "modify"),
        ("bridge", "pregnancy", "skip"),
        ("bird_dog", "knee", "modify"),
        ("bird_dog", "wrist", "modify"),
    ],
)
def test_strengthening_cautions(
    content: Content, exercise_id: str, condition: str, action: str
) -> None:
    (caution,) = content.exercises[exercise_id].caution_for([condition])
    assert caution.action == action


def test_slow_breathing_is_three_minutes_of_longer_breaths_out(content: Content) -> None:
    exercise = content.exercises["slow_breathing"]
    dose = exercise.dose
    assert exercise.flow is True
    assert dose.breath_in_seconds is not None
    assert dose.breath_out_seconds is not None
    assert dose.breath_out_seconds > dose.breath_in_seconds
    assert 180 <= dose.repetitions * dose.hold_seconds <= 300  # NHS-BREATH: 3 to 5 minutes


def test_muscle_relaxation_tenses_gently_and_lets_go_for_longer(content: Content) -> None:
    exercise = content.exercises["muscle_relaxation"]
    assert (exercise.hold_word, exercise.rest_word) == ("TENSE", "LET GO")
    assert 5 <= len(exercise.cues) <= 7
    assert exercise.dose.hold_seconds <= 7
    assert exercise.dose.rest_seconds >= 2 * exercise.dose.hold_seconds
    words = " ".join(exercise.movement).lower()
    assert "gently" in words
    assert "skip any part that hurts" in words
    assert not any("back" in cue.lower() for cue in exercise.cues)


def test_body_scan_is_still_holds_with_a_cue_each_and_no_rest(content: Content) -> None:
    exercise = content.exercises["body_scan"]
    assert exercise.dose.rest_seconds == 0
    assert 15 <= exercise.dose.hold_seconds <= 30
    assert len(exercise.cues) == exercise.dose.repetitions
    assert exercise.flow is False


# ---- routines: kinds and when they are offered -------------------------------------------------


def test_gentle_routine_keeps_every_hold_short(content: Content) -> None:
    assert all(step.dose.hold_seconds <= 30 for step in content.routines["gentle"].steps)


def test_getting_stronger_is_for_when_the_pain_has_settled(content: Content) -> None:
    routine = content.routines["getting_stronger"]
    assert (routine.name, routine.kind) == ("Getting stronger", "strengthening")
    assert 3 <= len(routine.steps) <= 4
    assert {step.exercise.kind for step in routine.steps} == {"strength"}
    assert "settled" in routine.description
    assert routine.offer_when_pain_at_most == 3
    assert routine.sources


def test_breathe_and_relax_starts_with_slow_breathing(content: Content) -> None:
    routine = content.routines["relaxation"]
    assert (routine.name, routine.kind) == ("Breathe and relax", "relaxation")
    assert routine.steps[0].exercise.id == "slow_breathing"
    assert routine.steps[1].exercise.id in ("muscle_relaxation", "body_scan")
    assert {step.exercise.kind for step in routine.steps} == {"relaxation"}
    assert routine.offer_when_pain_at_most is None


def test_stretching_is_the_default_routine_kind(content: Content) -> None:
    assert content.routines["standard"].kind == "stretching"


def test_a_routine_may_use_fewer_repetitions_than_cues(tmp_path: Path, content: Content) -> None:
    path = tmp_path / "short.toml"
    path.write_text(
        'id = "short"\nname = "Short"\ndescription = "Three parts."\n\n'
        '[[step]]\nexercise = "body_scan"\nrepetitions = 3\n',
        encoding="utf-8",
    )
    routine = load_routine_file(path, content)
    assert routine.steps[0].dose.repetitions == 3
    assert routine.kind == "stretching"


# ---- education ------------------------------------------------------------------------------


def test_medicine_card_sends_people_to_a_pharmacist(content: Content) -> None:
    card = next(card for card in content.education if card.id == "medicines")
    text = " ".join(card.lines).lower()
    assert "pharmacist" in text
    assert "leaflet" in text
    assert "more than it says" in text
    assert "more than a few days" in text
    assert not re.search(r"\d", text)  # no doses, no numbers at all


def test_when_to_get_help_uses_the_regions_numbers(content: Content) -> None:
    card = next(card for card in content.education if card.id == "when_to_get_help")
    text = " ".join(card.lines)
    assert "{emergency}" in text
    assert "{urgent}" in text
    filled = " ".join(card.for_region(content.regions["nz"]).lines)
    assert "call 111 for an ambulance." in filled
    assert "Healthline on 0800 611 116" in filled


# ---- doses and routine length --------------------------------------------------------------


@pytest.mark.parametrize(
    ("dose", "seconds"),
    [
        # per side: 8 s preparing + 3 holds x 20 s + 2 rests x 10 s = 88; two sides
        (Dose(hold_seconds=20, repetitions=3, sided=True, rest_seconds=10, prepare_seconds=8), 176),
        # 5 s preparing + one hold, no rest after the last one
        (Dose(hold_seconds=10, repetitions=1, rest_seconds=30), 15),
        # 10 s preparing + 8 x 10 s, no rests
        (Dose(hold_seconds=10, repetitions=8, prepare_seconds=10), 90),
    ],
)
def test_dose_total_seconds(dose: Dose, seconds: int) -> None:
    assert dose.total_seconds == seconds


def test_routine_total_seconds_adds_its_steps(content: Content) -> None:
    knee = content.exercises["knee_to_chest"]
    cobra = content.exercises["cobra"]
    routine = Routine(
        id="small",
        name="Small",
        description="Two steps.",
        steps=(
            RoutineStep(knee, Dose(hold_seconds=20, repetitions=2, sided=True, rest_seconds=5)),
            RoutineStep(cobra, Dose(hold_seconds=5, repetitions=2, prepare_seconds=0)),
        ),
        sources=(),
    )
    # knee: 2 sides x (5 + 2 x 20 + 1 x 5) = 100; cobra: 0 + 2 x 5 + 1 x 0 = 10
    assert routine.total_seconds == 110


# ---- broken content files ------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path, content: Content) -> Path:
    """A private copy of the built-in data folder to break."""
    return Path(shutil.copytree(content.root, tmp_path / "data"))


def _mutate(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must appear once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


BROKEN = [
    pytest.param(
        "red_flags.toml",
        'level = "emergency"\naction = "emergency_department"\nquestion = "Is there new numbness',
        'level = "severe"\naction = "emergency_department"\nquestion = "Is there new numbness',
        "flag 'saddle_numbness'",
        "level",
        "'severe' is not one of soon, urgent, emergency",
        id="flag-unknown-level",
    ),
    pytest.param(
        "red_flags.toml",
        'level = "urgent"\nquestion = "Are you losing weight without trying?"\n',
        'level = "urgent"\n',
        "flag 'weight_loss'",
        "question",
        "missing",
        id="flag-missing-question",
    ),
    pytest.param(
        "red_flags.toml",
        'id = "weight_loss"\nlevel = "urgent"\nquestion =',
        'id = "weight_loss"\nlevel = "urgent"\nquestoin =',
        "flag 'weight_loss'",
        "questoin",
        "not a flag field",
        id="flag-misspelt-field",
    ),
    pytest.param(
        "exercises.toml",
        'source = ["NHS-EX"]\n\n[exercise.dose]\nhold_seconds = 8\n',
        'source = ["NHS-EX", "NHS-MADEUP"]\n\n[exercise.dose]\nhold_seconds = 8\n',
        "exercise 'cobra'",
        "source",
        "unknown source id NHS-MADEUP",
        id="exercise-unknown-source",
    ),
    pytest.param(
        "exercises.toml",
        "rest_seconds = 5\nprepare_seconds = 10\nbreath_in_seconds = 4\nbreath_out_seconds = 6\n",
        "rest_seconds = 5\nprepare_seconds = 10\nbreath_in_seconds = 4\n",
        "exercise 'childs_pose': dose",
        "breath_out_seconds",
        "give both breath_in_seconds and breath_out_seconds",
        id="dose-only-breath-in",
    ),
    pytest.param(
        "poses.toml",
        'hold = "sphinx"',
        'hold = "sphynx"',
        "exercise 'cobra'",
        "hold",
        "no pose 'sphynx' in this file",
        id="pose-unknown",
    ),
    pytest.param(
        "poses.toml",
        "knee = [6.0, 4.4]",
        "knee = [60, 4.4]",
        "pose 'knee_hugged'",
        "knee",
        "[60.0, 4.4] is off the drawing (y from -1, both up to 40)",
        id="pose-point-off-the-drawing",
    ),
    pytest.param(
        "spoken.toml",
        'count = "{seconds}"',
        'count = "{second}"',
        None,
        "count",
        "unknown placeholder {second} (use: {seconds})",
        id="spoken-unknown-placeholder",
    ),
    pytest.param(
        "exercises.toml",
        'condition = "wrist"\nadvice = "Keep the weight off',
        'condition = "back"\nadvice = "Keep the weight off',
        "exercise 'cobra': caution 2",
        "condition",
        "'back' is not one of osteoporosis, pregnancy, knee, wrist",
        id="caution-unknown-condition",
    ),
    pytest.param(
        "routines/gentle.toml",
        'exercise = "childs_pose"',
        'exercise = "plank"',
        "step 2",
        "exercise",
        "unknown exercise 'plank' (known: knee_to_chest, cobra, childs_pose, cat_cow, "
        "pelvic_tilt, bridge, bird_dog, slow_breathing, muscle_relaxation, body_scan)",
        id="routine-unknown-exercise",
    ),
    pytest.param(
        "routines/gentle.toml",
        "hold_seconds = 20",
        "hold_seconds = 20.5",
        "step 1",
        "hold_seconds",
        "expected a whole number, got 20.5",
        id="routine-hold-not-integer",
    ),
    pytest.param(
        "routines/gentle.toml",
        "hold_seconds = 20",
        'hold_seconds = "20"',
        "step 1",
        "hold_seconds",
        "expected a whole number, got '20'",
        id="routine-hold-text",
    ),
    pytest.param(
        "routines/gentle.toml",
        "hold_seconds = 20",
        "hold_seconds = 20\nbreath_in_seconds = 4",
        "step 1",
        "breath_out_seconds",
        "give both breath_in_seconds and breath_out_seconds",
        id="routine-override-only-breath-in",
    ),
    pytest.param(
        "routines/gentle.toml",
        "hold_seconds = 20",
        "hold = 20",
        "step 1",
        "hold",
        "not a step field",
        id="routine-misspelt-field",
    ),
    pytest.param(
        "thermal.toml",
        "cap_minutes = 20\nskin_check_minutes = 5\ngap_minutes = 60",
        "cap_minutes = 30\nskin_check_minutes = 5\ngap_minutes = 60",
        "[heat]",
        "cap_minutes",
        "30 is outside 1-20",
        id="heat-cap-over-20",
    ),
    # ---- sources and regions
    pytest.param(
        "sources.toml",
        'url = "https://www.nhs.uk/conditions/cauda-equina-syndrome/"',
        'url = "www.nhs.uk/conditions/cauda-equina-syndrome/"',
        "sources.NHS-CES",
        "url",
        "'www.nhs.uk/conditions/cauda-equina-syndrome/' is not an https:// address",
        id="source-url-not-https",
    ),
    pytest.param(
        "sources.toml",
        "[sources.NHS-CES]\n",
        '[sources.NHS-CES]\npublisher = "NHS"\n',
        "sources.NHS-CES",
        "publisher",
        "not a source field",
        id="source-unknown-field",
    ),
    pytest.param(
        "regions.toml",
        'name = "New Zealand"\n',
        'name = "New Zealand"\nemergency_number = "111"\n',
        "regions.nz",
        "emergency_number",
        "not a region field",
        id="region-unknown-field",
    ),
    pytest.param(
        "regions.toml",
        'emergency = "000"',
        'emergency = "triple zero"',
        "regions.au",
        "emergency",
        "'triple zero': an emergency number is 3 to 6 digits",
        id="region-emergency-not-digits",
    ),
    pytest.param(
        "regions.toml",
        'emergency = "000"',
        'emergency = "00"',
        "regions.au",
        "emergency",
        "'00': an emergency number is 3 to 6 digits",
        id="region-emergency-too-short",
    ),
    pytest.param(
        "regions.toml",
        'emergency = "000"',
        'emergency = "1234567"',
        "regions.au",
        "emergency",
        "'1234567': an emergency number is 3 to 6 digits",
        id="region-emergency-too-long",
    ),
    pytest.param(
        "regions.toml",
        'emergency = "000"',
        'emergency = "٠٠٠"',
        "regions.au",
        "emergency",
        "'٠٠٠': an emergency number is 3 to 6 digits",
        id="region-emergency-other-digits",
    ),
    pytest.param(
        "regions.toml",
        'territories = ["IE"]',
        'territories = ["IE", "GB"]',
        "regions.ie",
        "territories",
        "GB is in region 'uk'",
        id="region-territory-twice",
    ),
    pytest.param(
        "regions.toml",
        'territories = ["NZ"]',
        'territories = ["New Zealand"]',
        "regions.nz",
        "territories",
        "'New Zealand' is not an ISO 3166 code (GB)",
        id="region-territory-not-a-code",
    ),
    # ---- placeholders
    pytest.param(
        "red_flags.toml",
        "Call {emergency} for an ambulance, or go to {emergency_place} now",
        "Call {ambulance} for an ambulance, or go to {emergency_place} now",
        "levels.emergency",
        "action",
        "unknown placeholder {ambulance} (use: {emergency}, {emergency_place}, {doctor}, {urgent})",
        id="level-unknown-placeholder",
    ),
    pytest.param(
        "red_flags.toml",
        'question = "Are you pregnant?"',
        'question = "Are you pregnant? Call {emergency}."',
        "flag 'pregnant'",
        "question",
        "unknown placeholder {emergency} (use: none here)",
        id="flag-placeholder-not-filled-there",
    ),
    pytest.param(
        "education.toml",
        '"Not sure? Get advice today: {urgent}."',
        '"Not sure? Get advice today: {urgent."',
        "card 'when_to_get_help'",
        "lines",
        "a lone { or }: placeholders are written {name}",
        id="card-lone-brace",
    ),
    pytest.param(
        "red_flags.toml",
        "since your check at {time}?",
        "since your check on {date}?",
        "quick_check",
        "anything_new_question",
        "unknown placeholder {date} (use: {time})",
        id="quick-check-unknown-placeholder",
    ),
    # ---- red flags: short phrase, conditions, quick check
    pytest.param(
        "red_flags.toml",
        'short = "You are pregnant"',
        'short = "You are pregnant, or you think you might be, or you are trying for a baby"',
        "flag 'pregnant'",
        "short",
        "73 characters; keep it to 60",
        id="flag-short-too-long",
    ),
    pytest.param(
        "red_flags.toml",
        'short = "New chest pain with the back pain"\n',
        "",
        "flag 'chest_pain'",
        "short",
        "missing",
        id="flag-short-missing",
    ),
    pytest.param(
        "red_flags.toml",
        'ask_when = "recent_session"',
        'ask_when = "sometimes"',
        "flag 'exercise_made_worse'",
        "ask_when",
        "'sometimes' is not one of recent_session",
        id="flag-unknown-ask-when",
    ),
    pytest.param(
        "red_flags.toml",
        'ask_when = "recent_session"',
        "",
        "flag 'exercise_made_worse'",
        "recent_session_days",
        'only with ask_when = "recent_session"',
        id="flag-days-without-ask-when",
    ),
    pytest.param(
        "red_flags.toml",
        'answered_by_caution = "pregnancy"',
        'answered_by_caution = "pregnant"',
        "flag 'pregnant'",
        "answered_by_caution",
        "'pregnant' is not one of osteoporosis, pregnancy, knee, wrist",
        id="flag-unknown-caution",
    ),
    pytest.param(
        "red_flags.toml",
        '  "sudden_pain_faint",\n]',
        '  "sudden_pain_faint",\n  "fever",\n]',
        "quick_check",
        "signs",
        "'fever' is urgent, not emergency",
        id="quick-check-sign-not-emergency",
    ),
    pytest.param(
        "red_flags.toml",
        '  "sudden_pain_faint",\n]',
        '  "sudden_pain_faint",\n  "numb_toes",\n]',
        "quick_check",
        "signs",
        "unknown red-flag id 'numb_toes'",
        id="quick-check-unknown-sign",
    ),
    pytest.param(
        "red_flags.toml",
        'full_every = "day"',
        'full_every = "week"',
        "quick_check",
        "full_every",
        "'week' is not one of day, session",
        id="quick-check-full-every",
    ),
    pytest.param(
        "red_flags.toml",
        'full_every = "day"',
        'full_every = "day"\nask_every = "session"',
        "quick_check",
        "ask_every",
        "not a quick_check field",
        id="quick-check-unknown-field",
    ),
    # ---- exercises: kind, flow, words, cues
    pytest.param(
        "exercises.toml",
        'name = "Bridge"\nkind = "strength"',
        'name = "Bridge"\nkind = "cardio"',
        "exercise 'bridge'",
        "kind",
        "'cardio' is not one of stretch, strength, relaxation",
        id="exercise-unknown-kind",
    ),
    pytest.param(
        "exercises.toml",
        'name = "Bridge"\n',
        'name = "Bridge"\nside = "left"\n',
        "exercise 'bridge'",
        "side",
        "not an exercise field",
        id="exercise-unknown-field",
    ),
    pytest.param(
        "exercises.toml",
        "hold_seconds = 10\nrepetitions = 8\n",
        "hold_seconds = 12\nrepetitions = 8\n",
        "exercise 'cat_cow'",
        "flow",
        "a flow exercise needs a paced dose whose hold_seconds is one breath "
        "(breath_in_seconds + breath_out_seconds)",
        id="flow-hold-not-one-breath",
    ),
    pytest.param(
        "exercises.toml",
        'hold_word = "TENSE"',
        'hold_word = "tense"',
        "exercise 'muscle_relaxation'",
        "hold_word",
        "write it in capitals, at most 12 characters",
        id="hold-word-not-capitals",
    ),
    pytest.param(
        "exercises.toml",
        "hold_seconds = 20\nrepetitions = 7",
        "hold_seconds = 20\nrepetitions = 6",
        "exercise 'body_scan'",
        "cues",
        "7 cues for 6 repetitions: give one a repetition",
        id="cues-length-mismatch",
    ),
    pytest.param(
        "exercises.toml",
        'action = "skip"\nsource = ["NHS-PREG-EX"]\n\n[[exercise]]\nid = "bird_dog"',
        'action = "skip"\nmodified = "Lift less."\nsource = ["NHS-PREG-EX"]\n\n[[exercise]]\n'
        'id = "bird_dog"',
        "exercise 'bridge': caution 1",
        "modified",
        'only with action = "modify"',
        id="caution-skip-with-modified",
    ),
    pytest.param(
        "exercises.toml",
        "hold_seconds = 5\nrepetitions = 5\nsided = true\n",
        'hold_seconds = 5\nrepetitions = 5\nsided = true\nside = "left"\n',
        "exercise 'bird_dog': dose",
        "side",
        "not a dose field; did you mean 'sided'?",
        id="dose-unknown-field",
    ),
    # ---- usual dose ranges, and where a built-in routine's exercises come from
    pytest.param(
        "exercises.toml",
        "hold_seconds = 8\nrepetitions = 8",
        "hold_seconds = 12\nrepetitions = 8",
        "exercise 'cobra': dose_range",
        "hold_seconds",
        "the default dose (12) is outside this range",
        id="default-dose-outside-its-range",
    ),
    pytest.param(
        "exercises.toml",
        "hold_seconds = [5, 30]",
        "hold_seconds = [30, 20]",
        "exercise 'knee_to_chest': dose_range",
        "hold_seconds",
        "expected [lowest, highest]: whole numbers from 1 to 120, lowest first",
        id="dose-range-backwards",
    ),
    pytest.param(
        "routines/gentle.toml",
        'source = ["NHSI-EX", "NHS-EX", "ACSM-2021", "UW-CAT"]\n',
        'source = ["NHSI-EX", "NHS-EX", "ACSM-2021", "UW-CAT"]\n[[exercise]]\nid = "plank"\n',
        None,
        "exercise",
        "a built-in routine takes its exercises from exercises.toml",
        id="built-in-routine-with-its-own-exercise",
    ),
    # ---- doses cite what says them (CLINICAL.md section 7)
    pytest.param(
        "exercises.toml",
        'follows = "ACSM-2021"\nfollows_why = ',
        "# follows_why = ",
        "exercise 'knee_to_chest': dose_range",
        "follows",
        "the default dose differs from MAYO-STRETCH, MAYO-BASIC, CSP-BP: say which follows",
        id="dose-differs-and-says-no-source",
    ),
    pytest.param(
        "exercises.toml",
        "says.CSP-BP = { hold_seconds = [5, 5] }\n",
        "",
        "exercise 'knee_to_chest': dose_range",
        "says",
        "say what CSP-BP states for this dose",
        id="dose-source-without-its-statement",
    ),
    pytest.param(
        "exercises.toml",
        "says.NHS-EX = { hold_seconds = [5, 10], repetitions = [8, 10] }",
        "says.NHS-EX = { hold_seconds = [5, 15], repetitions = [8, 10] }",
        "exercise 'cobra': dose_range",
        "hold_seconds",
        "the range must cover what each source says",
        id="dose-range-narrower-than-its-sources",
    ),
    # ---- per-sign actions and conditions
    pytest.param(
        "red_flags.toml",
        'level = "emergency"\naction = "ambulance"\nquestion = "Do you have new chest pain',
        'level = "emergency"\nquestion = "Do you have new chest pain',
        "flag 'chest_pain'",
        "action",
        "an emergency sign says what to do: give its action",
        id="emergency-sign-without-an-action",
    ),
    pytest.param(
        "red_flags.toml",
        'level = "emergency"\naction = "ambulance"\nquestion = "Do you have new chest pain',
        'level = "emergency"\naction = "maternity"\nquestion = "Do you have new chest pain',
        "flag 'chest_pain'",
        "action",
        "'maternity' is for urgent signs",
        id="action-of-another-level",
    ),
    pytest.param(
        "red_flags.toml",
        'ask_if_yes = "pregnant"',
        'ask_if_yes = "expecting"',
        "flag 'pregnancy_warning_signs'",
        "ask_if_yes",
        "'expecting' is not a flag asked before this one",
        id="condition-on-an-unknown-flag",
    ),
    pytest.param(
        "regions.toml",
        'service_names = ["Healthline", "0800 611 116"]',
        'service_names = ["Healthline", "0800 611 117"]',
        "regions.nz",
        "service_names",
        "'0800 611 117' is not in this region's words",
        id="region-service-name-it-does-not-say",
    ),
    # ---- routines: kind, the offer rule, overrides against cues and flow
    pytest.param(
        "routines/relaxation.toml",
        'kind = "relaxation"',
        'kind = "calm"',
        None,
        "kind",
        "'calm' is not one of stretching, strengthening, relaxation",
        id="routine-unknown-kind",
    ),
    pytest.param(
        "routines/getting_stronger.toml",
        "offer_when_pain_at_most = 3",
        "offer_when_pain_at_most = 11",
        None,
        "offer_when_pain_at_most",
        "11 is outside 0-10",
        id="routine-offer-out-of-range",
    ),
    pytest.param(
        "routines/getting_stronger.toml",
        'source = ["NHS-EX", "NHSI-EX", "CSP-BP", "NICE-NG59"]\n',
        "",
        None,
        "source",
        "cite the source of offer_when_pain_at_most",
        id="routine-offer-without-source",
    ),
    pytest.param(
        "routines/getting_stronger.toml",
        "offer_when_pain_at_most = 3",
        "offer_when_pain_at_mots = 3",
        None,
        "offer_when_pain_at_mots",
        "not a routine field; did you mean 'offer_when_pain_at_most'?",
        id="routine-misspelt-top-field",
    ),
    pytest.param(
        "routines/relaxation.toml",
        'exercise = "body_scan"',
        'exercise = "body_scan"\nrepetitions = 8',
        "step 2",
        "repetitions",
        "'body_scan' has 7 cues, one a repetition: 8 is too many",
        id="routine-more-repetitions-than-cues",
    ),
    pytest.param(
        "routines/gentle.toml",
        'exercise = "cat_cow"\n',
        'exercise = "cat_cow"\nhold_seconds = 12\n',
        "step 3",
        "hold_seconds",
        "'cat_cow' moves with the breath: hold_seconds must be one breath (5 + 5 s)",
        id="routine-flow-hold-not-one-breath",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "item", "field", "problem"), BROKEN)
def test_broken_file_names_file_item_and_field(
    data_copy: Path, file: str, old: str, new: str, item: str | None, field: str, problem: str
) -> None:
    _mutate(data_copy, file, old, new)
    with pytest.raises(ContentError) as caught:
        load_content(data_copy)
    error = caught.value
    assert (error.file, error.item, error.field) == (file, item, field)
    assert error.problem == problem
    where = f"{file}: {item}" if item else file
    assert str(error) == f"{where}: field '{field}': {problem}"


@pytest.mark.parametrize("number", ["112", "10177", "123456"])
def test_an_emergency_number_is_3_to_6_digits(data_copy: Path, number: str) -> None:
    _mutate(data_copy, "regions.toml", 'emergency = "000"', f'emergency = "{number}"')
    assert load_content(data_copy).regions["au"].emergency == number


def test_a_source_is_given_once_in_sources_or_regions(data_copy: Path) -> None:
    with (data_copy / "regions.toml").open("a", encoding="utf-8") as regions:
        regions.write('\n[sources.NHS-CES]\ntitle = "Again"\nurl = "https://example.org/"\n')
    with pytest.raises(ContentError) as caught:
        load_content(data_copy)
    error = caught.value
    assert (error.file, error.item, error.problem) == (
        "regions.toml",
        "sources.NHS-CES",
        "this source id is given twice",
    )


def test_invalid_toml_names_the_file_and_line(data_copy: Path) -> None:
    _mutate(data_copy, "red_flags.toml", 'id = "saddle_numbness"', 'id = "saddle_numbness')
    with pytest.raises(ContentError) as caught:
        load_content(data_copy)
    message = str(caught.value)
    assert message.startswith(f"{data_copy / 'red_flags.toml'}: not valid TOML")
    lines = (data_copy / "red_flags.toml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith('id = "saddle'))
    assert f"line {line}" in message


def test_a_missing_content_file_is_named(data_copy: Path) -> None:
    (data_copy / "thermal.toml").unlink()
    with pytest.raises(ContentError, match=r"thermal\.toml: file not found"):
        load_content(data_copy)


def test_two_routines_with_one_id_are_refused(data_copy: Path) -> None:
    shutil.copy(data_copy / "routines/gentle.toml", data_copy / "routines/gentle2.toml")
    with pytest.raises(ContentError, match=r"routines/gentle2\.toml: field 'id': .*used twice"):
        load_content(data_copy)


# ---- a user's own routine file -------------------------------------------------------------

PHYSIO = """\
id = "physio"
name = "From my physio"
description = "Two moves, longer sphinx."

[[step]]
exercise = "cobra"
hold_seconds = 6
repetitions = 10

[[step]]
exercise = "knee_to_chest"
"""


def test_user_routine_overrides_merge_into_the_exercise_dose(
    tmp_path: Path, content: Content
) -> None:
    path = tmp_path / "physio.toml"
    path.write_text(PHYSIO, encoding="utf-8")
    routine = load_routine_file(path, content)
    cobra, knee = content.exercises["cobra"], content.exercises["knee_to_chest"]
    assert (routine.id, routine.name, routine.path, routine.sources) == (
        "physio",
        "From my physio",
        path,
        (),
    )
    assert [step.exercise for step in routine.steps] == [cobra, knee]
    assert routine.steps[0].dose == replace(cobra.dose, hold_seconds=6, repetitions=10)
    assert routine.steps[0].dose.rest_seconds == cobra.dose.rest_seconds
    assert routine.steps[1].dose == knee.dose
    assert cobra.dose.hold_seconds != 6  # the library itself is untouched


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            PHYSIO.replace('"cobra"', '"plank"'),
            "step 1: field 'exercise': unknown exercise 'plank'",
            id="unknown-exercise",
        ),
        pytest.param(
            PHYSIO.replace("repetitions = 10", "repetitions = 0"),
            "step 1: field 'repetitions': 0 is outside 1-30",
            id="zero-repetitions",
        ),
        pytest.param(
            PHYSIO.replace('name = "From my physio"\n', ""),
            "field 'name': missing",
            id="no-name",
        ),
        pytest.param(
            PHYSIO.split("[[step]]", maxsplit=1)[0],
            "field 'step': a routine needs at least one [[step]]",
            id="no-steps",
        ),
        pytest.param(PHYSIO.replace('id = "physio"', "id = physio"), "not valid TOML", id="toml"),
    ],
)
def test_invalid_user_routine_names_its_path(
    tmp_path: Path, content: Content, text: str, expected: str
) -> None:
    path = tmp_path / "physio.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_routine_file(path, content)
    assert str(caught.value).startswith(f"{path}: ")
    assert expected in str(caught.value)


def test_missing_user_routine_file_names_its_path(tmp_path: Path, content: Content) -> None:
    path = tmp_path / "nowhere" / "physio.toml"
    with pytest.raises(ContentError) as caught:
        load_routine_file(path, content)
    assert str(caught.value) == f"{path}: file not found"


def test_the_readme_names_the_getting_stronger_threshold_in_data(content: Content) -> None:
    """One threshold, in data/ (the plan's move to Get stronger, never above the strengthening
    routine's own): the README says the same number."""
    from pathlib import Path

    from spasm_coach.plans import built_in_plans

    plan = built_in_plans(content)["recovery"]
    move = next(stage for stage in plan.stages if stage.id == "move")
    assert move.move_on is not None
    at_most = move.move_on.scores_at_most
    routine_at_most = content.routines["getting_stronger"].offer_when_pain_at_most
    assert routine_at_most is not None
    assert at_most <= routine_at_most
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    said = " ".join(readme.split())
    assert f"Getting stronger needs your last 3 scores to be {at_most} or less" in said
