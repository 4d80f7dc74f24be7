"""Where this advice comes from: every source the coach's content cites, with its full title
and address, so a person (or their clinician) can read the original. The services of other
regions are left out: a person sees their own region's numbers and no one else's."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.text import heading

INTRO = (
    "The coach's advice follows public guidance from the NHS, NICE and other health services, "
    "physiotherapy bodies and research reviews. Each piece of advice in the coach's content "
    "names the sources below it follows. The coach is a self-care aid, not a diagnosis."
)


class SourcesScreen(CoachScreen[None]):
    BINDINGS = [Binding("escape,q", "dismiss(None)", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="sources"):
            yield Static(heading("Where this advice comes from"), classes="settings-heading")
            yield Static(Content(INTRO), id="sources-intro")
            changes = self.coach.content.changes_for(self.coach.region)
            if changes:
                yield Static(
                    Content.assemble(
                        heading("What changed, and why"),
                        "\n",
                        "\n".join(
                            f"- {change.text} ({', '.join(change.sources)})" for change in changes
                        ),
                    ),
                    id="sources-changes",
                )
            for source in self.coach.content.sources_for(self.coach.region):
                yield Static(
                    Content.assemble(heading(source.id), "\n", source.title, "\n", source.url),
                    classes="source",
                )
        yield Footer()
