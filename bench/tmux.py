"""A private tmux server for measuring programs in a real terminal.

The server has its own socket and starts from a clean environment (UTF-8, TERM tmux-256color,
no COLUMNS or LINES), so a tmux the person already runs, or the shell the bench was started
from, changes nothing. Every pane runs its command with `exec`, so the pane's pid is the
program's own.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import ROOT

CONFIG = 'set -g default-terminal "tmux-256color"\nset -g status off\n'
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
POLL_SECONDS = 0.005


class Tmux:
    def __init__(self, scratch: Path) -> None:
        self.socket = f"spasm-bench-{os.getpid()}"
        self.config = scratch / "tmux.conf"
        self.config.write_text(CONFIG)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        }
        # One idle session keeps the server up, so starting a program never waits for it.
        self.tmux("new-session", "-d", "-s", "keep", "-x", "100", "-y", "30", "sleep 100000")

    def tmux(self, *args: str) -> str:
        command = ["tmux", "-u", "-L", self.socket, "-f", str(self.config), *args]
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, check=True)
        return done.stdout

    def start(self, name: str, command: list[str], env: dict[str, str], size=(100, 30)) -> None:
        """Run `command` in a new session `name` at `size`, with `env` added."""
        settings = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        shell = f"exec {shlex.join(command)}"
        width, height = size
        self.tmux(
            "new-session", "-d", "-s", name, "-x", str(width), "-y", str(height),
            "-c", str(ROOT), *settings, shell,
        )  # fmt: skip

    def pid(self, name: str) -> int:
        return int(self.tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())

    def screen(self, name: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", name)

    def wait_for(self, name: str, text: str, timeout: float) -> float:
        """Poll the screen every 5 ms until `text` is on it; when it was seen (time.monotonic)."""
        return self.wait_until(name, lambda screen: text in screen, timeout)

    def wait_until(self, name: str, shows: Callable[[str], bool], timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if shows(self.screen(name)):
                return time.monotonic()
            time.sleep(POLL_SECONDS)
        raise TimeoutError(f"session {name}: the screen wanted did not appear in {timeout:.0f} s")

    def record(self, name: str, file: Path) -> None:
        """Append everything the program writes to its terminal from now on to `file`."""
        self.tmux("pipe-pane", "-o", "-t", name, f"cat >> {shlex.quote(str(file))}")

    def stop_recording(self, name: str) -> None:
        self.tmux("pipe-pane", "-t", name)

    def kill(self, name: str) -> None:
        self.tmux("kill-session", "-t", name)

    def close(self) -> None:
        kill = ["tmux", "-L", self.socket, "kill-server"]
        subprocess.run(kill, env=self.env, capture_output=True, check=False)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far (/proc/PID/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise ValueError(f"no VmHWM for {pid}")
