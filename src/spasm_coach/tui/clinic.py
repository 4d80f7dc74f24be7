"""Clinic mode: the coach as a physio demonstrates it, on a projector or a shared screen.

A separate app from the coach, holding no pain log at all: there is nothing it could read or
write, so a demonstration can never leave a trace in anyone's health data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.screen import Screen

from spasm_coach.clock import Clock, SystemClock
from spasm_coach.session import plan_demonstration
from spasm_coach.tui.screens.presenter import PresenterScreen
from spasm_coach.tui.screens.stages import StagesScreen
from spasm_coach.tui.sizing import SizeGuard
from spasm_coach.tui.tab import BrowserTab

if TYPE_CHECKING:
    from textual.screen import Screen

    from spasm_coach.content import Content, Exercise, Region, Routine, SpokenWords
    from spasm_coach.plans import Plan, Stage
    from spasm_coach.records import Screening
    from spasm_coach.speech import Speaker


@dataclass(frozen=True)
class StandingWarning:
    """What clinic mode shows first: the warning standing in the data folder's pain log, or why
    the log can't be read (then one may stand)."""

    content: Content
    warning: Screening | None
    region: Region | None
    when: str
    """When the warning was given, in words ('23:55 on Mon 23 Nov')."""
    problem: str | None = None


class ClinicApp(SizeGuard[int]):
    CSS_PATH = "clinic.tcss"
    ENABLE_COMMAND_PALETTE = False
    TITLE = "spasm-coach: clinic demo"
    MIN_WIDTH, MIN_HEIGHT, SLIM_MIN_HEIGHT = 40, 12, 24
    BINDINGS = [Binding("ctrl+c", "quit", "Quit", show=False, priority=True)]

    def __init__(
        self,
        routine: Routine,
        exercise: Exercise | None = None,
        *,
        clock: Clock | None = None,
        speaker: Speaker | None = None,
        spoken: SpokenWords | None = None,
        plan: Plan | None = None,
        standing: StandingWarning | None = None,
    ) -> None:
        """`spoken`: the words of the spoken cues (the built-in ones when not given).
        `standing`: a warning sign standing in the data folder's pain log (or a log that can't
        be read), shown before the demonstration starts."""
        super().__init__()
        self.clock = clock or SystemClock()
        self.speaker = speaker
        self.standing = standing
        if spoken is None:
            from spasm_coach.content import load_content

            spoken = load_content().spoken
        self.spoken = spoken
        self.plan, self.first_exercise = plan_demonstration(routine, exercise)
        self.recovery_plan = plan
        """A plan shown stage by stage (demo --plan); its routines are demonstrated from there."""
        self.tab: BrowserTab | None = None
        """The browser tab the demonstration runs in under `spasm-coach serve --demo`."""

    def get_default_screen(self) -> Screen[None]:
        if self.standing is None:
            return self.first_screen()
        from spasm_coach.tui.screens.clinic_warning import ClinicWarningScreen

        standing = self.standing
        return ClinicWarningScreen(
            standing.content, standing.warning, standing.region, standing.when, standing.problem
        )

    def first_screen(self) -> Screen[None]:
        """What the demonstration opens on: a plan's stages, or the presenter."""
        if self.recovery_plan is not None:
            return StagesScreen(self.recovery_plan)
        return PresenterScreen(self.plan, self.first_exercise)

    def begin_demo(self) -> None:
        """A clinician is present: the demonstration starts (over the card, which stays under
        it until the demonstration ends)."""
        self.push_screen(self.first_screen())

    def demonstrate(self, stage: Stage, routine: Routine) -> None:
        """A stage's routine in the presenter; quitting it comes back to the stages."""
        named = replace(routine, name=f"{stage.name}: {routine.name}")
        self.plan, self.first_exercise = plan_demonstration(named)
        self.push_screen(PresenterScreen(self.plan, self.first_exercise))

    def on_mount(self) -> None:
        self.tab = BrowserTab.of(self)
        if self.tab is not None:
            self.speaker = self.tab  # the tab speaks: the computer serving it stays silent
        self.call_after_refresh(self.guard_size)

    def bell(self) -> None:
        if self.tab is not None:
            self.tab.bell()
        else:
            super().bell()

    def show_step_in_title(self, words: str) -> None:
        """The step and time left, for the tab's title in a browser."""
        if self.tab is not None:
            self.tab.show_step(words)

    def action_quit(self) -> None:  # type: ignore[override]
        """Quit; from a stage's routine, back to the plan's stages first."""
        if self.recovery_plan is not None and isinstance(self.screen, PresenterScreen):
            self.pop_screen()
            return
        self.exit(0)
