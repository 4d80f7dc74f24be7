"""The order of things, as plain async functions over screens: the safety rules live here.

No path reaches the session player without a red-flag check made in the same flow whose outcome
allows exercise. What the log says (gate.today) comes first: a warning sign not yet cleared
needs a clinician's all-clear, and "stop for today" offers only breathing and relaxation. Then
the check today needs: the full one once a day, a quick one after that. Every answer and score
goes to the log, through the journal, the moment it is given, and through gate.feed, which
decides what it means for the rest of the day, as it does for the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from spasm_coach.advice import card as regional_card
from spasm_coach.gate import Day, feed, since_warning_words, today
from spasm_coach.journey import record, step_back_note
from spasm_coach.pain import GENTLE_FROM
from spasm_coach.plans import stage_routines
from spasm_coach.records import SafetyNote, Screening
from spasm_coach.session import SessionResult, plan_session
from spasm_coach.triage import caution_answers, plan_full_check, quick_outcome
from spasm_coach.tui.dialogs.choices import GentleOfferScreen
from spasm_coach.tui.dialogs.pain import PainScoreScreen
from spasm_coach.tui.dialogs.plan import PlanOfferScreen
from spasm_coach.tui.dialogs.questions import Question, SafetyQuestionsScreen
from spasm_coach.tui.labels import CAUTIONS_INTRO, CONDITION_QUESTIONS
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.red_flags import OutcomeScreen, QuickCheckScreen, RedFlagScreen
from spasm_coach.tui.screens.safety import ClearanceScreen, StopForTodayScreen
from spasm_coach.tui.screens.summary import Summary, SummaryScreen
from spasm_coach.vocabulary import (
    CheckKind,
    Level,
    NoteKind,
    PainContext,
    ScreeningReason,
    SessionOutcome,
)
from spasm_coach.wording import clock_time

if TYPE_CHECKING:
    from datetime import datetime

    from spasm_coach.content import Routine
    from spasm_coach.journal import SessionLog
    from spasm_coach.journey import Standing
    from spasm_coach.tui.coach import Coach

RESCREEN_INTRO = "Your pain is high, or has gone up: a check for warning signs."
HURT_INTRO = "It hurt: a check for warning signs."
NOT_FINISHED = "Check not finished: no stretches until it is."
RELAXATION_ROUTINE = "relaxation"


@dataclass(frozen=True)
class Check:
    screening: Screening | None
    """What was saved; None when the check was left with no yes (nothing is saved then)."""
    proceed: bool
    """The check allows a session and the person chose to go on."""


async def run_check(
    app: Coach, reason: ScreeningReason, day: Day, intro: str | None = None
) -> Check:
    """The check today needs: quick when a full check today vouches for the day, else full."""
    if day.check_needed is CheckKind.QUICK and day.since is not None:
        return await quick_check(app, reason, day, day.since, intro)
    return await full_check(app, reason, day, intro)


async def quick_check(
    app: Coach, reason: ScreeningReason, day: Day, since: datetime, intro: str | None = None
) -> Check:
    now = app.clock.now()
    started = app.clock.monotonic()
    answers = await app.push_screen_wait(QuickCheckScreen(app.content, since, now, intro))
    if answers is None:
        return Check(None, proceed=False)
    if answers.anything_new:
        return await full_check(app, reason, day)
    outcome = quick_outcome(answers.signs_now, answers.anything_new)
    seconds = round(app.clock.monotonic() - started, 1)
    screening = app.journal.screen(outcome, reason, seconds)
    if screening.level is Level.EMERGENCY:
        await app.push_screen_wait(OutcomeScreen(screening, app.content, app.region))
        return Check(screening, proceed=False)
    return Check(screening, proceed=True)


async def full_check(
    app: Coach, reason: ScreeningReason, day: Day, intro: str | None = None
) -> Check:
    plan = plan_full_check(
        app.content,
        cautions=app.settings.cautions,
        recent_session=day.recent_session,
        answered_today=day.answered_today,
    )
    log = app.journal.begin_check(app.content, reason, dict(plan.known))
    since = None
    if day.since_warning is not None:
        since = since_warning_words(_when(app, day.since_warning.screened_at))
    screen = (
        RedFlagScreen(plan.questions, log, since=since)
        if intro is None
        else RedFlagScreen(plan.questions, log, intro, since)
    )
    finished = await app.push_screen_wait(screen)
    screening = log.finish() if finished else log.leave()
    _keep_caution_answers(app, log.answers)
    if screening is None:
        return Check(None, proceed=False)
    advice = feed(app.journal, check=screening)
    if (
        screening.complete
        and screening.level is Level.CLEAR
        and not screening.changes
        and advice.stop is None
    ):
        return Check(screening, proceed=True)
    card = OutcomeScreen(screening, app.content, app.region, advice.lines)
    go_on = await app.push_screen_wait(card)
    if app.quitting:
        app.exit(0)  # the person quit mid-check after a yes: the card was shown first
    return Check(screening, proceed=go_on and screening.clears_for_exercise)


def _keep_caution_answers(app: Coach, answers: dict[str, bool]) -> None:
    """A yes or no to "Are you pregnant?" in the check is the pregnancy caution's answer too,
    so the stretches change for it and it is not asked again."""
    new = {
        condition: yes
        for condition, yes in caution_answers(app.content, answers).items()
        if condition not in app.settings.cautions
    }
    if new:
        app.save_settings(cautions={**app.settings.cautions, **new})


def _when(app: Coach, moment: datetime) -> str:
    return clock_time(moment, app.clock.now(), round_up=False)


async def clear_the_day(app: Coach, day: Day) -> Day | None:
    """A warning sign standing: a session needs the person to confirm a clinician has seen
    them since. Returns the day as it stands after, or None to go home."""
    if day.warning is None:
        return day
    screen = ClearanceScreen(
        app.content, day.warning, app.region, _when(app, day.warning.screened_at)
    )
    if not await app.push_screen_wait(screen):
        return None
    app.journal.note(NoteKind.CLEARED, screening_uid=day.warning.uid)
    return today(app.store, app.clock.now())


async def relaxation_instead(app: Coach, stop: SafetyNote) -> Routine | None:
    """Stretching is done for today: offer the breathing and relaxation routine instead."""
    relaxation = app.content.routines[RELAXATION_ROUTINE]
    screen = StopForTodayScreen(stop, relaxation.name, _when(app, stop.noted_at))
    return relaxation if await app.push_screen_wait(screen) else None


async def session_flow(app: Coach, chosen: Routine | None = None) -> None:
    """The gate, the check, pain before, the routine, cautions, the player, pain after, summary.

    The plan only chooses which routine is offered (`chosen`: one the person picked on the plan
    screen): every session still goes through the same check first.
    """
    day = await clear_the_day(app, today(app.store, app.clock.now()))
    if day is None:
        return None
    standing = follow_plan(app)
    routine: Routine | None = chosen or app.session_routine(standing)
    relaxation_only = day.stop is not None
    if day.stop is not None and (routine := await relaxation_instead(app, day.stop)) is None:
        return None
    check = await run_check(app, ScreeningReason.BEFORE_SESSION, day)
    if not check.proceed:
        if check.screening is None:
            app.notify(NOT_FINISHED, title="Red-flag check")
        app.refresh_home()
        return None
    stop = None if relaxation_only else today(app.store, app.clock.now()).stop
    if stop is not None:  # the check itself ended stretching for today
        relaxation_only = True
        if (routine := await relaxation_instead(app, stop)) is None:
            app.refresh_home()
            return None
    assert routine is not None
    session = app.journal.open_session(
        routine.id, routine.name, None if check.screening is None else check.screening.uid
    )
    before = await ask_pain(app, PainContext.BEFORE_SESSION, session)
    picked = await choose_routine(
        app,
        routine,
        before,
        relaxation_only=relaxation_only,
        keep=chosen is not None or app.chosen_routine is not None,
    )
    if picked is None:
        return cancel(app, session)
    if picked is not routine:
        session.change_routine(picked.id, picked.name)
    if app.settings.cautions_to_ask and not await ask_cautions(app):
        return cancel(app, session)
    plan = plan_session(picked, app.settings.conditions)
    if not plan.steps:
        app.notify(
            "Every stretch in this routine is left out for your cautions. Ask a physio "
            "for ones that suit you.",
            severity="warning",
        )
        return cancel(app, session)
    result = await app.push_screen_wait(PlayerScreen(plan, session))
    if result.outcome is SessionOutcome.INTERRUPTED:
        return None
    await after_session(app, session, result, before)
    return None


async def ask_cautions(app: Coach) -> bool:
    """The personal cautions not answered yet, one at a time; True once every one is."""
    questions = [Question(c, CONDITION_QUESTIONS[c]) for c in app.settings.cautions_to_ask]
    await app.push_screen_wait(SafetyQuestionsScreen(questions, CAUTIONS_INTRO, "cautions"))
    return not app.settings.cautions_to_ask


def cancel(app: Coach, session: SessionLog) -> None:
    session.end(SessionOutcome.CANCELLED)
    app.refresh_home()


def follow_plan(app: Coach) -> Standing:
    """Where the person stands in their plan, after recording (and saying) a step back due by
    itself, after "it hurt" or a rise of 2."""
    standing = app.standing()
    change = app.follow_plan(standing)
    if change is None:
        return standing
    app.notify(step_back_note(change), title="Your plan", timeout=12)
    return app.standing()


async def choose_routine(
    app: Coach, routine: Routine, before: int | None, *, relaxation_only: bool, keep: bool
) -> Routine | None:
    """The plan's offer first (a stage to move on or back to, which the person chooses; a step
    back after a rise of 2 in this score happens by itself), then the gentle routine when pain
    is high. The plan never offers a stage forward while a warning sign stands, stretching is
    done for today, or a session stopped because it hurt in the last days (journey.py, from
    gate.today). `keep`: a routine the person chose stays this session's."""
    if relaxation_only or before is None:
        return routine
    standing = follow_plan(app)
    if not keep:
        routine = app.session_routine(standing)
    proposal = standing.proposal
    if proposal is not None and not proposal.automatic:
        then = routine if keep else stage_routines(proposal.to, app.default_routine())[0]
        accepted = await app.push_screen_wait(PlanOfferScreen(standing, proposal, then, routine))
        if accepted is None:
            return None
        record(app.journal, standing, proposal, accepted=accepted)
        if accepted:
            routine = then
    gentle = app.content.routines.get("gentle")
    if before >= GENTLE_FROM:
        if gentle is None or routine.id == gentle.id:
            return routine
        return await app.push_screen_wait(GentleOfferScreen(before, gentle, routine))
    return routine


async def after_session(
    app: Coach, session: SessionLog, result: SessionResult, before: int | None
) -> None:
    """Pain after; a quick check if it hurt or pain is high or rising; then the summary."""
    hurt = result.outcome is SessionOutcome.STOPPED_HURT
    context = PainContext.DURING_SESSION if hurt else PainContext.AFTER_SESSION
    score = await app.push_screen_wait(PainScoreScreen(app.content.pain, context))
    advice = None
    if score is not None:
        advice = feed(app.journal, pain=session.log_pain(score, context))
    stop_for_today = advice is not None and advice.stop is not None
    finished = True
    if hurt or stop_for_today:
        reason = ScreeningReason.IT_HURT if hurt else ScreeningReason.HIGH_OR_RISING_PAIN
        check = await recheck(app, reason, HURT_INTRO if hurt else RESCREEN_INTRO)
        finished = check.screening is not None
    stepped = app.follow_plan(app.standing())
    plan_note = None if stepped is None else step_back_note(stepped)
    summary = Summary(result, before, score, stop_for_today, plan_note, check_finished=finished)
    await app.push_screen_wait(
        SummaryScreen(summary, regional_card(app.content.ces_card, app.region))
    )


async def recheck(app: Coach, reason: ScreeningReason, intro: str) -> Check:
    """A re-check after high or rising pain, or 'this hurts': quick, about the last full check
    (today's, or the latest ever); a full check when there has never been one."""
    day = today(app.store, app.clock.now())
    last_full = day.full_check or app.store.last_full_check()
    if last_full is None:
        return await full_check(app, reason, day, intro)
    since = day.since if day.since is not None else last_full.screened_at
    return await quick_check(app, reason, day, since, intro)


async def ask_pain(
    app: Coach, context: PainContext, session: SessionLog | None = None
) -> int | None:
    score = await app.push_screen_wait(PainScoreScreen(app.content.pain, context))
    if score is not None:
        if session is not None:
            session.log_pain(score, context)
        else:
            app.journal.log_pain(score, context)
    return score


async def pain_check_in_flow(app: Coach, context: PainContext = PainContext.CHECK_IN) -> None:
    """A score at any time; a high or rising one ends stretching today and asks a quick check."""
    score = await app.push_screen_wait(PainScoreScreen(app.content.pain, context))
    if score is None:
        return
    advice = feed(app.journal, pain=app.journal.log_pain(score, context))
    if advice.recheck:
        check = await recheck(app, ScreeningReason.HIGH_OR_RISING_PAIN, RESCREEN_INTRO)
        if check.screening is None:
            app.notify(NOT_FINISHED, title="Red-flag check")
        follow_plan(app)
    elif app.journal.all_saved:
        app.notify(f"Logged {score}/10.", title="Pain")
    app.refresh_home()
