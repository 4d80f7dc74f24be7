"""A month of a believable log, for rendering the clinic report (the `month_log` fixture)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from tests.factory import add_application, add_event, add_pain, add_screening, add_session

from spasm_coach.content import Content
from spasm_coach.store import Store
from spasm_coach.vocabulary import (
    EventKind,
    Level,
    PainContext,
    ScreeningReason,
    SessionOutcome,
    ThermalKind,
)

UK_WINTER = timezone(timedelta(0))
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UK_WINTER)
DAYS = 30
NO_FLAGS: tuple[str, ...] = ()


def seed_month(store: Store, content: Content, now: datetime = NOW, days: int = DAYS) -> None:
    """Sessions most days (pain easing over the month), a skip, a session stopped because it
    hurt, one not started, one the coach never closed, heat, a 'see someone soon' check and a
    few notes."""
    rng = random.Random(7)
    all_no = {flag.id: False for flag in content.flags}
    start = (now - timedelta(days=days)).replace(hour=0, minute=0)
    for day in range(days):
        morning = start + timedelta(days=day, hours=8)
        baseline = 7 - 4 * day / days
        add_pain(store, round(baseline + rng.uniform(-1, 1)), morning, PainContext.CHECK_IN)
        sessions_today = rng.choice((0, 1, 2, 2, 3, 3)) if day else 1
        for number in range(sessions_today):
            begin = morning + timedelta(hours=1 + 4 * number, minutes=rng.randint(0, 40))
            level, flags, answers = Level.CLEAR, NO_FLAGS, all_no
            if day == 16 and number == 0:
                level, flags = Level.SOON, ("not_improving", "struggling_to_cope")
                answers = {**all_no, **dict.fromkeys(flags, True)}
            screening = add_screening(
                store, level, flags, answers, begin, ScreeningReason.BEFORE_SESSION
            )
            session = add_session(
                store, "standard", "Standard: daily routine", begin, screening.uid
            )
            before = min(10, max(0, round(baseline + rng.uniform(0, 1.5))))
            add_pain(
                store,
                before,
                begin + timedelta(minutes=1),
                PainContext.BEFORE_SESSION,
                session_uid=session.uid,
            )
            at = begin + timedelta(minutes=2)
            outcome = SessionOutcome.FINISHED
            for step in content.routines["standard"].steps:
                exercise = step.exercise.id
                add_event(store, session.uid, at, EventKind.EXERCISE_STARTED, exercise)
                at += timedelta(seconds=step.dose.total_seconds)
                if day == 9 and exercise == "cobra":
                    add_event(
                        store,
                        session.uid,
                        at,
                        EventKind.EXERCISE_SKIPPED,
                        exercise,
                        "It hurts too much",
                    )
                    continue
                if day == 21 and number == 1 and exercise == "cat_cow":
                    add_event(store, session.uid, at, EventKind.STOPPED_HURT, exercise)
                    outcome = SessionOutcome.STOPPED_HURT
                    break
                add_event(store, session.uid, at, EventKind.EXERCISE_DONE, exercise)
            if outcome == "finished":
                add_event(store, session.uid, at, EventKind.FINISHED)
            store.end_session(session.uid, at, outcome)
            after = max(0, before - rng.choice((0, 1, 2, 2)))
            if outcome == "stopped-hurt":
                after = before + 1
            add_pain(
                store,
                after,
                at + timedelta(minutes=1),
                PainContext.AFTER_SESSION,
                session_uid=session.uid,
            )
        if day % 3 == 1:
            heat = add_application(store, ThermalKind.HEAT, morning + timedelta(hours=11), 15)
            early = day == 4
            store.end_application(
                heat.uid, heat.started_at + timedelta(minutes=9 if early else 15), early
            )
            add_pain(
                store,
                round(baseline - 1),
                heat.started_at + timedelta(minutes=16),
                PainContext.AFTER_HEAT,
            )
    not_started = add_session(
        store, "standard", "Standard: daily routine", start + timedelta(days=12, hours=19), None
    )
    store.end_session(
        not_started.uid, not_started.started_at + timedelta(minutes=1), SessionOutcome.CANCELLED
    )
    add_session(
        store, "standard", "Standard: daily routine", start + timedelta(days=25, hours=19), None
    )
    notes = {
        3: "Stiff after sitting at work all day.",
        9: "Cobra too sore today, skipped it.",
        16: "Worried it is not getting better <b>at all</b>.",
        22: "Walked to the shops & back; fine.",
        27: "Much looser this week.",
    }
    for day, note in notes.items():
        add_pain(
            store,
            rng.randint(2, 5),
            start + timedelta(days=day, hours=20),
            PainContext.CHECK_IN,
            note,
        )


@dataclass(frozen=True)
class Month:
    store: Store
    since: datetime
    until: datetime
    now: datetime
