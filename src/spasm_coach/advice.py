"""Safety advice in the words of the person's region, and only those; what each sign calls for.

Content text says {emergency}, {emergency_place}, {doctor} and {urgent}; these fill them from the
region the person chose. Without a region (not chosen yet, or an id the content doesn't know),
the words name no number and no service at all, rather than a guessed one someone might dial in
an emergency.

What to do depends on the sign, not only its level (CLINICAL.md section 7): chest pain, a burst
aneurysm, sepsis and major trauma need an ambulance; the cauda-equina signs need A&E now; the
pregnancy warning signs need the maternity unit. `outcome_advice` is the one place that works it
out, for every card, `spasm-coach screen`, the report and the FHIR export.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spasm_coach.vocabulary import Level, QuickAnswer

if TYPE_CHECKING:
    from spasm_coach.content import Action, Card, Content, LevelAdvice, Region

NO_REGION_WORDS = {
    "emergency": "your local emergency number",
    "emergency_place": "the emergency department",
    "doctor": "your doctor",
    "urgent": "your doctor, or a local same-day health service",
}
"""The words for a person with no region chosen: no number, no service name."""
NO_REGION_EMERGENCY = NO_REGION_WORDS["emergency"]
NO_REGION_URGENT = NO_REGION_WORDS["urgent"]


def region_of(content: Content, region_id: str | None) -> Region | None:
    """The region for a settings value; None when unset or unknown (the coach asks again)."""
    return content.regions.get(region_id) if region_id else None


def words(region: Region | None) -> Mapping[str, str]:
    """The region's words for the placeholders; neutral ones with no region."""
    return NO_REGION_WORDS if region is None else region.words


def level_advice(content: Content, level: Level, region: Region | None) -> LevelAdvice:
    return content.levels[level].with_words(words(region))


def card(card: Card, region: Region | None) -> Card:
    return card.with_words(words(region))


def emergency_line(region: Region | None) -> str:
    """The number, big and plain, for an emergency card: one number only, the region's own (an
    emergency card shows no second number to choose between)."""
    if region is None:
        return "Call your local emergency number now."
    return f"Emergency number: {region.emergency}."


def urgent_line(region: Region | None) -> str:
    chosen = words(region)
    return f"Get medical help today: {chosen['urgent']}. If it gets worse: {chosen['emergency']}."


def where_line(region: Region | None) -> str:
    """The region's numbers on one line, for a handout or a report."""
    if region is None:
        return f"Emergency: call {NO_REGION_EMERGENCY}. Same-day help: {NO_REGION_URGENT}."
    return (
        f"Your numbers ({region.name}): emergency {region.emergency}; "
        f"same-day help: {region.urgent}."
    )


@dataclass(frozen=True)
class SignGroup:
    """Signs that call for the same action, in words."""

    signs: tuple[str, ...]
    """Each sign as the person answered it (the question, or its short phrase in a list)."""
    action: str
    """What to do, in a few words: the action's title, or the level's."""
    action_id: str | None = None
    """The Action's id; None when the signs take their level's advice."""


@dataclass(frozen=True)
class OutcomeAdvice:
    """What a check's outcome tells the person, in their region's words."""

    level: Level
    title: str
    """The headline: the leading sign's action ('Call 999 for an ambulance now'), or the
    level's title when no sign calls for its own."""
    lines: tuple[str, ...]
    """What to do, in order."""
    big: str | None
    """Shown first, in block letters ('CALL 999'), for an ambulance."""
    action_id: str | None
    """The leading action's id ('ambulance'); None for the level's own advice."""
    groups: tuple[SignGroup, ...]
    """Every yes, grouped by what it calls for, the most urgent first."""

    @property
    def action(self) -> str:
        """The advice as one paragraph (`spasm-coach screen --json`'s "action")."""
        return " ".join(self.lines)

    @property
    def heading(self) -> str:
        """The card's first line in words: the level, then what to do ('Emergency: Call 999
        for an ambulance now'), so the level never rests on colour."""
        if self.action_id is None:
            return self.title
        return f"{self.level.value.capitalize()}: {self.title}"


def _action_of(content: Content, flag_id: str, level: Level) -> Action | None:
    flag = content.flags_by_id.get(flag_id)
    if flag is None or flag.action is None or flag.level is not level:
        return None
    return content.actions[flag.action]


def _priority(content: Content, action_id: str | None) -> int:
    order = list(content.actions)
    return order.index(action_id) if action_id in order else len(order)


def outcome_advice(
    content: Content, level: Level, flags: Iterable[str], region: Region | None
) -> OutcomeAdvice:
    """What to do for a check that found `level`, with `flags` answered yes.

    The headline is the action of the most urgent sign at that level (the actions' order in
    red_flags.toml); with none, the level's own advice. A quick check's yes ('any of these
    now?') lists each group of signs with what it calls for, the ambulance first.
    """
    filled = words(region)
    yes = list(flags)
    level_words = content.levels[level].with_words(filled)
    groups: dict[str | None, list[str]] = {}
    for flag_id in yes:
        if flag_id == QuickAnswer.EMERGENCY_SIGNS.value:
            for sign in content.quick_check.signs:
                action = _action_of(content, sign, Level.EMERGENCY)
                groups.setdefault(action.id if action else None, []).append(
                    content.flags_by_id[sign].short
                )
            continue
        flag = content.flags_by_id.get(flag_id)
        if flag is None:
            continue
        action = content.actions.get(flag.action or "")
        groups.setdefault(action.id if action else f"level:{flag.level}", []).append(flag.question)
    leading = min(
        (
            content.actions[flag.action]
            for flag_id in yes
            if (flag := content.flags_by_id.get(flag_id)) is not None
            and flag.action is not None
            and flag.level is level
        ),
        key=lambda action: _priority(content, action.id),
        default=None,
    )
    ordered = sorted(groups.items(), key=lambda item: _group_rank(content, item[0]))
    sign_groups = _merged(content, ordered, filled)
    if leading is None:
        quick = QuickAnswer.EMERGENCY_SIGNS.value in yes
        big = _quick_big(content, filled) if quick else None
        return OutcomeAdvice(
            level, level_words.title, (level_words.action,), big, None, sign_groups
        )
    action = leading.with_words(filled)
    return OutcomeAdvice(level, action.title, action.lines, action.big, leading.id, sign_groups)


def _quick_big(content: Content, filled: Mapping[str, str]) -> str | None:
    """A quick check's yes may be an ambulance sign: the number comes first, big."""
    ambulance = next((action for action in content.actions.values() if action.big), None)
    return None if ambulance is None else ambulance.with_words(filled).big


def _group_rank(content: Content, key: str | None) -> tuple[int, int]:
    """Actions first in their priority order, then signs that take their level's advice, the
    highest level first."""
    if key is not None and key in content.actions:
        return (0, _priority(content, key))
    level = Level(key.removeprefix("level:")) if key else Level.EMERGENCY
    return (1, -level.rank)


def _group_words(content: Content, key: str | None, filled: Mapping[str, str]) -> str:
    if key is not None and key in content.actions:
        return content.actions[key].with_words(filled).title
    level = Level(key.removeprefix("level:")) if key else Level.EMERGENCY
    return content.levels[level].with_words(filled).title


def warning_signs(content: Content, region: Region | None) -> tuple[SignGroup, ...]:
    """Every emergency and urgent sign as a short phrase, grouped by what it calls for (the
    ambulance first, then A&E, then the maternity unit, then same-day help): the warning box
    of a handout, to be read before the first stretch."""
    filled = words(region)
    groups: dict[str, list[str]] = {}
    for flag in content.flags:
        if flag.level.allows_exercise:
            continue
        key = flag.action if flag.action is not None else f"level:{flag.level}"
        groups.setdefault(key, []).append(flag.short)
    ordered = sorted(groups.items(), key=lambda item: _group_rank(content, item[0]))
    return _merged(content, ordered, filled)


def _merged(
    content: Content, ordered: Iterable[tuple[str | None, list[str]]], filled: Mapping[str, str]
) -> tuple[SignGroup, ...]:
    """Groups in order, those whose action reads the same (two ambulance actions) as one."""
    merged: dict[str, SignGroup] = {}
    for key, signs in ordered:
        action = _group_words(content, key, filled)
        earlier = merged.get(action)
        if earlier is not None:
            merged[action] = SignGroup((*earlier.signs, *signs), action, earlier.action_id)
        else:
            merged[action] = SignGroup(
                tuple(signs), action, key if key in content.actions else None
            )
    return tuple(merged.values())
