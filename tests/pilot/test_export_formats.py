"""Each export format lives once, in the core's table: a format registered there, and nowhere
else, is offered by the command line (its --format help and choices) and by the TUI's export
dialog, and written by both. This is the "add a format" change kept as a test."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest
from tests.pilot.drive import start_app, visible_text, wait_for
from textual.widgets import Input

from spasm_coach import export
from spasm_coach.clock import Clock, FakeClock
from spasm_coach.markdown import md
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.dialogs.export import ExportDialog
from spasm_coach.tui.screens.history import HistoryScreen
from spasm_coach.tui.screens.home import HomeScreen

MARKDOWN_WRITER = """
def write_markdown(store, out, window):
    rows = list(store.pain_rows(window.since, window.until))
    out.write("| recorded | score | note |\\n|---|---|---|\\n")
    for _, at, score, _, note, _ in rows:
        out.write(f"| {at} | {score} | {md(note or '')} |\\n")
    return len(rows)


MARKDOWN = ExportFormat("markdown", "Markdown, for clinical notes", ".md", write_markdown)
"""
"""The whole of a new format: its writer and its row in the table."""


def markdown_format() -> export.ExportFormat:
    scope: dict[str, object] = {"ExportFormat": export.ExportFormat, "md": md, "IO": IO}
    exec(MARKDOWN_WRITER, scope)
    made = scope["MARKDOWN"]
    assert isinstance(made, export.ExportFormat)
    return made


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(export.FORMATS, "markdown", markdown_format())


@pytest.fixture
def cli_clock(clock: FakeClock) -> Clock:
    return clock


def test_a_format_in_the_table_is_offered_and_written_by_the_command_line(
    cli: Callable[..., object], home: Path
) -> None:
    cli("log", "6", "--note", "*stiff* [after] work")
    script = (
        "import sys\n"
        "from spasm_coach.export import ExportFormat, FORMATS\n"
        "from spasm_coach.markdown import md\n"
        f"{MARKDOWN_WRITER}\n"
        "FORMATS['markdown'] = MARKDOWN\n"
        "from spasm_coach.cli.commands import main\n"
        "main(sys.argv[1:])\n"
    )
    env = {**os.environ, "SPASM_COACH_HOME": str(home), "COLUMNS": "100"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", script, *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    helped = run("export", "--help")
    assert helped.returncode == 0, helped.stderr
    assert "One of: csv, json, fhir, markdown." in helped.stdout
    assert "Markdown, for clinical notes" in helped.stdout
    written = run("export", "--format", "markdown")
    assert written.returncode == 0, written.stderr
    assert "| 6 | \\*stiff\\* \\[after\\] work |" in written.stdout
    refused = run("export", "--format", "pdf")
    assert refused.returncode == 2
    assert "is not one of: csv, json, fhir, markdown" in refused.stderr


@pytest.mark.usefixtures("registered")
async def test_a_format_in_the_table_is_offered_and_written_by_the_export_dialog(
    coach: Callable[..., CoachApp],
    cli: Callable[..., object],
    store: Store,
    tmp_path: Path,
) -> None:
    cli("log", "6", "--note", "*stiff*")
    async with start_app(coach()) as pilot:
        await wait_for(pilot, HomeScreen)
        await pilot.press("l")
        await wait_for(pilot, HistoryScreen)
        await pilot.app.workers.wait_for_complete()
        await pilot.press("e")
        dialog = await wait_for(pilot, ExportDialog)
        assert "Markdown, for clinical notes" in visible_text(pilot.app)
        await pilot.click("#format-markdown")
        await pilot.pause()
        path = dialog.query_one("#export-path", Input)
        assert path.value.endswith(".md")
        path.value = str(tmp_path / "pain.md")
        await pilot.pause()
        path.focus()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(pilot.app.screen, HistoryScreen)
    assert "| 6 | \\*stiff\\* |" in (tmp_path / "pain.md").read_text(encoding="utf-8")
