"""Pain-score rules from the clinical reference: valid range, change that matters, re-screening."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MIN_SCORE, MAX_SCORE = 0, 10
RESCREEN_AT = 8
"""A score this high asks the red-flag questions again."""
RESCREEN_RISE = 2
"""A rise of this many points since the previous score asks them again."""
MEANINGFUL_POINTS = 2
MEANINGFUL_FRACTION = 0.30
"""A change is meaningful at 2 points and 30% together (OSTELO-2008, FARRAR-2001)."""

GENTLE_FROM = 7
"""A score this high before a session offers the gentle routine first."""


def check_score(score: int) -> int:
    if isinstance(score, bool) or not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"a pain score is a whole number from {MIN_SCORE} to {MAX_SCORE}")
    return score


def parse_score(text: str) -> int:
    """A score typed by the person: '7' or ' 7 '; ValueError says what a score is."""
    value = text.strip()
    if not value.isascii() or not value.isdigit() or not MIN_SCORE <= int(value) <= MAX_SCORE:
        raise ValueError(
            f"a pain score is a whole number from {MIN_SCORE} to {MAX_SCORE}, not {text!r}"
        )
    return int(value)


def needs_rescreen(score: int, previous: int | None) -> bool:
    return score >= RESCREEN_AT or (previous is not None and score - previous >= RESCREEN_RISE)


@dataclass(frozen=True)
class Change:
    first: int
    last: int

    @property
    def points(self) -> int:
        return self.last - self.first

    @property
    def meaningful(self) -> bool:
        if abs(self.points) < MEANINGFUL_POINTS:
            return False
        if self.first == 0:
            return True
        return abs(self.points) / self.first >= MEANINGFUL_FRACTION

    @property
    def big_rise(self) -> bool:
        """A rise of RESCREEN_RISE or more: never a small change, whatever the percentage (it
        asks the red-flag questions again)."""
        return self.points >= RESCREEN_RISE

    def describe(self) -> str:
        """The change in words: the one wording every face uses (summary, history, report and
        the command line). A rise of 2 or more is never called small (CLINICAL.md section 7)."""
        if self.points == 0:
            return f"no change ({self.first} to {self.last})"
        direction = "better" if self.points < 0 else "worse"
        if self.meaningful:
            size = "a meaningful change"
        elif self.big_rise:
            size = f"a rise of {RESCREEN_RISE} or more, to take seriously"
        else:
            size = "a small change, within day-to-day ups and downs"
        points = f"{abs(self.points)} point{'s' if abs(self.points) != 1 else ''}"
        return f"{points} {direction} ({self.first} to {self.last}): {size}"


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(scores: Sequence[int], width: int = 40) -> str:
    """Scores 0-10 as block characters (0 stays visible); keeps the most recent `width` values."""
    recent = list(scores)[-width:] if width > 0 else []  # [-0:] would keep every score
    return "".join(SPARK[round(score * (len(SPARK) - 1) / MAX_SCORE)] for score in recent)


BANDS = ((0, "none"), (3, "mild"), (6, "moderate"), (9, "severe"), (10, "worst"))
"""Display bands by their highest score: 0 none, 1-3 mild, 4-6 moderate, 7-9 severe, 10 worst."""


def band(score: int) -> str:
    return next(name for high, name in BANDS if score <= high)
