"""What today's log allows before a session: which check, and whether anything stands in the way.

Read from the log at one moment (`now`, local time), so the coach and the command line agree:

- A warning sign today (an emergency or urgent outcome, even from a check left part-way) blocks
  sessions until the next day, unless the person then confirms a doctor or nurse has checked them
  and said they can exercise (a safety note). Nothing else lifts it: a later clear check does not.
- "Stop for today" (pain high or rising after a session, or at a re-check) lasts until the next
  day; only the breathing and relaxation routine is offered meanwhile.
- The full check is needed once a day (local date); later that day a quick check is enough,
  asking whether anything is new since that full check. After a warning sign and the
  clinician's all-clear, the next check is the full one: the check that found the sign stopped
  at it, so the other questions were never asked that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from spasm_coach.records import SafetyNote, Screening
from spasm_coach.store import Store
from spasm_coach.vocabulary import CheckKind, NoteKind, SessionOutcome

RECENT_SESSION_DAYS = 7
"""How far back a session makes 'did the exercises make it worse?' a fair question; the flag's
own recent_session_days in data/red_flags.toml, when it has one, wins."""


@dataclass(frozen=True)
class Day:
    """Today, as far as starting a session goes."""

    now: datetime
    warning: Screening | None
    """Today's latest emergency or urgent check, unless a clinician's all-clear came after it."""
    cleared: SafetyNote | None
    """The all-clear after today's latest warning sign, if the person gave one."""
    stop: SafetyNote | None
    """Today's advice to stop stretching, if any."""
    full_check: Screening | None
    """Today's latest finished full check that allows a session."""
    recent_session: bool
    """A session was started in the last RECENT_SESSION_DAYS days."""

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


def start_of_day(now: datetime) -> datetime:
    return datetime.combine(now.date(), time(), now.tzinfo)


def today(store: Store, now: datetime, recent_days: int = RECENT_SESSION_DAYS) -> Day:
    """Today's state from the log: a handful of rows, whatever the log's size."""
    morning = start_of_day(now)
    checks = list(store.screenings(since=morning))
    notes = list(store.safety_notes(since=morning))
    warnings = [check for check in checks if not check.level.allows_exercise]
    warning = warnings[-1] if warnings else None
    cleared = None
    if warning is not None:
        cleared = next(
            (
                note
                for note in reversed(notes)
                if note.kind is NoteKind.CLEARED and note.noted_at >= warning.screened_at
            ),
            None,
        )
        if cleared is not None:
            warning = None
    stops = [note for note in notes if note.kind is NoteKind.STOP_FOR_TODAY]
    fulls = [
        check
        for check in checks
        if check.kind is CheckKind.FULL
        and check.clears_for_exercise
        and (cleared is None or check.screened_at >= cleared.noted_at)
        and (not warnings or check.screened_at > warnings[-1].screened_at)
    ]
    recent = next(
        (
            session
            for session in store.sessions(since=now - timedelta(days=recent_days))
            if session.outcome is not SessionOutcome.CANCELLED
        ),
        None,
    )
    return Day(
        now=now,
        warning=warning,
        cleared=cleared,
        stop=stops[-1] if stops else None,
        full_check=fulls[-1] if fulls else None,
        recent_session=recent is not None,
    )
