"""`spasm-coach routines`: list, show and check stretch routines, built in or your own."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from spasm_coach.cli.base import FAILURE, fail, load_content
from spasm_coach.wording import duration

if TYPE_CHECKING:
    from spasm_coach.content import Content, Routine

routines_app = typer.Typer(
    help="List, show and check stretch routines, built in or your own.",
)


@routines_app.callback(invoke_without_command=True)
def routines_help(ctx: typer.Context) -> None:
    """List, show and check stretch routines."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


def user_routines_dir() -> Path:
    from spasm_coach.paths import config_dir

    return config_dir() / "routines"


def find_routine(content: Content, name: str) -> Routine:
    """A built-in routine by id, or a routine file: a path, or a file in the routines folder."""
    from spasm_coach.content import ContentError, load_routine_file

    if name in content.routines:
        return content.routines[name]
    candidates = [Path(name), user_routines_dir() / f"{name}.toml"]
    path = next((path for path in candidates if path.is_file()), None)
    if path is None:
        fail(f"no routine {name!r}; see spasm-coach routines list")
    try:
        routine = load_routine_file(path, content)
    except ContentError as exc:
        fail(str(exc), FAILURE)
    return routine


@routines_app.command("list")
def routines_list() -> None:
    """List the built-in routines and your own.

    Your own routine files go in the routines/ folder of the config folder (spasm-coach where).
    """
    from spasm_coach.content import ContentError, load_routine_file

    content = load_content()
    routines = list(content.routines.values())
    problems = []
    for path in sorted(user_routines_dir().glob("*.toml")):
        try:
            routines.append(load_routine_file(path, content))
        except ContentError as exc:
            problems.append(str(exc))
    for routine in routines:
        origin = "built in" if routine.path is None or content.root in routine.path.parents else ""
        steps = ", ".join(step.exercise.name for step in routine.steps)
        typer.echo(f"{routine.id:<12} {routine.name}  (about {duration(routine.total_seconds)})")
        typer.echo(f"{'':<12} {steps}" + (f"  [{origin or routine.path}]"))
    for problem in problems:
        typer.echo(f"skipped: {problem}", err=True)


@routines_app.command("show")
def routines_show(
    routine: Annotated[str, typer.Argument(help="A routine id from `routines list`, or a file.")],
) -> None:
    """Show every step of a routine with its dose."""
    chosen = find_routine(load_content(), routine)
    typer.echo(f"{chosen.name} ({chosen.id}), about {duration(chosen.total_seconds)}")
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
        f"about {duration(routine.total_seconds)}"
    )
