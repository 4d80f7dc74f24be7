"""Notifications that never cover a safety card, and never read text as markup.

An app built on CardKeeper holds back every notification while the screen on top shows a
safety card (a screen with `shows_safety_card`), and lets them out when a screen without one
comes to the top; a screen that can show notices beside its card (home, with `show_notice`)
takes them at once. Every notice passes the text guard, as notices carry names and paths from
files and the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from textual.app import App
from textual.notifications import SeverityLevel

from spasm_coach.guard import safe_text

ReturnT = TypeVar("ReturnT")


@dataclass(frozen=True)
class Notice:
    """Something the coach told the person in a notification."""

    title: str
    message: str
    severity: SeverityLevel
    timeout: float | None = None


class CardKeeper(App[ReturnT]):
    """Call `card_shown` or `card_gone` as each screen comes to the top (base.CoachScreen does)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notices: list[Notice] = []
        """Every notification given, oldest first (shown at once, or when a card has gone)."""
        self._held: list[Notice] = []
        """Notifications waiting while a safety card is on screen: nothing covers a card."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification, as plain text unless asked otherwise: messages carry names and
        paths from files and the person, which must never be read as markup. While a safety
        card is on screen it waits, so no toast ever covers the card."""
        message, title = safe_text(message), safe_text(title)
        notice = Notice(title, message, severity, timeout)
        self.notices.append(notice)
        if self._card_on_screen():
            show_here = getattr(self.screen, "show_notice", None)
            if show_here is not None:
                show_here(message)
            else:
                self._held.append(notice)
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _card_on_screen(self) -> bool:
        return bool(getattr(self.screen, "shows_safety_card", False))

    def card_shown(self) -> None:
        """A safety card came to the top: put away any toast still showing over it; a screen
        that can show notices beside its card (home) takes the ones waiting."""
        self.clear_notifications()
        show_here = getattr(self.screen, "show_notice", None)
        if show_here is not None and self._held:
            held, self._held = self._held, []
            for notice in held:
                show_here(notice.message)

    def card_gone(self) -> None:
        """The top screen has no safety card: show what waited."""
        held, self._held = self._held, []
        for notice in held:
            super().notify(
                notice.message,
                title=notice.title,
                severity=notice.severity,
                timeout=notice.timeout,
                markup=False,
            )
