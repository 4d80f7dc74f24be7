"""The words the log, the exports, the command line and the TUI share, each defined once.

Every value here is stored in the pain log and written to the exports as its string, so the
strings are a file format: add new members, never rename old ones.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """Red-flag outcome levels, in rising order of concern."""

    CLEAR = "clear"
    SOON = "soon"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return list(Level).index(self)

    @property
    def allows_exercise(self) -> bool:
        return self in (Level.CLEAR, Level.SOON)


class CheckKind(StrEnum):
    """How much of the red-flag check was asked."""

    FULL = "full"
    """Every question that fits the moment; needed once a day."""
    QUICK = "quick"
    """The emergency signs as one list, and whether anything else is new or worse."""


class ScreeningReason(StrEnum):
    """Why a red-flag check was asked."""

    BEFORE_SESSION = "before-session"
    HIGH_OR_RISING_PAIN = "high-or-rising-pain"
    """A score of 8 or more, or a rise of 2 or more."""
    IT_HURT = "it-hurt"
    """The person stopped a session with 'this hurts'."""
    CLI = "cli"
    """`spasm-coach screen` on the command line."""


class QuickAnswer(StrEnum):
    """The two questions of a quick check, as the log records their answers."""

    EMERGENCY_SIGNS = "emergency_signs_now"
    """'Do you have any of these now?' over the emergency signs listed together."""
    ANYTHING_NEW = "anything_new"
    """'Is anything else new or worse since your check at ...?'"""


class NoteKind(StrEnum):
    """Safety notes that change what the rest of the day allows."""

    STOP_FOR_TODAY = "stop-for-today"
    """The coach advised stopping stretching for today (pain high or rising)."""
    CLEARED = "cleared-by-clinician"
    """The person confirmed a doctor or nurse checked them after a warning sign today and said
    they can exercise."""


class PainContext(StrEnum):
    """When a pain score was given."""

    CHECK_IN = "check-in"
    BEFORE_SESSION = "before-session"
    AFTER_SESSION = "after-session"
    DURING_SESSION = "during-session"
    """Given when a stretch hurt and the session stopped."""
    AFTER_EXERCISE = "after-exercise"
    AFTER_HEAT = "after-heat"
    AFTER_ICE = "after-ice"


class SessionOutcome(StrEnum):
    """How a session ended. A session with no outcome in the log was cut off (a killed
    terminal), and reads as INTERRUPTED."""

    FINISHED = "finished"
    STOPPED = "stopped"
    STOPPED_HURT = "stopped-hurt"
    """Stopped with 'this hurts'."""
    INTERRUPTED = "interrupted"
    """The coach closed mid-session."""
    CANCELLED = "cancelled"
    """Left before the first stretch (at the pain score or a choice on the way in)."""

    @property
    def words(self) -> str:
        """How the outcome reads in a sentence: 'Standard, stopped because it hurt'."""
        return {
            SessionOutcome.FINISHED: "finished",
            SessionOutcome.STOPPED: "stopped early",
            SessionOutcome.STOPPED_HURT: "stopped because it hurt",
            SessionOutcome.INTERRUPTED: "interrupted",
            SessionOutcome.CANCELLED: "not started",
        }[self]


class EventKind(StrEnum):
    """What happened during a session, as the log records it."""

    EXERCISE_STARTED = "exercise-started"
    EXERCISE_DONE = "exercise-done"
    EXERCISE_SKIPPED = "exercise-skipped"
    """Its detail is the reason the person gave."""
    PAUSED = "paused"
    RESUMED = "resumed"
    FINISHED = "finished"
    STOPPED = "stopped"
    STOPPED_HURT = "stopped-hurt"
    INTERRUPTED = "interrupted"


class PlanMove(StrEnum):
    """A change in the person's plan, as the log records it (see plans.py and journey.py)."""

    START = "start"
    """The plan began at its first stage (installed or chosen)."""
    MOVE_ON = "move-on"
    """To the next stage: its rule was met and the person chose to move on."""
    STEP_BACK = "step-back"
    """To the stage before (or the start of the first stage): by itself after "it hurt" or a
    rise of 2, or chosen by the person."""
    STAY = "stay"
    """A move was offered and the person chose to stay where they are."""


class ThermalKind(StrEnum):
    HEAT = "heat"
    ICE = "ice"


CONDITIONS = ("osteoporosis", "pregnancy", "knee", "wrist")
"""Personal cautions an exercise can be modified or skipped for (asked once, kept in settings)."""
