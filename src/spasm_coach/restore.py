"""Reading spasm-coach's own CSV and JSON exports back in: a backup, or a new laptop.

Every record is checked before anything is written, and each keeps the uid it was exported with,
so importing the same file twice adds nothing the second time.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from spasm_coach.export import FORMULA_TRIGGERS, JSON_FORMAT_NAME, JSON_FORMAT_VERSION
from spasm_coach.pain import CONTEXTS, check_score
from spasm_coach.store import Application, PainEntry, Screening, SessionEvent, SessionRecord

SCREENING_LEVELS = ("clear", "soon", "urgent", "emergency")


class RestoreError(ValueError):
    """A file that isn't a spasm-coach export, naming the line or record that is wrong."""


def spreadsheet_unescape(text: str) -> str:
    """Undo export.spreadsheet_safe."""
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_TRIGGERS else text


def _when(value: Any, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise RestoreError(f"{where}: {value!r} is not an ISO date and time") from None
    if moment.tzinfo is None:
        raise RestoreError(f"{where}: {value!r} has no UTC offset")
    return moment


def _score(value: Any, where: str) -> int:
    try:
        return check_score(int(value))
    except (TypeError, ValueError):
        raise RestoreError(f"{where}: score {value!r} is not a whole number 0-10") from None


def _context(value: Any, where: str) -> str:
    if value not in CONTEXTS:
        raise RestoreError(f"{where}: context {value!r} is not one of {', '.join(CONTEXTS)}")
    return value


def read_csv(lines: Iterable[str], name: str) -> Iterator[PainEntry]:
    reader = csv.DictReader(lines)
    missing = {"recorded_at", "score", "uid"} - set(reader.fieldnames or ())
    if missing:
        raise RestoreError(
            f"{name}: not a spasm-coach CSV export (no {', '.join(sorted(missing))})"
        )
    for row in reader:
        where = f"{name}: line {reader.line_num}"
        yield PainEntry(
            uid=_uid(row.get("uid"), row),
            recorded_at=_when(row["recorded_at"], where),
            score=_score(row["score"], where),
            context=_context(spreadsheet_unescape(row.get("context") or "check-in"), where),
            note=spreadsheet_unescape(row.get("note") or "") or None,
            session_uid=row.get("session") or None,
        )


CSV_ROW_NAMESPACE = uuid.UUID("6c1b3c52-6f0e-4c1e-9d59-0c5e1f8b7a21")
"""Rows typed into a spreadsheet without a uid get one derived from their content, so importing
the same file twice still adds them once."""


def _uid(value: str | None, row: dict[str, str]) -> str:
    if value:
        return value
    columns = ("recorded_at", "score", "context", "note")
    return str(uuid.uuid5(CSV_ROW_NAMESPACE, "|".join(row.get(c) or "" for c in columns)))


def _records_from_json(doc: Any, name: str) -> Iterator[object]:
    if not isinstance(doc, dict) or doc.get("format") != JSON_FORMAT_NAME:
        raise RestoreError(f"{name}: not a spasm-coach JSON export")
    if doc.get("version") != JSON_FORMAT_VERSION:
        raise RestoreError(
            f"{name}: export format version {doc.get('version')!r}; this spasm-coach reads "
            f"version {JSON_FORMAT_VERSION}"
        )
    for index, item in enumerate(doc.get("pain_scores", []), start=1):
        where = f"{name}: pain_scores[{index}]"
        yield PainEntry(
            uid=_text(item, "uid", where),
            recorded_at=_when(item.get("recorded_at"), where),
            score=_score(item.get("score"), where),
            context=_context(item.get("context"), where),
            note=item.get("note") or None,
            session_uid=item.get("session"),
        )
    for index, item in enumerate(doc.get("screenings", []), start=1):
        where = f"{name}: screenings[{index}]"
        level = _text(item, "level", where)
        if level not in SCREENING_LEVELS:
            raise RestoreError(
                f"{where}: level {level!r} is not one of {', '.join(SCREENING_LEVELS)}"
            )
        yield Screening(
            uid=_text(item, "uid", where),
            screened_at=_when(item.get("screened_at"), where),
            level=level,
            flags=tuple(item.get("flags", [])),
            answers=dict(item.get("answers", {})),
            reason=_text(item, "reason", where),
        )
    for index, item in enumerate(doc.get("sessions", []), start=1):
        where = f"{name}: sessions[{index}]"
        ended = item.get("ended_at")
        yield SessionRecord(
            uid=_text(item, "uid", where),
            routine_id=_text(item, "routine_id", where),
            routine_name=_text(item, "routine_name", where),
            started_at=_when(item.get("started_at"), where),
            ended_at=None if ended is None else _when(ended, where),
            outcome=item.get("outcome"),
            screening_uid=item.get("screening"),
        )
        for e_index, event in enumerate(item.get("events", []), start=1):
            e_where = f"{where}.events[{e_index}]"
            yield SessionEvent(
                uid=_text(event, "uid", e_where),
                session_uid=item["uid"],
                at=_when(event.get("at"), e_where),
                kind=_text(event, "kind", e_where),
                exercise_id=event.get("exercise"),
                detail=event.get("detail"),
            )
    for index, item in enumerate(doc.get("heat_ice", []), start=1):
        where = f"{name}: heat_ice[{index}]"
        ended = item.get("ended_at")
        kind = _text(item, "kind", where)
        if kind not in ("heat", "ice"):
            raise RestoreError(f"{where}: kind {kind!r} is not heat or ice")
        yield Application(
            uid=_text(item, "uid", where),
            kind=kind,
            started_at=_when(item.get("started_at"), where),
            ended_at=None if ended is None else _when(ended, where),
            planned_minutes=int(item.get("planned_minutes", 0)),
            stopped_early=item.get("stopped_early"),
        )


def _text(item: Any, key: str, where: str) -> str:
    value = item.get(key) if isinstance(item, dict) else None
    if not isinstance(value, str) or not value:
        raise RestoreError(f"{where}: '{key}' is missing")
    return value


def read_export(path: Path) -> list[object]:
    """Every record in a CSV or JSON export, checked in full before anything is written."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            text = file.read()
    except UnicodeDecodeError:
        raise RestoreError(f"{path}: not a UTF-8 text file") from None
    if text.lstrip().startswith("{"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RestoreError(f"{path}: not valid JSON ({exc})") from None
        return list(_records_from_json(doc, str(path)))
    return list(read_csv(io.StringIO(text, newline=""), str(path)))
