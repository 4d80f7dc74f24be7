"""A printable handout of a plan, for a physiotherapist to give a patient: each stage with its
routines and how often, the advice, and the rules that move on and step back, in plain words.

HTML for A4 or Letter (nothing fetched from elsewhere), or Markdown for clinical notes. The
words come from the plan (plans.py says its rules) and the content; the warning-sign box is the
routine handout's. Everything from a file or the physio is escaped, never read as markup.
"""

from __future__ import annotations

import shlex

from spasm_coach.content import Content, Region, Routine
from spasm_coach.handout import (
    FORMATS,
    HANDOUT_CSS,
    _Help,
    _html_safety,
    _minutes,
)
from spasm_coach.html import esc, page, paragraphs
from spasm_coach.markdown import bullets, fence, md
from spasm_coach.markdown import paragraphs as md_paragraphs
from spasm_coach.plans import (
    AUTOMATIC_STEP_BACK,
    BUILT_IN_PLAN,
    Plan,
    Stage,
    course_words,
    rule_lines,
    stage_routines,
)
from spasm_coach.vocabulary import Level

PLAN_CSS = """
.stage { border-top: 1.5pt solid #000; padding: 2.5mm 0 1mm; }
h2 + .stage { border-top: 0; padding-top: 0; }
.stage h3 { font-size: 14pt; margin: 0 0 1mm; }
.goal { font-style: italic; }
.stage dl { display: grid; grid-template-columns: 30mm 1fr; gap: 1mm 3mm; margin: 1mm 0; }
.stage dt { font-weight: bold; }
.stage dd { margin: 0; }
.rules { list-style: none; border-left: 3pt solid #000; padding-left: 3mm; }
.rules li { margin-bottom: 1mm; }
"""


def how_it_works(plan: Plan) -> list[str]:
    """The plan's rules for every stage, in a few sentences."""
    return [
        f"The plan has {len(plan.stages)} stages. Each has its own routines, how many sessions "
        "a day, and rules for moving on. When every rule for the next stage is met, the coach "
        "offers it at the start of a session, after the warning-sign check: you choose.",
        "The coach never offers the next stage while a warning sign stands, on a day it has "
        "said to stop stretching, or when that day's check found a sign to see someone about.",
        f"It steps back a stage by itself when {AUTOMATIC_STEP_BACK}. You can step back "
        "whenever you like, from your plan in the coach.",
    ]


def _routine_line(routine: Routine) -> str:
    return f"{routine.name}, {_minutes(routine.total_seconds)}"


def _sources(plan: Plan, content: Content) -> list[tuple[str, str]]:
    ids = [*plan.all_sources(), *content.levels[Level.SOON].sources]
    return [
        (source, f"{content.sources[source].title} {content.sources[source].url}")
        for source in dict.fromkeys(ids)
        if source in content.sources
    ]


def _commands(plan: Plan) -> list[tuple[str, str]]:
    if plan.id == BUILT_IN_PLAN:
        return [("See where you are and why", "spasm-coach plan")]
    file = shlex.quote(plan.path.name if plan.path else f"{plan.id}.toml")
    return [
        (
            "Install the plan once: the coach follows it from its first stage",
            f"spasm-coach plans install {file}",
        ),
        ("Then see where you are and why", "spasm-coach plan"),
    ]


def render_plan_handout(
    plan: Plan,
    content: Content,
    *,
    region: Region | None = None,
    note: str | None = None,
    fmt: str = "html",
    default: Routine | None = None,
) -> str:
    """The plan as a handout: `fmt` is "html" (a printable page) or "markdown". `default` is the
    person's default routine, which stands in for the standard one."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown handout format {fmt!r}; choose one of {', '.join(FORMATS)}")
    help_ = _Help(content, region)
    if fmt == "markdown":
        return _markdown(plan, content, help_, note, default)
    return _html(plan, content, help_, note, default)


def _check_up(plan: Plan, content: Content, help_: _Help) -> tuple[str, str]:
    advice = content.levels[Level.SOON]
    return course_words(plan.course), help_.fill(f"{advice.title}: {advice.action}")


def _html_stage(number: int, plan: Plan, stage: Stage, default: Routine | None) -> str:
    routines = "".join(
        f"<li>{esc(_routine_line(routine))}</li>" for routine in stage_routines(stage, default)
    )
    advice = "".join(f"<li>{esc(line)}</li>" for line in stage.advice)
    rules = "".join(f"<li>{esc(line)}</li>" for line in rule_lines(plan, stage))
    return (
        '<section class="stage keep">'
        f"<h3>Stage {number}: {esc(stage.name)}</h3>"
        f'<p class="goal">{esc(stage.goal)}</p><dl>'
        f"<dt>Routines</dt><dd><ul>{routines}</ul></dd>"
        f"<dt>How often</dt><dd>{stage.sessions_per_day} sessions a day</dd>"
        + (f"<dt>Also</dt><dd><ul>{advice}</ul></dd>" if advice else "")
        + f'<dt>Rules</dt><dd><ul class="rules">{rules}</ul></dd></dl></section>'
    )


def _html(
    plan: Plan, content: Content, help_: _Help, note: str | None, default: Routine | None
) -> str:
    header = (
        "<header>"
        '<p class="kicker">Your recovery plan</p>'
        f"<h1>{esc(plan.name)}</h1>"
        f"{paragraphs(plan.description)}"
        '<p class="pointer">Read the warning signs in the box at the end before you start: '
        "they say when to stop and get help at once.</p>"
        "</header>"
    )
    note_html = ""
    if note and note.strip():
        note_html = (
            '<section class="note keep"><h2>Note from your physiotherapist</h2>'
            f"{paragraphs(note)}</section>"
        )
    works = "".join(f"<p>{esc(line)}</p>" for line in how_it_works(plan))
    stages = "".join(
        _html_stage(number, plan, stage, default)
        for number, stage in enumerate(plan.stages, start=1)
    )
    course, action = _check_up(plan, content, help_)
    commands = "".join(
        f"<dt>{esc(what)}</dt><dd><code>{esc(command)}</code></dd>"
        for what, command in _commands(plan)
    )
    sources = "".join(
        f"<li>{esc(source)}: {esc(citation)}</li>" for source, citation in _sources(plan, content)
    )
    body = (
        header
        + note_html
        + f'<section class="keep"><h2>How it works</h2>{works}</section>'
        + f"<h2>The stages</h2>{stages}"
        + '<section class="keep"><h2>When to get it checked</h2>'
        + f"<p>{esc(course)}</p><p><strong>{esc(action)}</strong></p></section>"
        + _html_safety(help_)
        + '<section class="keep"><h2>Following it in the coach</h2>'
        + f'<dl class="commands">{commands}</dl></section>'
        + f'<section class="sources keep"><h2>Sources</h2><ul>{sources}</ul></section>'
    )
    return page(f"{plan.name}: your recovery plan", body, HANDOUT_CSS + PLAN_CSS)


def _markdown(
    plan: Plan, content: Content, help_: _Help, note: str | None, default: Routine | None
) -> str:
    out = [f"# {md(plan.name)}\n"]
    out += md_paragraphs(plan.description)
    if note and note.strip():
        out.append("## Note from your physiotherapist\n")
        out += md_paragraphs(note)
    out.append("## How it works\n")
    out += [f"{md(line)}\n" for line in how_it_works(plan)]
    out.append("## The stages\n")
    for number, stage in enumerate(plan.stages, start=1):
        out.append(f"### Stage {number}: {md(stage.name)}\n")
        out.append(f"{md(stage.goal)}\n")
        routines = [_routine_line(routine) for routine in stage_routines(stage, default)]
        out.append("**Routines:**\n\n" + bullets(routines))
        out.append(f"**How often:** {stage.sessions_per_day} sessions a day\n")
        if stage.advice:
            out.append("**Also:**\n\n" + bullets(stage.advice))
        out.append("**Rules:**\n\n" + bullets(rule_lines(plan, stage)))
    course, action = _check_up(plan, content, help_)
    out.append("## When to get it checked\n")
    out.append(f"{md(course)}\n")
    out.append(f"**{md(action)}**\n")
    out.append("## Warning signs: stop and get help\n")
    for group in help_.signs:
        out.append(f"**{md(group.action)}:**\n\n" + bullets(group.signs))
    out.append(f"**{md(help_.where)}**\n")
    out.append("## Following it in the coach\n")
    for what, command in _commands(plan):
        mark = fence(command)
        out.append(f"{md(what)}:\n\n{mark}sh\n{command}\n{mark}\n")
    out.append("## Sources\n")
    out.append(bullets(f"{source}: {citation}" for source, citation in _sources(plan, content)))
    return "\n".join(out)
