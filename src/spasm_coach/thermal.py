"""Heat and ice: who shouldn't use the timer, when the next application is allowed, and the timer.

Everything here is pure. Wall times (`datetime`, with a UTC offset) decide when heat or ice may be
used again; the timer runs on the caller's monotonic seconds, like session.SessionRunner, with an
absolute deadline so a late heartbeat never lengthens an application.

The rules are CLINICAL.md sections 3 and 7, with the numbers from data/thermal.toml: a hard cap on
every application (minutes asked for beyond it are cut to it), a skin check, and a gap before the
next application of either kind, at the gap of the kind that was on (after heat 1 hour, after ice
2 hours): no heat straight after ice, and no ice straight after heat.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from spasm_coach.answers import Answers, yes_to
from spasm_coach.content import Content, Contraindication, ThermalRule
from spasm_coach.records import Application
from spasm_coach.session import ROUNDING_SLACK
from spasm_coach.wording import clock_time, duration_words

LOOKBACK = timedelta(hours=24)
"""How far back heat and ice uses count: older ones can't hold up the next use (the longest gap
is 2 hours), and heat or ice last used longer ago is not reminded about (remind.py)."""


def blocking_contraindications(
    content: Content, answered_yes: Iterable[str], kind: str
) -> tuple[Contraindication, ...]:
    """The contraindications for `kind` that the person answered yes to, in content order.

    Any one of them means no timer for that kind: the coach advises asking a clinician instead.
    Raynaud's, say, blocks ice and not heat.
    """
    if kind not in content.thermal:
        raise ValueError(f"unknown kind {kind!r} (known: {', '.join(content.thermal)})")
    yes = set(answered_yes)
    return tuple(c for c in content.contraindications if c.id in yes and kind in c.applies_to)


class Permission(StrEnum):
    ALLOWED = "allowed"
    BLOCKED = "blocked"
    """A contraindication applies: no timer; ask a clinician."""
    ASK_FIRST = "ask-first"
    """A question for this kind is not answered yet: ask it. Unknown never means safe."""


@dataclass(frozen=True)
class ThermalPermission:
    permission: Permission
    blocking: tuple[Contraindication, ...] = ()
    """The contraindications that block it, when BLOCKED."""
    to_ask: tuple[Contraindication, ...] = ()
    """The questions for this kind not answered yet, when ASK_FIRST."""


def permission(content: Content, answers: Answers, kind: str) -> ThermalPermission:
    """Whether heat (or ice) may be timed for this person: the one rule every face uses.

    `answers` is the saved answers (Settings.thermal_contraindications), yes or no by id. Any yes
    for the kind blocks it; otherwise every question for the kind must have been answered no. A
    question not answered (never asked, or new in this version of the content) means ask it
    first, never "no".
    """
    blocking = blocking_contraindications(content, yes_to(answers, answers), kind)
    if blocking:
        return ThermalPermission(Permission.BLOCKED, blocking)
    to_ask = tuple(
        item
        for item in content.contraindications
        if kind in item.applies_to and item.id not in answers
    )
    if to_ask:
        return ThermalPermission(Permission.ASK_FIRST, to_ask=to_ask)
    return ThermalPermission(Permission.ALLOWED)


@dataclass(frozen=True)
class Availability:
    available: bool
    available_at: datetime | None
    """When the gap ends, if it hasn't yet; None when available now."""
    reason: str | None
    """Why not yet, in plain words naming the times; None when available now."""


def effective_end(application: Application, rule: ThermalRule) -> datetime:
    """When an application stopped; one not ended yet counts as on for the minutes chosen (its
    timer ends it then, and one left running when the coach stopped is picked up and ended when
    it starts again), never beyond the hard cap."""
    if application.ended_at is not None:
        return application.ended_at
    minutes = min(application.planned_minutes, rule.cap_minutes)
    return application.started_at + timedelta(minutes=minutes)


def off_at(application: Application, rule: ThermalRule) -> datetime:
    """The minute an application is (or was) off by: its end, rounded up to the whole minute.

    The one clock for heat and ice: every view says this minute for "take it off at" and
    "used until", and the next use is allowed from exactly the gap after it, so the times
    shown agree to the minute (and the gap is never cut short by rounding)."""
    end = effective_end(application, rule)
    whole = end.replace(second=0, microsecond=0)
    return whole if whole == end else whole + timedelta(minutes=1)


def _gap_ends(
    rules: Mapping[str, ThermalRule], applications: Iterable[Application]
) -> tuple[Application, datetime, datetime] | None:
    """The application whose gap ends last, the minute it was off by, and when its gap ends:
    each application's gap is its own kind's, and it holds up heat and ice alike."""
    latest = None
    for application in applications:
        rule = rules.get(application.kind)
        if rule is None:
            continue
        until = off_at(application, rule)
        gap_end = until + timedelta(minutes=rule.gap_minutes)
        if latest is None or gap_end > latest[2]:
            latest = (application, until, gap_end)
    return latest


def next_allowed(
    rules: Mapping[str, ThermalRule], applications: Iterable[Application]
) -> datetime | None:
    """When heat or ice may next be used: the end of the latest gap; None with no application."""
    latest = _gap_ends(rules, applications)
    return None if latest is None else latest[2]


def availability(
    rules: Mapping[str, ThermalRule], kind: str, applications: Iterable[Application], now: datetime
) -> Availability:
    """Whether heat (or ice, `kind`) may be used at `now`, given the applications in the log.

    The gap counts from the end of the last application of either kind (see off_at;
    effective_end for one never ended), at the gap of the kind that was on: ice asks 2 hours for
    the skin to come back to normal before heat too, and heat 1 hour before ice (CLINICAL.md
    section 7).
    """
    latest = _gap_ends(rules, applications)
    if latest is None or now >= latest[2]:
        return Availability(True, None, None)
    last, until, available_at = latest
    was = rules[last.kind]
    if last.ended_at is None:
        started = clock_time(last.started_at, now, round_up=False)
        used = (
            f"{was.name} went on at {started} for {duration_words(last.planned_minutes)}, so "
            f"it is off by {clock_time(until, now)}."
        )
    else:
        used = f"{was.name} was used until {clock_time(until, now)}."
    wanted = rules[kind].name.lower() if kind in rules else kind
    other = "" if last.kind == kind else f", {wanted} included"
    reason = (
        f"{used} After {was.name.lower()}, wait {duration_words(was.gap_minutes)} before heat "
        f"or ice{other}, so the next is from {clock_time(available_at, now)}."
    )
    return Availability(False, available_at, reason)


class TimerStatus(StrEnum):
    RUNNING = "running"
    ENDED = "ended"
    """Reached the deadline."""
    STOPPED = "stopped"
    """Stopped by the person before the deadline."""


class ThermalTimer:
    """One application of heat or ice against the caller's monotonic time.

    Events, each returned once: 'skin-check' when the skin check is due (only if that is before the
    end), 'ended' at the deadline, 'stopped-early' when the person stops it first.
    """

    def __init__(
        self, rule: ThermalRule, minutes: int, now: float, *, elapsed: float = 0.0
    ) -> None:
        """`elapsed`: seconds it has already been on (one the coach picks up again after a
        restart); a skin check that fell due meanwhile is announced at the first tick."""
        if minutes < 1:
            raise ValueError(f"an application lasts at least 1 minute, not {minutes}")
        self.rule = rule
        self.minutes = min(minutes, rule.cap_minutes)
        """The length it runs for: what was asked, never past the hard cap."""
        self.started_at = now - max(elapsed, 0.0)
        self.deadline = self.started_at + self.minutes * 60
        skin_check = self.started_at + rule.skin_check_minutes * 60
        self.skin_check_at: float | None = skin_check if skin_check < self.deadline else None
        """None when the application is too short to need one."""
        self.status = TimerStatus.RUNNING
        self.stopped_early = False
        self.ended_at: float | None = None
        """The deadline, or the moment it was stopped; None while running."""
        self._skin_check_due = self.skin_check_at
        """The skin check still to announce; None once announced or no longer needed."""

    def tick(self, now: float) -> list[str]:
        """Events that have come due by `now`; a late tick still ends at the deadline.

        A tick that arrives after the deadline (the computer slept, say) returns only 'ended': a
        skin check announced as the application ends would be stale, and the end is the moment to
        take it off and look at the skin anyway.
        """
        if self.status is not TimerStatus.RUNNING:
            return []
        if now >= self.deadline:
            self._skin_check_due = None
            self.status, self.ended_at = TimerStatus.ENDED, self.deadline
            return ["ended"]
        if self._skin_check_due is not None and now >= self._skin_check_due:
            self._skin_check_due = None
            return ["skin-check"]
        return []

    def stop(self, now: float) -> list[str]:
        """Stop before the deadline; at or past it, the application simply ended."""
        if self.status is not TimerStatus.RUNNING:
            return []
        if now >= self.deadline:
            self.status, self.ended_at = TimerStatus.ENDED, self.deadline
            return ["ended"]
        self.status, self.ended_at, self.stopped_early = TimerStatus.STOPPED, now, True
        return ["stopped-early"]

    def remaining(self, now: float) -> int:
        """Whole seconds left, rounded up, never below 0; frozen once stopped, 0 once ended."""
        until = now if self.ended_at is None else self.ended_at
        return max(math.ceil(self.deadline - until - ROUNDING_SLACK), 0)
