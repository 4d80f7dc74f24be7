"""`spasm-coach report`: the pain log as a printable page for the next appointment.

Also the output rules it shares with `routines handout`: to the screen, or written whole (never
half a file) to a private file, which is replaced only when the person says so.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from spasm_coach.cli.base import (
    FAILURE,
    USAGE,
    fail,
    load_content,
    now_of,
    open_store,
    parse_window,
)


def prepare_output(output: Path | None, *, force: bool) -> Path | None:
    """The file to write (None: the screen), checked before any work is done.

    Never the pain log or a folder; an existing file is replaced with --force, or when the
    person answers yes on a terminal. Otherwise nothing is written.
    """
    from spasm_coach.export import ExportTargetError, check_target
    from spasm_coach.paths import database_path

    if output is None:
        return None
    try:
        target = check_target(output, database_path())
    except ExportTargetError as exc:
        fail(f"--output: {exc}")
    if target.exists() and not force:
        if not sys.stdin.isatty():
            fail(f"--output: {output} already exists; add --force to replace it")
        if not typer.confirm(f"{output} already exists. Replace it?", default=False):
            fail(f"{output} was kept; nothing was written", FAILURE)
    return target


def write_output(text: str, target: Path | None, what: str) -> None:
    """`text` to the screen, or to `target` whole: written beside it, then renamed over it."""
    import errno

    from spasm_coach.export import atomic_text_file

    if target is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        with atomic_text_file(target) as out:
            out.write(text)
    except OSError as exc:
        code = USAGE if exc.errno == errno.ENAMETOOLONG else FAILURE
        fail(f"can't write {target}: {exc.strerror or exc}", code)
    typer.echo(f"Wrote the {what} to {target}.", err=True)


def report(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="From this date: 2026-11-01, 30d, today.")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Up to the end of this date.")] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of the screen."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the output file if it exists.")
    ] = False,
) -> None:
    """Make a clinic report of the pain log (one HTML page to print or send).

    Pain over the period as a chart, the change in words, sessions against the plan (your
    default routine), skipped exercises, heat and ice, red-flag checks and your notes. Reads the
    log; writes nothing to it. Example: spasm-coach report --since 30d -o report.html
    """
    from spasm_coach.cli.routines import user_routines_dir
    from spasm_coach.content import ContentError, RoutineNotFound, find_routine
    from spasm_coach.paths import settings_path
    from spasm_coach.report import render_report
    from spasm_coach.settings import load_settings

    start, end = parse_window(ctx, since, until)
    target = prepare_output(output, force=force)
    content = load_content()
    settings = load_settings(settings_path())
    if settings.problem:
        typer.echo(f"spasm-coach: {settings.problem}", err=True)
    try:
        routine = find_routine(content, settings.default_routine, user_routines_dir())
    except (RoutineNotFound, ContentError):
        routine = None
        typer.echo(
            f"spasm-coach: the default routine {settings.default_routine!r} can't be found, "
            "so the report names no routine in the plan.",
            err=True,
        )
    with open_store(readonly=True, must_exist=True) as store:
        page = render_report(
            store, content, since=start, until=end, now=now_of(ctx), routine=routine
        )
    write_output(page, target, "report")
