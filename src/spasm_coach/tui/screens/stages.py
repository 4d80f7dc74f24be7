"""Clinic mode over a plan: its stages one by one, each with its routines and rules, for a physio
to go through with a patient; any stage's routine can be demonstrated from here. Nothing is read
from or written to a pain log, and the banner says so."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from spasm_coach.plans import Plan, course_words, stage_lines
from spasm_coach.tui.labels import CLINIC_BANNER
from spasm_coach.tui.text import bullet_card, heading

if TYPE_CHECKING:
    from spasm_coach.tui.coach import Demo

KEYS = "1-9: a stage   ↑/↓ and Enter: show a routine   q: quit"


class StagesScreen(Screen[None]):
    BINDINGS = [
        Binding("q,escape", "app.quit", "Quit"),
        *(Binding(str(number), f"stage({number - 1})", show=False) for number in range(1, 10)),
    ]

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan
        self.entries = [
            (index, routine)
            for index, stage in enumerate(plan.stages)
            for routine in stage.routines
        ]
        """(stage index, routine) for each line of the list, in order."""

    @property
    def demo(self) -> Demo:
        """Clinic mode's app as this screen sees it."""
        return cast("Demo", self.app)

    def compose(self) -> ComposeResult:
        yield Static(CLINIC_BANNER, id="clinic-banner")
        yield Static(
            Content.assemble(heading(self.plan.name), "\n", self.plan.description),
            id="stages-title",
        )
        with Horizontal(id="stages"):
            options = []
            for position, (index, routine) in enumerate(self.entries):
                first = position == 0 or self.entries[position - 1][0] != index
                number = f"{index + 1}" if first else " "
                stage = self.plan.stages[index]
                options.append(
                    Option(Content(f"{number}  {stage.name}: {routine.name}"), id=str(position))
                )
            yield OptionList(*options, id="stages-list")
            with VerticalScroll(id="stages-detail"):
                yield Static(id="stage-text")
                yield Static(Content(course_words(self.plan.course)), id="stages-course")
        yield Static(Content(KEYS), id="stages-keys")

    def on_mount(self) -> None:
        self.show_stage(0)
        self.query_one(OptionList).focus()

    def show_stage(self, index: int) -> None:
        stage = self.plan.stages[index]
        self.query_one("#stage-text", Static).update(
            bullet_card(
                f"Stage {index + 1} of {len(self.plan.stages)}: {stage.name}",
                stage_lines(self.plan, stage),
            )
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_stage(self.entries[int(event.option.id or 0)][0])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        index, routine = self.entries[int(event.option.id or 0)]
        self.demo.demonstrate(self.plan.stages[index], routine)

    def action_stage(self, index: int) -> None:
        """Highlight stage `index` (from 0), its first routine."""
        position = next(
            (position for position, (stage, _) in enumerate(self.entries) if stage == index), None
        )
        if position is not None:
            self.query_one(OptionList).highlighted = position
