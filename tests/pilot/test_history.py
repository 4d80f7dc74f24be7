"""History: the trend chart, the change in words, entries, sessions, heat/ice, and export."""

from __future__ import annotations

import csv
import json
import sqlite3
import stat
import threading
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest
from tests.factory import add_application, add_event, add_pain, add_session
from tests.pilot.drive import NO_CAUTIONS, start_app, text_of, visible_text, wait_for
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, RadioSet, Static
from textual.worker import Worker, WorkerState

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.dates import days_back
from spasm_coach.store import PainSpan, PainTotals, Store
from spasm_coach.store_errors import LogDamaged
from spasm_coach.trend import DayPain, heat_ice_lines, trend_lines
from spasm_coach.tui.app import CoachApp, make_app
from spasm_coach.tui.dialogs import export as export_module
from spasm_coach.tui.dialogs.export import (
    ExportDialog,
    Exported,
    check_export_path,
    with_suffix_for,
)
from spasm_coach.tui.screens import history as history_module
from spasm_coach.tui.screens.history import PAGE_ROWS, HistoryScreen
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.widgets.pain_chart import NO_SCORE, PainChart, bucket_means, chart_lines
from spasm_coach.vocabulary import EventKind, PainContext, SessionOutcome, ThermalKind

DAILY = [round(8 - 5 * day / 29) for day in range(30)]
"""Thirty days of scores, one a day, falling from 8 to 3 (oldest first)."""


def seed(store: Store, now: datetime) -> None:
    """30 daily scores at 08:00 ending today, one older score, sessions and heat/ice."""
    for day, score in enumerate(DAILY):
        at = now - timedelta(days=29 - day, hours=1)
        add_pain(
            store, score, at, PainContext.CHECK_IN, note="=cmd|' /C calc'!A0" if day == 0 else None
        )
    add_pain(store, 9, now - timedelta(days=40), PainContext.CHECK_IN)  # outside 30 days, inside 90

    def session(
        days_ago: int, outcome: SessionOutcome | None, skipped: tuple[str, str] | None = None
    ) -> None:
        at = now - timedelta(days=days_ago, hours=2)
        record = add_session(store, "gentle", "Gentle", at, None)
        if skipped is not None:
            add_event(
                store, record.uid, at + timedelta(minutes=3), EventKind.EXERCISE_SKIPPED, *skipped
            )
        if outcome is not None:
            store.end_session(record.uid, at + timedelta(minutes=10), outcome)

    session(20, SessionOutcome.FINISHED)
    session(10, SessionOutcome.STOPPED_HURT, ("cobra", "it hurt"))
    session(5, SessionOutcome.FINISHED, ("cat_cow", "too stiff today"))
    session(3, None)  # the app died mid-session: interrupted
    session(50, SessionOutcome.STOPPED, ("knee_to_chest", "old reason"))  # outside 30 days

    def use(kind: ThermalKind, days_ago: int, stopped_early: bool) -> None:
        at = now - timedelta(days=days_ago, hours=3)
        application = add_application(store, kind, at, 15)
        store.end_application(application.uid, at + timedelta(minutes=15), stopped_early)

    use(ThermalKind.HEAT, 12, stopped_early=False)
    use(ThermalKind.HEAT, 4, stopped_early=True)
    use(ThermalKind.ICE, 2, stopped_early=False)
    use(ThermalKind.ICE, 60, stopped_early=True)  # outside 30 days


@pytest.fixture
def seeded(store: Store, clock: FakeClock) -> Store:
    seed(store, clock.now())
    return store


async def open_history(pilot: Pilot) -> HistoryScreen:
    """Press l at home, and wait for the screen and for the log's sums it reads in a thread."""
    await wait_for(pilot, HomeScreen)
    await pilot.press("l")
    screen = await wait_for(pilot, HistoryScreen)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def static_text(screen: HistoryScreen, selector: str) -> str:
    return " ".join(text_of(screen.query_one(selector, Static)).split())


def rows(screen: HistoryScreen) -> int:
    return screen.query_one("#entries", DataTable).row_count


# --- the chart, as plain text ---------------------------------------------------------------


def test_chart_draws_a_falling_trend_with_axes_labels_and_gaps() -> None:
    last = date(2026, 11, 23)
    first = last - timedelta(days=30)
    days = [DayPain(last - timedelta(days=29 - n), 1, score) for n, score in enumerate(DAILY)]
    days = [day for day in days if day.day != last - timedelta(days=10)]  # a gap
    lines = chart_lines(days, first, last, width=76)

    assert all(len(line) <= 76 for line in lines)
    bars, axis, dates = lines[:5], lines[5], lines[6]
    assert bars[0].startswith("10 ┤")
    assert bars[2].startswith(" 5 ┤")
    assert axis.startswith(" 0 └")
    assert "24 Oct" in dates
    assert dates.rstrip().endswith("23 Nov")
    assert "no score that day" in " ".join(lines[7:])
    # One column of two characters (a bar and a gap) per day, 31 days.
    assert len(axis) == 4 + 31 * 2
    # The first day had no score (a dot on the base line); so had the gap day.
    base = bars[-1][4:]
    columns = [base[i * 2] for i in range(31)]
    assert columns[0] == NO_SCORE
    assert columns[31 - 11] == NO_SCORE
    assert columns.count(NO_SCORE) == 2

    def height(column: int) -> int:
        return sum(line[4 + column * 2 : 5 + column * 2] not in ("", " ") for line in bars)

    assert height(1) == 4  # 8/10: four of five rows
    assert height(30) == 2  # 3/10: a row and a half
    assert height(1) > height(15) > height(30)


def test_chart_groups_days_when_a_long_period_does_not_fit() -> None:
    last = date(2026, 11, 23)
    first = last - timedelta(days=90)
    lines = chart_lines([DayPain(last, 1, 5)], first, last, width=56)
    assert all(len(line) <= 56 for line in lines)
    assert "per 2 days" in " ".join(lines)
    two_days = [DayPain(last, 1, 4), DayPain(last - timedelta(days=1), 3, 18)]
    assert bucket_means(two_days, first, last, 2)[-1] == 22 / 4  # the mean of all four scores


def test_chart_shows_a_day_scored_zero_and_an_empty_period() -> None:
    day = date(2026, 11, 23)
    scored = chart_lines([DayPain(day, 1, 0)], day, day, width=40)
    assert "▁" in scored[4]
    assert NO_SCORE not in scored[4]
    empty = chart_lines([], day - timedelta(days=6), day, width=40)
    assert empty[4].count(NO_SCORE) == 7


def test_wording_helpers() -> None:
    assert trend_lines(PainTotals(0, None, None, None))[0].startswith("No pain scores")
    assert "None in this period" in heat_ice_lines({})[0]
    assert with_suffix_for("~/x/pain.csv", "fhir") == "~/x/pain.fhir.json"
    assert with_suffix_for("~/x/pain.fhir.json", "json") == "~/x/pain.json"
    assert with_suffix_for("~/x/notes.txt", "json") == "~/x/notes.txt"
    assert check_export_path("  ", None)[0] is None


# --- the screen ---------------------------------------------------------------------------


async def test_history_shows_the_trend_entries_and_period_switch(
    coach: Callable[..., CoachApp], seeded: Store
) -> None:
    async with start_app(coach()) as pilot:
        screen = await open_history(pilot)
        assert screen.days == 30
        trend = static_text(screen, "#trend-summary")
        assert "Scores: 30" in trend
        assert "5 points better (8 to 3): a meaningful change" in trend
        assert "mean: 5.5" in trend
        assert rows(screen) == 30
        shown = visible_text(pilot.app)
        assert "10 ┤" in shown
        assert " 0 └" in shown
        assert "Trend" in shown
        assert "Entries" in shown

        await pilot.press("7")
        await pilot.pause()
        assert screen.days == 7
        assert rows(screen) == 7
        assert "Scores: 7" in static_text(screen, "#trend-summary")
        assert "7 scores" in static_text(screen, "#period-label")
        assert "[7 days]" in visible_text(pilot.app)  # the choice is marked in text, not colour

        await pilot.press("9")
        await pilot.pause()
        assert rows(screen) == 31
        assert "9 to 3" in static_text(screen, "#trend-summary")

        await pilot.press("3")
        await pilot.pause()
        assert rows(screen) == 30


async def test_entries_are_newest_first_with_score_band_and_note(
    coach: Callable[..., CoachApp], seeded: Store
) -> None:
    async with start_app(coach()) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one("#entries", DataTable)
        first, last = table.get_row_at(0), table.get_row_at(table.row_count - 1)
        assert first[0] == "today 08:00"
        assert first[1].split() == ["3", "mild"]
        assert last[1].split() == ["8", "severe"]
        assert str(last[3]) == "=cmd|' /C calc'!A0"  # a note is shown as typed, never as markup


async def test_sessions_and_heat_ice_in_the_period(
    coach: Callable[..., CoachApp], seeded: Store
) -> None:
    async with start_app(coach()) as pilot:
        screen = await open_history(pilot)
        sessions = static_text(screen, "#sessions-summary")
        assert "Stretch sessions: 4" in sessions
        assert "finished: 2" in sessions
        assert "stopped early: 0" in sessions
        assert "stopped because it hurt: 1" in sessions
        assert "interrupted: 1" in sessions
        assert "Cobra" in sessions
        assert "it hurt" in sessions
        assert "too stiff today" in sessions
        assert "old reason" not in sessions
        heat_ice = static_text(screen, "#heat-ice-summary")
        assert "Heat: 2 uses, 1 stopped early" in heat_ice
        assert "Ice: 1 use, none stopped early" in heat_ice

        await pilot.press("9")
        await pilot.pause()
        assert "Stretch sessions: 5" in static_text(screen, "#sessions-summary")
        assert "Ice: 2 uses, 1 stopped early" in static_text(screen, "#heat-ice-summary")


async def test_a_score_logged_just_now_is_in_the_period(
    coach: Callable[..., CoachApp], store: Store, clock: FakeClock
) -> None:
    add_pain(store, 4, clock.now(), PainContext.CHECK_IN)
    async with start_app(coach()) as pilot:
        screen = await open_history(pilot)
        assert rows(screen) == 1
        assert "only one score" in static_text(screen, "#trend-summary")


async def test_an_empty_log_says_so(coach: Callable[..., CoachApp]) -> None:
    async with start_app(coach()) as pilot:
        screen = await open_history(pilot)
        assert rows(screen) == 0
        assert "No pain scores in this period" in static_text(screen, "#trend-summary")
        assert "none in this period" in static_text(screen, "#sessions-summary")


async def test_the_home_button_opens_history(coach: Callable[..., CoachApp]) -> None:
    async with start_app(coach()) as pilot:
        home = await wait_for(pilot, HomeScreen)
        button = next(b for b in home.query(Button) if "History" in str(b.label))
        button.press()
        await wait_for(pilot, HistoryScreen)


async def test_escape_goes_home(coach: Callable[..., CoachApp]) -> None:
    async with start_app(coach()) as pilot:
        await open_history(pilot)
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_layout_fits_small_terminals(
    coach: Callable[..., CoachApp], seeded: Store, size: tuple[int, int]
) -> None:
    async with start_app(coach(), size=size) as pilot:
        screen = await open_history(pilot)
        shown = visible_text(pilot.app)
        assert "10 ┤" in shown
        assert "Trend" in shown
        assert "Export" in shown  # the footer key
        chart = screen.query_one(PainChart)
        assert chart.region.right <= size[0]
        assert all(len(line) <= chart.content_size.width for line in chart.lines(chart.size.width))
        dialog = await open_export(pilot)
        shown = visible_text(pilot.app)
        assert "Export (Enter)" in shown
        assert "Cancel (Esc)" in shown
        assert dialog.query_one("#export-go").region.bottom <= size[1]
        await submit(pilot, dialog, "/no/such/folder/pain.csv")
        shown = visible_text(pilot.app)
        assert "Not exported: The folder /no/such/folder" in shown
        assert "choose another." in shown
        assert "Export (Enter)" in shown


# --- export -------------------------------------------------------------------------------


async def open_export(pilot: Pilot) -> ExportDialog:
    await pilot.press("e")
    return await wait_for(pilot, ExportDialog)


async def submit(pilot: Pilot, dialog: ExportDialog, path: Path | str) -> None:
    dialog.query_one("#export-path", Input).value = str(path)
    await pilot.pause()
    dialog.query_one("#export-path", Input).focus()
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def problem(dialog: ExportDialog) -> str:
    widget = dialog.query_one("#export-problem", Static)
    return " ".join(text_of(widget).split()) if widget.display else ""


async def test_export_csv_writes_the_period_privately(
    coach: Callable[..., CoachApp], seeded: Store, clock: FakeClock, tmp_path: Path
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await open_history(pilot)
        dialog = await open_export(pilot)
        default = dialog.query_one("#export-path", Input).value
        assert default == "~/spasm-coach-pain-2026-11-23.csv"
        target = tmp_path / "pain.csv"
        await submit(pilot, dialog, target)
        assert isinstance(app.screen, HistoryScreen)
        messages = [note.message for note in app.notices]
        assert any("30 pain scores" in m and str(target) in m for m in messages), messages

    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with target.open(newline="", encoding="utf-8-sig") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == 30
    since = clock.now() - timedelta(days=30)
    moments = [datetime.fromisoformat(row["recorded_at"]) for row in table]
    assert all(since <= moment <= clock.now() for moment in moments)
    assert [int(row["score"]) for row in table] == DAILY
    assert table[0]["note"] == "'=cmd|' /C calc'!A0"  # the CLI's writer: formula escaped
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


async def test_the_export_worker_finishes_before_its_dialog_closes(
    coach: Callable[..., CoachApp], seeded: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialog closes once its worker has finished, never from inside it: closing a screen
    cancels its workers, so a dialog that closed itself from its worker's thread had that
    worker cancelled every time. Unseen on an idle computer, where the worker was gone before
    the test waited for it; under load the test above waited, and got WorkerCancelled."""
    workers: list[Worker] = []
    write_file = ExportDialog.write_file

    def spy(self: ExportDialog, *args: object) -> Worker:
        workers.append(write_file(self, *args))
        return workers[-1]

    monkeypatch.setattr(ExportDialog, "write_file", spy)
    async with start_app(coach()) as pilot:
        await open_history(pilot)
        dialog = await open_export(pilot)
        await submit(pilot, dialog, tmp_path / "pain.csv")
        assert isinstance(pilot.app.screen, HistoryScreen)
    (worker,) = workers
    assert worker.state is WorkerState.SUCCESS
    assert worker.result == Exported(tmp_path / "pain.csv", "csv", 30)


async def test_export_follows_the_period_and_format(
    coach: Callable[..., CoachApp], seeded: Store, tmp_path: Path
) -> None:
    async with start_app(coach()) as pilot:
        await open_history(pilot)
        await pilot.press("7")
        dialog = await open_export(pilot)
        shown = visible_text(pilot.app)
        assert "▐●▌ CSV" in shown  # the choice is a mark, not only a colour
        assert "▐ ▌ JSON" in shown
        await pilot.click("#format-json")
        await pilot.pause()
        assert "▐●▌ JSON" in visible_text(pilot.app)
        assert dialog.query_one(RadioSet).pressed_index == 1
        value = dialog.query_one("#export-path", Input).value
        assert value.endswith(".json")
        await submit(pilot, dialog, tmp_path / "backup.json")
        assert isinstance(pilot.app.screen, HistoryScreen)

    data = json.loads((tmp_path / "backup.json").read_text(encoding="utf-8"))
    assert data["format"] == "spasm-coach-log"
    assert len(data["pain_scores"]) == 7
    assert len(data["sessions"]) == 2  # 5 and 3 days ago


async def test_a_missing_folder_is_explained_and_nothing_is_written(
    coach: Callable[..., CoachApp], seeded: Store, tmp_path: Path
) -> None:
    async with start_app(coach()) as pilot:
        await open_history(pilot)
        dialog = await open_export(pilot)
        await submit(pilot, dialog, tmp_path / "missing" / "pain.csv")
        assert pilot.app.screen is dialog
        assert "does not exist" in problem(dialog)
        assert "Not exported" in visible_text(pilot.app)

        await submit(pilot, dialog, tmp_path)
        assert "is a folder" in problem(dialog)

        await pilot.press("escape")
        await wait_for(pilot, HistoryScreen)
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]


async def test_an_existing_file_is_replaced_only_when_confirmed(
    coach: Callable[..., CoachApp], seeded: Store, tmp_path: Path
) -> None:
    target = tmp_path / "pain.csv"
    target.write_text("keep me", encoding="utf-8")
    async with start_app(coach()) as pilot:
        await open_history(pilot)
        dialog = await open_export(pilot)
        await submit(pilot, dialog, target)
        assert pilot.app.screen is dialog
        assert "already exists" in problem(dialog)
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(pilot.app.screen, HistoryScreen)
    assert target.read_text(encoding="utf-8-sig").startswith("date,time,recorded_at,")


async def test_a_write_failure_is_shown_in_the_dialog(
    coach: Callable[..., CoachApp],
    seeded: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(path: Path) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(export_module, "atomic_text_file", refuse)
    async with start_app(coach()) as pilot:
        await open_history(pilot)
        dialog = await open_export(pilot)
        await submit(pilot, dialog, tmp_path / "pain.csv")
        assert pilot.app.screen is dialog
        assert "Permission denied" in problem(dialog)
        assert not dialog.writing
    assert not (tmp_path / "pain.csv").exists()


# --- on a log of any size: bounded reads -------------------------------------------------------


class CountingConnection:
    """The store's connection, counting the statements run and the rows fetched through it."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.statements = 0
        self.rows = 0

    def execute(self, sql: str, params: tuple = ()) -> CountingCursor:
        self.statements += 1
        return CountingCursor(self, self.connection.execute(sql, params))

    def __getattr__(self, name: str) -> object:
        return getattr(self.connection, name)

    def reset(self) -> tuple[int, int]:
        counted, self.statements, self.rows = (self.statements, self.rows), 0, 0
        return counted


class CountingCursor:
    def __init__(self, counter: CountingConnection, cursor: sqlite3.Cursor) -> None:
        self.counter, self.cursor = counter, cursor

    def fetchmany(self, size: int) -> list[tuple]:
        rows = self.cursor.fetchmany(size)
        self.counter.rows += len(rows)
        return rows

    def fetchone(self) -> tuple | None:
        row: tuple | None = self.cursor.fetchone()
        self.counter.rows += row is not None
        return row

    def fetchall(self) -> list[tuple]:
        rows = self.cursor.fetchall()
        self.counter.rows += len(rows)
        return rows

    def __getattr__(self, name: str) -> object:
        return getattr(self.cursor, name)


def log_of(path: Path, count: int, now: datetime) -> CountingConnection:
    """A log of `count` scores over the last 120 days (a tenth with a note), sessions and heat/ice
    as in `seed`, written in one go; the counting connection to it."""
    with Store.open(path) as store, store._transaction():
        seed(store, now)
        step = 120 * 86400 / count
        rows = (
            (
                str(uuid.UUID(int=n + 1, version=4)),
                (now - timedelta(seconds=int(step * n))).isoformat(),
                n % 11,
                "check-in",
                f"note {n}" if n % 10 == 0 else None,
            )
            for n in range(count)
        )
        store._db.executemany(
            "INSERT INTO pain_score (uid, recorded_at, score, context, note) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
    return CountingConnection(sqlite3.connect(path, isolation_level=None, check_same_thread=False))


async def reads_of_history(
    connection: CountingConnection, clock: FakeClock, content: Content
) -> list[tuple[int, int]]:
    """(statements, rows) to open history, then for each period switch, then scrolling."""
    store = Store(cast(sqlite3.Connection, connection), None)
    app = make_app(store, clock, None, content=content, settings=NO_CAUTIONS)
    counted = []
    async with start_app(app) as pilot:
        await wait_for(pilot, HomeScreen)
        connection.reset()
        screen = await open_history(pilot)
        counted.append(connection.reset())
        for key in ("7", "9", "3", "7", "9"):
            await pilot.press(key)
            await pilot.pause()
            counted.append(connection.reset())
        assert rows(screen) == PAGE_ROWS
        await pilot.click("#tab-entries")
        table = screen.query_one("#entries", DataTable)
        table.focus()
        await pilot.press("ctrl+end")  # the last row read so far: the next page comes
        await pilot.pause()
        assert rows(screen) == 2 * PAGE_ROWS
        counted.append(connection.reset())
        await pilot.press("3")  # back to a period whose entries are read: the first page again
        await pilot.pause()
        assert rows(screen) == PAGE_ROWS
        counted.append(connection.reset())
    return counted


async def test_history_reads_as_much_from_a_big_log_as_from_a_small_one(
    clock: FakeClock, content: Content, tmp_path: Path
) -> None:
    """The same statements and rows for 1,000 scores as for 100,000: nothing reads every score."""
    small = log_of(tmp_path / "small.sqlite3", 1_000, clock.now())
    big = log_of(tmp_path / "big.sqlite3", 100_000, clock.now())
    counted = await reads_of_history(big, clock, content)
    assert await reads_of_history(small, clock, content) == counted
    opened, *switches, scrolled, back = counted
    assert opened[0] <= 8
    assert opened[1] <= 95 + PAGE_ROWS + 1 + 15  # spans (days and period starts), a page, sums
    first_views, seen_again = switches[:2], switches[2:]
    assert all(statements <= 5 and fetched <= 20 for statements, fetched in first_views)
    assert seen_again == [(0, 0)] * 3  # a period seen before is shown from what was read
    assert scrolled == (1, PAGE_ROWS + 1)  # one more page, and one row to know there is more
    assert back == (0, 0)


async def test_entries_come_a_page_at_a_time_as_the_table_scrolls(
    coach: Callable[..., CoachApp], store: Store, clock: FakeClock
) -> None:
    now = clock.now()
    for n in range(2 * PAGE_ROWS + 50):
        add_pain(
            store, n % 11, now - timedelta(hours=3 * n), PainContext.CHECK_IN, note=f"[b]{n}[/b]"
        )
    newest_first = [entry.uid for entry in reversed(list(store.pain_scores(days_back(30, now))))]
    week = sum(1 for _ in store.pain_scores(days_back(7, now)))
    async with start_app(coach()) as pilot:
        screen = await open_history(pilot)
        await pilot.click("#tab-entries")
        table = screen.query_one("#entries", DataTable)
        table.focus()
        assert rows(screen) == PAGE_ROWS
        await pilot.press("ctrl+end")  # the cursor near the end reads the next page
        await pilot.pause()
        assert rows(screen) == 2 * PAGE_ROWS
        table.scroll_end(animate=False, immediate=True)  # so does the mouse wheel or scroll bar
        await pilot.pause()
        assert rows(screen) == len(newest_first) == 236  # every 3 hours from midnight 29 days ago
        keys = [row.key.value for row in table.ordered_rows]
        assert keys == newest_first
        assert str(table.get_row_at(0)[3]) == "[b]0[/b]"  # a note is never markup

        await pilot.press("7")
        await pilot.pause()
        assert rows(screen) == week == 52  # under a page: the whole week
        assert [row.key.value for row in table.ordered_rows] == newest_first[:week]
        await pilot.press("3")
        await pilot.pause()
        assert rows(screen) == PAGE_ROWS


async def test_the_screen_is_drawn_before_the_sums_are_read(
    coach: Callable[..., CoachApp], seeded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Summing a big log takes a while: the screen says it is reading meanwhile, then shows it."""
    release = threading.Event()
    read = Store.pain_spans

    def slow_read(store: Store, bounds: list[datetime]) -> list[PainSpan]:
        assert release.wait(timeout=5)
        return read(store, bounds)

    monkeypatch.setattr(Store, "pain_spans", slow_read)
    monkeypatch.setattr(history_module, "FIRST_FRAME_WAIT", 0)  # as if the wait had run out
    async with start_app(coach()) as pilot:
        await wait_for(pilot, HomeScreen)
        await pilot.press("l")
        screen = await wait_for(pilot, HistoryScreen)
        await pilot.pause()
        assert "Reading the pain log" in static_text(screen, "#trend-summary")
        assert not screen.query_one(PainChart).display  # no empty chart that reads as no pain
        assert "[30 days]" in visible_text(pilot.app)
        release.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "Scores: 30" in static_text(screen, "#trend-summary")
        assert screen.query_one(PainChart).display
        assert rows(screen) == 30


async def test_a_log_that_cannot_be_read_is_said_plainly(
    coach: Callable[..., CoachApp], seeded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def damaged(store: Store, bounds: list[datetime]) -> list[PainSpan]:
        raise LogDamaged("The pain log is damaged and can't be read (test).")

    monkeypatch.setattr(Store, "pain_spans", damaged)
    async with start_app(coach()) as pilot:
        screen = await open_history(pilot)
        summary = static_text(screen, "#trend-summary")
        assert "The pain log can't be read just now. The pain log is damaged" in summary
        assert not screen.query_one(PainChart).display
        await pilot.press("7")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HistoryScreen)
