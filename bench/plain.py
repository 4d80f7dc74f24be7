"""The plain baselines: the least a Python program must do for the same job, with no spasm-coach.

`python -m bench.plain csv DB OUT`     the export's CSV columns, csv.writer over one SQL query
`python -m bench.plain json DB OUT`    the same query, json.dumps per row, as one JSON array
`python -m bench.plain import CSV DB`  csv.reader and executemany into the pain_score table

They import only the standard library, as a hand-written script would.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys

BAND = (
    "CASE WHEN score = 0 THEN 'none' WHEN score <= 3 THEN 'mild' "
    "WHEN score <= 6 THEN 'moderate' WHEN score <= 9 THEN 'severe' ELSE 'worst' END"
)
EXPORT_QUERY = (
    f"SELECT recorded_at, score, {BAND} AS band, context, coalesce(note, '') AS note, "
    "coalesce(session_uid, '') AS session, uid FROM pain_score "
    "ORDER BY julianday(recorded_at), id"
)
"""The rows and columns `spasm-coach export -f csv` writes, in the same order."""


def read_only(path: str) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def export_csv(database: str, output: str) -> None:
    with read_only(database) as db, open(output, "w", encoding="utf-8", newline="") as out:
        cursor = db.execute(EXPORT_QUERY)
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(column[0] for column in cursor.description)
        writer.writerows(cursor)


def export_json(database: str, output: str) -> None:
    with read_only(database) as db, open(output, "w", encoding="utf-8") as out:
        cursor = db.execute(EXPORT_QUERY)
        columns = [column[0] for column in cursor.description]
        out.write("[")
        separator = "\n"
        for row in cursor:
            out.write(separator + json.dumps(dict(zip(columns, row, strict=True))))
            separator = ",\n"
        out.write("\n]\n")


def import_csv(source: str, database: str) -> None:
    with open(source, encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        header = next(reader)
        at = {name: header.index(name) for name in header}
        rows = (
            (
                row[at["uid"]],
                row[at["recorded_at"]],
                int(row[at["score"]]),
                row[at["context"]],
                row[at["note"]] or None,
                row[at["session"]] or None,
            )
            for row in reader
        )
        db = sqlite3.connect(database, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT INTO pain_score (uid, recorded_at, score, context, note, session_uid) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
            rows,
        )
        db.execute("COMMIT")
        db.close()


if __name__ == "__main__":
    job, first, second = sys.argv[1:4]
    {"csv": export_csv, "json": export_json, "import": import_csv}[job](first, second)
