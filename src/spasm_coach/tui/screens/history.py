"""History: the pain trend over 7, 30 or 90 days, every entry, sessions and heat/ice, and export.

Nothing here reads every score. One read sums the scores of the longest period in SQL, split at
each local midnight and at the start of every period, so the chart, counts and means of all three
periods come from the same few hundred numbers, and a period switch reads no scores again. That
read is the only one that grows with the log (SQLite still visits each score of the 90 days), so
it runs in a thread: the first frame waits for it only briefly, and a huge log's screen opens
saying it is reading. The entries table is filled a page at a time, newest first, as the person
scrolls towards its end; the pages are kept, so a shorter period shows the start of what was read
and a longer one carries on from it. What a period adds (its first and last score, sessions, heat
and ice) is read once, a row or a few.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import datetime

from rich.text import Text
from textual import on, work
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
from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

from spasm_coach.pain import band
from spasm_coach.records import PainEntry
from spasm_coach.store import PageKey, PainSpan, PainTotals, StoreError
from spasm_coach.trend import (
    DayPain,
    Period,
    days_in,
    heat_ice_lines,
    period_totals,
    session_lines,
    span_bounds,
    trend_lines,
)
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.dialogs.export import ExportDialog, Exported
from spasm_coach.tui.text import headed
from spasm_coach.tui.widgets.pain_chart import PainChart
from spasm_coach.wording import plural, when

PERIODS = (7, 30, 90)
"""The periods the person can look back over, in days."""
DEFAULT_DAYS = 30
PAGE_ROWS = 100
"""Entries read from the log at a time."""
MORE_WITHIN_ROWS = 20
"""The next page is read when the cursor or the view comes this close to the table's end."""
READING = "history-read"
"""The worker group of the read of spans."""
FIRST_FRAME_WAIT = 0.1
"""Seconds the screen waits for the sums before it is first drawn: a usual log's come well within
it, so the screen opens whole; a huge log's don't, and the screen opens saying it is reading."""


@dataclass(frozen=True)
class PeriodView:
    """What the screen shows for one period, worked out once per read of the log."""

    days: list[DayPain]
    totals: PainTotals
    sessions: list[str]
    heat_ice: list[str]


@dataclass
class Loaded:
    """What has been read from the log for every period, as it was at `now`."""

    now: datetime
    spans: list[PainSpan]
    views: dict[int, PeriodView] = field(default_factory=dict)
    entries: list[PainEntry] = field(default_factory=list)
    """The longest period's entries read so far, newest first."""
    next_page: PageKey | None = None
    all_read: bool = False
    """Every entry of the longest period is in `entries`."""


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

    def __init__(self) -> None:
        super().__init__()
        self.loaded: Loaded | None = None
        self.taken: Loaded | StoreError | None = None
        """The last read shown (it is offered twice: in time for a frame, and when it ends)."""
        self.shown = 0
        """How many of the period's entries are in the table."""

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
                yield Static("Reading the pain log...", id="trend-summary")
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
        self.watch(table, "scroll_y", self.table_scrolled, init=False)
        self.query_one(PainChart).display = False  # until there is something to draw
        self.mark_period()

    async def on_screen_resume(self) -> None:
        """Read afresh each time the screen shows: the log may have changed underneath it."""
        reading = self.load()
        # Shielded: a read that outlasts the wait goes on, and is shown when it comes. One
        # overtaken by a newer read (cancelled) or failed (the app says so) shows nothing here.
        with contextlib.suppress(TimeoutError, WorkerCancelled, WorkerFailed):
            self.take(await asyncio.wait_for(asyncio.shield(reading.wait()), FIRST_FRAME_WAIT))

    def watch_days(self) -> None:
        self.show()

    def action_period(self, days: int) -> None:
        self.days = days

    @on(Button.Pressed, "#history-period Button")
    def period_pressed(self, event: Button.Pressed) -> None:
        self.days = int((event.button.id or "").removeprefix("period-"))

    @property
    def period(self) -> Period:
        """The period shown, up to the moment the log was read."""
        now = self.loaded.now if self.loaded is not None else self.coach.clock.now()
        return Period(self.days, now)

    # --- reading the log -----------------------------------------------------------------------

    def load(self) -> Worker[Loaded | StoreError]:
        """Sum the longest period's scores per span, then show the chosen period.

        Until the sums come, the screen shows what it showed before (or that it is reading).
        """
        # Whole seconds, as the log keeps them, so a period starts where the store's window does.
        return self.read_spans(self.coach.clock.now().replace(microsecond=0))

    @work(thread=True, exclusive=True, group=READING)
    def read_spans(self, now: datetime) -> Loaded | StoreError:
        try:
            return Loaded(now, self.coach.store.pain_spans(span_bounds(now, PERIODS)))
        except StoreError as exc:
            return exc

    @on(Worker.StateChanged)
    def spans_read(self, event: Worker.StateChanged) -> None:
        """Show the sums once read; a read overtaken by a newer one is cancelled, not shown."""
        if event.worker.group == READING and event.state is WorkerState.SUCCESS:
            self.take(event.worker.result)

    def take(self, result: Loaded | StoreError | None) -> None:
        if result is None or result is self.taken:
            return
        self.taken = result
        if isinstance(result, StoreError):
            self.loaded = None
            self.show_problem(result)
            return
        self.loaded = result
        self.show()

    def view_of(self, loaded: Loaded, period: Period) -> PeriodView:
        """The period's days, totals, sessions and heat/ice: from the spans, and read once."""
        view = loaded.views.get(period.days)
        if view is None:
            store, since, until = self.coach.store, period.since, period.until
            days = days_in(loaded.spans, period)
            sessions = session_lines(
                store.session_outcomes(since, until),
                store.skipped_exercises(since, until),
                self.exercise_name,
            )
            view = PeriodView(
                days,
                period_totals(days, store.pain_ends(since, until) if days else None),
                sessions,
                heat_ice_lines(store.heat_ice_uses(since, until)),
            )
            loaded.views[period.days] = view
        return view

    def exercise_name(self, exercise_id: str) -> str:
        """The exercise's name; a physio's own routine may use ids the built-in content lacks."""
        exercise = self.coach.content.exercises.get(exercise_id)
        return exercise.name if exercise is not None else exercise_id or "an exercise"

    # --- showing it ----------------------------------------------------------------------------

    def show(self) -> None:
        """Show the chosen period everywhere on the screen, from what has been read."""
        self.mark_period()
        loaded, period = self.loaded, self.period
        if loaded is None:
            return
        try:
            view = self.view_of(loaded, period)
        except StoreError as exc:
            self.show_problem(exc)
            return
        self.query_one("#period-label", Static).update(
            Content(f"since {period.since:%d %b}: {plural(view.totals.scores, 'score')}")
        )
        chart = self.query_one(PainChart)
        chart.show(view.days, period.first_day, period.last_day)
        chart.display = True
        self.query_one("#trend-summary", Static).update(
            headed("Pain over the period", trend_lines(view.totals))
        )
        self.query_one("#sessions-summary", Static).update(headed("Stretching", view.sessions))
        self.query_one("#heat-ice-summary", Static).update(headed("Heat and ice", view.heat_ice))
        self.query_one("#entries", DataTable).clear()
        self.shown = 0
        self.show_more()

    def mark_period(self) -> None:
        for days in PERIODS:
            button = self.query_one(f"#period-{days}", Button)
            chosen = days == self.days
            button.label = Content(f"[{days} days]" if chosen else f" {days} days ")
            button.variant = "primary" if chosen else "default"

    def show_problem(self, exc: StoreError) -> None:
        self.query_one(PainChart).display = False
        self.query_one("#trend-summary", Static).update(
            Content(f"The pain log can't be read just now. {exc}")
        )

    # --- the entries, a page at a time ---------------------------------------------------------

    def show_more(self) -> None:
        """Add the period's next page of entries to the table, reading it if not read yet."""
        loaded, period = self.loaded, self.period
        if loaded is None:
            return
        entries = loaded.entries
        running_low = len(entries) - self.shown < PAGE_ROWS and not loaded.all_read
        if running_low and (not entries or entries[-1].recorded_at >= period.since):
            try:
                self.read_page(loaded)
            except StoreError as exc:
                self.app.notify(str(exc), title="The pain log can't be read", severity="error")
                return
        table = self.query_one("#entries", DataTable)
        for entry in entries[self.shown : self.shown + PAGE_ROWS]:
            if entry.recorded_at < period.since:
                break
            table.add_row(
                when(entry.recorded_at, loaded.now),
                f"{entry.score:>2} {band(entry.score)}",
                entry.context.value,
                Text(entry.note or ""),
                key=entry.uid,
            )
            self.shown += 1

    def read_page(self, loaded: Loaded) -> None:
        longest = Period(max(PERIODS), loaded.now)
        page = self.coach.store.pain_page(
            longest.since, longest.until, after=loaded.next_page, size=PAGE_ROWS
        )
        loaded.entries.extend(page.entries)
        loaded.next_page = page.next
        loaded.all_read = page.next is None

    @on(DataTable.RowHighlighted, "#entries")
    def cursor_moved(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= event.data_table.row_count - MORE_WITHIN_ROWS:
            self.show_more()

    def table_scrolled(self) -> None:
        """Scrolled by the mouse or the scroll bar, which leave the cursor where it was."""
        table = self.query_one("#entries", DataTable)
        last_in_view = table.scroll_y + table.size.height  # each row is one line high
        if table.row_count and last_in_view >= table.row_count - MORE_WITHIN_ROWS:
            self.show_more()

    # --- export --------------------------------------------------------------------------------

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog(Period(self.days, self.coach.clock.now())), self.exported)

    def exported(self, result: Exported | None) -> None:
        if result is None:
            return
        self.app.notify(
            f"Wrote {plural(result.count, 'pain score')} ({result.fmt.upper()}) to {result.path}",
            title="Exported",
            timeout=8,
        )
