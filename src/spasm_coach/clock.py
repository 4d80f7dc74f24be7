"""Time, injected: a monotonic clock for timers and wall time for the log.

Timers use absolute monotonic deadlines, so a slow frame or a pause never stretches a hold. Tests
pass a FakeClock and advance it instead of sleeping.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never jumps; only differences mean anything."""
        ...

    def now(self) -> datetime:
        """The local wall time, with its UTC offset."""
        ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now().astimezone()


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self._wall = start or datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=1)))
        self._mono = 1000.0

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)

    def set_back(self, seconds: float) -> None:
        """The wall clock is put back (by hand, or a bad time sync); time itself goes on."""
        self._wall -= timedelta(seconds=seconds)

    def move_to(self, zone: tzinfo) -> None:
        """The computer moves to another time zone: the same moment, another local time."""
        self._wall = self._wall.astimezone(zone)
