"""Every value of the vocabulary's enums, through every output that shows it to a person: the
clinic report, the history lines, the FHIR export's text and the result card. Each shows the
value's words from the vocabulary, never the token the log keeps; the CSV and JSON exports (a
file format) keep exactly the tokens, which never change.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from html.parser import HTMLParser

import pytest

from spasm_coach.content import Content
from spasm_coach.export import export
from spasm_coach.report import render_report
from spasm_coach.session import SessionResult
from spasm_coach.store import Store
from spasm_coach.trend import heat_ice_lines, session_lines
from spasm_coach.tui.dialogs.skip import SKIP_REASONS
from spasm_coach.tui.screens.summary import Summary, summary_text
from spasm_coach.vocabulary import (
    NO_REASON,
    EventKind,
    ExitCode,
    Level,
    PainContext,
    ScreeningReason,
    SessionOutcome,
    SkipReason,
    ThermalKind,
)

START = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
NOW = START + timedelta(days=7)

STORED = {
    SessionOutcome: {"finished", "stopped", "stopped-hurt", "interrupted", "cancelled"},
    ScreeningReason: {"before-session", "high-or-rising-pain", "it-hurt", "cli"},
    Level: {"clear", "soon", "urgent", "emergency"},
    ThermalKind: {"heat", "ice"},
    SkipReason: {"It hurts too much", "Can't get into position", "Not today"},
    PainContext: {
        "check-in",
        "before-session",
        "after-session",
        "during-session",
        "after-exercise",
        "after-heat",
        "after-ice",
    },
}
"""What the log and the exports keep: a file format, so these strings never change."""


def test_the_stored_tokens_never_change() -> None:
    for kind, values in STORED.items():
        assert {member.value for member in kind} == values, kind.__name__
    assert [int(code) for code in ExitCode] == [0, 1, 2, 3, 65, 66, 74, 75, 77, 78, 130]


def raw_tokens(kind: type[StrEnum], words: set[str]) -> set[str]:
    """The tokens of `kind` a person must not meet: those that read as a code (with a hyphen)
    or that are none of the words shown."""
    return {m.value for m in kind if "-" in m.value or not any(m.value in w for w in words)}


def shows(text: str, token: str) -> bool:
    """The token as a word of its own in the text ('cli' in 'clinic' is not it)."""
    return re.search(rf"(?<![\w-]){re.escape(token)}(?![\w-])", text) is not None


@pytest.fixture
def every_value(store: Store, content: Content) -> Store:
    """A week holding every outcome, skip reason, level, reason and kind."""
    at = START
    no = {flag.id: False for flag in content.flags}
    for outcome in (*SessionOutcome, None):  # None: the coach was closed, read as interrupted
        record = store.start_session("standard", "Standard", at, None)
        store.add_pain(6, at, PainContext.BEFORE_SESSION, session_uid=record.uid)
        for reason in (*SkipReason, None):
            store.add_event(record.uid, at, EventKind.EXERCISE_SKIPPED, "cobra", reason)
        if outcome is SessionOutcome.STOPPED_HURT:
            store.add_event(record.uid, at, EventKind.STOPPED_HURT, "cat_cow")
        if outcome is not None:
            store.end_session(record.uid, at + timedelta(minutes=10), outcome)
        at += timedelta(hours=3)
    for context in PainContext:
        store.add_pain(4, at, context)
    for level in Level:
        flags = tuple(flag.id for flag in content.flags if flag.level is level)[:1]
        answers = {**no, **dict.fromkeys(flags, True)}
        for reason in ScreeningReason:
            store.add_screening(level, flags, answers, at, reason)
            at += timedelta(minutes=1)
    for kind in ThermalKind:
        use = store.start_application(kind, at, 10)
        store.end_application(use.uid, at + timedelta(minutes=10), stopped_early=False)
        at += timedelta(hours=3)
    return store


class Tables(HTMLParser):
    """The page's tables, as rows of cell texts, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def column(self, head: str, name: str) -> list[str]:
        """The cells under `name` of the table whose first heading is `head`."""
        for table in self.tables:
            if table and table[0] and table[0][0] == head and name in table[0]:
                index = table[0].index(name)
                return [row[index] for row in table[1:]]
        raise AssertionError(f"no table headed {head!r} with a column {name!r}")


def test_the_clinic_report_shows_every_value_in_words(every_value: Store, content: Content) -> None:
    page = Tables()
    page.feed(render_report(every_value, content, since=START, until=NOW, now=NOW))
    text = " ".join(" ".join(page.text).split())

    outcomes = page.column("outcome", "outcome")
    assert outcomes == [outcome.explained for outcome in SessionOutcome] + ["all"]
    levels = page.column("level", "level")
    assert levels == [level.mark for level in reversed(Level)]
    asked = page.column("when", "asked because")
    assert set(asked) == {reason.words for reason in ScreeningReason}
    flagged = {cell.removesuffix(" (stopped there)") for cell in page.column("when", "level")}
    assert {level.mark for level in Level if level is not Level.CLEAR} <= flagged
    assert flagged <= {level.mark for level in Level}
    assert page.column("", "uses") == ["1"] * len(ThermalKind)
    assert page.column("", "") == [kind.words for kind in ThermalKind]
    reasons = set(page.column("exercise", "reason given"))
    assert reasons == {reason.words for reason in SkipReason} | {NO_REASON}

    shown = {*outcomes, *levels, *asked, *reasons}
    for kind in (SessionOutcome, ScreeningReason):
        for token in raw_tokens(kind, shown):
            assert not shows(text, token), f"the report shows the token {token!r}"


def test_the_history_lines_show_every_value_in_words(every_value: Store) -> None:
    outcomes = every_value.session_outcomes(START, NOW)
    assert set(outcomes) == set(SessionOutcome)
    lines = session_lines(outcomes, every_value.skipped_exercises(START, NOW), str.title)
    shown = "\n".join(lines)
    for outcome in SessionOutcome:
        assert f"  {outcome.words}: " in shown
    for reason in (*SkipReason, None):
        assert f"Cobra: {reason.words if reason else NO_REASON}" in shown
    for token in raw_tokens(SessionOutcome, set(lines)):
        assert not shows(shown, token), f"the history shows the token {token!r}"
    heat_ice = heat_ice_lines(every_value.heat_ice_uses(START, NOW))
    assert [line.split(":")[0] for line in heat_ice] == [
        kind.words.capitalize() for kind in ThermalKind
    ]


def test_the_fhir_export_says_every_outcome_and_reason_in_words(every_value: Store) -> None:
    out = io.StringIO()
    export(every_value, "fhir", out, START, NOW, NOW)
    resources = [entry["resource"] for entry in json.loads(out.getvalue())["entry"]]
    procedures = [r for r in resources if r["resourceType"] == "Procedure"]
    notes = [note["text"] for r in procedures for note in r["note"]]
    notes += [r["outcome"]["text"] for r in procedures]
    notes += [r["statusReason"]["text"] for r in procedures if "statusReason" in r]
    shown = "\n".join(notes)
    for outcome in SessionOutcome:
        assert outcome.described in shown
    for reason in (*SkipReason, None):
        assert f"({reason.words if reason else NO_REASON})" in shown
    for token in raw_tokens(SessionOutcome, set(notes)):
        assert not shows(shown, token), f"the FHIR text shows the token {token!r}"


def test_the_csv_and_json_exports_keep_every_token_as_it_is(every_value: Store) -> None:
    out = io.StringIO()
    export(every_value, "csv", out, START, NOW, NOW, bom=False)
    contexts = {row["context"] for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert contexts == STORED[PainContext]

    out = io.StringIO()
    export(every_value, "json", out, START, NOW, NOW)
    log = json.loads(out.getvalue())
    assert {s["outcome"] for s in log["sessions"]} == STORED[SessionOutcome] | {None}
    skipped = {
        event["detail"]
        for s in log["sessions"]
        for event in s["events"]
        if event["kind"] == EventKind.EXERCISE_SKIPPED.value
    }
    assert skipped == STORED[SkipReason] | {None}
    assert {s["level"] for s in log["screenings"]} == STORED[Level]
    assert {s["reason"] for s in log["screenings"]} == STORED[ScreeningReason]
    assert {use["kind"] for use in log["heat_ice"]} == STORED[ThermalKind]


@pytest.mark.parametrize("outcome", SessionOutcome)
def test_the_result_card_heads_every_outcome_in_words(outcome: SessionOutcome) -> None:
    result = SessionResult(outcome, skipped=[("Cobra", reason.words) for reason in SKIP_REASONS])
    card = summary_text(Summary(result, 6, 4, stop_for_today=False)).plain
    assert card.startswith(outcome.heading)
    assert all(f"Cobra ({reason.words})" in card for reason in SkipReason)
    for token in raw_tokens(SessionOutcome, {card}):
        assert not shows(card, token), f"the card shows the token {token!r}"
