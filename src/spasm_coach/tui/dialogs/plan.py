"""A change of stage in the person's plan, offered: what it is, why, and today's routine. The
person chooses; nothing moves on without them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Static

from spasm_coach.content import Routine
from spasm_coach.journey import Proposal, Standing
from spasm_coach.plans import AUTOMATIC_STEP_BACK
from spasm_coach.tui.base import CoachModal
from spasm_coach.tui.text import heading
from spasm_coach.vocabulary import PlanMove


class PlanOfferScreen(CoachModal[bool | None]):
    """True to take the change, False to stay where they are, None (Esc) to leave."""

    BINDINGS = [
        Binding("m", "pick(True)", "Move on"),
        Binding("s", "pick(False)", "Stay"),
        Binding("b", "pick_back(True)", "Step back"),
        Binding("k", "pick_back(False)", "Keep"),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(
        self, standing: Standing, proposal: Proposal, then: Routine, instead: Routine
    ) -> None:
        super().__init__()
        self.standing, self.proposal, self.then, self.instead = standing, proposal, then, instead

    @property
    def forward(self) -> bool:
        return self.proposal.kind is PlanMove.MOVE_ON

    def compose(self) -> ComposeResult:
        to, here = self.proposal.to, self.standing.stage
        if self.forward:
            title = f"Ready for the next stage: {to.name}"
            take, stay = f"(m) Move on to {to.name}", f"(s) Stay in {here.name} for now"
            after = f"It steps back by itself if {AUTOMATIC_STEP_BACK}."
        else:
            title = f"Step back to {to.name}?"
            take, stay = f"(b) Step back to {to.name}", f"(k) Keep to {here.name}"
            after = "You can move on again when your scores allow."
        with Vertical(id="plan-offer", classes="dialog"):
            yield Static(Content(title), classes="dialog-title")
            yield Static(
                Content.assemble(
                    heading("Why: "),
                    f"{self.proposal.reason}.\n\n",
                    heading(f"{to.name}: "),
                    to.goal,
                    "\n",
                    heading("Today: "),
                    f"{self.then.name} (instead of {self.instead.name}).\n"
                    if self.then.id != self.instead.id
                    else f"{self.then.name}.\n",
                    after,
                ),
                id="plan-offer-text",
            )
            with Vertical(classes="dialog-buttons"):
                yield Button(Content(take), id="take", variant="primary", compact=True)
                yield Button(Content(stay), id="stay", compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """m and s answer an offer to move on; b and k one to step back."""
        if action == "pick":
            return self.forward
        if action == "pick_back":
            return not self.forward
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "take")

    def action_pick(self, take: bool) -> None:
        self.dismiss(take)

    def action_pick_back(self, take: bool) -> None:
        self.dismiss(take)
