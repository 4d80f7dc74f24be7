"""Safety advice with the numbers of the person's region, and only those.

Content text says {emergency} and {urgent}; these fill them from the region the person chose.
Without a region (not chosen yet, or an id the content doesn't know), the words name no number
at all, rather than a guessed one someone might dial in an emergency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spasm_coach.vocabulary import Level

if TYPE_CHECKING:
    from spasm_coach.content import Card, Content, LevelAdvice, Region

NO_REGION_EMERGENCY = "your local emergency number"
NO_REGION_URGENT = "your doctor, or a local urgent care service"


def region_of(content: Content, region_id: str | None) -> Region | None:
    """The region for a settings value; None when unset or unknown (the coach asks again)."""
    return content.regions.get(region_id) if region_id else None


def numbers(region: Region | None) -> tuple[str, str]:
    """(emergency, same-day help) in words, for the placeholders."""
    if region is None:
        return NO_REGION_EMERGENCY, NO_REGION_URGENT
    return region.emergency, region.urgent


def level_advice(content: Content, level: Level, region: Region | None) -> LevelAdvice:
    return content.levels[level].with_numbers(*numbers(region))


def card(card: Card, region: Region | None) -> Card:
    return card.with_numbers(*numbers(region))


def emergency_line(region: Region | None) -> str:
    """The number, big and plain, for an emergency card: one number only, the region's own (an
    emergency card shows no second number to choose between)."""
    if region is None:
        return "Call your local emergency number now."
    return f"Emergency number: {region.emergency}."


def urgent_line(region: Region | None) -> str:
    emergency, urgent = numbers(region)
    return f"Get medical help today: {urgent}. If it gets worse: {emergency}."
