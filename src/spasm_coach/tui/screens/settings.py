"""Settings a person can change without editing a file: saved as TOML in the config folder."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Header, Select, Static

from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.labels import CONDITION_LABELS
from spasm_coach.tui.widgets.tickbox import TickBox
from spasm_coach.vocabulary import CONDITIONS


class SettingsScreen(CoachScreen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "app.pop_screen", "Back without saving"),
    ]

    def compose(self) -> ComposeResult:
        settings, content = self.app.settings, self.app.content
        yield Header()
        with VerticalScroll(id="settings"):
            if settings.problem:
                yield Static(Content(settings.problem), id="settings-problem")
            yield Static("Region: which emergency numbers to show", classes="settings-heading")
            regions = content.regions.values()
            yield Select(
                [(Content(f"{r.name}: emergency {r.emergency}"), r.id) for r in regions],
                value=self.app.region.id if self.app.region else Select.BLANK,
                prompt="Choose your region",
                id="region",
            )
            yield Static("Sound and movement", classes="settings-heading")
            yield TickBox("Sounds (a terminal bell)", settings.sounds, id="sounds", compact=True)
            yield TickBox(
                "Reduced motion (no moving figure or breath bar)",
                settings.reduced_motion,
                id="reduced-motion",
                compact=True,
            )
            yield TickBox(
                "Spoken cues: the exercise, hold, the last seconds, switch sides, rest, done "
                "(v in a session)",
                settings.speech,
                id="speech",
                compact=True,
                disabled=self.app.speaker is None,
            )
            if self.app.speaker is None:
                yield Static(Content(self.app.no_speaker_words), id="no-speaker")
            yield Static(
                "Personal cautions: stretches are changed or left out for these",
                classes="settings-heading",
            )
            for condition in CONDITIONS:
                yield TickBox(
                    CONDITION_LABELS[condition],
                    condition in (settings.cautions or ()),
                    id=f"caution-{condition}",
                    compact=True,
                )
            yield Static(
                "Heat and ice: tick any that apply (then the timer is not offered)",
                classes="settings-heading",
            )
            for item in content.contraindications:
                yield TickBox(
                    Content(item.question),
                    item.id in (settings.thermal_contraindications or ()),
                    id=f"contra-{item.id}",
                    compact=True,
                )
            yield Static("Default routine", classes="settings-heading")
            routines = self.app.routines()
            chosen = self.app.default_routine()
            if chosen is None:
                yield Static(
                    Content(
                        f"Your default routine '{settings.default_routine}' can't be found; "
                        "choose another."
                    ),
                    id="routine-missing",
                )
            yield Select(
                [(Content(routine.name), routine.id) for routine in routines],
                value=chosen.id if chosen else Select.BLANK,
                prompt="Choose a routine",
                id="default-routine",
            )
            with Horizontal(id="settings-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Back (esc)", id="back")
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.app.pop_screen()

    def _ticked(self, prefix: str, names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(name for name in names if self.query_one(f"#{prefix}-{name}", TickBox).value)

    def action_save(self) -> None:
        contraindications = tuple(item.id for item in self.app.content.contraindications)
        settings = self.app.settings
        region = self.query_one("#region", Select).value
        routine = self.query_one("#default-routine", Select).value
        saved = self.app.save_settings(
            region=region if isinstance(region, str) else self.app.settings.region,
            sounds=self.query_one("#sounds", TickBox).value,
            reduced_motion=self.query_one("#reduced-motion", TickBox).value,
            cautions=self._ticked("caution", CONDITIONS),
            thermal_contraindications=self._ticked("contra", contraindications),
            speech=self.query_one("#speech", TickBox).value,
            default_routine=routine if isinstance(routine, str) else settings.default_routine,
        )
        if saved:
            self.app.notify("Settings saved.", timeout=3)
        self.app.pop_screen()
