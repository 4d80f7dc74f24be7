"""A browser tab closed (or reloaded) ends its coach the way `q` does: a session in progress is
recorded as interrupted, and an entry the log could not take yet goes to the rescue file.

textual-serve tells a tab's coach to quit when the tab's websocket closes; the coach treats that
as any other way of being told to close (CoachApp.on_exit_app)."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from tests.browser.tab import (
    Serve,
    a_check_this_morning,
    browser_tab,
    coach_processes,
    into_the_session,
    log_held,
    log_rows,
    press,
    wait_for_screen,
    wait_until,
)

from spasm_coach.restore import read_export
from spasm_coach.store import Store


def outcomes(home: Path) -> list[str | None]:
    return [row[0] for row in log_rows(home, "SELECT outcome FROM session ORDER BY started_at")]


@pytest.mark.parametrize("how", ["closed", "reloaded"])
def test_a_tab_closed_or_reloaded_mid_session_records_it_as_interrupted(
    chromium: str, serve: Serve, tmp_path: Path, owner_home: Path, how: str
) -> None:
    a_check_this_morning(owner_home)
    server = serve(owner_home)
    with browser_tab(chromium, tmp_path / "profile") as visit:
        visit.page.goto(server.url)
        wait_for_screen(visit.page, "Start a stretch session")
        into_the_session(visit.page, quick=True)
        [coach] = coach_processes(server)
        if how == "closed":
            visit.page.close()
        else:
            visit.page.reload()
            wait_for_screen(visit.page, "Start a stretch session")
        wait_until(lambda: coach not in coach_processes(server), "the tab's coach to close")
    assert outcomes(owner_home) == ["interrupted"]
    _, out, _ = server.stop()
    said = " ".join(out.split())  # in the terminal running serve
    assert "the coach in the browser was closed; everything you entered is saved." in said


@pytest.mark.parametrize("how", ["tab closed", "SIGTERM", "terminal closed"])
def test_a_closed_tab_writes_what_waits_to_the_rescue_file(
    chromium: str, serve: Serve, tmp_path: Path, owner_home: Path, how: str
) -> None:
    """The tab closed; the tab's coach sent SIGTERM (a logout); the terminal running serve
    closed (SIGHUP to serve and its coaches): each writes the rescue file and says so."""
    server = serve(owner_home)
    with browser_tab(chromium, tmp_path / "profile") as visit:
        visit.page.goto(server.url)
        wait_for_screen(visit.page, "Start a stretch session")
        [coach] = coach_processes(server)
        with log_held(owner_home):
            press(visit.page, "p")
            wait_for_screen(visit.page, "Press 0-9")
            press(visit.page, "5")
            wait_for_screen(visit.page, "NOT SAVED YET")
            if how == "tab closed":
                visit.page.close()
            elif how == "SIGTERM":
                os.kill(coach, signal.SIGTERM)
            else:
                os.killpg(server.process.pid, signal.SIGHUP)
            wait_until(lambda: coach not in coach_processes(server), "the tab's coach to close")
    [rescued] = owner_home.glob("spasm-coach-unsaved-*.json")
    assert rescued.stat().st_mode & 0o777 == 0o600
    assert json.loads(rescued.read_text())["format"] == "spasm-coach-log"
    with Store.open(owner_home / "pain-log.sqlite3") as store:
        assert store.restore(read_export(rescued)).added == 1
        assert [entry.score for entry in store.pain_scores()] == [5]
    if how == "terminal closed":  # no terminal left to say it in
        server.process.communicate(timeout=15)
        assert server.process.returncode == 0
        return
    _, out, _ = server.stop()
    said = " ".join(out.split())  # as the terminal running serve shows it, wrapped
    assert f"1 entry could not be saved; they are in {rescued}" in said
    assert f"spasm-coach import {rescued}" in said
