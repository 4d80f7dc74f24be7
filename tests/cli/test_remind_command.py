"""`spasm-coach remind`: what is due now (exit 0) or not (exit 3), as lines or JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from tests.factory import add_application, add_session
from tests.support import NO_HEAT_ICE_PROBLEMS, Cli

from spasm_coach.clock import FakeClock
from spasm_coach.paths import settings_path
from spasm_coach.settings import Settings, save_settings
from spasm_coach.store import Store
from spasm_coach.vocabulary import ThermalKind

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def cli_clock() -> FakeClock:
    """Midday, so waking hours never depend on when the tests run."""
    return FakeClock(NOW)


def answered_no_contraindications() -> None:
    save_settings(settings_path(), Settings(thermal_contraindications=NO_HEAT_ICE_PROBLEMS))


def add_heat(home: Path, start: datetime, minutes: int) -> None:
    with Store.open(home / "pain-log.sqlite3") as store:
        application = add_application(store, ThermalKind.HEAT, start, minutes)
        store.end_application(application.uid, start + timedelta(minutes=minutes), False)


def test_nothing_due_on_a_fresh_home_exits_3_and_creates_nothing(cli: Cli, home: Path) -> None:
    result = cli("remind", "--json")
    assert result.code == 3
    assert result.err == ""
    assert json.loads(result.out) == {
        "now": "2026-11-23T12:00:00+01:00",
        "due_now": [],
        "upcoming": [],
    }
    plain = cli("remind")
    assert (plain.code, plain.out) == (3, "Nothing due now.\n")
    assert not home.exists()


def test_the_heat_reminder_appears_after_an_application(cli: Cli, home: Path) -> None:
    answered_no_contraindications()
    before = cli("remind", "--json")
    assert before.code == 3
    assert json.loads(before.out)["due_now"] == []

    add_heat(home, NOW - timedelta(hours=2), 15)  # 10:00 to 10:15, gap over at 11:15
    after = cli("remind", "--json")
    assert after.code == 0
    assert json.loads(after.out) == {
        "now": "2026-11-23T12:00:00+01:00",
        "due_now": [
            {
                "kind": "heat",
                "at": "2026-11-23T11:15:00+01:00",
                "message": "You can use heat again now, if it helps (last used until 10:15).",
            }
        ],
        "upcoming": [],
    }
    plain = cli("remind")
    assert plain.code == 0
    assert plain.out == "You can use heat again now, if it helps (last used until 10:15).\n"


def test_heat_still_in_its_gap_is_upcoming_and_exits_3(cli: Cli, home: Path) -> None:
    answered_no_contraindications()
    add_heat(home, NOW - timedelta(minutes=30), 20)
    result = cli("remind")
    assert result.code == 3
    assert result.out == (
        "Nothing due now.\n"
        "Later: Heat can be used again from 12:50, if it helps (last used until 11:50; the gap "
        "after heat or ice holds up both).\n"
    )


def test_a_session_reminder_follows_the_settings_interval(cli: Cli, home: Path) -> None:
    with Store.open(home / "pain-log.sqlite3") as store:
        add_session(store, "standard", "Standard", NOW - timedelta(hours=3), None)
    assert cli("remind").code == 3
    save_settings(settings_path(), Settings(session_every_hours=2))
    result = cli("remind", "--json")
    assert result.code == 0
    assert [item["kind"] for item in json.loads(result.out)["due_now"]] == ["session"]


def test_broken_settings_are_reported_and_reminders_still_run(cli: Cli, home: Path) -> None:
    home.mkdir()
    settings_path().write_text("session_every_hours = 0\n")
    result = cli("remind")
    assert result.code == 3
    assert "session_every_hours" in result.err
    assert result.out == "Nothing due now.\n"


def test_an_unreadable_log_is_a_failure(cli: Cli, home: Path) -> None:
    home.mkdir()
    (home / "pain-log.sqlite3").write_bytes(b"not a database at all" * 100)
    result = cli("remind")
    assert result.code == 65  # EX_DATAERR: the log is damaged
    assert result.err.startswith("spasm-coach: The pain log")
    assert len(result.err.splitlines()) == 1


def test_remind_does_not_import_textual(home: Path) -> None:
    code = (
        "import sys\n"
        "sys.argv = ['spasm-coach', 'remind', '--json']\n"
        "from spasm_coach.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code in (0, 3), exit.code\n"
        "print('textual' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "SPASM_COACH_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stderr.strip().endswith("False")
    assert not home.exists()


def test_an_unknown_contraindication_answer_never_reads_as_safe(cli: Cli, home: Path) -> None:
    save_settings(settings_path(), Settings(thermal_contraindications={"diabetis": False}))
    add_heat(home, NOW - timedelta(hours=2), 15)
    result = cli("remind", "--json")
    assert result.code == 3
    assert json.loads(result.out)["due_now"] == []
