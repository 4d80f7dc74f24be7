"""A CSV export opened in a real spreadsheet (LibreOffice Calc, headless): the date is a date a
person can chart and filter by, and nothing in it runs as a formula."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CELL = re.compile(r"<table:table-cell([^>]*?)/?>(?:\s*<text:p>(.*?)</text:p>)?", re.S)


def calc() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip(
            "LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui); "
            "the spreadsheet check needs it"
        )
    return found


def open_in_calc(csv_path: Path, work: Path) -> list[list[tuple[str, str]]]:
    """The sheet's rows as (cell attributes, text), as Calc reads the file with its defaults."""
    subprocess.run(
        [
            calc(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--convert-to",
            "fods",
            "--outdir",
            str(work),
            str(csv_path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sheet = (work / f"{csv_path.stem}.fods").read_text(encoding="utf-8")
    rows = re.findall(r"<table:table-row[^>]*>(.*?)</table:table-row>", sheet, re.S)
    return [CELL.findall(row) for row in rows]


def test_the_date_column_is_a_real_date_and_notes_stay_text(cli, cli_clock, tmp_path: Path):
    calc()
    assert cli("log", "6", "--note", '=HYPERLINK("http://x","click")', "--at", "2h").code == 0
    assert cli("log", "3").code == 0
    exported = tmp_path / "pain.csv"
    assert cli("export", "-o", str(exported)).code == 0

    header, first, second = open_in_calc(exported, tmp_path)[:3]
    columns = [text for _, text in header]
    assert columns[:3] == ["date", "time", "recorded_at"]
    for row in (first, second):
        date_cell, shown = row[0]
        assert 'office:value-type="date"' in date_cell, date_cell
        assert f'office:date-value="{shown}"' in date_cell
    assert second[0][1] == f"{cli_clock.now():%Y-%m-%d}"
    note_cell, note_text = first[columns.index("note")]
    assert "table:formula" not in note_cell
    assert 'office:value-type="string"' in note_cell
    assert html.unescape(note_text) == '\'=HYPERLINK("http://x","click")'  # shown as text
    for row in (first, second):
        assert all("table:formula" not in attributes for attributes, _ in row)
