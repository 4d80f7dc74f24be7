"""With NO_COLOR set the coach is monochrome, and its warnings still say what they mean."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.pilot.drive import answer_all_no, start_app, visible_text, wait_for

from spasm_coach.content import Content
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.screens.red_flags import OutcomeScreen

Coach = Callable[..., CoachApp]


async def test_no_color_still_says_emergency_in_words(
    coach: Coach, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = coach()
    assert app.no_color
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes=["bladder_change"])
        await wait_for(pilot, OutcomeScreen)
        shown = visible_text(app)
        assert "EMERGENCY" in shown
        assert "No stretches" in shown
