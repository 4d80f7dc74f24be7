"""The real coach (`python -m spasm_coach`) in a pseudo-terminal, its screen read through pyte,
a terminal emulator: a test presses keys and reads the 80x24 screen a person would see."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from pathlib import Path

import pyte
from tests.faults.helpers import PYTHON, cli_env


class Terminal:
    def __init__(
        self, home: Path, *args: str, size: tuple[int, int] = (80, 24), **env: str
    ) -> None:
        columns, rows = size
        environment = cli_env(home, TERM="xterm-256color", **env)
        environment.pop("COLUMNS", None)
        pid, fd = pty.fork()
        if pid == 0:  # the child: the coach, on the terminal's other end
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
                os.execve(PYTHON, [PYTHON, "-m", "spasm_coach", *args], environment)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.exit_status: int | None = None
        self.output = bytearray()

    def pump(self, seconds: float = 0.0) -> None:
        """Read what the coach drew in the next `seconds` (at least what is waiting now)."""
        end = time.monotonic() + seconds
        while True:
            wait = max(0.0, end - time.monotonic())
            ready, _, _ = select.select([self.fd], [], [], min(wait, 0.02))
            if ready:
                try:
                    data = os.read(self.fd, 1 << 16)
                except OSError:  # the coach has gone: its end of the terminal is closed
                    data = b""
                if not data:
                    self._reap()
                    return
                self.output += data
                self.stream.feed(data)
            elif time.monotonic() >= end:
                return

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, pattern: str, timeout: float = 10.0) -> re.Match[str] | None:
        end = time.monotonic() + timeout
        while time.monotonic() < end and self.alive:
            self.pump(0.03)
            if found := re.search(pattern, self.text()):
                return found
        return re.search(pattern, self.text())

    def press(self, key: str) -> None:
        os.write(self.fd, key.encode())

    @property
    def alive(self) -> bool:
        if self.exit_status is None:
            self._reap(block=False)
        return self.exit_status is None

    def _reap(self, block: bool = True) -> None:
        if self.exit_status is not None:
            return
        with contextlib.suppress(ChildProcessError):
            pid, status = os.waitpid(self.pid, 0 if block else os.WNOHANG)
            if pid:
                self.exit_status = status

    def hang_up(self, timeout: float = 15.0) -> None:
        """Close the terminal, as closing its window does: the kernel sends the coach SIGHUP.
        Waits up to `timeout` seconds for the coach to end."""
        os.close(self.fd)
        self.fd = -1
        end = time.monotonic() + timeout
        while self.alive and time.monotonic() < end:
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind runs in the coach."""
        if self.alive:
            os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def close(self) -> None:
        self.kill()
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
