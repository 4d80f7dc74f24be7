# Over 600 lines: the Store is the log's one connection; every query shares its retry path.
"""The pain log: one SQLite file, every entry committed the moment it is made.

Times are stored as ISO 8601 text with the UTC offset they were entered with; queries compare them
through julianday(), which reads the offset, so entries from different time zones sort correctly.
Each record has a uid so that an export can be imported again without doubling anything.

Every failure is classified by its cause (store_errors.py), each with its own plain message, so a
healthy log is never called broken. A busy log is waited for, up to the patience the caller chose,
rather than failed at once. The coach writes through the journal (journal.py).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from spasm_coach.files import create_new, private_folder
from spasm_coach.records import (
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
    check_int,
    check_score,
    read_text,
)
from spasm_coach.store_errors import (
    DiskError,
    DiskFull,
    LogTooNew,
    NoPermission,
    NotALog,
    NotAPlaceForALog,
    classify,
    is_busy,
    primary_code,
)
from spasm_coach.store_errors import StoreError as StoreError  # noqa: PLC0414 (what callers catch)
from spasm_coach.store_rows import (
    APPLICATION_COLUMNS,
    APPLICATION_INSERT,
    EVENT_COLUMNS,
    NOTE_COLUMNS,
    PAIN_COLUMNS,
    PLAN_CHANGE_COLUMNS,
    SCREENING_COLUMNS,
    SCREENING_INSERT,
    SESSION_COLUMNS,
    SESSION_INSERT,
    insert_statement,
    iso_text,
    read_application,
    read_event,
    read_note,
    read_pain,
    read_pain_row,
    read_plan_change,
    read_screening,
    read_session,
)
from spasm_coach.vocabulary import (
    EventKind,
    NoteKind,
    PainContext,
    SessionOutcome,
    ThermalKind,
)

SCHEMA_VERSION = 4
ATTEMPT_SECONDS = 1.0
"""How long SQLite itself waits for a busy log before the store says it is waiting."""
PATIENCE_SECONDS = 60.0
"""How long a command waits for a busy log (a long import in another terminal) in all."""

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
    (
        "ALTER TABLE screening ADD COLUMN kind TEXT NOT NULL DEFAULT 'full' "
        "CHECK (kind IN ('full', 'quick'))",
        "ALTER TABLE screening ADD COLUMN complete INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE screening ADD COLUMN inferred TEXT NOT NULL DEFAULT '[]'",
        "CREATE INDEX screening_time ON screening (julianday(screened_at))",
        "CREATE INDEX session_time ON session (julianday(started_at))",
        """CREATE TABLE safety_note (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            noted_at TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('stop-for-today', 'cleared-by-clinician')),
            screening_uid TEXT,
            detail TEXT
        )""",
        "CREATE INDEX safety_note_time ON safety_note (julianday(noted_at))",
    ),
    (
        """CREATE TABLE plan_change (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            changed_at TEXT NOT NULL,
            plan_id TEXT NOT NULL,
            plan_name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('start', 'move-on', 'step-back', 'stay')),
            from_stage TEXT,
            from_name TEXT,
            stage TEXT NOT NULL,
            stage_name TEXT NOT NULL,
            automatic INTEGER NOT NULL,
            reason TEXT NOT NULL
        )""",
        "CREATE INDEX plan_change_time ON plan_change (julianday(changed_at))",
    ),
    (
        "ALTER TABLE screening ADD COLUMN changes TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE screening ADD COLUMN seconds REAL",
    ),
)
"""Forward migrations: MIGRATIONS[n] takes a file from schema n to n + 1."""

assert len(MIGRATIONS) == SCHEMA_VERSION

T = TypeVar("T")


class DailyPain(NamedTuple):
    """Scores of one context on one day (the day in the entry's own offset), summed up in SQL."""

    day: date
    context: PainContext
    scores: int
    mean: float
    low: int
    high: int
    notes: int
    """How many of these scores have a note."""


class PainSpan(NamedTuple):
    """The scores from `start` up to `end` (not included), summed up in SQL."""

    start: datetime
    end: datetime
    scores: int
    total: int
    """The sum of the scores, so spans can be joined into a mean without the scores themselves."""
    low: int | None
    high: int | None


class PainTotals(NamedTuple):
    """A window's scores in numbers: how many, their mean, and the first and last by time."""

    scores: int
    mean: float | None
    first: int | None
    last: int | None


class PageKey(NamedTuple):
    """Where a page of scores (newest first) stopped: the next page starts just before it."""

    julian: float
    row: int


class PainPage(NamedTuple):
    entries: list[PainEntry]
    """Newest first."""
    next: PageKey | None
    """Pass back to `pain_page` for the next, older page; None when there is no more."""


class SkippedExercise(NamedTuple):
    """How often an exercise was skipped for one reason (as typed or chosen, or none)."""

    exercise_id: str | None
    reason: str | None
    times: int


class HeatIceUses(NamedTuple):
    uses: int
    stopped_early: int


# --- files -------------------------------------------------------------------------------------


def _create_private_file(path: Path) -> None:
    """Create the file 0600 before SQLite does, so it is never readable by others."""
    with contextlib.suppress(FileExistsError):
        os.close(create_new(path))


SIDE_FILES = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside the log: its write-ahead log, shared memory, rollback journal."""


def log_files(path: Path) -> tuple[Path, ...]:
    """The log and the files SQLite keeps beside it: nothing may ever be written over these."""
    return (path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES))


def _keep_private(path: Path) -> None:
    """The log readable only by its owner, and the files beside it writable by the owner alone.

    SQLite makes its side files with the log's own mode, so a log that was read-only (0400)
    when one was made leaves it read-only after the log is writable again, and every write
    would then fail: the owner's side files are set back to 0600. The log itself only loses
    what others could do; a log its owner made read-only stays read-only.
    """
    for file in log_files(path):
        try:
            info = file.lstat()
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            continue
        mode = stat.S_IMODE(info.st_mode)
        wanted = mode & 0o700 if file == path else 0o600
        if mode != wanted:
            with contextlib.suppress(OSError):
                file.chmod(wanted)


# --- the store ---------------------------------------------------------------------------------


class Store:
    """Append and query the pain log. Every write is its own committed transaction.

    The connection may be used from a worker thread (the TUI exports in one): Python's sqlite3
    here is built serialized (`sqlite3.threadsafety == 3`), so SQLite itself orders the calls.
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path | None,
        *,
        patience: float = PATIENCE_SECONDS,
        on_busy: Callable[[], None] | None = None,
    ) -> None:
        self._db = connection
        self.path = path
        self._reopen_with: float | None = None
        """Set for a log opened for writing: the busy timeout to reconnect with, should SQLite
        have opened it read-only (a file made writable again is then written at the next try;
        a connection opened read-only stays so until it is reopened)."""
        self._reopen = False
        self.patience = patience
        """Seconds to keep trying a busy log before giving up with LogBusy."""
        self.on_busy = on_busy
        """Told once per operation when the log is busy, so a face can say it is waiting."""

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        readonly: bool = False,
        patience: float = PATIENCE_SECONDS,
        attempt_seconds: float = ATTEMPT_SECONDS,
        on_busy: Callable[[], None] | None = None,
    ) -> Store:
        """Open (creating if needed) the log at `path`; a StoreError says what is wrong.

        Read-only opening never creates anything: a missing file reads as an empty log.
        `attempt_seconds` is how long SQLite waits for a busy log on each try (the TUI keeps it
        short, so the screen never freezes; it keeps the entry and tries again instead).
        """
        try:
            if path.is_dir():
                raise NotAPlaceForALog(
                    f"{path} is a folder, where the pain log should be a file. Move the folder "
                    "aside, or choose another data folder with --data-dir or SPASM_COACH_HOME."
                )
            if readonly and not path.exists():
                return cls.in_memory()
            if not readonly:
                if not path.parent.is_dir():
                    private_folder(path.parent)
                _create_private_file(path)
        except OSError as exc:
            raise classify(exc, path) from None
        try:
            return cls._connect(path, readonly, patience, attempt_seconds, on_busy)
        except (NoPermission, DiskFull, DiskError):
            if not readonly or not _wal_is_empty(path):
                raise
        # A read-only or full disk: SQLite can't make the shared-memory file it reads with, so
        # read the file as it stands. Only when no write-ahead log holds newer entries (after
        # a clean close there is none), else some would be missed.
        return cls._connect(path, readonly, patience, attempt_seconds, on_busy, immutable=True)

    @classmethod
    def _connect(
        cls,
        path: Path,
        readonly: bool,
        patience: float,
        attempt_seconds: float,
        on_busy: Callable[[], None] | None,
        *,
        immutable: bool = False,
    ) -> Store:
        if not immutable:
            _keep_private(path)
        try:
            if readonly:
                connection = sqlite3.connect(
                    f"{path.resolve().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}",
                    uri=True,
                    timeout=attempt_seconds,
                    check_same_thread=False,
                )
            else:
                connection = sqlite3.connect(
                    path, timeout=attempt_seconds, isolation_level=None, check_same_thread=False
                )
        except sqlite3.Error as exc:
            raise classify(exc, path) from None
        store = cls(connection, path, patience=patience, on_busy=on_busy)
        if not readonly:
            store._reopen_with = attempt_seconds
        try:
            store._check_and_migrate(readonly)
        except BaseException:
            connection.close()
            raise
        return store

    def _check_and_migrate(self, readonly: bool) -> None:
        path = self.path
        assert path is not None

        def inspect() -> tuple[int, int]:
            # One statement, so both come from the same moment even while another coach is
            # making a new log's tables.
            version, tables = self._db.execute(
                "SELECT (SELECT user_version FROM pragma_user_version), "
                "(SELECT count(*) FROM sqlite_master WHERE type = 'table')"
            ).fetchone()
            return int(version), int(tables)

        version, tables = self._patiently(inspect)
        if version > SCHEMA_VERSION:
            raise LogTooNew(
                f"The pain log {path} was written by a newer spasm-coach (schema {version}; this "
                f"version reads up to {SCHEMA_VERSION}). Update spasm-coach to open it. "
                "The file was left untouched."
            )
        if version == 0 and tables:
            raise NotALog(
                f"{path} is an SQLite file but not a spasm-coach pain log. It was left untouched; "
                "move it aside or choose another folder with --data-dir."
            )
        if readonly:
            return
        self._patiently(lambda: self._db.execute("PRAGMA journal_mode = WAL"))
        if version < SCHEMA_VERSION:
            self._patiently(lambda: self._migrate(version))

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
                # Two coaches opening a new log at once both see version 0; the second gets
                # the write lock after the first has made the tables, so it looks again.
                if self._db.execute("PRAGMA user_version").fetchone()[0] > target:
                    continue
                for statement in MIGRATIONS[target]:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {target + 1}")

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- running SQL: patient with a busy log, every failure classified ---------------------

    def _patiently(self, operation: Callable[[], T]) -> T:
        """Run `operation`, retrying while the log is busy, until the patience runs out."""
        give_up = time.monotonic() + self.patience
        told = False
        while True:
            try:
                if self._reopen:
                    self._reconnect()
                return operation()
            except (sqlite3.Error, OSError) as exc:
                if (
                    isinstance(exc, sqlite3.Error)
                    and primary_code(exc) == sqlite3.SQLITE_READONLY
                    and self._reopen_with is not None
                ):
                    self._reopen = True
                busy = isinstance(exc, sqlite3.Error) and is_busy(exc)
                if not busy or time.monotonic() >= give_up:
                    raise classify(exc, self.path) from None
                if not told and self.on_busy is not None:
                    told = True
                    self.on_busy()

    def _reconnect(self) -> None:
        """A fresh connection, in place of one SQLite opened read-only."""
        assert self.path is not None
        assert self._reopen_with is not None
        _keep_private(self.path)
        fresh = sqlite3.connect(
            self.path, timeout=self._reopen_with, isolation_level=None, check_same_thread=False
        )
        self._db.close()
        self._db = fresh
        self._reopen = False

    def _execute(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        return self._patiently(lambda: self._db.execute(sql, tuple(params)))

    def _rows(self, sql: str, params: Iterable[Any], read: Callable[[tuple], T]) -> Iterator[T]:
        """Stream rows through `read`, which checks each one; any failure is classified."""
        cursor = self._execute(sql, params)
        while True:
            try:
                rows = cursor.fetchmany(500)
                if not rows:
                    return
                values = [read(row) for row in rows]
            except (sqlite3.Error, OSError, RecordError) as exc:
                raise classify(exc, self.path) from None
            yield from values

    def _one(self, sql: str, params: Iterable[Any], read: Callable[[tuple], T]) -> T | None:
        return next(self._rows(sql, params, read), None)

    # --- writing -----------------------------------------------------------------------------

    def insert(self, record: Record) -> bool:
        """Add one record (skipped if its uid is already here); True if it was added."""
        sql, values = insert_statement(record)
        return self._execute(sql, values).rowcount == 1

    def save_screening(self, screening: Screening) -> None:
        """Add a check, or bring one saved part-way up to date (a check is saved from its first
        yes on, then again after each answer)."""
        sql, values = insert_statement(screening)
        sql = sql.replace(
            "ON CONFLICT (uid) DO NOTHING",
            "ON CONFLICT (uid) DO UPDATE SET level = excluded.level, flags = excluded.flags, "
            "answers = excluded.answers, complete = excluded.complete, "
            "inferred = excluded.inferred, changes = excluded.changes, "
            "seconds = excluded.seconds",
        )
        self._execute(sql, values)

    def set_session_routine(self, session_uid: str, routine_id: str, routine_name: str) -> None:
        """The routine changed before the first stretch (the gentle one offered for high pain)."""
        self._execute(
            "UPDATE session SET routine_id = ?, routine_name = ? WHERE uid = ?",
            (routine_id, routine_name, session_uid),
        )

    def end_session(self, session_uid: str, at: datetime, outcome: SessionOutcome) -> None:
        outcome = check_choice(outcome, SessionOutcome, "outcome")
        self._execute(
            "UPDATE session SET ended_at = ?, outcome = ? WHERE uid = ?",
            (iso_text(at), outcome.value, session_uid),
        )

    def end_application(self, uid: str, at: datetime, stopped_early: bool) -> None:
        self._execute(
            "UPDATE application SET ended_at = ?, stopped_early = ? WHERE uid = ?",
            (iso_text(at), int(stopped_early), uid),
        )

    def restore(self, records: Iterable[Record | PainRow]) -> Restored:
        """Add exported records whose uid is not here yet, and bring the ones that are up to
        date, all in one transaction or none.

        A record already here takes what a later state of it carries (a rescue file holds a
        session's end, a heat or ice use's end, a check's last answers), never an earlier state
        over a later one: an end is added where there is none and never changed, and a check
        saved part-way takes more answers, never fewer. Records are written as they come, a
        batch at a time (one executemany for up to RESTORE_BATCH records of one kind in a row),
        so an import of any size holds one batch.
        """

        def run() -> Restored:
            counts = dict.fromkeys(Restored._fields, 0)
            with self._transaction():
                for sql, batch in _insert_batches(records):
                    added = self._db.executemany(sql, batch).rowcount
                    counts["added"] += added
                    update = UPDATES.get(sql)
                    if update is not None and added < len(batch):  # some were here already
                        changes = [update.values(row) for row in batch if update.applies(row)]
                        if changes:
                            counts[update.counted] += self._db.executemany(
                                update.sql, changes
                            ).rowcount
            return Restored(**counts)

        return self._patiently(run)

    # --- reading -----------------------------------------------------------------------------

    def pain_scores(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> Iterator[PainEntry]:
        """Scores oldest first, streamed; with a limit, the most recent `limit` of them."""
        where, params = _window("recorded_at", since, until)
        if limit is None:
            return self._rows(
                f"{PAIN_COLUMNS}{where} ORDER BY julianday(recorded_at), id", params, read_pain
            )
        newest = list(
            self._rows(
                f"{PAIN_COLUMNS}{where} ORDER BY julianday(recorded_at) DESC, id DESC LIMIT ?",
                [*params, limit],
                read_pain,
            )
        )
        return reversed(newest)

    def pain_rows(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[PainRow]:
        """The scores as `pain_scores` gives them, oldest first, streamed, as plain values (for
        exports, which write text: no PainEntry is made for each)."""
        where, params = _window("recorded_at", since, until)
        return self._rows(
            f"{PAIN_COLUMNS}{where} ORDER BY julianday(recorded_at), id", params, read_pain_row
        )

    def daily_pain(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[DailyPain]:
        """Per day and context: count, mean, lowest, highest and notes, oldest day first.

        SQLite does the sums, so a report over a million scores holds a few rows per day. The day
        is the date the entry was written with (its own offset), as the person lived it.
        """
        where, params = _window("recorded_at", since, until)

        def read(row: tuple) -> DailyPain:
            try:
                day = date.fromisoformat(row[0])
            except (TypeError, ValueError):
                raise RecordError(f"pain scores: {row[0]!r} is not a day") from None
            context = check_choice(row[1], PainContext, "pain scores: context")
            return DailyPain(day, context, *row[2:])

        return list(
            self._rows(
                "SELECT substr(recorded_at, 1, 10) AS day, context, count(*), avg(score), "
                f"min(score), max(score), count(nullif(note, '')) FROM pain_score{where} "
                "GROUP BY day, context ORDER BY day, context",
                params,
                read,
            )
        )

    def pain_spans(self, bounds: Sequence[datetime]) -> list[PainSpan]:
        """Count, sum, lowest and highest score in each span between neighbouring `bounds`.

        A span runs from one bound up to, not including, the next; `bounds` go forward in time.
        SQLite sums each span with one pass along the time index and no sorting, and only a row
        per span comes back, so a chart over a million scores costs what reading them once does.
        Its correlated subquery can only give one value, so the four come back as a JSON array.
        """
        if any(later <= earlier for earlier, later in itertools.pairwise(bounds)):
            raise ValueError("the bounds of pain spans must go forward in time")
        spans = list(itertools.pairwise(bounds))
        if not spans:
            return []
        values = ", ".join("(?, ?, ?)" for _ in spans)
        params = [
            value
            for n, (start, end) in enumerate(spans)
            for value in (n, iso_text(start), iso_text(end))
        ]

        def read(row: tuple) -> PainSpan:
            start, end = spans[row[0]]
            where = f"pain scores from {start.isoformat()}"
            try:
                count, total, low, high = json.loads(row[1])
            except (TypeError, ValueError):
                raise RecordError(f"{where}: the sums are not readable") from None
            count = check_int(count, f"{where}: count", 0, 2**62)
            if count == 0:
                return PainSpan(start, end, 0, 0, None, None)
            return PainSpan(
                start,
                end,
                count,
                check_int(total, f"{where}: sum", 0, 10 * count),
                check_score(low, f"{where}: lowest"),
                check_score(high, f"{where}: highest"),
            )

        return list(
            self._rows(
                f"WITH span(n, starts, ends) AS (VALUES {values}) "
                "SELECT n, (SELECT json_array(count(score), sum(score), min(score), max(score)) "
                "FROM pain_score WHERE julianday(recorded_at) >= julianday(starts) "
                "AND julianday(recorded_at) < julianday(ends)) FROM span ORDER BY n",
                params,
                read,
            )
        )

    def pain_ends(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> tuple[PainEntry, PainEntry] | None:
        """The first and the last score in the window by time (the same one if it holds one)."""
        where, params = _window("recorded_at", since, until)
        first = self._one(
            f"{PAIN_COLUMNS}{where} ORDER BY julianday(recorded_at), id LIMIT 1", params, read_pain
        )
        if first is None:
            return None
        last = self._one(
            f"{PAIN_COLUMNS}{where} ORDER BY julianday(recorded_at) DESC, id DESC LIMIT 1",
            params,
            read_pain,
        )
        return first, last or first

    def pain_totals(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        newest: int | None = None,
    ) -> PainTotals:
        """Count, mean, and the first and last score of the window (or of its newest scores).

        SQLite counts and averages; the first and last come from the time index, one row each.
        """
        where, params = _window("recorded_at", since, until)
        newest_first = "ORDER BY julianday(recorded_at) DESC, id DESC"
        if newest is None:
            source, source_params = f"pain_score{where}", params
        else:
            source = f"(SELECT score FROM pain_score{where} {newest_first} LIMIT ?)"
            source_params = [*params, newest]

        def read_sums(row: tuple) -> tuple[int, float | None]:
            count = check_int(row[0], "pain scores: count", 0, 2**62)
            mean = row[1]
            if count and not (isinstance(mean, float) and 0 <= mean <= 10):
                raise RecordError(f"pain scores: {mean!r} is not a mean score")
            return count, mean if count else None

        sums = self._one(f"SELECT count(score), avg(score) FROM {source}", source_params, read_sums)
        count, mean = sums if sums is not None else (0, None)
        if not count:
            return PainTotals(0, None, None, None)
        ends = self.pain_ends(since, until)
        if ends is None:  # the log changed between the reads
            return PainTotals(0, None, None, None)
        first, last = ends
        if newest is not None and count == newest:  # the first of the newest, not of the window
            first = (
                self._one(
                    f"{PAIN_COLUMNS}{where} {newest_first} LIMIT 1 OFFSET ?",
                    [*params, newest - 1],
                    read_pain,
                )
                or first
            )
        return PainTotals(count, mean, first.score, last.score)

    def pain_page(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        after: PageKey | None = None,
        size: int = 100,
    ) -> PainPage:
        """One page of the window's scores, newest first, starting just older than `after`.

        Pages are found by their key on the time index (never by counting past earlier pages),
        so the thousandth page comes as fast as the first.
        """
        where, params = _window("recorded_at", since, until)
        if after is not None:
            where = (where + " AND" if where else " WHERE") + (
                " julianday(recorded_at) <= ? AND (julianday(recorded_at) < ? OR id < ?)"
            )
            params = [*params, after.julian, after.julian, after.row]

        def read(row: tuple) -> tuple[PainEntry, PageKey]:
            julian, row_id = row[6], row[7]
            if not isinstance(julian, float) or not isinstance(row_id, int):
                raise RecordError(f"pain score {row[0]!r}: recorded_at is not a time")
            return read_pain(row[:6]), PageKey(julian, row_id)

        rows = list(
            self._rows(
                f"SELECT uid, recorded_at, score, context, note, session_uid, "
                f"julianday(recorded_at), id FROM pain_score{where} "
                "ORDER BY julianday(recorded_at) DESC, id DESC LIMIT ?",
                [*params, size + 1],
                read,
            )
        )
        more = len(rows) > size
        rows = rows[:size]
        return PainPage([entry for entry, _ in rows], rows[-1][1] if more else None)

    def recent_pain_scores(
        self, since: datetime | None = None, until: datetime | None = None, newest: int = 1
    ) -> Iterator[PainEntry]:
        """The window's newest `newest` scores, oldest first, streamed (none held in memory).

        The oldest of them is found on the time index; the rest stream on from it.
        """
        where, params = _window("recorded_at", since, until)

        def read_key(row: tuple) -> PageKey:
            if not isinstance(row[0], float) or not isinstance(row[1], int):
                raise RecordError("pain scores: a recorded_at is not a time")
            return PageKey(row[0], row[1])

        start = self._one(
            f"SELECT julianday(recorded_at), id FROM pain_score{where} "
            "ORDER BY julianday(recorded_at) DESC, id DESC LIMIT 1 OFFSET ?",
            [*params, newest - 1],
            read_key,
        )
        if start is not None:
            where = (where + " AND" if where else " WHERE") + (
                " julianday(recorded_at) >= ? AND (julianday(recorded_at) > ? OR id >= ?)"
            )
            params = [*params, start.julian, start.julian, start.row]
        return self._rows(
            f"{PAIN_COLUMNS}{where} ORDER BY julianday(recorded_at), id", params, read_pain
        )

    def pain_notes(
        self, since: datetime | None = None, until: datetime | None = None, limit: int = 50
    ) -> list[PainEntry]:
        """The latest `limit` scores that have a note, newest first."""
        where, params = _window("recorded_at", since, until)
        where = (where + " AND" if where else " WHERE") + " note IS NOT NULL AND note != ''"
        return list(
            self._rows(
                f"{PAIN_COLUMNS}{where} ORDER BY julianday(recorded_at) DESC, id DESC LIMIT ?",
                [*params, limit],
                read_pain,
            )
        )

    def last_pain(self) -> PainEntry | None:
        return self._one(
            f"{PAIN_COLUMNS} ORDER BY julianday(recorded_at) DESC, id DESC LIMIT 1", (), read_pain
        )

    def screenings(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[Screening]:
        where, params = _window("screened_at", since, until)
        return self._rows(
            f"{SCREENING_COLUMNS}{where} ORDER BY julianday(screened_at), id",
            params,
            read_screening,
        )

    def last_screening(self) -> Screening | None:
        return self._one(
            f"{SCREENING_COLUMNS} ORDER BY julianday(screened_at) DESC, id DESC LIMIT 1",
            (),
            read_screening,
        )

    def safety_notes(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        kind: NoteKind | None = None,
    ) -> Iterator[SafetyNote]:
        where, params = _window("noted_at", since, until)
        if kind is not None:
            where = f"{where} AND kind = ?" if where else " WHERE kind = ?"
            params.append(kind.value)
        return self._rows(
            f"{NOTE_COLUMNS}{where} ORDER BY julianday(noted_at), id", params, read_note
        )

    def warnings(self, since: datetime | None = None) -> Iterator[Screening]:
        """Checks with an emergency or urgent outcome, oldest first."""
        where, params = _window("screened_at", since, None)
        where = f"{where} AND" if where else " WHERE"
        return self._rows(
            f"{SCREENING_COLUMNS}{where} level IN ('emergency', 'urgent') "
            "ORDER BY julianday(screened_at), id",
            params,
            read_screening,
        )

    def last_full_check(self) -> Screening | None:
        """The latest finished full check, whatever its outcome."""
        return self._one(
            f"{SCREENING_COLUMNS} WHERE kind = 'full' AND complete = 1 "
            "ORDER BY julianday(screened_at) DESC, id DESC LIMIT 1",
            (),
            read_screening,
        )

    def sessions(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[SessionRecord]:
        where, params = _window("started_at", since, until)
        return self._rows(
            f"{SESSION_COLUMNS}{where} ORDER BY julianday(started_at), id", params, read_session
        )

    def last_session(self) -> SessionRecord | None:
        return self._one(
            f"{SESSION_COLUMNS} ORDER BY julianday(started_at) DESC, id DESC LIMIT 1",
            (),
            read_session,
        )

    def events(self, session_uid: str) -> list[SessionEvent]:
        return list(
            self._rows(
                f"{EVENT_COLUMNS} WHERE session_uid = ? ORDER BY julianday(at), id",
                (session_uid,),
                read_event,
            )
        )

    def applications(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[Application]:
        where, params = _window("started_at", since, until)
        return self._rows(
            f"{APPLICATION_COLUMNS}{where} ORDER BY julianday(started_at), id",
            params,
            read_application,
        )

    def session_outcomes(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> dict[SessionOutcome, int]:
        """How many sessions started in the window ended each way; one never closed counts as
        interrupted (the app was killed), as `SessionRecord.status` reads it."""
        where, params = _window("started_at", since, until)

        def read(row: tuple) -> tuple[SessionOutcome, int]:
            outcome = check_choice(row[0], SessionOutcome, "sessions: outcome")
            return outcome, check_int(row[1], "sessions: count", 0, 2**62)

        counts: dict[SessionOutcome, int] = {}
        for outcome, count in self._rows(
            f"SELECT ifnull(outcome, ?), count(*) FROM session{where} GROUP BY 1",
            [SessionOutcome.INTERRUPTED.value, *params],
            read,
        ):
            counts[outcome] = counts.get(outcome, 0) + count
        return counts

    def skipped_exercises(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[SkippedExercise]:
        """Each exercise skipped in the sessions started in the window, by reason, and how often."""
        where, params = _window("session.started_at", since, until)
        where = (where + " AND" if where else " WHERE") + " session_event.kind = ?"

        def read(row: tuple) -> SkippedExercise:
            return SkippedExercise(
                read_text(row[0], "skipped exercise: exercise", optional=True) or None,
                read_text(row[1], "skipped exercise: reason", optional=True) or None,
                check_int(row[2], "skipped exercise: times", 1, 2**62),
            )

        return list(
            self._rows(
                "SELECT session_event.exercise_id, session_event.detail, count(*) "
                "FROM session JOIN session_event ON session_event.session_uid = session.uid"
                f"{where} GROUP BY 1, 2 ORDER BY 1, 2",
                [*params, EventKind.EXERCISE_SKIPPED.value],
                read,
            )
        )

    def heat_ice_uses(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> dict[ThermalKind, HeatIceUses]:
        """Uses of heat and of ice started in the window, and how many were stopped early."""
        where, params = _window("started_at", since, until)

        def read(row: tuple) -> tuple[ThermalKind, HeatIceUses]:
            kind = check_choice(row[0], ThermalKind, "heat/ice uses: kind")
            uses = check_int(row[1], "heat/ice uses: count", 1, 2**62)
            return kind, HeatIceUses(uses, check_int(row[2], "heat/ice: stopped early", 0, uses))

        return dict(
            self._rows(
                "SELECT kind, count(*), count(nullif(stopped_early, 0)) "
                f"FROM application{where} GROUP BY kind",
                params,
                read,
            )
        )

    def plan_changes(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[PlanChange]:
        """Changes of stage in the person's plan, oldest first (a handful in a month)."""
        where, params = _window("changed_at", since, until)
        return self._rows(
            f"{PLAN_CHANGE_COLUMNS}{where} ORDER BY julianday(changed_at), id",
            params,
            read_plan_change,
        )

    def last_plan_change(self) -> PlanChange | None:
        return self._one(
            f"{PLAN_CHANGE_COLUMNS} ORDER BY julianday(changed_at) DESC, id DESC LIMIT 1",
            (),
            read_plan_change,
        )

    def last_application(self) -> Application | None:
        return self._one(
            f"{APPLICATION_COLUMNS} ORDER BY julianday(started_at) DESC, id DESC LIMIT 1",
            (),
            read_application,
        )


# --- rows to records, each field checked on the way in -----------------------------------------


def _wal_is_empty(path: Path) -> bool:
    """No write-ahead log beside the log, or an empty one: the file alone holds every entry."""
    try:
        return Path(f"{path}-wal").stat().st_size == 0
    except FileNotFoundError:
        return True
    except OSError:
        return False


RESTORE_BATCH = 1000


class Restored(NamedTuple):
    """What an import did: records added, and records already in the log brought up to date."""

    added: int = 0
    sessions_ended: int = 0
    """Sessions the log had without an end, given their end and outcome."""
    uses_ended: int = 0
    """Heat or ice uses the log had without an end, given their end and whether it was early."""
    checks_completed: int = 0
    """Red-flag checks the log had saved part-way, given the answers that came after."""

    @property
    def updated(self) -> int:
        return self.sessions_ended + self.uses_ended + self.checks_completed


class _Update(NamedTuple):
    """How an import brings a record already in the log up to date, from its INSERT's values."""

    sql: str
    applies: Callable[[tuple[Any, ...]], bool]
    """Whether the imported record has anything to add (an end, say)."""
    values: Callable[[tuple[Any, ...]], tuple[Any, ...]]
    counted: str
    """The field of Restored that counts it."""


UPDATES = {
    SESSION_INSERT: _Update(
        "UPDATE session SET routine_id = ?, routine_name = ?, ended_at = ?, outcome = ? "
        "WHERE uid = ? AND ended_at IS NULL",
        lambda row: row[4] is not None,
        lambda row: (row[1], row[2], row[4], row[5], row[0]),
        "sessions_ended",
    ),
    APPLICATION_INSERT: _Update(
        "UPDATE application SET ended_at = ?, stopped_early = ? WHERE uid = ? AND ended_at IS NULL",
        lambda row: row[3] is not None,
        lambda row: (row[3], row[5], row[0]),
        "uses_ended",
    ),
    SCREENING_INSERT: _Update(
        "UPDATE screening SET level = ?, flags = ?, answers = ?, kind = ?, complete = ?, "
        "inferred = ?, changes = ?, seconds = ? WHERE uid = ? AND complete = 0 AND (? = 1 OR "
        "(SELECT count(*) FROM json_each(?)) > (SELECT count(*) FROM json_each(answers)) OR "
        "(SELECT count(*) FROM json_each(?)) > (SELECT count(*) FROM json_each(changes)))",
        lambda row: True,
        lambda row: (
            *(row[2], row[3], row[4], row[6], row[7], row[8], row[9], row[10]),
            *(row[0], row[7], row[4], row[9]),
        ),
        "checks_completed",
    ),
}
"""The records an import may bring up to date, by the INSERT that adds them."""


def _insert_batches(
    records: Iterable[Record | PainRow],
) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    """The INSERTs for `records`, in their order: up to RESTORE_BATCH rows for one statement."""
    statement, batch = "", list[tuple[Any, ...]]()
    for record in records:
        sql, values = insert_statement(record)
        if sql != statement or len(batch) == RESTORE_BATCH:
            if batch:
                yield statement, batch
            statement, batch = sql, []
        batch.append(values)
    if batch:
        yield statement, batch


def _window(
    column: str, since: datetime | None, until: datetime | None
) -> tuple[str, list[object]]:
    """A WHERE clause for since <= time < until, compared in UTC."""
    clauses: list[str] = []
    params: list[object] = []
    if since is not None:
        clauses.append(f"julianday({column}) >= julianday(?)")
        params.append(iso_text(since))
    if until is not None:
        clauses.append(f"julianday({column}) < julianday(?)")
        params.append(iso_text(until))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (the connection is in autocommit)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self._db.execute("COMMIT")
        elif self._db.in_transaction:
            self._db.execute("ROLLBACK")
