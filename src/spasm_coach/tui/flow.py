"""The order of things, as plain async functions over screens: the safety rules live here.

No path reaches the session player without a red-flag check made in the same flow whose outcome
allows exercise. Every answer and score is written to the log, through the journal, the moment
it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from spasm_coach.pain import GENTLE_FROM, needs_rescreen
from spasm_coach.records import Screening
from spasm_coach.session import plan_session
from spasm_coach.triage import Outcome, assess
from spasm_coach.tui.dialogs.choices import CautionsScreen, GentleOfferScreen
from spasm_coach.tui.dialogs.pain import PainScoreScreen
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.red_flags import OutcomeScreen, RedFlagScreen
from spasm_coach.tui.screens.summary import Summary, SummaryScreen
from spasm_coach.vocabulary import Level, PainContext, ScreeningReason, SessionOutcome

if TYPE_CHECKING:
    from spasm_coach.journal import SessionLog
    from spasm_coach.tui.app import CoachApp

RESCREEN_INTRO = (
    "Your pain is high, or has gone up. Please answer the warning-sign questions again."
)


@dataclass(frozen=True)
class Check:
    outcome: Outcome
    screening: Screening
    proceed: bool
    """The outcome allows exercise and the person chose to go on."""


async def red_flag_check(
    app: CoachApp, reason: ScreeningReason, intro: str | None = None
) -> Check | None:
    """Ask, log, and explain the outcome. None if the person backed out of the questions."""
    flags = app.content.flags
    screen = RedFlagScreen(flags) if intro is None else RedFlagScreen(flags, intro)
    answers = await app.push_screen_wait(screen)
    if answers is None:
        return None
    outcome = assess(app.content, answers)
    screening = app.journal.screen(outcome, reason)
    if outcome.level is Level.CLEAR:
        app.notify("No warning signs today. Go gently.", title="Red-flag check", timeout=3)
        return Check(outcome, screening, proceed=True)
    go_on = await app.push_screen_wait(OutcomeScreen(outcome, app.content, app.settings))
    return Check(outcome, screening, proceed=go_on and outcome.allows_exercise)


async def ask_pain(
    app: CoachApp, context: PainContext, session: SessionLog | None = None
) -> int | None:
    score = await app.push_screen_wait(PainScoreScreen(app.content.pain, context))
    if score is not None:
        if session is not None:
            session.log_pain(score, context)
        else:
            app.journal.log_pain(score, context)
    return score


async def session_flow(app: CoachApp) -> None:
    """Red-flag check, pain before, cautions, the player, pain after, summary."""
    check = await red_flag_check(app, ScreeningReason.BEFORE_SESSION)
    if check is None or not check.proceed:
        return
    content = app.content
    routine = app.chosen_routine or content.routines.get(
        app.settings.default_routine, content.routines["standard"]
    )
    session = app.journal.open_session(routine.id, routine.name, check.screening.uid)

    def cancel() -> None:
        session.end(SessionOutcome.CANCELLED)
        app.refresh_home()

    before = await ask_pain(app, PainContext.BEFORE_SESSION, session)
    gentle = content.routines.get("gentle")
    if before is not None and before >= GENTLE_FROM and gentle and routine.id != gentle.id:
        picked = await app.push_screen_wait(GentleOfferScreen(before, gentle, routine))
        if picked is None:
            cancel()
            return
        routine = picked
        session.change_routine(routine.id, routine.name)
    if app.settings.cautions is None:
        cautions = await app.push_screen_wait(CautionsScreen())
        if cautions is None:
            cancel()
            return
        app.save_settings(cautions=cautions)
    plan = plan_session(routine, app.settings.cautions or ())
    if not plan.steps:
        app.notify(
            "Every stretch in this routine is left out for your cautions. Ask a physio "
            "for ones that suit you.",
            severity="warning",
        )
        cancel()
        return
    if plan.left_out:
        names = ", ".join(f"{exercise.name} ({c.condition})" for exercise, c in plan.left_out)
        app.notify(f"Left out for you: {names}.", title="Your cautions", timeout=8)
    result = await app.push_screen_wait(PlayerScreen(plan, session))
    if result.outcome is SessionOutcome.INTERRUPTED:
        return
    context = (
        PainContext.DURING_SESSION
        if result.outcome is SessionOutcome.STOPPED_HURT
        else PainContext.AFTER_SESSION
    )
    after = await ask_pain(app, context, session)
    stop_for_today = after is not None and needs_rescreen(after, before)
    if stop_for_today:
        await red_flag_check(app, ScreeningReason.HIGH_OR_RISING_PAIN, RESCREEN_INTRO)
    await app.push_screen_wait(
        SummaryScreen(Summary(result, before, after, stop_for_today), content.ces_card)
    )


async def pain_check_in_flow(app: CoachApp, context: PainContext = PainContext.CHECK_IN) -> None:
    """A score at any time; a high or rising one asks the red-flag questions again."""
    score = await app.push_screen_wait(PainScoreScreen(app.content.pain, context))
    if score is None:
        return
    logged = app.journal.log_pain(score, context)
    if logged.rescreen:
        await red_flag_check(app, ScreeningReason.HIGH_OR_RISING_PAIN, RESCREEN_INTRO)
    else:
        app.notify(f"Logged {score}/10.", title="Pain")
    app.refresh_home()
