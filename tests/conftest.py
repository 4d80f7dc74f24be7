"""Shared fixtures: a private data folder per test, the built-in content, a fake clock, and
the command line run in-process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from spasm_coach.cli import main
from spasm_coach.clock import Clock, FakeClock, SystemClock
from spasm_coach.content import Content, load_content
from spasm_coach.paths import HOME_ENV
from spasm_coach.store import Store
from spasm_coach.vocabulary import CONDITIONS

NONE_APPLY = dict.fromkeys(CONDITIONS, False)
"""Every personal caution answered no, on purpose: the coach asks none of them."""
NONE_APPLY_TOML = "\n[cautions]\n" + "".join(f"{name} = false\n" for name in CONDITIONS)
"""The same, as a settings file says it (after the file's other lines)."""


NO_HEAT_ICE_PROBLEMS = {item.id: False for item in load_content().contraindications}
"""Every heat and ice question answered no, on purpose: the timer is allowed."""


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
def store(home: Path) -> Store:
    opened = Store.open(home / "pain-log.sqlite3")
    yield opened
    opened.close()


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli_clock() -> Clock:
    """The clock the commands read; a test that needs a fixed time overrides this fixture."""
    return SystemClock()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], cli_clock: Clock):
    """cli("log", "5") -> Result(exit code, stdout, stderr), through main() as installed."""

    def run(*args: str) -> Result:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main(list(args), clock=cli_clock)
        captured = capsys.readouterr()
        return Result(exited.value.code, captured.out, captured.err)

    return run
