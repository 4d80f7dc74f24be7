"""The log's tables as SQL: each record type's columns, its row read back through the records'
checks, and the statement that writes it (skipped when its uid is there already)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from spasm_coach.guard import safe_text
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
    check_bool,
    check_choice,
    check_int,
    check_optional_bool,
    check_optional_time,
    check_optional_uid,
    check_score,
    check_time,
    check_uid,
    iso,
    plain_text,
    plain_time,
    read_text,
)
from spasm_coach.store_errors import StoreError as StoreError  # noqa: PLC0414 (what callers catch)
from spasm_coach.vocabulary import (
    EventKind,
    PainContext,
    PlanMove,
    SessionOutcome,
    ThermalKind,
)

PAIN_COLUMNS = "SELECT uid, recorded_at, score, context, note, session_uid FROM pain_score"
SCREENING_COLUMNS = (
    "SELECT uid, screened_at, level, flags, answers, reason, kind, complete, inferred, "
    "changes, seconds FROM screening"
)
NOTE_COLUMNS = "SELECT uid, noted_at, kind, screening_uid, detail FROM safety_note"
SESSION_COLUMNS = (
    "SELECT uid, routine_id, routine_name, started_at, ended_at, outcome, screening_uid "
    "FROM session"
)
EVENT_COLUMNS = "SELECT uid, session_uid, at, kind, exercise_id, detail FROM session_event"
APPLICATION_COLUMNS = (
    "SELECT uid, kind, started_at, ended_at, planned_minutes, stopped_early FROM application"
)
PLAN_CHANGE_COLUMNS = (
    "SELECT uid, changed_at, plan_id, plan_name, kind, from_stage, from_name, stage, "
    "stage_name, automatic, reason FROM plan_change"
)


def read_pain(row: tuple) -> PainEntry:
    where = f"pain score {row[0]!r}"
    return PainEntry(
        uid=check_uid(row[0], f"{where}: uid"),
        recorded_at=check_time(row[1], f"{where}: recorded_at"),
        score=check_score(row[2], f"{where}: score"),
        context=check_choice(row[3], PainContext, f"{where}: context"),
        note=read_text(row[4], f"{where}: note", optional=True) or None,
        session_uid=check_optional_uid(row[5], f"{where}: session"),
    )


def read_pain_row(row: tuple) -> PainRow:
    """A row through the same checks as `_pain`, as plain values. A row the checks pass outright
    (a canonical uid and time, a note with nothing to make safe) comes back as it is; any other
    goes through `_pain`, which says what is wrong or makes its text safe to show."""
    uid, recorded_at, score, context, note, session = row
    if (
        type(uid) is str
        and CANONICAL_UID.fullmatch(uid)
        and type(score) is int
        and MIN_SCORE <= score <= MAX_SCORE
        and context in PAIN_CONTEXTS
        and (session is None or (type(session) is str and CANONICAL_UID.fullmatch(session)))
        and (note is None or (type(note) is str and plain_text(note)))
        and type(recorded_at) is str
        and plain_time(recorded_at)
    ):
        return uid, recorded_at, score, context, note or None, session
    return read_pain(row).row


def _shown(value: Any) -> Any:
    """Text from the log with any control character made harmless (see read_text); lists and
    the keys of objects too. Everything else is left for the record's own checks."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list):
        return [_shown(item) for item in value]
    if isinstance(value, dict):
        return {_shown(key): item for key, item in value.items()}
    return value


def read_screening(row: tuple) -> Screening:
    where = f"screening {row[0]!r}"
    try:
        flags, answers, inferred = json.loads(row[3]), json.loads(row[4]), json.loads(row[8])
        changes = json.loads(row[9])
    except (TypeError, ValueError):
        raise RecordError(f"{where}: flags, answers, inferred or changes are not JSON") from None
    flags, answers, inferred = _shown(flags), _shown(answers), _shown(inferred)
    changes = _shown(changes)
    return Screening.from_json(
        {
            "uid": row[0],
            "screened_at": row[1],
            "level": row[2],
            "flags": flags,
            "answers": answers,
            "reason": row[5],
            "kind": row[6],
            "complete": row[7] if row[7] is None else bool(row[7]),
            "inferred": inferred,
            "changes": changes,
            "seconds": row[10],
        },
        where,
    )


def read_note(row: tuple) -> SafetyNote:
    return SafetyNote.from_json(
        {
            "uid": row[0],
            "noted_at": row[1],
            "kind": row[2],
            "screening": row[3],
            "detail": _shown(row[4]),
        },
        f"safety note {row[0]!r}",
    )


def read_session(row: tuple) -> SessionRecord:
    where = f"session {row[0]!r}"
    outcome = row[5]
    return SessionRecord(
        uid=check_uid(row[0], f"{where}: uid"),
        routine_id=read_text(row[1], f"{where}: routine_id"),
        routine_name=read_text(row[2], f"{where}: routine_name"),
        started_at=check_time(row[3], f"{where}: started_at"),
        ended_at=check_optional_time(row[4], f"{where}: ended_at"),
        outcome=None if outcome is None else check_choice(outcome, SessionOutcome, where),
        screening_uid=check_optional_uid(row[6], f"{where}: screening"),
    )


def read_event(row: tuple) -> SessionEvent:
    where = f"session event {row[0]!r}"
    return SessionEvent(
        uid=check_uid(row[0], f"{where}: uid"),
        session_uid=check_uid(row[1], f"{where}: session"),
        at=check_time(row[2], f"{where}: at"),
        kind=check_choice(row[3], EventKind, f"{where}: kind"),
        exercise_id=read_text(row[4], f"{where}: exercise", optional=True) or None,
        detail=read_text(row[5], f"{where}: detail", optional=True) or None,
    )


def read_application(row: tuple) -> Application:
    where = f"heat/ice use {row[0]!r}"
    stopped = row[5]
    return Application(
        uid=check_uid(row[0], f"{where}: uid"),
        kind=check_choice(row[1], ThermalKind, f"{where}: kind"),
        started_at=check_time(row[2], f"{where}: started_at"),
        ended_at=check_optional_time(row[3], f"{where}: ended_at"),
        planned_minutes=check_int(row[4], f"{where}: planned_minutes", 1, 24 * 60),
        stopped_early=check_optional_bool(
            None if stopped is None else bool(stopped), f"{where}: stopped_early"
        ),
    )


def read_plan_change(row: tuple) -> PlanChange:
    where = f"plan change {row[0]!r}"
    automatic = row[9]
    return PlanChange(
        uid=check_uid(row[0], f"{where}: uid"),
        changed_at=check_time(row[1], f"{where}: changed_at"),
        plan_id=read_text(row[2], f"{where}: plan"),
        plan_name=read_text(row[3], f"{where}: plan_name"),
        kind=check_choice(row[4], PlanMove, f"{where}: kind"),
        from_stage=read_text(row[5], f"{where}: from_stage", optional=True) or None,
        from_name=read_text(row[6], f"{where}: from_name", optional=True) or None,
        stage=read_text(row[7], f"{where}: stage"),
        stage_name=read_text(row[8], f"{where}: stage_name"),
        automatic=check_bool(
            bool(automatic) if automatic in (0, 1) else automatic, f"{where}: automatic"
        ),
        reason=read_text(row[10], f"{where}: reason"),
    )


# --- records to rows ---------------------------------------------------------------------------


def iso_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("times in the pain log need a UTC offset")
    text = iso(moment)
    assert text is not None
    return text


PAIN_INSERT = (
    "INSERT INTO pain_score (uid, recorded_at, score, context, note, session_uid) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING"
)
SCREENING_INSERT = (
    "INSERT INTO screening (uid, screened_at, level, flags, answers, reason, kind, "
    "complete, inferred, changes, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (uid) DO NOTHING"
)
SESSION_INSERT = (
    "INSERT INTO session (uid, routine_id, routine_name, started_at, ended_at, "
    "outcome, screening_uid) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING"
)
APPLICATION_INSERT = (
    "INSERT INTO application (uid, kind, started_at, ended_at, planned_minutes, "
    "stopped_early) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING"
)


def insert_statement(record: Record | PainRow) -> tuple[str, tuple[Any, ...]]:
    """The INSERT for one record; an existing uid is left as it is (imports add nothing twice).
    A PainRow's values are the table's columns, in order."""
    if isinstance(record, tuple):
        return PAIN_INSERT, record
    if isinstance(record, PainEntry):
        return (
            PAIN_INSERT,
            (
                record.uid,
                iso_text(record.recorded_at),
                record.score,
                record.context.value,
                record.note,
                record.session_uid,
            ),
        )
    if isinstance(record, Screening):
        return (
            SCREENING_INSERT,
            (
                record.uid,
                iso_text(record.screened_at),
                record.level.value,
                json.dumps(list(record.flags)),
                json.dumps(dict(record.answers)),
                record.reason.value,
                record.kind.value,
                int(record.complete),
                json.dumps(list(record.inferred)),
                json.dumps([change.to_json() for change in record.changes]),
                record.seconds,
            ),
        )
    if isinstance(record, SafetyNote):
        return (
            "INSERT INTO safety_note (uid, noted_at, kind, screening_uid, detail) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
            (
                record.uid,
                iso_text(record.noted_at),
                record.kind.value,
                record.screening_uid,
                record.detail,
            ),
        )
    if isinstance(record, SessionRecord):
        return (
            SESSION_INSERT,
            (
                record.uid,
                record.routine_id,
                record.routine_name,
                iso_text(record.started_at),
                None if record.ended_at is None else iso_text(record.ended_at),
                None if record.outcome is None else record.outcome.value,
                record.screening_uid,
            ),
        )
    if isinstance(record, PlanChange):
        return (
            "INSERT INTO plan_change (uid, changed_at, plan_id, plan_name, kind, from_stage, "
            "from_name, stage, stage_name, automatic, reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
            (
                record.uid,
                iso_text(record.changed_at),
                record.plan_id,
                record.plan_name,
                record.kind.value,
                record.from_stage,
                record.from_name,
                record.stage,
                record.stage_name,
                int(record.automatic),
                record.reason,
            ),
        )
    if isinstance(record, SessionEvent):
        return (
            "INSERT INTO session_event (uid, session_uid, at, kind, exercise_id, detail) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
            (
                record.uid,
                record.session_uid,
                iso_text(record.at),
                record.kind.value,
                record.exercise_id,
                record.detail,
            ),
        )
    return (
        APPLICATION_INSERT,
        (
            record.uid,
            record.kind.value,
            iso_text(record.started_at),
            None if record.ended_at is None else iso_text(record.ended_at),
            record.planned_minutes,
            None if record.stopped_early is None else int(record.stopped_early),
        ),
    )
