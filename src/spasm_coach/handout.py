"""A printable handout of a routine, for a physiotherapist to give a patient their programme.

A page of HTML (inline styles, the pose figures as inline SVG, nothing fetched from elsewhere) that
prints on A4 or Letter, or the same content as Markdown for pasting into clinical notes. All the
clinical wording comes from the content files; this module only arranges it and writes each dose
in words. Routine names, notes and exercise text come from files a person wrote, so every piece is
escaped (HTML) or backslash-escaped (Markdown) and never read as markup.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spasm_coach.advice import SignGroup, warning_signs, where_line, words
from spasm_coach.content import (
    Content,
    Dose,
    Region,
    Routine,
    RoutineStep,
    fill_placeholders,
)
from spasm_coach.html import esc, page, paragraphs
from spasm_coach.markdown import bullets, fence, md
from spasm_coach.markdown import paragraphs as md_paragraphs
from spasm_coach.pose_cells import text_figures
from spasm_coach.pose_svg import exercise_figures

FORMATS = ("html", "markdown")

CONDITION_LABELS = {
    "osteoporosis": "Osteoporosis (thin bones)",
    "pregnancy": "Pregnancy",
    "knee": "Knee problems",
    "wrist": "Wrist problems",
}


@dataclass(frozen=True)
class _Help:
    """The region's words for a handout: placeholders filled, the warning signs, the numbers."""

    content: Content
    region: Region | None

    def fill(self, text: str) -> str:
        return fill_placeholders(text, words(self.region))

    @property
    def where(self) -> str:
        return where_line(self.region)

    @property
    def signs(self) -> tuple[SignGroup, ...]:
        return warning_signs(self.content, self.region)


def _seconds(count: int) -> str:
    if count >= 60 and count % 60 == 0:
        minutes = count // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{count} second{'s' if count != 1 else ''}"


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def dose_words(dose: Dose, *, flow: bool | None = None) -> str:
    """The dose as a person reads it: 'Hold 20 seconds, 3 times each side, rest 10 seconds
    between.' An exercise that moves with the breath (`flow`) is counted in cycles; a still hold
    of one breath says so; a step done on one side only says which ('..., left side only.').
    `flow` None: a paced dose whose hold is one breath is taken to flow."""
    each_side = " each side" if dose.sided and not dose.only_side else ""
    breath_in, breath_out = dose.breath_in_seconds, dose.breath_out_seconds
    one_breath = (
        breath_in is not None
        and breath_out is not None
        and dose.hold_seconds == breath_in + breath_out
    )
    if one_breath and flow is not False:
        cycles = "cycle" if dose.repetitions == 1 else "cycles"
        words = (
            f"{dose.repetitions} slow {cycles}{each_side}, "
            f"breathing in {breath_in} s and out {breath_out} s"
        )
    elif one_breath:
        words = (
            f"Hold for one slow breath (in {breath_in} s, out {breath_out} s), "
            f"{_times(dose.repetitions)}{each_side}"
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


def step_dose_words(step: RoutineStep) -> str:
    """A routine step's dose in words, read as its exercise moves (with the breath or still)."""
    return dose_words(step.dose, flow=step.exercise.flow)


def follows_words(step: RoutineStep) -> str | None:
    """Where the sources differ on the dose: which one the exercise's own dose follows, and
    why (for a step at the exercise's own dose only; a physio's change is theirs to explain)."""
    usual = step.exercise.dose_range
    if usual is None or usual.follows is None or step.dose != step.exercise.dose:
        return None
    return f"Dose follows {usual.follows}. {usual.follows_why}"


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
    """(condition label, what to do) for each personal caution of the step's exercise: the
    changed way to do it, or why to leave it out."""
    lines = []
    for caution in step.exercise.cautions:
        advice = f"Instead: {fill(caution.modified)}" if caution.modified else fill(caution.advice)
        lines.append((CONDITION_LABELS.get(caution.condition, caution.condition), advice))
    return lines


def _sources(routine: Routine, content: Content, region: Region | None) -> list[tuple[str, str]]:
    """(id, short citation and address) for every source behind what the handout says, in
    first-cited order; only the person's own region's services."""
    ids: list[str] = list(routine.sources)
    for step in routine.steps:
        ids += step.exercise.sources
        ids += [source for caution in step.exercise.cautions for source in caution.sources]
        if step.exercise.dose_range is not None:
            ids += step.exercise.dose_range.sources
    ids += content.ces_card.sources
    for flag in content.flags:
        if not flag.level.allows_exercise:
            ids += flag.sources
            if flag.action is not None:
                ids += content.actions[flag.action].sources
    if region is not None:
        ids += region.sources
    shown = {source.id for source in content.sources_for(region)}
    unique = dict.fromkeys(ids)
    return [
        (source, f"{content.sources[source].short_title}. {_address(content.sources[source].url)}")
        for source in unique
        if source in content.sources and source in shown
    ]


def _address(url: str) -> str:
    """A page's address as printed: without the https:// a browser adds itself."""
    return url.removeprefix("https://")


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
    help_ = _Help(content, region)
    if fmt == "markdown":
        return _markdown(routine, content, help_, note)
    return _html(routine, content, help_, note)


def plan_line(routine: Routine, content: Content) -> str:
    """How often and how long, in words: '4 exercises, about 8 minutes, 3 times a day.'"""
    steps = len(routine.steps)
    per_day = content.planned_per_day(routine)
    return (
        f"{steps} exercise{'s' if steps != 1 else ''}, {_minutes(routine.total_seconds)} in "
        f"all; do it {_times(per_day)} a day."
    )


# --- HTML ------------------------------------------------------------------------------------

HANDOUT_CSS = """
@page { margin: 10mm 12mm; }
body { font-size: 8.8pt; line-height: 1.2; }
h1 { font-size: 16pt; margin: 0 0 1mm; }
h2 { font-size: 12pt; margin: 2mm 0 1mm; }
.kicker { font-size: 9.5pt; font-weight: bold; text-transform: uppercase; letter-spacing: 0.05em;
  margin: 0; }
header p { margin: 0 0 1mm; }
.meta { font-weight: bold; }
.note { border: 1.5pt solid #000; padding: 1.5mm 3mm 0; margin: 2mm 0; }
.note h2 { border: 0; margin: 0 0 1mm; padding: 0; font-size: 11pt; }
.safety { border: 2.5pt solid #000; padding: 1.5mm 3mm 0.5mm; margin: 1.5mm 0 1mm; }
.safety h2 { border: 0; margin: 0 0 1mm; padding: 0; font-size: 13pt; }
.lead { display: block; font-size: 8.8pt; font-weight: normal; }
.signs { columns: 3; column-gap: 4mm; font-size: 8pt; line-height: 1.15; }
.signs h3 { break-after: avoid; }
.signs h3 { font-size: 9pt; margin: 0 0 0.5mm; }
.signs ul { margin: 0 0 1.5mm; }
.signs li { margin: 0; }
.numbers { font-weight: bold; margin: 0 0 0.5mm; }
.exercise { border-top: 1.2pt solid #000; padding: 1.5mm 0 0.5mm; }
h2 + .exercise { border-top: 0; padding-top: 0; }
.exercise h3 { font-size: 11.5pt; margin: 0 0 0.5mm; }
.summary { font-size: 9pt; font-weight: normal; font-style: italic; }
.dose { font-weight: bold; font-size: 9.5pt; margin: 0 0 0.5mm; }
.follows { font-size: 7.5pt; margin: -0.5mm 0 1mm; }
.exercise-body { display: grid; grid-template-columns: 1fr auto; gap: 3mm; }
.words { columns: 2; column-gap: 3mm; font-size: 8.6pt; }
.words li, .words p, .cautions li { break-inside: avoid; }
.words h4 { break-after: avoid; }
.figure { display: flex; flex-direction: row; gap: 1.5mm; align-items: flex-start; }
.figure figure { width: 19mm !important; }
.figure figcaption { font-size: 6.3pt !important; line-height: 1.12 !important; }
.figure pre { margin: 0; padding: 1mm 1.5mm; border: 0.75pt solid #555; font-size: 6.6pt;
  line-height: 1.1; white-space: pre; }
.figure svg, .figure img { display: block; width: 100%; height: auto; }
.exercise h4 { font-size: 9pt; margin: 0; }
.exercise ol, .exercise ul { margin: 0 0 1mm; padding-left: 5mm; }
.exercise li { margin: 0; }
.exercise p { margin: 0 0 1mm; }
.cautions { font-size: 7.6pt; line-height: 1.15; }
.cautions li { margin-bottom: 0.3mm; }
.every { border-left: 2.5pt solid #000; padding: 0 0 0 2mm; margin: 0 0 2mm; }
.every h3 { font-size: 10pt; margin: 0; }
.every p { margin: 0; }
.every ul { margin: 0; padding: 0; list-style: none; }
.every li { display: inline; }
.every li + li::before { content: " · "; font-weight: bold; }
.cautions ul { list-style: none; padding: 0; margin: 0; }
.coach { margin-top: 1.5mm; }
.coach p { display: inline; }
.commands { display: inline; margin: 0; }
.commands dt { display: inline; }
.commands dd { display: inline; margin: 0 3mm 0 1mm; }
.commands code { border: 0.75pt solid #555; padding: 0 1mm; font-size: 8.5pt; }
.sources { font-size: 6.3pt; line-height: 1.12; }
.sources h2 { font-size: 10pt; }
.sources ul { padding-left: 0; list-style: none; margin: 0; }
.sources li { display: inline; overflow-wrap: anywhere; }
.sources li + li::before { content: " · "; font-weight: bold; }
"""


def _list(tag: str, items: Iterable[str], css_class: str = "") -> str:
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<{tag}{attribute}>" + "".join(f"<li>{esc(item)}</li>" for item in items) + f"</{tag}>"


def common_stop_signs(routine: Routine) -> tuple[str, ...]:
    """The stop-if lines every exercise of the routine shares: said once, before the
    exercises, so each exercise lists only its own."""
    first, *others = (step.exercise.stop_if for step in routine.steps)
    return tuple(line for line in first if all(line in other for other in others))


def _html_exercise(
    number: int, step: RoutineStep, fill: Callable[[str], str], common: tuple[str, ...]
) -> str:
    """One exercise, compact for paper: what to do on the left (the set-up and the steps in
    order, what to feel, its own stop signs, the personal cautions), its figure on the right."""
    exercise = step.exercise
    own_stops = [fill(line) for line in exercise.stop_if if line not in common]
    cautions = _caution_lines(step, fill)
    caution_html = ""
    if cautions:
        caution_html = (
            '<div class="cautions"><h4>If this applies to you</h4><ul>'
            + "".join(
                f"<li><strong>{esc(label)}:</strong> {esc(advice)}</li>"
                for label, advice in cautions
            )
            + "</ul></div>"
        )
    follows = follows_words(step)
    follows_html = f'<p class="follows">{esc(follows)}</p>' if follows else ""
    cues = ""
    if exercise.cues:
        used = exercise.cues[: step.dose.repetitions]
        cues = "<h4>In turn, one each time</h4>" + _list("ol", map(fill, used), "steps")
    stops = ""
    if own_stops:
        stops = '<p class="own-stop"><strong>Also stop if:</strong> ' + esc(" ".join(own_stops))
        stops += "</p>"
    return (
        '<section class="exercise keep">'
        f"<h3>{number}. {esc(fill(exercise.name))} "
        f'<span class="summary">{esc(fill(exercise.summary))}</span></h3>'
        f'<p class="dose">Dose: {esc(step_dose_words(step))}</p>'
        + follows_html
        + '<div class="exercise-body"><div class="words">'
        + "<h4>Set-up</h4>"
        + _list("ol", map(fill, exercise.start_position))
        + "<h4>How</h4>"
        + _list("ol", map(fill, exercise.movement))
        + cues
        + f'<p class="feel"><strong>What you should feel:</strong> {esc(fill(exercise.feel))}</p>'
        + stops
        + caution_html
        + f'</div><div class="figure">{exercise_figures(exercise)}</div></div></section>'
    )


def _html_safety(help_: _Help) -> str:
    """The warning signs, grouped by what each calls for, with the region's numbers: on the
    first page, read before the first stretch."""
    groups = "".join(
        f"<section><h3>{esc(group.action)}</h3>{_list('ul', group.signs)}</section>"
        for group in help_.signs
    )
    return (
        '<section class="safety keep" aria-labelledby="safety-title">'
        '<h2 id="safety-title">Warning signs: stop and get help '
        '<span class="lead">Read these before you start. Any of them, new or getting worse: '
        "no exercises; do what its heading says.</span></h2>"
        f'<p class="numbers">{esc(help_.where)}</p>'
        f'<div class="signs">{groups}</div>'
        "</section>"
    )


def _html(routine: Routine, content: Content, help_: _Help, note: str | None) -> str:
    fill = help_.fill
    header = (
        "<header>"
        '<p class="kicker">Your back exercise programme</p>'
        f"<h1>{esc(fill(routine.name))}</h1>"
        f"<p>{esc(' '.join(fill(routine.description).split()))} "
        f"<strong>{esc(plan_line(routine, content))}</strong></p>"
        "</header>"
    )
    note_html = ""
    if note and note.strip():
        note_html = (
            '<section class="note keep"><h2>Note from your physiotherapist</h2>'
            f"{paragraphs(note)}</section>"
        )
    common = common_stop_signs(routine)
    exercises = "".join(
        _html_exercise(number, step, fill, common)
        for number, step in enumerate(routine.steps, start=1)
    )
    every = (
        '<section class="every keep"><p><strong>For every exercise:</strong> move slowly and '
        "never bounce; breathe normally. A mild stretch or discomfort is fine. Stop if:</p>"
        + _list("ul", map(fill, common))
        + "</section>"
    )
    commands = "".join(
        f" <dt>{esc(what)}:</dt><dd><code>{esc(command)}</code></dd>"
        for what, command in coach_commands(routine, content)
    )
    coach = (
        '<section class="coach keep"><p><strong>In the coach:</strong> spasm-coach times each '
        "hold, says when to change sides and rest, and asks about the warning signs before "
        f'every session.</p><dl class="commands">{commands}</dl></section>'
    )
    sources = (
        '<section class="sources"><h2>Sources</h2><ul>'
        + "".join(
            f"<li>{esc(source)}: {esc(citation)}</li>"
            for source, citation in _sources(routine, content, help_.region)
        )
        + "</ul></section>"
    )
    body = (
        header
        + _html_safety(help_)
        + note_html
        + "<h2>The exercises</h2>"
        + every
        + exercises
        + coach
        + sources
    )
    return page(f"{fill(routine.name)}: exercise handout", body, HANDOUT_CSS)


# --- Markdown ----------------------------------------------------------------------------------


def _markdown(routine: Routine, content: Content, help_: _Help, note: str | None) -> str:
    fill = help_.fill
    out = [f"# {md(fill(routine.name))}\n"]
    out += md_paragraphs(fill(routine.description))
    out.append(f"{md(plan_line(routine, content))}\n")
    out.append("## Warning signs: stop and get help\n")
    out.append(
        "Read these before you start. Any of them, new or getting worse: no exercises; do what "
        "its heading says.\n"
    )
    for group in help_.signs:
        out.append(f"**{md(group.action)}:**\n\n" + bullets(group.signs))
    out.append(f"**{md(help_.where)}**\n")
    if note and note.strip():
        out.append("## Note from your physiotherapist\n")
        out += md_paragraphs(note)
    out.append("## The exercises\n")
    common = common_stop_signs(routine)
    out.append(
        "**For every exercise:** move slowly and never bounce; breathe normally. A mild stretch "
        "or discomfort is fine. Stop the exercise if:\n\n" + bullets(map(fill, common))
    )
    for number, step in enumerate(routine.steps, start=1):
        exercise = step.exercise
        out.append(f"### {number}. {md(fill(exercise.name))}\n")
        out.append(f"{md(fill(exercise.summary))}\n")
        out.append(f"**Dose:** {md(step_dose_words(step))}\n")
        follows = follows_words(step)
        if follows:
            out.append(f"{md(follows)}\n")
        for caption, frame in text_figures(exercise):
            mark = fence(frame)
            out.append(f"{mark}text\n{frame}\n{mark}\n" + (f"{md(caption)}\n" if caption else ""))
        out.append("**Set-up:**\n\n" + bullets(map(fill, exercise.start_position), numbered=True))
        out.append("**How:**\n\n" + bullets(map(fill, exercise.movement), numbered=True))
        if exercise.cues:
            used = exercise.cues[: step.dose.repetitions]
            out.append("**In turn, one each time:**\n\n" + bullets(map(fill, used), True))
        out.append(f"**What you should feel:** {md(fill(exercise.feel))}\n")
        own_stops = [line for line in exercise.stop_if if line not in common]
        if own_stops:
            out.append("**Also stop if:**\n\n" + bullets(map(fill, own_stops)))
        cautions = _caution_lines(step, fill)
        if cautions:
            lines = [f"{label}: {advice}" for label, advice in cautions]
            out.append("**Personal cautions, if this applies to you:**\n\n" + bullets(lines))
    out.append("## In the coach\n")
    for what, command in coach_commands(routine, content):
        mark = fence(command)
        out.append(f"{md(what)}:\n\n{mark}sh\n{command}\n{mark}\n")
    out.append("## Sources\n")
    out.append(
        bullets(
            f"{source}: {citation}" for source, citation in _sources(routine, content, help_.region)
        )
    )
    return "\n".join(out)
