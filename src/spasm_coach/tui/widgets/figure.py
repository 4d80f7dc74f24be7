"""The pose figure: the body drawn in braille cells (pose_cells.py), as large as the widget's
room, moving between positions as the session runner says. A physio's own exercise, which has
no poses, shows its ASCII figure instead."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from spasm_coach.pose_cells import body_cells
from spasm_coach.poses import Box, Moment
from spasm_coach.session import View

FRAMES = 12
"""Steps a movement is drawn in: the figure redraws only when the body has moved one."""


class PoseFigure(Widget):
    DEFAULT_CSS = """
    PoseFigure { width: 100%; height: 1fr; }
    """

    def __init__(self, *, still: bool = False, id: str | None = None) -> None:
        """`still` (reduced motion): only the right position for the step or the breath,
        never the movement between."""
        super().__init__(id=id)
        self.still = still
        self._moment: Moment | None = None
        self._box: Box | None = None
        self._ascii = ""
        self._shown: tuple[object, ...] | None = None

    def show(self, moment: Moment | None, box: Box | None, ascii_frame: str = "") -> None:
        """Draw `moment` in `box` (the room all the exercise's positions take), or the ASCII
        frame when there are no poses; redraws only when the drawing would change."""
        self._moment, self._box, self._ascii = moment, box, ascii_frame
        key = self._key()
        if key != self._shown:
            self._shown = key
            self.refresh()

    def _key(self) -> tuple[object, ...]:
        moment = self._moment
        if moment is None:
            return (self._ascii,)
        if self.still or moment.progress >= 1:
            return (moment.target.name, self._box)
        step = round(moment.progress * FRAMES)
        return (moment.origin.name, moment.target.name, step, self._box)

    def on_resize(self) -> None:
        self.refresh()

    def render(self) -> Content:
        moment, box = self._moment, self._box
        if moment is None or box is None:
            return Content(self._ascii)
        width, height = self.content_size
        if self.still or moment.progress >= 1:
            body = moment.target.body
        else:
            body = Moment(
                moment.origin, moment.target, round(moment.progress * FRAMES) / FRAMES
            ).body()
        return Content("\n".join(body_cells(body, box, width, height)))


def figure_of(view: View) -> tuple[Moment | None, Box | None, str]:
    """What PoseFigure.show draws for a view: the moment and its box, or the ASCII frame."""
    exercise = view.step.exercise
    if exercise.poses is not None:
        return view.figure, exercise.poses.box, ""
    frames = exercise.figure
    return None, None, frames[min(view.figure_frame, len(frames) - 1)] if frames else ""
