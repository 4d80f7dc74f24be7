"""The coach in a browser tab, on the fake clock: what it asks of the tab (say a cue, stop, ring,
show a title) as a session and a heat timer run. The page's side is tests/browser."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.pilot.drive import advance, start_app, start_session
from tests.support import NO_HEAT_ICE_PROBLEMS, NONE_APPLY

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.cues import spoken
from spasm_coach.session import Phase
from spasm_coach.settings import Settings
from spasm_coach.speech import FakeSpeaker
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.tab import BrowserTab
from spasm_coach.vocabulary import ThermalKind


@dataclass
class FakeWebDriver:
    """Keeps the meta packets the coach writes for textual-serve."""

    sent: list[dict[str, object]] = field(default_factory=list)

    def write_meta(self, data: dict[str, object]) -> None:
        self.sent.append(data)

    def kinds(self, kind: str) -> list[str]:
        return [str(meta["text"]) for meta in self.sent if meta["kind"] == kind]


def in_a_tab(app: CoachApp) -> FakeWebDriver:
    """As on_mount sets the coach up under textual-serve's web driver."""
    driver = FakeWebDriver()
    app.tab = BrowserTab(driver, app.title)  # type: ignore[arg-type]
    app.speaker = app.tab
    return driver


async def test_the_tab_says_the_cues_rings_and_titles_the_step(
    coach: Callable[..., CoachApp], content: Content, clock: FakeClock
) -> None:
    app = coach(settings=Settings(region="uk", cautions=NONE_APPLY, speech=True))
    async with start_app(app) as pilot:
        tab = in_a_tab(app)
        player = await start_session(pilot, content)
        runner = player.runner
        assert runner is not None
        first = runner.step
        assert first.phase is Phase.PREPARE
        assert tab.kinds("say") == spoken(None, runner.view(clock.monotonic()), content.spoken)
        assert tab.kinds("title")[-1] == f"GET READY {first.seconds} · spasm-coach"

        before = runner.view(clock.monotonic())
        await advance(pilot, clock, first.seconds)
        hold = runner.step
        assert hold.phase is Phase.HOLD
        assert (
            tab.kinds("say")[-1]
            == spoken(before, runner.view(clock.monotonic()), content.spoken)[-1]
        )
        assert tab.kinds("title")[-1] == f"HOLD {hold.seconds} · spasm-coach"

        await advance(pilot, clock, hold.seconds - 3)  # the last seconds of a hold ring
        assert tab.kinds("bell") == [""]
        assert tab.kinds("title")[-1] == "HOLD 3 · spasm-coach"
        titles = tab.kinds("title")
        assert len(titles) == len(set(titles)), "a title is sent only when it changes"

        await pilot.press("x")  # stopped: the step leaves the title
        await pilot.pause()
        assert tab.kinds("title")[-1] == "spasm-coach"


async def test_the_tab_title_carries_the_heat_time_left_beside_the_step(
    coach: Callable[..., CoachApp], content: Content, clock: FakeClock
) -> None:
    app = coach(
        settings=Settings(
            region="uk", cautions=NONE_APPLY, thermal_contraindications=NO_HEAT_ICE_PROBLEMS
        )
    )
    async with start_app(app) as pilot:
        tab = in_a_tab(app)
        app.start_thermal(ThermalKind.HEAT, 20)
        await pilot.pause()
        assert tab.kinds("title")[-1] == "Heat: 20:00 left · spasm-coach"
        clock.advance(61)
        app.heat_ice.heartbeat()
        assert tab.kinds("title")[-1] == "Heat: 18:59 left · spasm-coach"

        await start_session(pilot, content)  # the check's questions are read: time passes
        assert re.fullmatch(
            r"GET READY \d+ · Heat: 18:\d\d left · spasm-coach", tab.kinds("title")[-1]
        )
        app.stop_thermal()
        await pilot.pause()
        assert re.fullmatch(r"GET READY \d+ · spasm-coach", tab.kinds("title")[-1])


async def test_no_sound_in_settings_means_no_bell_in_the_tab(
    coach: Callable[..., CoachApp], content: Content, clock: FakeClock
) -> None:
    app = coach(settings=Settings(region="uk", cautions=NONE_APPLY, sounds=False))
    async with start_app(app) as pilot:
        tab = in_a_tab(app)
        player = await start_session(pilot, content)
        assert player.runner is not None
        await advance(pilot, clock, player.plan.total_seconds)
        assert tab.kinds("bell") == []


async def test_in_a_terminal_the_speaker_given_is_kept(
    coach: Callable[..., CoachApp], content: Content
) -> None:
    speaker = FakeSpeaker()
    app = coach(speaker=speaker)
    async with start_app(app):
        assert app.tab is None
        assert app.speaker is speaker
