"""Safety cards as text: today's warning sign, the advice to stop for today, the yes answers.

Built here, apart from any screen, so home and the check screens show the same words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from spasm_coach.advice import emergency_line, outcome_advice, urgent_line
from spasm_coach.tui.text import heading
from spasm_coach.vocabulary import CheckKind, Level

if TYPE_CHECKING:
    from spasm_coach.content import Content as ClinicalContent
    from spasm_coach.content import Region
    from spasm_coach.records import SafetyNote, Screening


def warning_card(
    content: ClinicalContent, warning: Screening, region: Region | None, now_text: str
) -> Content:
    """Today's warning sign as a card: what it was, when, and what the sign calls for."""
    advice = outcome_advice(content, warning.level, warning.flags, region)
    line = emergency_line(region) if warning.level is Level.EMERGENCY else urgent_line(region)
    return Content.assemble(
        heading(advice.heading.upper()),
        f"\nEarlier today, at {now_text}, the check found a warning sign.\n",
        "\n".join(advice.lines),
        "\n",
        heading(line),
    )


def stop_card(note: SafetyNote, now_text: str) -> Content:
    reason = note.detail or "your pain was high or rising"
    return Content.assemble(
        heading("Stretching is done for today."),
        f"\nAt {now_text}: {reason}. When pain is high or rising, more stretching can make a "
        "spasm worse. Rest in a comfortable position, use gentle heat if it helps, and keep "
        "moving gently through the day. Get advice if it doesn't settle, or sooner if a warning "
        "sign appears.\n\nBreathing and relaxing is still good for you: it can ease the spasm.",
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
