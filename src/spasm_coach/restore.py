"""Reading spasm-coach's own CSV and JSON exports back in: a backup, or a new laptop.

Records are read and checked one at a time as they are written, all inside one transaction, so a
mistake anywhere in the file means nothing at all is imported, and memory stays flat however
long the file is. Each record keeps the uid it was exported with, so importing the same file
twice adds nothing the second time.
"""

from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from spasm_coach.export import FORMULA_TRIGGERS, JSON_FORMAT_NAME, JSON_FORMAT_VERSION
from spasm_coach.records import (
    Application,
    PainEntry,
    Record,
    RecordError,
    SafetyNote,
    Screening,
    SessionRecord,
    check_choice,
    check_optional_uid,
    check_time,
    check_uid,
)
from spasm_coach.vocabulary import PainContext

READABLE_VERSIONS = (1, JSON_FORMAT_VERSION)
"""Version 1 exports (no check kinds, no safety notes) still import."""


class RestoreError(ValueError):
    """A file that isn't a spasm-coach export, naming the line or record that is wrong."""


def spreadsheet_unescape(text: str) -> str:
    """Undo export.spreadsheet_safe."""
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_TRIGGERS else text


CSV_ROW_NAMESPACE = uuid.UUID("6c1b3c52-6f0e-4c1e-9d59-0c5e1f8b7a21")
"""Rows typed into a spreadsheet without a uid get one derived from their content, so importing
the same file twice still adds them once."""


def _csv_score(text: str, where: str) -> int:
    value = text.strip()
    if not value.isascii() or not value.isdigit() or not 0 <= int(value) <= 10:
        raise RestoreError(f"{where}: score {text!r} is not a whole number 0-10")
    return int(value)


def read_csv(lines: IO[str], name: str) -> Iterator[PainEntry]:
    reader = csv.DictReader(lines)
    missing = {"recorded_at", "score"} - set(reader.fieldnames or ())
    if missing:
        raise RestoreError(
            f"{name}: not a spasm-coach CSV export (no {', '.join(sorted(missing))} column)"
        )
    for row in reader:
        where = f"{name}: line {reader.line_num}"
        if None in row:
            raise RestoreError(f"{where}: more cells than the header has columns")
        try:
            uid_text = spreadsheet_unescape(row.get("uid") or "")
            yield PainEntry(
                uid=check_uid(uid_text, f"{where}: uid") if uid_text else _derived_uid(row),
                recorded_at=check_time(row.get("recorded_at") or "", f"{where}: recorded_at"),
                score=_csv_score(row.get("score") or "", where),
                context=check_choice(
                    spreadsheet_unescape(row.get("context") or "check-in"),
                    PainContext,
                    f"{where}: context",
                ),
                note=spreadsheet_unescape(row.get("note") or "") or None,
                session_uid=check_optional_uid(
                    spreadsheet_unescape(row.get("session") or ""), f"{where}: session"
                ),
            )
        except RecordError as exc:
            raise RestoreError(str(exc)) from None


def _derived_uid(row: dict[str, str]) -> str:
    columns = ("recorded_at", "score", "context", "note")
    return str(uuid.uuid5(CSV_ROW_NAMESPACE, "|".join(row.get(c) or "" for c in columns)))


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not a number an export holds")


def _records_from_json(doc: Any, name: str) -> Iterator[Record]:
    if not isinstance(doc, dict) or doc.get("format") != JSON_FORMAT_NAME:
        raise RestoreError(f"{name}: not a spasm-coach JSON export")
    version = doc.get("version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        readable = " and ".join(str(v) for v in READABLE_VERSIONS)
        raise RestoreError(
            f"{name}: export format version {version!r}; this spasm-coach reads versions {readable}"
        )
    try:
        for index, item in enumerate(_array(doc, "pain_scores", name), start=1):
            yield PainEntry.from_json(item, f"{name}: pain_scores[{index}]")
        for index, item in enumerate(_array(doc, "screenings", name), start=1):
            yield Screening.from_json(item, f"{name}: screenings[{index}]")
        for index, item in enumerate(_array(doc, "sessions", name), start=1):
            record, events = SessionRecord.from_json(item, f"{name}: sessions[{index}]")
            yield record
            yield from events
        for index, item in enumerate(_array(doc, "heat_ice", name), start=1):
            yield Application.from_json(item, f"{name}: heat_ice[{index}]")
        for index, item in enumerate(_array(doc, "safety_notes", name), start=1):
            yield SafetyNote.from_json(item, f"{name}: safety_notes[{index}]")
    except RecordError as exc:
        raise RestoreError(str(exc)) from None


def _array(doc: dict[str, Any], key: str, name: str) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise RestoreError(f"{name}: '{key}' must be a list")
    return value


def read_export(path: Path) -> Iterator[Record]:
    """Every record in a CSV or JSON export, checked one by one as they are read.

    Errors (RestoreError) come as the bad record is reached, so read this inside the import's
    transaction: a mistake anywhere rolls the whole import back.
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise RestoreError(f"{path}: can't be read ({exc.strerror or exc})") from None
    with handle:
        try:
            start = handle.read(1)
            while start.isspace():
                start = handle.read(1)
            handle.seek(0)
            if start == "{":
                try:
                    doc = json.load(handle, parse_constant=_no_constants)
                except (json.JSONDecodeError, ValueError, RecursionError) as exc:
                    raise RestoreError(f"{path}: not valid JSON ({_short(exc)})") from None
                yield from _records_from_json(doc, str(path))
            else:
                yield from read_csv(handle, str(path))
        except UnicodeDecodeError:
            raise RestoreError(f"{path}: not a UTF-8 text file") from None
        except csv.Error as exc:
            raise RestoreError(f"{path}: not a CSV file this coach reads ({exc})") from None


def _short(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)[:200]
