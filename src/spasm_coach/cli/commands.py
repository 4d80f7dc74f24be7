"""The commands: `spasm-coach` opens the coach; the others log, show, export, import and screen.

Textual is imported only inside the command that draws the TUI, so `log` and `export` start fast.
Every write goes through the journal, which takes its time from the clock in the context object.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from spasm_coach import __version__
from spasm_coach.cli.base import (
    CliContext,
    clock_of,
    echo,
    fail,
    load_content,
    now_of,
    open_journal,
    open_store,
    parse_window,
    standing_warning,
)
from spasm_coach.cli.coach import open_coach, report_failure, say
from spasm_coach.cli.plans import plan, plans_app, step_back_if_due
from spasm_coach.cli.report import report
from spasm_coach.cli.routines import choose_routine, routines_app
from spasm_coach.cli.screen import screen
from spasm_coach.cli.transfer import EXPORT_HELP, export_log, import_log
from spasm_coach.clock import Clock, SystemClock
from spasm_coach.paths import HOME_ENV, expand_home, routines_dir
from spasm_coach.vocabulary import ExitCode, PainContext

if TYPE_CHECKING:
    from rich.console import Console

    from spasm_coach.records import PainRow

app = typer.Typer(
    name="spasm-coach",
    help=(
        "A terminal coach through an acute back spasm: a red-flag check, timed stretches, "
        "heat and ice, and a private pain log.\n\n"
        "Run with no command to open the coach. It is a self-care aid, not a diagnosis: "
        "if you are worried, or a red flag appears, get medical help."
    ),
    add_completion=False,
    no_args_is_help=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(routines_app, name="routines")
app.add_typer(plans_app, name="plans")
app.command()(plan)
app.command()(screen)
app.command()(report)
app.command("export", help=EXPORT_HELP)(export_log)
app.command("import")(import_log)

HISTORY_LIMIT_MAX = 1_000_000_000
"""The coach never waits long on a busy log: it keeps the entry and tries again (journal)."""


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"spasm-coach {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_options(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help=f"Keep the pain log and settings in this folder (also: {HOME_ENV}).",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_show_version, is_eager=True
        ),
    ] = False,
) -> None:
    if data_dir is not None:
        os.environ[HOME_ENV] = str(expand_home(data_dir).resolve())
    if ctx.invoked_subcommand is None:
        coach(ctx)


@app.command()
def coach(
    ctx: typer.Context,
    routine: Annotated[
        str | None,
        typer.Option(help="A routine id or your own routine file to use instead of the default."),
    ] = None,
    demo: Annotated[bool, typer.Option(hidden=True, help="The same as: spasm-coach demo")] = False,
) -> None:
    """Open the coach (the same as running spasm-coach with no command)."""
    if demo:
        demonstrate(ctx, routine, None, False)
        return
    content = load_content() if routine else None
    chosen = choose_routine(content, routine) if content and routine else None
    raise typer.Exit(open_coach(clock_of(ctx), content, chosen))


@app.command("demo")
def demonstrate(
    ctx: typer.Context,
    routine: Annotated[
        str | None,
        typer.Option(
            help="A routine id, an installed routine, or a routine file (default: standard)."
        ),
    ] = None,
    exercise: Annotated[
        str | None,
        typer.Option(help="Start at this exercise (an id: cobra, knee-to-chest, ...)."),
    ] = None,
    plan: Annotated[
        bool,
        typer.Option(
            "--plan",
            help="Show the plan the coach follows, stage by stage, and demonstrate any stage "
            "(another plan: spasm-coach plans demo ID|FILE).",
        ),
    ] = False,
) -> None:
    """Demonstrate a routine in clinic, on a projector or a shared screen.

    Nothing is saved to the pain log and no safety questions are asked: a clinician is
    present. A warning sign standing in the log is shown first, with a key to confirm that.
    Keys: arrows step, [ and ] or 1-9 change exercise, g picks one from
    a list, r restarts it, i shows the instructions, q quits.

    Example: spasm-coach demo --routine clinic-jones --exercise cobra
    """
    from spasm_coach.content import ExerciseNotFound, find_exercise

    if plan:
        if routine or exercise:
            fail("--plan shows the plan's own routines: leave out --routine and --exercise")
        from spasm_coach.cli.plans import plans_demo

        plans_demo(ctx, None)
    content = load_content()
    chosen = choose_routine(content, routine) if routine else content.routines["standard"]
    try:
        first = find_exercise(content, chosen, exercise) if exercise else None
    except ExerciseNotFound as exc:
        fail(f"{exc} (see: spasm-coach routines show {chosen.id})")
    from spasm_coach.speech import find_speaker
    from spasm_coach.tui.clinic import ClinicApp

    standing = standing_warning(ctx, content)
    tui = ClinicApp(
        chosen,
        first,
        clock=clock_of(ctx),
        speaker=find_speaker(),
        spoken=content.spoken,
        standing=standing,
    )
    tui.run()
    raise typer.Exit(tui.return_code or 0)


@app.command("log")
def log_score(
    ctx: typer.Context,
    score: Annotated[str, typer.Argument(help="How bad is your back pain right now, 0 to 10.")],
    note: Annotated[str | None, typer.Option(help="A few words to keep with the score.")] = None,
    context: Annotated[
        PainContext, typer.Option(help="When it was taken.", case_sensitive=False)
    ] = PainContext.CHECK_IN,
    at: Annotated[
        str | None,
        typer.Option(help="When, if not now: 2026-11-20T08:30, or 2h for two hours ago."),
    ] = None,
) -> None:
    """Record a pain score.

    0 is no pain, 10 the worst pain you can imagine. Example: spasm-coach log 6 --note "stiff"
    """
    from spasm_coach.dates import parse_moment
    from spasm_coach.gate import feed
    from spasm_coach.pain import band, parse_score
    from spasm_coach.records import RecordError, check_text

    try:
        value = parse_score(score)
    except ValueError as exc:
        fail(str(exc))
    try:
        check_text(note, "--note", optional=True)
    except RecordError as exc:
        fail(f"{exc}; type the note again in plain text")
    try:
        moment = parse_moment(at, now_of(ctx)) if at else None
    except ValueError as exc:
        fail(f"--at: {exc}")
    with open_journal(ctx) as journal:
        logged = journal.log_pain(value, context, note, at=moment)
        advice = feed(journal, pain=logged)
        recorded = logged.entry.recorded_at
        typer.echo(f"Logged {value}/10 ({band(value)}) at {recorded:%Y-%m-%d %H:%M}.")
        for line in advice.lines:
            typer.echo(line)
        if logged.rescreen:
            typer.echo(
                "That is high, or a big rise. Please answer the red-flag questions again before "
                "any stretching: spasm-coach screen"
            )
            step_back_if_due(ctx, journal)


@app.command()
def history(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="From this date: 2026-11-01, 7d, today.")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Up to the end of this date.")] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            min=1, max=HISTORY_LIMIT_MAX, help="Only the most recent N scores.", show_default=False
        ),
    ] = None,
) -> None:
    """Show pain scores and the trend.

    A table of scores, their mean, and the change from first to last in words (a change of 2
    points and 30% counts as meaningful). Example: spasm-coach history --since 30d
    """
    from rich.console import Console
    from rich.text import Text

    from spasm_coach.pain import Change, sparkline

    start, end = parse_window(ctx, since, until)
    console = Console()
    with open_store(readonly=True) as store:
        totals = store.pain_totals(start, end, limit)
        if not totals.scores:
            console.print("No pain scores in this period. Record one with: spasm-coach log 4")
            return
        # The table streams from the log a chunk at a time, so a log of any size prints in
        # the memory of one chunk; its columns are fixed, so the chunks line up as one table.
        widths = (16, 10, 10, 14)
        note_at = sum(widths) + 2 * len(widths)
        note_width = max(10, console.width - note_at)
        console.print(Text("Pain scores", style="italic"))
        header = "  ".join(
            f"{name:<{width}}"
            for name, width in zip(("When", "Score", "", "Context"), widths, strict=True)
        )
        console.print(Text(f"{header}  Note", style="bold"), overflow="crop", no_wrap=True)
        console.print("─" * (note_at + note_width), overflow="crop", no_wrap=True)
        rows = (
            (entry.row for entry in store.recent_pain_scores(start, end, limit))
            if limit
            else store.pain_rows(start, end)
        )
        _print_score_rows(console, rows, note_at, note_width)
        recent = [entry.score for entry in store.pain_scores(start, end, min(limit or 40, 40))]
    console.print(f"Scores: {totals.scores}   mean: {totals.mean:.1f}", markup=False)
    if totals.scores > 1 and totals.first is not None and totals.last is not None:
        console.print(
            f"First to last: {Change(totals.first, totals.last).describe()}", markup=False
        )
    console.print(f"Trend: {sparkline(recent)}", markup=False)


def _print_score_rows(
    console: Console, rows: Iterable[PainRow], note_at: int, note_width: int
) -> None:
    """The rows of `history`, written to the console's file 500 lines at a time.

    The rows are plain text made safe by the text guard, so they go straight to the file:
    Rich's handling of each line would double the time of a long log.
    """
    import textwrap
    from datetime import date

    from rich.cells import cell_len
    from rich.text import Text

    from spasm_coach.guard import safe_text
    from spasm_coach.pain import band

    def wrap(note: str) -> list[str]:
        """A long note in lines of the note column; plain ASCII by the standard library's
        wrapper, which is much quicker than Rich's and gives the same lines."""
        if note.isascii():
            return textwrap.wrap(note, note_width, break_on_hyphens=False)
        return [line.plain for line in Text(note).wrap(console, note_width, overflow="fold")]

    # A row's parts come from small tables made as they are first needed (a day's label,
    # a score's words and bar), so a long log costs a lookup per row, not a date to parse.
    scored = [f"{f'{value} {band(value)}':>10}  {'#' * value:<10}  " for value in range(11)]
    days: dict[str, str] = {}
    lines: list[str] = []
    for _, recorded_at, score, context, text, _ in rows:
        day = recorded_at[:10]  # written as 2026-11-23T09:20:00+01:00
        label = days.get(day)
        if label is None:
            label = days[day] = f"{date.fromisoformat(day):%a %d %b}"
        row = f"{label} {recorded_at[11:16]}  {scored[score]}{context:<14}"
        note = safe_text(text, one_line=True) if text else ""  # a line break reads as a space
        if cell_len(note) <= note_width:
            lines.append(f"{row}  {note}".rstrip())
        else:
            first, *more = wrap(note) or [""]
            lines.append(f"{row}  {first}".rstrip())
            lines.extend(" " * note_at + line.rstrip() for line in more)
        if len(lines) >= 500:
            console.file.write("\n".join(lines) + "\n")
            lines.clear()
    if lines:
        console.file.write("\n".join(lines) + "\n")


@app.command()
def remind(
    ctx: typer.Context,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print {now, due_now, upcoming} as JSON."),
    ] = False,
) -> None:
    """Show heat, ice or a stretch session due now, and what comes next.

    For a cron job or systemd timer: exits 0 when something is due now and 3 when nothing is
    (not an error), so `msg=$(spasm-coach remind) && notify-send spasm-coach "$msg"` shows only
    what is due. Reminders come only between 08:00 and 21:00, and only for heat or ice used in
    the last 24 hours and once stretch sessions have been started. Reads the log; writes nothing.
    """
    from spasm_coach.paths import settings_path
    from spasm_coach.remind import reminders
    from spasm_coach.settings import load_settings

    content = load_content()
    settings = load_settings(settings_path())
    if settings.problem:
        echo(f"spasm-coach: {settings.problem}", err=True)
    now = now_of(ctx)
    with open_store(readonly=True) as store:
        found = reminders(store, content, settings, now)
    if as_json:
        typer.echo(json.dumps(found.to_dict(), indent=2))
    else:
        for reminder in found.due_now:
            typer.echo(reminder.message)
        if not found.due_now:
            typer.echo("Nothing due now.")
        for reminder in found.upcoming:
            typer.echo(f"Later: {reminder.message}")
    if not found.due_now:
        raise typer.Exit(ExitCode.NOTHING_DUE)


@app.command()
def where() -> None:
    """Show where the data lives.

    The pain log, settings and content folders, their permissions, and how to back them up or
    delete them.
    """
    from spasm_coach.paths import (
        config_dir,
        content_dir,
        data_dir,
        database_path,
        plans_dir,
        settings_path,
    )

    def show(label: str, path: Path) -> None:
        state = "missing"
        if path.exists():
            state = f"{path.stat().st_mode & 0o777:o}"
        echo(f"{label:<16} {path}  ({state})")

    show("data folder", data_dir())
    show("pain log", database_path())
    show("config folder", config_dir())
    show("settings", settings_path())
    show("own routines", routines_dir())
    show("own plans", plans_dir())
    show("content", content_dir())
    typer.echo(
        "\nBack up: spasm-coach export --format json -o backup.json (or copy the data folder "
        "while the coach is closed).\nDelete everything: close the coach and remove the data "
        "and config folders."
    )


@app.command()
def serve(
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on. Only 127.0.0.1 (the default) keeps it on this computer; "
            "any other needs --allow-network."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8017,
    demo: Annotated[
        bool,
        typer.Option(help="Demonstrate (in clinic): nothing is read from or saved to the log."),
    ] = False,
    allow_network: Annotated[
        bool,
        typer.Option(
            "--allow-network",
            help="Let --host be an address other computers can reach (the pain log with it).",
        ),
    ] = False,
    open_tab: Annotated[
        bool, typer.Option("--open", help="Open the coach in your web browser too.")
    ] = False,
    routine: Annotated[
        str | None,
        typer.Option(
            help="A routine id, an installed routine or a routine file for every tab (as "
            "coach --routine, or demo --routine with --demo)."
        ),
    ] = None,
) -> None:
    """Open the coach in a web browser (for a clinic screen or a video call).

    Each browser tab gets its own coach, using the same pain log as the terminal. The address
    printed holds a key made afresh at every start: only someone with it can open the coach.
    Needs the serve extra: pip install 'spasm-coach[serve]'. Example: spasm-coach serve --open
    """
    from spasm_coach.cli import web

    if routine is not None:  # a routine nothing has is said here, not as a blank tab
        choose_routine(load_content(), routine)
        typed = Path(routine).expanduser()
        if typed.is_file():  # a file: the same one, wherever the tab's coach starts
            routine = str(typed.resolve())
    try:
        web.serve(
            host,
            port,
            demo=demo,
            allow_network=allow_network,
            open_tab=open_tab,
            routine=routine,
        )
    except web.ServeError as exc:
        fail(str(exc), exc.code)


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> None:
    """Entry point: typing mistakes become one line and exit 2; Ctrl+C exits 130."""
    try:
        code = app(
            args=list(argv) if argv is not None else None,
            standalone_mode=False,
            obj=CliContext(clock or SystemClock()),
        )
    except typer.TyperException as exc:
        context = getattr(exc, "ctx", None)
        hint = f" (see: {context.command_path} --help)" if context is not None else ""
        say(f"{exc.format_message()}{hint}")
        code = exc.exit_code
    except typer.Abort:
        typer.echo("\nStopped; nothing more was saved.", err=True)
        code = ExitCode.INTERRUPTED
    except KeyboardInterrupt:
        typer.echo("\nStopped; nothing more was saved.", err=True)
        code = ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader (`| head`) went away: say nothing more and don't flush into a closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = ExitCode.FAILURE
    except Exception as exc:
        code = report_failure(exc)
    sys.exit(code or 0)
