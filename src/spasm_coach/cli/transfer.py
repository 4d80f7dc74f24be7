"""`spasm-coach export` and `import`: the pain log out to a file and back in.

The formats come from the core's one table (spasm_coach.export.FORMATS, a light module: the log's
modules load only when an export is written), so a format added there is offered here with no
change.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from spasm_coach.cli.base import (
    echo,
    fail,
    fail_to_write,
    now_of,
    open_journal,
    open_store,
    parse_window,
    prepare_output,
)
from spasm_coach.export import FORMATS
from spasm_coach.paths import expand_home

if TYPE_CHECKING:
    from spasm_coach.records import PainRow, Record
    from spasm_coach.store import Restored


FORMAT_HELP = "One of: " + ", ".join(FORMATS) + "."
EXPORT_HELP = f"""Export the pain log.

{"; ".join(fmt.label for fmt in FORMATS.values())}. Writes to the screen unless --output is
given; an existing file is replaced only with --force (or a yes on a terminal).
Example: spasm-coach export --format fhir --since 30d -o pain.json
"""
"""Both read from the table as the command is made, so a format added there is listed here."""


def export_log(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = next(iter(FORMATS)),
    since: Annotated[str | None, typer.Option(help="From this date: 2026-11-01, 30d.")] = None,
    until: Annotated[str | None, typer.Option(help="Up to the end of this date.")] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of the screen."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the output file if it exists.")
    ] = False,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom/--no-bom",
            help="Start a CSV file with a byte-order mark, so a spreadsheet reads accents "
            "right; --no-bom for a program that doesn't expect one.",
        ),
    ] = True,
) -> None:
    """Export the pain log (its help, EXPORT_HELP, lists the formats from the table)."""
    from spasm_coach.export import export
    from spasm_coach.files import atomic_text_file
    from spasm_coach.wording import plural

    if format not in FORMATS:
        fail(f"--format {format!r} is not one of: {', '.join(FORMATS)}")
    start, end = parse_window(ctx, since, until)
    target = prepare_output(output, force=force)
    with open_store(readonly=True, must_exist=True) as store:
        if target is None:  # a byte-order mark is for a file, not for a terminal to show
            bom = bom and not sys.stdout.isatty()
            export(store, format, sys.stdout, start, end, now_of(ctx), bom=bom)
            return
        try:
            with atomic_text_file(target) as out:
                count = export(store, format, out, start, end, now_of(ctx), bom=bom)
        except OSError as exc:
            fail_to_write(target, exc)
    echo(f"Wrote {plural(count, 'pain score')} to {output}.", err=True)


def import_log(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A CSV or JSON file made by spasm-coach export.")],
) -> None:
    """Read back a CSV or JSON export, or a file of entries the coach could not save.

    For a backup, a new laptop, or the file the coach writes when it closes with entries the
    log refused. Entries already in the log are skipped, so importing the same file twice adds
    nothing twice; what the file knows that the log does not yet (the end of a session or of
    heat or ice, a check's last answers) is added to them. A mistake anywhere in the file, or
    an entry dated later than now, means nothing is imported.
    """
    from spasm_coach.restore import RestoreError, read_import

    file = expand_home(file)
    if not file.is_file():
        fail(f"{file}: no such file")
    seen = 0

    def counted() -> Iterator[Record | PainRow]:
        nonlocal seen
        for record in read_import(file, now_of(ctx)):
            seen += 1
            yield record

    with open_journal(ctx) as journal:
        try:
            restored = journal.restore(counted())
        except RestoreError as exc:
            fail(f"{exc}. Nothing was imported.")
    echo(imported_words(restored, seen, file))


def imported_words(restored: Restored, seen: int, file: Path) -> str:
    """What an import did, in one sentence: added, brought up to date, already there."""
    from spasm_coach.wording import plural

    updates = [
        plural(restored.sessions_ended, "session's end and outcome", "sessions' ends and outcomes"),
        plural(restored.uses_ended, "heat or ice use's end", "heat or ice uses' ends"),
        plural(restored.checks_completed, "red-flag check's answers", "red-flag checks' answers"),
    ]
    counts = (restored.sessions_ended, restored.uses_ended, restored.checks_completed)
    said = [words for words, count in zip(updates, counts, strict=True) if count]
    updated = f"; updated {', '.join(said)} already in the log" if said else ""
    unchanged = seen - restored.added - restored.updated
    return (
        f"Imported {plural(restored.added, 'new record')} from {file}{updated} "
        f"({unchanged} already in the log as they are)."
    )
