"""No module in src/ over 600 lines without a one-line reason at its top."""

from __future__ import annotations

from pathlib import Path

import spasm_coach

PACKAGE = Path(spasm_coach.__file__).parent
MAX_LINES = 600
REASON = "# Over 600 lines: "


def _long_modules() -> dict[str, list[str]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MAX_LINES:
            found[path.relative_to(PACKAGE).as_posix()] = lines
    return found


def test_a_long_module_says_why_at_its_top() -> None:
    unexplained = [
        f"{name} ({len(lines)} lines)"
        for name, lines in _long_modules().items()
        if not (lines[0].startswith(REASON) and lines[0][len(REASON) :])
    ]
    assert not unexplained, f"split these along a seam or say why at the top: {unexplained}"
