"""Driving a session runner from a screen: the session player's and clinic mode's presenter's.

The runner (session.SessionRunner) keeps absolute deadlines against the monotonic clock. The
driver asks it, at each key and each wake, what happened and what to show, hands both to its
screen, and then sleeps until the next change is due (the countdown's next second, a step's
end, the breath pacer's next cell) rather than polling: a hold costs almost nothing and ends
on time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spasm_coach.session import SessionPlan, SessionRunner

if TYPE_CHECKING:
    from textual.message_pump import MessagePump
    from textual.timer import Timer

    from spasm_coach.session import Event, View

LATE_WAKE = 0.002
"""Wake this little after a change is due, so the runner sees it as due."""


@dataclass(frozen=True)
class Moment:
    """What one tick or key did: the events to record and the view to show, at `now`."""

    events: list[Event]
    view: View
    now: float
    by_clock: bool
    """The time came (a wake), rather than a key."""


class SessionDriver:
    def __init__(
        self,
        owner: MessagePump,
        monotonic: Callable[[], float],
        moved: Callable[[Moment], None],
        *,
        pacer_cells: Callable[[], int],
        moving_figure: Callable[[], bool],
    ) -> None:
        """`owner`: the screen whose timer wakes the driver; `monotonic`: the clock's
        monotonic time (read when the screen is up); `moved`: shows each moment;
        `pacer_cells` and `moving_figure`: how finely to wake for the breath pacer and the
        figure (none with reduced motion)."""
        self.owner, self.monotonic, self.moved = owner, monotonic, moved
        self.pacer_cells, self.moving_figure = pacer_cells, moving_figure
        self.runner: SessionRunner | None = None
        self._wake: Timer | None = None

    @property
    def ended(self) -> bool:
        """Not started, or finished or stopped."""
        return self.runner is None or self.runner.status.ended

    def start(self, plan: SessionPlan, exercise: int = 0) -> list[Event]:
        """A fresh runner at `exercise` (from 0); the events of the start, to record."""
        self.runner = SessionRunner(plan, self.monotonic(), exercise)
        return self.runner.start_events()

    def tick(self) -> None:
        """The time came: what the runner says now."""
        if self.runner is None or self.runner.status.ended:
            return
        now = self.monotonic()
        self._moved(Moment(self.runner.tick(now), self.runner.view(now), now, by_clock=True))

    def act(self, action: str, *args: object, **options: object) -> None:
        """A key: the runner's `action` (pause, next_step, stop...) at this moment."""
        if self.runner is None or self.runner.status.ended:
            return
        now = self.monotonic()
        events = getattr(self.runner, action)(now, *args, **options)
        self._moved(Moment(events, self.runner.view(now), now, by_clock=False))

    def _moved(self, moment: Moment) -> None:
        self.moved(moment)
        self.sleep_until_next_change(moment.now)

    def sleep_until_next_change(self, now: float) -> None:
        self.stop()
        if self.runner is None:
            return
        due = self.runner.next_change(
            now, pacer_cells=self.pacer_cells(), moving_figure=self.moving_figure()
        )
        if due is not None:
            self._wake = self.owner.set_timer(max(due - now, 0.0) + LATE_WAKE, self.tick)

    def stop(self) -> None:
        """No more wakes (the session ended, or a fresh runner takes over)."""
        if self._wake is not None:
            self._wake.stop()
            self._wake = None
