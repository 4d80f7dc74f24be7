"""Small wording helpers shared by the screens."""

from __future__ import annotations

from datetime import datetime


def when(moment: datetime, now: datetime) -> str:
    """'today 09:12', 'yesterday 18:00' or 'Mon 16 Nov 09:00', in the moment's own offset."""
    days = (now.date() - moment.astimezone(now.tzinfo).date()).days
    clock = f"{moment:%H:%M}"
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"yesterday {clock}"
    return f"{moment:%a %d %b} {clock}"


def duration(seconds: float) -> str:
    """'45 s', '3 min 20 s', '12 min'."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if rest and minutes < 10 else f"{minutes} min"
