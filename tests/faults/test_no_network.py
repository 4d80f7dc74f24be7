"""No process opens a network socket: every command (serve aside, which is a web server by
design) and a short session of the coach in a pseudo-terminal run with an audit hook, installed
by a sitecustomize on PYTHONPATH, that records any internet socket created, connected or bound,
and any name looked up, and ends the process at once (exit 97).

Local sockets are allowed: asyncio, under the coach, makes a pair of Unix sockets to wake its
own loop. A first run proves the hook catches a real connection attempt."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tests.faults.helpers import PYTHON, cli_env, run_cli, seed_log
from tests.faults.tally import Tally
from tests.faults.terminal import Terminal
from tests.support import NONE_APPLY_TOML

pytestmark = pytest.mark.fault("No network socket")

CAUGHT = 97
SITECUSTOMIZE = """
import os, socket, sys

_REPORT = os.environ["SPASM_COACH_FAULTS_SOCKETS"]
_LOCAL = {getattr(socket, "AF_UNIX", -1)}


def _family(value):
    return getattr(value, "family", value)


def _caught(event, args):
    if event == "socket.__new__":
        if _family(args[1]) in _LOCAL:
            return
    elif event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
        if _family(args[0]) in _LOCAL:
            return
    elif event not in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        return
    with open(_REPORT, "a", encoding="utf-8") as report:
        report.write(f"{event} {args[1:]!r} in {' '.join(sys.argv)}\\n")
    os._exit(97)


sys.addaudithook(_caught)
"""


@pytest.fixture
def watched(tmp_path: Path) -> tuple[dict[str, Any], Path]:
    """The environment that loads the hook, and the file it reports to."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE)
    report = tmp_path / "sockets.txt"
    return {"PYTHONPATH": str(hook), "SPASM_COACH_FAULTS_SOCKETS": str(report)}, report


def test_the_hook_catches_a_connection(
    tmp_path: Path, watched: tuple[dict[str, Any], Path], tally: Tally
) -> None:
    env, report = watched
    code = "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"
    done = subprocess.run(
        [PYTHON, "-c", code], env=cli_env(tmp_path, **env), capture_output=True, check=False
    )
    tally.tried += 1
    tally.check(done.returncode == CAUGHT, f"the hook missed a connection: {done.stderr!r}")
    tally.check(report.exists() and "socket" in report.read_text(), "nothing was reported")
    tally.how.add("audit hook (sitecustomize), proven on a real connect")
    tally.done()


def commands(tmp_path: Path) -> list[list[str]]:
    backup = tmp_path / "backup.json"
    return [
        ["--version"],
        ["where"],
        ["log", "4", "--note", "after the walk"],
        ["history", "--since", "30d"],
        ["export", "--format", "csv"],
        ["export", "--format", "fhir"],
        ["export", "--format", "json", "-o", str(backup)],
        ["import", str(backup)],
        ["screen", "--json", "--none"],
        ["remind", "--json"],
        ["routines", "list"],
        ["routines", "show", "gentle"],
        ["routines", "handout", "gentle", "-o", str(tmp_path / "gentle.html")],
        ["report", "--since", "30d", "-o", str(tmp_path / "report.html")],
        ["plan", "--json"],
        ["plans", "show"],
        ["plans", "handout", "-o", str(tmp_path / "plan.html")],
    ]


def test_no_command_opens_a_network_socket(
    tmp_path: Path, watched: tuple[dict[str, Any], Path], tally: Tally
) -> None:
    env, report = watched
    home = tmp_path / "home"
    seed_log(home, scores=5)
    (home / "settings.toml").write_text('region = "uk"\n' + NONE_APPLY_TOML)
    for args in commands(tmp_path):
        tally.tried += 1
        ran = run_cli(args, home, **env)
        reported = report.read_text() if report.exists() else ""
        tally.check(ran.code != CAUGHT, f"{' '.join(args)} opened a socket: {reported[-300:]!r}")
        tally.check(ran.code in (0, 3), f"{' '.join(args)}: exit {ran.code}: {ran.err[-300:]!r}")
    tally.done()


def test_a_coach_session_opens_no_network_socket(
    tmp_path: Path, watched: tuple[dict[str, Any], Path], tally: Tally
) -> None:
    env, report = watched
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.toml").write_text('region = "uk"\n' + NONE_APPLY_TOML)
    term = Terminal(home, **env)
    missed = []
    try:
        for key, then in (
            ("", "Start a stretch session"),
            ("p", "Press 0-9"),
            ("3", "Logged 3"),
            ("s", "Question 1 of"),
            ("\x1b", "Start a stretch session"),
        ):
            if key:
                term.press(key)
            if term.wait_for(then, timeout=10) is None:
                missed.append(then)
        term.press("q")
        term.wait_for(r"\Z\A", timeout=3)  # until it has exited
        status = term.exit_status
    finally:
        term.close()
    tally.tried += 1
    code = os.waitstatus_to_exitcode(status) if status is not None else None
    reported = report.read_text() if report.exists() else ""
    tally.check(code != CAUGHT, f"the coach opened a socket: {reported[-300:]!r}")
    tally.check(not missed and code == 0, f"the session went wrong: exit {code}, missed {missed}")
    tally.done()
