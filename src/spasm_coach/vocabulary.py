"""The words the log, the exports, the command line and the TUI share, each defined once.

Every value here is stored in the pain log and written to the exports as its string, so the
strings are a file format: add new members, never rename old ones. What a person reads is the
display words beside each (`words` and the like), never the stored string: every face and output
reads them from here.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


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

    @property
    def words(self) -> str:
        """The level in a sentence: 'Red-flag check: soon'."""
        return self.value

    @property
    def mark(self) -> str:
        """The level in a word, louder as it rises, so it never rests on colour: 'URGENT'.
        (What each level means, in the person's words, is the content's: Content.levels.)"""
        return self.value if self is Level.CLEAR else self.value.upper()


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

    @property
    def words(self) -> str:
        """Why the check was asked, in words: 'pain high or rising'."""
        return _REASON_WORDS[self]


_REASON_WORDS = {
    ScreeningReason.BEFORE_SESSION: "before a session",
    ScreeningReason.HIGH_OR_RISING_PAIN: "pain high or rising",
    ScreeningReason.IT_HURT: "a stretch hurt, and the session stopped",
    ScreeningReason.CLI: "on the command line",
}


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
        return _OUTCOME_WORDS[self][0]

    @property
    def explained(self) -> str:
        """The words with what they mean where that isn't plain, for a clinician's table:
        'interrupted (the coach was closed)'."""
        return _OUTCOME_WORDS[self][1]

    @property
    def described(self) -> str:
        """A sentence for a health record: 'Stopped early by the person'."""
        return _OUTCOME_WORDS[self][2]

    @property
    def heading(self) -> str:
        """The heading of the card that ends a session: 'Session stopped because it hurt.'"""
        return _OUTCOME_WORDS[self][3]


_OUTCOME_WORDS = {
    SessionOutcome.FINISHED: (
        "finished",
        "finished",
        "Finished: every exercise done or skipped on purpose",
        "Session finished. Well done.",
    ),
    SessionOutcome.STOPPED: (
        "stopped early",
        "stopped early",
        "Stopped early by the person",
        "Session stopped.",
    ),
    SessionOutcome.STOPPED_HURT: (
        "stopped because it hurt",
        "stopped because it hurt",
        "Stopped because it hurt",
        "Session stopped because it hurt.",
    ),
    SessionOutcome.INTERRUPTED: (
        "interrupted",
        "interrupted (the coach was closed)",
        "Interrupted: the coach was closed before the end",
        "interrupted",
    ),
    SessionOutcome.CANCELLED: ("not started", "not started", "Not started", "not started"),
}
"""Each outcome's words, explained words, description and card heading."""


class SkipReason(StrEnum):
    """The reasons offered when a person skips an exercise. The log keeps the reason's words as
    the event's detail (so these values are the words), and a reason typed or imported is kept
    as it came."""

    IT_HURTS = "It hurts too much"
    """Not a skip at all: the session stops as 'this hurts' does, and nothing is skipped."""
    NO_POSITION = "Can't get into position"
    NOT_TODAY = "Not today"

    @property
    def words(self) -> str:
        return self.value


NO_REASON = "no reason given"
"""How a skip with no reason in the log reads."""


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
    """Heat or ice, as the log and the content files name them."""

    HEAT = "heat"
    ICE = "ice"

    @property
    def words(self) -> str:
        """As it reads in a sentence: 'heat'; `.words.capitalize()` starts one."""
        return self.value

    @property
    def pain_context(self) -> PainContext:
        """The context of a pain score given after this kind's use."""
        return PainContext.AFTER_HEAT if self is ThermalKind.HEAT else PainContext.AFTER_ICE


class ExitCode(IntEnum):
    """The command line's exit codes (README, "Exit codes"): 0 ok, 1 failure, 2 usage error, 3
    nothing due, and the sysexits codes for a log or file that can't be used."""

    OK = 0
    FAILURE = 1
    USAGE = 2
    """What was typed can't be used; one line says why."""
    NOTHING_DUE = 3
    """`remind` found nothing due now (not an error)."""
    DATA_ERROR = 65
    """EX_DATAERR: the log is damaged."""
    NO_INPUT = 66
    """EX_NOINPUT: a command that reads the log found none where it looked."""
    IO_ERROR = 74
    """EX_IOERR: the disk is full, or a file couldn't be written."""
    TEMP_FAIL = 75
    """EX_TEMPFAIL: the log is busy; try again later."""
    NO_PERMISSION = 77
    """EX_NOPERM: the log or its folder can't be opened by this user."""
    CONFIG = 78
    """EX_CONFIG: a log from a newer version that this one can't read."""
    INTERRUPTED = 130
    """Stopped with Ctrl+C (128 + SIGINT)."""


CONDITIONS = ("osteoporosis", "pregnancy", "knee", "wrist")
"""Personal cautions an exercise can be modified or skipped for (asked once, kept in settings)."""
