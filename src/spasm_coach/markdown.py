"""Markdown for clinical notes: escaping and the few blocks the handouts are made of.

The Markdown twin of html.py. Every piece of text from a file, the log or the person goes
through `md`, so it always shows as the text it is (never as emphasis, a link, a heading or a
list) and no control character in it reaches the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spasm_coach.guard import safe_text

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<#|~]|&(?=#?\w+;))")
"""Characters that can start markup anywhere; `&` only where it would begin an entity, so
"A&E" stays as it is."""
_BLOCK_START = re.compile(r"^([-+>])")
_NUMBERED_MARK = re.compile(r"^(\d+)([.)])")


def md(text: str) -> str:
    """Text as plain Markdown text: one line, every markup character backslash-escaped, and no
    list or quote mark at its start (so it can't start a block wherever it is put)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(safe_text(text).split()))
    return _NUMBERED_MARK.sub(r"\1\\\2", _BLOCK_START.sub(r"\\\1", escaped))


def paragraphs(text: str) -> list[str]:
    """Text with blank lines between paragraphs, as escaped Markdown paragraphs, one a line."""
    blocks = [block for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    return [md(block) + "\n" for block in blocks]


def bullets(items: Iterable[str], numbered: bool = False) -> str:
    """Each item escaped, as a Markdown list (1. 2. 3. when `numbered`)."""
    return "".join(
        f"{f'{index}.' if numbered else '-'} {md(item)}\n"
        for index, item in enumerate(items, start=1)
    )


def fence(text: str) -> str:
    """A code fence longer than any run of backticks inside `text`."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)
