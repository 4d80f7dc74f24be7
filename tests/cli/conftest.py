"""Run the real entry point in-process, the way a shell would, and capture what it prints."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import pytest

from spasm_coach.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """cli("log", "5") -> Result(exit code, stdout, stderr), through main() as installed."""

    def run(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["spasm-coach", *args])
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main()
        captured = capsys.readouterr()
        return Result(exited.value.code, captured.out, captured.err)

    return run
