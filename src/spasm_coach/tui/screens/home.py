"""Home: today at a glance, and what the person can do next."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Header, Static

from spasm_coach.gate import Day, today
from spasm_coach.journey import Standing, not_settling_advice
from spasm_coach.pain import band
from spasm_coach.store import StoreError
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.cards import stop_card, warning_card
from spasm_coach.tui.text import bullet_card, heading, plain
from spasm_coach.wording import clock_time, plural, when

ABOUT = (
    "A self-care coach for back spasm. It is not a diagnosis: "
    "if you are worried, or something new appears, get medical help."
)

NARROW = 76
"""Below this width home stacks its columns: today's card over the list of things to do."""

ACTIONS = (
    ("s", "Start a stretch session", "start"),
    ("p", "Log pain now", "pain"),
    ("r", "Your recovery plan", "plan"),
    ("l", "History and export", "history"),
    ("t", "Heat or ice timer", "thermal"),
    ("c", "Settings", "settings"),
    ("?", "Help and advice", "app.help"),
    ("q", "Quit", "app.quit"),
)
"""(key, label, action) for each thing the person can do from home; the buttons run the same
actions as the keys."""


class HomeScreen(CoachScreen[None]):
    AUTO_FOCUS = "#actions Button"
    """The first action has the focus, so Enter starts a session; Tab moves to the others."""
    BINDINGS = [
        Binding("enter", "start", "Start session", show=False),
        Binding("s", "start", "Start session"),
        Binding("p", "pain", "Log pain"),
        Binding("r", "plan", "Plan"),
        Binding("l", "history", "History"),
        Binding("t", "thermal", "Heat/ice"),
        Binding("c", "settings", "Settings"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home-body"):
            yield Static(ABOUT, id="about")
            with Horizontal(id="home-columns"):
                with Vertical(id="home-left"):
                    yield Static(id="home-card")
                    yield Static(id="home-course")
                    yield Static(id="home-notice")
                    yield Static(id="today")
                    yield Static(id="home-plan")
                with Vertical(id="actions"):
                    for key, label, action in ACTIONS:
                        yield Button(
                            f"({key}) {label}",
                            action=action if "." in action else f"screen.{action}",
                            compact=True,
                            variant="primary" if action == "start" else "default",
                        )
        yield Footer()

    _shown_before = False

    def on_screen_resume(self) -> None:
        """The first time, home shows what the log says at once; the lines that need the
        clinical content (reminders, a default routine gone missing) follow a moment later, so
        the first frame comes as fast as a bare app's. A warning card is never deferred: it
        loads the content there and then."""
        if self._shown_before:
            self.refresh_today()
            return
        self._shown_before = True
        self.refresh_today(with_content=False)
        self.call_after_refresh(self.refresh_today)

    def on_resize(self, event: events.Resize) -> None:
        """Side by side when there is room; one column (card first) on a narrow terminal."""
        self.query_one("#home-columns").set_class(event.size.width < NARROW, "-narrow")

    @property
    def shows_safety_card(self) -> bool:  # type: ignore[override]  # home's card can be hidden
        cards = self.query("#home-card")
        return bool(cards) and cards.first().display

    def show_notice(self, message: str) -> None:
        """A notification, shown on home itself while the card is up (no toast over it)."""
        notice = self.query_one("#home-notice", Static)
        notice.update(plain(message))
        notice.display = True

    def refresh_today(self, *, with_content: bool = True) -> None:
        standing = None
        try:
            lines = self.today_lines(with_content=with_content)
            day = today(self.coach.store, self.coach.clock.now())
            if with_content:
                standing = self.coach.standing()
                lines += standing.glance_lines()
        except StoreError as exc:
            lines, day = [f"The pain log can't be read just now. {exc}"], None
        self.show_card(day)
        self.query_one("#today", Static).update(
            Content.assemble(heading("Today at a glance"), "\n", "\n".join(lines))
        )
        if with_content:
            self.show_plan(standing)

    def show_plan(self, standing: Standing | None) -> None:
        """The next step in the plan with its rule (left out on a narrow terminal, where r shows
        it), and the not_improving advice when pain is not settling."""
        plan = self.query_one("#home-plan", Static)
        course = self.query_one("#home-course", Static)
        found = standing.not_settling if standing is not None else None
        plan.set_class(standing is not None, "-shown")
        course.set_class(found is not None, "-shown")
        if standing is not None:
            lines = [line for line in (standing.next_line(), *standing.notes) if line]
            lines.append("r: your plan in full, and why you are here.")
            plan.update("\n".join(lines))
        if found is not None:
            title, advice = not_settling_advice(found, self.coach.content, self.coach.region)
            course.update(bullet_card(title, advice))

    def show_card(self, day: Day | None) -> None:
        """Today's warning sign or stop-for-today advice, as a card, until the next day."""
        card = self.query_one("#home-card", Static)
        parts: list[Content] = []
        now = self.coach.clock.now()
        if day is not None and day.warning is not None:
            when_said = clock_time(day.warning.screened_at, now, round_up=False)
            parts.append(
                warning_card(self.coach.content, day.warning, self.coach.region, when_said)
            )
            more = len(day.standing) - 1
            also = f" ({plural(more, 'other warning')} too)" if more else ""
            parts.append(
                plain(
                    f"\nA session needs a doctor's or nurse's all-clear first{also}: press s "
                    "when you have it."
                )
            )
        if day is not None and day.stop is not None:
            if parts:
                parts.append(plain("\n\n"))
            parts.append(stop_card(day.stop, clock_time(day.stop.noted_at, now, round_up=False)))
        card.update(Content.assemble(*parts) if parts else plain(""))
        card.display = bool(parts)
        card.set_class(day is not None and day.warning is not None, "-warning")
        if not parts:
            self.query_one("#home-notice").display = False
            return
        # The card comes first, in sight, even where the focused first action would scroll home
        # past it (a short terminal).
        self.call_after_refresh(self._card_in_sight)

    def _card_in_sight(self) -> None:
        self.query_one("#home-body", VerticalScroll).scroll_home(animate=False, immediate=True)

    def today_lines(self, *, with_content: bool = True) -> list[str]:
        store, now = self.coach.store, self.coach.clock.now()
        lines = []
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
            lines.append(
                f"Stretches: {session.routine_name}, {session.status.words}, "
                f"{when(session.started_at, now)}."
            )
        screening = store.last_screening()
        if screening is not None:
            lines.append(
                f"Red-flag check: {screening.level.words}, {when(screening.screened_at, now)}."
            )
        if self.coach.thermal is not None:
            from spasm_coach.thermal import off_at  # only with heat or ice on: home starts fast

            active = self.coach.thermal
            rule = active.timer.rule
            lines.append(
                f"{rule.name}: on for {plural(active.timer.minutes, 'minute')}, take it off by "
                f"{clock_time(off_at(active.application, rule), now)} (time left at the top)."
            )
        else:
            used = store.last_application()
            if used is not None and used.started_at.date() == now.date():
                lines.append(f"Heat/ice: {used.kind.words} used {when(used.started_at, now)}.")
            else:
                lines.append("Heat/ice: none used today.")
        if not with_content:
            return lines
        if self.coach.chosen_routine is None and self.coach.default_routine() is None:
            lines.append(
                f"Your default routine '{self.coach.settings.default_routine}' can't be found: "
                "sessions use Standard. Choose another in Settings (c)."
            )
        due = self.coach.reminders()
        for item in due.due_now:
            lines.append(f"Due now: {item.message}")
        if due.upcoming:
            lines.append(due.upcoming[0].message)
        return lines

    def action_thermal(self) -> None:
        self.coach.show_thermal()

    def action_settings(self) -> None:
        self.coach.show_settings()

    def action_start(self) -> None:
        self.coach.start_session()

    def action_plan(self) -> None:
        self.coach.show_plan()

    def action_pain(self) -> None:
        self.coach.log_pain()

    def action_history(self) -> None:
        self.coach.show_history()
