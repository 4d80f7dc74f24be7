"""A clinic report of the pain log for the next appointment: one self-contained, printable file.

What it shows: pain over the period as a chart (daily mean, the day's range, and the mean of the
scores given before and after sessions, each its own shape), the change in words, sessions by
outcome and against the plan (the sessions a day the routine asks for; only finished sessions
count as done), skipped exercises and why, heat and ice, red-flag checks (every yes in words,
with what it called for in the person's region), and the person's notes.

It stays quick and small on a log of a million scores: SQLite sums the scores per day and
context (`Store.daily_pain`), the other records stream from the store, and the lists are capped
(the latest 50 notes and checks, with how many more there are). Nothing here reads a clock; every
piece of text from the log is escaped.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
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
from spasm_coach.store import DailyPain
from spasm_coach.vocabulary import CheckKind, Level, PlanMove, ScreeningReason

LIST_CAP = 50
"""At most this many notes, red-flag checks or skip reasons are listed; the rest are counted."""

OUTCOME_WORDS = {
    "finished": "finished",
    "stopped": "stopped early",
    "stopped-hurt": "stopped because it hurt",
    "interrupted": "interrupted (the coach was closed)",
    "cancelled": "not started",
}
"""Session outcomes in the order listed, always all of them, so 'none stopped' is said too."""
REASON_WORDS = {
    ScreeningReason.BEFORE_SESSION: "before a session",
    ScreeningReason.HIGH_OR_RISING_PAIN: "pain high or rising",
    ScreeningReason.IT_HURT: "a stretch hurt, and the session stopped",
    ScreeningReason.CLI: "on the command line",
}
"""Why a check was asked, in words (never the id the log keeps)."""
LEVEL_MARKS = {
    Level.CLEAR: "clear",
    Level.SOON: "SOON",
    Level.URGENT: "URGENT",
    Level.EMERGENCY: "EMERGENCY",
}
"""Levels in words, louder as they rise, so the level never rests on colour."""
LEVEL_VALUES = frozenset(level.value for level in Level)

When = datetime | None


# --- gathering --------------------------------------------------------------------------------


@dataclass
class DayPain:
    """One day's scores, from the per-context rows SQLite summed."""

    count: int = 0
    total: float = 0.0
    low: int = 10
    high: int = 0
    notes: int = 0
    by_context: dict[str, tuple[int, float]] = field(default_factory=dict)
    """context -> (count, total)."""

    def add(self, row: DailyPain) -> None:
        self.count += row.scores
        self.total += row.mean * row.scores
        self.low, self.high = min(self.low, row.low), max(self.high, row.high)
        self.notes += row.notes
        count, total = self.by_context.get(row.context, (0, 0.0))
        self.by_context[row.context] = (count + row.scores, total + row.mean * row.scores)

    @property
    def mean(self) -> float:
        return self.total / self.count

    def mean_of(self, context: str) -> float | None:
        count, total = self.by_context.get(context, (0, 0.0))
        return total / count if count else None


@dataclass
class SessionDay:
    finished: int = 0
    ended_early: int = 0
    """Started but stopped, stopped because it hurt, or interrupted: not done."""

    @property
    def done(self) -> int:
        """Sessions done: those that finished (CLINICAL.md section 7)."""
        return self.finished

    @property
    def started(self) -> int:
        return self.finished + self.ended_early


@dataclass
class Sessions:
    outcomes: Counter[str] = field(default_factory=Counter)
    by_day: dict[date, SessionDay] = field(default_factory=dict)
    done_exercises: Counter[str] = field(default_factory=Counter)
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(exercise name, reason) -> times."""
    hurt_during: Counter[str] = field(default_factory=Counter)


def _sessions(store: LogReader, content: Content, since: When, until: When) -> Sessions:
    """Sessions streamed one at a time, with their events; only counts are kept."""
    result = Sessions()

    def name(exercise_id: str | None) -> str:
        exercise = content.exercises.get(exercise_id or "")
        return exercise.name if exercise else (exercise_id or "an exercise")

    for record in store.sessions(since, until):
        result.outcomes[record.status] += 1
        if record.status == "cancelled":
            continue
        day = result.by_day.setdefault(record.started_at.date(), SessionDay())
        if record.status == "finished":
            day.finished += 1
        else:
            day.ended_early += 1
        for event in store.events(record.uid):
            if event.kind == "exercise-done":
                result.done_exercises[name(event.exercise_id)] += 1
            elif event.kind == "exercise-skipped":
                result.skipped[(name(event.exercise_id), event.detail or "no reason given")] += 1
            elif event.kind == "stopped-hurt":
                result.hurt_during[name(event.exercise_id)] += 1
    return result


@dataclass
class Checks:
    levels: Counter[str] = field(default_factory=Counter)
    latest_flagged: deque[Screening] = field(default_factory=lambda: deque(maxlen=LIST_CAP))
    """The latest checks with a yes answer (one changed to no with Back included), oldest
    first."""
    flagged: int = 0


def _question(content: Content, flag: str) -> str:
    if flag in content.flags_by_id:
        return content.flags_by_id[flag].question
    return "a sign this version doesn't know"


def _checks(store: LogReader, since: When, until: When) -> Checks:
    result = Checks()
    for screening in store.screenings(since, until):
        result.levels[screening.level] += 1
        taken_back = any(change.was and change.now is False for change in screening.changes)
        if screening.flags or screening.level != Level.CLEAR.value or taken_back:
            result.flagged += 1
            result.latest_flagged.append(screening)
    return result


@dataclass
class HeatIce:
    uses: int = 0
    minutes: float = 0.0
    timed: int = 0
    """Uses with a recorded end, whose minutes are counted."""
    stopped_early: int = 0


def _heat_ice(store: LogReader, since: When, until: When) -> dict[str, HeatIce]:
    result = {"heat": HeatIce(), "ice": HeatIce()}
    for use in store.applications(since, until):
        kind = result.setdefault(use.kind, HeatIce())
        kind.uses += 1
        kind.stopped_early += bool(use.stopped_early)
        if use.ended_at is not None:
            kind.timed += 1
            kind.minutes += max((use.ended_at - use.started_at).total_seconds(), 0) / 60
    return result


# --- words ------------------------------------------------------------------------------------


def _day(day: date, year: bool = False) -> str:
    return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")


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


# --- charts -----------------------------------------------------------------------------------

CHART_WIDTH = 680
LEFT, RIGHT, TOP = 44, 14, 12


def _x_labels(days: Sequence[date], x_of: Callable[[int], float], bottom: float) -> str:
    """Day labels under the axis, at most about eight, always including the first day."""
    step = max(1, math.ceil(len(days) / 8))
    parts = []
    for index in range(0, len(days), step):
        x = x_of(index)
        parts.append(
            f'<line x1="{x:.1f}" y1="{bottom:.1f}" x2="{x:.1f}" y2="{bottom + 4:.1f}" '
            'stroke="#000" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{bottom + 16:.1f}" text-anchor="middle">'
            f"{esc(_day(days[index]))}</text>"
        )
    return "".join(parts)


def _x_scale(days: Sequence[date]) -> tuple[Callable[[int], float], float]:
    width = CHART_WIDTH - LEFT - RIGHT
    step = width / max(len(days), 1)
    return (lambda index: LEFT + (index + 0.5) * step), step


def pain_chart(
    days: Sequence[date], pain: dict[date, DayPain], stages: Sequence[StageRun] = ()
) -> str:
    """Daily pain as an inline SVG: the day's range as a grey bar, the daily mean as a line of
    dots, and the before- and after-session means as a hollow square and a solid triangle.
    `stages`: the plan's stages over the days, as shaded bands named along the top."""
    plot_height = 200
    top = TOP + (STAGE_ROW if stages else 0)
    bottom = top + plot_height
    height = bottom + 60
    x_of, step = _x_scale(days)
    marker = max(2.0, min(5.0, step / 2.2))

    def y_of(score: float) -> float:
        return top + (10 - score) * plot_height / 10

    bands = " The stages of the plan are shaded bands, each named along the top." if stages else ""
    parts = [
        f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="pain-chart-title pain-chart-desc" '
        'font-size="11" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">',
        '<title id="pain-chart-title">Pain score by day, 0 to 10</title>',
        '<desc id="pain-chart-desc">For each day with scores: the mean as a dot on a line, the '
        "lowest to highest score as a grey bar, the mean of scores given before a session as a "
        f"hollow square and after a session as a solid triangle.{bands}</desc>",
        _stage_bands(days, stages, x_of, step, top, bottom),
    ]
    for score in range(0, 11, 2):
        y = y_of(score)
        stroke = (
            'stroke="#000" stroke-width="1"' if score == 0 else 'stroke="#bbb" stroke-width="0.6"'
        )
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{CHART_WIDTH - RIGHT}" y2="{y:.1f}" {stroke}/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{score}</text>'
        )
    parts.append(
        f'<text x="12" y="{top + plot_height / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {top + plot_height / 2:.1f})">score (0-10)</text>'
    )
    bar = max(1.5, min(6.0, step * 0.5))
    path: list[str] = []
    dots: list[str] = []
    shapes: list[str] = []
    previous_had_data = False
    for index, day in enumerate(days):
        stats = pain.get(day)
        if stats is None:
            previous_had_data = False
            continue
        x = x_of(index)
        parts.append(
            f'<line x1="{x:.1f}" y1="{y_of(stats.low):.1f}" x2="{x:.1f}" '
            f'y2="{y_of(stats.high):.1f}" stroke="#aaa" stroke-width="{bar:.1f}"/>'
        )
        y = y_of(stats.mean)
        path.append(f"{'L' if previous_had_data else 'M'}{x:.1f},{y:.1f}")
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{marker * 0.6:.1f}" fill="#000"/>')
        previous_had_data = True
        before = stats.mean_of("before-session")
        if before is not None:
            shapes.append(_square(x, y_of(before), marker))
        after = stats.mean_of("after-session")
        if after is not None:
            shapes.append(_triangle(x, y_of(after), marker))
    if path:
        parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="#000" stroke-width="1.4"/>')
    parts += dots + shapes
    parts.append(_x_labels(days, x_of, bottom))
    legend_y = bottom + 42
    parts.append(
        f'<g transform="translate({LEFT},{legend_y})">'
        '<line x1="0" y1="0" x2="18" y2="0" stroke="#000" stroke-width="1.4"/>'
        '<circle cx="9" cy="0" r="3" fill="#000"/>'
        '<text x="24" y="4">daily mean</text>'
        '<line x1="125" y1="-7" x2="125" y2="7" stroke="#aaa" stroke-width="5"/>'
        '<text x="134" y="4">lowest to highest</text>'
        + _square(283, 0, 5)
        + '<text x="294" y="4">before a session (mean)</text>'
        + _triangle(470, 0, 5)
        + '<text x="481" y="4">after a session (mean)</text></g>'
    )
    parts.append("</svg>")
    return "".join(parts)


STAGE_ROW = 16
"""Room above the pain chart for the names of the plan's stages."""


def _stage_bands(
    days: Sequence[date],
    stages: Sequence[StageRun],
    x_of: Callable[[int], float],
    step: float,
    top: float,
    bottom: float,
) -> str:
    """Each run of days in one stage as a band, shaded one in two, with a dashed line where a
    stage begins and its name above (cut to the band's width)."""
    index_of = {day: index for index, day in enumerate(days)}
    parts = []
    for number, run in enumerate(stages):
        if run.first not in index_of or run.last not in index_of:
            continue
        left = x_of(index_of[run.first]) - step / 2
        right = x_of(index_of[run.last]) + step / 2
        if number % 2 == 0:
            parts.append(
                f'<rect x="{left:.1f}" y="{top:.1f}" width="{right - left:.1f}" '
                f'height="{bottom - top:.1f}" fill="#ececec"/>'
            )
        if number:
            parts.append(
                f'<line x1="{left:.1f}" y1="{top - STAGE_ROW + 2:.1f}" x2="{left:.1f}" '
                f'y2="{bottom:.1f}" stroke="#000" stroke-width="1" stroke-dasharray="3 3"/>'
            )
        room = max(int((right - left - 6) / 6.2), 0)
        label = run.name if len(run.name) <= room else run.name[: max(room - 1, 0)] + "…"
        if label:
            parts.append(
                f'<text x="{left + 3:.1f}" y="{top - 4:.1f}" font-size="10">{esc(label)}</text>'
            )
    return "".join(parts)


def _square(x: float, y: float, size: float) -> str:
    return (
        f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size:.1f}" '
        f'height="{2 * size:.1f}" fill="#fff" stroke="#0b4f9c" stroke-width="1.6"/>'
    )


def _triangle(x: float, y: float, size: float) -> str:
    points = f"{x:.1f},{y + size:.1f} {x - size:.1f},{y - size:.1f} {x + size:.1f},{y - size:.1f}"
    return f'<polygon points="{points}" fill="#a33b00" stroke="#000" stroke-width="0.8"/>'


def sessions_chart(days: Sequence[date], by_day: dict[date, SessionDay], planned: int) -> str:
    """Sessions per day as bars (finished solid, ended early hatched) against the plan's line."""
    plot_height = 110
    bottom = TOP + plot_height
    height = bottom + 56
    top_value = max([planned, *(day.started for day in by_day.values())])
    x_of, step = _x_scale(days)
    width = max(1.5, step * 0.7)

    def y_of(value: float) -> float:
        return TOP + (top_value - value) * plot_height / top_value

    parts = [
        f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="sessions-chart-title" '
        'font-size="11" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">',
        f'<title id="sessions-chart-title">Sessions done each day against {planned} planned'
        "</title>",
        '<defs><pattern id="hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="5" height="5" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="5" stroke="#000" stroke-width="1.6"/></pattern></defs>',
    ]
    tick_step = 1 if top_value <= 6 else math.ceil(top_value / 6)
    for value in range(0, top_value + 1, tick_step):
        y = y_of(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{CHART_WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{"#000" if value == 0 else "#ccc"}" stroke-width="0.6"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    for index, day in enumerate(days):
        counts = by_day.get(day)
        if counts is None or not counts.started:
            continue
        x = x_of(index) - width / 2
        if counts.finished:
            parts.append(
                f'<rect x="{x:.1f}" y="{y_of(counts.finished):.1f}" width="{width:.1f}" '
                f'height="{bottom - y_of(counts.finished):.1f}" fill="#000"/>'
            )
        if counts.ended_early:
            top = y_of(counts.started)
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" '
                f'height="{y_of(counts.finished) - top:.1f}" fill="url(#hatch)" stroke="#000" '
                'stroke-width="1"/>'
            )
    planned_y = y_of(planned)
    parts.append(
        f'<line x1="{LEFT}" y1="{planned_y:.1f}" x2="{CHART_WIDTH - RIGHT}" y2="{planned_y:.1f}" '
        'stroke="#000" stroke-width="1.4" stroke-dasharray="6 4"/>'
    )
    parts.append(_x_labels(days, x_of, bottom))
    legend_y = bottom + 40
    parts.append(
        f'<g transform="translate({LEFT},{legend_y})">'
        '<rect x="0" y="-6" width="12" height="12" fill="#000"/>'
        '<text x="18" y="4">finished</text>'
        '<rect x="95" y="-6" width="12" height="12" fill="url(#hatch)" stroke="#000"/>'
        '<text x="113" y="4">started, ended early (not done)</text>'
        '<line x1="330" y1="0" x2="360" y2="0" stroke="#000" stroke-width="1.4" '
        'stroke-dasharray="6 4"/>'
        f'<text x="366" y="4">planned: {planned} a day</text></g>'
    )
    parts.append("</svg>")
    return "".join(parts)


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
    sessions = _sessions(store, content, since, until)
    data_days = [*pain, *sessions.by_day]
    first_day = min([since.date()] if since else data_days, default=now.date())
    last_day = (until - timedelta(microseconds=1)).date() if until else now.date()
    first_day = min([first_day, *data_days])  # an entry's own offset may put it a day outside
    last_day = max([last_day, *data_days])
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]

    ends = store.pain_ends(since, until)
    first_score, last_score = ends if ends is not None else (None, None)
    checks = _checks(store, since, until)
    heat_ice = _heat_ice(store, since, until)
    notes = store.pain_notes(since, until, limit=LIST_CAP)
    note_count = sum(day.notes for day in pain.values())
    journey = None
    if plan is not None:
        runs = stage_runs(stage_days(plan, store, days, now))
        changes = list(store.plan_changes(since, until))
        journey = Journey(standing(plan, store, now, default=routine), runs, changes)

    title = f"Back pain report, {_day(first_day, year=True)} to {_day(last_day, year=True)}"
    header = (
        "<header>"
        '<p class="kicker">Back pain self-care report</p>'
        f"<h1>{esc(_day(first_day, year=True))} to {esc(_day(last_day, year=True))}</h1>"
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
    heat_ice: dict[str, HeatIce],
    journey: Journey | None = None,
) -> str:
    count, mean = _overall(pain)
    items = []
    if journey is not None:
        now = journey.standing
        changed = len([c for c in journey.changes if c.kind is not PlanMove.STAY])
        items.append(
            f"Plan: stage {now.number} of {len(now.plan.stages)}, {now.stage.name}, since "
            f"{_day(now.since.date())}; {_plural(changed, 'change')} of stage in this period."
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
        f"{sessions.outcomes['stopped-hurt']} of them because it hurt."
    )
    uses = [f"{_plural(kind.uses, 'use')} of {name}" for name, kind in heat_ice.items()]
    items.append("Heat and ice: " + ", ".join(uses) + ".")
    highest = max(
        (Level(level) for level in checks.levels if level in LEVEL_VALUES),
        key=lambda level: level.rank,
        default=None,
    )
    checks_total = sum(checks.levels.values())
    if highest is None:
        items.append("Red-flag checks: none in this period.")
    else:
        items.append(
            f"Red-flag checks: {checks_total}, {checks.flagged} with a yes answer; "
            f"highest level {LEVEL_MARKS[highest]}."
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
                f"{_day(run.first)}–{_day(run.last)}",
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
    outcomes = [*OUTCOME_WORDS, *sorted(set(sessions.outcomes) - set(OUTCOME_WORDS))]
    rows = [(OUTCOME_WORDS.get(o, o), sessions.outcomes[o]) for o in outcomes]
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
                f"{_day(week[0])}–{_day(week[-1])}",
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


def _heat_ice_section(heat_ice: dict[str, HeatIce]) -> str:
    parts = ["<section><h2>Heat and ice</h2>"]
    if not any(kind.uses for kind in heat_ice.values()):
        parts.append("<p>No heat or ice in this period.</p></section>")
        return "".join(parts)
    rows = []
    for name, kind in heat_ice.items():
        average = f"{kind.minutes / kind.timed:.0f}" if kind.timed else "-"
        rows.append(
            (
                name,
                kind.uses,
                f"{kind.minutes:.0f}",
                average,
                kind.stopped_early,
                kind.uses - kind.timed,
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
        f"{_question(content, change.id)} (yes, then changed to no)"
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
        (LEVEL_MARKS[level], content.levels[level].title, checks.levels[level.value])
        for level in reversed(Level)
    ]
    rows += [(level, "", n) for level, n in checks.levels.items() if level not in LEVEL_VALUES]
    parts.append(_table(("level", "what it means", "checks"), rows, numbers=(2,)))
    if not checks.flagged:
        parts.append("<p>Every check was answered no to every warning sign.</p></section>")
        return "".join(parts)
    parts.append("<h3>Checks with a yes answer, newest first</h3>")
    flagged = []
    for screening in reversed(checks.latest_flagged):
        level = Level(screening.level) if screening.level in LEVEL_VALUES else None
        stopped = "" if screening.complete else "\n(stopped there)"
        flagged.append(
            (
                _when(screening.screened_at, now),
                (LEVEL_MARKS[level] if level else screening.level) + stopped,
                REASON_WORDS.get(screening.reason, screening.reason),
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
