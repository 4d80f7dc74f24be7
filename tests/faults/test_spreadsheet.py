"""The CSV export opened in LibreOffice Calc as a person opens it (its Text Import dialog's
defaults, see tests/render/calc.py), in British English and in German.

What was seen: a note "fine today<TAB>=10*10" split at the tab into a live formula; a note with
a `;` or a tab split into columns; accented notes garbled (no byte-order mark); the time column
opening as text although the README calls it a time. Each is a row of the table; each note, in
each language, is a try.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from tests.factory import add_pain
from tests.faults.helpers import run_cli
from tests.faults.tally import Tally
from tests.render.calc import LANGUAGES, Cell, calc, open_in_calc

from spasm_coach.store import Store

FORMULAS = ["fine today\t=10*10", "\t=1+1", " =1+1", "x\t+SUM(A1)", "ok\t@cmd"]
SEMICOLONS = ["a; b; c", "stiff;=1+1", "one;two\tthree"]
ACCENTS = ["Rückenschmerzen, müde", "été, ça va", "Ağrı çok", "背中が痛い", "ból pleców 😀"]
NOTES = [*FORMULAS, *SEMICOLONS, *ACCENTS]


@dataclass(frozen=True)
class Opened:
    notes: list[str]
    sheets: dict[str, list[list[Cell]]]
    """The sheet as each language's import reads it: the header, then a row a note."""


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory) -> Opened:
    calc()
    folder = tmp_path_factory.mktemp("spreadsheet")
    home = folder / "home"
    now = datetime.now().astimezone().replace(microsecond=0)
    with Store.open(home / "pain-log.sqlite3") as store:
        for minutes, note in enumerate(NOTES):
            add_pain(store, 4, now - timedelta(hours=2, minutes=-minutes), note=note)
    exported = folder / "pain.csv"
    ran = run_cli(["export", "-o", str(exported)], home)
    assert ran.code == 0, ran.err
    return Opened(
        NOTES, {language: open_in_calc(exported, folder, language) for language in LANGUAGES}
    )


def notes_as_read(opened: Opened, notes: list[str], tally: Tally) -> None:
    """Each of `notes`, in each language: one cell, text, reading as written (the formula
    guard's apostrophe aside), and no formula anywhere in its row."""
    for language, (header, *rows) in opened.sheets.items():
        columns = [cell.text for cell in header]
        for note in notes:
            tally.tried += 1
            row = rows[opened.notes.index(note)]
            where = f"{language}: {note!r}"
            if (
                len(row) != len(columns)
                or row[columns.index("note")].text.removeprefix("'") != note
            ):
                tally.fail(f"{where}: read as {[cell.text for cell in row]}")
            elif any(cell.is_formula for cell in row):
                tally.fail(f"{where}: a formula in {[cell.text for cell in row]}")
    tally.how.add("LibreOffice headless, the Text Import dialog's defaults, en_GB and de_DE")
    tally.done()


@pytest.mark.fault("CSV in LibreOffice: formula after a tab")
def test_a_formula_after_a_tab_or_a_space_stays_text(opened: Opened, tally: Tally) -> None:
    notes_as_read(opened, FORMULAS, tally)


@pytest.mark.fault("CSV in LibreOffice: ; in a note")
def test_a_semicolon_or_a_tab_keeps_the_note_in_one_cell(opened: Opened, tally: Tally) -> None:
    notes_as_read(opened, SEMICOLONS, tally)


@pytest.mark.fault("CSV in LibreOffice: accented notes")
def test_accented_notes_read_as_written(opened: Opened, tally: Tally) -> None:
    notes_as_read(opened, ACCENTS, tally)


@pytest.mark.fault("CSV in LibreOffice: time cell")
def test_the_date_and_time_open_as_a_date_and_a_time(opened: Opened, tally: Tally) -> None:
    for language, (header, *rows) in opened.sheets.items():
        columns = [cell.text for cell in header]
        for row in rows:
            tally.tried += 1
            date, time, recorded_at = (
                row[columns.index(name)] for name in ("date", "time", "recorded_at")
            )
            local = recorded_at.text[:19]
            if (date.kind, date.moment) != ("date", local[:10]):
                tally.fail(f"{language}: the date {date.text!r} opens as {date.kind} {date.moment}")
            elif time.kind not in ("date", "time") or (time.moment or "")[:19] != local:
                tally.fail(f"{language}: the time {time.text!r} opens as {time.kind} {time.moment}")
    tally.how.add("LibreOffice headless, the Text Import dialog's defaults, en_GB and de_DE")
    tally.done()
