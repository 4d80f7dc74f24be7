"""Test data made inside the bench: pain logs and import files of any size, never committed.

Scores are spread evenly over about three years up to now, with mixed contexts, some notes (commas,
quotes, a formula-like one, accents) and some linked to a session. A fixed random seed makes every
run of the bench measure the same rows. The log's schema comes from the real Store.open; the rows
go in with one raw executemany, which is far faster than the store's own inserts.
"""

from __future__ import annotations

import csv
import random
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from spasm_coach.export import CSV_COLUMNS, spreadsheet_safe
from spasm_coach.pain import band
from spasm_coach.paths import DB_NAME
from spasm_coach.store import Store
from spasm_coach.vocabulary import PainContext

SPAN = timedelta(days=3 * 365)
NOTES = (
    "stiff after sitting",
    "better after the walk, but sore",
    'said "not too bad" at work',
    "=SUM(A1:A9) typed by mistake",
    "café, then heat pack",
    "woke up with it\nagain",
)
NOTE_SHARE = 0.15
CONTEXTS = tuple(context.value for context in PainContext)

SEEDING_PRAGMAS = (
    "PRAGMA journal_mode = OFF",
    "PRAGMA synchronous = OFF",
    "PRAGMA cache_size = -262144",
)
"""Test data needs no crash safety: no journal, no fsync, a 256 MiB page cache while it loads."""

Row = tuple[str, str, int, str, str | None, str | None]
"""(uid, recorded_at, score, context, note, session_uid), as the pain_score table holds them."""


def pain_rows(count: int, now: datetime) -> Iterator[Row]:
    """`count` scores, oldest first, the last one a few minutes before `now`."""
    rng = random.Random(20261123)
    step = SPAN / max(count, 1)
    start = now - SPAN
    session = _uid(rng)
    for index in range(count):
        moment = start + step * index + timedelta(seconds=rng.randrange(60))
        context = rng.choice(list(PainContext)).value
        in_session = context.endswith("session")
        if in_session and rng.random() < 0.5:
            session = _uid(rng)  # scores before and after one session share its uid
        note = rng.choice(NOTES) if rng.random() < NOTE_SHARE else None
        score = min(10, max(0, round(rng.gauss(4.5, 2.2))))
        uid = _uid(rng)
        yield (
            uid,
            moment.isoformat(timespec="seconds"),
            score,
            context,
            note,
            session if in_session else None,
        )


def _uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


RETURNING_PERSON = (
    'region = "uk"\n\n[cautions]\nosteoporosis = false\npregnancy = false\nknee = false\n'
    "wrist = false\n"
)
"""Settings of someone who has used the coach before: the region and cautions already answered,
so the coach opens on home (the first run's questions are not what start-up is about)."""


def empty_log(home: Path) -> Path:
    """A new, empty pain log in `home`, made by the real store (schema, WAL, permissions), with
    a returning person's settings beside it."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.toml").write_text(RETURNING_PERSON)
    path = home / DB_NAME
    Store.open(path).close()
    return path


def seeded_log(home: Path, count: int, now: datetime) -> Path:
    """A pain log in `home` holding `count` scores."""
    path = empty_log(home)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in SEEDING_PRAGMAS:
            db.execute(pragma)
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO pain_score (uid, recorded_at, score, context, note, session_uid) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            pain_rows(count, now),
        )
        db.execute("COMMIT")
        db.execute("PRAGMA journal_mode = WAL")  # as the store leaves it
    finally:
        db.close()
    return path


def copy_home(source: Path, target: Path) -> Path:
    """A fresh copy of a data folder (an import writes into it, so each run gets its own)."""
    shutil.copytree(source, target)
    return target


def export_csv(path: Path, count: int, now: datetime) -> Path:
    """A file in spasm-coach's own CSV export format (as `export -f csv` writes it)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for uid, recorded_at, score, context, note, session in pain_rows(count, now):
            date, time = recorded_at[:19].split("T")
            writer.writerow(
                (
                    date,
                    time,
                    recorded_at,
                    score,
                    band(score),
                    spreadsheet_safe(context),
                    spreadsheet_safe(note or ""),
                    session or "",
                    uid,
                )
            )
    return path
