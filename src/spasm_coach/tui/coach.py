"""What a screen sees of its app: what it may read, and what it may ask the app to do.

Screens, dialogs and the flows are typed against these small interfaces rather than the app
classes, so no screen imports an app module (not even for its types) and each app is checked
against the interface where it hands itself to a flow (and, member by member, by a test). The
log is given as a LogReader: a screen reads it, and writes only through the journal. Textual's
own workings (pushing and popping screens, the size, the focused widget) stay on `Screen.app`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen
    from textual.worker import Worker

    from spasm_coach.clock import Clock
    from spasm_coach.content import Content, Region, Routine, SpokenWords
    from spasm_coach.journal import Journal
    from spasm_coach.journey import Standing
    from spasm_coach.log_reader import LogReader
    from spasm_coach.plans import Stage
    from spasm_coach.records import Application, PlanChange
    from spasm_coach.remind import Reminders
    from spasm_coach.settings import Settings
    from spasm_coach.speech import Speaker
    from spasm_coach.thermal import ThermalTimer
    from spasm_coach.vocabulary import PainContext, ThermalKind

ResultT = TypeVar("ResultT")


@dataclass
class ActiveThermal:
    """Heat or ice on now: its timer, and its record in the log."""

    timer: ThermalTimer
    application: Application


class RunningSession(Protocol):
    """The session player as the app sees it: it must be stopped when the coach closes, and
    'this hurts' reaches it from any screen."""

    @property
    def running(self) -> bool: ...

    @property
    def is_active(self) -> bool:
        """On top of the screen stack (Textual's Screen.is_active)."""
        ...

    def interrupt(self, now: float) -> None: ...

    def action_hurts(self) -> None: ...


class Coach(Protocol):
    """The coach's app (tui.app.CoachApp) as its screens, dialogs and flows see it."""

    # --- what a screen reads ---------------------------------------------------------------

    @property
    def clock(self) -> Clock: ...

    @property
    def content(self) -> Content: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def store(self) -> LogReader: ...

    @property
    def journal(self) -> Journal:
        """Every write to the log, at the clock's time."""
        ...

    @property
    def speaker(self) -> Speaker | None: ...

    @property
    def no_speaker_words(self) -> str: ...

    @property
    def region(self) -> Region | None: ...

    @property
    def thermal(self) -> ActiveThermal | None: ...

    @property
    def chosen_routine(self) -> Routine | None: ...

    @property
    def quitting(self) -> bool: ...

    player: RunningSession | None
    """The session player registers itself here while it is on the screen stack."""

    def routines(self) -> list[Routine]: ...

    def default_routine(self) -> Routine | None: ...

    def session_routine(self, standing: Standing) -> Routine: ...

    def standing(self) -> Standing: ...

    def reminders(self) -> Reminders: ...

    # --- what a screen asks the app to do -------------------------------------------------

    def follow_plan(self, standing: Standing) -> PlanChange | None: ...

    def save_settings(self, **changes: Any) -> bool: ...

    def refresh_home(self) -> None: ...

    def show_history(self) -> None: ...

    def show_thermal(self) -> Worker[None]: ...

    def show_sources(self) -> None: ...

    def show_plan(self) -> None: ...

    def show_settings(self) -> None: ...

    def start_session(self, routine: Routine | None = None) -> Worker[None]: ...

    def log_pain(self, context: PainContext = ...) -> Worker[None]: ...

    def start_thermal(self, kind: ThermalKind, minutes: int) -> None: ...

    def stop_thermal(self) -> None: ...

    def show_step_in_title(self, words: str) -> None: ...

    def card_shown(self) -> None: ...

    def card_gone(self) -> None: ...

    def show_save_state(self, screen: Screen[Any] | None = None) -> None: ...

    def bell(self) -> None: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None: ...

    async def push_screen_wait(self, screen: Screen[ResultT]) -> ResultT: ...

    def exit(self, result: int | None = None, return_code: int = 0) -> None: ...


class Demo(Protocol):
    """Clinic mode's app (tui.clinic.ClinicApp) as its screens see it: no log at all."""

    @property
    def clock(self) -> Clock: ...

    @property
    def speaker(self) -> Speaker | None: ...

    @property
    def spoken(self) -> SpokenWords: ...

    def show_step_in_title(self, words: str) -> None: ...

    def begin_demo(self) -> None: ...

    def demonstrate(self, stage: Stage, routine: Routine) -> None: ...

    def bell(self) -> None: ...
