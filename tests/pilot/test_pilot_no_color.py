"""With NO_COLOR set the coach is monochrome, and its warnings still say what they mean."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rich.color import Color
from tests.pilot.drive import answer_all_no, start_app, visible_text, wait_for
from textual.geometry import Region
from textual.widget import Widget

from spasm_coach.content import Content
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.screens.red_flags import OutcomeScreen

Coach = Callable[..., CoachApp]


def colours_drawn(app: CoachApp) -> set[tuple[int, int, int]]:
    """Every colour other than a grey on the screen as drawn (Textual's NO_COLOR filter
    included), text and background."""
    found: set[tuple[int, int, int]] = set()
    for widget in app.screen.walk_children():
        assert isinstance(widget, Widget)
        if not widget.display or not widget.size.area:
            continue
        for strip in widget.render_lines(Region(0, 0, *widget.size)):
            for segment in strip:
                style = segment.style
                colours: list[Color | None] = [style.color, style.bgcolor] if style else []
                for colour in filter(None, colours):
                    if colour.is_default:
                        continue
                    red, green, blue = colour.get_truecolor()
                    if not red == green == blue:
                        found.add((red, green, blue))
    return found


async def emergency_card(app: CoachApp, content: Content) -> set[tuple[int, int, int]]:
    """The emergency card's colours, once it shows in words."""
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes=["bladder_change"])
        await wait_for(pilot, OutcomeScreen)
        shown = visible_text(app)
        assert "EMERGENCY" in shown
        assert "No stretches" in shown
        return colours_drawn(app)


async def test_no_color_draws_the_emergency_card_in_greys_and_words(
    coach: Coach, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert await emergency_card(coach(), content) == set()


async def test_without_no_color_the_card_is_in_colour(
    coach: Coach, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side: the check above sees colour where there is some."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert await emergency_card(coach(), content)
