"""The heat or ice timer of the coach: held by the app, so it runs on every screen.

The count itself is the core's (thermal.ThermalTimer, against the monotonic clock); this part
wakes once a second to ring the skin check and the end, shows the time left in the header,
writes the start and the end to the log through the journal, and picks up an application the
coach was closed or killed during.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from spasm_coach.tui.coach import ActiveThermal
from spasm_coach.vocabulary import PainContext, ThermalKind
from spasm_coach.wording import clock_time

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from spasm_coach.content import ThermalRule
    from spasm_coach.journal import Journal

RESUME_WITHIN = timedelta(hours=12)
"""Heat or ice left on when the coach stopped is picked up again if started this recently."""


class HeatIceTimer:
    """Loads the timer's rules and dialogs on first use, so the coach starts fast."""

    def __init__(
        self,
        app: App[Any],
        journal: Journal,
        rules: Callable[[], Mapping[str, ThermalRule]],
        ask_pain: Callable[[PainContext], object],
    ) -> None:
        """`rules`: the heat and ice rules, read on first use (the content loads lazily);
        `ask_pain`: asks for a score after the end alert, over whatever is open."""
        self.app, self.journal, self.rules, self.ask_pain = app, journal, rules, ask_pain
        self.clock = journal.clock
        self.active: ActiveThermal | None = None
        """The application running now, if any."""
        self._beat: Timer | None = None

    def start(self, kind: ThermalKind, minutes: int) -> None:
        from spasm_coach.thermal import ThermalTimer

        timer = ThermalTimer(self.rules()[kind], minutes, self.clock.monotonic())
        application = self.journal.start_application(kind, timer.minutes)
        self._run(ActiveThermal(timer, application))

    def _run(self, active: ActiveThermal) -> None:
        self.active = active
        self._beat = self.app.set_interval(1, self.heartbeat)
        self.heartbeat()

    def pick_up(self) -> None:
        """Heat or ice still on when the coach last stopped (killed, or closed without its
        timer): carry on counting down, or, if its time has passed, say to take it off now."""
        from spasm_coach.store import StoreError
        from spasm_coach.thermal import ThermalTimer
        from spasm_coach.tui.dialogs.thermal import RemoveNowScreen

        now = self.clock.now()
        try:
            last = self.journal.store.last_application()
        except StoreError:
            return
        if last is None or last.ended_at is not None or self.active is not None:
            return
        rule = self.rules()[last.kind]
        elapsed = (now - last.started_at).total_seconds()
        if elapsed > RESUME_WITHIN.total_seconds():
            return  # long past: the gap rules already count it as on until its cap
        if elapsed < last.planned_minutes * 60:
            timer = ThermalTimer(
                rule, last.planned_minutes, self.clock.monotonic(), elapsed=elapsed
            )
            self._run(ActiveThermal(timer, last))
            return
        since = clock_time(last.started_at, now, round_up=False)
        self.app.bell()
        self.app.push_screen(RemoveNowScreen(rule.name, on_since=since), self._after(rule.kind))
        self.journal.end_application(last, now, stopped_early=False)

    def stop(self) -> None:
        """The person took it off before the time was up."""
        if self.active is not None:
            self._end(self.active.timer.stop(self.clock.monotonic()))

    def heartbeat(self) -> None:
        """Skin check and end alerts, wherever the person is; the time left in the header."""
        if self.active is None:
            return
        timer = self.active.timer
        events = timer.tick(self.clock.monotonic())
        if "skin-check" in events:
            self.app.bell()
            self.app.notify(
                f"Check your skin under the {timer.rule.name.lower()} now. Very red, white, "
                "blotchy, numb or sore: take it off.",
                title="Skin check",
                severity="warning",
                timeout=30,
            )
        if "ended" in events:
            self._end(events)
            return
        left = timer.remaining(self.clock.monotonic())
        self.app.sub_title = f"{timer.rule.name}: {left // 60}:{left % 60:02d} left"

    def _end(self, events: list[str]) -> None:
        active = self.active
        if active is None or not events:
            return
        timer = active.timer
        ended = timer.ended_at if timer.ended_at is not None else self.clock.monotonic()
        self.journal.end_application(
            active.application, self.journal.wall_time(ended), timer.stopped_early
        )
        self._forget()
        if "ended" in events:
            from spasm_coach.tui.dialogs.thermal import RemoveNowScreen

            self.app.bell()  # the alert itself, not a toast: one would outlast it
            self.app.push_screen(RemoveNowScreen(timer.rule.name), self._after(timer.rule.kind))
        else:
            self.app.notify(f"{timer.rule.name} stopped and logged.", timeout=4)

    def _forget(self) -> None:
        self.active = None
        if self._beat is not None:
            self._beat.stop()
        self.app.sub_title = ""

    def _after(self, kind: str) -> Callable[[bool | None], None]:
        """After the alert, a pain score if the person wants to give one."""

        def log_pain(wanted: bool | None) -> None:
            if wanted:
                self.ask_pain(ThermalKind(kind).pain_context)

        return log_pain

    def ask_before_quitting(self, quit_anyway: Callable[[], None]) -> bool:
        """With heat or ice on, ask before the coach quits: the timer (and its alert) stops
        with the app, so the person is told when to take it off. True when it asked;
        `quit_anyway` runs if the person confirms."""
        from spasm_coach.thermal import off_at
        from spasm_coach.tui.dialogs.thermal import QuitWithTimerScreen

        if self.active is None or isinstance(self.app.screen, QuitWithTimerScreen):
            return False
        timer = self.active.timer
        off_by = clock_time(off_at(self.active.application, timer.rule), self.clock.now())

        def quit_if(confirmed: bool | None) -> None:
            if confirmed:
                self.active = None
                quit_anyway()

        self.app.push_screen(QuitWithTimerScreen(timer.rule.name, off_by), quit_if)
        return True
