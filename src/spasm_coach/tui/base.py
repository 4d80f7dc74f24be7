"""Screens that know their coach: `self.coach` is the app as a screen sees it (tui.coach.Coach),
typed, on every screen and dialog.

Screens reach the journal, the settings and the content through it, and move to other screens
through its methods, so no screen imports another, nor the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual import events, on
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from spasm_coach.tui.coach import Coach

ResultT = TypeVar("ResultT")


class CoachScreen(Screen[ResultT]):
    shows_safety_card = False
    """This screen shows a safety card: no notification may cover it (the app holds them)."""

    @property
    def coach(self) -> Coach:
        """The app as a screen sees it (Textual's own workings stay on `self.app`)."""
        return cast("Coach", self.app)

    @on(events.ScreenResume)
    def _cards_first(self) -> None:
        if self.shows_safety_card:
            self.coach.card_shown()
        else:
            self.coach.card_gone()
        self.coach.show_save_state(self)


class CoachModal(ModalScreen[ResultT]):
    @property
    def coach(self) -> Coach:
        """The app as a dialog sees it (Textual's own workings stay on `self.app`)."""
        return cast("Coach", self.app)
