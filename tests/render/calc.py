"""A CSV file opened in LibreOffice Calc (headless) as a person opens it, read back cell by cell.

A person double-clicking a CSV file gets LibreOffice's Text Import dialog with its defaults
(LibreOffice's own settings, org.openoffice.Office.Calc/Dialogs/CSVImport): cells split at a
comma, a semicolon and a tab, never inside double quotes; "Detect special numbers" off (a
number, an ISO date or an ISO date and time is a value, anything else text); the character set
UTF-8 when the file starts with a byte-order mark, else the computer's own. Headless, the same
choices are given as the filter's options, with:

- the computer's own character set as Windows-1252, as on most Windows computers in Western
  Europe (on a computer whose own set is UTF-8 a file without the mark reads right by luck);
- "Evaluate formulas" on, as for pasted text and for anyone who ticks it: a cell that is a
  formula then shows as one (table:formula), which is what must never happen to a note.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

LANGUAGES = {"en_GB": 2057, "de_DE": 1031}
"""The import's language (LibreOffice's language ids), which decides how numbers and dates read."""
UTF8, WINDOWS_1252 = 76, 1
"""rtl_TextEncoding numbers, as the CSV filter's options take them."""
BOM = b"\xef\xbb\xbf"
CELL = re.compile(r"<table:table-cell([^>]*?)(?:/>|>(.*?)</table:table-cell>)", re.S)
ROW = re.compile(r"<table:table-row[^>]*>(.*?)</table:table-row>", re.S)


def calc() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip(
            "LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui); "
            "the spreadsheet check needs it"
        )
    return found


@dataclass(frozen=True)
class Cell:
    attributes: str
    text: str
    """What the cell shows, as one string (a tab in it as a tab)."""

    @property
    def kind(self) -> str:
        """office:value-type: string, float, date, time, ... ('' for an empty cell)."""
        found = re.search(r'office:value-type="(\w+)"', self.attributes)
        return found[1] if found else ""

    @property
    def is_formula(self) -> bool:
        return "table:formula" in self.attributes

    @property
    def moment(self) -> str | None:
        """The date or time value LibreOffice holds, ISO (office:date-value / time-value)."""
        found = re.search(r'office:(?:date|time)-value="([^"]+)"', self.attributes)
        return found[1] if found else None


def import_options(data: bytes, language: str) -> str:
    """The CSV filter's options for the Text Import dialog's defaults (see the module)."""
    charset = UTF8 if data.startswith(BOM) else WINDOWS_1252
    separators = "/".join(str(ord(char)) for char in ",;\t")
    # separators, text delimiter, character set, first line, column formats, language,
    # quoted field as text, detect special numbers, (3 export options), sheet, evaluate formulas
    return (
        f"CSV:{separators},34,{charset},1,,{LANGUAGES[language]},false,false,false,false,"
        "false,-1,true"
    )


def open_in_calc(csv_path: Path, work: Path, language: str) -> list[list[Cell]]:
    """The sheet's rows, as LibreOffice reads the file with the dialog's defaults."""
    out = work / f"calc-{language}"
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            calc(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{work / 'calc-profile'}",
            f"--infilter={import_options(csv_path.read_bytes(), language)}",
            "--convert-to",
            "fods",
            "--outdir",
            str(out),
            str(csv_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    sheet = (out / f"{csv_path.stem}.fods").read_text(encoding="utf-8")
    return [_cells(row) for row in ROW.findall(sheet)]


def _cells(row: str) -> list[Cell]:
    """A row's cells, a cell repeated (table:number-columns-repeated) as often as it stands."""
    cells = []
    for attributes, body in CELL.findall(row):
        repeated = re.search(r'table:number-columns-repeated="(\d+)"', attributes)
        cells += [_cell(attributes, body)] * min(int(repeated[1]) if repeated else 1, 50)
    return cells


def _cell(attributes: str, body: str) -> Cell:
    paragraphs = re.findall(r"<text:p>(.*?)</text:p>", body or "", re.S)
    text = "\n".join(paragraphs)
    text = text.replace("<text:tab/>", "\t")
    text = re.sub(r'<text:s(?: text:c="(\d+)")?/>', lambda m: " " * int(m[1] or 1), text)
    return Cell(attributes, html.unescape(re.sub(r"<[^>]+>", "", text)))
