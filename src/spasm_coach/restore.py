"""Reading spasm-coach's own CSV and JSON exports back in: a backup, or a new laptop.

Records are read and checked one at a time as they are written, all inside one transaction, so a
mistake anywhere in the file means nothing at all is imported, and memory stays flat however
long the file is: a CSV file is read a row at a time, a JSON one an item at a time. Each record
keeps the uid it was exported with, so importing the same file twice adds nothing the second
time.

Pain scores, by far the most numerous, come as plain values (a PainRow) when they are already
in the form an export writes (a canonical uid and time, a known context, a score from 0 to
10): those are taken as they stand, and any other goes through every check, which says what is
wrong and where.
"""

from __future__ import annotations

import csv
import json
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, NoReturn

from spasm_coach.dates import FUTURE_GRACE
from spasm_coach.export import JSON_FORMAT_NAME, JSON_FORMAT_VERSION, spreadsheet_safe
from spasm_coach.pain import MAX_SCORE, MIN_SCORE
from spasm_coach.records import (
    CANONICAL_UID,
    PAIN_CONTEXTS,
    Application,
    PainEntry,
    PainRow,
    PlanChange,
    Record,
    RecordError,
    SafetyNote,
    Screening,
    SessionEvent,
    SessionRecord,
    check_choice,
    check_optional_uid,
    check_text,
    check_time,
    check_uid,
    iso,
    plain_text,
    plain_time,
)
from spasm_coach.vocabulary import PainContext

READABLE_VERSIONS = (1, 2, JSON_FORMAT_VERSION)
"""Version 1 exports (no check kinds, no safety notes) and version 2 (no plan changes) still
import."""


class RestoreError(ValueError):
    """A file that isn't a spasm-coach export, naming the line or record that is wrong."""


def spreadsheet_unescape(text: str) -> str:
    """Undo export.spreadsheet_safe: the apostrophe it adds, and only that one."""
    return text[1:] if text.startswith("'") and spreadsheet_safe(text[1:]) == text else text


CSV_ROW_NAMESPACE = uuid.UUID("6c1b3c52-6f0e-4c1e-9d59-0c5e1f8b7a21")
"""Rows typed into a spreadsheet without a uid get one derived from their content, so importing
the same file twice still adds them once."""
SCORE_OF_TEXT = {str(score): score for score in range(MIN_SCORE, MAX_SCORE + 1)}
DEFAULT_CONTEXT = PainContext.CHECK_IN.value
"""A row typed in a spreadsheet without a context was a check-in."""
CSV_FIELDS = ("uid", "recorded_at", "score", "context", "note", "session")


# --- CSV ---------------------------------------------------------------------------------------


def read_csv(lines: IO[str], name: str) -> Iterator[PainRow]:
    """Each row as a checked PainRow, as it is read."""
    reader = csv.reader(lines)
    header = next(reader, None) or []
    missing = {"recorded_at", "score"} - set(header)
    if missing:
        raise RestoreError(
            f"{name}: not a spasm-coach CSV export (no {', '.join(sorted(missing))} column)"
        )
    width = len(header)
    column = {field: index for index, field in enumerate(header)}
    # A column the file doesn't have reads as an empty cell added after the row's own.
    cells = itemgetter(*(column.get(field, width) for field in CSV_FIELDS))
    padded = width if column.keys() >= set(CSV_FIELDS) else width + 1
    for row in reader:
        if not row:
            continue  # a blank line
        if len(row) > width:
            raise RestoreError(
                f"{name}: line {reader.line_num}: more cells than the header has columns"
            )
        if len(row) < padded:
            row.extend([""] * (padded - len(row)))
        uid, recorded_at, score, context, note, session = cells(row)
        context = context or DEFAULT_CONTEXT
        try:
            if (
                CANONICAL_UID.fullmatch(uid)
                and plain_time(recorded_at)
                and score in SCORE_OF_TEXT
                and context in PAIN_CONTEXTS
                and (not session or CANONICAL_UID.fullmatch(session))
            ):
                note_text = _csv_note(note, f"{name}: line {reader.line_num}") if note else None
                yield uid, recorded_at, SCORE_OF_TEXT[score], context, note_text, session or None
            else:
                where = f"{name}: line {reader.line_num}"
                yield _checked_csv_row(cells(row), where).row
        except RecordError as exc:
            raise RestoreError(str(exc)) from None


def _checked_csv_row(cells: tuple[str, ...], where: str) -> PainEntry:
    """Every cell through its check, in column order, so the first mistake is the one named."""
    uid, recorded_at, score, context, note, session = cells
    uid_text = spreadsheet_unescape(uid)
    return PainEntry(
        uid=check_uid(uid_text, f"{where}: uid")
        if uid_text
        else _derived_uid(recorded_at, score, context, note),
        recorded_at=check_time(recorded_at, f"{where}: recorded_at"),
        score=_csv_score(score, where),
        context=check_choice(
            spreadsheet_unescape(context or DEFAULT_CONTEXT), PainContext, f"{where}: context"
        ),
        note=_csv_note(note, where),
        session_uid=check_optional_uid(spreadsheet_unescape(session), f"{where}: session"),
    )


def _csv_score(text: str, where: str) -> int:
    value = text.strip()
    if not value.isascii() or not value.isdigit() or not 0 <= int(value) <= 10:
        raise RestoreError(f"{where}: score {text!r} is not a whole number 0-10")
    return int(value)


def _csv_note(cell: str, where: str) -> str | None:
    """A note as typed, refused if it holds a control character (as in a JSON backup)."""
    return check_text(spreadsheet_unescape(cell), f"{where}: note", optional=True) or None


def _derived_uid(recorded_at: str, score: str, context: str, note: str) -> str:
    return str(uuid.uuid5(CSV_ROW_NAMESPACE, "|".join((recorded_at, score, context, note))))


# --- JSON --------------------------------------------------------------------------------------


def _pain_row(item: object, where: str) -> tuple[PainRow]:
    """A pain score from a JSON backup (see the module's docstring)."""
    if type(item) is dict:
        uid, recorded_at, score = item.get("uid"), item.get("recorded_at"), item.get("score")
        context, note, session = item.get("context"), item.get("note"), item.get("session")
        if (
            type(uid) is str
            and CANONICAL_UID.fullmatch(uid)
            and type(recorded_at) is str
            and plain_time(recorded_at)
            and type(score) is int
            and MIN_SCORE <= score <= MAX_SCORE
            and type(context) is str
            and context in PAIN_CONTEXTS
            and (note is None or (type(note) is str and plain_text(note)))
            and (
                session is None
                or session == ""
                or (type(session) is str and CANONICAL_UID.fullmatch(session))
            )
        ):
            return ((uid, recorded_at, score, context, note or None, session or None),)
    return (PainEntry.from_json(item, where).row,)


def _session(item: object, where: str) -> list[Record]:
    record, events = SessionRecord.from_json(item, where)
    return [record, *events]


ARRAYS: dict[str, Callable[[object, str], Sequence[Record | PainRow]]] = {
    "pain_scores": _pain_row,
    "screenings": lambda item, where: (Screening.from_json(item, where),),
    "sessions": _session,
    "heat_ice": lambda item, where: (Application.from_json(item, where),),
    "safety_notes": lambda item, where: (SafetyNote.from_json(item, where),),
    "plan_changes": lambda item, where: (PlanChange.from_json(item, where),),
}
"""The arrays of a backup, in the order an export writes them, and the records in an item."""


def _check_header(header: dict[str, Any], name: str) -> None:
    if header.get("format") != JSON_FORMAT_NAME:
        raise RestoreError(f"{name}: not a spasm-coach JSON export")
    version = header.get("version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        *earlier, last = (str(v) for v in READABLE_VERSIONS)
        readable = f"{', '.join(earlier)} and {last}"
        raise RestoreError(
            f"{name}: export format version {version!r}; this spasm-coach reads versions {readable}"
        )


def _records_from_json(doc: Any, name: str) -> Iterator[Record | PainRow]:
    """A backup read whole (one whose format and version come after its records)."""
    if not isinstance(doc, dict):
        raise RestoreError(f"{name}: not a spasm-coach JSON export")
    _check_header(doc, name)
    for key, read in ARRAYS.items():
        items = doc.get(key, [])
        if not isinstance(items, list):
            raise RestoreError(f"{name}: '{key}' must be a list")
        for index, item in enumerate(items, start=1):
            yield from read(item, f"{name}: {key}[{index}]")


class NotJson(ValueError):
    """Text that isn't JSON (or holds what an export never does: NaN, a 5,000-digit number,
    nesting thousands deep); the message says what and where, as the json module does."""


class _HeaderAfterRecords(Exception):
    """The backup's records come before its format and version: it must be read whole."""


WHITE_SPACE = re.compile(r"[ \t\n\r]*")
CHUNK = 1 << 16
"""Characters read at a time."""
TAIL = 32
"""A value decoded (or failing) this close to the end of what has been read may go on in the
next chunk: a number or a word cut short, an item not yet closed."""


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not a number an export holds")


DECODER = json.JSONDecoder(parse_constant=_no_constants)


class JsonStream:
    """A JSON text read a chunk at a time: the caller walks the outer object and arrays, each
    value inside is decoded whole by the json module, and what has been read is let go.

    Positions in errors count from the start of the file, as json.load's would.
    """

    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle
        self._text = ""
        self._at = 0
        """Where reading has got to in _text."""
        self._ended = False
        self._dropped = 0
        """Characters let go before _text starts; of them, line ends, and after the last one:"""
        self._lines = 0
        self._column = 0

    def peek(self) -> str:
        """The next character that is not white space ("" at the end of the text)."""
        while True:
            found = WHITE_SPACE.match(self._text, self._at)
            assert found is not None  # it matches the empty string anywhere
            self._at = found.end()
            if self._at < len(self._text):
                return self._text[self._at]
            if not self._read_more():
                return ""

    def take(self, char: str, expecting: str) -> None:
        if self.peek() != char:
            self.fail(expecting)
        self._at += 1

    def skip(self) -> None:
        """Past the character peek() gave."""
        self._at += 1

    def value(self) -> Any:
        """The next value, whole."""
        if not self.peek():
            self.fail("Expecting value")
        while True:
            try:
                value, end = DECODER.raw_decode(self._text, self._at)
            except json.JSONDecodeError as exc:
                cut_short = exc.msg.startswith("Unterminated") or len(self._text) - exc.pos < TAIL
                if cut_short and self._read_more():
                    continue
                self.fail(exc.msg, exc.pos)
            except RecursionError:
                raise NotJson("nested too deeply") from None
            except ValueError as exc:  # NaN, Infinity, or a number too long to read
                raise NotJson(str(exc)[:200]) from None
            if len(self._text) - end < TAIL and self._read_more():
                continue
            self._at = end
            return value

    def fail(self, message: str, at: int | None = None) -> NoReturn:
        at = self._at if at is None else at
        line_end = self._text.rfind("\n", 0, at)
        line = self._lines + self._text.count("\n", 0, at) + 1
        column = at - line_end if line_end >= 0 else self._column + at + 1
        raise NotJson(f"{message}: line {line} column {column} (char {self._dropped + at})")

    def _read_more(self) -> bool:
        """Let go of what has been read and add the next chunk; False at the end of the text.
        A chunk is at least as long as what is held, so a long value is decoded a few times at
        most, not once a chunk."""
        if self._ended:
            return False
        chunk = self._handle.read(max(CHUNK, len(self._text) - self._at))
        if not chunk:
            self._ended = True
            return False
        done = self._text[: self._at]
        line_ends = done.count("\n")
        self._lines += line_ends
        self._column = len(done) - done.rfind("\n") - 1 if line_ends else self._column + len(done)
        self._dropped += len(done)
        self._text = self._text[self._at :] + chunk
        self._at = 0
        return True


def _streamed_json(handle: IO[str], name: str) -> Iterator[Record | PainRow]:
    """A backup read an item at a time. Its format and version are checked when its first array
    starts (an export writes them first); a key the coach knows may appear once."""
    stream = JsonStream(handle)
    stream.take("{", "Expecting value")
    header: dict[str, Any] = {}
    seen: set[str] = set()
    checked = False
    more = stream.peek() != "}"
    while more:
        if stream.peek() != '"':
            stream.fail("Expecting property name enclosed in double quotes")
        key = stream.value()
        stream.take(":", "Expecting ':' delimiter")
        if key in seen and (key in ARRAYS or key in ("format", "version")):
            raise RestoreError(f"{name}: '{key}' appears twice")
        seen.add(key)
        if key in ARRAYS:
            if not checked:
                if not {"format", "version"} <= header.keys():
                    raise _HeaderAfterRecords
                _check_header(header, name)
                checked = True
            yield from _streamed_array(stream, key, name)
        else:
            header[key] = stream.value()
        more = stream.peek() == ","
        if more:
            stream.skip()
        else:
            stream.take("}", "Expecting ',' delimiter")
    if stream.peek():
        stream.fail("Extra data")
    if not checked:
        _check_header(header, name)


def _streamed_array(stream: JsonStream, key: str, name: str) -> Iterator[Record | PainRow]:
    if stream.peek() != "[":
        stream.value()  # it must still be JSON
        raise RestoreError(f"{name}: '{key}' must be a list")
    stream.skip()
    if stream.peek() == "]":
        stream.skip()
        return
    read = ARRAYS[key]
    index = 0
    while True:
        index += 1
        yield from read(stream.value(), f"{name}: {key}[{index}]")
        if stream.peek() != ",":
            stream.take("]", "Expecting ',' delimiter")
            return
        stream.skip()


# --- either ------------------------------------------------------------------------------------


def read_import(path: Path, now: datetime | None = None) -> Iterator[Record | PainRow]:
    """Every record in a CSV or JSON export, pain scores as PainRows, checked one by one as they
    are read: what Store.restore takes. Given `now`, a record dated later than now is refused,
    as `log --at` refuses one.

    Errors (RestoreError) come as the bad record is reached, so read this inside the import's
    transaction: a mistake anywhere rolls the whole import back.
    """
    records = _read_import(path)
    return records if now is None else _none_later_than(records, now, path)


def _none_later_than(
    records: Iterator[Record | PainRow], now: datetime, path: Path
) -> Iterator[Record | PainRow]:
    latest = now + FUTURE_GRACE
    for record in records:
        for what, moment in _moments(record):
            if moment is not None and moment > latest:
                raise RestoreError(
                    f"{path}: {what} is dated {iso(moment)}, later than now "
                    f"({now:%Y-%m-%d %H:%M}); an entry can't be in the future"
                )
        yield record


def _moments(record: Record | PainRow) -> tuple[tuple[str, datetime | None], ...]:
    """The times a record holds, each with what it is, in words."""
    if isinstance(record, tuple):
        return (("a pain score", datetime.fromisoformat(record[1])),)
    if isinstance(record, PainEntry):
        return (("a pain score", record.recorded_at),)
    if isinstance(record, Screening):
        return (("a red-flag check", record.screened_at),)
    if isinstance(record, SessionRecord):
        return (("a session", record.started_at), ("the end of a session", record.ended_at))
    if isinstance(record, SessionEvent):
        return (("a session's event", record.at),)
    if isinstance(record, Application):
        return (("a heat or ice use", record.started_at), ("its end", record.ended_at))
    if isinstance(record, PlanChange):
        return (("a change of plan stage", record.changed_at),)
    return (("a safety note", record.noted_at),)


def _read_import(path: Path) -> Iterator[Record | PainRow]:
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
            if start == "[":
                raise RestoreError(
                    f"{path}: JSON, but a list: a spasm-coach backup is one JSON object "
                    '({"format": "spasm-coach-log", ...}), as spasm-coach export --format json '
                    "writes it"
                )
            if start != "{":
                yield from read_csv(handle, str(path))
                return
            try:
                yield from _streamed_json(handle, str(path))
            except _HeaderAfterRecords:
                handle.seek(0)
                yield from _records_from_json(_whole_json(handle), str(path))
        except RecordError as exc:
            raise RestoreError(str(exc)) from None
        except NotJson as exc:
            raise RestoreError(f"{path}: not valid JSON ({exc})") from None
        except UnicodeDecodeError:
            raise RestoreError(f"{path}: not a UTF-8 text file") from None
        except csv.Error as exc:
            raise RestoreError(f"{path}: not a CSV file this coach reads ({exc})") from None


def _whole_json(handle: IO[str]) -> Any:
    try:
        return json.load(handle, parse_constant=_no_constants)
    except RecursionError:
        raise NotJson("nested too deeply") from None
    except ValueError as exc:
        raise NotJson(str(exc)[:200]) from None


def read_export(path: Path) -> Iterator[Record]:
    """Every record in a CSV or JSON export (see read_import), each pain score a PainEntry."""
    for item in read_import(path):
        yield _entry(item) if isinstance(item, tuple) else item


def _entry(row: PainRow) -> PainEntry:
    uid, recorded_at, score, context, note, session = row
    return PainEntry(
        uid, datetime.fromisoformat(recorded_at), score, PainContext(context), note, session
    )
