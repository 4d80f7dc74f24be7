"""Each app has everything its screens are allowed to see (tui.coach's interfaces).

mypy checks the coach against `Coach` where it hands itself to a flow; clinic mode's app is
handed to nothing typed, so this test checks both, member by member, on real apps.
"""

from __future__ import annotations

from typing_extensions import get_protocol_members

from spasm_coach.content import load_content
from spasm_coach.tui.app import make_app
from spasm_coach.tui.clinic import ClinicApp
from spasm_coach.tui.coach import Coach, Demo


def test_the_coach_is_what_its_screens_see() -> None:
    coach: Coach = make_app()
    missing = {name for name in get_protocol_members(Coach) if not hasattr(coach, name)}
    assert not missing


def test_clinic_mode_is_what_its_screens_see() -> None:
    demo: Demo = ClinicApp(next(iter(load_content().routines.values())))
    missing = {name for name in get_protocol_members(Demo) if not hasattr(demo, name)}
    assert not missing
