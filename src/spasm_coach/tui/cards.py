"""Safety cards as text: today's warning sign, the advice to stop for today, the yes answers.

Built here, apart from any screen, so home and the check screens show the same words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from spasm_coach.advice import emergency_line, level_advice, urgent_line
from spasm_coach.tui.text import heading
from spasm_coach.vocabulary import CheckKind, Level, QuickAnswer

if TYPE_CHECKING:
    from spasm_coach.content import Content as ClinicalContent
    from spasm_coach.content import Region
    from spasm_coach.records import SafetyNote, Screening


def warning_card(
    content: ClinicalContent, warning: Screening, region: Region | None, now_text: str
) -> Content:
    """Today's warning sign as a card: what it was, when, and where to get help."""
    advice = level_advice(content, warning.level, region)
    line = emergency_line(region) if warning.level is Level.EMERGENCY else urgent_line(region)
    return Content.assemble(
        heading(advice.title.upper()),
        f"\nEarlier today, at {now_text}, the check found a warning sign.\n",
        advice.action,
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


def said_yes_to(content: ClinicalContent, screening: Screening) -> str:
    """The yes answers in words; a quick check's yes lists every sign it asked about."""
    if screening.kind is CheckKind.QUICK:
        if QuickAnswer.EMERGENCY_SIGNS.value in screening.flags:
            signs = [content.flags_by_id[sign].short for sign in content.quick_check.signs]
            return "You said yes to one of these:\n" + "\n".join(f"  - {s}" for s in signs)
        return "You said no to every warning sign."
    questions = [
        content.flags_by_id[flag].question
        for flag in screening.flags
        if flag in content.flags_by_id
    ]
    return "You said yes to:\n" + "\n".join(f"  - {q}" for q in questions)
