"""Home: today at a glance, and what the person can do next."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from spasm_coach.pain import band
from spasm_coach.tui.format import when

ABOUT = (
    "A self-care coach for back spasm. It is not a diagnosis: "
    "if you are worried, or something new appears, get medical help."
)


SESSION_WORDS = {
    "finished": "finished",
    "stopped": "stopped early",
    "stopped-hurt": "stopped because it hurt",
    "interrupted": "interrupted",
    "cancelled": "not started",
}

ACTIONS = (
    ("s", "Start a stretch session", "start"),
    ("p", "Log pain now", "pain"),
    ("t", "Heat or ice timer", "thermal"),
    ("c", "Settings", "settings"),
    ("?", "Help and advice", "show-help"),
    ("q", "Quit", "quit"),
)
"""(key, label, button id) for each thing the person can do from home."""


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("s", "start", "Start session"),
        Binding("p", "pain", "Log pain"),
        Binding("t", "thermal", "Heat/ice"),
        Binding("c", "settings", "Settings"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(ABOUT, id="about")
            with Horizontal(id="home-columns"):
                yield Static(id="today")
                with Vertical(id="actions"):
                    for key, label, name in ACTIONS:
                        yield Button(
                            f"({key}) {label}",
                            id=name,
                            compact=True,
                            variant="primary" if name == "start" else "default",
                        )
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_today()

    def on_screen_resume(self) -> None:
        self.refresh_today()

    def refresh_today(self) -> None:
        store, now = self.app.store, self.app.clock.now()
        lines = ["[b]Today at a glance[/b]"]
        last = store.last_pain()
        if last is None:
            lines.append("Pain: no scores yet.")
        else:
            lines.append(
                f"Pain: {last.score}/10 ({band(last.score)}), {when(last.recorded_at, now)}."
            )
        session = store.last_session()
        if session is None:
            lines.append("Stretches: no sessions yet.")
        else:
            status = SESSION_WORDS.get(session.status, session.status)
            lines.append(
                f"Stretches: {session.routine_name}, {status}, {when(session.started_at, now)}."
            )
        screening = store.last_screening()
        if screening is not None:
            lines.append(f"Red-flag check: {screening.level}, {when(screening.screened_at, now)}.")
        self.query_one("#today", Static).update("\n".join(lines))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "start": self.action_start,
            "pain": self.action_pain,
            "thermal": self.action_thermal,
            "settings": self.action_settings,
            "show-help": self.app.action_help,
            "quit": self.app.action_quit,
        }
        actions[event.button.id or ""]()

    def action_thermal(self) -> None:
        from spasm_coach.tui.screens.thermal import ThermalScreen

        self.app.push_screen(ThermalScreen())

    def action_settings(self) -> None:
        from spasm_coach.tui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())

    def action_start(self) -> None:
        self.app.start_session()

    def action_pain(self) -> None:
        self.app.log_pain()
