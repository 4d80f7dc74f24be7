"""Hypothesis over the files people edit by hand: routine and plan files (a physio's) and
settings.toml.

A routine file, however wrong (values of the wrong type, huge numbers, unknown keys, nesting,
control characters, text that is not TOML), is checked into problems, never an exception;
`routines validate` exits 0 or 1 with no traceback; and a routine that passes can be planned
and expanded into a session's steps. A plan file likewise, and a plan that passes is followed
over a log without an error. Settings of any shape always load: each value is of its
type or its default, with the problem said, and what loads saves and loads back the same."""

from __future__ import annotations

import json
import math
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.factory import add_pain
from tests.faults.tally import Tally
from tests.faults.test_fuzz_cli import run_main

from spasm_coach.content import Content, check_routine_text
from spasm_coach.session import plan_session
from spasm_coach.settings import KNOWN, Settings, load_settings, save_settings
from spasm_coach.vocabulary import CONDITIONS, PainContext

pytestmark = pytest.mark.fault("Hypothesis: routine, plan and settings files")


def toml(value: Any) -> str:
    """A value as inline TOML: tables inline, so any shape can be written on one line; TOML has
    no null, so None is written as an empty table."""
    if value is None:
        return "{}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml(v)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(toml(item) for item in value) + "]"


def toml_document(doc: dict[str, Any]) -> str:
    return "".join(f"{json.dumps(key)} = {toml(value)}\n" for key, value in doc.items())


ROUTINE = {
    "id": "clinic-jones",
    "name": "Clinic Jones: left side",
    "description": "Knee to chest on the left, then a short sphinx.",
    "step": [
        {"exercise": "knee_to_chest", "side": "left", "hold_seconds": 25, "repetitions": 3},
        {"exercise": "cobra", "hold_seconds": 6, "repetitions": 10, "rest_seconds": 5},
        {"exercise": "wall_hip_hinge"},
    ],
    "exercise": [
        {
            "id": "wall_hip_hinge",
            "name": "Wall hip hinge",
            "kind": "strength",
            "summary": "Standing, push your bottom back toward a wall.",
            "start_position": ["Stand with your back to a wall."],
            "movement": ["Push your bottom back.", "Hold. Breathe normally."],
            "feel": "Your buttocks working.",
            "stop_if": ["Sharp, severe or new pain."],
            "figure": ["  O\n  |\\\n / \\"],
            "dose": {"hold_seconds": 3, "repetitions": 8, "rest_seconds": 5},
            "dose_range": {"hold_seconds": [2, 5], "repetitions": [5, 12]},
            "caution": [
                {
                    "condition": "knee",
                    "advice": "Keep it small.",
                    "action": "modify",
                    "modified": "Push back only a little way.",
                }
            ],
        }
    ],
}
ODD_TEXT = st.one_of(
    st.text(st.characters(codec=None, exclude_categories=["Cs"]), max_size=20),
    st.sampled_from(["[/x]", "[b]bold[/b]", "\\[x]", "\x1b[31m", "\0", "\u202e", "a\nb", ""]),
)
ANY_VALUE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**63), 2**63 - 1),
        st.sampled_from([0, -1, 121, 31, 10**9, 2**63 - 1]),
        st.floats(allow_nan=True, allow_infinity=True),
        ODD_TEXT,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def routine_texts(draw: st.DrawFn, base: dict[str, Any] = ROUTINE) -> str:
    """`base` (a routine by default) as TOML, with a few of its values changed, removed or
    added at any depth; one in ten is not TOML at all."""
    if draw(st.integers(0, 9)) == 0:  # not TOML at all
        return draw(st.text(max_size=200))
    doc = json.loads(json.dumps(base))
    for _ in range(draw(st.integers(0, 4))):
        holder: Any = doc
        while True:
            keys = list(holder) if isinstance(holder, dict) else list(range(len(holder)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            if isinstance(holder[key], dict | list) and holder[key] and draw(st.booleans()):
                holder = holder[key]
                continue
            what = draw(st.sampled_from(["replace", "replace", "remove", "add"]))
            if what == "replace":
                holder[key] = draw(ANY_VALUE)
            elif what == "remove" and isinstance(holder, dict):
                del holder[key]
            elif isinstance(holder, dict):
                holder[draw(st.text(min_size=1, max_size=8))] = draw(ANY_VALUE)
            break
    return toml_document({key: value for key, value in doc.items() if value is not None})


def test_any_routine_file_is_checked_into_problems(
    tmp_path: Path, tally: Tally, content: Content
) -> None:
    accepted = 0

    @settings(max_examples=200)
    @given(routine_texts())
    def one(text: str) -> None:
        nonlocal accepted
        tally.tried += 1
        check = check_routine_text(text, "routine.toml", content)
        for problem in check.problems:
            assert str(problem)
        if check.routine is None:
            assert check.errors, "refused without a single error"
            return
        accepted += 1
        assert not check.errors
        assert plan_session(check.routine, ()).steps, "a routine that passed has no steps"
        cautious = plan_session(check.routine, CONDITIONS)
        assert cautious.steps or cautious.left_out

    one()
    tally.how.add(f"routines: {accepted} of {tally.tried} passed and were planned")

    files = tmp_path / "routines"
    files.mkdir()

    @settings(max_examples=40)
    @given(routine_texts(), st.booleans())
    def validate(text: str, raw: bool) -> None:
        tally.tried += 1
        file = files / "routine.toml"
        file.write_bytes(text.encode("utf-8", "surrogateescape") + (b"\xff" if raw else b""))
        code, _, err = run_main(["routines", "validate", str(file)])
        assert code in (0, 1), (code, err)
        assert "Traceback" not in err
        assert "unexpected error" not in err

    validate()
    tally.done()


def test_any_plan_file_is_checked_into_problems_and_a_good_one_followed(
    tmp_path: Path, tally: Tally, content: Content
) -> None:
    import tomllib

    from tests.unit.test_plan_files import GOOD

    from spasm_coach.clock import FakeClock
    from spasm_coach.journey import standing
    from spasm_coach.plans import built_in_plans, check_plan_text
    from spasm_coach.store import Store

    built_in = built_in_plans(content)
    base = tomllib.loads(GOOD.replace('"clinic-jones"', '"standard"'))
    clock = FakeClock()
    store = Store.in_memory()
    for hours, score in enumerate((6, 4, 3, 8)):
        add_pain(store, score, clock.now() - timedelta(hours=hours), PainContext.CHECK_IN)
    accepted = 0

    @settings(max_examples=200)
    @given(routine_texts(base))
    def one(text: str) -> None:
        nonlocal accepted
        tally.tried += 1
        check = check_plan_text(text, "plan.toml", content, content.routines, built_in=built_in)
        for problem in check.problems:
            assert str(problem)
        if check.plan is None:
            assert check.errors, "refused without a single error"
            return
        accepted += 1
        where = standing(check.plan, store, clock.now())
        assert where.lines()

    one()
    tally.how.add(f"plans: {accepted} of {tally.tried} passed and were followed")

    files = tmp_path / "plans"
    files.mkdir()

    @settings(max_examples=30)
    @given(routine_texts(base), st.booleans())
    def validate(text: str, raw: bool) -> None:
        tally.tried += 1
        file = files / "plan.toml"
        file.write_bytes(text.encode("utf-8", "surrogateescape") + (b"\xff" if raw else b""))
        code, _, err = run_main(["plans", "validate", str(file)])
        assert code in (0, 1), (code, err)
        assert "Traceback" not in err
        assert "unexpected error" not in err

    validate()
    tally.done()


SETTING_VALUES = st.one_of(
    ANY_VALUE,
    st.sampled_from(["uk", "us", "eu", "nowhere", "", " "]),
    st.lists(st.sampled_from([*CONDITIONS, "knees", ""]), max_size=3),
)


@st.composite
def settings_texts(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=100))
    keys = st.one_of(st.sampled_from(KNOWN), st.text(min_size=1, max_size=10))
    doc = draw(st.dictionaries(keys, SETTING_VALUES, max_size=6))
    text = toml_document({key: value for key, value in doc.items() if value is not None})
    return text.encode("utf-8", "surrogatepass")


def well_typed(loaded: Settings) -> bool:
    return (
        (loaded.region is None or isinstance(loaded.region, str))
        and all(isinstance(v, bool) for v in (loaded.sounds, loaded.speech, loaded.reduced_motion))
        and (loaded.cautions is None or all(c in CONDITIONS for c in loaded.cautions))
        and (
            loaded.thermal_contraindications is None
            or all(isinstance(c, str) for c in loaded.thermal_contraindications)
        )
        and isinstance(loaded.default_routine, str)
        and type(loaded.session_every_hours) is int
        and 1 <= loaded.session_every_hours <= 24
    )


def test_any_settings_file_loads(tmp_path: Path, tally: Tally) -> None:
    path = tmp_path / "settings.toml"

    @settings(max_examples=200)
    @given(settings_texts())
    def one(data: bytes) -> None:
        tally.tried += 1
        path.write_bytes(data)
        loaded = load_settings(path)
        assert well_typed(loaded), loaded
        save_settings(path, replace_problem(loaded))
        again = load_settings(path)
        assert again.problem is None, again.problem
        assert again == loaded

    one()
    tally.done()


def replace_problem(loaded: Settings) -> Settings:
    """What the coach saves: the values, the broken file set aside only if it had a problem."""
    from dataclasses import replace

    return replace(loaded, problem=None)
