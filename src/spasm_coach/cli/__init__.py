"""The command line: `spasm-coach` opens the coach; its commands log, show, export and screen."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spasm_coach.clock import Clock

JUST_THE_COACH: tuple[list[str], ...] = ([], ["coach"])
"""What most people type: these open the coach without loading the command-line parser."""


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> None:
    """Entry point (exits with the command's code); tests pass their own arguments and clock."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args in JUST_THE_COACH:
        from spasm_coach.cli.coach import run_alone
        from spasm_coach.clock import SystemClock

        sys.exit(run_alone(clock or SystemClock()))
    from spasm_coach.cli.commands import main as parse_and_run

    parse_and_run(args, clock=clock)
