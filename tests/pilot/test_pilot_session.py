"""The whole session path with keys: red-flag check, pain, the timed player, pain, summary."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.factory import add_session
from tests.pilot.drive import (
    advance,
    answer_all_no,
    answer_keys,
    give_pain,
    quick_check,
    screen_text,
    start_app,
    start_session,
    text_of,
    wait_for,
)
from textual.pilot import Pilot
from textual.widgets import Static

from spasm_coach.advice import card as regional_card
from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.session import Phase, Status
from spasm_coach.settings import Settings, load_settings, save_settings
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.dialogs.choices import GentleOfferScreen
from spasm_coach.tui.dialogs.pain import PainScoreScreen
from spasm_coach.tui.dialogs.questions import SafetyQuestionsScreen
from spasm_coach.tui.dialogs.skip import SkipReasonScreen
from spasm_coach.tui.flow import HURT_INTRO, RESCREEN_INTRO
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.red_flags import OutcomeScreen, QuickCheckScreen
from spasm_coach.tui.screens.summary import SummaryScreen
from spasm_coach.tui.widgets.bigtext import BigText
from spasm_coach.tui.widgets.countdown import Countdown
from spasm_coach.vocabulary import CONDITIONS, EventKind

Coach = Callable[..., CoachApp]


def kinds(store: Store, session_uid: str) -> list[tuple[str, str | None]]:
    return [(event.kind, event.exercise_id) for event in store.events(session_uid)]


async def into_first_hold(
    pilot: Pilot[object], clock: FakeClock, player: PlayerScreen, seconds: int
) -> None:
    """Through the first prepare step, then `seconds` into the first hold."""
    assert player.runner is not None
    first = player.plan.steps[0]
    assert first.phase is Phase.PREPARE
    await advance(pilot, clock, first.seconds + seconds)
    assert player.runner.step_index == 1
    assert player.runner.step.phase is Phase.HOLD


async def test_all_clear_path_runs_a_whole_session(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, one_by_one=True)
        await give_pain(pilot, 3, "before-session")
        player = await wait_for(pilot, PlayerScreen)
        plan = player.plan
        assert plan.routine.id == "gentle"
        count = len(content.routines["gentle"].steps)
        assert f"exercise 1 of {count}" in text_of(player.query_one("#exercise-title", Static))

        await advance(pilot, clock, plan.total_seconds)
        await give_pain(pilot, 2, "after-session")
        summary = await wait_for(pilot, SummaryScreen)
        text = screen_text(summary)
        assert "Session finished" in text
        assert regional_card(content.ces_card, content.regions["uk"]).title in text
        assert "Pain before: 3/10" in text
        assert "after: 2/10" in text
        names = [planned.exercise.name for planned in plan.exercises]
        assert "Done: " + ", ".join(names) in text

        await pilot.press("enter")
        home = await wait_for(pilot, HomeScreen)
        today = text_of(home.query_one("#today", Static))
        assert "Pain: 2/10" in today
        assert content.routines["gentle"].name in today

    (screening,) = store.screenings()
    assert screening.level == "clear"
    assert screening.reason == "before-session"
    # every question but the pregnancy warning signs (not pregnant: not asked, not answered)
    assert len(screening.answers) == len(content.flags) - 1 == 30
    assert "pregnancy_warning_signs" not in screening.answers
    assert not any(screening.answers.values())

    (session,) = store.sessions()
    assert session.outcome == "finished"
    assert session.ended_at is not None
    assert session.screening_uid == screening.uid
    assert session.routine_id == "gentle"

    pains = [(p.score, p.context, p.session_uid) for p in store.pain_scores()]
    assert pains == [(3, "before-session", session.uid), (2, "after-session", session.uid)]

    expected = []
    for planned in plan.exercises:
        expected += [
            ("exercise-started", planned.exercise.id),
            ("exercise-done", planned.exercise.id),
        ]
    assert kinds(store, session.uid) == [*expected, ("finished", None)]


async def test_this_hurts_mid_hold_stops_at_once(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        player = await start_session(pilot, content, before=5)
        await into_first_hold(pilot, clock, player, 3)
        assert player.runner is not None
        exercise = player.runner.step.exercise

        await pilot.press("h")
        pain = await wait_for(pilot, PainScoreScreen)
        # Stopped and committed before the person says anything more.
        (session,) = store.sessions()
        assert session.outcome == "stopped-hurt"
        assert kinds(store, session.uid)[-1] == ("stopped-hurt", exercise.id)
        assert pain.context == "during-session"
        assert "You stopped because it hurt" in screen_text(pain)
        clock.advance(60)
        player.heartbeat()  # a late beat from the gone player changes nothing

        await give_pain(pilot, 6, "during-session")
        quick = await wait_for(pilot, QuickCheckScreen)  # it hurt: a quick check for signs
        assert HURT_INTRO in screen_text(quick)
        await quick_check(pilot)
        summary = await wait_for(pilot, SummaryScreen)
        text = screen_text(summary)
        assert "stopped because it hurt" in text
        assert "What to do now" in text
        assert f"Leave out {exercise.name}" in text
        assert "Stretching is done for today" not in text

    assert [(p.score, p.context) for p in store.pain_scores()] == [
        (5, "before-session"),
        (6, "during-session"),
    ]
    assert [event.kind for event in store.events(session.uid)].count(EventKind.STOPPED_HURT) == 1
    assert [screening.kind for screening in store.screenings()] == ["full", "quick"]


async def test_pause_and_resume_keep_the_deadline_honest(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        player = await start_session(pilot, content)
        runner = player.runner
        await into_first_hold(pilot, clock, player, 4)
        countdown = player.query_one(Countdown)
        assert runner is not None
        remaining = runner.view(clock.monotonic()).remaining
        assert remaining == player.plan.steps[1].seconds - 4
        assert countdown.seconds == remaining
        word = player.query_one("#step-word", BigText)
        detail = player.query_one("#step-detail", Static)

        await pilot.press("space")
        assert runner.status is Status.PAUSED
        assert word.text == "PAUSED"
        assert "space to carry on" in text_of(detail)
        await advance(pilot, clock, 100, step=10)
        assert runner.step_index == 1
        assert runner.view(clock.monotonic()).remaining == remaining
        assert countdown.seconds == remaining
        assert word.text == "PAUSED"

        await pilot.press("space")
        assert runner.status is Status.RUNNING
        assert word.text == "HOLD"
        await advance(pilot, clock, remaining - 1)
        assert runner.step_index == 1, "the hold ended early"
        assert countdown.seconds == 1
        await advance(pilot, clock, 1)
        assert runner.step_index == 2, "the hold ran late"
        assert runner.step.phase is Phase.REST

        session_uid = player.session.uid
        exercise_id = player.plan.steps[0].exercise.id
        assert ("paused", exercise_id) in kinds(store, session_uid)
        assert ("resumed", exercise_id) in kinds(store, session_uid)
        events = [kind for kind, _ in kinds(store, session_uid)]
        assert events.index("paused") < events.index("resumed")


async def test_quitting_mid_session_records_it_as_interrupted(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        player = await start_session(pilot, content, before=4)
        await advance(pilot, clock, 20)
        session_uid = player.session.uid
        await pilot.press("ctrl+c")
    assert app.return_code == 0

    (session,) = store.sessions()
    assert session.uid == session_uid
    assert session.outcome == session.status == "interrupted"
    assert session.ended_at is not None
    assert [event.kind for event in store.events(session_uid)][-1] == "interrupted"
    assert [(p.score, p.context, p.session_uid) for p in store.pain_scores()] == [
        (4, "before-session", session_uid)
    ]


async def test_a_session_the_app_never_ended_reads_interrupted(
    coach: Coach, clock: FakeClock, store: Store
) -> None:
    add_session(store, "gentle", "Gentle: for a bad day", clock.now(), None)
    last = store.last_session()
    assert last is not None
    assert last.outcome is None
    assert last.status == "interrupted"
    clock.advance(3600)
    app = coach()
    async with start_app(app) as pilot:
        home = await wait_for(pilot, HomeScreen)
        today = text_of(home.query_one("#today", Static))
        assert "Gentle: for a bad day" in today
        assert "interrupted" in today.lower()


async def test_skip_with_a_reason(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        player = await start_session(pilot, content)
        runner, plan = player.runner, player.plan
        await advance(pilot, clock, 3)
        assert runner is not None
        skipped = runner.step.exercise

        await pilot.press("s")
        await wait_for(pilot, SkipReasonScreen)
        await pilot.press("escape")  # changed my mind: back to the same exercise, time intact
        await wait_for(pilot, PlayerScreen)
        assert runner.status is Status.RUNNING
        assert runner.view(clock.monotonic()).remaining == plan.steps[0].seconds - 3
        assert "exercise-skipped" not in [e.kind for e in store.events(player.session.uid)]

        await pilot.press("s")
        await wait_for(pilot, SkipReasonScreen)
        assert runner.status is Status.PAUSED, "the clock stops while choosing a reason"
        await pilot.press("2")
        await wait_for(pilot, PlayerScreen)
        assert runner.status is Status.RUNNING
        assert runner.step.exercise_index == 1
        assert runner.step.phase is Phase.PREPARE
        title = text_of(player.query_one("#exercise-title", Static))
        assert plan.exercises[1].exercise.name in title
        assert f"exercise 2 of {len(plan.routine.steps)}" in title

        events = store.events(player.session.uid)
        assert (events[-2].kind, events[-2].exercise_id, events[-2].detail) == (
            "exercise-skipped",
            skipped.id,
            "Can't get into position",
        )
        assert (events[-1].kind, events[-1].exercise_id) == (
            "exercise-started",
            plan.exercises[1].exercise.id,
        )

        rest = sum(step.seconds for step in plan.steps if step.exercise_index >= 1)
        await advance(pilot, clock, rest, step=5)
        await give_pain(pilot, 3, "after-session")
        summary = await wait_for(pilot, SummaryScreen)
        text = screen_text(summary)
        assert f"Skipped: {skipped.name} (Can't get into position)" in text
        done = ", ".join(planned.exercise.name for planned in plan.exercises[1:])
        assert f"Done: {done}" in text
    (session,) = store.sessions()
    assert session.outcome == "finished"


@pytest.mark.parametrize(("key", "routine_id"), [("g", "gentle"), ("o", "standard")])
async def test_high_pain_offers_the_gentle_routine_first(
    coach: Coach,
    content: Content,
    store: Store,
    key: str,
    routine_id: str,
) -> None:
    count = len(content.routines[routine_id].steps)
    app = coach(routine=content.routines["standard"])
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content)
        await give_pain(pilot, 8, "before-session")
        offer = await wait_for(pilot, GentleOfferScreen)
        assert "8/10" in screen_text(offer)
        await pilot.press(key)
        player = await wait_for(pilot, PlayerScreen)
        assert player.plan.routine.id == routine_id
        title = text_of(player.query_one("#exercise-title", Static))
        assert content.routines[routine_id].steps[0].exercise.name in title
        assert f"exercise 1 of {count}" in title
    (session,) = store.sessions()
    assert session.routine_id == routine_id, "the log names the routine actually run"
    assert session.routine_name == content.routines[routine_id].name


async def test_no_gentle_offer_below_seven(coach: Coach, content: Content) -> None:
    app = coach(routine=content.routines["standard"])
    async with start_app(app) as pilot:
        player = await start_session(pilot, content, before=6)
        assert player.plan.routine.id == "standard"


async def test_cautions_are_asked_once_and_remembered(
    coach: Coach, content: Content, clock: FakeClock, store: Store, home: Path
) -> None:
    """Seen: one Enter on the cautions tick list recorded none, so a yes to "Are you
    pregnant?" in the check was lost and cobra (face down) followed. Now the check's yes is the
    pregnancy caution's answer, and the others are asked one at a time."""
    settings_path = home / "settings.toml"
    save_settings(settings_path, Settings(region="uk"))
    standard = content.routines["standard"]
    app = coach(routine=standard, settings=None, settings_path=settings_path)
    assert app.settings.cautions_to_ask == CONDITIONS
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes={"pregnant"})
        await wait_for(pilot, OutcomeScreen)  # book a check-up: the midwife or a physio
        await pilot.press("enter")
        await give_pain(pilot, 3, "before-session")
        cautions = await wait_for(pilot, SafetyQuestionsScreen)
        assert [item.id for item in cautions.items] == ["osteoporosis", "knee", "wrist"]
        await pilot.press("enter", "enter")  # no default answer
        assert cautions.asked == {}
        await answer_keys(pilot, clock, ["n", "n", "n"])
        player = await wait_for(pilot, PlayerScreen)
        saved = tomllib.loads(settings_path.read_text(encoding="utf-8"))["cautions"]
        assert saved == {"pregnancy": True, "osteoporosis": False, "knee": False, "wrist": False}
        assert load_settings(settings_path).conditions == ("pregnancy",)

        plan = player.plan
        assert plan.routine.id == "standard"
        left_out = {exercise.id for exercise, _ in plan.left_out}
        assert "cobra" in left_out
        assert "cobra" not in {planned.exercise.id for planned in plan.exercises}
        told = text_of(player.query_one("#left-out", Static))
        assert content.exercises["cobra"].name in told
        assert "growing bump" in told
        titles = set()
        for _ in range(0, plan.total_seconds, 10):
            titles.add(text_of(player.query_one("#exercise-title", Static)))
            await advance(pilot, clock, 10, step=10)
            if not player.is_active:
                break
        assert titles
        assert not any("Cobra" in title for title in titles)
        await give_pain(pilot, 3, "after-session")
        summary = await wait_for(pilot, SummaryScreen)
        text = screen_text(summary)
        cobra = content.exercises["cobra"].name
        assert f"{cobra} (left out: pregnancy)" in text
        assert cobra not in text.split("Done: ")[1].split("Skipped")[0]

    again = coach(routine=standard, settings=None, settings_path=settings_path)
    assert again.settings.conditions == ("pregnancy",)
    assert again.settings.cautions_to_ask == ()
    async with start_app(again) as pilot:
        await pilot.press("s")
        await quick_check(pilot)  # the full check was done earlier today
        await give_pain(pilot, 4, "before-session")
        player = await wait_for(pilot, PlayerScreen)
        assert "cobra" in {exercise.id for exercise, _ in player.plan.left_out}
    assert len(list(store.sessions())) == 2


async def test_cautions_escape_cancels_the_session(
    coach: Coach, content: Content, store: Store, home: Path, players: list[PlayerScreen]
) -> None:
    settings_path = home / "settings.toml"
    save_settings(settings_path, Settings(region="uk"))
    app = coach(settings=None, settings_path=settings_path)
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content)
        await give_pain(pilot, 3, "before-session")
        await wait_for(pilot, SafetyQuestionsScreen)
        await pilot.press("escape")
        home_screen = await wait_for(pilot, HomeScreen)
        today = text_of(home_screen.query_one("#today", Static))
        assert "Pain: 3/10" in today
        assert "interrupted" not in today, "home shows the session as it was logged"
    assert players == []
    assert load_settings(settings_path).cautions_to_ask == ("osteoporosis", "knee", "wrist")
    (session,) = store.sessions()
    assert session.outcome == "cancelled"


@pytest.mark.parametrize(("before", "after"), [(3, 8), (2, 4)])
async def test_high_or_rising_pain_after_the_session_checks_again(
    coach: Coach,
    content: Content,
    clock: FakeClock,
    store: Store,
    before: int,
    after: int,
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        player = await start_session(pilot, content, before=before)
        await advance(pilot, clock, player.plan.total_seconds, step=5)
        await give_pain(pilot, after, "after-session")
        quick = await wait_for(pilot, QuickCheckScreen)
        assert RESCREEN_INTRO in screen_text(quick)
        await quick_check(pilot)
        summary = await wait_for(pilot, SummaryScreen)
        text = screen_text(summary)
        assert "Session finished" in text
        assert "Stretching is done for today" in text

    first, second = store.screenings()
    assert (first.reason, second.reason) == ("before-session", "high-or-rising-pain")
    assert (second.kind, second.level) == ("quick", "clear")
    (note,) = store.safety_notes()
    assert note.kind == "stop-for-today"
    assert f"{after}/10" in (note.detail or "")


async def test_a_warning_sign_on_the_second_check_is_shown_before_the_summary(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        player = await start_session(pilot, content)
        await advance(pilot, clock, player.plan.total_seconds, step=5)
        await give_pain(pilot, 9, "after-session")
        await quick_check(pilot, signs=True)
        outcome = await wait_for(pilot, OutcomeScreen)
        assert regional_card(content.ces_card, content.regions["uk"]).title in screen_text(outcome)
        await pilot.press("escape")
        summary = await wait_for(pilot, SummaryScreen)
        assert "Stretching is done for today" in screen_text(summary)
    screening = store.last_screening()
    assert screening is not None
    assert screening.level == "emergency"


async def test_the_countdown_is_big_enough_to_read_from_the_floor(
    coach: Coach, content: Content, clock: FakeClock
) -> None:
    """At least 5 rows on a small laptop, and half as tall again on a big screen as on a medium
    one, so it reads from two metres away."""
    rows = {}
    app = coach()
    async with start_app(app, (80, 24)) as pilot:
        player = await start_session(pilot, content)
        await into_first_hold(pilot, clock, player, 4)
        for size in ((80, 24), (100, 30), (160, 45)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            rows[size] = player.query_one(Countdown).content_region.height
    assert rows[80, 24] >= 5
    assert rows[160, 45] >= 1.5 * rows[100, 30]
