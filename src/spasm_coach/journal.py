"""The journal: every write to the pain log, at the clock's time, in one place.

The command line and the TUI ask the journal to record what happened; they never pair a clock
with the store themselves. Each write is committed at once. When a write fails (a busy log, a
full disk, a read-only folder), a journal that keeps unsaved entries (the TUI's) holds them, in
order, and retries them until they are saved, so nothing the person entered is lost and nothing
is called saved before it is; one that doesn't (the command line's) raises the classified
StoreError for the face to report.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from spasm_coach.clock import Clock
from spasm_coach.files import create_new, private_folder
from spasm_coach.log_reader import LogReader
from spasm_coach.pain import check_score, needs_rescreen
from spasm_coach.records import (
    AnswerChange,
    Application,
    PainEntry,
    PainRow,
    PlanChange,
    Record,
    SafetyNote,
    Screening,
    SessionEvent,
    SessionRecord,
    check_text,
    new_uid,
)
from spasm_coach.store import Restored, Store, StoreError
from spasm_coach.vocabulary import (
    EventKind,
    Level,
    NoteKind,
    PainContext,
    PlanMove,
    ScreeningReason,
    SessionOutcome,
    ThermalKind,
)
from spasm_coach.wording import plural

if TYPE_CHECKING:
    from spasm_coach.content import Content
    from spasm_coach.session import Event
    from spasm_coach.triage import Outcome


@dataclass(frozen=True)
class PainLogged:
    entry: PainEntry
    previous: int | None
    """The score before this one, if there was one."""

    @property
    def rescreen(self) -> bool:
        """High, or a big rise: the red-flag questions should be asked again."""
        return needs_rescreen(self.entry.score, self.previous)


@dataclass
class Unsaved:
    """A write that failed and waits to be retried."""

    what: str
    """In words, for the person: 'a pain score of 3'."""
    write: Callable[[Store], object] = field(repr=False)
    record: Record = field(repr=False)
    """The record as it stands after this write, for a rescue file if it is never saved."""


class Journal:
    def __init__(self, store: Store, clock: Clock, *, keep_unsaved: bool = False) -> None:
        self._store = store
        """The log to write to: faces read `store`, and write only through the methods below."""
        self.clock = clock
        self.keep_unsaved = keep_unsaved
        """Hold failed writes and retry them (the TUI), rather than raise (the command line)."""
        self.unsaved: list[Unsaved] = []
        """Writes not yet in the log, oldest first; retried in order."""
        self.problem: StoreError | None = None
        """Why the oldest unsaved write failed, while there is one."""
        self._listeners: list[Callable[[], None]] = []
        self._last_score: int | None = None
        self._sessions: dict[str, SessionRecord] = {}
        """Sessions opened here, as they stand now: a rescued event needs its session."""
        self._applications: dict[str, Application] = {}
        """Heat or ice started here and not yet ended."""

    @property
    def store(self) -> LogReader:
        """The log, for reading; every write goes through the journal's methods."""
        return self._store

    # --- saving, and keeping what could not be saved ---------------------------------------

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call `listener` whenever writes become unsaved, or are saved after all."""
        self._listeners.append(listener)

    @property
    def all_saved(self) -> bool:
        return not self.unsaved

    def write(self, what: str, write: Callable[[Store], object], record: Record) -> None:
        """Run one write now; if it fails, keep it to retry (or raise, see keep_unsaved)."""
        pending = Unsaved(what, write, record)
        if self.unsaved:
            self.unsaved.append(pending)  # behind the others, so the log keeps their order
            self.retry()
            return
        try:
            write(self._store)
        except StoreError as exc:
            if not self.keep_unsaved:
                raise
            self.unsaved.append(pending)
            self.problem = exc
            self._changed()

    def retry(self) -> bool:
        """Try the unsaved writes again, oldest first; True once every one is saved."""
        if not self.unsaved:
            return True
        while self.unsaved:
            try:
                self.unsaved[0].write(self._store)
            except StoreError as exc:
                self.problem = exc
                self._changed()
                return False
            self.unsaved.pop(0)
        self.problem = None
        self._changed()
        return True

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    def rescue(self, folder: Path, now: datetime) -> Path | None:
        """Write what could not be saved to a private file `spasm-coach import` reads back.

        For a coach closing while the log still refuses writes (a full disk, a locked log).
        Returns the file, or None when there was nothing to keep or it couldn't be written.
        What is in the file no longer waits here (it is kept there, and a later retry would
        only write it twice).
        """
        if not self.unsaved:
            return None
        from spasm_coach.export import write_records_json

        latest: dict[str, Record] = {}
        for pending in self.unsaved:
            if isinstance(pending.record, SessionEvent):
                session = self._sessions.get(pending.record.session_uid)
                if session is not None:
                    latest.setdefault(session.uid, session)
            latest[pending.record.uid] = pending.record
        try:
            private_folder(folder)
        except OSError:
            return None
        for number in range(1, 100):  # another rescue in the same second keeps its own file
            again = "" if number == 1 else f"-{number}"
            path = folder / f"spasm-coach-unsaved-{now:%Y%m%d-%H%M%S}{again}.json"
            try:
                descriptor = create_new(path)
                break
            except FileExistsError:
                continue
            except OSError:
                return None
        else:
            return None
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                write_records_json(list(latest.values()), out, now)
        except OSError:  # a full disk: half a rescue file would only mislead (import refuses it)
            path.unlink(missing_ok=True)
            return None
        self.unsaved.clear()
        return path

    def keep_in_file(self, folders: Iterable[Path], now: datetime) -> str | None:
        """Put what could not be saved in a rescue file, in the first of `folders` that takes
        one, and say so in one line for the person (where it is and how to add it later); None
        when everything is saved. The health data itself is never in the line."""
        waiting = len(self.unsaved)
        if not waiting:
            return None
        rescued = next(filter(None, (self.rescue(folder, now) for folder in folders)), None)
        entries = plural(waiting, "entry", "entries")
        if rescued is None:
            return f"spasm-coach: {entries} could not be saved, nor kept in a file."
        return (
            f"spasm-coach: {entries} could not be saved; they are in {rescued}. "
            f"Add them to the log later with: spasm-coach import {rescued}"
        )

    # --- time ----------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.now()

    def wall_time(self, monotonic: float) -> datetime:
        """The wall time of a moment on the monotonic clock (when a timer ended, say)."""
        return self.clock.now() - timedelta(seconds=self.clock.monotonic() - monotonic)

    # --- what the person enters --------------------------------------------------------------

    def log_pain(
        self,
        score: int,
        context: PainContext = PainContext.CHECK_IN,
        note: str | None = None,
        session_uid: str | None = None,
        at: datetime | None = None,
    ) -> PainLogged:
        """Record a score now (or at `at`, for one remembered later)."""
        note = check_text(note, "the note", optional=True) or None
        entry = PainEntry(
            new_uid(), at or self.now(), check_score(score), context, note, session_uid
        )
        previous = self._previous_score()
        self.write(f"a pain score of {score}", lambda store: store.insert(entry), entry)
        self._last_score = entry.score
        return PainLogged(entry, previous)

    def _previous_score(self) -> int | None:
        """The score before a new one; unknown (None) if the log can't be read just now, so
        only a high score itself asks the red-flag questions again."""
        if self._last_score is not None:
            return self._last_score
        try:
            last = self._store.last_pain()
        except StoreError:
            if not self.keep_unsaved:
                raise
            return None
        return None if last is None else last.score

    def screen(
        self, outcome: Outcome, reason: ScreeningReason, seconds: float | None = None
    ) -> Screening:
        """Record a whole red-flag check: answered all at once (`spasm-coach screen --yes`), or
        a quick check that took `seconds`."""
        screening = Screening(
            new_uid(),
            self.now(),
            outcome.level,
            outcome.flags,
            dict(outcome.answers),
            reason,
            outcome.kind,
            outcome.complete,
            outcome.inferred,
            seconds=seconds,
        )
        self.write("the red-flag check", lambda store: store.save_screening(screening), screening)
        return screening

    def begin_check(
        self, content: Content, reason: ScreeningReason, known: dict[str, bool] | None = None
    ) -> CheckLog:
        """A full check to be answered one question at a time."""
        return CheckLog(self, content, reason, known or {})

    def note(
        self, kind: NoteKind, detail: str | None = None, screening_uid: str | None = None
    ) -> SafetyNote:
        """Record advice that changes the rest of the day, or the person's confirmation."""
        note = SafetyNote(new_uid(), self.now(), kind, screening_uid, detail)
        self.write("a safety note", lambda store: store.insert(note), note)
        return note

    def plan_change(
        self,
        kind: PlanMove,
        *,
        plan: tuple[str, str],
        to: tuple[str, str],
        came_from: tuple[str, str] | None,
        reason: str,
        automatic: bool = False,
    ) -> PlanChange:
        """Record a change in the person's plan with its reason. `plan`, `to` and `came_from`
        are (id, name) pairs: the plan, the stage from now on, and the stage before."""
        change = PlanChange(
            new_uid(),
            self.now(),
            plan[0],
            plan[1],
            kind,
            came_from[0] if came_from else None,
            came_from[1] if came_from else None,
            to[0],
            to[1],
            automatic,
            check_text(reason, "the reason"),
        )
        self.write("a change in your plan", lambda store: store.insert(change), change)
        return change

    def open_session(
        self, routine_id: str, routine_name: str, screening_uid: str | None
    ) -> SessionLog:
        record = SessionRecord(
            new_uid(), routine_id, routine_name, self.now(), None, None, screening_uid
        )
        self._sessions[record.uid] = record
        self.write("the start of the session", lambda store: store.insert(record), record)
        return SessionLog(self, record)

    def start_application(self, kind: ThermalKind, planned_minutes: int) -> Application:
        application = Application(new_uid(), kind, self.now(), None, planned_minutes, None)
        self._applications[application.uid] = application
        self.write(
            f"the start of the {application.kind.value}",
            lambda store: store.insert(application),
            application,
        )
        return application

    def end_application(
        self, application: Application, ended: datetime, stopped_early: bool
    ) -> None:
        """The application ended, or was taken off, at `ended`."""
        done = replace(
            self._applications.pop(application.uid, application),
            ended_at=ended,
            stopped_early=stopped_early,
        )
        self.write(
            f"the end of the {application.kind.value}",
            lambda store: store.end_application(done.uid, ended, stopped_early),
            done,
        )

    def restore(self, records: Iterable[Record | PainRow]) -> Restored:
        """Import exported records (all or none): the new ones added, the ones already in the
        log brought up to date (see Store.restore)."""
        return self._store.restore(records)


class CheckLog:
    """A full red-flag check as it is answered, one question at a time.

    While every answer is no, nothing is written: a check left unfinished with no yes saves
    nothing (and allows no stretches). From the first yes on, the check is saved after every
    answer, so a warning sign is in the log even if the coach is closed or killed right after.
    An answer changed with Back replaces the old one in `answers`, and the change is kept in
    `changes`: a yes taken back is never lost. The check's length runs from its creation (its
    first question) to its last save.
    """

    def __init__(
        self, journal: Journal, content: Content, reason: ScreeningReason, known: dict[str, bool]
    ) -> None:
        self.journal, self.content, self.reason = journal, content, reason
        self.known = dict(known)
        """Answers taken from what the person already said (see triage.plan_full_check)."""
        self.answers: dict[str, bool] = {}
        self.changes: list[AnswerChange] = []
        self.saved: Screening | None = None
        self.started = journal.clock.monotonic()

    def answer(self, flag_id: str, yes: bool) -> None:
        earlier = self.answers.get(flag_id)
        if earlier is not None and earlier != yes:
            self.changes.append(AnswerChange(flag_id, earlier, yes))
        self.answers[flag_id] = yes
        if yes or self.saved is not None:
            self._save(complete=False)

    def withdraw(self, flag_id: str) -> None:
        """A question no longer asked (its condition was changed to no): its answer leaves
        `answers`, and is kept in `changes`."""
        earlier = self.answers.pop(flag_id, None)
        if earlier is None:
            return
        self.changes.append(AnswerChange(flag_id, earlier, None))
        if self.saved is not None:
            self._save(complete=False)

    @property
    def level(self) -> Level:
        from spasm_coach.triage import level_of

        return level_of(self.content, self.answers)  # a known answer never raises the level

    def outcome(self, *, complete: bool) -> Outcome:
        from spasm_coach.triage import partial

        answers = {**self.known, **self.answers} if complete else dict(self.answers)
        inferred = tuple(flag for flag in self.known if flag not in self.answers)
        return partial(
            self.content, answers, complete=complete, inferred=inferred if complete else ()
        )

    def finish(self) -> Screening:
        """Every question answered: save the whole check."""
        return self._save(complete=True)

    def leave(self) -> Screening | None:
        """The person left before the end: keep what a yes made worth keeping."""
        if self.saved is None:
            return None
        return self.saved

    def _save(self, *, complete: bool) -> Screening:
        outcome = self.outcome(complete=complete)
        screening = Screening(
            self.saved.uid if self.saved else new_uid(),
            self.saved.screened_at if self.saved else self.journal.now(),
            outcome.level,
            outcome.flags,
            dict(outcome.answers),
            self.reason,
            outcome.kind,
            complete,
            outcome.inferred,
            tuple(self.changes),
            round(self.journal.clock.monotonic() - self.started, 1),
        )
        self.journal.write(
            "the red-flag check", lambda store: store.save_screening(screening), screening
        )
        self.saved = screening
        return screening


class SessionLog:
    """One session's writes: its events as they happen, a change of routine, its end."""

    def __init__(self, journal: Journal, record: SessionRecord) -> None:
        self.journal = journal
        self.record = record
        self.outcome: SessionOutcome | None = None

    @property
    def uid(self) -> str:
        return self.record.uid

    def record_events(self, events: Iterable[Event]) -> None:
        """Commit each event at once, with the wall time it happened."""
        now = self.journal.now()
        for event in events:
            self._add(
                SessionEvent(new_uid(), self.uid, now, event.kind, event.exercise_id, event.detail)
            )

    def _add(self, entry: SessionEvent) -> None:
        self.journal.write(
            f"the session event '{entry.kind.value}'", lambda store: store.insert(entry), entry
        )

    def _now_stands(self, record: SessionRecord) -> SessionRecord:
        self.record = record
        self.journal._sessions[record.uid] = record
        return record

    def change_routine(self, routine_id: str, routine_name: str) -> None:
        record = self._now_stands(
            replace(self.record, routine_id=routine_id, routine_name=routine_name)
        )
        self.journal.write(
            "the session's routine",
            lambda store: store.set_session_routine(self.uid, routine_id, routine_name),
            record,
        )

    def end(self, outcome: SessionOutcome) -> None:
        """Close the session once; an interruption is also an event, so the log says when."""
        if self.outcome is not None:
            return
        self.outcome = outcome
        ended = self.journal.now()
        if outcome is SessionOutcome.INTERRUPTED:
            self._add(SessionEvent(new_uid(), self.uid, ended, EventKind.INTERRUPTED))
        record = self._now_stands(replace(self.record, ended_at=ended, outcome=outcome))
        self.journal.write(
            "the end of the session",
            lambda store: store.end_session(self.uid, ended, outcome),
            record,
        )

    def log_pain(self, score: int, context: PainContext) -> PainLogged:
        return self.journal.log_pain(score, context, session_uid=self.uid)
