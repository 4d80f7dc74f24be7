"""Heat and ice: which to use and why, who shouldn't, how to apply it safely, and the timer.

The timer itself belongs to the app (tui/heat_ice.py; screens read `coach.thermal`), so it keeps
running, shows its time in the header and raises its alerts on whatever screen the person has
moved to.
"""

from __future__ import annotations

from textual import work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Button, Footer, Header, Static

from spasm_coach.thermal import LOOKBACK, Permission, availability, permission
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.dialogs.questions import Question, SafetyQuestionsScreen
from spasm_coach.tui.labels import HEAT_ICE_INTRO
from spasm_coach.tui.text import heading, labelled
from spasm_coach.tui.widgets.countdown import Countdown
from spasm_coach.vocabulary import ThermalKind


class ThermalScreen(CoachScreen[None]):
    BINDINGS = [
        Binding("h", f"choose('{ThermalKind.HEAT}')", "Heat"),
        Binding("i", f"choose('{ThermalKind.ICE}')", "Ice"),
        Binding("plus,equals_sign,up", "minutes(1)", "+1 min", show=False, priority=True),
        Binding("minus,down", "minutes(-1)", "-1 min", show=False, priority=True),
        Binding("enter", "start", "Start timer", show=False),
        Binding("x", "stop", "Take it off"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    kind: reactive[str | None] = reactive(None, init=False)
    """heat or ice, once chosen."""
    minutes: reactive[int] = reactive(0, init=False)
    """The length of the application about to start."""

    def compose(self) -> ComposeResult:
        heat, ice = (
            self.coach.content.thermal[kind] for kind in (ThermalKind.HEAT, ThermalKind.ICE)
        )
        yield Header()
        with VerticalScroll(id="thermal"):
            yield Static(
                Content.assemble(
                    labelled("(h) Heat:", heat.when), "\n", labelled("(i) Ice:", ice.when)
                ),
                id="thermal-choice",
            )
            with Horizontal(id="thermal-kinds"):
                yield Button("(h) Heat", id=ThermalKind.HEAT, compact=True)
                yield Button("(i) Ice", id=ThermalKind.ICE, compact=True)
            with Vertical(id="thermal-ready"):
                yield Static(id="thermal-minutes")
                with Horizontal(id="thermal-ready-buttons"):
                    yield Button("(enter) Start", id="start", variant="primary", compact=True)
                    yield Button("(-) less", id="less", compact=True)
                    yield Button("(+) more", id="more", compact=True)
            yield Static(id="thermal-body")
            with Vertical(id="thermal-running"):
                yield Static(id="thermal-running-label")
                yield Countdown()
                yield Static(id="thermal-skin")
                yield Button("(x) Take it off now", id="stop", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(1, self.refresh_view)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """'Take it off' only while a timer runs; choosing only while none does."""
        if action == "stop":
            return self.coach.thermal is not None
        if action in ("choose", "start"):
            return self.coach.thermal is None
        return True

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id
        if button in tuple(ThermalKind):
            self.action_choose(button)
        elif button == "start":
            self.action_start()
        elif button in ("less", "more"):
            self.action_minutes(1 if button == "more" else -1)
        elif button == "stop":
            self.action_stop()

    # --- what to show -----------------------------------------------------------------------

    def refresh_view(self) -> None:
        """Follow the app's timer: running, or choosing and preparing the next application."""
        active = self.coach.thermal
        running = active is not None
        self.query_one("#thermal-running").display = running
        for selector in ("#thermal-choice", "#thermal-kinds", "#thermal-body"):
            self.query_one(selector).display = not running
        self.query_one("#thermal-ready").display = not running and self.kind is not None
        self.refresh_bindings()
        if active is None:
            return
        now = self.coach.clock.monotonic()
        timer = active.timer
        self.query_one("#thermal-running-label", Static).update(
            Content.assemble(
                heading(timer.rule.name), f" on for {timer.minutes} minutes. Time left:"
            )
        )
        self.query_one(Countdown).seconds = timer.remaining(now)
        skin = (
            "Skin check done? Look at the skin: stop if it is very red, white, blotchy or sore."
            if timer.skin_check_at is not None and now >= timer.skin_check_at
            else f"Check your skin at {timer.rule.skin_check_minutes} minutes."
        )
        self.query_one("#thermal-skin", Static).update(skin)

    def _body(self, text: Content) -> None:
        self.query_one("#thermal-body", Static).update(text)

    def watch_kind(self, kind: str | None) -> None:
        self.query_one("#thermal-ready").display = kind is not None
        if kind is not None:
            self.minutes = self.coach.content.thermal[kind].default_minutes

    def watch_minutes(self) -> None:
        self._show_ready()

    # --- keys -------------------------------------------------------------------------------

    def action_choose(self, kind: str) -> None:
        if self.coach.thermal is None:
            self.choose(kind)

    @work(exclusive=True)
    async def choose(self, kind: str) -> None:
        """Contraindications (asked once), then the gap, then how to apply it safely."""
        content, rule = self.coach.content, self.coach.content.thermal[kind]
        allowed = permission(content, self.coach.settings.thermal_contraindications, kind)
        if allowed.permission is Permission.ASK_FIRST:
            questions = [Question(item.id, item.question) for item in allowed.to_ask]
            await self.app.push_screen_wait(
                SafetyQuestionsScreen(questions, HEAT_ICE_INTRO, "thermal_contraindications")
            )
            allowed = permission(content, self.coach.settings.thermal_contraindications, kind)
        self.kind = None
        if allowed.permission is Permission.ASK_FIRST:
            self._body(
                labelled(
                    "No timer yet:",
                    f"some questions about {rule.name.lower()} are not answered. Choose it "
                    "again to answer them.",
                )
            )
            return
        if allowed.permission is Permission.BLOCKED:
            reasons = "\n".join(f"  - {item.question}" for item in allowed.blocking)
            self._body(
                Content.assemble(
                    heading(f"No {rule.name.lower()} timer for you."),
                    f" You said yes to:\n{reasons}\n{rule.name} can harm skin or circulation in "
                    "these cases. Ask a doctor, nurse or physiotherapist before using it. "
                    "(Change your answers in settings.)",
                )
            )
            return
        now = self.coach.clock.now()
        recent = self.coach.store.applications(since=now - LOOKBACK)
        gap = availability(content.thermal, kind, recent, now)
        if not gap.available:
            self._body(labelled("Not yet.", gap.reason or ""))
            return
        self.kind = kind
        self._show_ready()

    def _show_ready(self) -> None:
        if self.kind is None:
            return
        rule = self.coach.content.thermal[self.kind]
        how = "\n".join(f"  - {line}" for line in rule.how)
        never = "\n".join(f"  - {line}" for line in rule.never)
        self.query_one("#thermal-minutes", Static).update(
            Content.assemble(
                heading(f"{rule.name}: {self.minutes} minutes"), f" (at most {rule.cap_minutes})"
            )
        )
        self._body(
            Content.assemble(heading(f"{rule.name}: how to use it safely"), f"\n{how}\n{never}")
        )

    def action_minutes(self, change: int) -> None:
        """Before the page's scrolling (a small terminal), but only while there are minutes to
        set; otherwise up and down scroll as usual."""
        if self.kind is None:
            raise SkipAction()
        cap = self.coach.content.thermal[self.kind].cap_minutes
        self.minutes = max(1, min(cap, self.minutes + change))

    def action_start(self) -> None:
        if self.kind is None or self.coach.thermal is not None:
            return
        self.coach.start_thermal(ThermalKind(self.kind), self.minutes)
        self.kind = None
        self.refresh_view()

    def action_stop(self) -> None:
        self.coach.stop_thermal()
        self.refresh_view()
