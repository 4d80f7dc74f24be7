"""History: the pain trend over 7, 30 or 90 days, every entry, sessions and heat/ice, and export."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import fmean

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Static,
    TabbedContent,
    TabPane,
)

from spasm_coach.export import FORMATS, atomic_text_file, export
from spasm_coach.pain import Change, band
from spasm_coach.store import Application, PainEntry, SessionEvent, SessionRecord
from spasm_coach.tui.format import when
from spasm_coach.tui.screens.home import SESSION_WORDS
from spasm_coach.tui.widgets.pain_chart import PainChart

PERIODS = (7, 30, 90)
"""The periods the person can look back over, in days."""
DEFAULT_DAYS = 30

OUTCOMES = ("finished", "stopped", "stopped-hurt", "interrupted")
"""Session outcomes always listed, even at zero, so 'none stopped because it hurt' is said."""

FORMAT_LABELS = {
    "csv": "CSV, for a spreadsheet",
    "json": "JSON, a full backup",
    "fhir": "FHIR R4, for a health record",
}
SUFFIXES = {"csv": ".csv", "json": ".json", "fhir": ".fhir.json"}
assert set(FORMAT_LABELS) == set(SUFFIXES) == set(FORMATS)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Period:
    """The last `days` days up to now: since <= recorded time <= now."""

    days: int
    now: datetime

    @property
    def since(self) -> datetime:
        return self.now - timedelta(days=self.days)

    @property
    def until(self) -> datetime:
        """The store's end is exclusive and its times are whole seconds: one second on keeps now."""
        return self.now + timedelta(seconds=1)

    @property
    def first_day(self) -> date:
        return self.since.date()

    @property
    def last_day(self) -> date:
        return self.now.date()

    def day_of(self, moment: datetime) -> date:
        """The local calendar day of a moment, in the offset the clock is in now."""
        return moment.astimezone(self.now.tzinfo).date()

    def describe(self) -> str:
        return f"the last {self.days} days ({self.since:%a %d %b} to today)"


# --- wording, kept apart from the widgets so it can be tested on its own --------------------


def trend_lines(entries: Sequence[PainEntry]) -> list[str]:
    """Count, mean and the change from the first score in the period to the last, in words."""
    if not entries:
        return ["No pain scores in this period. Log one from home with p."]
    scores = [entry.score for entry in entries]
    mean = fmean(scores)
    lines = [f"Scores: {len(scores)}    mean: {mean:.1f} ({band(round(mean))})"]
    if len(scores) == 1:
        lines.append("Change: only one score, so no change to show yet.")
    else:
        change = Change(scores[0], scores[-1])
        lines.append(f"Change, first to last: {change.describe()}.")
    return lines


def session_lines(
    sessions: Iterable[SessionRecord],
    events_of: Callable[[str], Iterable[SessionEvent]],
    exercise_name: Callable[[str], str],
) -> list[str]:
    """Sessions by outcome, then each skipped exercise with its reason and how often."""
    records = list(sessions)
    if not records:
        return ["Stretch sessions: none in this period."]
    outcomes = Counter(record.status for record in records)
    lines = [f"Stretch sessions: {len(records)}"]
    for outcome in (*OUTCOMES, *sorted(set(outcomes) - set(OUTCOMES))):
        lines.append(f"  {SESSION_WORDS.get(outcome, outcome)}: {outcomes[outcome]}")
    skipped = Counter(
        (exercise_name(event.exercise_id or ""), event.detail or "no reason given")
        for record in records
        for event in events_of(record.uid)
        if event.kind == "exercise-skipped"
    )
    if not skipped:
        lines.append("Skipped exercises: none.")
    else:
        lines.append("Skipped exercises:")
        for (name, reason), times in sorted(skipped.items()):
            often = "" if times == 1 else f" ({times} times)"
            lines.append(f"  - {name}: {reason}{often}")
    return lines


def heat_ice_lines(applications: Iterable[Application]) -> list[str]:
    """Uses of heat and of ice, and how many of each were stopped early."""
    uses = list(applications)
    if not uses:
        return ["None in this period."]
    lines = []
    for kind in ("heat", "ice"):
        of_kind = [use for use in uses if use.kind == kind]
        early = sum(1 for use in of_kind if use.stopped_early)
        stopped = "none stopped early" if not early else f"{early} stopped early"
        lines.append(f"{kind.capitalize()}: {plural(len(of_kind), 'use')}, {stopped}")
    return lines


def headed(title: str, lines: Iterable[str]) -> Content:
    """A bold heading over plain lines; the lines are never read as markup."""
    return Content.assemble((title, "bold"), "\n", "\n".join(lines))


# --- export --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    path: Path
    fmt: str
    count: int


def default_export_path(now: datetime, fmt: str = "csv") -> str:
    return f"~/spasm-coach-pain-{now:%Y-%m-%d}{SUFFIXES[fmt]}"


def with_suffix_for(text: str, fmt: str) -> str:
    """The path with its export suffix swapped for `fmt`'s; other names are left alone."""
    for suffix in sorted(SUFFIXES.values(), key=len, reverse=True):
        if text.endswith(suffix):
            return text[: -len(suffix)] + SUFFIXES[fmt]
    return text


def check_export_path(text: str) -> tuple[Path | None, str | None]:
    """(the path, None) if a file can be written there, else (None, what is wrong)."""
    if not text.strip():
        return None, "Type a file name, e.g. ~/pain.csv."
    path = Path(text.strip()).expanduser().absolute()
    if path.is_dir():
        return None, f"{path} is a folder. Add a file name to the end, e.g. {path / 'pain.csv'}."
    if not path.parent.is_dir():
        return None, f"The folder {path.parent} does not exist. Create it, or choose another."
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return None, f"You can't write in the folder {path.parent}. Choose another."
    return path, None


class FormatButton(RadioButton):
    """A radio button whose choice shows as a mark, not only as a colour."""

    @property
    def BUTTON_INNER(self) -> str:
        return "●" if self.value else " "


class ExportDialog(ModalScreen[Exported | None]):
    """Choose a file and a format, then write the period's log there (readable only by you)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    writing: reactive[bool] = reactive(False)
    """A file is being written; the Export button waits until it is done."""

    def __init__(self, period: Period) -> None:
        super().__init__()
        self.period = period
        self._replace: Path | None = None
        """A file that exists and was confirmed, by pressing Enter again, to be replaced."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-dialog"):
            yield Static(f"Export {self.period.describe()}", classes="dialog-title")
            yield Label("Save to (~ is your home folder):")
            yield Input(default_export_path(self.period.now), id="export-path")
            yield Label("Format:")
            with RadioSet(id="export-format", compact=True):
                for fmt in FORMATS:
                    yield FormatButton(FORMAT_LABELS[fmt], value=fmt == "csv", id=f"format-{fmt}")
            yield Static(
                "The file holds health data; it is made readable only by you.",
                id="export-note",
            )
            yield Static(id="export-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export (Enter)", id="export-go", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="export-cancel", compact=True)

    @property
    def fmt(self) -> str:
        index = self.query_one(RadioSet).pressed_index
        return FORMATS[index] if index >= 0 else "csv"

    def show_problem(self, message: str | None) -> None:
        problem = self.query_one("#export-problem", Static)
        problem.update(Content("" if message is None else f"Not exported: {message}"))
        # The problem takes the note's place, so the dialog still fits a small terminal.
        self.query_one("#export-dialog").set_class(message is not None, "-problem")
        if message is not None:
            problem.scroll_visible()

    def watch_writing(self, writing: bool) -> None:
        go = self.query_one("#export-go", Button)
        go.disabled = writing
        go.label = "Writing..." if writing else "Export (Enter)"

    @on(RadioSet.Changed)
    def format_changed(self) -> None:
        path = self.query_one("#export-path", Input)
        path.value = with_suffix_for(path.value, self.fmt)

    @on(Input.Changed)
    def path_changed(self) -> None:
        self._replace = None
        self.show_problem(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#export-go")
    def start_export(self) -> None:
        if self.writing:
            return
        path, problem = check_export_path(self.query_one("#export-path", Input).value)
        if path is None:
            self.show_problem(problem)
            return
        if path.exists() and path != self._replace:
            self._replace = path
            self.show_problem(f"{path} already exists. Press Enter again to replace it.")
            return
        self.show_problem(None)
        self.writing = True
        self.write_file(path, self.fmt, self.period)

    @on(Button.Pressed, "#export-cancel")
    def cancel(self) -> None:
        self.dismiss(None)

    @work(thread=True, exclusive=True, group="export")
    def write_file(self, path: Path, fmt: str, period: Period) -> None:
        """Stream the period from the log into the file, off the UI thread."""
        try:
            with atomic_text_file(path) as out:
                count = export(self.app.store, fmt, out, period.since, period.until, period.now)
        except OSError as exc:
            self.app.call_from_thread(self.failed, f"can't write {path} ({exc.strerror or exc}).")
            return
        self.app.call_from_thread(self.dismiss, Exported(path, fmt, count))

    def failed(self, message: str) -> None:
        self.writing = False
        self.show_problem(message)


# --- the screen ----------------------------------------------------------------------------


class HistoryScreen(Screen[None]):
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
                entry.context,
                Text(entry.note or ""),
                key=entry.uid,
            )

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog(self.period), self.exported)

    def exported(self, result: Exported | None) -> None:
        if result is None:
            return
        self.notify(
            f"Wrote {plural(result.count, 'pain score')} ({result.fmt.upper()}) to {result.path}",
            title="Exported",
            timeout=8,
            markup=False,  # a path may hold [brackets]
        )
