"""A printable handout of a routine, for a physiotherapist to give a patient their programme.

A page of HTML (inline styles, the pose figures as inline SVG, nothing fetched from elsewhere) that
prints on A4 or Letter, or the same content as Markdown for pasting into clinical notes. All the
clinical wording comes from the content files; this module only arranges it and writes each dose
in words. Routine names, notes and exercise text come from files a person wrote, so every piece is
escaped (HTML) or backslash-escaped (Markdown) and never read as markup.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from spasm_coach.content import Content, Dose, Routine, RoutineStep
from spasm_coach.guard import safe_text
from spasm_coach.html import esc, page, paragraphs
from spasm_coach.pose_cells import text_figures
from spasm_coach.pose_svg import exercise_figures
from spasm_coach.vocabulary import Level

FORMATS = ("html", "markdown")

CONDITION_LABELS = {
    "osteoporosis": "Osteoporosis (thin bones)",
    "pregnancy": "Pregnancy",
    "knee": "Knee problems",
    "wrist": "Wrist problems",
}
NO_REGION_EMERGENCY = "your local emergency number"
NO_REGION_URGENT = "your doctor or your local urgent care service"


class Region(Protocol):
    """Where the person lives, for the numbers to call (the settings' region model fits)."""

    @property
    def name(self) -> str: ...
    @property
    def emergency(self) -> str: ...
    @property
    def urgent(self) -> str: ...


@dataclass(frozen=True)
class _Help:
    """The numbers to print, and a filler for `{emergency}` / `{urgent}` in content text."""

    region: str | None
    emergency: str
    urgent: str

    def fill(self, text: str) -> str:
        return text.replace("{emergency}", self.emergency).replace("{urgent}", self.urgent)

    @property
    def where(self) -> str:
        if self.region is None:
            return f"Emergency: call {self.emergency}. Same-day help: {self.urgent}."
        return (
            f"Your numbers ({self.region}): emergency {self.emergency}; "
            f"same-day help {self.urgent}."
        )


def _help_for(region: Region | None) -> _Help:
    if region is None:
        return _Help(None, NO_REGION_EMERGENCY, NO_REGION_URGENT)
    return _Help(str(region.name), str(region.emergency), str(region.urgent))


def _seconds(count: int) -> str:
    if count >= 60 and count % 60 == 0:
        minutes = count // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{count} second{'s' if count != 1 else ''}"


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def dose_words(dose: Dose) -> str:
    """The dose as a person reads it: 'Hold 20 seconds, 3 times each side, rest 10 seconds
    between.' An exercise paced by the breath, whose hold is one breath, is counted in cycles;
    a step done on one side only says which ('..., left side only.')."""
    each_side = " each side" if dose.sided and not dose.only_side else ""
    breath_in, breath_out = dose.breath_in_seconds, dose.breath_out_seconds
    if (
        breath_in is not None
        and breath_out is not None
        and dose.hold_seconds == breath_in + breath_out
    ):
        cycles = "cycle" if dose.repetitions == 1 else "cycles"
        words = (
            f"{dose.repetitions} slow {cycles}{each_side}, "
            f"breathing in {breath_in} s and out {breath_out} s"
        )
    else:
        words = f"Hold {_seconds(dose.hold_seconds)}, {_times(dose.repetitions)}{each_side}"
        if breath_in is not None:
            words += f", breathing slowly (in {breath_in} s, out {breath_out} s)"
    if dose.rest_seconds and dose.repetitions > 1:
        words += f", rest {_seconds(dose.rest_seconds)} between"
    if dose.only_side:
        words += f", {dose.only_side} side only"
    return words + "."


def _minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return f"about {minutes} minute{'s' if minutes != 1 else ''}"


def _is_built_in(routine: Routine, content: Content) -> bool:
    if routine.id not in content.routines:
        return False
    return routine.path is None or content.root in routine.path.parents


def coach_commands(routine: Routine, content: Content) -> list[tuple[str, str]]:
    """(what it does, the command) to run this routine in the coach; ids and file names are
    shell-quoted, so a strange name is still one argument when copied."""
    routine_id = shlex.quote(routine.id)
    if _is_built_in(routine, content):
        return [("Start a session with this routine", f"spasm-coach coach --routine {routine_id}")]
    file_name = shlex.quote(routine.path.name if routine.path else f"{routine.id}.toml")
    return [
        (
            "Install the routine file once (it is then listed by spasm-coach routines list)",
            f"spasm-coach routines install {file_name}",
        ),
        ("Then start a session with it", f"spasm-coach coach --routine {routine_id}"),
        (
            "Or use the file directly, without installing it",
            f"spasm-coach coach --routine {file_name}",
        ),
    ]


def _caution_lines(step: RoutineStep, fill: Callable[[str], str]) -> list[tuple[str, str]]:
    """(condition label, advice) for each personal caution of the step's exercise."""
    lines = []
    for caution in step.exercise.cautions:
        advice = fill(caution.advice)
        if caution.modified:
            advice += " Instead: " + fill(caution.modified)
        lines.append((CONDITION_LABELS.get(caution.condition, caution.condition), advice))
    return lines


def _sources(routine: Routine, content: Content) -> list[tuple[str, str]]:
    """(id, citation) for every source behind what the handout says, in first-cited order."""
    ids: list[str] = list(routine.sources)
    for step in routine.steps:
        ids += step.exercise.sources
        ids += [source for caution in step.exercise.cautions for source in caution.sources]
    ids += content.ces_card.sources
    for level in (Level.EMERGENCY, Level.URGENT):
        ids += content.levels[level].sources
    unique = dict.fromkeys(ids)
    return [
        (source, f"{content.sources[source].title} {content.sources[source].url}")
        for source in unique
        if source in content.sources
    ]


def render_handout(
    routine: Routine,
    content: Content,
    *,
    region: Region | None = None,
    note: str | None = None,
    fmt: str = "html",
) -> str:
    """The routine as a handout: `fmt` is "html" (a printable page) or "markdown"."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown handout format {fmt!r}; choose one of {', '.join(FORMATS)}")
    help_ = _help_for(region)
    if fmt == "markdown":
        return _markdown(routine, content, help_, note)
    return _html(routine, content, help_, note)


# --- HTML ------------------------------------------------------------------------------------

HANDOUT_CSS = """
body { font-size: 11pt; line-height: 1.33; }
.kicker { font-size: 11pt; font-weight: bold; text-transform: uppercase; letter-spacing: 0.05em;
  margin: 0 0 1mm; }
.meta { font-weight: bold; }
.pointer { border-left: 3pt solid #000; padding: 1mm 0 1mm 3mm; }
.note { border: 1.5pt solid #000; padding: 2.5mm 4mm 1mm; margin: 3mm 0; }
.note h2 { border: 0; margin: 0 0 2mm; padding: 0; }
.exercise { border-top: 1.5pt solid #000; padding: 2.5mm 0 1mm; }
h2 + .exercise { border-top: 0; padding-top: 0; }
.exercise h3 { font-size: 14pt; margin: 0; }
.summary { font-style: italic; margin-bottom: 1.5mm; }
.dose { font-weight: bold; font-size: 12pt; border: 1pt solid #000; padding: 1mm 3mm;
  margin: 0 0 2mm; }
.exercise-body { display: grid; grid-template-columns: auto 1fr 1fr; gap: 4mm; }
.figures { display: flex; flex-direction: column; gap: 2mm; }
.figures pre { margin: 0; padding: 1.5mm 2mm; border: 0.75pt solid #555; font-size: 9pt;
  line-height: 1.15; white-space: pre; }
.exercise h4 { font-size: 11.5pt; margin: 0 0 0.5mm; }
.stop-if { border-left: 3pt solid #000; padding-left: 3mm; }
.cautions { margin: 1mm 0 0; }
.cautions ul { list-style: none; padding: 0; }
.safety { border: 3pt solid #000; padding: 3mm 5mm; margin: 6mm 0 4mm; }
.safety h2 { border: 0; margin: 0 0 2mm; padding: 0; font-size: 16pt; }
.safety h3 { margin-top: 2mm; }
.numbers { font-size: 13pt; font-weight: bold; border-top: 1.5pt solid #000; padding-top: 2mm;
  margin-top: 2mm; }
.commands dd { margin: 0 0 2mm 5mm; }
.commands code { border: 0.75pt solid #555; padding: 0.5mm 1.5mm; }
.sources { font-size: 9pt; }
.sources li { margin: 0; }
"""


def _list(tag: str, items: Iterable[str], css_class: str = "") -> str:
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<{tag}{attribute}>" + "".join(f"<li>{esc(item)}</li>" for item in items) + f"</{tag}>"


def _html_exercise(number: int, step: RoutineStep, fill: Callable[[str], str]) -> str:
    exercise = step.exercise
    figures = exercise_figures(exercise)
    cautions = _caution_lines(step, fill)
    caution_html = ""
    if cautions:
        caution_html = (
            '<div class="cautions"><h4>Personal cautions: if this applies to you</h4><ul>'
            + "".join(
                f"<li><strong>{esc(label)}:</strong> {esc(advice)}</li>"
                for label, advice in cautions
            )
            + "</ul></div>"
        )
    return (
        '<section class="exercise keep">'
        f"<h3>{number}. {esc(fill(exercise.name))}</h3>"
        f'<p class="summary">{esc(fill(exercise.summary))}</p>'
        f'<p class="dose">Dose: {esc(dose_words(step.dose))}</p>'
        '<div class="exercise-body">'
        f'<div class="figures">{figures}</div>'
        + "<div><h4>Set-up</h4>"
        + _list("ol", map(fill, exercise.start_position))
        + "<h4>How</h4>"
        + _list("ol", map(fill, exercise.movement))
        + f"</div><div><h4>What you should feel</h4><p>{esc(fill(exercise.feel))}</p>"
        + '<div class="stop-if"><h4>Stop if</h4>'
        + _list("ul", map(fill, exercise.stop_if))
        + "</div></div></div>"
        + caution_html
        + "</section>"
    )


def _html_safety(content: Content, help_: _Help) -> str:
    card = content.ces_card
    parts = [
        '<section class="safety keep" aria-labelledby="safety-title">',
        '<h2 id="safety-title">Warning signs: get help</h2>',
        f"<h3>{esc(help_.fill(card.title))}</h3>",
        _list("ul", map(help_.fill, card.lines)),
    ]
    for level in (Level.EMERGENCY, Level.URGENT):
        advice = content.levels[level]
        parts.append(f"<h3>{esc(help_.fill(advice.title))}</h3>")
        parts.append(f"<p>{esc(help_.fill(advice.action))}</p>")
    parts.append(f'<p class="numbers">{esc(help_.where)}</p>')
    parts.append("</section>")
    return "".join(parts)


def _html(routine: Routine, content: Content, help_: _Help, note: str | None) -> str:
    fill = help_.fill
    steps = routine.steps
    header = (
        "<header>"
        '<p class="kicker">Your back exercise programme</p>'
        f"<h1>{esc(fill(routine.name))}</h1>"
        f"{paragraphs(fill(routine.description))}"
        f'<p class="meta">{len(steps)} exercise{"s" if len(steps) != 1 else ""}, '
        f"{_minutes(routine.total_seconds)} in all.</p>"
        '<p class="pointer">Read the warning signs in the box after the exercises before you '
        "start: they say when to stop and get help at once.</p>"
        "</header>"
    )
    note_html = ""
    if note and note.strip():
        note_html = (
            '<section class="note keep"><h2>Note from your physiotherapist</h2>'
            f"{paragraphs(note)}</section>"
        )
    exercises = "".join(
        _html_exercise(number, step, fill) for number, step in enumerate(steps, start=1)
    )
    commands = "".join(
        f"<dt>{esc(what)}</dt><dd><code>{esc(command)}</code></dd>"
        for what, command in coach_commands(routine, content)
    )
    coach = (
        '<section class="keep"><h2>How to run it in the coach</h2>'
        "<p>spasm-coach times each hold, tells you when to switch sides and rest, and asks the "
        "warning-sign questions before every session.</p>"
        f'<dl class="commands">{commands}</dl></section>'
    )
    sources = (
        '<section class="sources keep"><h2>Sources</h2><ul>'
        + "".join(
            f"<li>{esc(source)}: {esc(citation)}</li>"
            for source, citation in _sources(routine, content)
        )
        + "</ul></section>"
    )
    body = (
        header
        + note_html
        + "<h2>The exercises</h2>"
        + exercises
        + _html_safety(content, help_)
        + coach
        + sources
    )
    return page(f"{fill(routine.name)}: exercise handout", body, HANDOUT_CSS)


# --- Markdown ----------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<#|~]|&(?=#?\w+;))")
"""Characters that can start markup anywhere; `&` only where it would begin an entity, so
"A&E" stays as it is."""
_BLOCK_START = re.compile(r"^([-+>])")
_NUMBERED_MARK = re.compile(r"^(\d+)([.)])")


def md(text: str) -> str:
    """Text as plain Markdown text: one line, every markup character backslash-escaped, and no
    list or quote mark at its start (so it can't start a block wherever it is put)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(safe_text(text).split()))
    return _NUMBERED_MARK.sub(r"\1\\\2", _BLOCK_START.sub(r"\\\1", escaped))


def _md_paragraphs(text: str) -> list[str]:
    blocks = [block for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    return [md(block) + "\n" for block in blocks]


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks inside `text`."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _markdown(routine: Routine, content: Content, help_: _Help, note: str | None) -> str:
    fill = help_.fill
    steps = routine.steps
    out = [f"# {md(fill(routine.name))}\n"]
    out += _md_paragraphs(fill(routine.description))
    out.append(
        f"{len(steps)} exercise{'s' if len(steps) != 1 else ''}, "
        f"{_minutes(routine.total_seconds)} in all.\n"
    )
    if note and note.strip():
        out.append("## Note from your physiotherapist\n")
        out += _md_paragraphs(note)
    out.append("## The exercises\n")
    for number, step in enumerate(steps, start=1):
        exercise = step.exercise
        out.append(f"### {number}. {md(fill(exercise.name))}\n")
        out.append(f"{md(fill(exercise.summary))}\n")
        out.append(f"**Dose:** {md(dose_words(step.dose))}\n")
        for caption, frame in text_figures(exercise):
            fence = _fence(frame)
            out.append(f"{fence}text\n{frame}\n{fence}\n" + (f"{md(caption)}\n" if caption else ""))
        out.append("**Set-up:**\n\n" + _md_list(map(fill, exercise.start_position), numbered=True))
        out.append("**How:**\n\n" + _md_list(map(fill, exercise.movement), numbered=True))
        out.append(f"**What you should feel:** {md(fill(exercise.feel))}\n")
        out.append("**Stop if:**\n\n" + _md_list(map(fill, exercise.stop_if)))
        cautions = _caution_lines(step, fill)
        if cautions:
            lines = [f"{label}: {advice}" for label, advice in cautions]
            out.append("**Personal cautions, if this applies to you:**\n\n" + _md_list(lines))
    card = content.ces_card
    out.append("## Warning signs: get help\n")
    out.append(f"### {md(fill(card.title))}\n")
    out.append(_md_list(map(fill, card.lines)))
    for level in (Level.EMERGENCY, Level.URGENT):
        advice = content.levels[level]
        out.append(f"**{md(fill(advice.title))}.** {md(fill(advice.action))}\n")
    out.append(f"**{md(help_.where)}**\n")
    out.append("## How to run it in the coach\n")
    for what, command in coach_commands(routine, content):
        fence = _fence(command)
        out.append(f"{md(what)}:\n\n{fence}sh\n{command}\n{fence}\n")
    out.append("## Sources\n")
    out.append(_md_list(f"{source}: {citation}" for source, citation in _sources(routine, content)))
    return "\n".join(out)


def _md_list(items: Iterable[str], numbered: bool = False) -> str:
    return "".join(
        f"{f'{index}.' if numbered else '-'} {md(item)}\n"
        for index, item in enumerate(items, start=1)
    )
