"""The Textual app: one factory builds it for the command line, the tests and the snapshots.

Only the home screen is imported up front; every other screen, the content and the reminder
rules load on first use, so the coach starts about as fast as a bare Textual app. Screens see
the app as tui.coach.Coach and move to other screens through its `show_*` methods, so no screen
imports another, nor this module.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from spasm_coach.clock import Clock, SystemClock
from spasm_coach.guard import safe_text
from spasm_coach.journal import Journal
from spasm_coach.settings import Settings, load_settings, save_settings
from spasm_coach.store import Store
from spasm_coach.tui.coach import ActiveThermal, RunningSession
from spasm_coach.tui.ending import PlainCrash, end_on_signals
from spasm_coach.tui.heat_ice import HeatIceTimer
from spasm_coach.tui.notices import CardKeeper
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.sizing import SizeGuard
from spasm_coach.tui.tab import BrowserTab
from spasm_coach.tui.text import plain
from spasm_coach.vocabulary import PainContext, ThermalKind
from spasm_coach.wording import clock_time

if TYPE_CHECKING:
    from spasm_coach.content import Content, Region, Routine
    from spasm_coach.journey import Standing
    from spasm_coach.log_reader import LogReader
    from spasm_coach.plans import Plan, Plans
    from spasm_coach.records import PlanChange
    from spasm_coach.remind import Reminders
    from spasm_coach.speech import Speaker

RETRY_SECONDS = 3
"""How often writes the log refused are tried again."""
REMINDER_CHECK_SECONDS = 60


class CoachApp(CardKeeper[int], SizeGuard[int]):
    """Renders state from the core layers; the rules live in triage, session and pain."""

    CSS_PATH = ["app.tcss", "history.tcss"]
    TITLE = "spasm-coach"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("h", "this_hurts", "This hurts", priority=True),
        Binding("question_mark,f1", "help", "Help"),
        Binding("q", "quit_key", "Quit", priority=True),
    ]
    """'This hurts' first, so a narrow footer never cuts it short."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        settings_path: Path | None,
        *,
        content: Content | None = None,
        settings: Settings | None = None,
        routine: Routine | None = None,
        speaker: Speaker | None = None,
        routines_dir: Path | None = None,
        plans_dir: Path | None = None,
        ends_on_signals: bool = False,
    ) -> None:
        super().__init__()
        self.ends_on_signals = ends_on_signals
        """SIGHUP and SIGTERM end the coach keeping everything (end_now): the coach a person
        runs; not a test's, which shares its process with the test runner."""
        self.routines_dir = routines_dir
        """Where installed routines live (a physio's own); None: only the built-in ones."""
        self.plans_dir = plans_dir
        """Where installed plans live; None: only the built-in plan."""
        """Where installed routines live (a physio's own); None: only the built-in ones."""
        self.speaker = speaker
        """Says the spoken cues; None when the computer has no speech engine."""
        self.store: LogReader = store
        """For reading the log; every write goes through the journal."""
        self.clock = clock
        self.journal = Journal(store, clock, keep_unsaved=True)
        self.settings_path = settings_path
        self.settings = settings or (load_settings(settings_path) if settings_path else Settings())
        self._content = content
        self.chosen_routine = routine
        """A routine file given on the command line (a physio's own); it replaces the choice."""
        self.player: RunningSession | None = None
        """The session player while it is on the screen stack (it registers itself)."""
        self.heat_ice = HeatIceTimer(
            self, self.journal, lambda: self.content.thermal, self.log_pain_after_thermal
        )
        self._announced: set[tuple[str, object]] = set()
        """Reminders already announced, so each rings once."""
        self.farewell: str | None = None
        """The line to print once the coach has closed: what was kept, and where."""
        self._ended_by_signal: int | None = None
        """The exit code, once a signal has ended the coach."""
        self.quitting = False
        """Quit was asked mid-check after a yes: the card shows first, then the coach closes."""
        self._unsaved_shown = False
        self._retrying: Timer | None = None
        """Trying the unsaved entries again; only while there are some."""
        self._stepped_back: set[tuple[str, str]] = set()
        """Step backs the coach made by itself, so one the log could not take yet is not made
        twice."""
        self.tab: BrowserTab | None = None
        """The browser tab the coach runs in under `spasm-coach serve`; None in a terminal."""

    @cached_property
    def content(self) -> Content:
        """Loaded on first use, so the home screen comes up as fast as a bare app."""
        from spasm_coach.content import load_content

        return self._content or load_content()

    def routines(self) -> list[Routine]:
        """Built-in routines, then the installed ones that can be used."""
        from spasm_coach.content import installed_routines

        installed = (
            installed_routines(self.content, self.routines_dir)[0] if self.routines_dir else []
        )
        return [*self.content.routines.values(), *installed]

    def default_routine(self) -> Routine | None:
        """The routine chosen in Settings; None when it is gone (uninstalled, or renamed)."""
        wanted = self.settings.default_routine
        return next((routine for routine in self.routines() if routine.id == wanted), None)

    @cached_property
    def plans(self) -> Plans:
        """The built-in plan and the installed ones, loaded on first use."""
        from spasm_coach.plans import load_plans

        routines = {routine.id: routine for routine in self.routines()}
        return load_plans(self.content, self.plans_dir, routines)

    def plan(self) -> tuple[Plan, str | None]:
        """The plan the coach follows (Settings), and why it is the built-in one if it must be."""
        from spasm_coach.plans import choose_plan

        return choose_plan(self.plans, self.settings.plan)

    def standing(self) -> Standing:
        """Where the person is in their plan now, read from the log."""
        from spasm_coach.journey import standing

        plan, note = self.plan()
        return standing(
            plan,
            self.store,
            self.clock.now(),
            notes=(note,) if note else (),
            default=self.default_routine(),
        )

    def session_routine(self, standing: Standing) -> Routine:
        """A routine given on the command line, else the one the plan's stage offers."""
        return self.chosen_routine or standing.routines[0]

    def follow_plan(self, standing: Standing) -> PlanChange | None:
        """Record a step back due by itself (after "it hurt" or a rise of 2), once."""
        from spasm_coach.journey import apply_automatic

        proposal = standing.proposal
        if proposal is None or not proposal.automatic:
            return None
        key = (standing.stage.id, proposal.reason)
        if key in self._stepped_back:
            return None
        self._stepped_back.add(key)
        return apply_automatic(self.journal, standing)

    @property
    def no_speaker_words(self) -> str:
        from spasm_coach.speech import HOW_TO_GET_ONE

        return HOW_TO_GET_ONE

    @property
    def region(self) -> Region | None:
        """The person's region; None until chosen (or when settings name one that doesn't exist,
        which is asked again)."""
        from spasm_coach.advice import region_of

        return region_of(self.content, self.settings.region)

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    def on_mount(self) -> None:
        if self.ends_on_signals:
            end_on_signals(self, self.end_now, lambda: self.farewell)
        self.tab = BrowserTab.of(self)
        if self.tab is not None:
            self.speaker = self.tab  # the tab speaks: the computer serving it stays silent
        self.set_interval(REMINDER_CHECK_SECONDS, self.check_reminders)
        self.call_after_refresh(self.guard_size)
        self.journal.on_change(self._journal_changed)
        self.call_after_refresh(self.ask_region_if_needed)
        self.call_after_refresh(self.heat_ice.pick_up)

    def ask_region_if_needed(self) -> None:
        """On first run (or when the saved region is unknown), ask where the person is; a
        problem with the settings file is said after that, so its note never covers the
        question."""
        problem = self.settings.problem

        def say_problem() -> None:
            if problem:
                self.notify(problem, title="Settings", severity="warning", timeout=12)

        if self.settings.region is not None and self.region is not None:
            say_problem()
            return
        from spasm_coach.content import environment_locale, guess_region
        from spasm_coach.tui.dialogs.region import RegionScreen

        suggested = guess_region(self.content, environment_locale(os.environ))
        regions = tuple(self.content.regions.values())

        def chosen(region: str | None) -> None:
            if region is not None:
                self.save_settings(region=region)
                self.refresh_home()
            say_problem()

        self.push_screen(RegionScreen(regions, suggested), chosen)

    # --- writes the log refused: kept, said, and tried again -----------------------------------

    def unsaved_words(self) -> str | None:
        """One plain sentence about what waits to be saved, or None when everything is saved."""
        waiting = self.journal.unsaved
        if not waiting:
            return None
        more = f" and {len(waiting) - 1} more" if len(waiting) > 1 else ""
        problem = self.journal.problem
        return safe_text(  # the problem names the log's path, as given
            f"NOT SAVED YET: {waiting[0].what}{more}. {problem} The coach keeps what you "
            f"entered and tries again every {RETRY_SECONDS} seconds."
        )

    def show_save_state(self, screen: Screen[Any] | None = None) -> None:
        """Put the unsaved line on the screen (the top one by default), or take it away."""
        from spasm_coach.tui.widgets.unsaved import UnsavedBanner

        screen = screen or self.screen
        if not screen.is_attached:  # a screen resumed as the coach closes: nothing to show on
            return
        words = self.unsaved_words()
        banners = screen.query(UnsavedBanner)
        if words is None:
            for banner in banners:
                banner.remove_class("-shown")
            return
        if not banners:
            screen.mount(UnsavedBanner(plain(words)))
            banners = screen.query(UnsavedBanner)
        for banner in banners:
            banner.update(plain(words))
            banner.add_class("-shown")

    def _journal_changed(self) -> None:
        """Say what waits to be saved, and try again every few seconds only while something
        does (an idle coach wakes for nothing)."""
        was_unsaved = self._unsaved_shown
        self._unsaved_shown = not self.journal.all_saved
        self.show_save_state()
        if self._unsaved_shown and self._retrying is None:
            self._retrying = self.set_interval(RETRY_SECONDS, self.journal.retry)
        if was_unsaved and self.journal.all_saved:
            if self._retrying is not None:
                self._retrying.stop()
                self._retrying = None
            self.notify("Saved: everything you entered is in the pain log now.", title="Saved")

    def _handle_exception(self, error: Exception) -> None:
        """Textual's hook for an error nothing handled: one plain line instead of a traceback.

        A pain log that fails while a flow reads it (a worker) is said in a dialog, and the
        coach carries on: what was entered is in the journal, kept or saved.
        """
        from textual.worker import WorkerFailed

        from spasm_coach.store import StoreError

        cause = error.error if isinstance(error, WorkerFailed) else None
        if isinstance(cause, StoreError):
            from spasm_coach.tui.dialogs.problem import ProblemScreen

            self.push_screen(ProblemScreen("The pain log can't be used just now", str(cause)))
            return
        if os.environ.get("SPASM_COACH_DEBUG") or isinstance(error, PlainCrash):
            super()._handle_exception(error)
        else:
            crash = PlainCrash(error)
            crash.__cause__ = error  # kept for tests and SPASM_COACH_DEBUG; never printed
            super()._handle_exception(crash)

    def save_settings(self, **changes: Any) -> bool:
        """Apply and persist settings; a write failure is shown, and the change kept for now."""
        self.settings = replace(self.settings, **changes)
        if self.settings_path is None:
            return True
        had_problem = self.settings.problem is not None
        try:
            save_settings(self.settings_path, self.settings)
        except OSError as exc:
            self.notify(
                f"Settings could not be saved ({exc.strerror or exc}); they apply until you quit.",
                severity="error",
            )
            return False
        if had_problem:
            self.notify(
                f"The unreadable settings file was kept as {self.settings_path.name}.broken.",
                timeout=8,
            )
        self.settings = replace(self.settings, problem=None)
        return True

    def bell(self) -> None:
        if not self.settings.sounds:
            return
        if self.tab is not None:
            self.tab.bell()
        else:
            super().bell()

    def watch_sub_title(self, sub_title: str) -> None:
        """Heat or ice time left is in the header, and in the tab's title in a browser."""
        if self.tab is not None:
            self.tab.show_timer(sub_title)

    def show_step_in_title(self, words: str) -> None:
        """The session's step and time left, for the tab's title in a browser ("" when none)."""
        if self.tab is not None:
            self.tab.show_step(words)

    def action_quit(self) -> None:  # type: ignore[override]  # Textual's is async; ours may ask first
        """Quit from anywhere; a session in progress is recorded as interrupted first.

        With heat or ice on, the person is asked first: the timer (and its alert) stops with
        the app, so they are told when to take it off.
        """
        if self.heat_ice.ask_before_quitting(self.action_quit):
            return
        from spasm_coach.tui.dialogs.problem import UnsavedQuitScreen
        from spasm_coach.tui.screens.red_flags import RedFlagScreen

        if not self.journal.retry() and not isinstance(self.screen, UnsavedQuitScreen):
            words = self.unsaved_words() or ""

            def quit_if(confirmed: bool | None) -> None:
                if confirmed:
                    self._quit_with_unsaved()

            self.push_screen(UnsavedQuitScreen(words), quit_if)
            return
        if isinstance(self.screen, RedFlagScreen) and self.screen.has_yes:
            self.quitting = True  # the card for what was said shows before the coach closes
            self.screen.dismiss(False)
            return
        if self.player is not None:
            self.player.interrupt(self.clock.monotonic())
        self.exit(0)

    def _quit_with_unsaved(self) -> None:
        """The person chose to quit with entries the log refused: they go to a rescue file."""
        if self.player is not None:
            self.player.interrupt(self.clock.monotonic())
        self.farewell = self.rescue_unsaved()
        self.exit(return_code=1)

    def rescue_unsaved(self) -> str | None:
        """Write what the log refused to a private file beside it (or in the home folder);
        the line that says where, or None when everything is saved."""
        from spasm_coach.paths import data_dir

        return self.journal.keep_in_file((data_dir(), Path.home()), self.clock.now())

    def on_exit_app(self) -> None:
        """Told to close from outside rather than by the person's `q`: textual-serve does this
        when the coach's browser tab is closed or reloaded, and its web driver on Ctrl+C in the
        terminal running `serve`. Everything is kept as on a signal (`end_now`)."""
        if self.return_code is None:
            self.exit(return_code=self.end_now("the coach in the browser was closed"))

    def end_now(self, reason: str) -> int:
        """Keep everything, as q does but asking nothing, since nobody may be there to answer
        (the terminal was closed, the computer is shutting down, the browser tab of `serve`
        was closed): a session in progress is recorded as interrupted, what the log refuses
        goes to a rescue file, and `farewell` says what was kept. Returns the exit code; a
        second signal changes nothing."""
        if self._ended_by_signal is not None:
            return self._ended_by_signal
        if self.player is not None:
            self.player.interrupt(self.clock.monotonic())
        self.journal.retry()
        kept = self.rescue_unsaved()
        self.farewell = kept or f"spasm-coach: {reason}; everything you entered is saved."
        self._ended_by_signal = 1 if kept else 0
        return self._ended_by_signal

    def _running_player(self) -> RunningSession | None:
        return self.player if self.player is not None and self.player.running else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """'h' means "this hurts" only while a session runs; otherwise the key is free. 'q'
        quits from every screen, dialogs included, except where it is typed (a file name) or
        the screen gives it its own meaning (quit anyway, with entries not saved)."""
        if action == "this_hurts":
            return self._running_player() is not None
        if action == "quit_key":
            focused = self.focused
            if focused is not None and focused.check_consume_key("q", "q"):
                return False
            own = Binding.make_bindings(getattr(self.screen, "BINDINGS", []))
            return not any("q" in binding.key.split(",") for binding in own)
        return True

    def action_quit_key(self) -> None:
        self.action_quit()

    def action_this_hurts(self) -> None:
        """Stop the session at once, even with help or a dialog open over the player."""
        player = self._running_player()
        if player is None:
            return
        while not player.is_active:
            self.pop_screen()
        player.action_hurts()

    # --- moving between screens ----------------------------------------------------------------

    def refresh_home(self) -> None:
        """Home shows again as the last dialog closes, before its answer is logged: redraw it."""
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.refresh_today()

    def action_help(self) -> None:
        from spasm_coach.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def show_history(self) -> None:
        from spasm_coach.tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen())

    @work(exclusive=True, group="thermal-screen")
    async def show_thermal(self) -> None:
        """Heat and ice; with a warning sign standing (and no timer on), its card comes first."""
        from spasm_coach.gate import today
        from spasm_coach.store import StoreError
        from spasm_coach.tui.screens.safety import HEAT_ICE_QUESTION, WarningCardScreen
        from spasm_coach.tui.screens.thermal import ThermalScreen

        try:
            warning = None if self.thermal else today(self.store, self.clock.now()).warning
        except StoreError:
            warning = None  # home says the log can't be read
        if warning is not None:
            when = clock_time(warning.screened_at, self.clock.now(), round_up=False)
            card = WarningCardScreen(
                self.content, warning, self.region, when, HEAT_ICE_QUESTION, "Heat or ice"
            )
            if not await self.push_screen_wait(card):
                return
        self.push_screen(ThermalScreen())

    def show_sources(self) -> None:
        from spasm_coach.tui.screens.sources import SourcesScreen

        self.push_screen(SourcesScreen())

    def show_plan(self) -> None:
        from spasm_coach.tui.screens.plan import PlanScreen

        self.push_screen(PlanScreen())

    def show_settings(self) -> None:
        from spasm_coach.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    # --- reminders -----------------------------------------------------------------------------

    def reminders(self) -> Reminders:
        from spasm_coach.remind import reminders

        return reminders(self.store, self.content, self.settings, self.clock.now())

    def check_reminders(self) -> None:
        """A bell and a notification for each reminder that has just fallen due."""
        from spasm_coach.store import StoreError

        try:
            due = self.reminders().due_now
        except StoreError:
            return  # home says the log can't be read; reminders wait until it can
        for item in due:
            key = (item.kind, item.at)
            if key not in self._announced:
                self._announced.add(key)
                self.bell()
                self.notify(item.message, title="Reminder", timeout=20)

    # --- heat and ice: the timer is the app's, so it runs on every screen -------------------

    @property
    def thermal(self) -> ActiveThermal | None:
        """The heat or ice application running now, if any."""
        return self.heat_ice.active

    def start_thermal(self, kind: ThermalKind, minutes: int) -> None:
        self.heat_ice.start(kind, minutes)

    def stop_thermal(self) -> None:
        """The person took it off before the time was up."""
        self.heat_ice.stop()

    @work(exclusive=True, group="thermal")
    async def log_pain_after_thermal(self, context: PainContext) -> None:
        """The end alert's pain score, asked over whatever is open. Not in the 'flow' group: that
        would cancel a session or check-in under the alert, leaving its screen orphaned."""
        from spasm_coach.tui.flow import pain_check_in_flow

        await pain_check_in_flow(self, context)

    @work(exclusive=True, group="flow")
    async def start_session(self, routine: Routine | None = None) -> None:
        """A session with the plan's routine, or `routine` (chosen on the plan screen)."""
        from spasm_coach.tui.flow import session_flow

        await session_flow(self, routine)

    @work(exclusive=True, group="flow")
    async def log_pain(self, context: PainContext = PainContext.CHECK_IN) -> None:
        from spasm_coach.tui.flow import pain_check_in_flow

        await pain_check_in_flow(self, context)


def make_app(
    store: Store | None = None,
    clock: Clock | None = None,
    settings_path: Path | None = None,
    *,
    content: Content | None = None,
    settings: Settings | None = None,
    routine: Routine | None = None,
    speaker: Speaker | None = None,
    routines_dir: Path | None = None,
    plans_dir: Path | None = None,
    ends_on_signals: bool = False,
) -> CoachApp:
    """The one way to build the coach: the CLI passes real parts, tests pass fakes."""
    return CoachApp(
        ends_on_signals=ends_on_signals,
        store=store or Store.in_memory(),
        clock=clock or SystemClock(),
        settings_path=settings_path,
        content=content,
        settings=settings,
        routine=routine,
        speaker=speaker,
        routines_dir=routines_dir,
        plans_dir=plans_dir,
    )
