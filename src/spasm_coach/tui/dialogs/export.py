"""Export from the history screen: choose a file and a format, then write it off the UI thread."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static
from textual.worker import Worker, WorkerState

from spasm_coach.export import FORMATS, ExportTargetError, check_target, export
from spasm_coach.files import atomic_text_file
from spasm_coach.trend import Period
from spasm_coach.tui.base import CoachModal


@dataclass(frozen=True)
class Exported:
    path: Path
    fmt: str
    count: int


def first_format() -> str:
    """The format offered first (and chosen until another is)."""
    return next(iter(FORMATS))


def default_export_path(now: datetime, fmt: str | None = None) -> str:
    return f"~/spasm-coach-pain-{now:%Y-%m-%d}{FORMATS[fmt or first_format()].suffix}"


def with_suffix_for(text: str, fmt: str) -> str:
    """The path with its export suffix swapped for `fmt`'s; other names are left alone."""
    for suffix in sorted({f.suffix for f in FORMATS.values()}, key=len, reverse=True):
        if text.endswith(suffix):
            return text[: -len(suffix)] + FORMATS[fmt].suffix
    return text


def check_export_path(text: str, log_path: Path | None) -> tuple[Path | None, str | None]:
    """(the path, None) if a file can be written there, else (None, what is wrong)."""
    if not text.strip():
        return None, "Type a file name, e.g. ~/pain.csv."
    try:
        path = check_target(Path(text.strip()), log_path)
    except ExportTargetError as exc:
        return None, f"{str(exc)[0].upper()}{str(exc)[1:]}."
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return None, f"You can't write in the folder {path.parent}. Choose another."
    return path, None


class FormatButton(RadioButton):
    """A radio button whose choice shows as a mark, not only as a colour."""

    BUTTON_INNER = " "

    def watch_value(self) -> None:
        """The mark follows the value (set before the redraw the change asks for)."""
        self.BUTTON_INNER = "●" if self.value else " "
        super().watch_value()


class ExportDialog(CoachModal[Exported | None]):
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
                for number, fmt in enumerate(FORMATS.values()):
                    yield FormatButton(fmt.label, value=number == 0, id=f"format-{fmt.name}")
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
        return list(FORMATS)[index] if index >= 0 else first_format()

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
        path, problem = check_export_path(
            self.query_one("#export-path", Input).value, self.coach.store.path
        )
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
    def write_file(self, path: Path, fmt: str, period: Period) -> Exported | str:
        """Stream the period from the log into the file, off the UI thread: what was written,
        or why nothing was.

        The dialog closes only once this has returned (`written`): closing it from in here
        would cancel this worker with its dialog while its thread still ran, and on a busy
        computer the cancellation came first."""
        try:
            with atomic_text_file(path) as out:
                count = export(self.coach.store, fmt, out, period.since, period.until, period.now)
        except OSError as exc:
            return f"can't write {path} ({exc.strerror or exc})."
        return Exported(path, fmt, count)

    @on(Worker.StateChanged)
    def written(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "export" or event.state is not WorkerState.SUCCESS:
            return
        result = event.worker.result
        if isinstance(result, Exported):
            self.dismiss(result)
        else:
            self.writing = False
            self.show_problem(str(result))
