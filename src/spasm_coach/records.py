# Over 600 lines: seven record types and the one set of field checks each reads itself through.
"""The records of the pain log, and their one JSON form.

Each record knows how to write itself as JSON (the backup export) and how to read itself back
(import), checking every field on the way in: exact types, a UTC offset on every time, times in
a sane range, uids that are UUIDs, and values from the shared vocabulary. The store reads its
own rows through the same checks, so a poisoned log is reported, never fatal.
"""

from __future__ import annotations

import contextlib
import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from spasm_coach.guard import has_control, safe_text
from spasm_coach.pain import MAX_SCORE, MIN_SCORE
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

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
"""Times outside this range are not a real entry (and some can't even be converted to UTC)."""
MAX_TEXT = 10_000
"""The longest note, name or reason kept: a pasted essay is a mistake, not an entry."""
MAX_CHECK_SECONDS = 7 * 24 * 3600
"""A check's length is kept up to a week (one left open overnight is still one check)."""

E = TypeVar("E", bound=StrEnum)


class RecordError(ValueError):
    """A field that can't be a record's, naming where it is and what is wrong."""


def new_uid() -> str:
    return str(uuid.uuid4())


# --- field checks, shared by import and by reading the log back ----------------------------


def check_time(value: object, where: str) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise RecordError(f"{where}: {value!r} is not an ISO date and time") from None
    else:
        raise RecordError(f"{where}: expected an ISO date and time, got {_kind(value)}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RecordError(f"{where}: {value!r} has no UTC offset")
    if not _in_range(moment):
        raise RecordError(f"{where}: {value!r} is not between 1970 and 2200")
    return moment


def _in_range(moment: datetime) -> bool:
    """EARLIEST <= moment <= LATEST, for a time with an offset. Its year alone says so for any
    year but the first and the last two (an offset is under a day), and is far quicker to read
    than the time in UTC."""
    if EARLIEST.year < moment.year < LATEST.year - 1:
        return True
    try:
        return EARLIEST <= moment <= LATEST
    except OverflowError:
        return False


def check_optional_time(value: object, where: str) -> datetime | None:
    return None if value is None else check_time(value, where)


ISO_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}")
"""A time as iso() writes it: to the second, with its UTC offset."""


def plain_time(text: str) -> datetime | None:
    """The time in `text` if check_time accepts it and iso() writes it back as the same text (as
    every time the log holds); None for any other, for check_time to say what is wrong."""
    if not ISO_TIME.fullmatch(text) or text.endswith("-00:00"):  # iso() writes +00:00
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if _in_range(moment) else None


def check_text(value: object, where: str, *, optional: bool = False) -> str:
    """Text coming in (typed, imported): refused if it holds control characters; a Windows
    line end is a line end."""
    text = read_text(value, where, optional=optional, shown=False).replace("\r\n", "\n")
    if has_control(text):
        raise RecordError(f"{where}: holds a control character (such as Esc); remove it")
    return text


def read_text(value: object, where: str, *, optional: bool = False, shown: bool = True) -> str:
    """Text read back from the log. A control character (written there by some other program)
    comes back as U+FFFD, so the entry can still be shown and exported, and never reaches the
    terminal."""
    if value is None:
        if optional:
            return ""
        raise RecordError(f"{where}: missing")
    if not isinstance(value, str):
        raise RecordError(f"{where}: expected text, got {_kind(value)}")
    if len(value) > MAX_TEXT:
        raise RecordError(f"{where}: text longer than {MAX_TEXT} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise RecordError(f"{where}: not valid text (it holds bytes that are not UTF-8)") from None
    if not optional and not value:
        raise RecordError(f"{where}: missing")
    return safe_text(value) if shown else value


def plain_text(text: str) -> bool:
    """`text` passes check_text and read_text as it is: nothing to refuse, nothing to change
    (whether an empty text may stand is the caller's to say)."""
    return len(text) <= MAX_TEXT and not has_control(text)


CANONICAL_UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
"""A UUID as str(uuid.UUID(...)) writes it, as every uid in the log and its exports is."""


def check_uid(value: object, where: str) -> str:
    """A UUID in its canonical lower-case form."""
    if type(value) is str and CANONICAL_UID.fullmatch(value):
        return value  # already canonical: what uuid.UUID would give back (the common case)
    text = check_text(value, where)
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise RecordError(f"{where}: {text!r} is not a UUID") from None


def check_optional_uid(value: object, where: str) -> str | None:
    return None if value is None or value == "" else check_uid(value, where)


def check_choice(value: object, choices: type[E], where: str) -> E:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return choices(value)
    allowed = ", ".join(member.value for member in choices)
    raise RecordError(f"{where}: {value!r} is not one of {allowed}")


def check_int(value: object, where: str, low: int, high: int) -> int:
    """A whole number: 5.9, true and "5" are mistakes, not 5, 1 and 5."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{where}: expected a whole number, got {_kind(value)}")
    if not low <= value <= high:
        raise RecordError(f"{where}: {value} is outside {low}-{high}")
    return value


def check_score(value: object, where: str) -> int:
    return check_int(value, where, MIN_SCORE, MAX_SCORE)


def check_bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise RecordError(f"{where}: expected true or false, got {_kind(value)}")
    return value


def check_seconds(value: object, where: str) -> float:
    """A length of time in seconds, 0 to MAX_CHECK_SECONDS."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise RecordError(f"{where}: expected a number of seconds, got {_kind(value)}")
    if not 0 <= value <= MAX_CHECK_SECONDS:
        raise RecordError(f"{where}: {value} is outside 0-{MAX_CHECK_SECONDS} seconds")
    return float(value)


def check_optional_bool(value: object, where: str) -> bool | None:
    return None if value is None else check_bool(value, where)


def _kind(value: object) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return f"{type(value).__name__} {value!r}"[:80]


def _field(item: object, key: str, where: str) -> Any:
    if not isinstance(item, Mapping):
        raise RecordError(f"{where}: expected an object, got {_kind(item)}")
    return item.get(key)


def _coerce(record: object, name: str, choices: type[StrEnum]) -> None:
    """Let callers pass a vocabulary word as plain text ('heat'); it is checked and stored as
    the enum member, so a record never holds a word the vocabulary doesn't know."""
    value = getattr(record, name)
    if value is not None and not isinstance(value, choices):
        object.__setattr__(record, name, check_choice(value, choices, name))


def iso(moment: datetime | None) -> str | None:
    """A time as the log and the exports write it: to the second, with its UTC offset."""
    return None if moment is None else moment.isoformat(timespec="seconds")


# --- the records -----------------------------------------------------------------------------


PainRow = tuple[str, str, int, str, str | None, str | None]
"""A pain score as plain values, what the exports write from: uid, recorded_at (ISO text to the
second, with its offset), score, context, note and session uid, each checked as for a PainEntry."""
PAIN_CONTEXTS = frozenset(context.value for context in PainContext)


@dataclass(frozen=True)
class PainEntry:
    uid: str
    recorded_at: datetime
    score: int
    context: PainContext
    note: str | None = None
    session_uid: str | None = None

    def __post_init__(self) -> None:
        _coerce(self, "context", PainContext)

    @property
    def row(self) -> PainRow:
        return (
            self.uid,
            self.recorded_at.isoformat(timespec="seconds"),
            self.score,
            self.context.value,
            self.note,
            self.session_uid,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "recorded_at": iso(self.recorded_at),
            "score": self.score,
            "context": self.context.value,
            "note": self.note,
            "session": self.session_uid,
        }

    @classmethod
    def from_json(cls, item: object, where: str) -> PainEntry:
        def get(key: str) -> Any:
            return _field(item, key, where)

        return cls(
            uid=check_uid(get("uid"), f"{where}: uid"),
            recorded_at=check_time(get("recorded_at"), f"{where}: recorded_at"),
            score=check_score(get("score"), f"{where}: score"),
            context=check_choice(get("context"), PainContext, f"{where}: context"),
            note=check_text(get("note"), f"{where}: note", optional=True) or None,
            session_uid=check_optional_uid(get("session"), f"{where}: session"),
        )


@dataclass(frozen=True)
class AnswerChange:
    """An answer the person went back and changed: the log keeps both."""

    id: str
    """The question: a red-flag id, or a QuickAnswer."""
    was: bool
    now: bool | None
    """The answer now; None when the question is no longer asked (a question asked only after
    a yes, whose yes was changed to no)."""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "from": self.was, "to": self.now}

    @classmethod
    def from_json(cls, item: object, where: str) -> AnswerChange:
        def get(key: str) -> Any:
            return _field(item, key, where)

        return cls(
            id=check_text(get("id"), f"{where}: id"),
            was=check_bool(get("from"), f"{where}: from"),
            now=check_optional_bool(get("to"), f"{where}: to"),
        )


@dataclass(frozen=True)
class Screening:
    uid: str
    screened_at: datetime
    """When it was saved: when it was finished, or, for a check with a yes in it, the first yes
    (a check is saved from its first yes on, so a warning sign is never lost)."""
    level: Level
    flags: tuple[str, ...]
    """The ids answered yes, in the order they were asked."""
    answers: Mapping[str, bool]
    """Every answer: a red-flag id (full check) or a QuickAnswer (quick check) to yes or no."""
    reason: ScreeningReason
    kind: CheckKind = CheckKind.FULL
    complete: bool = True
    """False when the check ended before every question: at the first emergency sign, or when
    the person left it after a yes."""
    inferred: tuple[str, ...] = ()
    """Answers not asked but known: pregnancy from the person's cautions, or 'exercises made it
    worse' when no session was done in the last days."""
    changes: tuple[AnswerChange, ...] = ()
    """Answers changed with Back, in the order they were changed; `answers` holds the last."""
    seconds: float | None = None
    """How long the check took, from its first question to its end; None when it was answered
    all at once (`spasm-coach screen --yes/--none`, or an older log)."""

    def __post_init__(self) -> None:
        _coerce(self, "level", Level)
        _coerce(self, "reason", ScreeningReason)
        _coerce(self, "kind", CheckKind)

    @property
    def clears_for_exercise(self) -> bool:
        """A finished check whose outcome allows a session."""
        return self.complete and self.level.allows_exercise

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "screened_at": iso(self.screened_at),
            "level": self.level.value,
            "flags": list(self.flags),
            "answers": dict(self.answers),
            "reason": self.reason.value,
            "kind": self.kind.value,
            "complete": self.complete,
            "inferred": list(self.inferred),
            "changes": [change.to_json() for change in self.changes],
            "seconds": self.seconds,
        }

    @classmethod
    def from_json(cls, item: object, where: str) -> Screening:
        def get(key: str) -> Any:
            return _field(item, key, where)

        flags = get("flags")
        if not isinstance(flags, list):
            raise RecordError(f"{where}: flags: expected a list of red-flag ids")
        answers = get("answers")
        if not isinstance(answers, dict):
            raise RecordError(f"{where}: answers: expected an object of id: true/false")
        inferred = get("inferred")
        if inferred is None:
            inferred = []  # exports before checks could infer answers
        if not isinstance(inferred, list):
            raise RecordError(f"{where}: inferred: expected a list of red-flag ids")
        changes = get("changes")
        if changes is None:
            changes = []  # exports before changed answers were kept
        if not isinstance(changes, list):
            raise RecordError(f"{where}: changes: expected a list of changed answers")
        seconds = get("seconds")
        kind, complete = get("kind"), get("complete")
        return cls(
            uid=check_uid(get("uid"), f"{where}: uid"),
            screened_at=check_time(get("screened_at"), f"{where}: screened_at"),
            level=check_choice(get("level"), Level, f"{where}: level"),
            flags=tuple(check_text(flag, f"{where}: flags") for flag in flags),
            answers={
                check_text(key, f"{where}: answers"): check_bool(value, f"{where}: answers.{key}")
                for key, value in answers.items()
            },
            reason=check_choice(get("reason"), ScreeningReason, f"{where}: reason"),
            kind=CheckKind.FULL
            if kind is None
            else check_choice(kind, CheckKind, f"{where}: kind"),
            complete=True if complete is None else check_bool(complete, f"{where}: complete"),
            inferred=tuple(check_text(flag, f"{where}: inferred") for flag in inferred),
            changes=tuple(
                AnswerChange.from_json(change, f"{where}: changes[{index}]")
                for index, change in enumerate(changes, start=1)
            ),
            seconds=None if seconds is None else check_seconds(seconds, f"{where}: seconds"),
        )


@dataclass(frozen=True)
class SafetyNote:
    """Advice given, or a confirmation made, that changes what the rest of the day allows."""

    uid: str
    noted_at: datetime
    kind: NoteKind
    screening_uid: str | None = None
    """The check it follows from: the high-pain re-check, or the warning sign a clinician saw."""
    detail: str | None = None
    """Why, in words: 'pain 8/10 after the session'."""

    def __post_init__(self) -> None:
        _coerce(self, "kind", NoteKind)

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "noted_at": iso(self.noted_at),
            "kind": self.kind.value,
            "screening": self.screening_uid,
            "detail": self.detail,
        }

    @classmethod
    def from_json(cls, item: object, where: str) -> SafetyNote:
        def get(key: str) -> Any:
            return _field(item, key, where)

        return cls(
            uid=check_uid(get("uid"), f"{where}: uid"),
            noted_at=check_time(get("noted_at"), f"{where}: noted_at"),
            kind=check_choice(get("kind"), NoteKind, f"{where}: kind"),
            screening_uid=check_optional_uid(get("screening"), f"{where}: screening"),
            detail=check_text(get("detail"), f"{where}: detail", optional=True) or None,
        )


@dataclass(frozen=True)
class SessionRecord:
    uid: str
    routine_id: str
    routine_name: str
    started_at: datetime
    ended_at: datetime | None
    outcome: SessionOutcome | None
    """None while running, or if the coach was killed mid-session."""
    screening_uid: str | None

    def __post_init__(self) -> None:
        _coerce(self, "outcome", SessionOutcome)

    @property
    def status(self) -> SessionOutcome:
        return self.outcome or SessionOutcome.INTERRUPTED

    def to_json(self, events: list[SessionEvent]) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "routine_id": self.routine_id,
            "routine_name": self.routine_name,
            "started_at": iso(self.started_at),
            "ended_at": iso(self.ended_at),
            "outcome": None if self.outcome is None else self.outcome.value,
            "screening": self.screening_uid,
            "events": [event.to_json() for event in events],
        }

    @classmethod
    def from_json(cls, item: object, where: str) -> tuple[SessionRecord, list[SessionEvent]]:
        def get(key: str) -> Any:
            return _field(item, key, where)

        outcome = get("outcome")
        record = cls(
            uid=check_uid(get("uid"), f"{where}: uid"),
            routine_id=check_text(get("routine_id"), f"{where}: routine_id"),
            routine_name=check_text(get("routine_name"), f"{where}: routine_name"),
            started_at=check_time(get("started_at"), f"{where}: started_at"),
            ended_at=check_optional_time(get("ended_at"), f"{where}: ended_at"),
            outcome=None
            if outcome is None
            else check_choice(outcome, SessionOutcome, f"{where}: outcome"),
            screening_uid=check_optional_uid(get("screening"), f"{where}: screening"),
        )
        events = get("events")
        if events is None:
            events = []
        if not isinstance(events, list):
            raise RecordError(f"{where}: events: expected a list")
        return record, [
            SessionEvent.from_json(event, record.uid, f"{where}.events[{index}]")
            for index, event in enumerate(events, start=1)
        ]


@dataclass(frozen=True)
class SessionEvent:
    uid: str
    session_uid: str
    at: datetime
    kind: EventKind
    exercise_id: str | None = None
    detail: str | None = None

    def __post_init__(self) -> None:
        _coerce(self, "kind", EventKind)

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "at": iso(self.at),
            "kind": self.kind.value,
            "exercise": self.exercise_id,
            "detail": self.detail,
        }

    @classmethod
    def from_json(cls, item: object, session_uid: str, where: str) -> SessionEvent:
        def get(key: str) -> Any:
            return _field(item, key, where)

        return cls(
            uid=check_uid(get("uid"), f"{where}: uid"),
            session_uid=session_uid,
            at=check_time(get("at"), f"{where}: at"),
            kind=check_choice(get("kind"), EventKind, f"{where}: kind"),
            exercise_id=check_text(get("exercise"), f"{where}: exercise", optional=True) or None,
            detail=check_text(get("detail"), f"{where}: detail", optional=True) or None,
        )


@dataclass(frozen=True)
class Application:
    """One use of heat or ice."""

    uid: str
    kind: ThermalKind
    started_at: datetime
    ended_at: datetime | None
    planned_minutes: int
    stopped_early: bool | None

    def __post_init__(self) -> None:
        _coerce(self, "kind", ThermalKind)

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "kind": self.kind.value,
            "started_at": iso(self.started_at),
            "ended_at": iso(self.ended_at),
            "planned_minutes": self.planned_minutes,
            "stopped_early": self.stopped_early,
        }

    @classmethod
    def from_json(cls, item: object, where: str) -> Application:
        def get(key: str) -> Any:
            return _field(item, key, where)

        return cls(
            uid=check_uid(get("uid"), f"{where}: uid"),
            kind=check_choice(get("kind"), ThermalKind, f"{where}: kind"),
            started_at=check_time(get("started_at"), f"{where}: started_at"),
            ended_at=check_optional_time(get("ended_at"), f"{where}: ended_at"),
            planned_minutes=check_int(
                get("planned_minutes"), f"{where}: planned_minutes", 1, 24 * 60
            ),
            stopped_early=check_optional_bool(get("stopped_early"), f"{where}: stopped_early"),
        )


@dataclass(frozen=True)
class PlanChange:
    """A change of stage in the person's plan, with its reason in words. The names are kept
    with the ids, so the log still reads right when the plan file has gone or changed."""

    uid: str
    changed_at: datetime
    plan_id: str
    plan_name: str
    kind: PlanMove
    from_stage: str | None
    """The stage before; None when the plan starts."""
    from_name: str | None
    stage: str
    """The stage from now on (the same as `from_stage` for a stay)."""
    stage_name: str
    automatic: bool
    """Made by the coach itself (a step back after "it hurt" or a rise of 2), not chosen."""
    reason: str

    def __post_init__(self) -> None:
        _coerce(self, "kind", PlanMove)

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "changed_at": iso(self.changed_at),
            "plan": self.plan_id,
            "plan_name": self.plan_name,
            "kind": self.kind.value,
            "from_stage": self.from_stage,
            "from_name": self.from_name,
            "stage": self.stage,
            "stage_name": self.stage_name,
            "automatic": self.automatic,
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, item: object, where: str) -> PlanChange:
        def get(key: str) -> Any:
            return _field(item, key, where)

        def optional(key: str) -> str | None:
            return check_text(get(key), f"{where}: {key}", optional=True) or None

        return cls(
            uid=check_uid(get("uid"), f"{where}: uid"),
            changed_at=check_time(get("changed_at"), f"{where}: changed_at"),
            plan_id=check_text(get("plan"), f"{where}: plan"),
            plan_name=check_text(get("plan_name"), f"{where}: plan_name"),
            kind=check_choice(get("kind"), PlanMove, f"{where}: kind"),
            from_stage=optional("from_stage"),
            from_name=optional("from_name"),
            stage=check_text(get("stage"), f"{where}: stage"),
            stage_name=check_text(get("stage_name"), f"{where}: stage_name"),
            automatic=check_bool(get("automatic"), f"{where}: automatic"),
            reason=check_text(get("reason"), f"{where}: reason"),
        )


Record = (
    PainEntry | Screening | SessionRecord | SessionEvent | Application | SafetyNote | PlanChange
)
