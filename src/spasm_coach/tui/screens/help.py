"""Help: the keys of the screen underneath, read from its bindings, and the education cards.

The key table is built from Textual's own active bindings of the screen the person came from,
so it always says exactly what the keys do there, and can never drift from them.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from spasm_coach.advice import card as regional_card
from spasm_coach.tui.base import CoachModal
from spasm_coach.tui.text import bullet_card, heading

SOUND_NOTE = (
    "Tab moves between buttons; Enter presses one. A terminal bell marks the last seconds of "
    "each hold, each change of side and the end; turn it off in Settings (c on the home screen)."
)


def key_rows(screen: Screen[object], key_display: dict[str, str]) -> list[tuple[str, str]]:
    """(keys, what they do) for the screen's and the app's own enabled bindings.

    Keys bound to the same action are listed together ('b or left'). `key_display` turns a key
    name into what the person presses ('question_mark' -> '?').
    """
    ours = _declared_actions(screen) | _declared_actions(screen.app)
    rows: dict[tuple[str, str], list[str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.action not in ours or not binding.description or not active.enabled:
            continue
        shown = key_display.get(key, key)
        rows.setdefault((binding.action, binding.description), []).append(shown)
    return [(" or ".join(keys), description) for (_, description), keys in rows.items()]


def _declared_actions(node: object) -> set[str]:
    """Actions bound by the coach's own classes (not Textual's built-in focus and copy keys)."""
    return {
        binding.action
        for cls in type(node).__mro__
        if cls.__module__.startswith("spasm_coach.")
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", []))
    }


class HelpScreen(CoachModal[None]):
    BINDINGS = [
        Binding("escape,question_mark", "dismiss", "Close"),
        Binding("w", "sources", "Where this advice comes from"),
    ]

    def __init__(self, underneath: Screen[object]) -> None:
        super().__init__()
        self.underneath = underneath

    def compose(self) -> ComposeResult:
        names = {
            key: self.app.get_key_display(active.binding)
            for key, active in self.underneath.active_bindings.items()
        }
        rows = key_rows(self.underneath, names)
        width = max((len(keys) for keys, _ in rows), default=0)
        table = "\n".join(f"  {keys:<{width}}  {description}" for keys, description in rows)
        content = self.coach.content
        with VerticalScroll(id="help-text"):
            yield Static(
                Content.assemble(heading("Keys here"), "\n", table, "\n\n", SOUND_NOTE),
                id="help-keys",
            )
            yield Static(
                "w: where this advice comes from (every source, with its address)",
                id="help-sources",
            )
            for card in (content.ces_card, *content.education):
                filled = regional_card(card, self.coach.region)
                yield Static(bullet_card(filled.title, filled.lines), classes="help-card")

    def action_sources(self) -> None:
        self.dismiss()
        self.coach.show_sources()
