"""The installed command in a real process, and the promise that the core never loads a UI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CORE_MODULES = [
    "spasm_coach.vocabulary",
    "spasm_coach.records",
    "spasm_coach.journal",
    "spasm_coach.wording",
    "spasm_coach.trend",
    "spasm_coach.content",
    "spasm_coach.triage",
    "spasm_coach.pain",
    "spasm_coach.dates",
    "spasm_coach.store",
    "spasm_coach.export",
    "spasm_coach.restore",
    "spasm_coach.paths",
    "spasm_coach.clock",
    "spasm_coach.thermal",
    "spasm_coach.remind",
    "spasm_coach.answers",
    "spasm_coach.gate",
    "spasm_coach.cues",
    "spasm_coach.poses",
    "spasm_coach.pose_svg",
    "spasm_coach.pose_cells",
    "spasm_coach.plans",
    "spasm_coach.journey",
    "spasm_coach.plan_handout",
    "spasm_coach.guard",
    "spasm_coach.files",
]
UI_PACKAGES = ("textual", "rich", "typer")


def run_python(code: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SPASM_COACH_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_loads_no_ui_library(module, home):
    loaded = run_python(
        f"import sys, {module}; print(sorted({{m.split('.')[0] for m in sys.modules}}))", home
    ).stdout
    for package in UI_PACKAGES:
        assert f"'{package}'" not in loaded, f"{module} imports {package}"


@pytest.mark.parametrize("command", [["log", "3"], ["export", "--format", "fhir"], ["history"]])
def test_quick_commands_do_not_import_textual(command, home):
    code = (
        "import sys\n"
        "from spasm_coach.cli import main\n"
        "for args in (['log', '4'], " + repr(command) + "):\n"
        "    try:\n        main(args)\n"
        "    except SystemExit as exit:\n        assert not exit.code, exit.code\n"
        "print('textual' in sys.modules, file=sys.stderr)\n"
    )
    assert run_python(code, home).stderr.strip().endswith("False")


@pytest.mark.parametrize("args", [[], ["coach"]])
def test_the_coach_alone_opens_without_the_command_line_parser(args, home):
    """`spasm-coach` is how most people start: it skips typer and click, which cost start-up
    time, and reaches the coach on the person's own log."""
    code = (
        "import sys\n"
        "import spasm_coach.cli.coach as coach\n"
        "def opened(clock):\n"
        "    print('typer' in sys.modules, 'click' in sys.modules, file=sys.stderr)\n"
        "    return 0\n"
        "coach.open_coach = opened\n"
        "from spasm_coach.cli import main\n"
        f"main({args!r})\n"
    )
    assert run_python(code, home).stderr.split() == ["False", "False"]


def test_the_coach_alone_says_a_damaged_log_in_one_line(home):
    home.mkdir()
    (home / "pain-log.sqlite3").write_bytes(b"not a database at all" * 200)
    ran = subprocess.run(
        [sys.executable, "-m", "spasm_coach"],
        capture_output=True,
        text=True,
        env={**os.environ, "SPASM_COACH_HOME": str(home)},
        check=False,
    )
    assert ran.returncode == 65, ran.stderr  # EX_DATAERR, as every command says it
    assert ran.stderr.startswith("spasm-coach: ")
    assert len(ran.stderr.strip().splitlines()) == 1
    assert "Traceback" not in ran.stderr


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_and_import_do_not_import_textual_or_the_content(home, tmp_path, fmt):
    """A backup and its import load neither the TUI nor the content (read only when a FHIR
    export holds a check or a session)."""
    backup = tmp_path / f"backup.{fmt}"
    code = (
        "import sys\n"
        "from spasm_coach.cli import main\n"
        f"for args in (['log', '4'], ['export', '-f', '{fmt}', '-o', {str(backup)!r}],"
        f" ['import', {str(backup)!r}]):\n"
        "    try:\n        main(args)\n"
        "    except SystemExit as exit:\n        assert not exit.code, exit.code\n"
        "print('textual' in sys.modules, 'spasm_coach.content' in sys.modules, file=sys.stderr)\n"
    )
    assert run_python(code, home).stderr.strip().endswith("False False")


def test_python_dash_m_runs_the_same_commands(home):
    env = {**os.environ, "SPASM_COACH_HOME": str(home)}
    logged = subprocess.run(
        [sys.executable, "-m", "spasm_coach", "log", "5", "--note", "from a shell"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert logged.returncode == 0, logged.stderr
    exported = subprocess.run(
        [sys.executable, "-m", "spasm_coach", "export", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert json.loads(exported.stdout)["pain_scores"][0]["note"] == "from a shell"
    bad = subprocess.run(
        [sys.executable, "-m", "spasm_coach", "log", "11"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr == "spasm-coach: a pain score is a whole number from 0 to 10, not '11'\n"
