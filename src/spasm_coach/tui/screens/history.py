"""History: the pain trend over 7, 30 or 90 days, every entry, sessions and heat/ice, and export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Static,
    TabbedContent,
    TabPane,
)

from spasm_coach.pain import band
from spasm_coach.records import PainEntry
from spasm_coach.trend import Period, heat_ice_lines, session_lines, trend_lines
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.dialogs.export import ExportDialog, Exported
from spasm_coach.tui.text import headed
from spasm_coach.tui.widgets.pain_chart import PainChart
from spasm_coach.wording import plural, when

PERIODS = (7, 30, 90)
"""The periods the person can look back over, in days."""
DEFAULT_DAYS = 30


# --- the screen ----------------------------------------------------------------------------


class HistoryScreen(CoachScreen[None]):
    """Look back: the trend, the entries, sessions and heat/ice, for 7, 30 or 90 days."""

    BINDINGS = [
        Binding("7", "period(7)", "7 days"),
        Binding("3", "period(30)", "30 days"),
        Binding("9", "period(90)", "90 days"),
        Binding("e", "export", "Export"),
        Binding("escape", "dismiss(None)", "Home"),
    ]

    days: reactive[int] = reactive(DEFAULT_DAYS, init=False)
    """How many days back the screen looks: 7, 30 or 90."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="history-period"):
            for days in PERIODS:
                button = Button(f"{days} days", id=f"period-{days}", compact=True)
                button.can_focus = False  # the keys 7, 3 and 9 do the same
                yield button
            yield Static(id="period-label")
        with TabbedContent(id="history-tabs"):
            with TabPane("Trend", id="tab-trend"), VerticalScroll():
                yield PainChart(id="pain-chart")
                yield Static(id="trend-summary")
            with TabPane("Entries", id="tab-entries"):
                yield DataTable(id="entries", cursor_type="row", zebra_stripes=True)
            with TabPane("Sessions and heat/ice", id="tab-sessions"), VerticalScroll():
                yield Static(id="sessions-summary")
                yield Static(id="heat-ice-summary")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#entries", DataTable)
        table.add_column("When", key="when")
        table.add_column("Score", key="score")
        table.add_column("Context", key="context")
        table.add_column("Note", key="note")
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def watch_days(self) -> None:
        self.load()

    def action_period(self, days: int) -> None:
        self.days = days

    @on(Button.Pressed, "#history-period Button")
    def period_pressed(self, event: Button.Pressed) -> None:
        self.days = int((event.button.id or "").removeprefix("period-"))

    @property
    def period(self) -> Period:
        return Period(self.days, self.app.clock.now())

    def load(self) -> None:
        """Read the period from the log and show it everywhere on the screen."""
        period, store = self.period, self.app.store
        entries = list(store.pain_scores(period.since, period.until))
        for days in PERIODS:
            button = self.query_one(f"#period-{days}", Button)
            chosen = days == self.days
            button.label = Content(f"[{days} days]" if chosen else f" {days} days ")
            button.variant = "primary" if chosen else "default"
        self.query_one("#period-label", Static).update(
            Content(f"since {period.since:%d %b}: {plural(len(entries), 'score')}")
        )
        self.query_one(PainChart).show(
            [(period.day_of(entry.recorded_at), entry.score) for entry in entries],
            period.first_day,
            period.last_day,
        )
        self.query_one("#trend-summary", Static).update(
            headed("Pain over the period", trend_lines(entries))
        )
        self.fill_table(entries, period.now)
        sessions = session_lines(
            store.sessions(period.since, period.until), store.events, self.exercise_name
        )
        self.query_one("#sessions-summary", Static).update(headed("Stretching", sessions))
        self.query_one("#heat-ice-summary", Static).update(
            headed("Heat and ice", heat_ice_lines(store.applications(period.since, period.until)))
        )

    def exercise_name(self, exercise_id: str) -> str:
        """The exercise's name; a physio's own routine may use ids the built-in content lacks."""
        exercise = self.app.content.exercises.get(exercise_id)
        return exercise.name if exercise is not None else exercise_id or "an exercise"

    def fill_table(self, entries: Sequence[PainEntry], now: datetime) -> None:
        table = self.query_one("#entries", DataTable)
        table.clear()
        for entry in reversed(entries):
            table.add_row(
                when(entry.recorded_at, now),
                f"{entry.score:>2} {band(entry.score)}",
                entry.context.value,
                Text(entry.note or ""),
                key=entry.uid,
            )

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog(self.period), self.exported)

    def exported(self, result: Exported | None) -> None:
        if result is None:
            return
        self.app.notify(
            f"Wrote {plural(result.count, 'pain score')} ({result.fmt.upper()}) to {result.path}",
            title="Exported",
            timeout=8,
        )
