"""`spasm-coach report`: the pain log as a printable page for the next appointment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from spasm_coach.cli.base import (
    echo,
    load_content,
    now_of,
    open_store,
    parse_window,
    prepare_output,
    write_output,
)


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

    Pain over the period as a chart with the stages of your plan, each change of stage and its
    reason, sessions against the plan (your default routine's sessions a day), skipped
    exercises, heat and ice, red-flag checks (each yes in words, with what it called for) and
    your notes. Reads the log; writes nothing to it.
    Example: spasm-coach report --since 30d -o report.html
    """
    from spasm_coach.advice import region_of
    from spasm_coach.cli.plans import all_plans, followed
    from spasm_coach.content import ContentError, RoutineNotFound, find_routine
    from spasm_coach.paths import routines_dir, settings_path
    from spasm_coach.report import render_report
    from spasm_coach.settings import load_settings

    start, end = parse_window(ctx, since, until)
    target = prepare_output(output, force=force)
    content = load_content()
    settings = load_settings(settings_path())
    if settings.problem:
        echo(f"spasm-coach: {settings.problem}", err=True)
    try:
        routine = find_routine(content, settings.default_routine, routines_dir())
    except (RoutineNotFound, ContentError):
        routine = None
        echo(
            f"spasm-coach: the default routine {settings.default_routine!r} can't be found, "
            "so the report names no routine in the plan.",
            err=True,
        )
    region = region_of(content, settings.region)
    plan = followed(content, all_plans(content)[0], settings)
    with open_store(readonly=True, must_exist=True) as store:
        page = render_report(
            store,
            content,
            since=start,
            until=end,
            now=now_of(ctx),
            routine=routine,
            plan=plan,
            region=region,
        )
    write_output(page, target, "report")
