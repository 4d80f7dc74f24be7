"""Hypothesis over text the coach shows: routine names, notes and exercise text with `[`, `]`,
`\\`, markup-like tokens and control characters, from the log (an imported backup can hold any
of them) and from routine files.

Home (a session of that name and a note in the log), history (the note in the entries) and the
player (a routine of that name, its first exercise's feel in that text) mount without a crash,
and printable text shows as written, never read as markup. Then the same text in the real coach
in a pseudo-terminal: no control sequence from the log reaches the terminal."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from tests.factory import add_pain, add_session
from tests.faults.tally import Tally
from tests.faults.terminal import Terminal
from tests.pilot.drive import screen_text, start_session, text_of, wait_for
from tests.support import NONE_APPLY, NONE_APPLY_TOML
from textual.widgets import DataTable, Static

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content, Routine
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.tui.app import make_app
from spasm_coach.vocabulary import SessionOutcome

pytestmark = pytest.mark.fault("Hypothesis: text shown in the TUI")

MARKUP = ["[", "]", "\\", "[/]", "[/x]", "[b]", "[/b]", "[link=x]", "[@click=app.quit]", "$x", ":)"]
PRINTABLE = (
    st.lists(
        st.one_of(
            st.sampled_from(MARKUP),
            st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S")), max_size=4),
        ),
        min_size=1,
        max_size=6,
    )
    .map("".join)
    .filter(str.strip)
)
CONTROL = (
    st.lists(
        st.one_of(PRINTABLE, st.sampled_from(["\x1b[2J", "\x1b]0;x\x07", "\r", "\x08", "\x00"])),
        min_size=1,
        max_size=4,
    )
    .map("".join)
    .filter(str.strip)
)


def squeezed(text: str) -> str:
    return " ".join(text.split())


def printable(text: str) -> bool:
    return text.isprintable() and bool(text.strip())


def routine_called(content: Content, name: str, feel: str) -> Routine:
    gentle = content.routines["gentle"]
    first = gentle.steps[0]
    exercise = replace(first.exercise, feel=feel)
    return replace(gentle, name=name, steps=(replace(first, exercise=exercise), *gentle.steps[1:]))


def test_odd_text_shows_as_written_on_home_history_and_the_player(
    tally: Tally, content: Content
) -> None:
    from spasm_coach.tui.screens.history import HistoryScreen
    from spasm_coach.tui.screens.home import HomeScreen

    clock = FakeClock()

    @settings(max_examples=20, phases=[Phase.explicit, Phase.generate])  # each takes a second
    @given(st.one_of(PRINTABLE, PRINTABLE, CONTROL), st.one_of(PRINTABLE, CONTROL), PRINTABLE)
    def one(name: str, note: str, feel: str) -> None:
        tally.tried += 1
        asyncio.run(shown(name, note, feel))

    async def shown(name: str, note: str, feel: str) -> None:
        store = Store.in_memory()
        started = clock.now() - timedelta(hours=1)
        session = add_session(store, "x", name, started, None)
        store.end_session(session.uid, started + timedelta(minutes=9), SessionOutcome.FINISHED)
        add_pain(store, 2, clock.now() - timedelta(minutes=30), note=note)
        app = make_app(
            store,
            clock,
            None,
            content=content,
            settings=Settings(region="uk", cautions=NONE_APPLY),
            routine=routine_called(content, name, feel),
        )
        async with app.run_test(size=(100, 40)) as pilot:
            home = await wait_for(pilot, HomeScreen)
            today = squeezed(text_of(home.query_one("#today", Static)))
            if printable(name):
                assert f"Stretches: {squeezed(name)}, finished" in today, today
            await pilot.press("l")
            history = await wait_for(pilot, HistoryScreen)
            await pilot.pause()
            table = history.query_one("#entries", DataTable)
            assert table.row_count == 1
            if printable(note):
                assert str(table.get_row_at(0)[3]) == note
            await pilot.press("escape")
            await wait_for(pilot, HomeScreen)
            player = await start_session(pilot, content, before=2)
            shown = squeezed(screen_text(player))
            if printable(name):
                assert squeezed(name) in shown, shown
            assert squeezed(feel) in shown, shown
            assert app.is_running
        store.close()

    one()
    tally.how.add("pilot 100x40: home, history, player")
    tally.done()


INJECTED = {
    "a window title (OSC 0)": "\x1b]0;INJECTED-TITLE\x07",
    "a clear screen (CSI 2J) and a colour": "\x1b[38;5;201mINJECTED-COLOUR\x1b[2J",
    "a clipboard write (OSC 52)": "\x1b]52;c;SU5KRUNURUQ=\x07",
}


@pytest.mark.parametrize("what", list(INJECTED))
def test_control_sequences_in_the_log_never_reach_the_terminal(
    tmp_path: Path, tally: Tally, what: str
) -> None:
    """A routine name and a note holding a terminal control sequence, shown by the real coach:
    the bytes sent to the terminal must not carry it (it would retitle the window, clear the
    screen, or write to the clipboard)."""
    sequence = INJECTED[what]
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.toml").write_text('region = "uk"\n' + NONE_APPLY_TOML)
    with Store.open(home / "pain-log.sqlite3") as store:
        now = FakeClock().now()
        session = add_session(store, "x", f"Gentle {sequence} end", now, None)
        store.end_session(session.uid, now, SessionOutcome.FINISHED)
        add_pain(store, 2, now, note=f"note {sequence} end")
    term = Terminal(home)
    try:
        term.wait_for(r"Start a stretch session", timeout=8)
        term.press("l")
        term.pump(2.0)
        crashed = not term.alive
    finally:
        term.close()
    tally.tried += 1
    tally.how.add("the real coach in a pty")
    payload = sequence.encode()
    tally.check(not crashed, f"{what}: the coach stopped: {bytes(term.output[-300:])!r}")
    tally.check(
        payload not in term.output,
        f"{what} in a routine name and a note in the log reached the terminal as is",
    )
    tally.done()
