"""Exports of the pain log: CSV for a spreadsheet, JSON for a backup, FHIR R4 for a health record
(the FHIR Bundle is written by spasm_coach.fhir).

FORMATS is the one table of them: each format's name (as typed after `--format`), its label (as
the TUI's export dialog offers it), its file suffix, its writer and the options it takes. The CLI
and the dialog only read it, so a new format is one entry here (and its writer).

Writers stream: they take iterators from the store and write a record at a time, so memory stays
flat however long the log is. CSV cells that a spreadsheet would read as a formula are escaped with
a leading apostrophe (and unescaped on import), so a note like `=HYPERLINK(...)` stays text.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from spasm_coach.pain import MAX_SCORE, MIN_SCORE, band
from spasm_coach.paths import PathMistake, expand_home

if TYPE_CHECKING:  # the log's modules load when an export is written, not when it is offered
    from spasm_coach.log_reader import LogReader
    from spasm_coach.records import PainRow, Record

JSON_FORMAT_NAME = "spasm-coach-log"
JSON_FORMAT_VERSION = 3
"""2 added the check kind, completeness and inferred answers, and safety notes; 3 the changes in
the person's plan. Import reads 1 and 2 too."""

CSV_COLUMNS = ("date", "time", "recorded_at", "score", "band", "context", "note", "session", "uid")
"""`date` (the day) and `time` (the day and the time of day), as the person lived them in the
entry's own time zone, come first, in the ISO forms every spreadsheet reads as a date and a date
and time whatever its language (LibreOffice reads a time of day alone as text unless asked to
look for one); `recorded_at` with its UTC offset is what import reads back."""
BOM = "\ufeff"
"""The UTF-8 byte-order mark a CSV starts with, so a spreadsheet reads accented notes right."""
FORMULA_STARTS = "=+-@"
"""What a spreadsheet may read as the start of a formula (OWASP CSV injection)."""
ESCAPED_STARTS = FORMULA_STARTS + "'\t\r"
"""A cell starting with one of these is escaped: a formula, the escape itself, and the tab and
carriage return OWASP lists (a spreadsheet may drop them and find a formula behind)."""
BLANKS = " \t\r\n"


def spreadsheet_safe(text: str) -> str:
    """`text` with a leading apostrophe if a spreadsheet could read it as a formula: its first
    character is one, or its first after blanks is (a spreadsheet that trims spaces would find
    it); restore.spreadsheet_unescape takes the apostrophe off again."""
    first = text[:1]
    if first and (
        first in ESCAPED_STARTS
        or (first in BLANKS and (text.lstrip(BLANKS)[:1] or "x") in FORMULA_STARTS)
    ):
        return "'" + text
    return text


BAND_OF_SCORE = tuple(band(score) for score in range(MIN_SCORE, MAX_SCORE + 1))
QUOTED = re.compile('[,;"\t\r\n]')
"""What puts a cell in quotes: what makes csv.writer quote one (its default dialect, CRLF line
ends), and the semicolon and tab a spreadsheet may also split cells at (LibreOffice's import
splits at comma, semicolon and tab unless told otherwise) but never inside quotes."""
BATCH = 1000
"""Scores written a batch at a time: one write for a thousand lines."""


def csv_cell(text: str) -> str:
    """Text as a CSV cell: escaped against formulas, then quoted where a spreadsheet could split
    it."""
    text = spreadsheet_safe(text)
    return '"' + text.replace('"', '""') + '"' if QUOTED.search(text) else text


def write_csv(rows: Iterable[PainRow], out: IO[str], *, bom: bool = True) -> int:
    """One line a score, as Store.pain_rows gives them, after a byte-order mark unless `bom` is
    False; returns how many.

    The lines are csv.writer's, put together here because the writer's per-cell work is most of
    an export's time: of a score's cells only the note can hold a comma, a quote, a line end or a
    formula character. The date and time are cut from the ISO text (the entry's own, with its
    offset); uid and session are canonical UUIDs, the context a vocabulary word, the band a word.
    """
    out.write((BOM if bom else "") + ",".join(CSV_COLUMNS) + "\r\n")
    count = 0
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        out.write(
            "".join(
                [
                    f"{at[:10]},{at[:19]},{at},{score},{BAND_OF_SCORE[score]},{context},"
                    f"{csv_cell(note) if note else ''},{session or ''},{uid}\r\n"
                    for uid, at, score, context, note, session in batch
                ]
            )
        )
        count += len(batch)
    return count


def _write_array(out: IO[str], name: str, items: Iterable[dict[str, Any]], last: bool) -> int:
    lines = (json.dumps(item, ensure_ascii=False) for item in items)
    return write_json_lines(out, name, lines, last)


def write_json_lines(out: IO[str], name: str, lines: Iterable[str], last: bool = False) -> int:
    """`"name": [...]` with one JSON text a line, a batch of lines a write; returns how many."""
    out.write(f'  "{name}": [')
    count = 0
    lines = iter(lines)
    while batch := list(islice(lines, BATCH)):
        out.write(",\n    " if count else "\n    ")
        out.write(",\n    ".join(batch))
        count += len(batch)
    out.write("\n  ]" if count else "]")
    out.write("\n" if last else ",\n")
    return count


json_text = json.JSONEncoder(ensure_ascii=False).encode
"""A string as json.dumps(text, ensure_ascii=False) writes it."""


def pain_json(row: PainRow) -> str:
    """json.dumps(PainEntry.to_json(), ensure_ascii=False) for a score, written out: every field
    but the note is a UUID, an ISO time, a number or a vocabulary word, which need no escaping
    in JSON, so only the note goes through the encoder."""
    uid, recorded_at, score, context, note, session = row
    note_json = "null" if note is None else json_text(note)
    session_json = "null" if session is None else f'"{session}"'
    return (
        f'{{"uid": "{uid}", "recorded_at": "{recorded_at}", "score": {score}, '
        f'"context": "{context}", "note": {note_json}, "session": {session_json}}}'
    )


def write_json(
    store: LogReader, out: IO[str], since: datetime | None, until: datetime | None, now: datetime
) -> int:
    """The whole log in the window: pain scores, screenings, sessions with events, heat and ice,
    safety notes and the changes in the person's plan."""
    from spasm_coach.records import iso

    header = {
        "format": JSON_FORMAT_NAME,
        "version": JSON_FORMAT_VERSION,
        "exported_at": iso(now),
        "since": iso(since),
        "until": iso(until),
    }
    out.write("{\n")
    for key, value in header.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value)},\n")
    count = write_json_lines(out, "pain_scores", map(pain_json, store.pain_rows(since, until)))
    screenings = (screening.to_json() for screening in store.screenings(since, until))
    _write_array(out, "screenings", screenings, False)
    sessions = (record.to_json(store.events(record.uid)) for record in store.sessions(since, until))
    _write_array(out, "sessions", sessions, False)
    heat_ice = (use.to_json() for use in store.applications(since, until))
    _write_array(out, "heat_ice", heat_ice, False)
    notes = (note.to_json() for note in store.safety_notes(since, until))
    _write_array(out, "safety_notes", notes, False)
    changes = (change.to_json() for change in store.plan_changes(since, until))
    _write_array(out, "plan_changes", changes, True)
    out.write("}\n")
    return count


def write_records_json(records: Sequence[Record], out: IO[str], now: datetime) -> int:
    """Records held in memory (what the coach could not save) in the backup's JSON format, so
    `spasm-coach import` reads them back; returns how many pain scores."""
    from spasm_coach.records import (
        Application,
        PainEntry,
        PlanChange,
        SafetyNote,
        Screening,
        SessionEvent,
        SessionRecord,
        iso,
    )

    events: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        if isinstance(record, SessionEvent):
            events.setdefault(record.session_uid, []).append(record.to_json())
    out.write("{\n")
    header = {"format": JSON_FORMAT_NAME, "version": JSON_FORMAT_VERSION, "exported_at": iso(now)}
    for key, value in {**header, "since": None, "until": None}.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value)},\n")

    def of(kind: type) -> list[Any]:
        return [record for record in records if isinstance(record, kind)]

    count = _write_array(out, "pain_scores", (e.to_json() for e in of(PainEntry)), False)
    _write_array(out, "screenings", (s.to_json() for s in of(Screening)), False)
    sessions = (s.to_json([]) | {"events": events.get(s.uid, [])} for s in of(SessionRecord))
    _write_array(out, "sessions", sessions, False)
    _write_array(out, "heat_ice", (a.to_json() for a in of(Application)), False)
    _write_array(out, "safety_notes", (n.to_json() for n in of(SafetyNote)), False)
    _write_array(out, "plan_changes", (c.to_json() for c in of(PlanChange)), True)
    out.write("}\n")
    return count


@dataclass(frozen=True)
class Window:
    """What an export covers, and how: the period (None is open-ended) and the moment of export."""

    since: datetime | None
    until: datetime | None
    now: datetime
    bom: bool = True
    """Start a CSV file with a byte-order mark (for a format whose `bom` option is on)."""


Writer = Callable[["LogReader", IO[str], Window], int]
"""Writes the log in the window to the file; returns how many pain scores it wrote."""


@dataclass(frozen=True)
class ExportFormat:
    """One way to export the log, as every face offers it."""

    name: str
    """As typed after --format, and the key of FORMATS."""
    label: str
    """What it is for, as the export dialog lists it: "CSV, for a spreadsheet"."""
    suffix: str
    """The end of a file name in this format, for the name the dialog suggests."""
    write: Writer
    bom: bool = False
    """Takes --bom/--no-bom: the file may start with a byte-order mark for a spreadsheet."""


def _write_csv(store: LogReader, out: IO[str], window: Window) -> int:
    return write_csv(store.pain_rows(window.since, window.until), out, bom=window.bom)


def _write_json(store: LogReader, out: IO[str], window: Window) -> int:
    return write_json(store, out, window.since, window.until, window.now)


def _write_fhir(store: LogReader, out: IO[str], window: Window) -> int:
    from spasm_coach.fhir import write_fhir  # the FHIR writer loads the content, when asked

    return write_fhir(store, out, window.since, window.until, window.now)


FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("csv", "CSV, for a spreadsheet", ".csv", _write_csv, bom=True),
        ExportFormat("json", "JSON, a full backup", ".json", _write_json),
        ExportFormat("fhir", "FHIR R4, for a health record", ".fhir.json", _write_fhir),
    )
}
"""Every export format, the first the one offered first; the faces list them in this order."""


def export(
    store: LogReader,
    fmt: str,
    out: IO[str],
    since: datetime | None,
    until: datetime | None,
    now: datetime,
    *,
    bom: bool = True,
) -> int:
    """Write the log in `fmt` (a CSV file after a byte-order mark unless `bom` is False);
    returns the number of pain scores written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    chosen = FORMATS[fmt]
    return chosen.write(store, out, Window(since, until, now, bom and chosen.bom))


class ExportTargetError(ValueError):
    """A place an export must not be written to; the message says why and what to do."""


def check_target(path: Path, log_path: Path | None) -> Path:
    """The absolute path an export may be written to, or ExportTargetError.

    Never onto the pain log or the files SQLite keeps beside it (that would destroy every
    record), a folder, a device or anything else that is not a regular file.
    """
    try:
        target = expand_home(path).absolute()
    except PathMistake as exc:
        raise ExportTargetError(str(exc)) from None
    # bytes as the file system counts them, for any name (even one that isn't UTF-8)
    if len(os.fsencode(target.name)) > NAME_MAX:
        raise ExportTargetError(
            f"the file name is too long ({len(target.name):,} characters; at most {NAME_MAX})"
        )
    if len(os.fsencode(target)) > PATH_MAX:
        raise ExportTargetError(
            f"the path is too long ({len(str(target)):,} characters; at most {PATH_MAX:,})"
        )
    try:
        if log_path is not None and _is_log_file(target, log_path):
            raise ExportTargetError(
                f"{path} is the pain log itself (or one of its files); writing there would "
                "destroy it. Choose another file name."
            )
        if target.is_dir():
            raise ExportTargetError(
                f"{path} is a folder; give a file name, e.g. {target / 'pain.csv'}"
            )
        if target.exists() and not target.is_file():
            raise ExportTargetError(
                f"{path} is not a regular file (a device or a pipe); choose a file"
            )
        if not target.parent.is_dir():
            raise ExportTargetError(
                f"the folder {target.parent} does not exist; create it, or choose another"
            )
    except OSError as exc:
        raise ExportTargetError(f"{path} can't be used ({exc.strerror or exc})") from None
    return target


NAME_MAX, PATH_MAX = 250, 4000
"""Leave room below the usual file-system limits (255 and 4096 bytes) for the temp name."""


def _is_log_file(target: Path, log_path: Path) -> bool:
    from spasm_coach.store import log_files

    guarded = log_files(log_path)
    if target.resolve() in {p.resolve() for p in guarded}:
        return True
    key = _same_file_key(target)
    return key is not None and key in {_same_file_key(p) for p in guarded}


def _same_file_key(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino
