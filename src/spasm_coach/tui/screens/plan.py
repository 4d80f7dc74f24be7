"""Your plan: where you are and why, every stage with its routines and rules, and each change so
far. From here a session can start with any of this stage's routines (it still begins with the
check), or the person can step back a stage, which is always safe; moving on is only offered at
the start of a session, once today's check allows it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Header, Static

from spasm_coach.journey import (
    Standing,
    change_words,
    not_settling_advice,
    record,
    step_back_chosen,
)
from spasm_coach.plans import course_words, stage_lines, stage_routines
from spasm_coach.store import StoreError
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.dialogs.plan import PlanOfferScreen
from spasm_coach.tui.text import bullet_card, heading, plain
from spasm_coach.wording import when

CHANGES_SHOWN = 20
"""The latest changes listed here; the report has them all."""


class PlanScreen(CoachScreen[None]):
    BINDINGS = [
        *(Binding(str(number), f"start({number - 1})", show=False) for number in range(1, 10)),
        Binding("b", "step_back", "Step back a stage"),
        Binding("escape", "app.pop_screen", "Home"),
    ]

    standing: Standing | None = None
    """Where the person stands, read when the screen is built; None if the log can't be read."""

    def compose(self) -> ComposeResult:
        yield Header()
        try:
            standing = self.standing = self.coach.standing()
        except StoreError as exc:
            with VerticalScroll(id="plan"):
                yield Static(plain(f"The pain log can't be read just now. {exc}"))
                yield Button("(esc) Home", id="home", compact=True)
            yield Footer()
            return
        plan, stage = standing.plan, standing.stage
        with VerticalScroll(id="plan"):
            yield Static(
                Content.assemble(heading(f"Your plan: {plan.name}"), "\n", plan.description),
                id="plan-title",
            )
            yield Static(Content("\n".join(standing.lines())), id="plan-where")
            if standing.not_settling is not None:
                title, lines = not_settling_advice(
                    standing.not_settling, self.coach.content, self.coach.region
                )
                yield Static(bullet_card(title, lines), id="plan-course")
            with Vertical(id="plan-buttons"):
                for number, routine in enumerate(standing.routines, start=1):
                    yield Button(
                        Content(f"({number}) Start a session: {routine.name}"),
                        id=f"start-{number - 1}",
                        variant="primary" if number == 1 else "default",
                        compact=True,
                    )
                before = plan.before(stage)
                if before is not None:
                    yield Button(
                        Content(f"(b) Step back to {before.name}"), id="step-back", compact=True
                    )
                yield Button("(esc) Home", id="home", compact=True)
            for number, each in enumerate(plan.stages, start=1):
                here = " (you are here)" if each is stage else ""
                yield Static(
                    bullet_card(
                        f"Stage {number}: {each.name}{here}",
                        stage_lines(plan, each, self.coach.default_routine()),
                    ),
                    classes="plan-stage -here" if each is stage else "plan-stage",
                )
            yield Static(plain(course_words(plan.course)), id="plan-course-words")
            yield Static(self._changes(standing), id="plan-changes")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """b only where there is a stage to step back to."""
        if action == "step_back":
            standing = self.standing
            return standing is not None and standing.plan.before(standing.stage) is not None
        return True

    def _changes(self, standing: Standing) -> Content:
        changes = list(self.coach.store.plan_changes())[-CHANGES_SHOWN:]
        if not changes:
            return plain("No changes yet: you are in the plan's first stage from the start.")
        lines = [
            f"{when(change.changed_at, standing.now)}: {change_words(change)}"
            for change in reversed(changes)
        ]
        return bullet_card("Changes so far, newest first", lines)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button.startswith("start-"):
            self.action_start(int(button.removeprefix("start-")))
        elif button == "step-back":
            self.action_step_back()
        else:
            self.app.pop_screen()

    def action_start(self, index: int) -> None:
        """A session with this stage's routine number `index` (from 0): the check comes first."""
        routines = self.standing.routines if self.standing is not None else ()
        if 0 <= index < len(routines):
            self.app.pop_screen()
            self.coach.start_session(routines[index])

    def action_step_back(self) -> None:
        """Offer the stage before; the person's yes is logged with its reason."""
        try:
            standing = self.coach.standing()
        except StoreError as exc:
            self.notify(f"The pain log can't be read just now. {exc}", markup=False)
            return
        proposal = step_back_chosen(standing)
        if proposal is None:
            self.notify("This is the first stage: there is none before it.", markup=False)
            return
        before = proposal.to

        def chosen(take: bool | None) -> None:
            if take:
                record(self.coach.journal, standing, proposal)
                self.coach.refresh_home()
                self.refresh(recompose=True)
                self.refresh_bindings()

        offered = stage_routines(before, self.coach.default_routine())[0]
        screen = PlanOfferScreen(standing, proposal, offered, standing.routines[0])
        self.app.push_screen(screen, chosen)
