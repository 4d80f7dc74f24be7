"""The command line: `spasm-coach` opens the coach; its commands log, show, export and screen.

Textual is imported only inside the command that draws the TUI, so `log` and `export` start fast.
Every mistake in what was typed gets one line on stderr and exit code 2; a failure that is not the
user's typing (an unreadable pain log, say) exits 1. Nothing is written when input is rejected.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from statistics import fmean
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from spasm_coach import __version__
from spasm_coach.clock import SystemClock
from spasm_coach.paths import HOME_ENV

if TYPE_CHECKING:
    from spasm_coach.content import Content, Routine
    from spasm_coach.store import Store

USAGE, FAILURE = 2, 1

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
routines_app = typer.Typer(
    help="List, show and check stretch routines, built in or your own.",
)
app.add_typer(routines_app, name="routines")


@routines_app.callback(invoke_without_command=True)
def routines_help(ctx: typer.Context) -> None:
    """List, show and check stretch routines."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


def fail(message: str, code: int = USAGE) -> NoReturn:
    """One plain line on stderr, then exit: 2 for what was typed, 1 for anything else."""
    typer.echo(f"spasm-coach: {message}", err=True)
    raise typer.Exit(code)


def _now() -> datetime:
    return SystemClock().now()


@contextmanager
def open_store(*, readonly: bool = False) -> Iterator[Store]:
    """The pain log, with its problems turned into one clear line (exit 1)."""
    import sqlite3

    from spasm_coach.paths import database_path
    from spasm_coach.store import Store, StoreError, unreadable_message

    path = database_path()
    try:
        store = Store.open(path, readonly=readonly)
    except StoreError as exc:
        fail(str(exc), FAILURE)
    try:
        yield store
    except sqlite3.DatabaseError as exc:
        fail(unreadable_message(path, exc), FAILURE)
    finally:
        store.close()


def load_content() -> Content:
    from spasm_coach.content import ContentError
    from spasm_coach.content import load_content as load

    try:
        return load()
    except ContentError as exc:
        fail(f"the built-in content is broken: {exc}. Reinstall spasm-coach.", FAILURE)


def _window(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    from spasm_coach.dates import parse_when

    now = _now()
    try:
        start = parse_when(since, now) if since else None
        end = parse_when(until, now, end_of_day=True) if until else None
    except ValueError as exc:
        fail(str(exc))
    if start and end and start >= end:
        fail(f"--since ({since}) must be before --until ({until})")
    return start, end


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
        os.environ[HOME_ENV] = str(data_dir.expanduser().resolve())
    if ctx.invoked_subcommand is None:
        coach()


@app.command()
def coach(
    routine: Annotated[
        str | None,
        typer.Option(help="A routine id or your own routine file to use instead of the default."),
    ] = None,
    demo: Annotated[
        bool,
        typer.Option(help="Demonstrate (in clinic): nothing is read from or saved to the log."),
    ] = False,
) -> None:
    """Open the coach (the same as running spasm-coach with no command)."""
    from spasm_coach.paths import database_path, settings_path
    from spasm_coach.store import Store, StoreError

    content = load_content() if routine else None
    chosen = _find_routine(content, routine) if content and routine else None
    if demo:
        store = Store.in_memory()
    else:
        try:
            store = Store.open(database_path())
        except StoreError as exc:
            fail(str(exc), FAILURE)
    from spasm_coach.tui.app import make_app

    with store:
        app = make_app(
            store,
            settings_path=None if demo else settings_path(),
            content=content,
            routine=chosen,
            demo=demo,
        )
        app.run()
    raise typer.Exit(app.return_code or 0)


@app.command("log")
def log_score(
    score: Annotated[str, typer.Argument(help="How bad is your back pain right now, 0 to 10.")],
    note: Annotated[str | None, typer.Option(help="A few words to keep with the score.")] = None,
    context: Annotated[
        str, typer.Option(help="When it was taken: check-in, before-session, after-session, ...")
    ] = "check-in",
    at: Annotated[
        str | None,
        typer.Option(help="When, if not now: 2026-11-20T08:30, or 2h for two hours ago."),
    ] = None,
) -> None:
    """Record a pain score.

    0 is no pain, 10 the worst pain you can imagine. Example: spasm-coach log 6 --note "stiff"
    """
    from spasm_coach.dates import parse_moment
    from spasm_coach.pain import CONTEXTS, band, check_score, needs_rescreen

    try:
        value = check_score(int(score.strip()))
    except ValueError:
        fail(f"a pain score is a whole number from 0 to 10, not {score!r}")
    if context not in CONTEXTS:
        fail(f"--context {context!r} is not one of: {', '.join(CONTEXTS)}")
    try:
        moment = parse_moment(at, _now()) if at else _now()
    except ValueError as exc:
        fail(f"--at: {exc}")
    with open_store() as store:
        previous = store.last_pain()
        entry = store.add_pain(value, moment, context, note)
    typer.echo(f"Logged {value}/10 ({band(value)}) at {entry.recorded_at:%Y-%m-%d %H:%M}.")
    if needs_rescreen(value, previous.score if previous else None):
        typer.echo(
            "That is high, or a big rise. Please answer the red-flag questions again before "
            "any stretching: spasm-coach screen"
        )


@app.command()
def history(
    since: Annotated[
        str | None, typer.Option(help="From this date: 2026-11-01, 7d, today.")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Up to the end of this date.")] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Only the most recent N scores.", show_default=False)
    ] = None,
) -> None:
    """Show pain scores and the trend.

    A table of scores, their mean, and the change from first to last in words (a change of 2
    points and 30% counts as meaningful). Example: spasm-coach history --since 30d
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from spasm_coach.pain import Change, band, sparkline

    start, end = _window(since, until)
    with open_store(readonly=True) as store:
        entries = list(store.pain_scores(start, end, limit))
    console = Console()
    if not entries:
        console.print("No pain scores in this period. Record one with: spasm-coach log 4")
        return
    table = Table(title="Pain scores", title_justify="left")
    table.add_column("When")
    table.add_column("Score", justify="right")
    table.add_column("", no_wrap=True)
    table.add_column("Context")
    table.add_column("Note", overflow="fold")
    for entry in entries:
        table.add_row(
            f"{entry.recorded_at:%a %d %b %H:%M}",
            f"{entry.score} {band(entry.score)}",
            "#" * entry.score,
            entry.context,
            Text(entry.note or ""),
        )
    console.print(table)
    scores = [entry.score for entry in entries]
    change = Change(scores[0], scores[-1])
    console.print(f"Scores: {len(scores)}   mean: {fmean(scores):.1f}", markup=False)
    if len(scores) > 1:
        console.print(f"First to last: {change.describe()}", markup=False)
    console.print(f"Trend: {sparkline(scores)}", markup=False)


@app.command("export")
def export_log(
    format: Annotated[str, typer.Option("--format", "-f", help="csv, json or fhir.")] = "csv",
    since: Annotated[str | None, typer.Option(help="From this date: 2026-11-01, 30d.")] = None,
    until: Annotated[str | None, typer.Option(help="Up to the end of this date.")] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of the screen."),
    ] = None,
) -> None:
    """Export the pain log.

    CSV opens in a spreadsheet, JSON is a full backup (scores, screenings, sessions, heat and
    ice), FHIR R4 is for a health record. Writes to the screen unless --output is given.
    Example: spasm-coach export --format fhir --since 30d -o pain.json
    """
    from spasm_coach.export import FORMATS, atomic_text_file, export

    if format not in FORMATS:
        fail(f"--format {format!r} is not one of: {', '.join(FORMATS)}")
    start, end = _window(since, until)
    if output is not None:
        if output.is_dir():
            fail(f"--output {output} is a folder; give a file name")
        if not output.parent.is_dir():
            fail(f"--output: the folder {output.parent} does not exist")
    with open_store(readonly=True) as store:
        if output is None:
            export(store, format, sys.stdout, start, end, _now())
            return
        try:
            with atomic_text_file(output) as out:
                count = export(store, format, out, start, end, _now())
        except OSError as exc:
            fail(f"can't write {output}: {exc.strerror or exc}", FAILURE)
    typer.echo(f"Wrote {count} pain score{'s' if count != 1 else ''} to {output}.", err=True)


@app.command("import")
def import_log(
    file: Annotated[Path, typer.Argument(help="A CSV or JSON file made by spasm-coach export.")],
) -> None:
    """Read back a CSV or JSON export.

    For a backup or a new laptop. Entries already in the log are skipped, so importing the
    same file twice adds nothing twice.
    """
    from spasm_coach.restore import RestoreError, read_export

    if not file.is_file():
        fail(f"{file}: no such file")
    try:
        records = read_export(file)
    except (RestoreError, OSError) as exc:
        fail(str(exc))
    with open_store() as store:
        added = store.restore(iter(records))
    typer.echo(
        f"Imported {added} new record{'s' if added != 1 else ''} from {file} "
        f"({len(records) - added} already in the log)."
    )


@app.command()
def screen(
    yes: Annotated[
        list[str] | None,
        typer.Option(
            "--yes", help="A red-flag id you answer yes to (repeat it); every other id is a no."
        ),
    ] = None,
    none: Annotated[
        bool, typer.Option("--none", help="Answer no to every question, on purpose.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print {level, flags, action} as JSON.")
    ] = False,
) -> None:
    """Answer the red-flag questions.

    Asks each question on a terminal; --yes ID (repeatable) answers yes to those and no to the
    rest. The answers and the outcome are logged. Example: spasm-coach screen --json --none
    """
    from spasm_coach.triage import assess

    content = load_content()
    ids = [flag.id for flag in content.flags]
    chosen = yes or []
    unknown = [flag_id for flag_id in chosen if flag_id not in ids]
    if unknown:
        fail(f"unknown red-flag id {', '.join(unknown)}; valid ids: {', '.join(ids)}")
    if chosen and none:
        fail("--none means no to everything; don't combine it with --yes")
    if chosen or none:
        answers = {flag_id: flag_id in chosen for flag_id in ids}
    elif sys.stdin.isatty():
        answers = _ask_red_flags(content)
    else:
        fail("answer the questions on a terminal, or give --yes ID (repeatable) or --none")
    outcome = assess(content, answers)
    if as_json:
        typer.echo(json.dumps(outcome.as_dict(), indent=2))
    else:
        _print_outcome(content, outcome.level, outcome.flags)
    with open_store() as store:
        store.add_screening(outcome.level.value, outcome.flags, outcome.answers, _now(), "cli")


def _ask_red_flags(content: Content) -> dict[str, bool]:
    typer.echo(
        "Answer each question yes or no. Think of anything new, or getting worse, "
        "that is not normal for you.\n"
    )
    answers = {}
    total = len(content.flags)
    for number, flag in enumerate(content.flags, start=1):
        while True:
            reply = typer.prompt(f"{number}/{total}  {flag.question} [yes/no]", default="")
            reply = reply.strip().lower()
            if reply in ("y", "yes", "n", "no"):
                answers[flag.id] = reply.startswith("y")
                break
            typer.echo("Please type yes or no.")
    typer.echo()
    return answers


def _print_outcome(content: Content, level: object, flags: tuple[str, ...]) -> None:
    advice = content.levels[level]  # type: ignore[index]
    typer.echo(advice.title.upper() if advice.level.value == "emergency" else advice.title)
    typer.echo(advice.action)
    if flags:
        typer.echo("\nYou said yes to:")
        for flag_id in flags:
            typer.echo(f"  - {content.flags_by_id[flag_id].question}")
    if advice.level.value in ("emergency", "urgent"):
        typer.echo("\nDon't start the stretches.")
    card = content.ces_card
    if advice.level.value == "emergency":
        typer.echo(f"\n{card.title}")
        for line in card.lines:
            typer.echo(f"  - {line}")


def _user_routines_dir() -> Path:
    from spasm_coach.paths import config_dir

    return config_dir() / "routines"


def _find_routine(content: Content, name: str) -> Routine:
    from spasm_coach.content import ContentError, load_routine_file

    if name in content.routines:
        return content.routines[name]
    candidates = [Path(name), _user_routines_dir() / f"{name}.toml"]
    for path in candidates:
        if path.is_file():
            try:
                return load_routine_file(path, content)
            except ContentError as exc:
                fail(str(exc), FAILURE)
    fail(f"no routine {name!r}; see spasm-coach routines list")


def _minutes(seconds: int) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds} s"


@routines_app.command("list")
def routines_list() -> None:
    """List the built-in routines and your own.

    Your own routine files go in the routines/ folder of the config folder (spasm-coach where).
    """
    from spasm_coach.content import ContentError, load_routine_file

    content = load_content()
    routines = list(content.routines.values())
    problems = []
    for path in sorted(_user_routines_dir().glob("*.toml")):
        try:
            routines.append(load_routine_file(path, content))
        except ContentError as exc:
            problems.append(str(exc))
    for routine in routines:
        origin = "built in" if routine.path is None or content.root in routine.path.parents else ""
        steps = ", ".join(step.exercise.name for step in routine.steps)
        typer.echo(f"{routine.id:<12} {routine.name}  (about {_minutes(routine.total_seconds)})")
        typer.echo(f"{'':<12} {steps}" + (f"  [{origin or routine.path}]"))
    for problem in problems:
        typer.echo(f"skipped: {problem}", err=True)


@routines_app.command("show")
def routines_show(
    routine: Annotated[str, typer.Argument(help="A routine id from `routines list`, or a file.")],
) -> None:
    """Show every step of a routine with its dose."""
    chosen = _find_routine(load_content(), routine)
    typer.echo(f"{chosen.name} ({chosen.id}), about {_minutes(chosen.total_seconds)}")
    typer.echo(chosen.description)
    for number, step in enumerate(chosen.steps, start=1):
        dose = step.dose
        sides = " each side" if dose.sided else ""
        pacing = (
            f", breathe in {dose.breath_in_seconds} s / out {dose.breath_out_seconds} s"
            if dose.paced
            else ""
        )
        typer.echo(
            f"{number}. {step.exercise.name}: hold {dose.hold_seconds} s x {dose.repetitions}"
            f"{sides}, rest {dose.rest_seconds} s{pacing}"
        )


@routines_app.command("validate")
def routines_validate(
    file: Annotated[Path, typer.Argument(help="A routine TOML file to check.")],
) -> None:
    """Check a routine file.

    Prints a summary and exits 0 if it is usable; else names the mistake and exits 1.
    """
    from spasm_coach.content import ContentError, load_routine_file

    if not file.is_file():
        fail(f"{file}: no such file")
    try:
        routine = load_routine_file(file, load_content())
    except ContentError as exc:
        fail(str(exc), FAILURE)
    typer.echo(
        f"OK: {routine.name} ({routine.id}), {len(routine.steps)} steps, "
        f"about {_minutes(routine.total_seconds)}"
    )


NOTHING_DUE = 3


@app.command()
def remind(
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
        typer.echo(f"spasm-coach: {settings.problem}", err=True)
    now = _now()
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
        raise typer.Exit(NOTHING_DUE)


@app.command()
def where() -> None:
    """Show where the data lives.

    The pain log, settings and content folders, their permissions, and how to back them up or
    delete them.
    """
    from spasm_coach.paths import config_dir, content_dir, data_dir, database_path, settings_path

    def show(label: str, path: Path) -> None:
        state = "missing"
        if path.exists():
            state = f"{path.stat().st_mode & 0o777:o}"
        typer.echo(f"{label:<16} {path}  ({state})")

    show("data folder", data_dir())
    show("pain log", database_path())
    show("config folder", config_dir())
    show("settings", settings_path())
    show("own routines", _user_routines_dir())
    show("content", content_dir())
    typer.echo(
        "\nBack up: spasm-coach export --format json -o backup.json (or copy the data folder "
        "while the coach is closed).\nDelete everything: close the coach and remove the data "
        "and config folders."
    )


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; only 127.0.0.1 keeps it on this computer.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8017,
    demo: Annotated[
        bool,
        typer.Option(help="Demonstrate (in clinic): nothing is read from or saved to the log."),
    ] = False,
) -> None:
    """Open the coach in a web browser (for a clinic screen or a video call).

    Each browser tab gets its own coach, using the same pain log as the terminal. Needs the
    serve extra: pip install 'spasm-coach[serve]'. Example: spasm-coach serve --demo
    """
    from spasm_coach import web

    try:
        web.serve(host, port, demo=demo)
    except web.ServeError as exc:
        fail(str(exc), exc.code)


def main() -> None:
    """Entry point: typing mistakes become one line and exit 2; Ctrl+C exits 130."""
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as exc:
        context = getattr(exc, "ctx", None)
        hint = f" (see: {context.command_path} --help)" if context is not None else ""
        typer.echo(f"spasm-coach: {exc.format_message()}{hint}", err=True)
        code = exc.exit_code
    except typer.Abort:
        typer.echo("\nStopped; nothing more was saved.", err=True)
        code = 130
    except KeyboardInterrupt:
        typer.echo("\nStopped; nothing more was saved.", err=True)
        code = 130
    except BrokenPipeError:
        # The reader (`| head`) went away: say nothing more and don't flush into a closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = FAILURE
    except Exception as exc:
        if os.environ.get("SPASM_COACH_DEBUG"):
            raise
        typer.echo(
            f"spasm-coach: unexpected error ({type(exc).__name__}: {exc}). Nothing you entered "
            "before this was lost. Run again with SPASM_COACH_DEBUG=1 for details to report.",
            err=True,
        )
        code = FAILURE
    sys.exit(code or 0)
