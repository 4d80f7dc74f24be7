"""Hypothesis over import files: a valid export (JSON or CSV, written by spasm-coach itself from
generated records) mutated the ways files go wrong: a value of the wrong type, a huge number,
NaN and Infinity, nesting thousands deep, an impossible date, text that looks like a formula,
a missing or unknown key, a cell too many.

`spasm-coach import` either imports exactly what the file holds (read back through the store's
own checks, so a 5.9 that slipped in as a score is caught) or refuses it in one line (exit 2)
with nothing imported; the entry already in the log is never lost."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import uuid
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.faults.helpers import seed_log
from tests.faults.tally import Tally
from tests.faults.test_fuzz_cli import run_main

from spasm_coach.export import write_csv, write_records_json
from spasm_coach.paths import DB_NAME, HOME_ENV
from spasm_coach.records import PainEntry, Record, SessionEvent, SessionRecord
from spasm_coach.restore import spreadsheet_unescape
from spasm_coach.store import Store
from spasm_coach.vocabulary import EventKind, PainContext, SessionOutcome

pytestmark = pytest.mark.fault("Hypothesis: import files")

TABLES = ("pain_score", "screening", "session", "session_event", "application", "safety_note")
FORMULAS = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "'=1", "\t=1", "\r=1", "'", "''x"]
NOTE = st.one_of(
    st.none(),
    st.sampled_from(FORMULAS),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=30),
)
MOMENT = st.builds(
    lambda moment, minutes: moment.replace(tzinfo=timezone(timedelta(minutes=minutes))),
    st.datetimes(datetime(1971, 1, 1), datetime(2199, 12, 30)),
    st.integers(-14 * 60 + 1, 14 * 60 - 1),
).map(lambda moment: moment.replace(microsecond=0))
PAIN = st.builds(
    lambda uid, at, score, context, note: PainEntry(str(uid), at, score, context, note, None),
    st.uuids(),
    MOMENT,
    st.integers(0, 10),
    st.sampled_from(list(PainContext)),
    NOTE.map(lambda note: note or None),
)


@st.composite
def records(draw: st.DrawFn) -> list[Record]:
    found: list[Record] = draw(st.lists(PAIN, max_size=5, unique_by=lambda entry: entry.uid))
    if draw(st.booleans()):
        start = draw(MOMENT)
        session = SessionRecord(
            str(draw(st.uuids())),
            "gentle",
            draw(st.sampled_from(["Gentle", "[/x]", "Rehab [b]1[/b] \\[x]"])),
            start,
            start + timedelta(minutes=9),
            SessionOutcome.FINISHED,
            None,
        )
        found.append(session)
        found.append(SessionEvent(str(draw(st.uuids())), session.uid, start, EventKind.FINISHED))
    return found


BAD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([5.9, 0.0, 10.0, -0.0, "5", "", "true", "9999-12-31T23:59:59-12:00"]),
    st.sampled_from(["2026-02-30T08:00+00:00", "2026-11-20T08:00", "not a date", "@@DEEP@@"]),
    st.sampled_from(FORMULAS),
    st.text(max_size=10),
    st.lists(st.integers(0, 10), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def json_text(doc: Any) -> str:
    text = json.dumps(doc, allow_nan=True)
    return text.replace('"@@DEEP@@"', "[" * 50_000 + "]" * 50_000)


@st.composite
def mutated_json(draw: st.DrawFn) -> tuple[str, list[Record], int]:
    """The file's text, the records written into it, and how many mutations were made."""
    found = draw(records())
    out = io.StringIO()
    write_records_json(found, out, datetime(2026, 11, 23, 9, tzinfo=UTC))
    doc = json.loads(out.getvalue())
    mutations = draw(st.integers(0, 3))
    for _ in range(mutations):
        holder: Any = doc
        while True:
            keys = list(holder) if isinstance(holder, dict) else list(range(len(holder)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            child = holder[key]
            if isinstance(child, dict | list) and child and draw(st.booleans()):
                holder = child
                continue
            what = draw(st.sampled_from(["replace", "replace", "remove", "add key"]))
            if what == "replace":
                holder[key] = draw(BAD_VALUES)
            elif what == "remove" and isinstance(holder, dict):
                del holder[key]
            elif isinstance(holder, dict):
                holder[draw(st.text(min_size=1, max_size=5))] = draw(BAD_VALUES)
            break
    return json_text(doc), found, mutations


BAD_CELLS = st.one_of(
    st.sampled_from(["5.9", "true", "", "11", "-1", "1e1", " 5", "٣", "10", "0"]),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["2026-02-30T08:00+00:00", "2026-11-20T08:00", "9999-12-31T23:59:59-12:00"]),
    st.sampled_from(FORMULAS),
    st.sampled_from(["check-in", "CHECK-IN", "'check-in", "not-a-uuid", "\0", "x" * 20_000]),
    st.text(max_size=8),
)


@st.composite
def mutated_csv(draw: st.DrawFn) -> tuple[str, list[Record], int]:
    found = [record for record in draw(records()) if isinstance(record, PainEntry)]
    out = io.StringIO()
    write_csv((entry.row for entry in found), out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    mutations = draw(st.integers(0, 3))
    for _ in range(mutations):
        row = draw(st.integers(0, len(rows) - 1))
        what = draw(st.sampled_from(["cell", "cell", "cell", "extra cell", "drop column"]))
        if what == "cell":
            rows[row][draw(st.integers(0, len(rows[row]) - 1))] = draw(BAD_CELLS)
        elif what == "extra cell":
            rows[row].append(draw(BAD_CELLS))
        elif len(rows[row]) > 1:
            del rows[row][draw(st.integers(0, len(rows[row]) - 1))]
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    prefix = draw(st.sampled_from(["", "\ufeff", "\n"]))
    return prefix + text.getvalue(), [*found], mutations


def counts(log: Path) -> dict[str, int]:
    with closing(sqlite3.connect(log)) as db:
        return {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES
        }


class Example:
    """A fresh data folder with one entry in it, for each example."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.number = 0

    def home(self) -> Path:
        self.number += 1
        home = self.folder / f"example-{self.number}"
        seed_log(home, scores=1)
        return home


def imported(tally: Tally, home: Path, file: Path) -> tuple[int, str, dict[str, int]]:
    log = home / DB_NAME
    before = counts(log)
    code, _, err = run_main(["--data-dir", str(home), "import", str(file)])
    after = counts(log)
    tally.tried += 1
    lines = [line for line in err.split("\n") if line.strip()]
    assert "Traceback" not in err, err
    assert "unexpected error" not in err, err
    assert code in (0, 2), (code, err)
    if code == 2:
        assert len(lines) == 1, err
        assert after == before, f"a refused import changed the log: {before} -> {after}"
    if after["pain_score"] < before["pain_score"]:
        tally.lose(before["pain_score"] - after["pain_score"])
    assert after["pain_score"] >= before["pain_score"]
    return code, err, {table: after[table] - before[table] for table in TABLES}


def read_back(home: Path) -> dict[str, PainEntry]:
    with Store.open(home / DB_NAME) as store:
        return {entry.uid: entry for entry in store.pain_scores()}


@pytest.fixture
def examples(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Example:
    folder = tmp_path_factory.mktemp("imports")
    monkeypatch.setenv(HOME_ENV, str(folder / "unused"))
    return Example(folder)


def test_a_mutated_json_export_imports_exactly_or_not_at_all(
    examples: Example, tally: Tally
) -> None:
    tally.at_stake()
    outcomes = {0: 0, 2: 0}

    @settings(max_examples=150)
    @given(mutated_json())
    def one(case: tuple[str, list[Record], int]) -> None:
        text, found, mutations = case
        home = examples.home()
        file = home / "backup.json"
        file.write_text(text, encoding="utf-8")
        code, _, added = imported(tally, home, file)
        outcomes[code] += 1
        if code != 0:
            return
        stored = read_back(home)  # every field through the store's checks
        doc = json.loads(text.replace("[" * 50_000 + "]" * 50_000, "null"))
        items = [item for item in doc.get("pain_scores", []) if isinstance(item, dict)]
        assert added["pain_score"] == len(items), (added, items)
        for item in items:
            entry = stored[str(uuid.UUID(item["uid"]))]
            assert type(item["score"]) is int, item
            assert entry.score == item["score"], item
            assert entry.context.value == item.get("context", "check-in"), item
            assert entry.recorded_at == datetime.fromisoformat(item["recorded_at"]), item
            assert (entry.note or None) == (item.get("note") or None), item
        if not mutations:
            pain = [record for record in found if isinstance(record, PainEntry)]
            assert added["pain_score"] == len(pain)
            assert added["session"] == sum(isinstance(r, SessionRecord) for r in found)

    one()
    tally.how.add(f"JSON: {outcomes[0]} imported exactly, {outcomes[2]} refused")
    tally.done()


def test_a_mutated_csv_export_imports_exactly_or_not_at_all(
    examples: Example, tally: Tally
) -> None:
    tally.at_stake()
    outcomes = {0: 0, 2: 0}

    @settings(max_examples=150)
    @given(mutated_csv())
    def one(case: tuple[str, list[Record], int]) -> None:
        text, found, mutations = case
        home = examples.home()
        file = home / "pain.csv"
        file.write_bytes(text.encode("utf-8", "surrogatepass"))
        code, _, added = imported(tally, home, file)
        outcomes[code] += 1
        if code != 0:
            return
        stored = read_back(home)
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff\n"))))
        assert added["pain_score"] == len({row.get("uid") or id(row) for row in rows}), rows
        for row in rows:
            uid = spreadsheet_unescape(row.get("uid") or "")
            if not uid:
                continue
            entry = stored[str(uuid.UUID(uid))]
            assert entry.score == int(row["score"]), row
            assert entry.recorded_at == datetime.fromisoformat(row["recorded_at"]), row
            assert (entry.note or None) == (spreadsheet_unescape(row.get("note") or "") or None)
        if not mutations:
            assert added["pain_score"] == len(found)

    one()
    tally.how.add(f"CSV: {outcomes[0]} imported exactly, {outcomes[2]} refused")
    tally.done()
