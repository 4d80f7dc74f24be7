"""Every face feeds the same gate: `log` on the command line sets stop-for-today as the coach
does, `screen` always gives its result and advice whatever the log's state, and `demo` shows a
warning standing in the data folder before anything else."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from tests.factory import add_screening
from tests.support import Cli
from textual.app import App
from textual.widgets import Static

from spasm_coach.clock import Clock, FakeClock
from spasm_coach.content import Content
from spasm_coach.paths import settings_path
from spasm_coach.records import Screening
from spasm_coach.restore import read_export
from spasm_coach.settings import Settings, save_settings
from spasm_coach.store import Store
from spasm_coach.store_errors import NoPermission
from spasm_coach.tui.app import make_app
from spasm_coach.vocabulary import CONDITIONS, Level, NoteKind, ScreeningReason

START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def cli_clock() -> Clock:
    return FakeClock(START)


@pytest.fixture(autouse=True)
def answered(home: Path) -> None:
    """Region chosen and cautions answered (none apply)."""
    save_settings(settings_path(), Settings(region="uk", cautions=dict.fromkeys(CONDITIONS, False)))


async def test_log_9_sets_stop_for_today_and_the_coach_offers_no_session(
    cli: Cli, home: Path, cli_clock: FakeClock, content: Content
) -> None:
    """Seen: `spasm-coach log 9` and the coach still offered a full session."""
    result = cli("log", "9")
    assert result.code == 0
    assert "Stretching is done for today" in result.out
    assert "spasm-coach screen" in result.out
    with Store.open(home / "pain-log.sqlite3") as store:
        (note,) = store.safety_notes()
        assert note.kind is NoteKind.STOP_FOR_TODAY
        cli_clock.advance(60)
        app = make_app(
            store,
            cli_clock,
            None,
            content=content,
            settings=Settings(region="uk", cautions=dict.fromkeys(CONDITIONS, False)),
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("s")
            for _ in range(30):
                await pilot.pause()
                if type(app.screen).__name__ != "HomeScreen":
                    break
            assert type(app.screen).__name__ == "StopForTodayScreen"


def test_a_rise_of_2_from_the_command_line_also_stops_stretching_today(
    cli: Cli, home: Path
) -> None:
    assert cli("log", "3").code == 0
    result = cli("log", "5")
    assert "Stretching is done for today" in result.out
    with Store.open(home / "pain-log.sqlite3", readonly=True) as store:
        assert [note.kind for note in store.safety_notes()] == [NoteKind.STOP_FOR_TODAY]


def test_a_low_score_sets_nothing(cli: Cli, home: Path) -> None:
    result = cli("log", "3")
    assert "done for today" not in result.out
    with Store.open(home / "pain-log.sqlite3", readonly=True) as store:
        assert list(store.safety_notes()) == []


@pytest.fixture
def read_only_log(monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """A log whose file can be read but not written (as a 0400 file for its owner)."""
    log = home / "pain-log.sqlite3"
    with Store.open(log):
        pass
    words = (
        f"The pain log {log} can't be written: the file itself is read-only. Make it writable "
        f"again (chmod u+w '{log}'); nothing already in it was lost."
    )

    def refuse(*args: object, **kwargs: object) -> None:
        raise NoPermission(words)

    monkeypatch.setattr(Store, "save_screening", refuse)
    monkeypatch.setattr(Store, "insert", refuse)
    return log


def test_screen_on_a_read_only_log_prints_the_emergency_result_then_the_write_error(
    cli: Cli, read_only_log: Path, content: Content, home: Path
) -> None:
    """Seen: a yes to saddle numbness on a log that can't be written printed only the disk
    error (exit 77) and no emergency advice at all."""
    result = cli("screen", "--json", "--yes", "saddle_numbness")
    outcome = json.loads(result.out)
    assert outcome["level"] == "emergency"
    assert outcome["flags"] == ["saddle_numbness"]
    assert "999" in outcome["action"]
    assert result.code == 77
    assert "can't be written" in result.err
    (rescued,) = home.glob("spasm-coach-unsaved-*.json")
    (screening,) = list(read_export(rescued))
    assert isinstance(screening, Screening)
    assert screening.flags == ("saddle_numbness",)


def test_screen_on_a_read_only_log_in_words_gives_the_card_first(
    cli: Cli, read_only_log: Path
) -> None:
    result = cli("screen", "--yes", "saddle_numbness")
    assert result.code == 77
    assert "Emergency number: 999" in result.out
    assert result.out.index("Emergency number") < len(result.out)
    assert "could not be saved" in result.err or "can't be written" in result.err


def test_screen_on_a_damaged_log_still_prints_the_result(cli: Cli, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "pain-log.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\xff" * 2000)
    result = cli("screen", "--json", "--yes", "bladder_change")
    assert json.loads(result.out)["level"] == "emergency"
    assert result.code == 65


def test_demo_with_a_warning_standing_shows_it_and_asks_for_a_clinician(
    cli: Cli, home: Path, monkeypatch: pytest.MonkeyPatch, cli_clock: FakeClock
) -> None:
    """Seen: `spasm-coach demo` on a day with an emergency answer played timed stretches with no
    word of it."""
    with Store.open(home / "pain-log.sqlite3") as store:
        add_screening(
            store,
            Level.EMERGENCY,
            ("saddle_numbness",),
            {"saddle_numbness": True},
            cli_clock.now(),
            ScreeningReason.BEFORE_SESSION,
        )
    cli_clock.advance(600)
    seen: dict[str, object] = {}

    def run_headless(self: App[int], *args: object, **kwargs: object) -> None:
        import asyncio

        async def look() -> None:
            async with self.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                await pilot.pause()
                first = self.screen
                seen["first"] = type(first).__name__
                seen["text"] = " ".join(str(static.visual) for static in first.query(Static))
                seen["card"] = getattr(first, "shows_safety_card", False)
                cli_clock.advance(2)
                await pilot.press("y")
                await pilot.pause()
                seen["then"] = type(self.screen).__name__
                await pilot.press("q")

        asyncio.run(look())

    monkeypatch.setattr(App, "run", run_headless)
    result = cli("demo")
    assert result.code == 0
    assert seen["first"] != "PresenterScreen"
    assert seen["card"]
    assert "EMERGENCY" in str(seen["text"])
    assert "clinician" in str(seen["text"]).lower()
    assert seen["then"] == "PresenterScreen"
