"""Run the real entry point in-process, the way a shell would, and capture what it prints."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from spasm_coach.cli import main
from spasm_coach.clock import Clock, SystemClock


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
