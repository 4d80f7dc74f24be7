"""Screens that know their app: `self.app` is the CoachApp, typed, on every screen and dialog.

Screens reach the journal, the settings and the content through the app, and move to other
screens through the app's methods, so no screen imports another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual import events, on
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from spasm_coach.tui.app import CoachApp

ResultT = TypeVar("ResultT")


class CoachScreen(Screen[ResultT]):
    shows_safety_card = False
    """This screen shows a safety card: no notification may cover it (the app holds them)."""

    @property
    def app(self) -> CoachApp:  # type: ignore[override]  # Textual types it as any App
        return cast("CoachApp", super().app)

    @on(events.ScreenResume)
    def _cards_first(self) -> None:
        if self.shows_safety_card:
            self.app.card_shown()
        else:
            self.app.card_gone()
        self.app.show_save_state(self)


class CoachModal(ModalScreen[ResultT]):
    @property
    def app(self) -> CoachApp:  # type: ignore[override]  # Textual types it as any App
        return cast("CoachApp", super().app)
