"""The clinic report: per-day sums in SQL, every section, capped lists, escaped text, bounded."""

from __future__ import annotations

import re
import subprocess
import sys
import tracemalloc
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from tests.factory import add_application, add_event, add_pain, add_screening, add_session

from spasm_coach.content import Content
from spasm_coach.html import esc
from spasm_coach.pain import Change
from spasm_coach.records import AnswerChange, PainEntry, PlanChange, Screening, SessionRecord
from spasm_coach.report import render_report
from spasm_coach.report_data import LIST_CAP
from spasm_coach.store import DailyPain, Store
from spasm_coach.vocabulary import (
    CheckKind,
    EventKind,
    Level,
    PainContext,
    PlanMove,
    ScreeningReason,
    SessionOutcome,
    ThermalKind,
)

PLUS1 = timezone(timedelta(hours=1))
MINUS5 = timezone(timedelta(hours=-5))
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=PLUS1)
SINCE = datetime(2026, 11, 18, tzinfo=PLUS1)
UNTIL = datetime(2026, 11, 25, tzinfo=PLUS1)
HOSTILE = "<script>alert(1)</script>"
OUTSIDE_ASSET = re.compile(
    r"(<link\b|<script\b|<img\b|<iframe\b|<object\b|<embed\b|url\(\s*['\"]?\s*(?!#)|@import|"
    r"\b(?:src|href|action)\s*=\s*['\"]?\s*(?:https?:)?//)",
    re.I,
)
"""Anything a browser would fetch; url(#hatch) points inside the page and is allowed."""


def at(day: int, hour: int = 9, minute: int = 0, tz: timezone = PLUS1) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=tz)


def report(store: Store, content: Content, **options: Any) -> str:
    window = {"since": SINCE, "until": UNTIL, "now": NOW}
    return render_report(store, content, **{**window, **options})


class Text(HTMLParser):
    """Tags a browser would build, and the page's text with the markup gone."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())


def parsed(page: str) -> Text:
    parser = Text()
    parser.feed(page)
    return parser


def session(
    store: Store, start: datetime, outcome: SessionOutcome | None, skip: str | None = None
) -> SessionRecord:
    record = add_session(store, "standard", "Standard: daily routine", start, None)
    add_pain(store, 6, start, PainContext.BEFORE_SESSION, session_uid=record.uid)
    add_event(store, record.uid, start, EventKind.EXERCISE_DONE, "knee_to_chest")
    if skip:
        add_event(store, record.uid, start, EventKind.EXERCISE_SKIPPED, "cobra", skip)
    if outcome == "stopped-hurt":
        add_event(store, record.uid, start, EventKind.STOPPED_HURT, "cat_cow")
    if outcome is not None:
        store.end_session(record.uid, start + timedelta(minutes=10), outcome)
        add_pain(
            store,
            4,
            start + timedelta(minutes=11),
            PainContext.AFTER_SESSION,
            session_uid=record.uid,
        )
    return record


@pytest.fixture
def week(store: Store, content: Content) -> Store:
    """A week: sessions with every outcome, skips, heat and ice, checks, notes."""
    no = {flag.id: False for flag in content.flags}
    add_pain(store, 7, at(18, 8), PainContext.CHECK_IN, note="woke up stiff")
    session(store, at(18, 9), SessionOutcome.FINISHED)
    session(store, at(18, 13), SessionOutcome.FINISHED, skip="It hurts too much")
    session(store, at(19, 9), SessionOutcome.STOPPED_HURT)
    session(store, at(20, 9), SessionOutcome.FINISHED, skip="It hurts too much")
    session(store, at(20, 13), SessionOutcome.STOPPED, skip="Not today")
    session(store, at(21, 9), None)
    session(store, at(22, 9), SessionOutcome.CANCELLED)
    add_pain(store, 3, at(23, 20), PainContext.CHECK_IN, note=f"much better {HOSTILE}")
    add_screening(store, Level.CLEAR, (), no, at(18, 9), ScreeningReason.BEFORE_SESSION)
    soon = {**no, "not_improving": True}
    add_screening(
        store, Level.SOON, ("not_improving",), soon, at(20, 9), ScreeningReason.HIGH_OR_RISING_PAIN
    )
    heat = add_application(store, ThermalKind.HEAT, at(19, 11), 15)
    store.end_application(heat.uid, at(19, 11, 15), stopped_early=False)
    heat = add_application(store, ThermalKind.HEAT, at(20, 11), 15)
    store.end_application(heat.uid, at(20, 11, 5), stopped_early=True)
    add_application(store, ThermalKind.ICE, at(21, 11), 10)  # never closed
    return store


# --- the per-day sums ----------------------------------------------------------------------


def test_daily_pain_sums_each_day_and_context_in_sql(store: Store) -> None:
    add_pain(store, 6, at(20, 8), PainContext.BEFORE_SESSION)
    add_pain(store, 2, at(20, 9), PainContext.BEFORE_SESSION, note="x")
    add_pain(store, 3, at(20, 10), PainContext.AFTER_SESSION, note="")
    add_pain(store, 5, at(21, 8), PainContext.CHECK_IN, note="y")
    assert store.daily_pain() == [
        DailyPain(date(2026, 11, 20), PainContext.AFTER_SESSION, 1, 3.0, 3, 3, 0),
        DailyPain(date(2026, 11, 20), PainContext.BEFORE_SESSION, 2, 4.0, 2, 6, 1),
        DailyPain(date(2026, 11, 21), PainContext.CHECK_IN, 1, 5.0, 5, 5, 1),
    ]


def test_daily_pain_counts_a_score_on_the_day_it_was_given(store: Store) -> None:
    """23:30 in New York is the next day in UTC; the person lived it on the 20th."""
    add_pain(store, 4, at(20, 23, 30, tz=MINUS5))
    (row,) = store.daily_pain()
    assert row.day == date(2026, 11, 20)


def test_daily_pain_and_notes_keep_to_the_window(store: Store) -> None:
    add_pain(store, 1, at(17, 23), note="before")
    add_pain(store, 2, at(18, 0), note="first")
    add_pain(store, 3, at(24, 23, 59), note="last")
    add_pain(store, 4, at(25, 0), note="after")
    assert [row.scores for row in store.daily_pain(SINCE, UNTIL)] == [1, 1]
    assert [e.note for e in store.pain_notes(SINCE, UNTIL)] == ["last", "first"]


def test_pain_notes_are_the_latest_with_a_note_newest_first(store: Store) -> None:
    for hour in range(8, 20):
        add_pain(store, hour % 11, at(20, hour), note=f"note {hour}" if hour % 2 else None)
    notes = store.pain_notes(limit=3)
    assert [entry.note for entry in notes] == ["note 19", "note 17", "note 15"]
    assert all(isinstance(entry, PainEntry) for entry in notes)


# --- what the report says ------------------------------------------------------------------


def test_period_mean_and_change_in_words(week: Store, content: Content) -> None:
    page = parsed(report(week, content)).text
    assert "18 Nov 2026 to 24 Nov 2026" in page
    assert "7 days." in page
    scores = [entry.score for entry in week.pain_scores(SINCE, UNTIL)]
    mean = sum(scores) / len(scores)
    assert f"Mean {mean:.1f}" in page
    assert Change(scores[0], scores[-1]).describe() in page
    assert "Mean before sessions 6.0 (7 scores)" in page
    assert "Mean after sessions 4.0 (6 scores)" in page


def test_the_chart_marks_daily_means_and_before_after_by_shape(
    week: Store, content: Content
) -> None:
    page = report(week, content)
    svg = re.search(r'<svg class="chart".*?</svg>', page, re.S)
    assert svg is not None
    chart = svg.group(0)
    days_with_scores = len({row.day for row in week.daily_pain(SINCE, UNTIL)})
    days_before = len(
        {row.day for row in week.daily_pain(SINCE, UNTIL) if row.context == "before-session"}
    )
    days_after = len(
        {row.day for row in week.daily_pain(SINCE, UNTIL) if row.context == "after-session"}
    )
    assert chart.count('<circle cx="') == days_with_scores + 1  # + the legend's
    assert chart.count("<rect x=") == days_before + 1
    assert chart.count("<polygon") == days_after + 1
    for words in ("daily mean", "lowest to highest", "before a session", "after a session"):
        assert words in chart
    for label in ("18 Nov", "0", "10"):
        assert f">{label}</text>" in chart
    assert "<title" in chart


def test_sessions_by_outcome_and_against_the_plan(week: Store, content: Content) -> None:
    page = parsed(report(week, content)).text
    assert "finished 3" in page
    assert "stopped early 1" in page
    assert "stopped because it hurt 1" in page
    assert "interrupted (the coach was closed) 1" in page  # the one never closed
    assert "not started 1" in page
    assert "all 7" in page
    assert "3 of 21 planned sessions done (14%), 0.4 a day against 3" in page
    assert "at least one finished on 2 of 7 days" in page
    assert "Stopped because it hurt during: Cat-cow (1 time)." in page
    glance = page[page.index("At a glance") :]
    assert "Sessions: 3 finished of 21 planned (14%); 3 more started but ended early" in glance


def test_a_session_cut_off_after_seconds_is_not_done(store: Store, content: Content) -> None:
    """A session stopped 3 seconds in, or cut off, is started, not done: 0%, never 100%."""
    record = add_session(store, "standard", "Standard: daily routine", at(20, 9), None)
    store.end_session(record.uid, at(20, 9) + timedelta(seconds=3), SessionOutcome.STOPPED_HURT)
    add_session(store, "standard", "Standard: daily routine", at(20, 13), None)
    page = parsed(
        render_report(store, content, since=at(20, 0), until=at(21, 0), now=at(20, 20))
    ).text
    assert "0 of 3 planned sessions done (0%)" in page
    assert "Sessions: 0 finished of 3 planned (0%); 2 more started but ended early" in page


def test_the_plan_is_the_routines_sessions_per_day(week: Store, content: Content) -> None:
    once = replace(content.routines["standard"], sessions_per_day=1)
    page = parsed(report(week, content, routine=once)).text
    assert "3 of 7 planned sessions done (43%)" in page
    assert "Plan: 1 session a day (as the routine asks)" in page


def test_the_plan_defaults_to_the_number_in_data(week: Store, content: Content) -> None:
    assert content.sessions_per_day == 3
    page = parsed(report(week, content, routine=content.routines["gentle"])).text
    assert "routine Gentle: for a bad day (3 exercises" in page
    assert "Plan: 3 sessions a day (the default: NHS inform suggests starting 3 times a day)" in (
        page
    )
    fewer = replace(content, sessions_per_day=2)
    assert "3 of 14 planned sessions done" in parsed(report(week, fewer)).text


def test_skipped_exercises_with_reasons_and_counts(week: Store, content: Content) -> None:
    page = parsed(report(week, content)).text
    assert "Cobra (start as sphinx) It hurts too much 2" in page
    assert "Cobra (start as sphinx) Not today 1" in page


def test_heat_and_ice(week: Store, content: Content) -> None:
    page = parsed(report(week, content)).text
    assert "heat 2 20 10 1 0" in page  # uses, minutes, mean, stopped early, no end
    assert "ice 1 0 - 0 1" in page


def test_red_flag_checks_with_their_questions(week: Store, content: Content) -> None:
    page = parsed(report(week, content)).text
    assert "SOON Book a check-up soon 1" in page
    assert "clear No warning signs right now 1" in page
    question = content.flags_by_id["not_improving"].question
    assert f"Fri 20 Nov 09:00 SOON pain high or rising {question} → Book a check-up soon." in page


def test_a_stopped_session_and_an_emergency_check_read_in_words(
    store: Store, content: Content
) -> None:
    """Issue 17's log: a session stopped because it hurt, then the quick check it asked, which
    found an emergency sign. The report names both in words: no ids, and what each yes
    called for in the person's own region."""
    record = add_session(store, "standard", "Standard: daily routine", at(20, 9), None)
    add_event(store, record.uid, at(20, 9), EventKind.STOPPED_HURT, "knee_to_chest")
    store.end_session(record.uid, at(20, 9) + timedelta(seconds=3), SessionOutcome.STOPPED_HURT)
    store.save_screening(
        Screening(
            str(uuid.uuid4()),
            at(20, 9, 2),
            Level.EMERGENCY,
            ("emergency_signs_now",),
            {"emergency_signs_now": True},
            ScreeningReason.IT_HURT,
            kind=CheckKind.QUICK,
            complete=False,
        )
    )
    store.save_screening(
        Screening(
            str(uuid.uuid4()),
            at(21, 9),
            Level.EMERGENCY,
            ("chest_pain",),
            {"saddle_numbness": False, "chest_pain": True},
            ScreeningReason.BEFORE_SESSION,
            complete=False,
        )
    )
    html = report(store, content, region=content.regions["uk"])
    page = parsed(html).text
    for raw in ("emergency_signs_now", "it-hurt", "chest_pain", "stopped-hurt"):
        assert raw not in page
    assert "stopped because it hurt 1" in page
    assert "Stopped because it hurt during: Knee to chest (1 time)." in page
    assert "a stretch hurt, and the session stopped" in page
    assert "EMERGENCY (stopped there)" in page
    chest = content.flags_by_id["chest_pain"].question
    assert f"{chest} → Call 999 for an ambulance now." in page
    assert "one of the signs listed together: " + content.flags_by_id["chest_pain"].short in page
    assert "→ Go to A&E now." in page
    assert "Your numbers (United Kingdom): emergency 999" in page


def test_notes_newest_first_and_escaped(week: Store, content: Content) -> None:
    html = report(week, content)
    parser = parsed(html)
    assert "script" not in parser.tags
    assert esc(f"much better {HOSTILE}") in html
    text = parser.text
    assert text.index("much better") < text.index("woke up stiff")
    assert "Mon 23 Nov 20:00, score 3, check-in:" in text


def test_long_lists_are_capped_and_say_how_many_more(store: Store, content: Content) -> None:
    extra = 7
    for minute in range(LIST_CAP + extra):
        add_pain(store, 3, at(20, 8) + timedelta(minutes=minute), note=f"note {minute}")
        add_screening(
            store, Level.SOON, ("pregnant",), {"pregnant": True}, at(21, 8), ScreeningReason.CLI
        )
    page = parsed(report(store, content)).text
    assert f"note {LIST_CAP + extra - 1}" in page
    assert "note 6 " not in page
    assert f"and {extra} more." in page
    assert f"and {extra} earlier ones." in page


def test_an_empty_period_says_so_in_every_section(store: Store, content: Content) -> None:
    page = parsed(report(store, content)).text
    for words in (
        "Pain: no scores in this period.",
        "No pain scores in this period.",
        "No sessions in this period.",
        "No heat or ice in this period.",
        "No red-flag checks in this period.",
        "No notes in this period.",
    ):
        assert words in page


def test_text_from_the_log_is_never_markup(store: Store, content: Content) -> None:
    record = add_session(store, "x", HOSTILE, at(20), None)
    add_event(store, record.uid, at(20), EventKind.EXERCISE_SKIPPED, HOSTILE, HOSTILE)
    store.end_session(record.uid, at(20, 10), SessionOutcome.STOPPED)
    add_screening(
        store, Level.SOON, (HOSTILE,), {HOSTILE: True}, at(20), ScreeningReason.BEFORE_SESSION
    )
    add_pain(store, 5, at(20), PainContext.CHECK_IN, note=HOSTILE)
    page = report(store, content, routine=content.routines["standard"])
    assert "script" not in parsed(page).tags
    assert esc(HOSTILE) in page


def test_report_is_self_contained(week: Store, content: Content) -> None:
    page = report(week, content)
    assert not OUTSIDE_ASSET.search(page)
    assert "@page" in page


def test_without_a_window_the_period_runs_from_the_first_entry_to_now(
    week: Store, content: Content
) -> None:
    page = parsed(render_report(week, content, since=None, until=None, now=NOW)).text
    assert "18 Nov 2026 to 24 Nov 2026" in page


def test_memory_and_size_follow_the_days_not_the_scores(tmp_path: Path, content: Content) -> None:
    """Memory and page size follow the days shown, not the number of scores."""
    store = Store.open(tmp_path / "big.sqlite3")
    start = datetime(2026, 10, 1, tzinfo=PLUS1)
    count = 100_000
    entries = (
        PainEntry(
            str(uuid.UUID(int=i + 1)),
            start + timedelta(seconds=50 * i),
            i % 11,
            PainContext.BEFORE_SESSION if i % 2 else PainContext.AFTER_SESSION,
            f"note {i}" if i % 100 == 0 else None,
        )
        for i in range(count)
    )
    store.restore(entries)
    tracemalloc.start()
    try:
        page = render_report(store, content, since=None, until=None, now=NOW)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    store.close()
    assert peak < 3 * 1024 * 1024, f"peaked at {peak / 1e6:.2f} MB"
    assert len(page) < 200_000
    assert f"and {count // 100 - LIST_CAP} more." in parsed(page).text


def journeyed(store: Store) -> None:
    """A week on the plan: settling, moving on, then a step back after it hurt."""
    for day, scores in ((18, (7, 6)), (19, (5, 4)), (20, (4, 4)), (21, (3, 3)), (22, (4, 6))):
        for hour, score in zip((9, 15), scores, strict=True):
            session = add_session(store, "gentle", "Gentle", at(day, hour), None)
            add_pain(store, score, at(day, hour, 1), PainContext.BEFORE_SESSION, None, session.uid)
            store.end_session(session.uid, at(day, hour, 10), SessionOutcome.FINISHED)
    store.insert(
        change(
            at(20, 15, 20),
            PlanMove.MOVE_ON,
            ("settle", "Settle the spasm"),
            ("move", "Get moving"),
            False,
            "your last 3 scores were 4, 4 and 4.",
        )
    )
    store.insert(
        change(
            at(22, 15, 20),
            PlanMove.STEP_BACK,
            ("move", "Get moving"),
            ("settle", "Settle the spasm"),
            True,
            "your pain rose from 4 to 6.",
        )
    )


def change(
    when: datetime,
    kind: PlanMove,
    came_from: tuple[str, str],
    to: tuple[str, str],
    automatic: bool,
    reason: str,
) -> PlanChange:
    return PlanChange(
        str(uuid.uuid4()),
        when,
        "recovery",
        "From settling the spasm to getting stronger",
        kind,
        *came_from,
        *to,
        automatic,
        reason,
    )


def test_the_journey_stages_on_the_chart_sessions_against_each_stage_and_each_change(
    store: Store, content: Content
) -> None:
    from spasm_coach.plans import built_in_plans

    journeyed(store)
    for day in (23, 24):
        add_pain(store, 6, at(day), PainContext.CHECK_IN)
    plan = built_in_plans(content)["recovery"]
    page = report(store, content, plan=plan)
    text = parsed(page).text
    assert "Plan: stage 1 of 3, Settle the spasm, since 22 Nov; 2 changes of stage" in text
    assert "Here since 15:20 on Sun 22 Nov: your pain rose from 4 to 6." in text
    # the chart: a band a run of stages, named along the top, the second starting with a line
    chart = page[page.index('id="pain-chart-title"') :]
    chart = chart[: chart.index("</svg>")]
    assert re.findall(r'font-size="10">([^<]+)</text>', chart) == [
        "Settle the spasm",
        "Get moving",
        "Settle the spasm",
    ]
    assert chart.count('stroke-dasharray="3 3"') == 2
    rows = re.findall(r"<tr>(.*?)</tr>", page[page.index("Sessions against each stage") :])
    cells = [re.findall(r">([^<]*)</td>", row) for row in rows[1:4]]
    assert cells == [
        ["Settle the spasm", "18 Nov–19 Nov", "2", "4", "6", "67%"],
        ["Get moving", "20 Nov–21 Nov", "2", "4", "6", "67%"],
        ["Settle the spasm", "22 Nov–24 Nov", "3", "2", "9", "22%"],
    ]
    assert "moved on from Settle the spasm to Get moving: your last 3 scores were 4, 4 and 4." in (
        text
    )
    assert "stepped back from Get moving to Settle the spasm, by itself: your pain rose" in text


def test_not_settling_is_in_the_report_with_what_to_do(store: Store, content: Content) -> None:
    from spasm_coach.plans import built_in_plans

    for day in range(1, 25):
        add_pain(store, 6, at(day), PainContext.CHECK_IN)
    plan = built_in_plans(content)["recovery"]
    text = parsed(report(store, content, plan=plan, since=None)).text
    assert "NOT SETTLING: Not clearly better after 23 days" in text
    assert "Book a check-up soon (not_improving)" in text
    assert "Book an appointment with your doctor or a physiotherapist" in text


@pytest.mark.parametrize(
    "module",
    [
        "spasm_coach.report",
        "spasm_coach.handout",
        "spasm_coach.plan_handout",
        "spasm_coach.fhir",
        "spasm_coach.html",
        "spasm_coach.markdown",
        "spasm_coach.report_data",
        "spasm_coach.report_charts",
    ],
)
def test_module_loads_no_ui_library(module: str) -> None:
    code = f"import sys, {module}; print(sorted({{m.split('.')[0] for m in sys.modules}}))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    for ui in ("textual", "rich", "typer"):
        assert f"'{ui}'" not in loaded


def test_a_yes_changed_to_no_is_in_the_report(store: Store, content: Content) -> None:
    store.save_screening(
        Screening(
            str(uuid.uuid4()),
            at(20),
            Level.CLEAR,
            (),
            {"fever": False},
            ScreeningReason.BEFORE_SESSION,
            changes=(AnswerChange("fever", True, False),),
        )
    )
    words = " ".join(parsed(report(store, content)).text.split())
    assert "1 with a yes answer" in words
    assert f"{content.flags_by_id['fever'].question} (yes, then changed to no)" in words
