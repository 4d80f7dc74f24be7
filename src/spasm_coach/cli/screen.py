"""`spasm-coach screen`: the red-flag questions on the command line.

On a terminal the questions come one by one, and the first yes to an emergency sign ends the
check at once with the emergency card, as in the coach. Scripted (`--yes ID`, `--none`) every
question is answered in one go and the outcome is the same contract as ever:
`{"level", "flags", "action"}`. The action names only the chosen region's numbers; with no
region chosen it names none, and says so on stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, NoReturn, cast

import typer

from spasm_coach.cli.base import clock_of, fail, load_content, now_of
from spasm_coach.cli.coach import say_busy
from spasm_coach.vocabulary import ExitCode, Level, ScreeningReason

if TYPE_CHECKING:
    from spasm_coach.answers import Answers
    from spasm_coach.content import Content, Region
    from spasm_coach.gate import Day
    from spasm_coach.journal import CheckLog, Journal
    from spasm_coach.records import Screening
    from spasm_coach.store import Store, StoreError

NO_REGION_NOTE = (
    "spasm-coach: no region is chosen, so the advice names no phone number; choose yours in "
    "the coach (Settings)."
)


def screen(
    ctx: typer.Context,
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

    Asks each question on a terminal (the first emergency sign ends the check at once);
    --yes ID (repeatable) answers yes to those and no to the rest. The answers and the outcome
    are logged; the result and its advice are printed even when the log can't be written (the
    answers then go to a rescue file). Example: spasm-coach screen --json --none
    """
    from spasm_coach.advice import region_of
    from spasm_coach.gate import feed
    from spasm_coach.paths import settings_path
    from spasm_coach.settings import load_settings
    from spasm_coach.triage import assess

    content = load_content()
    ids = [flag.id for flag in content.flags]
    chosen = yes or []
    unknown = [flag_id for flag_id in chosen if flag_id not in ids]
    if unknown:
        fail(f"unknown red-flag id {', '.join(unknown)}; valid ids: {', '.join(ids)}")
    if chosen and none:
        fail("--none means no to everything; don't combine it with --yes")
    if not (chosen or none or sys.stdin.isatty()):
        fail("answer the questions on a terminal, or give --yes ID (repeatable) or --none")
    settings = load_settings(settings_path())
    region = region_of(content, settings.region)
    if region is None:
        typer.echo(NO_REGION_NOTE, err=True)
    stopped = False
    with _journal(ctx) as journal:
        day = _day(ctx, journal)
        if chosen or none:
            outcome = assess(content, {flag_id: flag_id in chosen for flag_id in ids})
            screening = journal.screen(outcome, ScreeningReason.CLI)
        else:
            log = journal.begin_check(content, ScreeningReason.CLI)
            screening, stopped = _ask(ctx, content, log, settings.cautions, day)
        advice = feed(journal, check=screening)
        if as_json:
            _print_json(content, screening, region)
        else:
            _print_card(content, screening, region)
        for line in advice.lines:
            typer.echo(line, err=as_json)
        if day is not None:
            _remind_of_standing_warning(ctx, content, day, screening, region, err=as_json)
        _say_what_was_not_saved(ctx, journal)
    if stopped:
        raise typer.Exit(ExitCode.INTERRUPTED)


@contextmanager
def _journal(ctx: typer.Context) -> Iterator[Journal]:
    """A journal that keeps what the log refuses (or a log that can't be opened at all), so
    the result is shown whatever the log's state."""
    from spasm_coach.journal import Journal
    from spasm_coach.paths import database_path
    from spasm_coach.store import Store, StoreError

    try:
        store = Store.open(database_path(), on_busy=say_busy)
    except StoreError as exc:
        yield Journal(cast("Store", _Unusable(exc)), clock_of(ctx), keep_unsaved=True)
        return
    with store:
        yield Journal(store, clock_of(ctx), keep_unsaved=True)


class _Unusable:
    """A pain log that could not be opened: every read and write says why."""

    def __init__(self, error: StoreError) -> None:
        self.error = error

    def __getattr__(self, name: str) -> Callable[..., NoReturn]:
        def refuse(*args: object, **kwargs: object) -> NoReturn:
            raise self.error

        return refuse


def _day(ctx: typer.Context, journal: Journal) -> Day | None:
    """What the log says now (a warning standing, a session lately); None if it can't be read."""
    from spasm_coach.gate import today
    from spasm_coach.store import StoreError

    try:
        return today(journal.store, now_of(ctx))
    except StoreError:
        return None


def _say_what_was_not_saved(ctx: typer.Context, journal: Journal) -> None:
    """After the advice: the answers the log refused, kept in a rescue file, and the log's
    problem, as one line and its exit code."""
    from pathlib import Path

    from spasm_coach.paths import data_dir

    problem = journal.problem
    if journal.all_saved or problem is None:
        return
    kept = journal.keep_in_file((data_dir(), Path.home()), now_of(ctx)) or ""
    fail(f"{problem} {kept.removeprefix('spasm-coach: ')}", problem.exit_code)


def _remind_of_standing_warning(
    ctx: typer.Context,
    content: Content,
    day: Day,
    screening: Screening,
    region: Region | None,
    *,
    err: bool,
) -> None:
    """A warning sign standing from before, whatever this check found: said as the coach says
    it on home (its sessions need a doctor's or nurse's all-clear first)."""
    from spasm_coach.advice import emergency_line, outcome_advice, urgent_line
    from spasm_coach.wording import clock_time

    warning = day.warning
    if warning is None or warning.uid == screening.uid:
        return
    when = clock_time(warning.screened_at, now_of(ctx), round_up=False)
    help_line = emergency_line(region) if warning.level is Level.EMERGENCY else urgent_line(region)
    advice = outcome_advice(content, warning.level, warning.flags, region)
    sign = f"{advice.title}. " if advice.action_id is not None else ""
    typer.echo(
        f"\nYour warning at {when} still stands: you said yes to a sign that needs help "
        f"({warning.level.words}). If a doctor or nurse has not seen you since: {sign}"
        f"{help_line} The coach starts no stretches until you say one has.",
        err=err,
    )


def _ask(
    ctx: typer.Context,
    content: Content,
    log: CheckLog,
    cautions: Answers,
    day: Day | None,
) -> tuple[Screening, bool]:
    """One question at a time; ends at the first emergency sign. Ctrl+C after a yes keeps what
    was said (it is already in the log) and shows its card; (the check, stopped by the person)."""
    from spasm_coach.gate import since_warning_words
    from spasm_coach.triage import ends_check, plan_full_check
    from spasm_coach.wording import clock_time

    plan = plan_full_check(
        content,
        cautions=cautions,
        recent_session=day is None or day.recent_session,
        answered_today=None if day is None else day.answered_today,
    )
    log.known = dict(plan.known)
    typer.echo(
        "Answer each question yes or no. Think of anything new, or getting worse, "
        "that is not normal for you."
    )
    if day is not None and day.since_warning is not None:
        at = clock_time(day.since_warning.screened_at, now_of(ctx), round_up=False)
        typer.echo(since_warning_words(at))
    typer.echo()
    try:
        for flag in plan.questions:
            if not plan.asks(flag, log.answers):
                continue
            asked = plan.remaining(log.answers)
            number, total = asked.index(flag) + 1, len(asked)
            answer = _yes_or_no(f"{number}/{total}  {flag.question} [yes/no]")
            log.answer(flag.id, answer)
            if ends_check(flag, answer) and (saved := log.leave()) is not None:
                typer.echo("\nThat is an emergency sign: the check stops here.\n")
                return saved, False
    except typer.Abort:
        saved = log.leave()
        if saved is None:
            typer.echo("\nCheck not finished: no stretches until it is.", err=True)
            raise
        typer.echo("\nStopped. What you said is saved:\n")
        return saved, True
    typer.echo()
    return log.finish(), False


def _yes_or_no(question: str) -> bool:
    while True:
        reply: str = typer.prompt(question, default="", show_default=False).strip().lower()
        if reply in ("y", "yes", "n", "no"):
            return reply.startswith("y")
        typer.echo("Please type yes or no.")


def _print_json(content: Content, screening: Screening, region: Region | None) -> None:
    from spasm_coach.advice import outcome_advice

    advice = outcome_advice(content, screening.level, screening.flags, region)
    outcome = {"level": screening.level.value, "flags": list(screening.flags)}
    typer.echo(json.dumps({**outcome, "action": advice.action}, indent=2))


def _print_card(content: Content, screening: Screening, region: Region | None) -> None:
    from spasm_coach.advice import card, emergency_line, outcome_advice, urgent_line

    advice = outcome_advice(content, screening.level, screening.flags, region)
    emergency = screening.level is Level.EMERGENCY
    if advice.big is not None:
        typer.echo(f"*** {advice.big} ***")
    typer.echo(advice.heading.upper() if emergency else advice.heading)
    for line in advice.lines:
        typer.echo(line)
    if emergency:
        typer.echo(emergency_line(region))
    elif screening.level is Level.URGENT:
        typer.echo(urgent_line(region))
    if screening.flags:
        typer.echo("\nYou said yes to:")
        for group in advice.groups:
            typer.echo(f"  {group.action}:")
            for sign in group.signs:
                typer.echo(f"    - {sign}")
    if not screening.clears_for_exercise:
        typer.echo("\nDon't start the stretches.")
    if emergency:
        ces = card(content.ces_card, region)
        typer.echo(f"\n{ces.title}")
        for line in ces.lines:
            typer.echo(f"  - {line}")
