"""Pilot fixtures: the coach built on the test's store, clock and content, and a spy on the
session players mounted (the helpers that drive it live in drive.py)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.pilot.drive import NO_CAUTIONS, Coach

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp, make_app
from spasm_coach.tui.screens.player import PlayerScreen


@pytest.fixture
def coach(store: Store, clock: FakeClock, content: Content) -> Coach:
    """make_app with the test store, clock and content; no cautions asked, gentle routine."""

    def build(**overrides: Any) -> CoachApp:
        options: dict[str, Any] = {
            "content": content,
            "settings": NO_CAUTIONS,
            "routine": content.routines["gentle"],
        }
        options.update(overrides)
        at = options.pop("clock", clock)
        return make_app(store, at, options.pop("settings_path", None), **options)

    return build


@pytest.fixture
def players(monkeypatch: pytest.MonkeyPatch) -> list[PlayerScreen]:
    """Every PlayerScreen mounted during the test."""
    mounted: list[PlayerScreen] = []
    original = PlayerScreen.on_mount

    def spy(self: PlayerScreen) -> None:
        mounted.append(self)
        original(self)

    monkeypatch.setattr(PlayerScreen, "on_mount", spy)
    return mounted
