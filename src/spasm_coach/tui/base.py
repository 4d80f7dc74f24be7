"""Screens that know their app: `self.app` is the CoachApp, typed, on every screen and dialog.

Screens reach the journal, the settings and the content through the app, and move to other
screens through the app's methods, so no screen imports another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from spasm_coach.tui.app import CoachApp

ResultT = TypeVar("ResultT")


class CoachScreen(Screen[ResultT]):
    @property
    def app(self) -> CoachApp:  # type: ignore[override]
        return cast("CoachApp", super().app)


class CoachModal(ModalScreen[ResultT]):
    @property
    def app(self) -> CoachApp:  # type: ignore[override]
        return cast("CoachApp", super().app)
