"""How counts, lengths of time and moments read, the same on every screen and in every command."""

from __future__ import annotations

from datetime import datetime, timedelta


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 score', '3 scores', '2 times'; `many` for words that don't just take an s."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def duration(seconds: float) -> str:
    """A length of time, short: '45 s', '3 min 20 s', '12 min', '1 h 5 min'."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    if minutes < 10 and rest:
        return f"{minutes} min {rest} s"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def duration_words(minutes: int) -> str:
    """A length of time in full words: '1 hour', '2 hours', '1 hour 30 minutes', '45 minutes'."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(plural(hours, "hour"))
    if rest or not hours:
        parts.append(plural(rest, "minute"))
    return " ".join(parts)


def clock_time(moment: datetime, now: datetime, *, round_up: bool = True) -> str:
    """'15:20' in `now`'s time zone, with the day added when it is not `now`'s day ('08:00 on Tue
    24 Nov'). Rounded up to the minute by default, so a time to wait for is never shown early."""
    local = moment.astimezone(now.tzinfo)
    whole = local.replace(second=0, microsecond=0)
    local = whole + timedelta(minutes=1) if round_up and whole != local else whole
    shown = f"{local:%H:%M}"
    if local.date() != now.date():
        shown += f" on {local:%a %d %b}"
    return shown


def when(moment: datetime, now: datetime) -> str:
    """'today 09:12', 'yesterday 18:00' or 'Mon 16 Nov 09:00', in the moment's own offset."""
    days = (now.date() - moment.astimezone(now.tzinfo).date()).days
    clock = f"{moment:%H:%M}"
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"yesterday {clock}"
    return f"{moment:%a %d %b} {clock}"
