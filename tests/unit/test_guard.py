"""The one text guard: every control character (C0, DEL, C1) and lone surrogate shown as U+FFFD,
printable text untouched, and one line kept to one line."""

from __future__ import annotations

import pytest

from spasm_coach.guard import MARK, has_control, safe_text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("stiff after sitting", "stiff after sitting"),
        ("café ☕ [b]not markup[/b]", "café ☕ [b]not markup[/b]"),
        ("\x1b]0;PWNED\x07title", f"{MARK}]0;PWNED{MARK}title"),
        ("\x1b[2Jcleared", f"{MARK}[2Jcleared"),
        ("\x9b31mred", f"{MARK}31mred"),
        ("\x9d0;title\x9c", f"{MARK}0;title{MARK}"),
        ("next\x85line", f"next{MARK}line"),
        ("del\x7f", f"del{MARK}"),
        ("not utf-8 \udcff", f"not utf-8 {MARK}"),
        ("line one\r\nline two\tthen", "line one\nline two\tthen"),
        ("a\rb", f"a{MARK}b"),
    ],
)
def test_control_characters_show_as_a_mark(text: str, shown: str) -> None:
    assert safe_text(text) == shown
    assert not has_control(shown)


def test_one_line_stays_one_line() -> None:
    assert safe_text("a\nb\tc\r\nd\x1b", one_line=True) == f"a b c d{MARK}"


def test_text_with_nothing_to_change_is_the_same_object() -> None:
    text = "plain words, and ünïcode"
    assert safe_text(text) is text


@pytest.mark.parametrize("code", [*range(0x20), *range(0x7F, 0xA0)])
def test_every_c0_and_c1_character_is_caught(code: int) -> None:
    char = chr(code)
    if char in "\t\n":
        assert safe_text(char) == char
        assert safe_text(char, one_line=True) == " "
    else:
        assert safe_text(char) == MARK
        assert has_control(char)
