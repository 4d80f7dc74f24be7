"""The coach in a browser tab (`spasm-coach serve`): its voice, bell and title go to the tab.

Under textual-serve the coach draws through Textual's web driver, which writes the screen and
'meta' packets to the server. The coach sends the tab a meta packet of its own for each spoken
cue, bell and title; the server passes them to the page (cli/web.py), which speaks with the
browser's speech (Web Speech API), rings with Web Audio and sets the tab's title. So the voice
is where the person is, and the computer running the server never speaks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.drivers.web_driver import WebDriver

TITLE_SEPARATOR = " · "


class BrowserTab:
    """The page around the coach, made only when the app runs under textual-serve. It is also
    the coach's speaker there (speech.py's Speaker): the tab says the cues."""

    name = "the browser tab"
    """As a speaker."""

    def __init__(self, driver: WebDriver, app_title: str) -> None:
        self._driver = driver
        self.app_title = app_title
        """The app's own name, always last in the tab's title."""
        self._title = ""
        self._step = ""
        self._timer = ""

    @classmethod
    def of(cls, app: App[Any]) -> BrowserTab | None:
        """The tab `app` runs in, or None in a terminal."""
        if not app.is_web:
            return None  # the terminal coach never loads the web driver
        from textual.drivers.web_driver import WebDriver

        driver = app._driver  # Textual has no public handle on its driver's meta channel
        if not isinstance(driver, WebDriver):
            return None
        return cls(driver, app.title)

    def _send(self, kind: str, text: str = "") -> None:
        self._driver.write_meta({"type": "coach", "kind": kind, "text": text})

    def say(self, text: str) -> None:
        """Start saying `text` in the tab (cutting off a cue still being said)."""
        self._send("say", text)

    def stop(self) -> None:
        """Stop what the tab is saying."""
        self._send("hush")

    def bell(self) -> None:
        self._send("bell")

    def show_step(self, words: str) -> None:
        """The step and its time left ("HOLD 25"), first in the title; "" when none."""
        self._step = words
        self._show_title()

    def show_timer(self, words: str) -> None:
        """Heat or ice time left ("Heat: 12:34 left"), after the step; "" when none."""
        self._timer = words
        self._show_title()

    def _show_title(self) -> None:
        parts = (self._step, self._timer, self.app_title)
        title = TITLE_SEPARATOR.join(part for part in parts if part)
        if title != self._title:
            self._title = title
            self._send("title", title)
