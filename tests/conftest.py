"""Shared fixtures: a private data folder per test, the built-in content, a fake clock, and
the command line run in-process (helpers the tests import live in support.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support import Cli, Result

from spasm_coach.cli import main
from spasm_coach.clock import Clock, FakeClock, SystemClock
from spasm_coach.content import Content, load_content
from spasm_coach.paths import HOME_ENV
from spasm_coach.store import Store


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder, so no test touches the real pain log."""
    folder = tmp_path / "home"
    monkeypatch.setenv(HOME_ENV, str(folder))
    monkeypatch.setenv("HOME", str(tmp_path / "person"))  # a rescue file never lands in ours
    monkeypatch.delenv("NO_COLOR", raising=False)
    return folder


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    opened = Store.open(home / "pain-log.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def cli_clock() -> Clock:
    """The clock the commands read; a test that needs a fixed time overrides this fixture."""
    return SystemClock()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], cli_clock: Clock) -> Cli:
    """cli("log", "5") -> Result(exit code, stdout, stderr), through main() as installed."""

    def run(*args: str) -> Result:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main(list(args), clock=cli_clock)
        captured = capsys.readouterr()
        assert isinstance(exited.value.code, int), exited.value.code
        return Result(exited.value.code, captured.out, captured.err)

    return run
