"""Settings a person can change without editing a file: saved as TOML in the config folder.

The safety answers (personal cautions, heat and ice questions) show each in one of three
states: yes, no, or "Not answered yet", which is never taken as no. Saving writes only what the
person changed here; everything else stays as it was, not answered included.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Header, Select, Static

from spasm_coach.answers import Answers
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.labels import CONDITION_QUESTIONS, NOT_ANSWERED
from spasm_coach.tui.widgets.tickbox import TickBox
from spasm_coach.vocabulary import CONDITIONS

ANSWER_CHOICES = [("Yes", "yes"), ("No", "no")]
TICKS = {"sounds": "sounds", "reduced-motion": "reduced_motion", "speech": "speech"}
"""Tick box id -> the setting it changes."""


def _shown(answers: Answers, key: str) -> str | Any:
    """A saved answer as the three-way choice shows it."""
    if key not in answers:
        return Select.NULL
    return "yes" if answers[key] else "no"


class SettingsScreen(CoachScreen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "app.pop_screen", "Back without saving"),
    ]

    def compose(self) -> ComposeResult:
        settings, content = self.coach.settings, self.coach.content
        yield Header()
        with VerticalScroll(id="settings"):
            if settings.problem:
                yield Static(Content(settings.problem), id="settings-problem")
            yield Static("Region: which emergency numbers to show", classes="settings-heading")
            regions = content.regions.values()
            yield Select(
                [(Content(f"{r.name}: emergency {r.emergency}"), r.id) for r in regions],
                value=self.coach.region.id if self.coach.region else Select.NULL,
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
                disabled=self.coach.speaker is None,
            )
            if self.coach.speaker is None:
                yield Static(Content(self.coach.no_speaker_words), id="no-speaker")
            yield Static(
                "Personal cautions: stretches are changed or left out for a yes",
                classes="settings-heading",
            )
            for condition in CONDITIONS:
                yield from self._answer(
                    f"caution-{condition}",
                    CONDITION_QUESTIONS[condition],
                    _shown(settings.cautions, condition),
                )
            yield Static(
                "Heat and ice: a yes to any means no timer for it",
                classes="settings-heading",
            )
            for item in content.contraindications:
                kinds = " and ".join(item.applies_to)
                yield from self._answer(
                    f"contra-{item.id}",
                    f"{item.question} ({kinds})",
                    _shown(settings.thermal_contraindications, item.id),
                )
            yield Static("Default routine", classes="settings-heading")
            routines = self.coach.routines()
            chosen = self.coach.default_routine()
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
                value=chosen.id if chosen else Select.NULL,
                prompt="Choose a routine",
                id="default-routine",
            )
            with Horizontal(id="settings-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Back (esc)", id="back")
        yield Footer()

    def _answer(self, select_id: str, question: str, value: str | Any) -> ComposeResult:
        """A safety question and its answer: Yes, No, or Not answered yet."""
        with Horizontal(classes="settings-answer"):
            yield Static(Content(question), classes="settings-question")
            yield Select(
                ANSWER_CHOICES,
                value=value,
                prompt=NOT_ANSWERED,
                id=select_id,
                compact=True,
            )

    def __init__(self) -> None:
        super().__init__()
        self.shown: dict[str, object] = {}
        """What the screen showed as it opened: saving writes only what differs from it."""

    def on_mount(self) -> None:
        self.shown = self._values()

    def _values(self) -> dict[str, object]:
        return {
            **{box.id or "": box.value for box in self.query(TickBox)},
            **{select.id or "": select.value for select in self.query(Select)},
        }

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.app.pop_screen()

    def action_save(self) -> None:
        settings = self.coach.settings
        now = self._values()
        changed = {key for key, value in now.items() if value != self.shown.get(key)}
        changes: dict[str, object] = {
            TICKS[key]: now[key] for key in changed if key in TICKS and key in now
        }
        if "region" in changed and isinstance(now["region"], str):
            changes["region"] = now["region"]
        if "default-routine" in changed and isinstance(now["default-routine"], str):
            changes["default_routine"] = now["default-routine"]
        for field, prefix in (("cautions", "caution-"), ("thermal_contraindications", "contra-")):
            answers = dict(getattr(settings, field))
            for key in sorted(changed):
                if key.startswith(prefix):
                    name = key.removeprefix(prefix)
                    answers.pop(name, None)
                    if now[key] in ("yes", "no"):
                        answers[name] = now[key] == "yes"
            if answers != getattr(settings, field):
                changes[field] = answers
        if not changes:
            self.app.notify("Nothing was changed, so nothing was saved.", timeout=3)
        elif self.coach.save_settings(**changes):
            self.app.notify("Settings saved.", timeout=3)
        self.app.pop_screen()
