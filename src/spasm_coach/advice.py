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
    from spasm_coach.records import Screening

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


IF_YOU_DO = {
    Level.EMERGENCY: "call {emergency} or go to A&E / the emergency department now",
    Level.URGENT: "get seen today: {urgent}",
    Level.SOON: "book a check-up with your GP or a physiotherapist within the next few days",
}
"""What to do about a sign the person answered yes to and then changed to no, by its level."""


def changed_answers(content: Content, screening: Screening, region: Region | None) -> list[str]:
    """A line for each yes changed to no in the check, saying what to do if it was right."""
    emergency, urgent = numbers(region)
    lines = []
    for change in screening.changes:
        flag = content.flags_by_id.get(change.id)
        if flag is None or not change.was or change.now or flag.level not in IF_YOU_DO:
            continue
        about = flag.short[:1].lower() + flag.short[1:]
        help_now = IF_YOU_DO[flag.level].format(emergency=emergency, urgent=urgent)
        lines.append(
            f"You changed your answer about {about} from yes to no. If you do have it, {help_now}."
        )
    return lines
