"""The command line: `spasm-coach` opens the coach; its commands log, show, export and screen."""

from spasm_coach.cli.commands import app, main

__all__ = ["app", "main"]
