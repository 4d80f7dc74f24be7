"""`spasm-coach routines`: list, show, check, install and print routines, built in or your own.

A physiotherapist writes a routine file (docs/routines.md), checks it with `validate`, which
reports every problem in one run, and installs it with `install`; from then on the routine's id
works wherever a routine is named (`show`, `handout`, `coach --routine`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from spasm_coach.cli.base import echo, fail, load_content
from spasm_coach.paths import expand_home, routines_dir
from spasm_coach.vocabulary import ExitCode
from spasm_coach.wording import duration, plural

if TYPE_CHECKING:
    from spasm_coach.content import Content, Region, Routine, RoutineProblem

routines_app = typer.Typer(
    help="List, show, check, install and print stretch routines, built in or your own.",
)


@routines_app.callback(invoke_without_command=True)
def routines_help(ctx: typer.Context) -> None:
    """List, show, check, install and print routines."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


def choose_routine(content: Content, name: str) -> Routine:
    """The routine named on the command line (an id, a file name without .toml, or a path).

    A name nothing has is a typing mistake (exit 2); a routine file with errors prints every one
    of them and exits 1.
    """
    from spasm_coach.content import RoutineError, RoutineNotFound, find_routine

    try:
        return find_routine(content, name, routines_dir())
    except RoutineNotFound as exc:
        fail(str(exc))
    except RoutineError as exc:
        _echo_problems(exc.problems, err=True)
        fail(f"the routine {name!r} can't be used until its errors are fixed", ExitCode.FAILURE)


def _echo_problems(problems: Iterable[RoutineProblem], *, err: bool = False) -> None:
    for problem in problems:
        echo(str(problem), err=err)


def settings_region(content: Content) -> Region | None:
    """The person's region from settings.toml when the content knows it (its numbers), else None
    (settings may say "any", which names no one number)."""
    from spasm_coach.paths import settings_path
    from spasm_coach.settings import load_settings

    region = load_settings(settings_path()).region
    return content.regions.get(region) if region is not None else None


def _is_built_in(routine: Routine, content: Content) -> bool:
    return routine.path is None or content.root in routine.path.parents


@routines_app.command("list")
def routines_list() -> None:
    """List the built-in routines and your own.

    Your own routines are the files in the routines folder (spasm-coach where); put one there
    with spasm-coach routines install FILE.
    """
    from spasm_coach.content import installed_routines

    content = load_content()
    installed, problems = installed_routines(content, routines_dir())
    routines = [*content.routines.values(), *installed]
    width = max(len(routine.id) for routine in routines)
    for routine in routines:
        origin = "built in" if _is_built_in(routine, content) else str(routine.path)
        steps = ", ".join(step.exercise.name for step in routine.steps)
        echo(f"{routine.id:<{width}}  {routine.name}  (about {duration(routine.total_seconds)})")
        echo(f"{'':<{width}}  {steps}  [{origin}]")
    by_file: dict[str, list[RoutineProblem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    for file, found in by_file.items():
        more = f" (and {plural(len(found) - 1, 'more problem')})" if len(found) > 1 else ""
        echo(f"skipped: {found[0]}{more}; see: spasm-coach routines validate {file}", err=True)


def _routine_in_words(routine: Routine, content: Content) -> list[str]:
    """The routine as a handout in plain text: every step's set-up, how, feel, stop-if, dose,
    cautions and figure, then the warning signs and what each calls for. Text is printed as
    written, never as markup."""
    from spasm_coach.advice import card, warning_signs, where_line
    from spasm_coach.handout import CONDITION_LABELS, follows_words, step_dose_words
    from spasm_coach.pose_cells import text_figures

    region = settings_region(content)
    origin = "Built in." if _is_built_in(routine, content) else f"From {routine.path}."
    lines = [
        f"{routine.name} ({routine.id}), about {duration(routine.total_seconds)}",
        routine.description,
        origin,
    ]
    for number, step in enumerate(routine.steps, start=1):
        exercise, indent = step.exercise, "   "
        lines += ["", f"{number}. {exercise.name}", f"{indent}{exercise.summary}"]
        lines.append(f"{indent}Dose: {step_dose_words(step)}")
        follows = follows_words(step)
        if follows:
            lines.append(f"{indent}{follows}")
        lines.append(f"{indent}Set-up:")
        lines += [f"{indent}  {n}. {text}" for n, text in enumerate(exercise.start_position, 1)]
        lines.append(f"{indent}How:")
        lines += [f"{indent}  {n}. {text}" for n, text in enumerate(exercise.movement, 1)]
        if exercise.cues:
            lines.append(f"{indent}In turn, one each time:")
            used = exercise.cues[: step.dose.repetitions]
            lines += [f"{indent}  {n}. {text}" for n, text in enumerate(used, 1)]
        lines.append(f"{indent}What you should feel: {exercise.feel}")
        lines.append(f"{indent}Stop if:")
        lines += [f"{indent}  - {text}" for text in exercise.stop_if]
        if exercise.cautions:
            lines.append(f"{indent}If this applies to you:")
            for caution in exercise.cautions:
                advice = caution.advice + (
                    f" Instead: {caution.modified}" if caution.modified else ""
                )
                label = CONDITION_LABELS.get(caution.condition, caution.condition)
                lines.append(f"{indent}  - {label}: {advice}")
        for caption, frame in text_figures(exercise):
            lines.append("")
            lines += [f"{indent}  {row}" for row in frame.splitlines()]
            if caption:
                lines.append(f"{indent}  {caption}")
    ces = card(content.ces_card, region)
    lines += ["", ces.title, *(f"  - {line}" for line in ces.lines)]
    lines += ["", "Warning signs: any of these, new or getting worse, means no exercises."]
    for group in warning_signs(content, region):
        lines.append(f"{group.action}:")
        lines += [f"  - {sign}" for sign in group.signs]
    lines.append(where_line(region))
    return lines


@routines_app.command("show")
def routines_show(
    routine: Annotated[
        str, typer.Argument(help="A routine id from `routines list`, a file name, or a file.")
    ],
) -> None:
    """Show a routine in words: each exercise's set-up, how, what to feel, when to stop, the
    dose and the figure."""
    content = load_content()
    chosen = choose_routine(content, routine)
    echo("\n".join(_routine_in_words(chosen, content)))


@routines_app.command("validate")
def routines_validate(
    file: Annotated[Path, typer.Argument(help="A routine TOML file to check.")],
) -> None:
    """Check a routine file and report every problem in it.

    Each problem is one line, FILE:LINE: step N: field 'x': message; warnings (doses outside
    the usual ranges) start with 'warning:'. Exits 1 if there is any error, else 0.
    """
    from spasm_coach.content import check_routine_file

    file = expand_home(file)
    if not file.is_file():
        fail(f"{file}: no such file")
    check = check_routine_file(file, load_content())
    _echo_problems(check.problems)
    _summary(file, check.routine, len(check.errors), len(check.warnings))
    if check.routine is None:
        raise typer.Exit(ExitCode.FAILURE)


def _summary(file: Path, routine: Routine | None, errors: int, warnings: int) -> None:
    if routine is None:
        echo(
            f"{file}: {plural(errors, 'error')}, {plural(warnings, 'warning')}; "
            "the routine can't be used until the errors are fixed."
        )
        return
    said = f"; {plural(warnings, 'warning')} above" if warnings else ""
    echo(
        f"OK: {routine.name} ({routine.id}), {plural(len(routine.steps), 'step')}, "
        f"about {duration(routine.total_seconds)}{said}"
    )


def install_text(
    text: str, folder: Path, item_id: str, same_id: list[Path], *, force: bool, what: str
) -> Path:
    """Write a checked file into `folder` as `<id>.toml` (the folder and any missing above it
    0700, the file 0600, never through a link); one already installed with that id (`same_id`,
    under any name) is replaced only with --force."""
    from spasm_coach.files import atomic_text_file, private_folder

    target = folder / f"{item_id}.toml"
    taken = [*same_id, *([target] if target.exists() and target not in same_id else [])]
    if taken and not force:
        fail(
            f"a {what} with the id '{item_id}' is already installed ({taken[0]}); "
            "add --force to replace it"
        )
    try:
        private_folder(folder)
        with atomic_text_file(target) as out:
            out.write(text)
        for old in same_id:
            if old != target:
                old.unlink(missing_ok=True)
    except OSError as exc:
        fail(f"can't install into {folder}: {exc.strerror or exc}", ExitCode.FAILURE)
    return target


@routines_app.command("install")
def routines_install(
    file: Annotated[Path, typer.Argument(help="A routine TOML file to check and install.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace an installed routine with the same id.")
    ] = False,
) -> None:
    """Check a routine file and copy it into your routines folder.

    It is then listed by `routines list`, runs with `spasm-coach coach --routine ID`, and can be
    chosen in the coach's Settings. A file with errors is not installed (exit 1).
    """
    from spasm_coach.content import check_routine_text, installed_routines

    file = expand_home(file)
    if not file.is_file():
        fail(f"{file}: no such file")
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{file} can't be read ({getattr(exc, 'strerror', None) or exc})", ExitCode.FAILURE)
    content = load_content()
    check = check_routine_text(text, str(file), content, file)
    _echo_problems(check.problems)
    routine = check.routine
    if routine is None:
        _summary(file, None, len(check.errors), len(check.warnings))
        fail(f"{file} was not installed", ExitCode.FAILURE)
    folder = routines_dir()
    installed, _ = installed_routines(content, folder)
    same_id = [other.path for other in installed if other.id == routine.id and other.path]
    target = install_text(text, folder, routine.id, same_id, force=force, what="routine")
    echo(f"Installed {routine.name} ({routine.id}) as {target}.")
    echo(f"Start a session with it: spasm-coach coach --routine {routine.id}")
    typer.echo("Or make it your default routine in the coach's Settings (c).")


@routines_app.command("handout")
def routines_handout(
    routine: Annotated[
        str, typer.Argument(help="A routine id from `routines list`, a file name, or a file.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of the screen."),
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="html (to print) or markdown (for notes).")
    ] = "html",
    note: Annotated[
        str | None, typer.Option(help="A note from the physiotherapist, printed at the top.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the output file if it exists.")
    ] = False,
) -> None:
    """Print a routine as a handout to give a patient.

    Every exercise with its dose, set-up, how, what to feel, when to stop and the figure, the
    warning signs with the numbers of your region (Settings), and how to run it in the coach.
    Example: spasm-coach routines handout gentle -o gentle.html
    """
    from spasm_coach.cli.base import prepare_output, write_output
    from spasm_coach.handout import FORMATS, render_handout
    from spasm_coach.records import RecordError, check_text

    if format not in FORMATS:
        fail(f"--format {format!r} is not one of: {', '.join(FORMATS)}")
    try:
        check_text(note, "--note", optional=True)
    except RecordError as exc:
        fail(f"{exc}; type the note again in plain text")
    target = prepare_output(output, force=force)
    content = load_content()
    chosen = choose_routine(content, routine)
    text = render_handout(chosen, content, region=settings_region(content), note=note, fmt=format)
    write_output(text, target, "handout")
