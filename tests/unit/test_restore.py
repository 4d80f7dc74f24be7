"""Importing an export back: a backup or a new laptop gets the same records once, or an error."""

from __future__ import annotations

import csv
import json
import tracemalloc
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from tests.factory import add_application, add_event, add_pain, add_screening, add_session

from spasm_coach import restore
from spasm_coach.export import CSV_COLUMNS, export
from spasm_coach.files import atomic_text_file
from spasm_coach.guard import safe_text
from spasm_coach.records import PainEntry, PlanChange, SafetyNote, Screening
from spasm_coach.restore import RestoreError, read_export, read_import
from spasm_coach.store import Store
from spasm_coach.vocabulary import (
    CheckKind,
    EventKind,
    Level,
    NoteKind,
    PainContext,
    PlanMove,
    ScreeningReason,
    SessionOutcome,
    ThermalKind,
)

U1 = "3f6e1c52-1111-4c1e-9d59-0c5e1f8b7a21"
U2 = "3f6e1c52-2222-4c1e-9d59-0c5e1f8b7a21"
U3 = "3f6e1c52-3333-4c1e-9d59-0c5e1f8b7a21"
PLUS1 = timezone(timedelta(hours=1))
MINUS5 = timezone(timedelta(hours=-5))
PLUS530 = timezone(timedelta(hours=5, minutes=30))
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=PLUS1)
AWKWARD_NOTES = [
    "=1+1",
    "+SUM(A1)",
    "-2+3",
    "@cmd",
    "\tx",
    "\rx",
    "'already",
    "''twice",
    "sore, then better",
    'the "good" side',
    "line one\nline two",
    "line one\r\nline two",
    "café ☕",
    "page\x0cbreak",
    "line\u2028separator",
    "next\x85line",
]


def at(hour: int, minute: int = 0, tz: timezone = PLUS1, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=tz)


def _time(moment: datetime | None) -> str | None:
    """A time with its offset, so 09:00+01:00 and 08:00+00:00 are told apart."""
    return None if moment is None else moment.isoformat()


def pain_snapshot(store: Store) -> list[tuple[Any, ...]]:
    return [
        (e.uid, _time(e.recorded_at), e.score, e.context, e.note, e.session_uid)
        for e in store.pain_scores()
    ]


def read_pain(path: Path) -> list[PainEntry]:
    """The records of a CSV file, which holds pain scores only."""
    entries = []
    for record in read_export(path):
        assert isinstance(record, PainEntry), record
        entries.append(record)
    return entries


def full_snapshot(store: Store) -> dict[str, list[Any]]:
    return {
        "pain": pain_snapshot(store),
        "screenings": [
            (
                s.uid,
                _time(s.screened_at),
                s.level,
                s.flags,
                dict(s.answers),
                s.reason,
                s.kind,
                s.complete,
                s.inferred,
            )
            for s in store.screenings()
        ],
        "notes": [
            (n.uid, _time(n.noted_at), n.kind, n.screening_uid, n.detail)
            for n in store.safety_notes()
        ],
        "sessions": [
            (
                s.uid,
                s.routine_id,
                s.routine_name,
                _time(s.started_at),
                _time(s.ended_at),
                s.outcome,
                s.screening_uid,
                [
                    (e.uid, e.session_uid, _time(e.at), e.kind, e.exercise_id, e.detail)
                    for e in store.events(s.uid)
                ],
            )
            for s in store.sessions()
        ],
        "heat_ice": [
            (
                a.uid,
                a.kind,
                _time(a.started_at),
                _time(a.ended_at),
                a.planned_minutes,
                a.stopped_early,
            )
            for a in store.applications()
        ],
        "plan_changes": [
            (c.to_json() | {"changed_at": _time(c.changed_at)}) for c in store.plan_changes()
        ],
    }


def write_export(store: Store, fmt: str, path: Path) -> Path:
    with atomic_text_file(path) as out:
        export(store, fmt, out, None, None, NOW)
    return path


@pytest.fixture
def filled(store: Store) -> Store:
    """Every kind of record, in several offsets, with notes a spreadsheet would mangle."""
    zones = [PLUS1, UTC, MINUS5, PLUS530]
    for i, note in enumerate(AWKWARD_NOTES):
        add_pain(store, i % 11, at(6 + i // 4, 10 * (i % 4), zones[i % 4]), note=note)
    add_pain(store, 0, at(23, 0, MINUS5), context=PainContext.AFTER_ICE)
    add_pain(store, 10, at(23, 30, UTC), context=PainContext.DURING_SESSION, note=None)

    screening = add_screening(
        store,
        Level.SOON,
        ("age_over_50", "night_pain"),
        {"age_over_50": True, "night_pain": True, "fever": False},
        at(8, 50),
        ScreeningReason.BEFORE_SESSION,
    )
    finished = add_session(store, "gentle", "Gentle start", at(9), screening.uid)
    add_event(store, finished.uid, at(9, 1), EventKind.EXERCISE_STARTED, "knee_to_chest")
    add_event(
        store, finished.uid, at(9, 2), EventKind.EXERCISE_SKIPPED, "knee_to_chest", "held, 30 s"
    )
    add_pain(store, 4, at(9, 20), PainContext.AFTER_SESSION, "looser", session_uid=finished.uid)
    store.end_session(finished.uid, at(9, 20), SessionOutcome.FINISHED)
    interrupted = add_session(store, "walk", "Short walk", at(11, 0, UTC), None)
    add_event(store, interrupted.uid, at(11, 1, UTC), EventKind.EXERCISE_STARTED, "walk")

    heat = add_application(store, ThermalKind.HEAT, at(10), 20)
    store.end_application(heat.uid, at(10, 15), stopped_early=True)
    ice = add_application(store, ThermalKind.ICE, at(12, 0, MINUS5), 15)
    store.end_application(ice.uid, at(12, 15, MINUS5), stopped_early=False)
    add_application(store, ThermalKind.HEAT, at(13), 20)  # never ended
    store.save_screening(
        Screening(
            U3,
            at(14),
            Level.URGENT,
            ("fever",),
            {"fever": True},
            ScreeningReason.IT_HURT,
            CheckKind.FULL,
            False,
            (),
        )
    )
    store.insert(SafetyNote(U1, at(15), NoteKind.CLEARED, U3, None))
    store.insert(SafetyNote(U2, at(16), NoteKind.STOP_FOR_TODAY, None, "your pain was 8/10"))
    store.insert(
        PlanChange(
            U1,
            at(17, 0, MINUS5),
            "recovery",
            "From settling the spasm to getting stronger",
            PlanMove.STEP_BACK,
            "move",
            "Get moving",
            "settle",
            "Settle the spasm",
            True,
            'a session stopped with "it hurt" at 16:50.',
        )
    )
    return store


# --- round trips -----------------------------------------------------------------------------


def test_csv_round_trip(filled: Store, tmp_path: Path) -> None:
    path = write_export(filled, "csv", tmp_path / "export.csv")
    records = list(read_export(path))
    assert all(isinstance(record, PainEntry) for record in records)
    fresh = Store.open(tmp_path / "laptop" / "pain-log.sqlite3")
    with fresh:
        assert fresh.restore(iter(records)).added == len(pain_snapshot(filled))
        assert pain_snapshot(fresh) == pain_snapshot(filled)


def test_csv_notes_survive_as_the_log_shows_them(filled: Store, tmp_path: Path) -> None:
    """Exactly as the log shows them: a Windows line end as a line end, and another control
    character (a form feed, a lone carriage return) as U+FFFD, as everywhere else."""
    path = write_export(filled, "csv", tmp_path / "export.csv")
    notes = [record.note for record in read_pain(path)]
    for note in AWKWARD_NOTES:
        assert safe_text(note) in notes
    assert "café ☕" in notes
    assert "line one\nline two" in notes


def test_json_round_trip(filled: Store, tmp_path: Path) -> None:
    path = write_export(filled, "json", tmp_path / "export.json")
    fresh = Store.in_memory()
    added = fresh.restore(iter(read_export(path))).added
    snapshot = full_snapshot(filled)
    assert added == (
        len(snapshot["pain"])
        + len(snapshot["screenings"])
        + len(snapshot["sessions"])
        + sum(len(session[-1]) for session in snapshot["sessions"])
        + len(snapshot["heat_ice"])
        + len(snapshot["notes"])
        + len(snapshot["plan_changes"])
    )
    assert snapshot["plan_changes"]
    assert full_snapshot(fresh) == snapshot
    statuses = [record.status for record in fresh.sessions()]
    assert statuses == ["finished", "interrupted"]
    assert [a.stopped_early for a in fresh.applications()] == [True, None, False]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_importing_twice_adds_nothing_the_second_time(
    filled: Store, tmp_path: Path, fmt: str
) -> None:
    path = write_export(filled, fmt, tmp_path / f"export.{fmt}")
    fresh = Store.in_memory()
    first = fresh.restore(iter(read_export(path))).added
    before = full_snapshot(fresh)
    assert first > 0
    assert fresh.restore(iter(read_export(path))).added == 0
    assert full_snapshot(fresh) == before


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_import_into_the_same_log_adds_nothing(filled: Store, tmp_path: Path, fmt: str) -> None:
    before = full_snapshot(filled)
    path = write_export(filled, fmt, tmp_path / f"export.{fmt}")
    assert filled.restore(iter(read_export(path))).added == 0
    assert full_snapshot(filled) == before


def test_import_merges_with_existing_entries(store: Store, tmp_path: Path) -> None:
    add_pain(store, 5, at(9), uid=U1)
    add_pain(store, 6, at(10), uid=U2)
    path = write_export(store, "csv", tmp_path / "backup.csv")
    laptop = Store.in_memory()
    add_pain(laptop, 5, at(9), uid=U1)
    add_pain(laptop, 2, at(11), uid=U3)
    assert laptop.restore(iter(read_export(path))).added == 1
    assert [e.uid for e in laptop.pain_scores()] == [U1, U2, U3]


def test_csv_with_byte_order_mark_and_minimal_columns(tmp_path: Path) -> None:
    """A file saved by a spreadsheet: BOM, only the needed columns, context left out."""
    path = tmp_path / "edited.csv"
    path.write_bytes(
        f"\ufeffrecorded_at,score,uid\r\n2026-11-23T09:00:00-05:00,7,{U1}\r\n".encode()
    )
    (entry,) = read_pain(path)
    assert entry.uid == U1
    assert entry.recorded_at.isoformat() == "2026-11-23T09:00:00-05:00"
    assert entry.score == 7
    assert entry.context == "check-in"
    assert entry.note is None


def test_csv_apostrophe_not_added_by_export_is_kept(tmp_path: Path) -> None:
    """Only the apostrophe export put in front of a formula character is taken off."""
    path = tmp_path / "edited.csv"
    path.write_text(
        "recorded_at,score,note,uid\n"
        f"2026-11-23T09:00:00+01:00,5,'tis stiff,{U1}\n"
        f"2026-11-23T10:00:00+01:00,5,'=1+1,{U2}\n",
        encoding="utf-8",
    )
    assert [entry.note for entry in read_pain(path)] == ["'tis stiff", "=1+1"]


# --- bad files -------------------------------------------------------------------------------


OLD_HEADER = "recorded_at,score,band,context,note,session,uid"
"""The CSV columns before the spreadsheet's own date and time: import still reads these files."""


def _csv(path: Path, *rows: str, header: str = OLD_HEADER) -> Path:
    path.write_text("\r\n".join([header, *rows]) + "\r\n", encoding="utf-8")
    return path


GOOD_ROW = f"2026-11-23T09:00:00+01:00,5,moderate,check-in,,,{U1}"


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("recorded_at,band,context,note,session,uid", "score column"),
        ("when,how bad", "recorded_at, score column"),
    ],
)
def test_csv_missing_columns(tmp_path: Path, header: str, missing: str) -> None:
    path = _csv(tmp_path / "other.csv", "a,b", header=header)
    with pytest.raises(RestoreError) as caught:
        list(read_export(path))
    message = str(caught.value)
    assert str(path) in message
    assert "not a spasm-coach CSV export" in message
    assert f"(no {missing})" in message


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (f"2026-11-23T10:00:00+01:00,11,worst,check-in,,,{U2}", "score '11'"),
        (f"2026-11-23T10:00:00+01:00,-1,none,check-in,,,{U2}", "score '-1'"),
        (f"2026-11-23T10:00:00+01:00,7.5,severe,check-in,,,{U2}", "score '7.5'"),
        (f"2026-11-23T10:00:00+01:00,,none,check-in,,,{U2}", "score ''"),
        (f"2026-11-23T10:00:00,5,moderate,check-in,,,{U2}", "no UTC offset"),
        (f"yesterday,5,moderate,check-in,,,{U2}", "not an ISO date"),
        (f"9999-12-31T23:59:59-12:00,5,moderate,check-in,,,{U2}", "not between 1970 and 2200"),
        (f"2026-11-23T10:00:00+01:00,5,moderate,at the gym,,,{U2}", "context: 'at the gym'"),
        ("2026-11-23T10:00:00+01:00,5,moderate,check-in,,,u-2", "uid: 'u-2' is not a UUID"),
        (
            "2026-11-23T10:00:00+01:00,5,moderate,check-in,,=HYPERLINK(1),",
            "session: '=HYPERLINK(1)' is not a UUID",
        ),
        (f"2026-11-23T10:00:00+01:00,5,moderate,check-in,,,{U2},extra", "more cells"),
    ],
)
def test_csv_bad_row_names_file_and_line(tmp_path: Path, row: str, problem: str) -> None:
    path = _csv(tmp_path / "export.csv", GOOD_ROW, row, GOOD_ROW.replace(U1, U3))
    with pytest.raises(RestoreError) as caught:
        list(read_export(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: line 3:")
    assert problem in message


def test_csv_line_number_counts_lines_inside_quoted_notes(tmp_path: Path) -> None:
    multi_line = f'2026-11-23T09:30:00+01:00,4,moderate,check-in,"two\r\nlines",,{U2}'
    bad = f"2026-11-23T10:00:00+01:00,11,worst,check-in,,,{U3}"
    path = _csv(tmp_path / "export.csv", GOOD_ROW, multi_line, bad)
    with pytest.raises(RestoreError, match=r": line 5: score '11'"):
        list(read_export(path))


def _json_export(store: Store, tmp_path: Path) -> dict[str, Any]:
    path = write_export(store, "json", tmp_path / "export.json")
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def _write_json(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "doc",
    [
        {"format": "another-app", "version": 1, "pain_scores": []},
        {"resourceType": "Bundle", "type": "collection", "entry": []},
        {"pain_scores": []},
    ],
    ids=["other-format", "fhir-bundle", "no-format"],
)
def test_json_of_another_format(tmp_path: Path, doc: dict[str, Any]) -> None:
    path = _write_json(tmp_path / "other.json", doc)
    with pytest.raises(RestoreError) as caught:
        list(read_export(path))
    assert str(caught.value) == f"{path}: not a spasm-coach JSON export"


def test_a_json_list_is_said_to_be_one(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("  [1, 2]")
    with pytest.raises(RestoreError, match="JSON, but a list"):
        list(read_export(path))


@pytest.mark.parametrize("version", [4, 0, "1", None, True])
def test_json_of_another_version(filled: Store, tmp_path: Path, version: Any) -> None:
    doc = _json_export(filled, tmp_path)
    doc["version"] = version
    path = _write_json(tmp_path / "future.json", doc)
    with pytest.raises(RestoreError) as caught:
        list(read_export(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: export format version {version!r}")
    assert "reads versions 1, 2 and 3" in message


def test_a_version_1_export_still_imports(filled: Store, tmp_path: Path) -> None:
    """Before checks had kinds and safety notes: every check reads as a finished full one."""
    doc = _json_export(filled, tmp_path)
    doc["version"] = 1
    for screening in doc["screenings"]:
        for key in ("kind", "complete", "inferred"):
            del screening[key]
    del doc["safety_notes"]
    path = _write_json(tmp_path / "old.json", doc)
    fresh = Store.in_memory()
    assert fresh.restore(read_export(path)).added > 0
    screenings = list(fresh.screenings())
    assert len(screenings) == 2
    assert all((s.kind, s.complete, s.inferred) == ("full", True, ()) for s in screenings)
    assert list(fresh.safety_notes()) == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda doc: doc["pain_scores"][1].update(score=11), "pain_scores[2]: score: 11"),
        (
            lambda doc: doc["pain_scores"][1].update(score=5.9),
            "pain_scores[2]: score: expected a whole number, got float 5.9",
        ),
        (
            lambda doc: doc["pain_scores"][1].update(score=True),
            "pain_scores[2]: score: expected a whole number, got bool True",
        ),
        (
            lambda doc: doc["pain_scores"][1].update(note=["a"]),
            "pain_scores[2]: note: expected text, got list ['a']",
        ),
        (lambda doc: doc["pain_scores"][0].pop("uid"), "pain_scores[1]: uid: missing"),
        (
            lambda doc: doc["pain_scores"][2].update(recorded_at="2026-11-23T09:00:00"),
            "pain_scores[3]: recorded_at: '2026-11-23T09:00:00' has no UTC offset",
        ),
        (
            lambda doc: doc["screenings"][0].update(level="fine"),
            "screenings[1]: level: 'fine'",
        ),
        (
            lambda doc: doc["sessions"][0]["events"][1].pop("kind"),
            "sessions[1].events[2]: kind: None is not one of",
        ),
        (
            lambda doc: doc["sessions"][0].update(started_at="9999-12-31T23:59:59-12:00"),
            "sessions[1]: started_at: '9999-12-31T23:59:59-12:00' is not between 1970 and 2200",
        ),
        (
            lambda doc: doc["sessions"][0].update(routine_name=42),
            "sessions[1]: routine_name: expected text, got int 42",
        ),
        (lambda doc: doc["heat_ice"][1].update(kind="steam"), "heat_ice[2]: kind: 'steam'"),
    ],
    ids=[
        "score",
        "fraction",
        "bool",
        "note-list",
        "uid",
        "offset",
        "level",
        "event",
        "far-future",
        "name-type",
        "heat-ice",
    ],
)
def test_json_bad_record_names_file_and_record(
    filled: Store, tmp_path: Path, change: Callable[[dict[str, Any]], object], where: str
) -> None:
    doc = _json_export(filled, tmp_path)
    change(doc)
    path = _write_json(tmp_path / "edited.json", doc)
    with pytest.raises(RestoreError) as caught:
        list(read_export(path))
    assert str(caught.value).startswith(f"{path}: {where}")


def test_bad_record_means_nothing_is_imported(filled: Store, tmp_path: Path) -> None:
    doc = _json_export(filled, tmp_path)
    doc["heat_ice"][-1]["kind"] = "steam"  # the very last record
    path = _write_json(tmp_path / "edited.json", doc)
    fresh = Store.in_memory()
    with pytest.raises(RestoreError):
        fresh.restore(iter(read_export(path)))
    assert not any(full_snapshot(fresh).values())


def test_invalid_json(filled: Store, tmp_path: Path) -> None:
    text = write_export(filled, "json", tmp_path / "export.json").read_text(encoding="utf-8")
    lines = text.splitlines()
    path = tmp_path / "cut.json"
    path.write_text("\n".join(lines[: len(lines) // 2]), encoding="utf-8")
    with pytest.raises(RestoreError) as caught:
        list(read_export(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: not valid JSON")
    assert "line" in message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "recorded_at,score,uid\n2026-11-23T09:00:00+01:00,5,caf\xe9\n".encode("latin-1")
    )
    with pytest.raises(RestoreError) as caught:
        list(read_export(path))
    assert str(caught.value) == f"{path}: not a UTF-8 text file"


def test_rows_typed_without_a_uid_are_imported_once(tmp_path: Path) -> None:
    """Someone adds rows in a spreadsheet and leaves the uid empty: a second import adds none."""
    path = tmp_path / "typed.csv"
    path.write_text(
        "recorded_at,score,note,uid\n"
        "2026-11-20T09:00:00+00:00,6,typed by hand,\n"
        "2026-11-21T09:00:00+00:00,4,,\n"
    )
    store = Store.in_memory()
    assert store.restore(iter(read_export(path))).added == 2
    assert store.restore(iter(read_export(path))).added == 0
    assert [e.score for e in store.pain_scores()] == [6, 4]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '{"format": "spasm-coach-log", "version": 1, "pain_scores": [{"score": Infinity}]}',
            "not valid JSON",
        ),
        ("[" * 100_000 + "]" * 100_000, "JSON, but a list"),
        (
            '{"format": "spasm-coach-log", "version": 1, "pain_scores": ' + "[" * 100_000,
            "not valid JSON (nested too deeply)",
        ),
        (
            '{"format": "spasm-coach-log", "version": 1, "pain_scores": [{"score": 1'
            + "0" * 5000
            + "}]}",
            "not valid JSON",
        ),
    ],
    ids=["infinity", "brackets", "deep", "huge-number"],
)
def test_hostile_json_is_a_clear_error(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RestoreError) as caught:
        list(read_export(path))
    assert problem in str(caught.value)


def test_new_and_old_csv_files_both_import(filled: Store, tmp_path: Path) -> None:
    new = write_export(filled, "csv", tmp_path / "new.csv")
    assert new.read_text(encoding="utf-8").startswith("\ufeff" + ",".join(CSV_COLUMNS))
    old = tmp_path / "old.csv"
    with new.open(encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))
    with old.open("w", encoding="utf-8", newline="") as target:
        csv.writer(target).writerows(row[2:] for row in rows)  # without date and time
    assert old.read_text(encoding="utf-8").startswith(OLD_HEADER)
    for path in (new, old):
        fresh = Store.in_memory()
        fresh.restore(read_export(path))
        assert pain_snapshot(fresh) == pain_snapshot(filled)


def test_csv_note_with_a_control_character_is_refused(tmp_path: Path) -> None:
    """As in a JSON backup: an escape sequence typed into a spreadsheet never reaches the log."""
    path = _csv(tmp_path / "export.csv", GOOD_ROW, f'2026-11-23T10:00:00+01:00,5,,,"a\x1bb",,{U2}')
    with pytest.raises(RestoreError) as caught:
        list(read_export(path))
    assert str(caught.value).startswith(f"{path}: line 3: note: holds a control character")


# --- JSON read an item at a time -------------------------------------------------------------


def _records(path: Path) -> list[Any]:
    return [(type(record), record) for record in read_export(path)]


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_json_read_in_small_chunks_gives_the_same_records(
    filled: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Every value cut at every place a chunk can end (a number, a word, a string, an escape)
    still reads whole; and a backup laid out otherwise (indented, all on one line) reads too."""
    exported = write_export(filled, "json", tmp_path / "export.json")
    doc = json.loads(exported.read_text(encoding="utf-8"))
    doc["pain_scores"][0]["note"] = 'a long note: "quoted", \\ and \u2603 ' * 20
    indented = tmp_path / "indented.json"
    indented.write_text(json.dumps(doc, indent=3, ensure_ascii=True), encoding="utf-8")
    one_line = tmp_path / "one-line.json"
    one_line.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    whole_export, whole_edited = _records(exported), _records(indented)
    assert len(whole_export) == len(whole_edited) > 20
    monkeypatch.setattr(restore, "CHUNK", chunk)
    assert _records(exported) == whole_export
    assert _records(indented) == whole_edited
    assert _records(one_line) == whole_edited


def test_json_backup_is_read_without_holding_it(filled: Store, tmp_path: Path) -> None:
    """A backup of 20,000 scores (about 4 MB) is read an item at a time: far less memory than
    the file, which json.load would hold whole several times over."""
    doc = _json_export(filled, tmp_path)
    template = doc["pain_scores"][0]
    doc["pain_scores"] = [
        {**template, "uid": str(uuid.UUID(int=n + 1)), "note": f"note {n}"} for n in range(20_000)
    ]
    path = _write_json(tmp_path / "big.json", doc)
    del doc, template
    assert path.stat().st_size > 3_000_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_import(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count > 20_000
    assert peak < 1_000_000, f"peaked at {peak / 1e6:.2f} MB"


def test_json_with_its_records_before_its_format_is_read_whole(
    filled: Store, tmp_path: Path
) -> None:
    doc = _json_export(filled, tmp_path)
    reordered = {key: doc[key] for key in reversed(doc)}
    assert next(iter(reordered)) == "plan_changes"
    path = _write_json(tmp_path / "reordered.json", reordered)
    fresh = Store.in_memory()
    fresh.restore(read_import(path))
    assert full_snapshot(fresh) == full_snapshot(filled)


def test_json_with_a_list_twice_is_refused(filled: Store, tmp_path: Path) -> None:
    text = write_export(filled, "json", tmp_path / "export.json").read_text(encoding="utf-8")
    path = tmp_path / "twice.json"
    path.write_text(text.replace('"safety_notes": [', '"pain_scores": [', 1), encoding="utf-8")
    with pytest.raises(RestoreError) as caught:
        list(read_export(path))
    assert str(caught.value) == f"{path}: 'pain_scores' appears twice"


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) * 2 // 3],
        lambda text: text.replace('"score": 7', '"score": 7,,', 1),
        lambda text: text.replace('"score": 7', '"score": tru', 1),
        lambda text: text.replace("}\n  ]", "}\n  ]]", 1),
        lambda text: text + "{}",
    ],
    ids=["cut", "two-commas", "word", "bracket", "extra"],
)
def test_json_syntax_error_deep_in_the_file_says_where_as_json_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[str], str]
) -> None:
    """The place of a mistake counts from the start of the file, however much of it was let
    go of before: the message is json's own for the whole text."""
    store = Store.in_memory()
    for n in range(300):
        add_pain(store, 7 if n == 250 else 3, at(6) + timedelta(minutes=n), note=f"n{n}")
    text = damage(write_export(store, "json", tmp_path / "export.json").read_text())
    path = tmp_path / "damaged.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as whole:
        json.loads(text)
    monkeypatch.setattr(restore, "CHUNK", 500)
    fresh = Store.in_memory()
    with pytest.raises(RestoreError) as caught:
        fresh.restore(read_import(path))
    assert str(caught.value) == f"{path}: not valid JSON ({whole.value})"
    assert list(fresh.pain_scores()) == []


# --- a rescue file: updates to records already in the log ----------------------------------


def write_records(path: Path, records: list[Any]) -> Path:
    from spasm_coach.export import write_records_json

    with path.open("w", encoding="utf-8") as out:
        write_records_json(records, out, NOW)
    return path


def test_a_rescue_file_brings_records_in_the_log_up_to_date(store: Store, tmp_path: Path) -> None:
    """What a coach could not save before it closed: a session's end and outcome, heat's end
    and that it came off early, a check's answers after its first yes."""
    from spasm_coach.records import Application, SessionRecord
    from spasm_coach.vocabulary import CheckKind, Level, ScreeningReason

    started = SessionRecord(U1, "gentle", "Gentle", at(9), None, None, None)
    heat = Application(U2, ThermalKind.HEAT, at(10), None, 15, None)
    part_way = Screening(
        U3,
        at(8),
        Level.SOON,
        ("cancer_history",),
        {"fever": False, "cancer_history": True},
        ScreeningReason.BEFORE_SESSION,
        CheckKind.FULL,
        False,
    )
    for record in (started, heat, part_way):
        store.insert(record)
    answers = {**part_way.answers, "night_pain": False, "weight_loss": False}
    rescue = write_records(
        tmp_path / "rescue.json",
        [
            SessionRecord(U1, "gentle", "Gentle", at(9), at(9, 12), SessionOutcome.FINISHED, None),
            Application(U2, ThermalKind.HEAT, at(10), at(10, 8), 15, True),
            Screening(
                U3,
                at(8),
                Level.SOON,
                ("cancer_history",),
                answers,
                ScreeningReason.BEFORE_SESSION,
                CheckKind.FULL,
                True,
            ),
        ],
    )
    restored = store.restore(read_import(rescue, NOW))
    assert restored == (0, 1, 1, 1)
    (session,) = store.sessions()
    assert (session.ended_at, session.outcome) == (at(9, 12), "finished")
    (use,) = store.applications()
    assert (use.ended_at, use.stopped_early) == (at(10, 8), True)
    (check,) = store.screenings()
    assert check.complete
    assert check.answers == answers
    assert store.restore(read_import(rescue, NOW)) == (0, 0, 0, 0)  # once is enough


def test_an_older_state_never_replaces_a_newer_one(store: Store, tmp_path: Path) -> None:
    """A backup made mid-session, imported after the session ended: nothing goes back."""
    from spasm_coach.records import Application, SessionRecord
    from spasm_coach.vocabulary import CheckKind, Level, ScreeningReason

    store.insert(
        SessionRecord(U1, "gentle", "Gentle", at(9), at(9, 12), SessionOutcome.FINISHED, None)
    )
    store.insert(Application(U2, ThermalKind.ICE, at(10), at(10, 15), 15, False))
    answers = {"fever": False, "cancer_history": True, "night_pain": False}
    store.insert(
        Screening(
            U3,
            at(8),
            Level.SOON,
            ("cancer_history",),
            answers,
            ScreeningReason.BEFORE_SESSION,
            CheckKind.FULL,
            True,
        )
    )
    older = write_records(
        tmp_path / "older.json",
        [
            SessionRecord(U1, "standard", "Standard", at(9), None, None, None),
            Application(U2, ThermalKind.ICE, at(10), None, 15, None),
            Screening(
                U3,
                at(8),
                Level.SOON,
                ("cancer_history",),
                {"cancer_history": True},
                ScreeningReason.BEFORE_SESSION,
                CheckKind.FULL,
                False,
            ),
        ],
    )
    other_end = write_records(
        tmp_path / "other-end.json",
        [
            SessionRecord(
                U1, "gentle", "Gentle", at(9), at(9, 30), SessionOutcome.STOPPED_HURT, None
            )
        ],
    )
    assert store.restore(read_import(older, NOW)).updated == 0
    assert store.restore(read_import(other_end, NOW)).updated == 0  # an end is never changed
    (session,) = store.sessions()
    assert (session.routine_id, session.ended_at, session.outcome) == (
        "gentle",
        at(9, 12),
        "finished",
    )
    (use,) = store.applications()
    assert (use.ended_at, use.stopped_early) == (at(10, 15), False)
    (check,) = store.screenings()
    assert check.complete
    assert check.answers == answers


@pytest.mark.parametrize("later", [timedelta(minutes=2), timedelta(hours=3), timedelta(days=400)])
def test_an_entry_dated_later_than_now_is_refused(tmp_path: Path, later: timedelta) -> None:
    """As `log --at` refuses one: a score from the future would be the 'latest' for months."""
    path = tmp_path / "future.csv"
    moment = (NOW + later).isoformat()
    path.write_text(f"recorded_at,score\n{NOW.isoformat()},4\n{moment},9\n", encoding="utf-8")
    with pytest.raises(RestoreError, match=r"a pain score is dated .* later than now"):
        list(read_import(path, NOW))
    assert len(list(read_import(path, NOW + later))) == 2


def test_a_session_ending_later_than_now_is_refused(tmp_path: Path) -> None:
    from spasm_coach.records import SessionRecord

    path = write_records(
        tmp_path / "rescue.json",
        [
            SessionRecord(
                U1, "gentle", "Gentle", NOW, NOW + timedelta(hours=1), SessionOutcome.FINISHED, None
            )
        ],
    )
    with pytest.raises(RestoreError, match="the end of a session is dated"):
        list(read_import(path, NOW))
    assert len(list(read_import(path, NOW + timedelta(hours=1)))) == 1


def test_a_rescued_check_brings_a_changed_answer_up_to_date(store: Store) -> None:
    """A check saved part-way, then a rescue file holding it with an answer changed with Back:
    the import keeps the change (an answer count alone would not show it)."""
    from spasm_coach.records import AnswerChange, Screening

    uid = str(uuid.uuid4())
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    store.save_screening(
        Screening(
            uid,
            at,
            Level.URGENT,
            ("fever",),
            {"fever": True},
            ScreeningReason.BEFORE_SESSION,
            complete=False,
        )
    )
    changed = Screening(
        uid,
        at,
        Level.CLEAR,
        (),
        {"fever": False},
        ScreeningReason.BEFORE_SESSION,
        complete=False,
        changes=(AnswerChange("fever", True, False),),
        seconds=12.0,
    )
    restored = store.restore([changed])
    assert restored.checks_completed == 1
    assert store.last_screening() == changed
