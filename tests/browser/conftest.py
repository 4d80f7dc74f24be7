"""Browser mode: the serve command run in-process, and a free port to serve on."""

from __future__ import annotations

import socket
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
    """cli("serve", "--port", "0") -> Result(exit code, stdout, stderr), through main()."""

    def run(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["spasm-coach", *args])
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main()
        captured = capsys.readouterr()
        return Result(exited.value.code, captured.out, captured.err)

    return run


@pytest.fixture
def free_port() -> int:
    """A loopback port nothing listens on (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
