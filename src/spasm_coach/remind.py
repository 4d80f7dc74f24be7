"""Reminders: what the pain log says is due now, and what comes next.

Pure apart from reading the log; `spasm-coach remind` prints the result for a cron job or a
systemd timer to show. The rules:

- Heat and ice, each kind on its own. Only if that kind was used in the last 24 hours (an
  application started no more than 24 hours before now): no use, no nagging. The next one is due
  when the gap after the last application of that kind ends (heat 1 hour, ice 2 hours, from
  data/thermal.toml; an application not ended yet counts as on for the minutes chosen, see
  thermal.effective_end). Never for a kind blocked by a contraindication the person answered yes
  to, and never before the contraindication questions have been answered at all, or while an
  answer names a contraindication the content doesn't know (thermal.permission: unknown is never
  safe). A reminder
  that would fall more than 24 hours after the last application's start is dropped.
- Stretch sessions: due `Settings.session_every_hours` (4 by default; NHS inform suggests about 3
  times a day) after the start of the last session, whether it finished or not. A session
  'cancelled' before it began doesn't count. No session ever, or none for 3 days: nothing (the
  person hasn't started using sessions, or has stopped). No session reminder on a day with a
  warning sign not yet cleared by a clinician, or after the advice to stop for today
  (gate.today): the person needs help or rest, not stretches.
- Waking hours, 08:00 to 21:00 in `now`'s time zone, for every kind. Nothing is due outside them:
  a reminder falling in the night moves to 08:00 the next morning. This applies to heat and ice
  too, because CLINICAL.md says never to fall asleep with heat or ice on.

A reminder is due now when its time has come, it is waking hours, and nothing newer has replaced
it (a newer application or session moves the time on); otherwise it is upcoming. The times use
`now`'s UTC offset, so across a daylight-saving change a night-time reminder can be an hour out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from spasm_coach.content import Content
from spasm_coach.gate import today
from spasm_coach.log_reader import LogReader
from spasm_coach.settings import Settings
from spasm_coach.thermal import LOOKBACK, Permission, off_at, permission
from spasm_coach.thermal import next_allowed as thermal_next_allowed
from spasm_coach.vocabulary import SessionOutcome, ThermalKind
from spasm_coach.wording import clock_time

WAKING_FROM = time(8, 0)
WAKING_UNTIL = time(21, 0)
"""Reminders are due only from WAKING_FROM until (not at) WAKING_UNTIL, local time."""
SESSION_LAPSE = timedelta(days=3)
"""No session for this long: the person has stopped using them (better, or seeing someone), so
the coach stops asking."""
KIND_ORDER = ("session", *ThermalKind)


@dataclass(frozen=True)
class Reminder:
    kind: str
    """'heat', 'ice' or 'session'."""
    at: datetime
    """When it is (or was) due, in `now`'s time zone."""
    message: str

    def to_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "at": self.at.isoformat(timespec="seconds"),
            "message": self.message,
        }


@dataclass(frozen=True)
class Reminders:
    now: datetime
    due_now: tuple[Reminder, ...]
    upcoming: tuple[Reminder, ...]
    """Soonest first, like due_now."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(timespec="seconds"),
            "due_now": [reminder.to_dict() for reminder in self.due_now],
            "upcoming": [reminder.to_dict() for reminder in self.upcoming],
        }


def is_waking(moment: datetime) -> bool:
    return WAKING_FROM <= moment.time() < WAKING_UNTIL


def next_waking(moment: datetime) -> datetime:
    """`moment` itself in waking hours, else the next WAKING_FROM after it."""
    if is_waking(moment):
        return moment
    morning = datetime.combine(moment.date(), WAKING_FROM, moment.tzinfo)
    return morning if moment < morning else morning + timedelta(days=1)


def reminders(store: LogReader, content: Content, settings: Settings, now: datetime) -> Reminders:
    """What is due at `now` and what comes next, by the rules in this module's docstring."""
    if now.tzinfo is None:
        raise ValueError("now needs a UTC offset")
    found = [_session(store, settings, now)]
    found += [_thermal(store, content, settings, kind, now) for kind in content.thermal]
    due_now, upcoming = [], []
    for reminder in found:
        if reminder is None:
            continue
        if reminder.at <= now:
            due_now.append(reminder)
        else:
            upcoming.append(reminder)

    def order(reminder: Reminder) -> tuple[datetime, int]:
        return reminder.at, KIND_ORDER.index(reminder.kind)

    return Reminders(now, tuple(sorted(due_now, key=order)), tuple(sorted(upcoming, key=order)))


def _when(due: datetime, now: datetime) -> datetime:
    """The reminder's time: its due time moved into waking hours; once that has passed outside
    waking hours (late evening, say), the next waking moment after now."""
    at = next_waking(due.astimezone(now.tzinfo))
    if at <= now and not is_waking(now):
        return next_waking(now)
    return at


def _thermal(
    store: LogReader, content: Content, settings: Settings, kind: str, now: datetime
) -> Reminder | None:
    if permission(content, settings.thermal_contraindications, kind).permission is not (
        Permission.ALLOWED
    ):
        return None
    rule = content.thermal[kind]
    recent_all = list(store.applications(since=now - LOOKBACK))
    recent = [a for a in recent_all if a.kind == kind]
    due = thermal_next_allowed(content.thermal, recent_all) if recent else None
    if due is None:
        return None
    at = _when(due, now)
    if at >= max(a.started_at for a in recent) + LOOKBACK:
        return None
    last_end = max(off_at(a, rule) for a in recent)
    used = f"last used until {clock_time(last_end, now)}"
    # The message names when it is allowed (thermal.off_at's clock, as every view says it);
    # the reminder itself may wait for the morning.
    if at <= now:
        message = f"You can use {rule.name.lower()} again now, if it helps ({used})."
    elif due <= now:
        message = (
            f"{rule.name} can be used again now, if it helps ({used}); no reminder before "
            f"{clock_time(at, now)}."
        )
    else:
        message = (
            f"{rule.name} can be used again from {clock_time(due, now)}, if it helps ({used}; "
            "the gap after heat or ice holds up both)."
        )
    return Reminder(kind, at, message)


def _session(store: LogReader, settings: Settings, now: datetime) -> Reminder | None:
    last = None
    for record in store.sessions():
        if record.outcome is not SessionOutcome.CANCELLED and (
            last is None or record.started_at >= last.started_at
        ):
            last = record
    if last is None or last.started_at < now - SESSION_LAPSE:
        return None
    day = today(store, now)
    if day.blocked or day.stop is not None:
        return None
    at = _when(last.started_at + timedelta(hours=settings.session_every_hours), now)
    started = f"the last one started at {clock_time(last.started_at, now, round_up=False)}"
    if at <= now:
        message = f"Time for a gentle stretch session ({started})."
    else:
        message = f"Next stretch session from {clock_time(at, now)} ({started})."
    return Reminder("session", at, message)
