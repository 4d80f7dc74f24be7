"""Exports of the pain log: CSV for a spreadsheet, JSON for a backup, FHIR R4 for a health record
(the FHIR Bundle is written by spasm_coach.fhir).

Writers stream: they take iterators from the store and write a record at a time, so memory stays
flat however long the log is. CSV cells that a spreadsheet would read as a formula are escaped with
a leading apostrophe (and unescaped on import), so a note like `=HYPERLINK(...)` stays text.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from spasm_coach.fhir import write_fhir
from spasm_coach.pain import band
from spasm_coach.store import (
    Application,
    PainEntry,
    Screening,
    SessionRecord,
    Store,
)

FORMATS = ("csv", "json", "fhir")
JSON_FORMAT_NAME = "spasm-coach-log"
JSON_FORMAT_VERSION = 1

CSV_COLUMNS = ("recorded_at", "score", "band", "context", "note", "session", "uid")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")
"""First characters a spreadsheet may treat as a formula (OWASP CSV injection), plus the escape."""


def spreadsheet_safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def write_csv(entries: Iterable[PainEntry], out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for entry in entries:
        writer.writerow(
            [
                entry.recorded_at.isoformat(timespec="seconds"),
                entry.score,
                band(entry.score),
                spreadsheet_safe(entry.context),
                spreadsheet_safe(entry.note or ""),
                entry.session_uid or "",
                entry.uid,
            ]
        )
        count += 1
    return count


def _pain_json(entry: PainEntry) -> dict[str, Any]:
    return {
        "uid": entry.uid,
        "recorded_at": entry.recorded_at.isoformat(timespec="seconds"),
        "score": entry.score,
        "context": entry.context,
        "note": entry.note,
        "session": entry.session_uid,
    }


def _screening_json(screening: Screening) -> dict[str, Any]:
    return {
        "uid": screening.uid,
        "screened_at": screening.screened_at.isoformat(timespec="seconds"),
        "level": screening.level,
        "flags": list(screening.flags),
        "answers": dict(screening.answers),
        "reason": screening.reason,
    }


def _time_json(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def _session_json(store: Store, record: SessionRecord) -> dict[str, Any]:
    return {
        "uid": record.uid,
        "routine_id": record.routine_id,
        "routine_name": record.routine_name,
        "started_at": _time_json(record.started_at),
        "ended_at": _time_json(record.ended_at),
        "outcome": record.outcome,
        "screening": record.screening_uid,
        "events": [
            {
                "uid": event.uid,
                "at": _time_json(event.at),
                "kind": event.kind,
                "exercise": event.exercise_id,
                "detail": event.detail,
            }
            for event in store.events(record.uid)
        ],
    }


def _application_json(application: Application) -> dict[str, Any]:
    return {
        "uid": application.uid,
        "kind": application.kind,
        "started_at": _time_json(application.started_at),
        "ended_at": _time_json(application.ended_at),
        "planned_minutes": application.planned_minutes,
        "stopped_early": application.stopped_early,
    }


def _write_array(out: IO[str], name: str, items: Iterable[dict[str, Any]], last: bool) -> int:
    out.write(f'  "{name}": [')
    count = 0
    for item in items:
        out.write(",\n    " if count else "\n    ")
        out.write(json.dumps(item, ensure_ascii=False))
        count += 1
    out.write("\n  ]" if count else "]")
    out.write("\n" if last else ",\n")
    return count


def write_json(
    store: Store, out: IO[str], since: datetime | None, until: datetime | None, now: datetime
) -> int:
    """The whole log in the window: pain scores, screenings, sessions with events, heat and ice."""
    header = {
        "format": JSON_FORMAT_NAME,
        "version": JSON_FORMAT_VERSION,
        "exported_at": now.isoformat(timespec="seconds"),
        "since": _time_json(since),
        "until": _time_json(until),
    }
    out.write("{\n")
    for key, value in header.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value)},\n")
    count = _write_array(
        out, "pain_scores", map(_pain_json, store.pain_scores(since, until)), False
    )
    _write_array(out, "screenings", map(_screening_json, store.screenings(since, until)), False)
    sessions = (_session_json(store, record) for record in store.sessions(since, until))
    _write_array(out, "sessions", sessions, False)
    _write_array(out, "heat_ice", map(_application_json, store.applications(since, until)), True)
    out.write("}\n")
    return count


def export(
    store: Store,
    fmt: str,
    out: IO[str],
    since: datetime | None,
    until: datetime | None,
    now: datetime,
) -> int:
    """Write the log in `fmt`; returns the number of pain scores written."""
    if fmt == "csv":
        return write_csv(store.pain_scores(since, until), out)
    if fmt == "json":
        return write_json(store, out, since, until, now)
    if fmt == "fhir":
        return write_fhir(store, out, since, until, now)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


@contextmanager
def atomic_text_file(path: Path) -> Iterator[IO[str]]:
    """Write beside `path`, then rename over it: a reader never sees half a file.

    The file is private (0600) because it holds health data.
    """
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
