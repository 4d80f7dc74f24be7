"""Shared fixtures: a private data folder per test, the built-in content, a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content, load_content
from spasm_coach.paths import HOME_ENV
from spasm_coach.store import Store


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder, so no test touches the real pain log."""
    folder = tmp_path / "home"
    monkeypatch.setenv(HOME_ENV, str(folder))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return folder


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(home: Path) -> Store:
    opened = Store.open(home / "pain-log.sqlite3")
    yield opened
    opened.close()
