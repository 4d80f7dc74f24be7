"""The pain log: one SQLite file, every entry committed the moment it is made.

Times are stored as ISO 8601 text with the UTC offset they were entered with; queries compare them
through julianday(), which reads the offset, so entries from different time zones sort correctly.
Each record has a uid so that an export can be imported again without doubling anything.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from spasm_coach.pain import check_score

SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 5.0

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE pain_score (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            recorded_at TEXT NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
            context TEXT NOT NULL,
            note TEXT,
            session_uid TEXT
        )""",
        "CREATE INDEX pain_score_time ON pain_score (julianday(recorded_at))",
        """CREATE TABLE screening (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            screened_at TEXT NOT NULL,
            level TEXT NOT NULL CHECK (level IN ('clear', 'soon', 'urgent', 'emergency')),
            flags TEXT NOT NULL,
            answers TEXT NOT NULL,
            reason TEXT NOT NULL
        )""",
        """CREATE TABLE session (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            routine_id TEXT NOT NULL,
            routine_name TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            outcome TEXT,
            screening_uid TEXT
        )""",
        """CREATE TABLE session_event (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            session_uid TEXT NOT NULL,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            exercise_id TEXT,
            detail TEXT
        )""",
        "CREATE INDEX session_event_session ON session_event (session_uid)",
        """CREATE TABLE application (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('heat', 'ice')),
            started_at TEXT NOT NULL,
            ended_at TEXT,
            planned_minutes INTEGER NOT NULL,
            stopped_early INTEGER
        )""",
    ),
)
"""Forward migrations: MIGRATIONS[n] takes a file from schema n to n + 1."""

assert len(MIGRATIONS) == SCHEMA_VERSION


class StoreError(Exception):
    """The pain log can't be used; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class PainEntry:
    uid: str
    recorded_at: datetime
    score: int
    context: str
    note: str | None = None
    session_uid: str | None = None


@dataclass(frozen=True)
class Screening:
    uid: str
    screened_at: datetime
    level: str
    flags: tuple[str, ...]
    answers: Mapping[str, bool]
    reason: str


@dataclass(frozen=True)
class SessionRecord:
    uid: str
    routine_id: str
    routine_name: str
    started_at: datetime
    ended_at: datetime | None
    outcome: str | None
    """finished, stopped, stopped-hurt or interrupted; None while running or if the app died."""
    screening_uid: str | None

    @property
    def status(self) -> str:
        return self.outcome or "interrupted"


@dataclass(frozen=True)
class SessionEvent:
    uid: str
    session_uid: str
    at: datetime
    kind: str
    exercise_id: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Application:
    uid: str
    kind: str
    started_at: datetime
    ended_at: datetime | None
    planned_minutes: int
    stopped_early: bool | None


class DailyPain(NamedTuple):
    """Scores of one context on one day (the day in the entry's own offset), summed up in SQL."""

    day: date
    context: str
    count: int
    mean: float
    low: int
    high: int
    notes: int
    """How many of these scores have a note."""


def new_uid() -> str:
    return str(uuid.uuid4())


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("times in the pain log need a UTC offset")
    return moment.isoformat(timespec="seconds")


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _create_private_file(path: Path) -> None:
    """Create the file 0600 before SQLite does, so it is never readable by others."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def ensure_private_dir(folder: Path) -> None:
    """Create the data folder 0700. An existing folder is left as it is (it may be shared)."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, mode=0o700)
    folder.chmod(0o700)


class Store:
    """Append and query the pain log. Every write is its own committed transaction.

    The connection may be used from a worker thread (the TUI exports in one): Python's sqlite3
    here is built serialized (`sqlite3.threadsafety == 3`), so SQLite itself orders the calls.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path | None) -> None:
        self._db = connection
        self.path = path

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False) -> Store:
        """Open (creating if needed) the log at `path`; StoreError says what is wrong.

        Read-only opening never creates anything: a missing file reads as an empty log.
        """
        if readonly and not path.exists():
            return cls.in_memory()
        if not readonly:
            try:
                ensure_private_dir(path.parent)
                _create_private_file(path)
            except OSError as exc:
                raise StoreError(
                    f"Can't write the pain log in {path.parent} ({exc.strerror or exc}). "
                    "Fix the folder's permissions, or choose another folder with --data-dir "
                    "or SPASM_COACH_HOME."
                ) from None
        try:
            if readonly:
                connection = sqlite3.connect(
                    f"{path.resolve().as_uri()}?mode=ro",
                    uri=True,
                    timeout=BUSY_TIMEOUT_SECONDS,
                    check_same_thread=False,
                )
            else:
                connection = sqlite3.connect(
                    path,
                    timeout=BUSY_TIMEOUT_SECONDS,
                    isolation_level=None,
                    check_same_thread=False,
                )
        except sqlite3.Error as exc:
            raise StoreError(unreadable_message(path, exc)) from None
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            tables = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise StoreError(unreadable_message(path, exc)) from None
        if version > SCHEMA_VERSION:
            connection.close()
            raise StoreError(
                f"The pain log {path} was written by a newer spasm-coach (schema {version}; this "
                f"version reads up to {SCHEMA_VERSION}). Update spasm-coach to open it. "
                "The file was left untouched."
            )
        if version == 0 and tables:
            connection.close()
            raise StoreError(
                f"{path} is an SQLite file but not a spasm-coach pain log. It was left untouched; "
                "move it aside or choose another folder with --data-dir."
            )
        store = cls(connection, path)
        if not readonly:
            if stat.S_IMODE(path.stat().st_mode) & 0o077:
                path.chmod(0o600)  # ours, and holding health data: readable only by its owner
            try:
                connection.execute("PRAGMA journal_mode = WAL")
                store._migrate(version)
            except sqlite3.DatabaseError as exc:
                connection.close()
                raise StoreError(unreadable_message(path, exc)) from None
        return store

    @classmethod
    def in_memory(cls) -> Store:
        store = cls(
            sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False), None
        )
        store._migrate(0)
        return store

    def _migrate(self, version: int) -> None:
        for target in range(version, SCHEMA_VERSION):
            with self._transaction():
                for statement in MIGRATIONS[target]:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {target + 1}")

    def _transaction(self):
        return _Transaction(self._db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- pain scores -------------------------------------------------------------------------

    def add_pain(
        self,
        score: int,
        at: datetime,
        context: str = "check-in",
        note: str | None = None,
        session_uid: str | None = None,
        uid: str | None = None,
    ) -> PainEntry:
        entry = PainEntry(
            uid or new_uid(), at, check_score(score), context, note or None, session_uid
        )
        self._insert_pain(entry)
        return entry

    def _insert_pain(self, entry: PainEntry) -> bool:
        cursor = self._db.execute(
            "INSERT INTO pain_score "
            "(uid, recorded_at, score, context, note, session_uid) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (uid) DO NOTHING",
            (
                entry.uid,
                _iso(entry.recorded_at),
                check_score(entry.score),
                entry.context,
                entry.note,
                entry.session_uid,
            ),
        )
        return cursor.rowcount == 1

    def pain_scores(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> Iterator[PainEntry]:
        """Scores oldest first; with a limit, the most recent `limit` of them."""
        where, params = _window("recorded_at", since, until)
        columns = "SELECT uid, recorded_at, score, context, note, session_uid FROM pain_score"
        if limit is None:
            rows = self._db.execute(f"{columns}{where} ORDER BY julianday(recorded_at), id", params)
        else:
            newest = self._db.execute(
                f"{columns}{where} ORDER BY julianday(recorded_at) DESC, id DESC LIMIT ?",
                [*params, limit],
            ).fetchall()
            rows = reversed(newest)
        for row in rows:
            yield PainEntry(row[0], datetime.fromisoformat(row[1]), row[2], row[3], row[4], row[5])

    def last_pain(self) -> PainEntry | None:
        return next(iter(self.pain_scores(limit=1)), None)

    def daily_pain(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[DailyPain]:
        """Per day and context: count, mean, lowest, highest and notes, oldest day first.

        SQLite does the sums, so a report over a million scores holds a few rows per day. The day
        is the date the entry was written with (its own offset), as the person lived it.
        """
        where, params = _window("recorded_at", since, until)
        rows = self._db.execute(
            "SELECT substr(recorded_at, 1, 10) AS day, context, count(*), avg(score), "
            f"min(score), max(score), count(nullif(note, '')) FROM pain_score{where} "
            "GROUP BY day, context ORDER BY day, context",
            params,
        )
        return [DailyPain(date.fromisoformat(row[0]), *row[1:]) for row in rows]

    def pain_notes(
        self, since: datetime | None = None, until: datetime | None = None, limit: int = 50
    ) -> list[PainEntry]:
        """The latest `limit` scores that have a note, newest first."""
        where, params = _window("recorded_at", since, until)
        where = (where + " AND" if where else " WHERE") + " note IS NOT NULL AND note != ''"
        rows = self._db.execute(
            "SELECT uid, recorded_at, score, context, note, session_uid FROM pain_score"
            f"{where} ORDER BY julianday(recorded_at) DESC, id DESC LIMIT ?",
            [*params, limit],
        )
        return [
            PainEntry(row[0], datetime.fromisoformat(row[1]), row[2], row[3], row[4], row[5])
            for row in rows
        ]

    # --- red-flag screenings -----------------------------------------------------------------

    def add_screening(
        self,
        level: str,
        flags: tuple[str, ...],
        answers: Mapping[str, bool],
        at: datetime,
        reason: str,
        uid: str | None = None,
    ) -> Screening:
        screening = Screening(uid or new_uid(), at, level, tuple(flags), dict(answers), reason)
        self._insert_screening(screening)
        return screening

    def _insert_screening(self, screening: Screening) -> bool:
        cursor = self._db.execute(
            "INSERT INTO screening (uid, screened_at, level, flags, answers, reason) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
            (
                screening.uid,
                _iso(screening.screened_at),
                screening.level,
                json.dumps(list(screening.flags)),
                json.dumps(dict(screening.answers)),
                screening.reason,
            ),
        )
        return cursor.rowcount == 1

    def screenings(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[Screening]:
        """Screenings oldest first, streamed (the JSON export writes them one at a time)."""
        where, params = _window("screened_at", since, until)
        rows = self._db.execute(
            f"{SCREENING_COLUMNS}{where} ORDER BY julianday(screened_at), id", params
        )
        return map(_screening, rows)

    def last_screening(self) -> Screening | None:
        row = self._db.execute(
            f"{SCREENING_COLUMNS} ORDER BY julianday(screened_at) DESC, id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else _screening(row)

    # --- sessions ----------------------------------------------------------------------------

    def start_session(
        self, routine_id: str, routine_name: str, at: datetime, screening_uid: str | None
    ) -> SessionRecord:
        record = SessionRecord(new_uid(), routine_id, routine_name, at, None, None, screening_uid)
        self._insert_session(record)
        return record

    def _insert_session(self, record: SessionRecord) -> bool:
        cursor = self._db.execute(
            "INSERT INTO session (uid, routine_id, routine_name, started_at, ended_at, "
            "outcome, screening_uid) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
            (
                record.uid,
                record.routine_id,
                record.routine_name,
                _iso(record.started_at),
                None if record.ended_at is None else _iso(record.ended_at),
                record.outcome,
                record.screening_uid,
            ),
        )
        return cursor.rowcount == 1

    def add_event(
        self,
        session_uid: str,
        at: datetime,
        kind: str,
        exercise_id: str | None = None,
        detail: str | None = None,
    ) -> SessionEvent:
        event = SessionEvent(new_uid(), session_uid, at, kind, exercise_id, detail)
        self._insert_event(event)
        return event

    def _insert_event(self, event: SessionEvent) -> bool:
        cursor = self._db.execute(
            "INSERT INTO session_event (uid, session_uid, at, kind, exercise_id, detail) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
            (
                event.uid,
                event.session_uid,
                _iso(event.at),
                event.kind,
                event.exercise_id,
                event.detail,
            ),
        )
        return cursor.rowcount == 1

    def set_session_routine(self, session_uid: str, routine_id: str, routine_name: str) -> None:
        """The routine changed before the first stretch (the gentle one offered for high pain)."""
        self._db.execute(
            "UPDATE session SET routine_id = ?, routine_name = ? WHERE uid = ?",
            (routine_id, routine_name, session_uid),
        )

    def end_session(self, session_uid: str, at: datetime, outcome: str) -> None:
        self._db.execute(
            "UPDATE session SET ended_at = ?, outcome = ? WHERE uid = ?",
            (_iso(at), outcome, session_uid),
        )

    def sessions(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[SessionRecord]:
        where, params = _window("started_at", since, until)
        rows = self._db.execute(
            f"{SESSION_COLUMNS}{where} ORDER BY julianday(started_at), id", params
        )
        return map(_session_record, rows)

    def last_session(self) -> SessionRecord | None:
        row = self._db.execute(
            f"{SESSION_COLUMNS} ORDER BY julianday(started_at) DESC, id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else _session_record(row)

    def events(self, session_uid: str) -> list[SessionEvent]:
        return [
            SessionEvent(row[0], row[1], datetime.fromisoformat(row[2]), row[3], row[4], row[5])
            for row in self._db.execute(
                "SELECT uid, session_uid, at, kind, exercise_id, detail FROM session_event "
                "WHERE session_uid = ? ORDER BY julianday(at), id",
                (session_uid,),
            )
        ]

    # --- heat and ice ------------------------------------------------------------------------

    def start_application(self, kind: str, at: datetime, planned_minutes: int) -> Application:
        application = Application(new_uid(), kind, at, None, planned_minutes, None)
        self._insert_application(application)
        return application

    def _insert_application(self, application: Application) -> bool:
        cursor = self._db.execute(
            "INSERT INTO application (uid, kind, started_at, ended_at, planned_minutes, "
            "stopped_early) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
            (
                application.uid,
                application.kind,
                _iso(application.started_at),
                None if application.ended_at is None else _iso(application.ended_at),
                application.planned_minutes,
                None if application.stopped_early is None else int(application.stopped_early),
            ),
        )
        return cursor.rowcount == 1

    def end_application(self, uid: str, at: datetime, stopped_early: bool) -> None:
        self._db.execute(
            "UPDATE application SET ended_at = ?, stopped_early = ? WHERE uid = ?",
            (_iso(at), int(stopped_early), uid),
        )

    def applications(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[Application]:
        where, params = _window("started_at", since, until)
        return self._applications(f"{where} ORDER BY julianday(started_at), id", params)

    def last_application(self) -> Application | None:
        order = " ORDER BY julianday(started_at) DESC, id DESC LIMIT 1"
        return next(self._applications(order, []), None)

    def _applications(self, clauses: str, params: list[str]) -> Iterator[Application]:
        for row in self._db.execute(
            "SELECT uid, kind, started_at, ended_at, planned_minutes, stopped_early "
            f"FROM application{clauses}",
            params,
        ):
            yield Application(
                row[0],
                row[1],
                datetime.fromisoformat(row[2]),
                _time(row[3]),
                row[4],
                None if row[5] is None else bool(row[5]),
            )

    # --- import ------------------------------------------------------------------------------

    def restore(self, records: Iterator[object]) -> int:
        """Add exported records whose uid is not here yet, in one transaction; returns how many."""
        inserters = {
            PainEntry: self._insert_pain,
            Screening: self._insert_screening,
            SessionRecord: self._insert_session,
            SessionEvent: self._insert_event,
            Application: self._insert_application,
        }
        added = 0
        with self._transaction():
            for record in records:
                added += inserters[type(record)](record)
        return added


SCREENING_COLUMNS = "SELECT uid, screened_at, level, flags, answers, reason FROM screening"


def _screening(row: tuple) -> Screening:
    flags, answers = tuple(json.loads(row[3])), json.loads(row[4])
    return Screening(row[0], datetime.fromisoformat(row[1]), row[2], flags, answers, row[5])


SESSION_COLUMNS = (
    "SELECT uid, routine_id, routine_name, started_at, ended_at, outcome, screening_uid "
    "FROM session"
)


def _session_record(row: tuple) -> SessionRecord:
    return SessionRecord(
        row[0], row[1], row[2], datetime.fromisoformat(row[3]), _time(row[4]), row[5], row[6]
    )


def _window(column: str, since: datetime | None, until: datetime | None) -> tuple[str, list[str]]:
    """A WHERE clause for since <= time < until, compared in UTC."""
    clauses, params = [], []
    if since is not None:
        clauses.append(f"julianday({column}) >= julianday(?)")
        params.append(_iso(since))
    if until is not None:
        clauses.append(f"julianday({column}) < julianday(?)")
        params.append(_iso(until))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def unreadable_message(path: Path, exc: sqlite3.Error) -> str:
    return (
        f"The pain log {path} can't be read ({exc}). It was left untouched. Restore it from a "
        "backup, or move it aside to start a new log (spasm-coach where shows the folder)."
    )


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (the connection is in autocommit)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")
