"""A clinic report of the pain log for the next appointment: one self-contained, printable file.

What it shows: pain over the period as a chart (daily mean, the day's range, and the mean of the
scores given before and after sessions, each its own shape), the change in words, sessions by
outcome and against the plan (the sessions a day the routine asks for; only finished sessions
count as done), skipped exercises and why, heat and ice, red-flag checks (every yes in words,
with what it called for in the person's region), and the person's notes.

It stays quick and small on a log of a million scores: SQLite sums the scores per day and
context (`Store.daily_pain`), the other records stream from the store, and the lists are capped
(the latest 50 notes and checks, with how many more there are). Nothing here reads a clock; every
piece of text from the log is escaped, and every word for a value of the log (an outcome, a level,
a reason) is the vocabulary's. What is gathered from the log is in report_data.py, the charts in
report_charts.py; this module writes the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from spasm_coach.advice import outcome_advice, where_line
from spasm_coach.content import Content, Region, Routine
from spasm_coach.html import esc, page
from spasm_coach.journey import (
    NOT_IMPROVING,
    StageRun,
    Standing,
    change_words,
    not_settling_advice,
    stage_days,
    stage_runs,
    standing,
)
from spasm_coach.log_reader import LogReader
from spasm_coach.pain import MEANINGFUL_FRACTION, MEANINGFUL_POINTS, RESCREEN_RISE, Change, band
from spasm_coach.plans import Plan
from spasm_coach.records import PainEntry, PlanChange, Screening
from spasm_coach.report_charts import day_label, pain_chart, sessions_chart
from spasm_coach.report_data import (
    LIST_CAP,
    Checks,
    DayPain,
    HeatIce,
    SessionDay,
    Sessions,
    gather_checks,
    gather_heat_ice,
    gather_sessions,
    question_words,
)
from spasm_coach.vocabulary import CheckKind, Level, PlanMove, SessionOutcome, ThermalKind

# --- words ------------------------------------------------------------------------------------


def _when(moment: datetime, now: datetime) -> str:
    """'Mon 23 Nov 09:20', with the entry's own UTC offset when it is not the report's."""
    text = f"{moment:%a} {moment.day} {moment:%b} {moment:%H:%M}"
    if moment.utcoffset() != now.utcoffset():
        offset = f"{moment:%z}"
        text += f" (UTC{offset[:3]}:{offset[3:5]})"
    return text


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word if count == 1 else word + 's'}"


def _percent(part: float, whole: float) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


# --- the page ---------------------------------------------------------------------------------

REPORT_CSS = """
body { font-size: 11pt; }
th, td { padding: 0.6mm 2.5mm; }
.side-by-side { display: flex; flex-wrap: wrap; gap: 0 8mm; align-items: flex-start; }
.kicker { font-size: 11pt; font-weight: bold; text-transform: uppercase; letter-spacing: 0.05em;
  margin: 0 0 1mm; }
.glance { border: 1.5pt solid #000; padding: 2.5mm 4mm 1mm; margin: 3mm 0 2mm; }
.glance h2 { border: 0; margin: 0 0 1.5mm; padding: 0; }
.chart { width: 100%; margin: 1mm 0 3mm; }
.notes li { margin-bottom: 1.5mm; white-space: pre-line; }
.more { font-style: italic; }
.facts th { background: none; font-weight: bold; }
.advice { border: 1.5pt solid #000; padding: 2mm 4mm 1mm; margin: 2mm 0; }
td { white-space: pre-line; }
td:first-child { white-space: nowrap; }
footer { margin-top: 4mm; border-top: 0.75pt solid #000; padding-top: 2mm; font-size: 9pt; }
section { margin-bottom: 2mm; }
"""


NUMBER_CLASS = ' class="number"'


def _facts(rows: Iterable[tuple[str, str]]) -> str:
    """A two-column table of labelled values, the labels as row headers."""
    body = "".join(
        f'<tr><th scope="row">{esc(label)}</th><td>{esc(value)}</td></tr>' for label, value in rows
    )
    return f'<table class="keep facts"><tbody>{body}</tbody></table>'


def _table(
    head: Sequence[str], rows: Iterable[Sequence[object]], numbers: Sequence[int] = ()
) -> str:
    """A table whose cells are escaped; the columns in `numbers` are right-aligned."""

    def cells(tag: str, values: Sequence[object]) -> str:
        return "".join(
            f"<{tag}{NUMBER_CLASS if index in numbers else ''}>{esc(value)}</{tag}>"
            for index, value in enumerate(values)
        )

    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    head_row = f"<thead><tr>{cells('th', head)}</tr></thead>"
    return f'<table class="keep">{head_row}<tbody>{body}</tbody></table>'


def render_report(
    store: LogReader,
    content: Content,
    *,
    since: datetime | None,
    until: datetime | None,
    now: datetime,
    routine: Routine | None = None,
    plan: Plan | None = None,
    region: Region | None = None,
) -> str:
    """The report for since <= time < until (None: from the first entry / up to `now`) as HTML.

    `routine` is the one the person was asked to do: the plan is its sessions a day (the
    routine file's own number, else the default in data/defaults.toml). `region` gives the
    words of what each warning sign called for (none: no number, no service name). `plan` is
    the plan the person follows: its stages over the period go on the pain chart, with each
    change and its reason, and sessions against each stage's own number a day.
    """
    sessions_per_day = content.planned_per_day(routine)
    daily_rows = store.daily_pain(since, until)
    pain: dict[date, DayPain] = {}
    for row in daily_rows:
        pain.setdefault(row.day, DayPain()).add(row)
    sessions = gather_sessions(store, content, since, until)
    data_days = [*pain, *sessions.by_day]
    first_day = min([since.date()] if since else data_days, default=now.date())
    last_day = (until - timedelta(microseconds=1)).date() if until else now.date()
    first_day = min([first_day, *data_days])  # an entry's own offset may put it a day outside
    last_day = max([last_day, *data_days])
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]

    ends = store.pain_ends(since, until)
    first_score, last_score = ends if ends is not None else (None, None)
    checks = gather_checks(store, since, until)
    heat_ice = gather_heat_ice(store, since, until)
    notes = store.pain_notes(since, until, limit=LIST_CAP)
    note_count = sum(day.notes for day in pain.values())
    journey = None
    if plan is not None:
        runs = stage_runs(stage_days(plan, store, days, now))
        changes = list(store.plan_changes(since, until))
        journey = Journey(standing(plan, store, now, default=routine), runs, changes)

    title = (
        f"Back pain report, {day_label(first_day, year=True)} to {day_label(last_day, year=True)}"
    )
    header = (
        "<header>"
        '<p class="kicker">Back pain self-care report</p>'
        f"<h1>{esc(day_label(first_day, year=True))} to {esc(day_label(last_day, year=True))}</h1>"
        f"<p>{_plural(len(days), 'day')}. Made on {esc(_when(now, now))} from the person's own "
        "spasm-coach log: what they recorded at home themselves. It is not a diagnosis.</p>"
        f"<p>{esc(_plan_words(content, routine, sessions_per_day))}</p>"
        "</header>"
    )
    glance = _glance(
        pain, first_score, last_score, sessions, days, sessions_per_day, checks, heat_ice, journey
    )
    body = [
        header,
        glance,
        _pain_section(days, pain, first_score, last_score, journey.runs if journey else ()),
        _journey_section(journey, content, region, now) if journey else "",
        _sessions_section(days, sessions, sessions_per_day),
        _heat_ice_section(heat_ice),
        _checks_section(checks, content, now, region),
        _notes_section(notes, note_count, now),
        _routine_section(routine),
        _footer(content),
    ]
    return page(title, "".join(body), REPORT_CSS)


def _routine_section(routine: Routine | None) -> str:
    """The routine asked for, each exercise with its dose and the figures of its positions (as
    in the handout), so a clinician sees what the sessions held."""
    if routine is None:
        return ""
    from spasm_coach.handout import step_dose_words
    from spasm_coach.pose_svg import exercise_figures

    items = "".join(
        f'<div class="keep"><h3>{esc(step.exercise.name)}</h3>'
        f"<p>{esc(step_dose_words(step))}</p>"
        f'<div style="display:flex;flex-wrap:wrap;gap:3mm">{exercise_figures(step.exercise)}</div>'
        "</div>"
        for step in routine.steps
    )
    return f'<section class="keep"><h2>The routine: {esc(routine.name)}</h2>{items}</section>'


def _plan_words(content: Content, routine: Routine | None, per_day: int) -> str:
    plan = f"Plan: {_plural(per_day, 'session')} a day"
    if routine is None or routine.sessions_per_day is None:
        plan += " (the default: NHS inform suggests starting 3 times a day)"
    else:
        plan += " (as the routine asks)"
    if routine is not None:
        minutes = max(1, round(routine.total_seconds / 60))
        plan += (
            f", routine {routine.name} ({_plural(len(routine.steps), 'exercise')}, "
            f"about {minutes} min)"
        )
    return plan + "."


def _overall(pain: dict[date, DayPain]) -> tuple[int, float | None]:
    count = sum(day.count for day in pain.values())
    total = sum(day.total for day in pain.values())
    return count, (total / count if count else None)


def _change_words(first: PainEntry | None, last: PainEntry | None) -> str:
    if first is None or last is None:
        return "no scores"
    if first.uid == last.uid:
        return "only one score, so no change to show"
    return Change(first.score, last.score).describe()


def _glance(
    pain: dict[date, DayPain],
    first: PainEntry | None,
    last: PainEntry | None,
    sessions: Sessions,
    days: Sequence[date],
    per_day: int,
    checks: Checks,
    heat_ice: dict[ThermalKind, HeatIce],
    journey: Journey | None = None,
) -> str:
    count, mean = _overall(pain)
    items = []
    if journey is not None:
        now = journey.standing
        changed = len([c for c in journey.changes if c.kind is not PlanMove.STAY])
        items.append(
            f"Plan: stage {now.number} of {len(now.plan.stages)}, {now.stage.name}, since "
            f"{day_label(now.since.date())}; {_plural(changed, 'change')} of stage in this period."
        )
        if now.not_settling is not None:
            items.append(f"NOT SETTLING: {now.not_settling.reason} Book a check-up soon.")
    if mean is None:
        items.append("Pain: no scores in this period.")
    else:
        items.append(
            f"Pain: {_plural(count, 'score')}, mean {mean:.1f} ({band(round(mean))}); "
            f"first to last: {_change_words(first, last)}."
        )
    done = sum(day.done for day in sessions.by_day.values())
    early = sum(day.ended_early for day in sessions.by_day.values())
    planned = per_day * len(days)
    items.append(
        f"Sessions: {done:,} finished of {planned:,} planned ({_percent(done, planned)}); "
        f"{early:,} more started but ended early, "
        f"{sessions.outcomes[SessionOutcome.STOPPED_HURT]} of them because it hurt."
    )
    uses = [f"{_plural(use.uses, 'use')} of {kind.words}" for kind, use in heat_ice.items()]
    items.append("Heat and ice: " + ", ".join(uses) + ".")
    highest = max(checks.levels, key=lambda level: level.rank, default=None)
    checks_total = sum(checks.levels.values())
    if highest is None:
        items.append("Red-flag checks: none in this period.")
    else:
        items.append(
            f"Red-flag checks: {checks_total}, {checks.flagged} with a yes answer; "
            f"highest level {highest.mark}."
        )
    return (
        '<section class="glance keep"><h2>At a glance</h2><ul>'
        + "".join(f"<li>{esc(item)}</li>" for item in items)
        + "</ul></section>"
    )


def _pain_section(
    days: Sequence[date],
    pain: dict[date, DayPain],
    first: PainEntry | None,
    last: PainEntry | None,
    stages: Sequence[StageRun] = (),
) -> str:
    count, mean = _overall(pain)
    parts = ["<section><h2>Pain (0-10)</h2>"]
    if mean is None:
        parts.append("<p>No pain scores in this period.</p></section>")
        return "".join(parts)
    low = min(day.low for day in pain.values())
    high = max(day.high for day in pain.values())
    rows = [
        ("Scores", f"{count:,} on {_plural(len(pain), 'day')}"),
        ("Mean", f"{mean:.1f} ({band(round(mean))})"),
        ("Lowest to highest", f"{low} to {high}"),
        ("First score to last", _change_words(first, last)),
    ]
    for context, label in (("before-session", "before"), ("after-session", "after")):
        counted = [day.by_context[context] for day in pain.values() if context in day.by_context]
        if counted:
            n, total = sum(c for c, _ in counted), sum(t for _, t in counted)
            rows.append((f"Mean {label} sessions", f"{total / n:.1f} ({_plural(n, 'score')})"))
    parts.append(_facts(rows))
    parts.append(pain_chart(days, pain, stages))
    parts.append("</section>")
    return "".join(parts)


@dataclass(frozen=True)
class Journey:
    """The person's plan over the period: where they are now, the stages day by day, and the
    changes in the period, each with its reason."""

    standing: Standing
    runs: list[StageRun]
    changes: list[PlanChange]


def _journey_section(
    journey: Journey, content: Content, region: Region | None, now: datetime
) -> str:
    standing = journey.standing
    parts = [
        "<section><h2>The plan: stages and changes</h2>",
        f"<p>{esc(standing.plan.name)}. {esc(standing.stage_line())} "
        f"{esc(standing.why_line())}</p>",
    ]
    if standing.not_settling is not None:
        title, lines = not_settling_advice(standing.not_settling, content, region)
        parts.append(
            f'<div class="advice keep"><h3>{esc(title)} ({esc(NOT_IMPROVING)})</h3>'
            + "".join(f"<p>{esc(line)}</p>" for line in lines)
            + "</div>"
        )
    rows = []
    for run in journey.runs:
        planned = "-" if run.planned is None else f"{run.planned:,}"
        rows.append(
            (
                run.name,
                f"{day_label(run.first)}–{day_label(run.last)}",
                run.days,
                run.done,
                planned,
                "-" if run.planned is None else _percent(run.done, run.planned),
            )
        )
    parts.append("<h3>Sessions against each stage's plan</h3>")
    head = ("stage", "days", "days in it", "finished", "planned", "done of planned")
    parts.append(_table(head, rows, numbers=(2, 3, 4, 5)))
    parts.append("<h3>Each change and its reason</h3>")
    if not journey.changes:
        parts.append("<p>No changes of stage in this period.</p>")
    else:
        changes = [
            (
                _when(change.changed_at, now),
                "by itself" if change.automatic else "chosen",
                change_words(change),
            )
            for change in journey.changes[-LIST_CAP:]
        ]
        parts.append(_table(("when", "how", "change and reason"), changes))
        if len(journey.changes) > LIST_CAP:
            parts.append(f'<p class="more">and {len(journey.changes) - LIST_CAP} earlier.</p>')
    parts.append("</section>")
    return "".join(parts)


def _sessions_section(days: Sequence[date], sessions: Sessions, per_day: int) -> str:
    parts = ["<section><h2>Stretch sessions</h2>"]
    total = sum(sessions.outcomes.values())
    if not total:
        parts.append("<p>No sessions in this period.</p></section>")
        return "".join(parts)
    rows = [(outcome.explained, sessions.outcomes[outcome]) for outcome in SessionOutcome]
    rows.append(("all", total))
    parts.append('<div class="side-by-side"><div>')
    parts.append(_table(("outcome", "sessions"), rows, numbers=(1,)))
    if sessions.hurt_during:
        hurt = ", ".join(
            f"{name} ({_plural(times, 'time')})" for name, times in sessions.hurt_during.items()
        )
        parts.append(f"<p>Stopped because it hurt during: {esc(hurt)}.</p>")
    parts.append("</div>")
    if sessions.done_exercises:
        rows = sorted(sessions.done_exercises.items(), key=lambda item: (-item[1], item[0]))
        parts.append(_table(("exercise done", "times"), rows, numbers=(1,)))
    parts.append("</div>")

    done = sum(day.done for day in sessions.by_day.values())
    days_with = sum(1 for day in sessions.by_day.values() if day.done)
    planned = per_day * len(days)
    parts.append("<h3>Against the plan</h3>")
    parts.append(
        f"<p>{done:,} of {planned:,} planned sessions done ({_percent(done, planned)}), "
        f"{done / len(days):.1f} a day against {per_day}; at least one finished on "
        f"{days_with} of {_plural(len(days), 'day')}. Only finished sessions count as done; "
        "those started and ended early are shown hatched.</p>"
    )
    parts.append(sessions_chart(days, sessions.by_day, per_day))
    weeks = []
    for start in range(0, len(days), 7):
        week = days[start : start + 7]
        counts = [sessions.by_day.get(day, SessionDay()) for day in week]
        week_done = sum(c.done for c in counts)
        week_planned = per_day * len(week)
        weeks.append(
            (
                f"{day_label(week[0])}–{day_label(week[-1])}",
                f"{sum(1 for c in counts if c.done)} of {len(week)}",
                week_done,
                sum(c.ended_early for c in counts),
                week_planned,
                _percent(week_done, week_planned),
            )
        )
    head = (
        "week",
        "days with a finished session",
        "done (finished)",
        "ended early",
        "planned",
        "done of planned",
    )
    parts.append(_table(head, weeks, numbers=(2, 3, 4, 5)))

    parts.append("<h3>Skipped exercises</h3>")
    if not sessions.skipped:
        parts.append("<p>None skipped.</p>")
    else:
        ranked = sorted(sessions.skipped.items(), key=lambda item: (-item[1], item[0]))
        skipped = [(name, reason, times) for (name, reason), times in ranked[:LIST_CAP]]
        parts.append(_table(("exercise", "reason given", "times"), skipped, numbers=(2,)))
        if len(ranked) > LIST_CAP:
            parts.append(f'<p class="more">and {len(ranked) - LIST_CAP} more reasons.</p>')
    parts.append("</section>")
    return "".join(parts)


def _heat_ice_section(heat_ice: dict[ThermalKind, HeatIce]) -> str:
    parts = ["<section><h2>Heat and ice</h2>"]
    if not any(kind.uses for kind in heat_ice.values()):
        parts.append("<p>No heat or ice in this period.</p></section>")
        return "".join(parts)
    rows = []
    for kind, use in heat_ice.items():
        average = f"{use.minutes / use.timed:.0f}" if use.timed else "-"
        rows.append(
            (
                kind.words,
                use.uses,
                f"{use.minutes:.0f}",
                average,
                use.stopped_early,
                use.uses - use.timed,
            )
        )
    head = ("", "uses", "minutes in all", "minutes each (mean)", "stopped early", "no end recorded")
    parts.append(_table(head, rows, numbers=(1, 2, 3, 4, 5)))
    parts.append("</section>")
    return "".join(parts)


def _yes_words(content: Content, screening: Screening, region: Region | None) -> str:
    """Every yes in words, under what it called for, then every yes changed to no with Back:
    never a red-flag id."""
    changed = [
        f"{question_words(content, change.id)} (yes, then changed to no)"
        for change in screening.changes
        if change.was and change.now is False
    ]
    if not screening.flags:
        return "\n".join(changed) or "-"
    advice = outcome_advice(content, screening.level, screening.flags, region)
    quick = screening.kind is CheckKind.QUICK
    lines = []
    for group in advice.groups:
        signs = "; ".join(group.signs)
        said = f"one of the signs listed together: {signs}" if quick else signs
        lines.append(f"{said}\n→ {group.action}.")
    unknown = [flag for flag in screening.flags if flag not in content.flags_by_id]
    if unknown and not quick:
        lines.append("a sign this version doesn't know (" + ", ".join(unknown) + ")")
    return "\n".join([*lines, *changed])


def _checks_section(checks: Checks, content: Content, now: datetime, region: Region | None) -> str:
    parts = ["<section><h2>Red-flag checks</h2>"]
    total = sum(checks.levels.values())
    if not total:
        parts.append("<p>No red-flag checks in this period.</p></section>")
        return "".join(parts)
    rows = [
        (level.mark, content.levels[level].title, checks.levels[level]) for level in reversed(Level)
    ]
    parts.append(_table(("level", "what it means", "checks"), rows, numbers=(2,)))
    if not checks.flagged:
        parts.append("<p>Every check was answered no to every warning sign.</p></section>")
        return "".join(parts)
    parts.append("<h3>Checks with a yes answer, newest first</h3>")
    flagged = []
    for screening in reversed(checks.latest_flagged):
        stopped = "" if screening.complete else "\n(stopped there)"
        flagged.append(
            (
                _when(screening.screened_at, now),
                screening.level.mark + stopped,
                screening.reason.words,
                _yes_words(content, screening, region),
            )
        )
    parts.append(
        _table(
            ("when", "level", "asked because", "answered yes to, and what it called for"), flagged
        )
    )
    parts.append(f'<p class="muted">{esc(where_line(region))}</p>')
    if checks.flagged > LIST_CAP:
        parts.append(f'<p class="more">and {checks.flagged - LIST_CAP} earlier ones.</p>')
    parts.append("</section>")
    return "".join(parts)


def _notes_section(notes: Sequence[PainEntry], total: int, now: datetime) -> str:
    parts = ["<section><h2>Notes</h2>"]
    if not notes:
        parts.append("<p>No notes in this period.</p></section>")
        return "".join(parts)
    parts.append(
        '<p class="muted">The person\'s own words with their pain scores, newest first.</p>'
    )
    parts.append('<ul class="notes">')
    for entry in notes:
        parts.append(
            f"<li><strong>{esc(_when(entry.recorded_at, now))}, score {entry.score}, "
            f"{esc(entry.context)}:</strong> {esc(entry.note or '')}</li>"
        )
    parts.append("</ul>")
    if total > len(notes):
        parts.append(f'<p class="more">and {total - len(notes)} more.</p>')
    parts.append("</section>")
    return "".join(parts)


def _footer(content: Content) -> str:
    cited = ("OSTELO-2008", "FARRAR-2001", "NHSI-EX")
    sources = "".join(
        f"<li>{esc(source)}: {esc(content.sources[source].title)} "
        f"{esc(content.sources[source].url)}</li>"
        for source in cited
        if source in content.sources
    )
    return (
        '<footer class="keep">'
        f"<p>A change counts as meaningful at {MEANINGFUL_POINTS} points and "
        f"{round(MEANINGFUL_FRACTION * 100)}% of the first score together; a rise of "
        f"{RESCREEN_RISE} or more is never called small; smaller changes are day-to-day ups and "
        "downs. Days are the person's own calendar days. Sessions done are those that finished; "
        "those started and ended early (stopped, it hurt, or the coach was closed) are counted "
        "apart, and not started ones are left out.</p>"
        f"<ul>{sources}</ul>"
        "</footer>"
    )
