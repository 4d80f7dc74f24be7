"""The Textual app: one factory builds it for the command line, the tests and the snapshots."""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from pathlib import Path

from textual import events, work
from textual.app import App
from textual.binding import Binding

from spasm_coach.clock import Clock, SystemClock
from spasm_coach.content import Content, Routine, load_content
from spasm_coach.settings import Settings, load_settings, save_settings
from spasm_coach.store import Store
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.screens.too_small import TooSmallScreen

MIN_WIDTH, MIN_HEIGHT = 60, 20
"""Below this the coach shows a calm 'make the window larger' message instead of its screens."""


class CoachApp(App[int]):
    """Renders state from the core layers; the rules live in triage, session and pain."""

    CSS_PATH = "app.tcss"
    TITLE = "spasm-coach"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("question_mark,f1", "help", "Help"),
    ]

    def __init__(
        self,
        store: Store,
        clock: Clock,
        settings_path: Path | None,
        *,
        content: Content | None = None,
        settings: Settings | None = None,
        routine: Routine | None = None,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.settings_path = settings_path
        self.settings = settings or (load_settings(settings_path) if settings_path else Settings())
        self._content = content
        self.chosen_routine = routine
        """A routine file given on the command line (a physio's own); it replaces the choice."""
        self.demo = demo
        """Demo mode (a physio in clinic): the store is in memory, so nothing is kept."""
        if demo:
            self.sub_title = "demo: nothing is saved"

    @cached_property
    def content(self) -> Content:
        """Loaded on first use, so the home screen comes up as fast as a bare app."""
        return self._content or load_content()

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
        if self.settings.problem:
            self.notify(self.settings.problem, title="Settings", severity="warning", timeout=12)
        self._check_size(self.size.width, self.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if too_small and not showing:
            self.push_screen(TooSmallScreen(MIN_WIDTH, MIN_HEIGHT))
        elif not too_small and showing:
            self.pop_screen()

    def save_settings(self, **changes: object) -> None:
        """Apply and persist settings; a write failure is shown, and the change kept for now."""
        self.settings = replace(self.settings, **changes)
        if self.settings_path is None:
            return
        try:
            save_settings(self.settings_path, self.settings)
        except OSError as exc:
            self.notify(
                f"Settings could not be saved ({exc.strerror or exc}); they apply until you quit.",
                severity="error",
            )
            return
        self.settings = replace(self.settings, problem=None)

    def bell(self) -> None:
        if self.settings.sounds:
            super().bell()

    async def action_quit(self) -> None:
        """Quit from anywhere; a session in progress is recorded as interrupted first."""
        from spasm_coach.tui.screens.player import PlayerScreen

        for screen in self.screen_stack:
            if isinstance(screen, PlayerScreen):
                screen.interrupt()
        self.exit(0)

    def action_help(self) -> None:
        from spasm_coach.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    @work(exclusive=True, group="flow")
    async def start_session(self) -> None:
        from spasm_coach.tui.flow import session_flow

        await session_flow(self)

    @work(exclusive=True, group="flow")
    async def log_pain(self) -> None:
        from spasm_coach.tui.flow import pain_check_in_flow

        await pain_check_in_flow(self)


def make_app(
    store: Store | None = None,
    clock: Clock | None = None,
    settings_path: Path | None = None,
    *,
    content: Content | None = None,
    settings: Settings | None = None,
    routine: Routine | None = None,
    demo: bool = False,
) -> CoachApp:
    """The one way to build the coach: the CLI passes real parts, tests pass fakes."""
    return CoachApp(
        store=store or Store.in_memory(),
        clock=clock or SystemClock(),
        settings_path=settings_path,
        content=content,
        settings=settings,
        routine=routine,
        demo=demo,
    )
