"""Every screen and every dialog fits, at 60x20, 80x24, 100x30 and 160x45, and as a phone held
upright shows the coach in browser mode: 40x30 (the least a narrow screen may be) and 45x44
(412 px wide).

Each screen in the table below is opened (pushed onto a running coach with realistic data) and
checked: every button, tick box and label can be brought into view whole (scrolling where its
screen scrolls), no two buttons overlap, and no label is cut short. A screen added to the coach
must be added to the table (a test checks the table covers every screen class).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from tests.factory import add_pain, add_screening, add_session
from tests.support import NO_HEAT_ICE_PROBLEMS, NONE_APPLY
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Label, RadioButton, Static

import spasm_coach.tui
from spasm_coach.clock import FakeClock
from spasm_coach.content import load_content
from spasm_coach.gate import since_warning_words
from spasm_coach.records import Screening, new_uid
from spasm_coach.session import SessionResult, plan_session
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.trend import Period
from spasm_coach.tui.app import CoachApp, make_app
from spasm_coach.tui.dialogs.questions import Question
from spasm_coach.tui.labels import CAUTIONS_INTRO, CONDITION_QUESTIONS, HEAT_ICE_INTRO
from spasm_coach.vocabulary import (
    CheckKind,
    Level,
    NoteKind,
    PainContext,
    ScreeningReason,
    SessionOutcome,
    ThermalKind,
)

SIZES = [(40, 30), (45, 44), (60, 20), (80, 24), (100, 30), (160, 45)]
CLINIC_SIZES = [(40, 24), (45, 44), (60, 20), (80, 24), (100, 30), (160, 45)]
CONTENT = load_content()


@dataclass
class Opened:
    """What a table entry needs: the app (with a journal on a seeded log) and its clock."""

    app: CoachApp
    clock: FakeClock


def seeded(clock: FakeClock) -> Store:
    store = Store.in_memory()
    now = clock.now()
    for day in range(20, 0, -1):
        add_pain(
            store,
            3 + day % 5,
            now - timedelta(days=day),
            PainContext.CHECK_IN,
            note="stiff after sitting",
        )
    check = add_screening(
        store, Level.CLEAR, (), {}, now - timedelta(hours=3), ScreeningReason.BEFORE_SESSION
    )
    session = add_session(store, "gentle", "Gentle", now - timedelta(hours=3), check.uid)
    store.end_session(session.uid, now - timedelta(hours=2, minutes=50), SessionOutcome.FINISHED)
    return store


def warning(level: Level, flags: tuple[str, ...]) -> Screening:
    return Screening(
        new_uid(),
        FakeClock().now(),
        level,
        flags,
        dict.fromkeys(flags, True),
        ScreeningReason.BEFORE_SESSION,
        complete=level is not Level.EMERGENCY,
    )


def longest_flags(level: Level, count: int) -> tuple[str, ...]:
    flags = [flag for flag in CONTENT.flags if flag.level is level]
    return tuple(flag.id for flag in sorted(flags, key=lambda f: -len(f.question))[:count])


def player(opened: Opened) -> Screen[Any]:
    from spasm_coach.tui.screens.player import PlayerScreen

    app = opened.app
    plan = plan_session(app.content.routines["standard"], ("pregnancy",))  # the app's own
    session = app.journal.open_session("standard", "Standard", None)
    return PlayerScreen(plan, session)


def how_to(opened: Opened) -> Screen[Any]:
    from spasm_coach.tui.dialogs.howto import HowToScreen, instructions

    plan = plan_session(CONTENT.routines["standard"], ("knee", "osteoporosis"))
    step = plan.steps[0]
    return HowToScreen(step.exercise.name, instructions(step))


def summary(opened: Opened) -> Screen[Any]:
    from spasm_coach.tui.screens.summary import Summary, SummaryScreen

    result = SessionResult(
        SessionOutcome.STOPPED_HURT,
        done=["Knee to chest", "Cat-cow"],
        skipped=[("Cobra (start as sphinx)", "left out: pregnancy")],
        active_seconds=312,
        hurt_exercise=CONTENT.exercises["childs_pose"],
    )
    return SummaryScreen(Summary(result, 4, 8, stop_for_today=True), CONTENT.ces_card)


async def thermal_running(opened: Opened) -> Screen[Any]:
    from spasm_coach.tui.screens.thermal import ThermalScreen

    opened.app.start_thermal(ThermalKind.HEAT, 15)
    return ThermalScreen()


def safety_note(opened: Opened) -> Screen[Any]:
    from spasm_coach.records import SafetyNote
    from spasm_coach.tui.screens.safety import StopForTodayScreen

    note = SafetyNote(
        new_uid(),
        opened.clock.now(),
        NoteKind.STOP_FOR_TODAY,
        None,
        "your pain was 8/10 after the session (4/10 before)",
    )
    return StopForTodayScreen(note, CONTENT.routines["relaxation"].name, "14:05")


async def quick_check_second(opened: Opened) -> Screen[Any]:
    """The quick check once the signs are answered no: 'anything else new?'."""
    screen: Screen[Any] = tui("screens.red_flags.QuickCheckScreen")(
        CONTENT, opened.clock.now() - timedelta(hours=3), opened.clock.now()
    )
    screen.call_after_refresh(setattr, screen, "signs_answer", False)
    return screen


async def thermal_ready(opened: Opened) -> Screen[Any]:
    """Heat chosen, its minutes and Start on screen."""
    from spasm_coach.tui.screens.thermal import ThermalScreen

    screen = ThermalScreen()
    screen.call_after_refresh(screen.action_choose, "heat")
    return screen


def longest_first(questions: list[Question]) -> list[Question]:
    return sorted(questions, key=lambda question: -len(question.text))


def changed_answer_card(opened: Opened) -> Screen[Any]:
    """A soon card whose check had a yes changed to no, and the advice to stop for today."""
    from spasm_coach.records import AnswerChange

    flags = longest_flags(Level.URGENT, 2)
    check = Screening(
        new_uid(),
        opened.clock.now(),
        Level.SOON,
        ("exercise_made_worse",),
        {"exercise_made_worse": True, **dict.fromkeys(flags, False)},
        ScreeningReason.BEFORE_SESSION,
        changes=tuple(AnswerChange(flag, True, False) for flag in flags),
    )
    advice = (
        "Stretching is done for today. You said the exercises made it worse: ask a "
        "physiotherapist before you do Standard: daily routine again.",
        "More stretching today could make the spasm worse.",
    )
    screen: Screen[Any] = tui("screens.red_flags.OutcomeScreen")(
        check, CONTENT, opened.app.region, advice
    )
    return screen


def plan_offer(opened: Opened, *, forward: bool) -> Screen[Any]:
    """The plan's offer, moving on from its first stage or back from its last (the longest
    names and goals)."""
    from spasm_coach.journey import Proposal
    from spasm_coach.tui.dialogs.plan import PlanOfferScreen
    from spasm_coach.vocabulary import PlanMove

    standing = opened.app.standing()
    plan = standing.plan
    if forward:
        kind, to = PlanMove.MOVE_ON, plan.stages[1]
        reason = (
            "your last 3 scores were 4, 4 and 4, 2 sessions finished in this stage and 1 day "
            "in this stage"
        )
    else:
        kind, to = PlanMove.STEP_BACK, plan.stages[-2]
        reason = "your last 2 scores were 5 and 6"
    proposal = Proposal(kind, to, reason, automatic=False)
    return PlanOfferScreen(standing, proposal, to.routines[0], standing.routines[0])


def your_plan(opened: Opened) -> Screen[Any]:
    """The plan screen, in its second stage, with a change logged."""
    from spasm_coach.journey import Proposal, record
    from spasm_coach.tui.screens.plan import PlanScreen
    from spasm_coach.vocabulary import PlanMove

    standing = opened.app.standing()
    to = standing.plan.stages[1]
    record(opened.app.journal, standing, Proposal(PlanMove.MOVE_ON, to, "a physio's say-so", False))
    return PlanScreen()


def tui(name: str) -> Any:
    module, _, cls = name.rpartition(".")
    return getattr(importlib.import_module(f"spasm_coach.tui.{module}"), cls)


Factory = Callable[[Opened], Screen[Any] | Awaitable[Screen[Any]]]

TABLE: dict[str, Factory] = {
    "home": lambda o: tui("screens.home.HomeScreen")(),
    "full check": lambda o: tui("screens.red_flags.RedFlagScreen")(
        tuple(sorted(CONTENT.flags, key=lambda f: -len(f.question))),
        o.app.journal.begin_check(CONTENT, ScreeningReason.BEFORE_SESSION),
        since=since_warning_words("23:55 on Mon 23 Nov"),
    ),
    "quick check": lambda o: tui("screens.red_flags.QuickCheckScreen")(
        CONTENT, o.clock.now() - timedelta(hours=3), o.clock.now()
    ),
    "quick check, second question": quick_check_second,
    "emergency card": lambda o: tui("screens.red_flags.OutcomeScreen")(
        warning(Level.EMERGENCY, longest_flags(Level.EMERGENCY, 1)), CONTENT, o.app.region
    ),
    "quick-check emergency card": lambda o: tui("screens.red_flags.OutcomeScreen")(
        Screening(
            new_uid(),
            o.clock.now(),
            Level.EMERGENCY,
            ("emergency_signs_now",),
            {"emergency_signs_now": True},
            ScreeningReason.BEFORE_SESSION,
            CheckKind.QUICK,
            False,
        ),
        CONTENT,
        o.app.region,
    ),
    "urgent card": lambda o: tui("screens.red_flags.OutcomeScreen")(
        warning(Level.URGENT, longest_flags(Level.URGENT, 3)), CONTENT, o.app.region
    ),
    "soon card (book a check-up)": lambda o: tui("screens.red_flags.OutcomeScreen")(
        warning(Level.SOON, longest_flags(Level.SOON, 2)), CONTENT, o.app.region
    ),
    "clearance": lambda o: tui("screens.safety.ClearanceScreen")(
        CONTENT, warning(Level.EMERGENCY, ("saddle_numbness",)), o.app.region, "09:12"
    ),
    "stop for today": safety_note,
    "player": player,
    "summary": summary,
    "heat and ice": lambda o: tui("screens.thermal.ThermalScreen")(),
    "heat, ready to start": thermal_ready,
    "heat running": thermal_running,
    "settings": lambda o: tui("screens.settings.SettingsScreen")(),
    "history": lambda o: tui("screens.history.HistoryScreen")(),
    "help": lambda o: tui("screens.help.HelpScreen")(o.app.screen),
    "pain score": lambda o: tui("dialogs.pain.PainScoreScreen")(CONTENT.pain, "after-session"),
    "cautions": lambda o: tui("dialogs.questions.SafetyQuestionsScreen")(
        longest_first([Question(c, CONDITION_QUESTIONS[c]) for c in CONDITION_QUESTIONS]),
        CAUTIONS_INTRO,
        "cautions",
    ),
    "gentle offer": lambda o: tui("dialogs.choices.GentleOfferScreen")(
        8, CONTENT.routines["gentle"], CONTENT.routines["standard"]
    ),
    "plan: move on": lambda o: plan_offer(o, forward=True),
    "plan: step back": lambda o: plan_offer(o, forward=False),
    "your plan": your_plan,
    "where this advice comes from": lambda o: tui("screens.sources.SourcesScreen")(),
    "skip reason": lambda o: tui("dialogs.skip.SkipReasonScreen")(),
    "how to (i in a session)": how_to,
    "heat/ice questions": lambda o: tui("dialogs.questions.SafetyQuestionsScreen")(
        longest_first([Question(c.id, c.question) for c in CONTENT.contraindications]),
        HEAT_ICE_INTRO,
        "thermal_contraindications",
    ),
    "warning card before heat or ice": lambda o: tui("screens.safety.WarningCardScreen")(
        CONTENT,
        warning(Level.EMERGENCY, longest_flags(Level.EMERGENCY, 1)),
        o.app.region,
        "23:55 on Mon 23 Nov",
        tui("screens.safety.HEAT_ICE_QUESTION"),
        "Heat or ice",
    ),
    "a changed answer and advice for the day": changed_answer_card,
    "time's up": lambda o: tui("dialogs.thermal.RemoveNowScreen")("Heat"),
    "left on while closed": lambda o: tui("dialogs.thermal.RemoveNowScreen")(
        "Heat", on_since="14:03"
    ),
    "quit with a timer": lambda o: tui("dialogs.thermal.QuitWithTimerScreen")("Heat", "14:20"),
    "export": lambda o: tui("dialogs.export.ExportDialog")(Period(30, o.clock.now())),
    "region": lambda o: tui("dialogs.region.RegionScreen")(tuple(CONTENT.regions.values()), "uk"),
    "problem": lambda o: tui("dialogs.problem.ProblemScreen")(
        "The pain log can't be used just now",
        "The disk holding the pain log /home/someone/.local/share/spasm-coach/pain-log.sqlite3 "
        "is full. Free some space, then try again; nothing already in the log was lost.",
    ),
    "quit with unsaved entries": lambda o: tui("dialogs.problem.UnsavedQuitScreen")(
        "NOT SAVED YET: a pain score of 3 and 2 more. The pain log is busy: another program "
        "is writing to it. The coach keeps what you entered and tries again every 3 seconds."
    ),
}
BUTTONS_IN_SIGHT = {
    "full check",
    "quick check",
    "quick check, second question",
    "cautions",
    "heat/ice questions",
    "heat and ice",
    "heat, ready to start",
}
"""Screens whose buttons must be on screen as they open, without scrolling: a safety question
is answered with its answers in sight, and heat shows how to start."""
NOT_IN_THE_TABLE = {
    "ClinicWarningScreen": "clinic mode: test_clinic_mode_fits",
    "OneAtATime": "a base class",
    "TooSmallScreen": "shown only below 60x20 (40x30 when narrower), where nothing else is",
    "PresenterScreen": "clinic mode: test_clinic_mode_fits",
    "StagesScreen": "clinic mode: test_a_plan_in_clinic_mode_fits",
    "ExerciseChoiceScreen": "clinic mode: test_clinic_mode_fits",
    "LeaveDemoScreen": "clinic mode: test_clinic_mode_fits",
    "CoachScreen": "a base class",
    "CoachModal": "a base class",
}


def screen_classes() -> set[str]:
    names = set()
    for info in pkgutil.walk_packages(spasm_coach.tui.__path__, "spasm_coach.tui."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Screen)
                and value.__module__ == module.__name__
            ):
                names.add(name)
    return names


def test_the_table_opens_every_screen_and_dialog() -> None:
    covered = set(NOT_IN_THE_TABLE)
    for factory in TABLE.values():
        source = inspect.getsource(factory)
        covered |= {name for name in screen_classes() if name in source}
    covered |= {"PlayerScreen", "SummaryScreen", "ThermalScreen", "StopForTodayScreen"}
    covered |= {"PlanOfferScreen"}  # made by plan_offer
    missing = screen_classes() - covered
    assert not missing, f"add these screens to the layout table: {sorted(missing)}"


# --- what 'fits' means --------------------------------------------------------------------------

CHECKED = (Button, Checkbox, RadioButton, Label, Static)


def buttons_out_of_sight(screen: Screen[Any], size: tuple[int, int]) -> list[str]:
    """Buttons that can't be seen without scrolling (or at all)."""
    whole = Region(0, 0, *size)
    found = []
    for button in screen.query(Button):
        if not button.display or any(
            not ancestor.display for ancestor in button.ancestors if isinstance(ancestor, Widget)
        ):
            continue
        region = screen.find_widget(button).region
        if not whole.contains_region(region) or region.height == 0:
            found.append(f"{_describe(button)} is not on screen without scrolling")
    return found


def problems_on(screen: Screen[Any], size: tuple[int, int]) -> list[str]:
    found: list[str] = []
    whole = Region(0, 0, *size)
    buttons: list[tuple[Button, Region]] = []
    for widget in screen.query("*"):
        if not isinstance(widget, CHECKED) or not widget.display or not widget.visible:
            continue
        if any(
            not ancestor.display for ancestor in widget.ancestors if isinstance(ancestor, Widget)
        ):
            continue
        region = screen.find_widget(widget).region
        name = _describe(widget)
        if region.width == 0 or region.height == 0:
            continue
        if region.right > whole.right or region.x < 0:
            found.append(f"{name} runs off the side ({region.x}..{region.right} of {size[0]})")
        scroller = _scroller(widget)
        if scroller is None and (region.bottom > whole.bottom or region.y < 0):
            found.append(f"{name} is below the screen and nothing scrolls to it")
        if scroller is not None:
            view = screen.find_widget(scroller).region
            fits = region.height <= view.height
            if fits and not _can_scroll_into_view(region, view, scroller):
                found.append(f"{name} can't be scrolled into view")
        cut = _cut(widget)
        if cut:
            found.append(f"{name} {cut}")
        if isinstance(widget, Button):
            buttons.append((widget, region))
    for index, (first, first_region) in enumerate(buttons):
        for second, second_region in buttons[index + 1 :]:
            if first_region.overlaps(second_region):
                found.append(f"{_describe(first)} overlaps {_describe(second)}")
            elif first_region.grow((0, 1, 0, 1)).overlaps(second_region):
                found.append(f"{_describe(first)} touches {_describe(second)}: no gap between")
    return found


def _describe(widget: Widget) -> str:
    label = getattr(widget, "label", None)
    text = str(label) if label is not None else str(getattr(widget, "visual", ""))
    text = " ".join(text.split())
    return f"{type(widget).__name__} {text[:40]!r}"


def _scroller(widget: Widget) -> Widget | None:
    for ancestor in widget.ancestors:
        if isinstance(ancestor, Screen):
            return None
        if isinstance(ancestor, ScrollableContainer) or (
            isinstance(ancestor, Widget) and ancestor.styles.overflow_y in ("auto", "scroll")
        ):
            return ancestor
    return None


def _can_scroll_into_view(region: Region, view: Region, scroller: Widget) -> bool:
    """The widget lies within the scrollable area (its whole height can be shown)."""
    top = region.y - view.y + scroller.scroll_y
    return top >= 0 and top + region.height <= scroller.virtual_size.height + view.height


def _cut(widget: Widget) -> str | None:
    """A label shown only in part: a button or tick box too narrow for its words, or text taller
    than the room it has with nowhere to scroll."""
    if isinstance(widget, Button | Checkbox | RadioButton):
        label = widget.label.plain if hasattr(widget.label, "plain") else str(widget.label)
        lines = label.splitlines() or [""]
        room = widget.content_region.width
        if isinstance(widget, Checkbox | RadioButton):
            room -= 3  # the box and a space
        widest = max(cell_len(line) for line in lines)
        height_needed = len(lines)
        if widest > room and widget.content_region.height < height_needed + 1:
            return f"is cut short ({widest} cells of words in {room})"
        return None
    if isinstance(widget, Static) and _scroller(widget) is None:
        width = widget.content_region.width
        if width <= 0:
            return None
        needed = widget.get_content_height(widget.size, widget.size, width)
        if needed > widget.content_region.height:
            return f"is cut short ({needed} lines of words in {widget.content_region.height})"
    return None


# --- the test --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_every_screen_and_dialog_fits(size: tuple[int, int], tmp_path: Path) -> None:
    clock = FakeClock()
    store = seeded(clock)
    settings = Settings(
        region="uk", cautions=NONE_APPLY, thermal_contraindications=NO_HEAT_ICE_PROBLEMS
    )
    app = make_app(store, clock, tmp_path / "settings.toml", content=CONTENT, settings=settings)
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        opened = Opened(app, clock)
        for name, factory in TABLE.items():
            made = factory(opened)
            screen = await made if inspect.isawaitable(made) else made
            await app.push_screen(screen)
            await pilot.pause()
            await pilot.pause()
            problems = problems_on(app.screen, size)
            if name in BUTTONS_IN_SIGHT:
                problems += buttons_out_of_sight(app.screen, size)
            if problems:
                failures[name] = problems
            app.pop_screen()
            await pilot.pause()
            if app.thermal is not None:
                app.stop_thermal()
                await pilot.pause()
                while app.screen is not app.screen_stack[0] and len(app.screen_stack) > 1:
                    app.pop_screen()
                    await pilot.pause()
    report = "\n".join(
        f"{name}:\n" + "\n".join(f"  - {problem}" for problem in problems)
        for name, problems in failures.items()
    )
    assert not failures, f"at {size[0]}x{size[1]}:\n{report}"


@pytest.mark.parametrize("size", CLINIC_SIZES, ids=[f"{w}x{h}" for w, h in CLINIC_SIZES])
async def test_clinic_mode_fits(size: tuple[int, int]) -> None:
    """A warning standing, first; the presenter with and without its instructions, the list
    of exercises and Esc's question, in a routine whose names and instructions are the longest
    the library has."""
    from spasm_coach.tui.clinic import ClinicApp, StandingWarning
    from spasm_coach.tui.dialogs.exercises import ExerciseChoiceScreen, LeaveDemoScreen

    clock = FakeClock()
    standing = StandingWarning(
        CONTENT,
        warning(Level.EMERGENCY, longest_flags(Level.EMERGENCY, 1)),
        CONTENT.regions["uk"],
        "23:55 on Mon 23 Nov",
    )
    app = ClinicApp(CONTENT.routines["getting_stronger"], clock=clock, standing=standing)
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if problems := problems_on(app.screen, size):
            failures["a warning standing, first"] = problems
        clock.advance(2)
        await pilot.press("y")  # a clinician is present
        await pilot.pause()
        presenter = app.screen
        for name, keys in [("presenter", ()), ("with instructions", ("i",))]:
            for exercise in range(len(app.plan.exercises)):
                await pilot.press(str(exercise + 1), *keys)
                await pilot.pause()
                if problems := problems_on(presenter, size):
                    failures[f"{name}, exercise {exercise + 1}"] = problems
                await pilot.press(*keys)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseChoiceScreen)
        if problems := problems_on(app.screen, size):
            failures["exercise list"] = problems
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, LeaveDemoScreen)
        if problems := problems_on(app.screen, size):
            failures["quit the demonstration?"] = problems
    report = "\n".join(
        f"{name}:\n" + "\n".join(f"  - {problem}" for problem in problems)
        for name, problems in failures.items()
    )
    assert not failures, f"at {size[0]}x{size[1]}:\n{report}"


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_a_plan_in_clinic_mode_fits(size: tuple[int, int]) -> None:
    """demo --plan: the stages, each highlighted in turn, and a stage's routine opened."""
    from spasm_coach.plans import load_plans
    from spasm_coach.tui.clinic import ClinicApp
    from spasm_coach.tui.screens.presenter import PresenterScreen

    plan = load_plans(CONTENT, None, CONTENT.routines).built_in["recovery"]
    app = ClinicApp(plan.stages[0].routines[0], clock=FakeClock(), plan=plan)
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        stages = app.screen
        for number in range(1, len(plan.stages) + 1):
            await pilot.press(str(number))
            await pilot.pause()
            if problems := problems_on(stages, size):
                failures[f"stage {number}"] = problems
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PresenterScreen)
        if problems := problems_on(app.screen, size):
            failures["a stage's routine"] = problems
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is stages
    report = "\n".join(
        f"{name}:\n" + "\n".join(f"  - {problem}" for problem in problems)
        for name, problems in failures.items()
    )
    assert not failures, f"at {size[0]}x{size[1]}:\n{report}"
