"""Records written straight into a log, for tests that need a history to look at.

The coach itself writes through the journal (spasm_coach.journal), which builds each record as
it happens; these build one from its few interesting fields and insert it, as the journal
would have.
"""

from __future__ import annotations

from datetime import datetime

from spasm_coach.records import (
    Application,
    PainEntry,
    Screening,
    SessionEvent,
    SessionRecord,
    new_uid,
)
from spasm_coach.store import Store
from spasm_coach.vocabulary import (
    EventKind,
    Level,
    PainContext,
    ScreeningReason,
    ThermalKind,
)


def add_pain(
    store: Store,
    score: int,
    at: datetime,
    context: PainContext = PainContext.CHECK_IN,
    note: str | None = None,
    session_uid: str | None = None,
    uid: str | None = None,
) -> PainEntry:
    entry = PainEntry(uid or new_uid(), at, score, context, note or None, session_uid)
    store.insert(entry)
    return entry


def add_screening(
    store: Store,
    level: Level,
    flags: tuple[str, ...],
    answers: dict[str, bool],
    at: datetime,
    reason: ScreeningReason,
    uid: str | None = None,
) -> Screening:
    screening = Screening(uid or new_uid(), at, level, tuple(flags), dict(answers), reason)
    store.insert(screening)
    return screening


def add_session(
    store: Store, routine_id: str, routine_name: str, at: datetime, screening_uid: str | None
) -> SessionRecord:
    record = SessionRecord(new_uid(), routine_id, routine_name, at, None, None, screening_uid)
    store.insert(record)
    return record


def add_event(
    store: Store,
    session_uid: str,
    at: datetime,
    kind: EventKind,
    exercise_id: str | None = None,
    detail: str | None = None,
) -> SessionEvent:
    event = SessionEvent(new_uid(), session_uid, at, kind, exercise_id, detail)
    store.insert(event)
    return event


def add_application(
    store: Store, kind: ThermalKind, at: datetime, planned_minutes: int
) -> Application:
    application = Application(new_uid(), kind, at, None, planned_minutes, None)
    store.insert(application)
    return application
