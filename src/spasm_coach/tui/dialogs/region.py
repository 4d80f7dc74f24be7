"""Where the person is, so every card shows only their region's emergency numbers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from spasm_coach.content import Region
from spasm_coach.tui.base import CoachModal


def region_label(number: int, region: Region) -> Content:
    return Content(f"({number}) {region.name}: emergency {region.emergency}")


class RegionScreen(CoachModal[str | None]):
    """Returns the chosen region id; Enter takes the suggestion, Esc chooses nothing (the coach
    then names no number, and asks again next time)."""

    AUTO_FOCUS = ""

    def __init__(self, regions: tuple[Region, ...], suggested: str | None) -> None:
        super().__init__()
        self.regions, self.suggested = regions, suggested

    BINDINGS = [
        *(Binding(str(number), f"pick({number})", show=False) for number in range(1, 10)),
        Binding("enter", "suggested", "Use the suggestion", show=False),
        Binding("escape", "dismiss(None)", "Not now"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="region-dialog"):
            yield Static("Where are you?", classes="dialog-title")
            yield Static(
                "The coach shows only your region's emergency and urgent-care numbers. "
                "Press a number (change it later in Settings)."
            )
            suggested = next((r for r in self.regions if r.id == self.suggested), None)
            if suggested is not None:
                yield Static(
                    Content(
                        f"Your computer's settings suggest {suggested.name}: press Enter for it."
                    ),
                    id="region-suggested",
                )
            with VerticalScroll(id="region-list"):
                for number, region in enumerate(self.regions, start=1):
                    yield Button(
                        region_label(number, region),
                        id=f"region-{region.id}",
                        compact=True,
                        variant="primary" if region.id == self.suggested else "default",
                    )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("region-"))

    def action_pick(self, number: int) -> None:
        if number <= len(self.regions):
            self.dismiss(self.regions[number - 1].id)

    def action_suggested(self) -> None:
        if self.suggested is not None:
            self.dismiss(self.suggested)
