"""Dates typed on the command line: ISO dates and times, and short relative forms; and what
"the last 7 days" means on every face.

`today`, `yesterday`, `now`, and `7d`, `2w`, `12h`, `30m` (optionally followed by `ago`) are read
against an injected `now`. A date or time without an offset is local time, with the offset in
force on that day (so a summer entry logged in winter keeps its summer offset). A bare date is
local midnight; as the end of a range it means the end of
that day, so `--until 2026-11-20` includes the 20th. As the start of a range, `7d` (and `2w`)
are whole days, as history, its export and the report count them: see `days_back`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

_RELATIVE = re.compile(r"^(\d{1,4})\s*([mhdw])(?:\s+ago)?$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
EXAMPLES = "e.g. 2026-11-20, 2026-11-20T08:30, today, yesterday, 7d, 12h"


EARLIEST, LATEST = date(1970, 1, 1), date(2199, 12, 31)
"""Dates outside this range are typing mistakes (and some can't be compared in UTC at all)."""
FUTURE_GRACE = timedelta(minutes=1)
"""How far past now an entry may be dated (clocks a moment apart); anything later is refused."""


def days_back(days: int, now: datetime) -> datetime:
    """The start of the last `days` whole local days, today included: midnight `days - 1` days
    before today, in `now`'s offset. "The last 7 days" means this everywhere: history, its
    export, the report and `--since 7d`, so a period never leaves out the morning of the first
    day it names."""
    if days < 1:
        raise ValueError(f"a period is at least 1 day, not {days}")
    return datetime.combine(now.date() - timedelta(days=days - 1), time(), now.tzinfo)


def parse_when(
    text: str, now: datetime, *, end_of_day: bool = False, whole_days: bool = False
) -> datetime:
    """A moment with a UTC offset; ValueError with the accepted forms when it can't be read.

    `whole_days`: the start of a range, where `7d` and `2w` are whole local days (days_back)."""
    try:
        moment = _parse_when(text, now, end_of_day, whole_days)
        # The end of a range is the first moment after it, so the day named is the one before:
        # `--until 2199-12-31` is in range although it ends on 2200-01-01.
        named = (moment - timedelta(microseconds=1) if end_of_day else moment).date()
    except OverflowError:
        named = None
    if named is None or not EARLIEST <= named <= LATEST:
        raise ValueError(f"{text!r} is not a date between {EARLIEST.year} and {LATEST.year}")
    return moment


def _parse_when(text: str, now: datetime, end_of_day: bool, whole_days: bool) -> datetime:
    value = text.strip().lower()
    day: date | None = None
    if value == "now":
        return now
    if value in ("today", "yesterday"):
        day = now.date() - timedelta(days=value == "yesterday")
    elif match := _RELATIVE.match(value):
        amount, unit = int(match[1]), _UNITS[match[2]]
        if whole_days and amount and unit in ("days", "weeks"):
            return days_back(amount * (7 if unit == "weeks" else 1), now)
        return now - timedelta(**{unit: amount})  # at most 9999 weeks back: always in range
    else:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            try:
                moment = datetime.fromisoformat(text.strip())
            except ValueError:
                raise ValueError(f"can't read the date {text!r} ({EXAMPLES})") from None
            return moment if moment.tzinfo else _local(moment)
    if end_of_day:
        day += timedelta(days=1)
    return _local(datetime.combine(day, time()))


def _local(moment: datetime) -> datetime:
    """`moment` in local time; OverflowError at the ends of the calendar (year 1, year 9999),
    where the local offset would carry it out of range."""
    try:
        return moment.astimezone()
    except ValueError:  # "year 0 is out of range", from the standard library
        raise OverflowError(moment) from None


def parse_moment(text: str, now: datetime) -> datetime:
    """An exact moment (for `log --at`): a time of day is needed, and it can't be in the future."""
    value = text.strip().lower()
    if value in ("today", "yesterday"):
        raise ValueError(f"{text!r} is a day, not a moment; give a time too, e.g. 2026-11-20T08:30")
    try:
        date.fromisoformat(value)
    except ValueError:
        pass
    else:
        raise ValueError(f"{text!r} is a day, not a moment; give a time too, e.g. {value}T08:30")
    moment = parse_when(text, now)
    if moment > now + FUTURE_GRACE:
        raise ValueError(f"{text!r} is in the future")
    return moment
