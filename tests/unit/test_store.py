"""The pain log on disk: private files, entries committed at once, UTC order, safe refusals."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from tests.factory import add_application, add_event, add_pain, add_screening, add_session

from spasm_coach.clock import FakeClock
from spasm_coach.records import PainEntry, Record, RecordError, SessionEvent, SessionRecord
from spasm_coach.store import (
    RESTORE_BATCH,
    SCHEMA_VERSION,
    Store,
    log_files,
)
from spasm_coach.store_errors import LogDamaged, NoPermission, NotAPlaceForALog, StoreError
from spasm_coach.vocabulary import (
    EventKind,
    Level,
    PainContext,
    ScreeningReason,
    SessionOutcome,
    ThermalKind,
)

PLUS1 = timezone(timedelta(hours=1))
MINUS5 = timezone(timedelta(hours=-5))
DB_NAME = "pain-log.sqlite3"
SIDE_FILES = ("-wal", "-shm", "-journal")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side_files(path: Path) -> list[Path]:
    return [
        path.with_name(path.name + suffix)
        for suffix in SIDE_FILES
        if path.with_name(path.name + suffix).exists()
    ]


def uid(name: str) -> str:
    """A stable UUID for a readable name, so tests can say 'u-1' and the log gets a real uid."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"test:{name}"))


BEFORE = ScreeningReason.BEFORE_SESSION


def at(hour: int, minute: int = 0, tz: timezone = PLUS1, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=tz)


def pain_rows(path: Path) -> list[tuple[str, str, int]]:
    """What a second, independent connection sees in the file."""
    with sqlite3.connect(path) as other:
        rows = other.execute(
            "SELECT uid, recorded_at, score FROM pain_score ORDER BY id"
        ).fetchall()
    other.close()
    return rows


# --- permissions -----------------------------------------------------------------------------


def test_new_data_folder_is_0700_and_database_0600(home: Path) -> None:
    assert not home.exists()
    with Store.open(home / DB_NAME):
        pass
    assert mode(home) == 0o700
    assert mode(home / DB_NAME) == 0o600


def test_wal_and_shm_files_are_private_after_writes(
    store: Store, home: Path, clock: FakeClock
) -> None:
    db = home / DB_NAME
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    check.close()
    add_pain(store, 4, clock.now())
    add_pain(store, 5, clock.now() + timedelta(minutes=5))
    extra = side_files(db)
    assert extra, "writes in WAL mode should leave a -wal/-shm file while the log is open"
    for path in [db, *extra]:
        assert mode(path) == 0o600, path


def test_existing_data_folder_keeps_its_mode(home: Path) -> None:
    home.mkdir()
    home.chmod(0o755)
    with Store.open(home / DB_NAME):
        pass
    assert mode(home) == 0o755
    assert mode(home / DB_NAME) == 0o600


def test_existing_log_with_loose_mode_is_tightened(home: Path) -> None:
    db = home / DB_NAME
    with Store.open(db) as first:
        add_pain(first, 3, at(9))
    db.chmod(0o644)
    with Store.open(db) as second:
        assert [entry.score for entry in second.pain_scores()] == [3]
    assert mode(db) == 0o600


# --- every entry committed at once -----------------------------------------------------------


def test_add_pain_is_visible_to_another_connection_without_close(
    store: Store, home: Path, clock: FakeClock
) -> None:
    entry = add_pain(store, 6, clock.now(), note="after lifting")
    assert pain_rows(home / DB_NAME) == [(entry.uid, "2026-11-23T09:00:00+01:00", 6)]
    with Store.open(home / DB_NAME) as second:
        assert list(second.pain_scores()) == [entry]


def test_other_records_are_committed_at_once(store: Store, home: Path, clock: FakeClock) -> None:
    screening = add_screening(
        store, Level.CLEAR, (), {"saddle_numbness": False}, clock.now(), BEFORE
    )
    session = add_session(store, "gentle", "Gentle start", clock.now(), screening.uid)
    add_event(store, session.uid, clock.now(), EventKind.EXERCISE_STARTED, "knee_to_chest")
    application = add_application(store, ThermalKind.HEAT, clock.now(), 20)
    with Store.open(home / DB_NAME, readonly=True) as reader:
        assert reader.last_screening() == screening
        assert [record.uid for record in reader.sessions()] == [session.uid]
        assert [event.kind for event in reader.events(session.uid)] == ["exercise-started"]
        assert [record.uid for record in reader.applications()] == [application.uid]


def test_entries_survive_reopening(home: Path) -> None:
    with Store.open(home / DB_NAME) as first:
        entry = add_pain(first, 2, at(9), context=PainContext.AFTER_HEAT, note="warm")
    with Store.open(home / DB_NAME) as again:
        assert list(again.pain_scores()) == [entry]
    with sqlite3.connect(home / DB_NAME) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    check.close()


# --- pain scores -----------------------------------------------------------------------------


def test_scores_come_back_oldest_first_across_utc_offsets(store: Store) -> None:
    later = add_pain(store, 5, at(8, 30, UTC))  # 08:30 UTC
    earlier = add_pain(store, 7, at(9, 0, PLUS1))  # 08:00 UTC
    latest = add_pain(store, 3, at(4, 0, MINUS5))  # 09:00 UTC
    assert [entry.uid for entry in store.pain_scores()] == [earlier.uid, later.uid, latest.uid]


def test_scores_keep_their_offset(store: Store) -> None:
    add_pain(store, 5, at(4, 15, MINUS5))
    (entry,) = store.pain_scores()
    assert entry.recorded_at.isoformat() == "2026-11-23T04:15:00-05:00"


def test_window_includes_since_and_excludes_until(store: Store) -> None:
    scores = [add_pain(store, score, at(8 + score, 0, UTC)) for score in range(5)]  # 08..12 UTC
    # Bounds given in another offset: 10:00+01:00 is 09:00 UTC, 12:00+01:00 is 11:00 UTC.
    window = store.pain_scores(since=at(10, 0, PLUS1), until=at(12, 0, PLUS1))
    assert [entry.uid for entry in window] == [scores[1].uid, scores[2].uid]
    assert [e.score for e in store.pain_scores(since=at(11, 0, UTC))] == [3, 4]
    assert [e.score for e in store.pain_scores(until=at(9, 0, UTC))] == [0]


def test_limit_returns_most_recent_in_ascending_order(store: Store) -> None:
    for hour, score in [(12, 4), (8, 9), (10, 6), (11, 5), (9, 7)]:
        add_pain(store, score, at(hour, 0, UTC))
    assert [e.score for e in store.pain_scores(limit=3)] == [6, 5, 4]
    assert [e.recorded_at.hour for e in store.pain_scores(limit=3)] == [10, 11, 12]
    assert [e.score for e in store.pain_scores(limit=10)] == [9, 7, 6, 5, 4]
    assert [e.score for e in store.pain_scores(until=at(11, 0, UTC), limit=2)] == [7, 6]


def test_last_pain(store: Store) -> None:
    assert store.last_pain() is None
    newest = add_pain(store, 4, at(9, 0, UTC))
    add_pain(store, 8, at(9, 30, PLUS1))  # 08:30 UTC: entered later but earlier in time
    assert store.last_pain() == newest


@pytest.mark.parametrize("score", [11, -1])
def test_the_log_itself_refuses_an_impossible_score(store: Store, home: Path, score: int) -> None:
    """The journal checks every score first; the log's own CHECK is the last line of defence."""
    with pytest.raises(sqlite3.IntegrityError):
        add_pain(store, score, at(9))
    assert list(store.pain_scores()) == []
    assert pain_rows(home / DB_NAME) == []


def test_add_pain_accepts_both_ends(store: Store) -> None:
    add_pain(store, 0, at(9))
    add_pain(store, 10, at(10))
    assert [e.score for e in store.pain_scores()] == [0, 10]


def test_add_pain_rejects_naive_datetime(store: Store, home: Path) -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        add_pain(store, 4, datetime(2026, 11, 23, 9, 0))
    assert pain_rows(home / DB_NAME) == []


def test_add_pain_keeps_context_note_and_session(store: Store) -> None:
    session = uid("s-1")
    entry = add_pain(
        store, 6, at(9), context=PainContext.AFTER_EXERCISE, note="tight", session_uid=session
    )
    (back,) = store.pain_scores()
    assert back == entry
    assert (back.context, back.note, back.session_uid) == ("after-exercise", "tight", session)
    empty = add_pain(store, 6, at(10), note="")
    assert empty.note is None
    latest = store.last_pain()
    assert latest is not None
    assert latest.note is None


def test_control_characters_written_by_another_program_never_come_back(
    store: Store, home: Path, clock: FakeClock
) -> None:
    """A note or routine name holding a terminal escape (written straight into the file) reads
    back with the escape made harmless, so no screen or command prints it to the terminal."""
    add_pain(store, 3, at(9), note="stiff")
    session = add_session(store, "gentle", "Gentle", at(9), None)
    store.end_session(session.uid, at(10), SessionOutcome.FINISHED)
    with sqlite3.connect(home / DB_NAME) as raw:
        raw.execute("UPDATE pain_score SET note = ?", ("a \x1b[2J b",))
        raw.execute("UPDATE session SET routine_name = ?", ("G \x1b]0;title\x07 x",))
    entry = store.last_pain()
    assert entry is not None
    assert entry.note == "a \N{REPLACEMENT CHARACTER}[2J b"
    last = store.last_session()
    assert last is not None
    assert last.routine_name == "G \N{REPLACEMENT CHARACTER}]0;title\N{REPLACEMENT CHARACTER} x"


def test_pain_rows_are_the_scores_as_pain_scores_reads_them(store: Store, home: Path) -> None:
    """Exports read plain values; rows another program wrote oddly come back exactly as the
    checked entries do: a uid or time made canonical, a control character made harmless."""
    add_pain(store, 3, at(9), note='stiff, "then" better', session_uid=uid("s-1"))
    add_pain(store, 0, at(10, tz=MINUS5))
    odd = [
        (uid("upper").upper(), "2026-11-23T11:00:00-00:00", 4, "after-heat", "", ""),
        (uid("braces"), "2026-11-23T11:30:00.250+05:30", 5, "check-in", "a\x1b[2Jb", None),
        (uid("crlf"), "2026-11-23 12:00:00+01:00", 6, "check-in", "one\r\ntwo", uid("s").upper()),
        (uid("far"), "2199-12-31T23:00:00+14:00", 7, "after-ice", "café", None),
    ]
    with sqlite3.connect(home / DB_NAME) as raw:
        raw.executemany(
            "INSERT INTO pain_score (uid, recorded_at, score, context, note, session_uid) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            odd,
        )
    raw.close()
    rows = list(store.pain_rows())
    assert rows == [entry.row for entry in store.pain_scores()]
    by_uid = {row[0]: row for row in rows}
    assert len(by_uid) == 6
    assert by_uid[uid("upper")] == (
        uid("upper"),
        "2026-11-23T11:00:00+00:00",
        4,
        "after-heat",
        None,
        None,
    )
    assert by_uid[uid("braces")][1] == "2026-11-23T11:30:00+05:30"
    assert by_uid[uid("braces")][4] == "a\N{REPLACEMENT CHARACTER}[2Jb"
    assert by_uid[uid("crlf")][1] == "2026-11-23T12:00:00+01:00"
    assert by_uid[uid("crlf")][4:] == ("one\ntwo", uid("s"))
    since, until = at(9, 30), at(11, 15, UTC)
    assert list(store.pain_rows(since, until)) == [e.row for e in store.pain_scores(since, until)]


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("score", 5.5, "score: expected a whole number, got float 5.5"),
        ("recorded_at", "2199-12-31T23:00:00-14:00", "is not between 1970 and 2200"),
        ("recorded_at", "2026-02-30T09:00:00+00:00", "is not an ISO date and time"),
        ("uid", "u-1", "'u-1' is not a UUID"),
        ("context", "at the gym", "'at the gym' is not one of"),
        ("session_uid", "=HYPERLINK(1)", "'=HYPERLINK(1)' is not a UUID"),
    ],
)
def test_pain_rows_report_a_damaged_score_as_pain_scores_do(
    store: Store, home: Path, column: str, value: object, problem: str
) -> None:
    add_pain(store, 3, at(9))
    with sqlite3.connect(home / DB_NAME) as raw:
        raw.execute(f"UPDATE pain_score SET {column} = ?", (value,))
    raw.close()
    for read in (store.pain_rows, store.pain_scores):
        with pytest.raises(LogDamaged) as caught:
            list(read())
        assert problem in str(caught.value)


# --- screenings ------------------------------------------------------------------------------


def test_screening_round_trip(store: Store) -> None:
    answers = {"saddle_numbness": True, "bladder_change": False, "fever": False}
    saved = add_screening(store, Level.EMERGENCY, ("saddle_numbness",), answers, at(9), BEFORE)
    (back,) = store.screenings()
    assert back == saved
    assert back.flags == ("saddle_numbness",)
    assert isinstance(back.flags, tuple)
    assert back.answers == answers
    assert back.level == "emergency"
    assert back.reason is ScreeningReason.BEFORE_SESSION
    assert back.screened_at.isoformat() == "2026-11-23T09:00:00+01:00"


def test_last_screening_is_the_latest_in_time(store: Store) -> None:
    assert store.last_screening() is None
    newest = add_screening(store, Level.SOON, ("age",), {"age": True}, at(9, 0, UTC), BEFORE)
    add_screening(store, Level.CLEAR, (), {}, at(9, 30, PLUS1), BEFORE)  # 08:30 UTC
    assert store.last_screening() == newest
    assert [s.level for s in store.screenings()] == ["clear", "soon"]


def test_screening_level_must_be_known(store: Store) -> None:
    with pytest.raises(RecordError, match="'fine' is not one of clear, soon, urgent, emergency"):
        add_screening(store, "fine", (), {}, at(9), BEFORE)  # type: ignore[arg-type]
    assert store.last_screening() is None


# --- sessions and heat/ice -------------------------------------------------------------------


def test_session_with_events_and_end(store: Store, clock: FakeClock) -> None:
    session = add_session(store, "gentle", "Gentle start", clock.now(), None)
    clock.advance(30)
    first = add_event(store, session.uid, clock.now(), EventKind.EXERCISE_STARTED, "knee_to_chest")
    clock.advance(60)
    second = add_event(store, session.uid, clock.now(), EventKind.EXERCISE_DONE, "knee_to_chest")
    clock.advance(10)
    store.end_session(session.uid, clock.now(), SessionOutcome.FINISHED)
    (record,) = store.sessions()
    assert record.uid == session.uid
    assert (record.routine_id, record.routine_name) == ("gentle", "Gentle start")
    assert record.ended_at == session.started_at + timedelta(seconds=100)
    assert record.outcome == "finished"
    assert record.status == "finished"
    assert store.events(session.uid) == [first, second]
    assert store.events(uid("another-session")) == []


def test_session_never_ended_is_interrupted(home: Path, clock: FakeClock) -> None:
    with Store.open(home / DB_NAME) as first:
        session = add_session(first, "gentle", "Gentle start", clock.now(), uid("scr-1"))
        assert session.status == "interrupted"
    with Store.open(home / DB_NAME) as again:
        (record,) = again.sessions()
    assert record.uid == session.uid
    assert record.ended_at is None
    assert record.outcome is None
    assert record.status == "interrupted"
    assert record.screening_uid == uid("scr-1")


def open_at_once(path: Path, coaches: int) -> list[Exception]:
    """`coaches` threads, each with its own connection, opening `path` at the same moment."""
    ready = threading.Barrier(coaches)
    failures: list[Exception] = []

    def open_it() -> None:
        ready.wait()
        try:
            Store.open(path).close()
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(coaches)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_coaches_opening_a_new_log_at_once_all_open_it(tmp_path: Path) -> None:
    """Two terminals started together on a new data folder: each sees an empty file, one makes
    the tables, and the other must not call the log damaged for it."""
    for attempt in range(10):
        assert open_at_once(tmp_path / f"{attempt}.sqlite3", 6) == []
    with Store.open(tmp_path / "0.sqlite3") as store:
        assert list(store.pain_scores()) == []


def test_sessions_window(store: Store) -> None:
    add_session(store, "a", "A", at(8, 0, UTC), None)
    add_session(store, "b", "B", at(10, 0, PLUS1), None)  # 09:00 UTC
    add_session(store, "c", "C", at(10, 0, UTC), None)
    window = store.sessions(since=at(9, 0, UTC), until=at(10, 0, UTC))
    assert [s.routine_id for s in window] == ["b"]


@pytest.mark.parametrize("stopped_early", [True, False])
def test_application_start_and_end(store: Store, clock: FakeClock, stopped_early: bool) -> None:
    started = add_application(store, ThermalKind.ICE, clock.now(), 15)
    (running,) = store.applications()
    assert running.ended_at is None
    assert running.stopped_early is None
    clock.advance(600)
    store.end_application(started.uid, clock.now(), stopped_early=stopped_early)
    (done,) = store.applications()
    assert done.uid == started.uid
    assert (done.kind, done.planned_minutes) == ("ice", 15)
    assert done.ended_at == started.started_at + timedelta(minutes=10)
    assert done.stopped_early is stopped_early


def test_application_kind_must_be_heat_or_ice(store: Store, clock: FakeClock) -> None:
    with pytest.raises(RecordError, match="'steam' is not one of heat, ice"):
        add_application(store, "steam", clock.now(), 10)  # type: ignore[arg-type]
    assert list(store.applications()) == []


# --- refusing files that aren't ours, without touching them ----------------------------------


def _assert_untouched(db: Path, digest: str) -> None:
    assert sha256(db) == digest
    assert side_files(db) == []


def test_newer_schema_is_refused_untouched(home: Path) -> None:
    home.mkdir()
    db = home / DB_NAME
    with sqlite3.connect(db) as newer:
        newer.execute("CREATE TABLE pain_score (id INTEGER PRIMARY KEY, future TEXT)")
        newer.execute("PRAGMA user_version = 99")
    newer.close()
    digest = sha256(db)
    for readonly in (False, True):
        with pytest.raises(StoreError) as caught:
            Store.open(db, readonly=readonly)
        message = str(caught.value)
        assert "newer" in message
        assert "Update spasm-coach" in message
        assert "untouched" in message
        assert str(db) in message
        _assert_untouched(db, digest)


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(4096),
        b"this is my shopping list, not a database\n" * 50,
        b"SQLite format 3\x00" + b"\xff" * 200,
    ],
    ids=["random-bytes", "text", "truncated-header"],
)
def test_corrupt_file_is_refused_untouched(home: Path, content: bytes) -> None:
    home.mkdir()
    db = home / DB_NAME
    db.write_bytes(content)
    digest = sha256(db)
    for readonly in (False, True):
        with pytest.raises(StoreError) as caught:
            Store.open(db, readonly=readonly)
        message = str(caught.value)
        assert "left untouched" in message
        assert "backup" in message
        assert str(db) in message
        _assert_untouched(db, digest)


def test_sqlite_file_of_another_app_is_refused_untouched(home: Path) -> None:
    home.mkdir()
    db = home / DB_NAME
    with sqlite3.connect(db) as other:
        other.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
        other.execute("INSERT INTO recipes VALUES ('soup', 40)")
    other.close()
    digest = sha256(db)
    with pytest.raises(StoreError) as caught:
        Store.open(db)
    message = str(caught.value)
    assert "not a spasm-coach pain log" in message
    assert "left untouched" in message
    assert "--data-dir" in message
    _assert_untouched(db, digest)
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT name FROM sqlite_master").fetchall() == [("recipes",)]
    check.close()


@pytest.mark.parametrize("locked", ["parent", "data-folder"])
def test_unwritable_data_folder_names_the_folder(tmp_path: Path, locked: str) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root, which ignores folder permissions")
    if locked == "parent":
        target = tmp_path / "locked"
        target.mkdir()
        folder = target / "data"
    else:
        folder = target = tmp_path / "locked"
        target.mkdir()
    target.chmod(0o500)
    try:
        with pytest.raises(StoreError) as caught:
            Store.open(folder / DB_NAME)
    finally:
        target.chmod(0o700)
    message = str(caught.value)
    assert str(folder) in message
    assert "permissions" in message
    assert "--data-dir" in message
    assert not (folder / DB_NAME).exists()


def test_readonly_open_of_missing_file_creates_nothing(home: Path) -> None:
    with Store.open(home / DB_NAME, readonly=True) as reader:
        assert list(reader.pain_scores()) == []
        assert reader.last_pain() is None
        assert reader.last_screening() is None
        assert list(reader.sessions()) == []
        assert list(reader.applications()) == []
    assert not home.exists()


def test_readonly_open_reads_without_writing(home: Path) -> None:
    db = home / DB_NAME
    with Store.open(db) as writer:
        entry = add_pain(writer, 5, at(9))
    digest = sha256(db)
    with Store.open(db, readonly=True) as reader:
        assert list(reader.pain_scores()) == [entry]
        with pytest.raises(StoreError, match="can't be written"):
            add_pain(reader, 3, at(10))
    assert sha256(db) == digest


def refuse_shared_memory(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Store._connect as on a read-only disk: SQLite can't make its shared-memory file, so only
    an immutable read gets in. Returns, per call, whether it was immutable."""
    calls: list[bool] = []
    real = vars(Store)["_connect"].__func__

    def connect(cls: type[Store], /, *args: Any, immutable: bool = False, **kwargs: Any) -> Store:
        calls.append(immutable)
        if not immutable:
            raise NoPermission("The pain log can't be written: the disk is read-only.")
        opened: Store = real(cls, *args, immutable=immutable, **kwargs)
        return opened

    monkeypatch.setattr(Store, "_connect", classmethod(connect))
    return calls


def test_a_log_made_writable_again_is_written_at_the_next_try(home: Path) -> None:
    """SQLite opens a log it can't write read-only, and that connection stays read-only after
    the file is fixed: the store reconnects, so the coach's retry gets the entry in."""
    db = home / DB_NAME
    Store.open(db).close()
    opened_read_only = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, isolation_level=None)
    store = Store(opened_read_only, db)
    store._reopen_with = 1.0  # as Store.open sets it for a log opened for writing
    with pytest.raises(NoPermission):
        add_pain(store, 4, at(9))
    entry = add_pain(store, 4, at(9))
    assert list(Store.open(db, readonly=True).pain_scores()) == [entry]
    store.close()


def test_a_log_on_a_read_only_disk_can_still_be_read(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = home / DB_NAME
    with Store.open(db) as writer:
        entry = add_pain(writer, 5, at(9))
    calls = refuse_shared_memory(monkeypatch)
    with Store.open(db, readonly=True) as reader:
        assert list(reader.pain_scores()) == [entry]
    assert calls == [False, True]
    with pytest.raises(NoPermission):
        Store.open(db)  # writing is never attempted around the problem


def test_a_read_only_disk_with_entries_in_the_write_ahead_log_says_so(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An immutable read would miss what the write-ahead log holds: the problem is said."""
    db = home / DB_NAME
    with Store.open(db) as writer:
        add_pain(writer, 5, at(9))
    Path(f"{db}-wal").write_bytes(b"entries not yet in the main file")
    refuse_shared_memory(monkeypatch)
    with pytest.raises(NoPermission):
        Store.open(db, readonly=True)


# --- restore (import) ------------------------------------------------------------------------


def _entry(name: str, hour: int, score: int) -> PainEntry:
    return PainEntry(uid(name), at(hour), score, PainContext.CHECK_IN)


def test_restore_adds_only_unseen_uids(store: Store) -> None:
    kept = add_pain(store, 4, at(8), uid=uid("u-1"))
    records = [_entry("u-1", 12, 9), _entry("u-2", 9, 5), _entry("u-3", 10, 6)]
    assert store.restore(iter(records)).added == 2
    assert store.restore(iter(records)).added == 0
    back = list(store.pain_scores())
    assert [e.uid for e in back] == [uid("u-1"), uid("u-2"), uid("u-3")]
    assert back[0] == kept  # the existing entry was not overwritten


def _bad_after_good(good: PainEntry) -> Iterator[PainEntry]:
    """Records as an import reads them: the mistake is only found after a good one."""
    yield good
    raise RecordError("import.json: pain_scores[2]: score: 11 is outside 0-10")


def test_restore_failure_rolls_back_the_whole_import(store: Store, home: Path) -> None:
    add_pain(store, 4, at(8), uid=uid("before"))
    with pytest.raises(RecordError, match="outside 0-10"):
        store.restore(_bad_after_good(_entry("good", 9, 5)))
    assert [e.uid for e in store.pain_scores()] == [uid("before")]
    assert [row[0] for row in pain_rows(home / DB_NAME)] == [uid("before")]
    # The store is still usable and not stuck inside a transaction.
    add_pain(store, 2, at(12), uid=uid("later"))
    assert [row[0] for row in pain_rows(home / DB_NAME)] == [uid("before"), uid("later")]


def test_restore_failure_on_naive_time_rolls_back(store: Store) -> None:
    naive = PainEntry(uid("naive"), datetime(2026, 11, 23, 10), 5, PainContext.CHECK_IN)
    with pytest.raises(ValueError, match="UTC offset"):
        store.restore(iter([_entry("good", 9, 5), naive]))
    assert list(store.pain_scores()) == []


class BatchCountingConnection(sqlite3.Connection):
    """A connection that notes how many rows each executemany is given."""

    batches: list[int]

    def executemany(  # type: ignore[override]
        self, sql: str, rows: Iterable[Sequence[object]]
    ) -> sqlite3.Cursor:
        rows = list(rows)
        self.batches.append(len(rows))
        return super().executemany(sql, rows)


@pytest.fixture
def counting_store(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> BatchCountingConnection:
        connection = real_connect(*args, factory=BatchCountingConnection, **kwargs)
        connection.batches = []
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)  # the store's sqlite3 module
    opened = Store.open(home / DB_NAME)
    yield opened
    opened.close()


def _many(count: int, written: list[int] | None = None) -> Iterator[PainEntry]:
    """Scores for an import; with `written`, each checks that the store has written all but
    the last batch of those before it: the import never holds more than a batch."""
    start = datetime(2020, 1, 1, tzinfo=PLUS1)
    for n in range(count):
        if written is not None:
            assert n - sum(written) <= RESTORE_BATCH, f"{n} read, {sum(written)} written"
        yield PainEntry(uid(f"many-{n}"), start + timedelta(hours=n), n % 11, PainContext.CHECK_IN)


def test_restore_writes_in_batches_of_bounded_size(counting_store: Store) -> None:
    assert isinstance(counting_store._db, BatchCountingConnection)
    batches = counting_store._db.batches
    count = 2 * RESTORE_BATCH + 345
    assert counting_store.restore(_many(count, batches)).added == count
    assert batches == [RESTORE_BATCH, RESTORE_BATCH, 345]
    assert counting_store.restore(_many(count)).added == 0  # the same uids add nothing


def test_restore_keeps_the_order_of_mixed_records(counting_store: Store) -> None:
    """A run of one kind is a batch; another kind in between starts a new one."""
    session = uid("session")
    records: list[Record] = [
        *_many(3),
        SessionRecord(session, "gentle", "Gentle", at(9), at(10), SessionOutcome.FINISHED, None),
        SessionEvent(uid("e-1"), session, at(9), EventKind.EXERCISE_DONE, "cat_cow"),
        SessionEvent(uid("e-2"), session, at(9, 5), EventKind.EXERCISE_DONE, "cat_cow"),
        PainEntry(uid("after"), at(10), 2, PainContext.AFTER_SESSION, None, session),
    ]
    assert counting_store.restore(records).added == 7
    assert isinstance(counting_store._db, BatchCountingConnection)
    assert counting_store._db.batches == [3, 1, 2, 1]
    assert [e.uid for e in counting_store.events(session)] == [uid("e-1"), uid("e-2")]


def test_a_mistake_after_the_first_batches_adds_nothing(store: Store, home: Path) -> None:
    add_pain(store, 4, at(8), uid=uid("before"))

    def records() -> Iterator[PainEntry]:
        yield from _many(2 * RESTORE_BATCH + 10)
        raise RecordError("import.csv: line 2012: score '11' is not a whole number 0-10")

    with pytest.raises(RecordError, match="line 2012"):
        store.restore(records())
    assert [row[0] for row in pain_rows(home / DB_NAME)] == [uid("before")]


def test_a_version_1_log_is_migrated_and_keeps_every_check(home: Path) -> None:
    """A log from before quick checks: its checks read as finished full ones."""
    from spasm_coach.store import MIGRATIONS

    home.mkdir()
    db = home / DB_NAME
    with sqlite3.connect(db) as old:
        for statement in MIGRATIONS[0]:
            old.execute(statement)
        old.execute(
            "INSERT INTO screening (uid, screened_at, level, flags, answers, reason) "
            "VALUES (?, ?, 'urgent', '[\"fever\"]', '{\"fever\": true}', 'cli')",
            (uid("old"), "2026-11-20T09:00:00+01:00"),
        )
        old.execute("PRAGMA user_version = 1")
    old.close()
    with Store.open(db) as store:
        (check,) = store.screenings()
        assert (check.level, check.kind, check.complete, check.inferred) == (
            Level.URGENT,
            "full",
            True,
            (),
        )
        assert (check.changes, check.seconds) == ((), None)  # kept from version 3 on
        assert list(store.safety_notes()) == []
        assert list(store.plan_changes()) == []
    with sqlite3.connect(db) as after:
        assert after.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    after.close()


def test_the_files_beside_the_log_are_the_owners_to_write_again(home: Path) -> None:
    """SQLite makes its side files with the log's mode: made while the log was 0400 they stay
    0400 after the log is writable again, and every write fails. Opening sets them to 0600;
    the log itself only loses what others could do."""
    log = home / DB_NAME
    with Store.open(log) as store:
        add_pain(store, 3, datetime(2026, 11, 23, 9, tzinfo=PLUS1))
    for suffix in ("-wal", "-shm"):
        (home / f"{DB_NAME}{suffix}").write_bytes(b"")
        (home / f"{DB_NAME}{suffix}").chmod(0o400)
    log.chmod(0o644)
    with Store.open(log) as store:
        add_pain(store, 4, datetime(2026, 11, 23, 10, tzinfo=PLUS1))
        assert mode(log) == 0o600
        for suffix in ("-wal", "-shm"):  # (SQLite removes them once the log is closed)
            assert mode(home / f"{DB_NAME}{suffix}") == 0o600


def test_a_log_made_read_only_by_its_owner_stays_read_only(home: Path) -> None:
    log = home / DB_NAME
    with Store.open(log):
        pass
    log.chmod(0o400)
    with Store.open(log, readonly=True):
        pass
    assert mode(log) == 0o400


def test_a_folder_in_the_logs_place_is_a_mistake_said_plainly(home: Path) -> None:
    (home / DB_NAME).mkdir(parents=True)
    for readonly in (False, True):
        with pytest.raises(NotAPlaceForALog, match="is a folder, where the pain log should be"):
            Store.open(home / DB_NAME, readonly=readonly)
    assert NotAPlaceForALog.exit_code == 2


def test_the_side_files_are_guarded_as_the_log_is(home: Path) -> None:
    assert log_files(home / DB_NAME) == tuple(
        home / f"{DB_NAME}{suffix}" for suffix in ("", *SIDE_FILES)
    )
