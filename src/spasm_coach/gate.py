"""What the log allows before a session, and the one door every face reports through.

`today` reads the log at one moment (`now`), so the coach, the command line and clinic mode
agree. Times are compared as elapsed time (in UTC), never by the local date, so midnight, a new
time zone or a clock put back never lift anything:

- **A warning sign stands until it is cleared.** An emergency or urgent outcome (even from a
  check left part-way) stands until the person records that a doctor or nurse has checked them
  since and said they can exercise (a safety note naming it). The highest level stands
  (emergency over urgent over a later result); a later clear check does not lift it.
- **The next full check asks "since your warning at 23:55"**, not about anything "new": a sign
  reported last night and still there must not be answered no for not being new.
- **Stop for today** (pain high or rising, or the exercises made it worse) lasts to the end of
  the day it was given, in that day's own time zone; only breathing and relaxation meanwhile.
- **The full check vouches for the rest of its own day**; later that day a quick check is
  enough, asking whether anything is new since it. After a warning or an all-clear the next
  check is the full one: the check that found the sign stopped at it.
- **Getting stronger waits**: never with a warning standing or stretching stopped, and never on
  the day of a session stopped because it hurt or the two days after.

`feed` is the door every face reports through: a pain score and a finished check go in, and it
writes the advice to stop stretching for today when they call for it and says what to tell the
person. The coach, `spasm-coach log` and `spasm-coach screen` all use it, so they agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from spasm_coach.log_reader import LogReader
from spasm_coach.records import SafetyNote, Screening, SessionRecord
from spasm_coach.store import StoreError
from spasm_coach.vocabulary import CheckKind, NoteKind, PainContext, SessionOutcome

if TYPE_CHECKING:
    from spasm_coach.journal import Journal, PainLogged

RECENT_SESSION_DAYS = 7
"""How far back a session makes 'did the exercises make it worse?' a fair question; the flag's
own recent_session_days in data/red_flags.toml, when it has one, wins."""
DAYS_AFTER_HURT = 2
"""A session stopped because it hurt holds back harder work that day and this many days after."""
LOOKBACK = timedelta(days=DAYS_AFTER_HURT + 2)
"""How far back a day's own records (a stop, a full check, a session that hurt) can matter, with
room for a clock put back or a time zone a day ahead."""
EXERCISES_MADE_WORSE = "exercise_made_worse"
"""The red flag whose yes ends stretching for the day (relaxation only)."""

STOP_TITLE = "Stretching is done for today."
STOP_ADVICE = (
    "More stretching today could make the spasm worse. Rest in a comfortable position, use "
    "gentle heat if it helps, and keep moving gently through the day. Get advice if it doesn't "
    "settle, or sooner if a warning sign appears."
)
RELAXING_STILL_HELPS = "Breathing and relaxing is still good for you: it can ease the spasm."


def since_warning_words(at: str) -> str:
    """What the full check after a warning asks the person to count: what they have now."""
    return (
        f"Since your warning at {at}: answer yes to any sign you have now, even if it is not new."
    )


def start_of_day(now: datetime) -> datetime:
    """The midnight that began `now`'s day, in `now`'s time zone (what 'today' counts from on
    home and in the plan: sessions done today, an offer declined today)."""
    return datetime.combine(now.date(), time(), now.tzinfo)


def end_of_its_day(moment: datetime) -> datetime:
    """Midnight after `moment`, in `moment`'s own time zone: the end of the day it happened."""
    return datetime.combine(moment.date(), time(), moment.tzinfo) + timedelta(days=1)


def of_today(moment: datetime, now: datetime) -> bool:
    """`moment`'s day has not ended by `now` (elapsed time: a clock put back keeps it)."""
    return now < end_of_its_day(moment)


@dataclass(frozen=True)
class Day:
    """What the log allows at `now`, as far as starting a session goes."""

    now: datetime
    warning: Screening | None
    """The warning standing: the highest level not yet cleared (the earliest of that level)."""
    standing: tuple[Screening, ...]
    """Every warning not yet cleared, oldest first."""
    cleared: SafetyNote | None
    """The latest all-clear the person recorded, if any."""
    since_warning: Screening | None
    """The earliest warning no finished full check has come after: the next full check asks
    about anything since it, not about anything new."""
    stop: SafetyNote | None
    """Today's advice to stop stretching, if any."""
    full_check: Screening | None
    """Today's latest finished full check that allows a session, after any warning."""
    recent_session: bool
    """A session was started in the last RECENT_SESSION_DAYS days."""
    hurt: SessionRecord | None
    """A session stopped because it hurt, today or in the DAYS_AFTER_HURT days before."""
    answered_today: Mapping[str, bool] = field(default_factory=dict)
    """The answers given in today's full checks, the latest winning: a once-a-day sign is
    not asked again the same day."""

    @property
    def blocked(self) -> bool:
        return self.warning is not None

    @property
    def check_needed(self) -> CheckKind:
        """Quick when a finished full check today vouches for the day."""
        return CheckKind.QUICK if self.since is not None else CheckKind.FULL

    @property
    def since(self) -> datetime | None:
        """The moment a quick check asks 'anything new since ...?' about."""
        return None if self.full_check is None else self.full_check.screened_at


def _latest(records: list[SafetyNote]) -> SafetyNote | None:
    return max(records, key=lambda note: note.noted_at, default=None)


def today(store: LogReader, now: datetime, recent_days: int = RECENT_SESSION_DAYS) -> Day:
    """What the log allows at `now`: a handful of rows, whatever the log's size."""
    from spasm_coach.triage import answered_in  # the content, only for a day's state

    warnings = list(store.warnings())
    clearances = list(store.safety_notes(kind=NoteKind.CLEARED))
    named = {note.screening_uid for note in clearances}
    cleared = _latest(clearances)
    standing = tuple(
        warning
        for warning in warnings
        if warning.uid not in named
        and not any(note.noted_at >= warning.screened_at for note in clearances)
    )
    worst = min(
        standing,
        key=lambda warning: (-warning.level.rank, warning.screened_at),
        default=None,
    )
    last_full = store.last_full_check()
    not_followed = [
        warning
        for warning in warnings
        if last_full is None or warning.screened_at >= last_full.screened_at
    ]
    since_warning = min(not_followed, key=lambda w: w.screened_at, default=None)

    recent = now - LOOKBACK
    stops = [
        note
        for note in store.safety_notes(since=recent, kind=NoteKind.STOP_FOR_TODAY)
        if of_today(note.noted_at, now)
    ]
    last_warning = max((warning.screened_at for warning in warnings), default=None)
    lately = list(store.screenings(since=recent))
    fulls = [
        check
        for check in lately
        if check.kind is CheckKind.FULL
        and check.clears_for_exercise
        and of_today(check.screened_at, now)
        and (last_warning is None or check.screened_at > last_warning)
        and (cleared is None or check.screened_at >= cleared.noted_at)
    ]
    sessions = [
        session
        for session in store.sessions(since=min(recent, now - timedelta(days=recent_days)))
        if session.outcome is not SessionOutcome.CANCELLED
    ]
    hurt = [
        session
        for session in sessions
        if session.outcome is SessionOutcome.STOPPED_HURT
        and now < end_of_its_day(session.started_at) + timedelta(days=DAYS_AFTER_HURT)
    ]
    return Day(
        now=now,
        warning=worst,
        standing=standing,
        cleared=cleared,
        since_warning=since_warning,
        stop=_latest(stops),
        full_check=max(fulls, key=lambda check: check.screened_at, default=None),
        recent_session=any(
            session.started_at >= now - timedelta(days=recent_days) for session in sessions
        ),
        hurt=max(hurt, key=lambda session: session.started_at, default=None),
        answered_today=answered_in(check for check in lately if of_today(check.screened_at, now)),
    )


# --- the one door -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Advice:
    """What follows from a pain score or a check, for the face to show or print."""

    stop: SafetyNote | None = None
    """The advice to stop stretching for today, written now; None when nothing changed."""
    recheck: bool = False
    """The red-flag questions should be asked again now (pain 8+, or a rise of 2+)."""

    @property
    def lines(self) -> tuple[str, ...]:
        """The advice in words, the same in the coach and on the command line."""
        if self.stop is None:
            return ()
        reason = self.stop.detail or "your pain was high or rising"
        return (f"{STOP_TITLE} {reason[0].upper()}{reason[1:]}.", STOP_ADVICE)


PAIN_WHEN = {
    PainContext.AFTER_SESSION: " after the session",
    PainContext.DURING_SESSION: " when the stretch hurt",
    PainContext.AFTER_EXERCISE: " after the exercise",
    PainContext.AFTER_HEAT: " after the heat",
    PainContext.AFTER_ICE: " after the ice",
}


def feed(
    journal: Journal,
    *,
    pain: PainLogged | None = None,
    check: Screening | None = None,
    screening_uid: str | None = None,
) -> Advice:
    """Record what a pain score or a check means for the rest of the day, and say it.

    - A score of 8 or more, or a rise of 2 or more: stop stretching for today (relaxation
      only), and ask the red-flag questions again.
    - A yes to "did the exercises make it worse?": stop stretching for today, and ask a
      physiotherapist before the same routine again.
    """
    if pain is not None and pain.rescreen and of_today(pain.entry.recorded_at, journal.now()):
        entry = pain.entry
        before = "" if pain.previous is None else f" ({pain.previous}/10 before)"
        detail = f"your pain was {entry.score}/10{PAIN_WHEN.get(entry.context, '')}{before}"
        note = journal.note(NoteKind.STOP_FOR_TODAY, detail, screening_uid)
        return Advice(note, recheck=True)
    if check is not None and check.answers.get(EXERCISES_MADE_WORSE) is True:
        detail = (
            "you said the exercises made it worse: ask a physiotherapist before you do "
            f"{_last_routine(journal.store)} again"
        )
        return Advice(journal.note(NoteKind.STOP_FOR_TODAY, detail, check.uid))
    return Advice()


def _last_routine(store: LogReader) -> str:
    """The routine the person did last, by name, for the advice after it made things worse."""
    try:
        last = store.last_session()
    except StoreError:
        last = None
    return "that routine" if last is None else last.routine_name
