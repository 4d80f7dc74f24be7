"""The installed command in a real process, and the promise that the core never loads a UI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import spasm_coach

PACKAGE = Path(spasm_coach.__file__).parent
FACES = ("tui", "cli", "__main__.py")
"""The faces: the TUI, the command line and `python -m spasm_coach` (which runs the command
line). Everything else in the package is the core."""


def core_modules() -> list[str]:
    """Every module of the core, found on disk: a module or package added later is covered
    without naming it here."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] in FACES:
            continue
        names = [*parts[:-1], *([] if path.stem == "__init__" else [path.stem])]
        found.append(".".join(["spasm_coach", *names]))
    return found


CORE_MODULES = core_modules()
UI_PACKAGES = ("textual", "rich", "typer")


def run_python(code: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SPASM_COACH_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_loads_no_ui_library(module: str, home: Path) -> None:
    loaded = run_python(
        f"import sys, {module}; print(sorted({{m.split('.')[0] for m in sys.modules}}))", home
    ).stdout
    for package in UI_PACKAGES:
        assert f"'{package}'" not in loaded, f"{module} imports {package}"


def test_the_core_found_is_the_core_the_import_contract_guards() -> None:
    """The modules found here and the core contract in pyproject.toml (lint-imports) agree, so
    a new core module is both loaded here and guarded there: a module the contract doesn't name
    fails this test until it does."""
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    contracts = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    core = next(
        c
        for c in contracts["tool"]["importlinter"]["contracts"]
        if "spasm_coach.tui" in c.get("forbidden_modules", ())
        and "textual" in c["forbidden_modules"]
    )
    guarded = set(core["source_modules"])
    assert {"spasm_coach.store", "spasm_coach.report"} <= set(CORE_MODULES)
    unguarded = [
        module
        for module in CORE_MODULES
        if module != "spasm_coach"  # the package itself: its __init__ only
        and not any(module == g or module.startswith(f"{g}.") for g in guarded)
    ]
    assert not unguarded, f"name these in the core contract in pyproject.toml: {unguarded}"
    assert guarded <= set(CORE_MODULES), "the core contract names a module that is not there"


@pytest.mark.parametrize("command", [["log", "3"], ["export", "--format", "fhir"], ["history"]])
def test_quick_commands_do_not_import_textual(command: list[str], home: Path) -> None:
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
def test_the_coach_alone_opens_without_the_command_line_parser(args: list[str], home: Path) -> None:
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


def test_the_coach_alone_says_a_damaged_log_in_one_line(home: Path) -> None:
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
def test_export_and_import_do_not_import_textual_or_the_content(
    home: Path, tmp_path: Path, fmt: str
) -> None:
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


def test_python_dash_m_runs_the_same_commands(home: Path) -> None:
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
