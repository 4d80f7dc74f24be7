"""The routines as they were when the snapshots and the page layouts were recorded.

A routine changed in data/ (a fifth exercise, a longer hold) changes the coach, not the pictures
of it: snapshot SVGs and the handout's page count are checked on these copies (tests/routines/).
Copy data/routines/ there again only when re-recording on purpose.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

from spasm_coach.content import Content, Routine, parse_routine

ROUTINES = Path(__file__).parent / "routines"


def with_fixed_routines(shipped: Content) -> Content:
    """The shipped content with tests/routines/ in place of data/routines/."""
    routines: dict[str, Routine] = {}
    for path in sorted(ROUTINES.glob("*.toml")):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        routine = parse_routine(doc, path.name, shipped.exercises, shipped.sources, path)
        routines[routine.id] = routine
    return replace(shipped, routines=routines)
