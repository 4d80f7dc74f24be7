"""Browser mode: a free port to serve on, Debian's Chromium, and `spasm-coach serve` running."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.browser.tab import (
    FakeServer,
    RunningServer,
    an_owners_home,
    chromium_or_skip,
    start_server,
)

from spasm_coach.cli import web


@pytest.fixture
def free_port() -> int:
    """A loopback port nothing listens on (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> list[FakeServer]:
    made: list[FakeServer] = []

    def make(command: str, host: str, port: int, key: str) -> FakeServer:
        made.append(FakeServer(command, host, port, key))
        return made[-1]

    monkeypatch.setattr(web, "_coach_server", make)
    return made


@pytest.fixture
def chromium() -> str:
    """Debian's Chromium (Playwright's own browser download is never used)."""
    return chromium_or_skip()


@pytest.fixture
def owner_home(home: Path) -> Path:
    """A data folder with a log and a region chosen: the coach opens at home."""
    return an_owners_home(home)


@pytest.fixture
def serve(free_port: int) -> Iterator:
    """serve(home, "--demo"): `spasm-coach serve` in its own process, once it has printed its
    address. Anything still running at the end (the server and its coaches) is killed."""
    started: list[RunningServer] = []

    def run(home: Path, *extra: str, env: dict[str, str] | None = None) -> RunningServer:
        started.append(start_server(home, free_port, *extra, env=env))
        return started[-1]

    yield run
    for server in started:
        server.kill()
