"""Exports: CSV safe to open in a spreadsheet, a complete JSON backup, a valid FHIR R4 Bundle."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import IO

import pytest
from fhir.resources.R4B.bundle import Bundle
from tests.factory import add_application, add_event, add_pain, add_screening, add_session

from spasm_coach.export import (
    CSV_COLUMNS,
    FORMATS,
    JSON_FORMAT_NAME,
    JSON_FORMAT_VERSION,
    csv_cell,
    export,
    pain_json,
    spreadsheet_safe,
    write_csv,
)
from spasm_coach.files import atomic_text_file
from spasm_coach.pain import band
from spasm_coach.records import AnswerChange, PainEntry, Screening
from spasm_coach.restore import read_export, spreadsheet_unescape
from spasm_coach.store import Store
from spasm_coach.vocabulary import (
    CheckKind,
    EventKind,
    Level,
    PainContext,
    ScreeningReason,
    SessionOutcome,
    ThermalKind,
)

PLUS1 = timezone(timedelta(hours=1))
MINUS5 = timezone(timedelta(hours=-5))
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=PLUS1)
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
LOINC_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
OFFSET = re.compile(r"(Z|[+-]\d\d:\d\d)$")


def at(hour: int, minute: int = 0, tz: timezone = PLUS1, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=tz)


def run_export(
    store: Store, fmt: str, since: datetime | None = None, until: datetime | None = None
) -> tuple[str, int]:
    out = io.StringIO(newline="")
    count = export(store, fmt, out, since, until, NOW)
    return out.getvalue(), count


def csv_rows(text: str) -> list[dict[str, str]]:
    """The rows, read as a reader of UTF-8 with a byte-order mark reads them (utf-8-sig)."""
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


@pytest.fixture
def filled(store: Store) -> Store:
    """A small log with every kind of record."""
    screening = add_screening(
        store,
        Level.CLEAR,
        (),
        {"saddle_numbness": False},
        at(8, 50),
        ScreeningReason.BEFORE_SESSION,
    )
    add_pain(store, 6, at(8, 55), context=PainContext.BEFORE_SESSION)
    session = add_session(store, "gentle", "Gentle start", at(9), screening.uid)
    add_event(store, session.uid, at(9, 1), EventKind.EXERCISE_STARTED, "knee_to_chest")
    add_event(store, session.uid, at(9, 2), EventKind.EXERCISE_DONE, "knee_to_chest")
    add_pain(
        store,
        4,
        at(9, 20),
        context=PainContext.AFTER_SESSION,
        note="looser",
        session_uid=session.uid,
    )
    store.end_session(session.uid, at(9, 20), SessionOutcome.FINISHED)
    heat = add_application(store, ThermalKind.HEAT, at(10), 20)
    store.end_application(heat.uid, at(10, 15), stopped_early=True)
    add_pain(store, 3, at(10, 16), context=PainContext.AFTER_HEAT)
    return store


# --- CSV -------------------------------------------------------------------------------------


def test_csv_header_and_rows(filled: Store) -> None:
    text, count = run_export(filled, "csv")
    assert count == 3
    assert text.splitlines()[0] == "\ufeff" + ",".join(CSV_COLUMNS)  # a byte-order mark first
    assert CSV_COLUMNS == (
        "date",
        "time",
        "recorded_at",
        "score",
        "band",
        "context",
        "note",
        "session",
        "uid",
    )
    rows = csv_rows(text)
    entries = list(filled.pain_scores())
    assert [row["uid"] for row in rows] == [entry.uid for entry in entries]
    assert [row["score"] for row in rows] == ["6", "4", "3"]
    assert [row["band"] for row in rows] == ["moderate", "moderate", "mild"]
    assert rows[1]["recorded_at"] == "2026-11-23T09:20:00+01:00"
    assert (rows[1]["date"], rows[1]["time"]) == ("2026-11-23", "2026-11-23T09:20:00")  # as lived
    assert rows[1]["context"] == "after-session"
    assert rows[1]["note"] == "looser"
    assert rows[1]["session"] == entries[1].session_uid
    assert rows[0]["note"] == ""
    assert rows[0]["session"] == ""


def test_csv_of_empty_log_is_just_the_header(store: Store) -> None:
    text, count = run_export(store, "csv")
    assert count == 0
    assert text == "\ufeff" + ",".join(CSV_COLUMNS) + "\r\n"


def test_csv_without_a_byte_order_mark(store: Store) -> None:
    out = io.StringIO()
    export(store, "csv", out, None, None, NOW, bom=False)
    assert out.getvalue() == ",".join(CSV_COLUMNS) + "\r\n"


@pytest.mark.parametrize(
    "note",
    [
        "=1+1",
        "+SUM(A1)",
        "-2+3",
        "@cmd",
        "\tx",
        "'already",
        '=HYPERLINK("x")',
        " =1+1",
        "\t=10*10",
        "  \t @cmd",
        "\n-1",
    ],
)
def test_csv_note_a_spreadsheet_would_run_is_escaped(store: Store, note: str) -> None:
    add_pain(store, 5, at(9), note=note)
    (row,) = csv_rows(run_export(store, "csv")[0])
    assert row["note"] == "'" + note
    assert spreadsheet_unescape(row["note"]) == note


@pytest.mark.parametrize(
    "note", ["stiff after sitting", "café", "3 = bad", "a-b", "it's ok", " lead", "fine\t=10*10"]
)
def test_csv_plain_note_is_unchanged(store: Store, note: str) -> None:
    add_pain(store, 5, at(9), note=note)
    (row,) = csv_rows(run_export(store, "csv")[0])
    assert row["note"] == note


@pytest.mark.parametrize(
    "note",
    [
        "sore, then better",
        'the "good" side',
        "line one\nline two",
        "line one\r\nline two",
        'mixed, "quoted"\nand, more',
        "a; b; c",
        "fine today\t=10*10",
    ],
)
def test_csv_commas_quotes_and_newlines_are_quoted(store: Store, note: str) -> None:
    add_pain(store, 5, at(9), note=note)
    add_pain(store, 2, at(10), note="next")
    rows = csv_rows(run_export(store, "csv")[0])
    assert [row["note"] for row in rows] == [note.replace("\r\n", "\n"), "next"]
    assert [row["score"] for row in rows] == ["5", "2"]


def test_csv_lines_are_the_ones_csv_writer_writes(store: Store) -> None:
    """The export puts its lines together itself (for speed); they are csv.writer's, byte for
    byte, whatever the note holds, with a cell holding a semicolon or a tab quoted too."""
    notes = [*TRICKY, *_many_strings(), 'a "b", c', "x\ny", " lead", "trail ", "😀,=1"]
    session = str(uuid.uuid4())
    for minute, note in enumerate(notes):
        add_pain(store, minute % 11, at(0, tz=MINUS5) + timedelta(minutes=minute), note=note)
    add_pain(store, 7, at(23, tz=PLUS1), PainContext.AFTER_SESSION, session_uid=session)
    expected = io.StringIO(newline="")
    # csv.writer quotes a cell holding any character of its line ending: a line ending of
    # ";\t\r\n", cut back to "\r\n" after, quotes the semicolons and tabs as the export does.
    writer = csv.writer(expected, lineterminator=";\t\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in store.pain_scores():
        when = entry.recorded_at
        writer.writerow(
            [
                f"{when:%Y-%m-%d}",
                f"{when:%Y-%m-%dT%H:%M:%S}",
                when.isoformat(timespec="seconds"),
                entry.score,
                band(entry.score),
                spreadsheet_safe(entry.context.value),
                spreadsheet_safe(entry.note or ""),
                spreadsheet_safe(entry.session_uid or ""),
                spreadsheet_safe(entry.uid),
            ]
        )
    text, count = run_export(store, "csv")
    assert count == len(notes) + 1
    assert text == "\ufeff" + expected.getvalue().replace(";\t\r\n", "\r\n")


def test_no_context_needs_escaping_in_a_csv_cell() -> None:
    """Only the note is escaped and quoted as it is written: a context never needs either."""
    for context in PainContext:
        assert csv_cell(context.value) == context.value


def test_json_line_of_a_score_is_json_dumps_of_its_record() -> None:
    session = str(uuid.uuid4())
    for note in [None, *TRICKY, 'say "hi"\\', "line\u2028break", "\x7f\ud83d"]:
        for session_uid in (None, session):
            entry = PainEntry(
                str(uuid.uuid4()), at(9, tz=MINUS5), 4, PainContext.AFTER_ICE, note, session_uid
            )
            assert pain_json(entry.row) == json.dumps(entry.to_json(), ensure_ascii=False)


def test_write_csv_counts_what_it_writes() -> None:
    entries = (PainEntry(str(uuid.uuid4()), at(9 + i), i, PainContext.CHECK_IN) for i in range(4))
    out = io.StringIO()
    assert write_csv((entry.row for entry in entries), out) == 4
    assert len(csv_rows(out.getvalue())) == 4


TRICKY = [
    "",
    "'",
    "''",
    "'=",
    "'a",
    "a'",
    "=",
    "==",
    "'=1+1",
    "''=1",
    "-",
    "+",
    "@",
    "\t",
    "\r",
    "\n",
    "'\t",
    "'\n",
    " =1",
    "x=1",
    "café",
    "😀",
    "\x00",
]


def _many_strings() -> Iterator[str]:
    """Every string up to three characters long over an alphabet of the awkward characters."""
    alphabet = ["=", "+", "-", "@", "\t", "\r", "'", "a", " ", "\n"]
    yield ""
    for first in alphabet:
        yield first
        for second in alphabet:
            yield first + second
            for third in alphabet:
                yield first + second + third


@pytest.mark.parametrize("text", TRICKY)
def test_spreadsheet_escape_is_undone_exactly(text: str) -> None:
    escaped = spreadsheet_safe(text)
    assert spreadsheet_unescape(escaped) == text
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_spreadsheet_escape_round_trips_every_short_string() -> None:
    seen = 0
    for text in _many_strings():
        escaped = spreadsheet_safe(text)
        assert spreadsheet_unescape(escaped) == text, repr(text)
        assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r")), repr(text)
        seen += 1
    assert seen == 1 + 10 + 100 + 1000


# --- JSON ------------------------------------------------------------------------------------


def test_json_export_is_complete(filled: Store) -> None:
    text, count = run_export(filled, "json")
    assert count == 3
    doc = json.loads(text)
    assert doc["format"] == JSON_FORMAT_NAME == "spasm-coach-log"
    assert doc["version"] == JSON_FORMAT_VERSION == 3
    assert doc["exported_at"] == "2026-11-24T18:00:00+01:00"
    assert doc["since"] is None
    assert doc["until"] is None
    assert [p["score"] for p in doc["pain_scores"]] == [6, 4, 3]
    assert doc["pain_scores"][1]["note"] == "looser"
    assert doc["pain_scores"][1]["context"] == "after-session"
    assert doc["pain_scores"][1]["recorded_at"] == "2026-11-23T09:20:00+01:00"

    (screening,) = doc["screenings"]
    assert screening["level"] == "clear"
    assert screening["answers"] == {"saddle_numbness": False}
    assert screening["flags"] == []
    assert screening["kind"] == "full"

    (session,) = doc["sessions"]
    assert session["routine_id"] == "gentle"
    assert session["outcome"] == "finished"
    assert session["screening"] == screening["uid"]
    assert doc["pain_scores"][1]["session"] == session["uid"]
    assert [e["kind"] for e in session["events"]] == ["exercise-started", "exercise-done"]
    assert session["events"][1]["exercise"] == "knee_to_chest"
    assert session["events"][1]["detail"] is None

    (heat,) = doc["heat_ice"]
    assert heat["kind"] == "heat"
    assert heat["planned_minutes"] == 20
    assert heat["stopped_early"] is True
    assert heat["ended_at"] == "2026-11-23T10:15:00+01:00"


def test_json_says_which_check_was_quick(store: Store) -> None:
    """A clinician reading the export can tell a quick check from the day's full one."""
    add_screening(
        store, Level.CLEAR, (), {"saddle_numbness": False}, at(8), ScreeningReason.BEFORE_SESSION
    )
    store.save_screening(
        Screening(
            str(uuid.uuid4()),
            at(14),
            Level.CLEAR,
            (),
            {"emergency_signs_now": False, "anything_new": False},
            ScreeningReason.BEFORE_SESSION,
            kind=CheckKind.QUICK,
        )
    )
    text, _ = run_export(store, "json")
    doc = json.loads(text)
    assert [s["kind"] for s in doc["screenings"]] == ["full", "quick"]


def test_json_keeps_a_changed_answer_and_how_long_the_check_took(
    store: Store, tmp_path: Path
) -> None:
    """A yes changed to no with Back is in the backup, and comes back on import."""
    check = Screening(
        str(uuid.uuid4()),
        at(9),
        Level.CLEAR,
        (),
        {"fever": False},
        ScreeningReason.BEFORE_SESSION,
        changes=(AnswerChange("fever", True, False),),
        seconds=38.2,
    )
    store.save_screening(check)
    text, _ = run_export(store, "json")
    (saved,) = json.loads(text)["screenings"]
    assert saved["changes"] == [{"id": "fever", "from": True, "to": False}]
    assert saved["seconds"] == 38.2
    backup = tmp_path / "backup.json"
    backup.write_text(text, encoding="utf-8")
    again = Store.in_memory()
    assert again.restore(read_export(backup)).added == 1
    assert again.last_screening() == check


def test_json_of_empty_log(store: Store) -> None:
    text, count = run_export(store, "json")
    assert count == 0
    doc = json.loads(text)
    assert doc["format"] == JSON_FORMAT_NAME
    for name in ("pain_scores", "screenings", "sessions", "heat_ice"):
        assert doc[name] == []


def test_json_keeps_unicode_and_awkward_notes(store: Store) -> None:
    notes = ['"quoted"\nnew line', "café ☕", "back\\slash", "=1+1"]
    for hour, note in enumerate(notes, start=8):
        add_pain(store, 3, at(hour), note=note)
    doc = json.loads(run_export(store, "json")[0])
    assert [p["note"] for p in doc["pain_scores"]] == notes


def test_json_window_applies_to_every_array(filled: Store) -> None:
    since, until = at(9), at(10)
    text, count = run_export(filled, "json", since, until)
    doc = json.loads(text)
    assert count == 1
    assert doc["since"] == "2026-11-23T09:00:00+01:00"
    assert doc["until"] == "2026-11-23T10:00:00+01:00"
    assert [p["score"] for p in doc["pain_scores"]] == [4]
    assert doc["screenings"] == []
    assert [s["routine_id"] for s in doc["sessions"]] == ["gentle"]
    assert doc["heat_ice"] == []


def test_window_is_compared_in_utc(store: Store) -> None:
    add_pain(store, 2, at(8, 30, UTC))  # 08:30 UTC
    add_pain(store, 7, at(9, 0, PLUS1))  # 08:00 UTC
    add_pain(store, 5, at(4, 0, MINUS5))  # 09:00 UTC
    since, until = at(8, 15, UTC), at(10, 0, PLUS1)  # 08:15 UTC to 09:00 UTC
    for fmt in FORMATS:
        _, count = run_export(store, fmt, since, until)
        assert count == 1, fmt
    rows = csv_rows(run_export(store, "csv", since, until)[0])
    assert [row["score"] for row in rows] == ["2"]


# --- FHIR ------------------------------------------------------------------------------------


def _fhir(
    store: Store, since: datetime | None = None, until: datetime | None = None
) -> tuple[dict, Bundle, int]:
    text, count = run_export(store, "fhir", since, until)
    doc = json.loads(text)
    return doc, Bundle.model_validate(doc), count


def test_fhir_bundle_is_valid_and_anonymous(filled: Store) -> None:
    doc, bundle, count = _fhir(filled)
    assert count == 3
    assert bundle.type == "collection"
    assert doc["type"] == "collection"
    assert doc["timestamp"] == "2026-11-24T18:00:00+01:00"
    assert bundle.timestamp == NOW
    assert all(entry["fullUrl"].startswith("urn:uuid:") for entry in doc["entry"])
    for entry in doc["entry"]:
        uuid.UUID(entry["fullUrl"].removeprefix("urn:uuid:"))
    full_urls = [entry["fullUrl"] for entry in doc["entry"]]
    assert len(set(full_urls)) == len(full_urls)

    patients = [e for e in doc["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert len(patients) == 1
    patient = patients[0]["resource"]
    for identifying in ("name", "birthDate", "identifier", "telecom", "address", "gender"):
        assert identifying not in patient
    kinds = [e["resource"]["resourceType"] for e in doc["entry"]]
    assert kinds.count("Observation") == 3
    assert kinds.count("QuestionnaireResponse") == 1  # the red-flag check
    assert kinds.count("Procedure") == 1  # the session
    assert kinds.count("CodeSystem") == 2  # what the check's outcome and action codes mean
    assert len(doc["entry"]) == 8


def test_fhir_observation_per_score(filled: Store) -> None:
    doc, _, _ = _fhir(filled)
    patient_url = next(
        e["fullUrl"] for e in doc["entry"] if e["resource"]["resourceType"] == "Patient"
    )
    observations = [e for e in doc["entry"] if e["resource"]["resourceType"] == "Observation"]
    entries = list(filled.pain_scores())
    assert [o["fullUrl"] for o in observations] == [f"urn:uuid:{e.uid}" for e in entries]
    for observation, entry in zip(observations, entries, strict=True):
        resource = observation["resource"]
        assert resource["status"] == "final"
        (category,) = resource["category"]
        (category_coding,) = category["coding"]
        assert category_coding["system"] == OBSERVATION_CATEGORY
        assert category_coding["code"] == "survey"
        (coding,) = resource["code"]["coding"]
        assert coding == {"system": "http://loinc.org", "code": "72514-3", "display": LOINC_DISPLAY}
        assert resource["subject"] == {"reference": patient_url}
        assert resource["performer"] == [{"reference": patient_url}]
        assert OFFSET.search(resource["effectiveDateTime"])
        assert datetime.fromisoformat(resource["effectiveDateTime"]) == entry.recorded_at
        assert isinstance(resource["valueInteger"], int)
        assert 0 <= resource["valueInteger"] <= 10
        assert resource["valueInteger"] == entry.score
        texts = [note["text"] for note in resource["note"]]
        assert any(entry.context in text for text in texts)
        if entry.note:
            assert entry.note in texts
        else:
            assert len(texts) == 1


def test_fhir_keeps_each_offset(store: Store) -> None:
    add_pain(store, 0, at(4, 0, MINUS5))
    add_pain(store, 10, at(12, 0, UTC))
    doc, _, _ = _fhir(store)
    times = [
        e["resource"]["effectiveDateTime"]
        for e in doc["entry"]
        if e["resource"]["resourceType"] == "Observation"
    ]
    assert times == ["2026-11-23T04:00:00-05:00", "2026-11-23T12:00:00+00:00"]


def test_fhir_of_empty_log_is_a_valid_bundle(store: Store) -> None:
    doc, bundle, count = _fhir(store)
    assert count == 0
    assert bundle.type == "collection"
    assert [e["resource"]["resourceType"] for e in doc["entry"]] == ["Patient"]


def test_fhir_window(filled: Store) -> None:
    doc, _, count = _fhir(filled, since=at(9), until=at(10))
    assert count == 1
    resources = [e["resource"] for e in doc["entry"][1:]]
    values = [r["valueInteger"] for r in resources if r["resourceType"] == "Observation"]
    assert values == [4]
    assert [r["resourceType"] for r in resources] == ["Observation", "Procedure"]


def test_unknown_format_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="csv, json, fhir"):
        export(store, "xml", io.StringIO(), None, None, NOW)


# --- streaming -------------------------------------------------------------------------------

BIG = 20_000
PEAK_LIMIT = 2 * 1024 * 1024
"""Measured peaks are about 0.03-0.2 MB; holding 20,000 entries in a list takes about 9 MB."""


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(tmp_path_factory.mktemp("big") / "pain-log.sqlite3")
    start = datetime(2026, 1, 1, tzinfo=PLUS1)
    entries = (
        PainEntry(
            str(uuid.UUID(int=i + 1)),
            start + timedelta(minutes=10 * i),
            i % 11,
            PainContext.CHECK_IN,
            None if i % 3 else f"note {i}",
        )
        for i in range(BIG)
    )
    assert store.restore(entries).added == BIG
    yield store
    store.close()


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_streams_without_holding_the_log(big_store: Store, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"export.{fmt}"
    tracemalloc.start()
    try:
        with atomic_text_file(target) as out:
            count = export(big_store, fmt, out, None, None, NOW)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == BIG
    assert peak < PEAK_LIMIT, f"{fmt} export peaked at {peak / 1e6:.2f} MB"
    assert fmt in SCORES_IN, f"say how to count the scores in a {fmt} file (SCORES_IN)"
    with target.open(encoding="utf-8", newline="") as written:
        assert SCORES_IN[fmt](written) == BIG


SCORES_IN: dict[str, Callable[[IO[str]], int]] = {
    "csv": lambda file: sum(1 for _ in csv.reader(file)) - 1,
    "json": lambda file: len(json.load(file)["pain_scores"]),
    "fhir": lambda file: len(json.load(file)["entry"]) - 1,
}
"""How many pain scores an export file holds, by format (FHIR: the Patient comes first)."""


# --- atomic_text_file ------------------------------------------------------------------------


def _leftovers(folder: Path, keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != keep)


def test_atomic_file_appears_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    with atomic_text_file(target) as out:
        out.write("first half\n")
        out.flush()
        assert not target.exists()
        out.write("second half\n")
    assert target.read_text(encoding="utf-8") == "first half\nsecond half\n"
    assert _leftovers(tmp_path, target.name) == []


def test_atomic_file_replaces_existing_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_text("old export\n", encoding="utf-8")
    with atomic_text_file(target) as out:
        out.write("new export\n")
        out.flush()
        assert target.read_text(encoding="utf-8") == "old export\n"
    assert target.read_text(encoding="utf-8") == "new export\n"
    assert _leftovers(tmp_path, target.name) == []


class Broke(Exception):
    pass


def _write_half_then_fail(target: Path, error: BaseException) -> None:
    with atomic_text_file(target) as out:
        out.write("half a new ")
        out.flush()
        raise error


def test_atomic_file_failure_keeps_old_contents_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    target.write_text("old export\n", encoding="utf-8")
    with pytest.raises(Broke):
        _write_half_then_fail(target, Broke())
    assert target.read_text(encoding="utf-8") == "old export\n"
    assert _leftovers(tmp_path, target.name) == []


def test_atomic_file_failure_leaves_nothing_when_new(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    with pytest.raises(KeyboardInterrupt):
        _write_half_then_fail(target, KeyboardInterrupt())
    assert list(tmp_path.iterdir()) == []


def test_atomic_file_is_private_and_keeps_newlines(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o644)
    with atomic_text_file(target) as out:
        out.write("a\r\nb\nc ☕")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == "a\r\nb\nc ☕".encode()
    fresh = tmp_path / "fresh.csv"
    with atomic_text_file(fresh) as out:
        out.write("x")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
