"""Keys, and the short education cards: what helps, and when to get help."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

KEYS = """\
## Keys

| where | key | what it does |
|---|---|---|
| everywhere | `?` or `F1` | this help |
| everywhere | `Ctrl+C` | quit (anything entered is already saved) |
| home | `s` / `p` / `q` | start a session / log pain / quit |
| red-flag check | `y` / `n` | answer yes / no |
| red-flag check | `b` or `←` | back to change the last answer |
| pain score | `0`-`9`, `t` | the score (`t` is 10); `Esc` skips |
| session | `space` | pause or carry on |
| session | `h` | **this hurts**: stop now and say so |
| session | `n` / `b` | next step / back a step |
| session | `s` | skip this exercise (you say why) |
| session | `x` | stop the session |

A terminal bell marks the last seconds of each hold, each change of side and the end;
it can be turned off with `sounds = false` in the settings file (`spasm-coach where`).
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        cards = [KEYS]
        content = self.app.content
        numbers = (self.app.settings.emergency_number, self.app.settings.urgent_care)
        for card in (c.with_numbers(*numbers) for c in (content.ces_card, *content.education)):
            lines = "\n".join(f"- {line}" for line in card.lines)
            cards.append(f"## {card.title}\n\n{lines}\n")
        with VerticalScroll(id="help-text"):
            yield Markdown("\n".join(cards))
