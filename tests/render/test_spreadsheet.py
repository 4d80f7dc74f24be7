"""A CSV export opened in a real spreadsheet (LibreOffice Calc, headless, as its Text Import
dialog opens it by default; see calc.py), in British English and in German: the date is a date
and the time a date and time a person can chart and filter by, every note is one cell of text
as typed, and nothing in it runs as a formula. (The fault suite's spreadsheet rows try the
awkward notes one by one, against the file as it was written before.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.render.calc import LANGUAGES, calc, open_in_calc
from tests.support import Cli

from spasm_coach.clock import Clock

NOTES = [
    '=HYPERLINK("http://x","click")',
    "fine today\t=10*10",
    "stiff; then better; then stiff",
    " =1+1",
    "Rückenschmerzen, müde; été ça va 😀",
]


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_dates_times_and_notes_open_right(
    cli: Cli, cli_clock: Clock, tmp_path: Path, language: str
) -> None:
    calc()
    for minutes, note in enumerate(NOTES):
        at = f"{len(NOTES) - minutes}m"
        assert cli("log", "6", "--note", note, "--at", at).code == 0
    assert cli("log", "3").code == 0
    exported = tmp_path / "pain.csv"
    assert cli("export", "-o", str(exported)).code == 0

    header, *rows = open_in_calc(exported, tmp_path, language)[: len(NOTES) + 2]
    columns = [cell.text for cell in header]
    assert columns[:9] == [
        "date",
        "time",
        "recorded_at",
        "score",
        "band",
        "context",
        "note",
        "session",
        "uid",
    ]
    for row in rows:
        date, time, recorded_at = row[0], row[1], row[2]
        assert (date.kind, date.moment) == ("date", recorded_at.text[:10])
        assert (time.kind, time.moment) == ("date", recorded_at.text[:19])
        assert row[3].kind == "float"
        assert not any(cell.is_formula for cell in row), row
    note_column = columns.index("note")
    notes = [row[note_column] for row in rows]
    assert [cell.kind for cell in notes[: len(NOTES)]] == ["string"] * len(NOTES)
    shown = [cell.text.removeprefix("'") for cell in notes]  # the formula guard shows as '
    assert shown == [*NOTES, ""]
    assert rows[-1][0].moment == f"{cli_clock.now():%Y-%m-%d}"
