"""Drive the whole coach with keys in a headless terminal, and move time with the fake clock only.

The player's heartbeat runs from a real interval timer, but it reads time from the injected
FakeClock, so nothing here sleeps: `advance` moves the clock and calls the heartbeat itself.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, TypeVar

from tests.support import NONE_APPLY
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.records import PlanChange, new_uid
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.dialogs.pain import PainScoreScreen
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.red_flags import QuickCheckScreen, RedFlagScreen
from spasm_coach.vocabulary import Level, PlanMove

READ = 1.0
"""Seconds a person takes to read a safety question before answering it."""
SIZE = (80, 24)
NO_CAUTIONS = Settings(cautions=NONE_APPLY, region="uk")
"""Region chosen and cautions already answered (none), so neither is asked."""

S = TypeVar("S", bound=Screen)


@asynccontextmanager
async def start_app(app: CoachApp, size: tuple[int, int] = SIZE) -> AsyncIterator[Pilot]:
    """The coach in a headless terminal, toasts shown as a person would see them."""
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        yield pilot


async def wait_for(pilot: Pilot, screen_type: type[S], tries: int = 50) -> S:
    """The active screen once it is a `screen_type` and has settled (composed and laid out, so
    what it shows can be read); fails if it doesn't come."""
    for _ in range(tries):
        screen = pilot.app.screen
        if isinstance(screen, screen_type):
            await pilot.pause()
            return screen
        await pilot.pause()
    raise AssertionError(
        f"expected {screen_type.__name__}, the screen is {type(pilot.app.screen).__name__}"
    )


async def type_keys(pilot: Pilot, *keys: str) -> None:
    """Keys as a fast typist sends them: queued in order, then one wait for the app to settle.

    `pilot.press` waits for idle after every key (about 80 ms each); the red-flag check takes
    29 keys, so most tests type them this way and one test presses them one by one.
    """
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(pilot.app)
        pilot.app.post_message(event)
    await pilot.pause()


def _state(app: App[Any]) -> tuple[object, ...]:
    screen = app.screen
    return (screen, getattr(screen, "index", None), len(getattr(screen, "asked", ()) or ()))


async def answer_keys(pilot: Pilot, clock: FakeClock, keys: Iterable[str]) -> None:
    """Answer safety questions as a person does: each key after reading the question (the fake
    clock moves on READ seconds), waiting only until the key has been taken."""
    for key in keys:
        clock.advance(READ)
        before = _state(pilot.app)
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(pilot.app)
        pilot.app.post_message(event)
        for _ in range(500):
            await asyncio.sleep(0)
            if _state(pilot.app) != before:
                break
    await pilot.pause()


async def answer_all_no(
    pilot: Pilot,
    content: Content,
    yes: Iterable[str] = (),
    *,
    one_by_one: bool = False,
    clock: FakeClock | None = None,
) -> dict[str, bool]:
    """Answer the full check's questions: no, except the ids in `yes`, up to the first emergency
    sign (which ends the check). Returns the answers given."""
    yes = set(yes)
    screen = await wait_for(pilot, RedFlagScreen)
    known = dict(screen.check_log.known)
    questions = []
    for flag in screen.questions:
        if flag.ask_if_yes is not None and not {**known, **dict.fromkeys(yes, True)}.get(
            flag.ask_if_yes
        ):
            continue  # asked only when the answer it depends on is yes
        questions.append(flag)
        if flag.id in yes and flag.level is Level.EMERGENCY:
            break
    keys = ["y" if flag.id in yes else "n" for flag in questions]
    assert isinstance(pilot.app, CoachApp)
    reader = clock if clock is not None else pilot.app.clock
    assert isinstance(reader, FakeClock), "answering on purpose takes time: use the fake clock"
    if one_by_one:
        for flag, key in zip(questions, keys, strict=True):
            assert pilot.app.screen is screen, f"the check ended early, at {flag.id}"
            assert text_of(screen.query_one("#question", Static)) == flag.question
            reader.advance(READ)
            await pilot.press(key)
    else:
        await answer_keys(pilot, reader, keys)
    await pilot.pause()
    asked = dict(zip([f.id for f in questions], [k == "y" for k in keys], strict=True))
    assert screen.asked == asked
    assert pilot.app.screen is not screen
    return screen.asked


async def quick_check(pilot: Pilot, signs: bool = False, anything_new: bool = False) -> None:
    """Answer the quick check: the emergency signs, then whether anything else is new."""
    await wait_for(pilot, QuickCheckScreen)
    assert isinstance(pilot.app, CoachApp)
    clock = pilot.app.clock
    assert isinstance(clock, FakeClock)
    keys = ["y" if signs else "n", *([] if signs else ["y" if anything_new else "n"])]
    for key in keys:
        clock.advance(READ)
        await pilot.press(key)


async def give_pain(pilot: Pilot, score: int, context: str | None = None) -> None:
    screen = await wait_for(pilot, PainScoreScreen)
    if context is not None:
        assert screen.context == context
    await type_keys(pilot, "t" if score == 10 else str(score))


def player_of(app: App[Any]) -> PlayerScreen | None:
    """The session player anywhere in the stack (a dialog may be on top of it)."""
    return next((s for s in app.screen_stack if isinstance(s, PlayerScreen)), None)


async def advance(pilot: Pilot, clock: FakeClock, seconds: float, step: float = 1.0) -> None:
    """Move the fake clock on in steps, beating the player's heart at each one, then settle.

    The heartbeat goes to the player wherever it is in the stack, as its interval timer does
    (a dialog such as help on top doesn't stop the session's time).
    """
    left = seconds
    while left > 0:
        chunk = min(step, left)
        clock.advance(chunk)
        left -= chunk
        player = player_of(pilot.app)
        if player is not None:
            player.heartbeat()
    await pilot.pause()


async def begin_session(pilot: Pilot, content: Content) -> None:
    """From home: 's', then a clear red-flag check (full or quick, as the day needs)."""
    await pilot.press("s")
    for _ in range(50):
        if isinstance(pilot.app.screen, RedFlagScreen | QuickCheckScreen):
            break
        await pilot.pause()
    if isinstance(pilot.app.screen, QuickCheckScreen):
        await quick_check(pilot)
    else:
        await answer_all_no(pilot, content)


async def start_session(pilot: Pilot, content: Content, before: int = 3) -> PlayerScreen:
    """From home: 's', a clear red-flag check, the pain score, and on into the player."""
    await begin_session(pilot, content)
    await give_pain(pilot, before, "before-session")
    return await wait_for(pilot, PlayerScreen)


def moved_on(store: Store, at: datetime) -> None:
    """The person moved on to the built-in plan's second stage (Get moving: Standard) at `at`."""
    store.insert(
        PlanChange(
            new_uid(),
            at,
            "recovery",
            "From settling the spasm to getting stronger",
            PlanMove.MOVE_ON,
            "settle",
            "Settle the spasm",
            "move",
            "Get moving",
            False,
            "a physio's say-so.",
        )
    )


def text_of(widget: Static) -> str:
    return str(widget.visual)


def screen_text(screen: Screen) -> str:
    """Every Static's words on the screen, spaces squeezed, so wrapping doesn't matter."""
    return " ".join(" ".join(text_of(s).split()) for s in screen.query(Static))


SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
    r'clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>'
)


def visible_text(app: App[Any]) -> str:
    """What the terminal shows now, line by line, read from Textual's own screenshot (SVG)."""
    svg = app.export_screenshot()
    spans: dict[int, list[tuple[float, float, str]]] = {}
    for match in SVG_TEXT.finditer(svg):
        text = html.unescape(match[4]).replace("\xa0", " ")
        if text:
            spans.setdefault(int(match[3]), []).append((float(match[1]), float(match[2]), text))
    widths = sorted(length / len(text) for row in spans.values() for _, length, text in row)
    cell = widths[len(widths) // 2] if widths else 1.0
    lines = []
    for row in range(app.size.height):
        line = ""
        for x, _, text in sorted(spans.get(row, [])):
            line = line.ljust(round(x / cell)) + text
        lines.append(line.rstrip())
    return "\n".join(lines)


Coach = Callable[..., CoachApp]
"""The `coach` fixture: make_app with the test's store, clock and content; keywords override."""
