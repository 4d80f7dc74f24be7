"""What many tests share: every caution and heat/ice question answered no on purpose, and the
command line run in-process (the `cli` fixture in conftest.py hands out a `Cli`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from spasm_coach.content import load_content
from spasm_coach.vocabulary import CONDITIONS

NONE_APPLY = dict.fromkeys(CONDITIONS, False)
"""Every personal caution answered no, on purpose: the coach asks none of them."""
NONE_APPLY_TOML = "\n[cautions]\n" + "".join(f"{name} = false\n" for name in CONDITIONS)
"""The same, as a settings file says it (after the file's other lines)."""


NO_HEAT_ICE_PROBLEMS = {item.id: False for item in load_content().contraindications}
"""Every heat and ice question answered no, on purpose: the timer is allowed."""


@dataclass
class Result:
    """What one command run left: its exit code and what it printed."""

    code: int
    out: str
    err: str


class Cli(Protocol):
    """cli("log", "5") -> Result(exit code, stdout, stderr), through main() as installed."""

    def __call__(self, *args: str) -> Result: ...


SnapCompare = Callable[..., bool]
"""The `snap_compare` fixture (pytest-textual-snapshot): the app or its file, then `press`,
`terminal_size` and `run_before`; true when the screen matches its stored SVG."""
