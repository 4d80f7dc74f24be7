"""Safety cards as text: today's warning sign, the advice to stop for today, the yes answers.

Built here, apart from any screen, so home and the check screens show the same words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from spasm_coach.advice import emergency_line, outcome_advice, urgent_line
from spasm_coach.gate import RELAXING_STILL_HELPS, STOP_ADVICE, STOP_TITLE
from spasm_coach.tui.text import heading
from spasm_coach.vocabulary import CheckKind, Level

if TYPE_CHECKING:
    from spasm_coach.content import Content as ClinicalContent
    from spasm_coach.content import Region
    from spasm_coach.records import SafetyNote, Screening


READ_FIRST = "Read the card first: that key came too soon to count. Then press y or n."


def warning_card(
    content: ClinicalContent, warning: Screening, region: Region | None, when: str
) -> Content:
    """A warning sign standing as a card: what it was, when, and what the sign calls for. It
    stays until the person records a doctor's or nurse's all-clear."""
    advice = outcome_advice(content, warning.level, warning.flags, region)
    line = emergency_line(region) if warning.level is Level.EMERGENCY else urgent_line(region)
    signs = _signs(content, warning)
    return Content.assemble(
        heading(advice.heading.upper()),
        f"\nAt {when} you said yes to {signs}. This warning stands until a doctor or nurse has "
        "checked you.\n",
        "\n".join(advice.lines),
        "\n",
        heading(line),
    )


def _signs(content: ClinicalContent, warning: Screening) -> str:
    """The signs a warning found, in words: 'high temperature, fever or chills'."""
    if warning.kind is CheckKind.QUICK:
        return "one of the emergency signs"
    shorts = [
        content.flags_by_id[flag].short for flag in warning.flags if flag in content.flags_by_id
    ]
    if not shorts:
        return "a warning sign"
    words = "; ".join(shorts)
    return words[:1].lower() + words[1:]


def stop_card(note: SafetyNote, when: str) -> Content:
    reason = note.detail or "your pain was high or rising"
    return Content.assemble(
        heading(STOP_TITLE),
        f"\nAt {when}: {reason}. {STOP_ADVICE}\n\n{RELAXING_STILL_HELPS}",
    )


def said_yes_to(content: ClinicalContent, screening: Screening, region: Region | None) -> str:
    """The yes answers in words, each group under what it calls for; a quick check's yes lists
    every sign it asked about, the ambulance signs first."""
    if not screening.flags:
        return "You said no to every warning sign."
    advice = outcome_advice(content, screening.level, screening.flags, region)
    quick = screening.kind is CheckKind.QUICK
    lines = ["You said yes to one of these:" if quick else "You said yes to:"]
    for group in advice.groups:
        lines.append(f"  {group.action}:")
        lines += [f"    - {sign}" for sign in group.signs]
    return "\n".join(lines)
