"""`spasm-coach plan` and `spasm-coach plans`: where the person is in their plan, and the plans
a physiotherapist writes, checks, installs, shows, prints and demonstrates.

A plan file (docs/plans.md) names routines for each stage and the rules that move the person on
or back. `plans validate` reports every problem in one run; `plans install` checks it, copies it
into the plans folder and makes it the plan the coach follows, from its first stage, logging the
change. `plan` only reads the log.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from spasm_coach.cli.base import (
    echo,
    fail,
    load_content,
    now_of,
    open_journal,
    open_store,
)
from spasm_coach.cli.routines import _echo_problems, install_text, settings_region
from spasm_coach.paths import expand_home, plans_dir, routines_dir, settings_path
from spasm_coach.vocabulary import ExitCode
from spasm_coach.wording import plural

if TYPE_CHECKING:
    from spasm_coach.content import Content, Routine
    from spasm_coach.journal import Journal
    from spasm_coach.plans import Plan, Plans
    from spasm_coach.settings import Settings

plans_app = typer.Typer(
    help="Plans a physiotherapist writes: list, show, check, install, choose, print, demonstrate.",
)


@plans_app.callback(invoke_without_command=True)
def plans_help(ctx: typer.Context) -> None:
    """List, show, check, install, choose, print and demonstrate plans."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


def _routines(content: Content) -> dict[str, Routine]:
    """The routines a plan may name: the built-in ones and those installed."""
    from spasm_coach.content import installed_routines

    installed, _ = installed_routines(content, routines_dir())
    return {**content.routines, **{routine.id: routine for routine in installed}}


def all_plans(content: Content) -> tuple[Plans, dict[str, Routine]]:
    from spasm_coach.plans import load_plans

    routines = _routines(content)
    return load_plans(content, plans_dir(), routines), routines


def _settings() -> Settings:
    from spasm_coach.settings import load_settings

    settings = load_settings(settings_path())
    if settings.problem:
        echo(f"spasm-coach: {settings.problem}", err=True)
    return settings


def choose(content: Content, plans: Plans, routines: dict[str, Routine], name: str) -> Plan:
    """The plan named on the command line: exit 2 for a name nothing has, 1 for a plan file with
    errors (each printed)."""
    from spasm_coach.plans import PlanError, PlanNotFound

    try:
        return plans.find(name, content, routines)
    except PlanNotFound as exc:
        fail(str(exc))
    except PlanError as exc:
        _echo_problems(exc.problems, err=True)
        fail(f"the plan {name!r} can't be used until its errors are fixed", ExitCode.FAILURE)


def followed(content: Content, plans: Plans, settings: Settings) -> Plan:
    """The plan the coach follows (Settings), saying why when it must be the built-in one."""
    from spasm_coach.plans import choose_plan

    plan, why = choose_plan(plans, settings.plan)
    if why:
        echo(f"spasm-coach: {why}", err=True)
    return plan


# --- where the person is ---------------------------------------------------------------------


def plan(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print where you are as JSON, for scripts.")
    ] = False,
) -> None:
    """Show where you are in your plan, and why.

    The stage and since when, today's sessions against the plan, the next stage and the rule
    that offers it (each condition with what your log says now), when it steps back, and the
    advice to get a check-up when pain is not settling. Reads the log; writes nothing.
    """
    from spasm_coach.journey import NOT_IMPROVING, not_settling_advice, standing

    content = load_content()
    settings = _settings()
    plans, routines = all_plans(content)
    chosen = followed(content, plans, settings)
    default = routines.get(settings.default_routine)
    with open_store(readonly=True) as store:
        now = standing(chosen, store, now_of(ctx), default=default)
    region = settings_region(content)
    advice = (
        None if now.not_settling is None else not_settling_advice(now.not_settling, content, region)
    )
    if as_json:
        data = now.to_dict()
        if advice is not None and data["not_improving"] is not None:
            data["not_improving"] |= {"flag": NOT_IMPROVING, "title": advice[0], "do": advice[1][1]}
        echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    echo(f"Your plan: {chosen.name} ({chosen.id})")
    for line in now.lines():
        echo(line)
    if advice is not None:
        title, lines = advice
        echo(f"\n{title}")
        for line in lines:
            echo(f"  - {line}")


def step_back_if_due(ctx: typer.Context, journal: Journal) -> None:
    """After a score that rose by 2: the plan steps back by itself, logged and said."""
    from spasm_coach.journey import apply_automatic, standing, step_back_note

    content = load_content()
    settings = _settings()
    plans, routines = all_plans(content)
    chosen = followed(content, plans, settings)
    now = standing(
        chosen, journal.store, now_of(ctx), default=routines.get(settings.default_routine)
    )
    change = apply_automatic(journal, now)
    if change is not None:
        echo(step_back_note(change))


# --- the plans -------------------------------------------------------------------------------


def _is_built_in(plan: Plan, plans: Plans) -> bool:
    return plans.built_in.get(plan.id) is plan


@plans_app.command("list")
def plans_list() -> None:
    """List the built-in plan and the plans installed (the one the coach follows is marked)."""
    content = load_content()
    settings = _settings()
    plans, _ = all_plans(content)
    current = followed(content, plans, settings)
    for each in plans.all():
        mark = "  (followed)" if each.id == current.id else ""
        origin = "built in" if _is_built_in(each, plans) else str(each.path)
        echo(f"{each.id}  {each.name}{mark}")
        stages = ", then ".join(stage.name for stage in each.stages)
        echo(f"    {stages}  [{origin}]")
    by_file: dict[str, int] = {}
    for problem in plans.problems:
        by_file[problem.file] = by_file.get(problem.file, 0) + 1
    for file, count in by_file.items():
        echo(
            f"skipped: {file} ({plural(count, 'error')}); see: spasm-coach plans validate {file}",
            err=True,
        )


def plan_in_words(chosen: Plan, plans: Plans, content: Content) -> list[str]:
    """The plan as the terminal shows it: every stage with its routines, advice and rules, the
    usual course and the sources."""
    from spasm_coach.plans import course_words, stage_lines

    origin = "Built in." if _is_built_in(chosen, plans) else f"From {chosen.path}."
    lines = [f"{chosen.name} ({chosen.id})", chosen.description, origin]
    for number, stage in enumerate(chosen.stages, start=1):
        lines += ["", f"Stage {number}: {stage.name}"]
        lines += [f"  - {line}" for line in stage_lines(chosen, stage)]
    lines += ["", course_words(chosen.course)]
    cited = [source for source in chosen.all_sources() if source in content.sources]
    if cited:
        lines += ["", "Sources:"]
        lines += [
            f"  {source}: {content.sources[source].title} {content.sources[source].url}"
            for source in cited
        ]
    return lines


@plans_app.command("show")
def plans_show(
    name: Annotated[
        str | None,
        typer.Argument(help="A plan id, an installed plan's file name, or a plan file."),
    ] = None,
) -> None:
    """Show a plan in words: each stage's routines, sessions a day, advice, and the rules that
    move on and step back (the plan the coach follows, by default)."""
    content = load_content()
    plans, routines = all_plans(content)
    chosen = (
        choose(content, plans, routines, name) if name else followed(content, plans, _settings())
    )
    echo("\n".join(plan_in_words(chosen, plans, content)))


@plans_app.command("validate")
def plans_validate(
    file: Annotated[Path, typer.Argument(help="A plan TOML file to check.")],
) -> None:
    """Check a plan file and report every problem in it.

    Each problem is one line, FILE:LINE: stage 'id': field 'x': message; warnings start with
    'warning:'. Exits 1 if there is any error, else 0.
    """
    from spasm_coach.plans import check_plan_file

    file = expand_home(file)
    if not file.is_file():
        fail(f"{file}: no such file")
    content = load_content()
    plans, routines = all_plans(content)
    check = check_plan_file(file, content, routines, plans.built_in)
    _echo_problems(check.problems)
    _summary(file, check.plan, len(check.errors), len(check.warnings))
    if check.plan is None:
        raise typer.Exit(ExitCode.FAILURE)


def _summary(file: Path, checked: Plan | None, errors: int, warnings: int) -> None:
    if checked is None:
        echo(
            f"{file}: {plural(errors, 'error')}, {plural(warnings, 'warning')}; "
            "the plan can't be used until the errors are fixed."
        )
        return
    said = f"; {plural(warnings, 'warning')} above" if warnings else ""
    stages = ", ".join(stage.name for stage in checked.stages)
    echo(
        f"OK: {checked.name} ({checked.id}), {plural(len(checked.stages), 'stage')}: {stages}{said}"
    )


def _follow(ctx: typer.Context, chosen: Plan, settings: Settings, reason: str) -> None:
    """Make `chosen` the plan the coach follows (Settings) and log its start; a plan already
    followed keeps the person's place in it."""
    from spasm_coach.journey import start_plan
    from spasm_coach.plans import BUILT_IN_PLAN
    from spasm_coach.settings import save_settings

    already = (settings.plan or BUILT_IN_PLAN) == chosen.id
    try:
        save_settings(
            settings_path(),
            replace(settings, plan=None if chosen.id == BUILT_IN_PLAN else chosen.id),
        )
    except OSError as exc:
        fail(f"can't save the settings ({exc.strerror or exc})", ExitCode.FAILURE)
    if already:
        echo(f"The coach follows {chosen.name}; you keep your place in it.")
        return
    with open_journal(ctx) as journal:
        start_plan(journal, chosen, reason)
    echo(f"The coach follows {chosen.name} from now on, from {chosen.stages[0].name}.")


@plans_app.command("install")
def plans_install(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A plan TOML file to check and install.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace an installed plan with the same id.")
    ] = False,
) -> None:
    """Check a plan file, copy it into your plans folder, and follow it from its first stage.

    The change is logged (it shows in `spasm-coach plan` and the report). Installing a new
    version of the plan already followed keeps your place in it. A file with errors is not
    installed (exit 1).
    """
    from spasm_coach.plans import check_plan_text

    file = expand_home(file)
    if not file.is_file():
        fail(f"{file}: no such file")
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{file} can't be read ({getattr(exc, 'strerror', None) or exc})", ExitCode.FAILURE)
    content = load_content()
    plans, routines = all_plans(content)
    check = check_plan_text(text, str(file), content, routines, file, built_in=plans.built_in)
    _echo_problems(check.problems)
    chosen = check.plan
    if chosen is None:
        _summary(file, None, len(check.errors), len(check.warnings))
        fail(f"{file} was not installed", ExitCode.FAILURE)
    same_id = [other.path for other in plans.installed if other.id == chosen.id and other.path]
    target = install_text(text, plans_dir(), chosen.id, same_id, force=force, what="plan")
    echo(f"Installed {chosen.name} ({chosen.id}) as {target}.")
    _follow(ctx, chosen, _settings(), f"installed with spasm-coach plans install ({file.name}).")


@plans_app.command("use")
def plans_use(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A plan id from `plans list` (recovery: built in).")],
) -> None:
    """Follow another plan (built in or installed), from its first stage; the change is logged."""
    content = load_content()
    plans, routines = all_plans(content)
    chosen = choose(content, plans, routines, name)
    if not _is_built_in(chosen, plans) and chosen not in plans.installed:
        fail(f"install the plan first: spasm-coach plans install {name}")
    _follow(ctx, chosen, _settings(), "chosen with spasm-coach plans use.")


@plans_app.command("handout")
def plans_handout(
    name: Annotated[
        str | None,
        typer.Argument(help="A plan id, an installed plan's file name, or a plan file."),
    ] = None,
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
    """Print a plan for the patient: each stage, its routines and how often, and the rules that
    move on and step back, in plain words (the plan the coach follows, by default).

    Example: spasm-coach plans handout -o plan.html
    """
    from spasm_coach.cli.base import prepare_output, write_output
    from spasm_coach.handout import FORMATS
    from spasm_coach.plan_handout import render_plan_handout
    from spasm_coach.records import RecordError, check_text

    if format not in FORMATS:
        fail(f"--format {format!r} is not one of: {', '.join(FORMATS)}")
    try:
        check_text(note, "--note", optional=True)
    except RecordError as exc:
        fail(f"{exc}; type the note again in plain text")
    target = prepare_output(output, force=force)
    content = load_content()
    plans, routines = all_plans(content)
    settings = _settings()
    chosen = choose(content, plans, routines, name) if name else followed(content, plans, settings)
    text = render_plan_handout(
        chosen,
        content,
        region=settings_region(content),
        note=note,
        fmt=format,
        default=routines.get(settings.default_routine),
    )
    write_output(text, target, "plan handout")


@plans_app.command("demo")
def plans_demo(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(help="A plan id, an installed plan's file name, or a plan file."),
    ] = None,
) -> None:
    """Show a plan stage by stage in clinic mode, and demonstrate any stage's routines.

    Nothing is read from or saved to the pain log, and no safety questions are asked: a
    clinician is present. The same as spasm-coach demo --plan for the plan the coach follows.
    """
    content = load_content()
    plans, routines = all_plans(content)
    chosen = (
        choose(content, plans, routines, name) if name else followed(content, plans, _settings())
    )
    raise typer.Exit(demonstrate_plan(ctx, chosen))


def demonstrate_plan(ctx: typer.Context, chosen: Plan) -> int:
    """Clinic mode over a plan; returns its exit code."""
    from spasm_coach.cli.base import clock_of, load_content, standing_warning
    from spasm_coach.speech import find_speaker
    from spasm_coach.tui.clinic import ClinicApp

    tui = ClinicApp(
        chosen.stages[0].routines[0],
        clock=clock_of(ctx),
        speaker=find_speaker(),
        plan=chosen,
        standing=standing_warning(ctx, load_content()),
    )
    tui.run()
    return tui.return_code or 0
