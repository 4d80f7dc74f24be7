"""What each moment of a session is called on screen, and what is said aloud.

Pure: from the runner's views to words. The player shows the words; a speaker (speech.py) says
the spoken cues, for a person lying face down in cobra or forehead-down in child's pose who
can't see the screen: the exercise and how to start, "hold", the last three seconds, the change
of side, "rest", and the end.
"""

from __future__ import annotations

from spasm_coach.session import Phase, Status, Step, View

COUNTDOWN_FROM = 3
"""The last seconds of a hold are counted aloud."""


def step_word(step: Step) -> str:
    """The big word for the step: GET READY, SWITCH SIDES, HOLD (or the exercise's own word,
    such as TENSE), MOVE for movement in time with the breath, REST (or LET GO)."""
    exercise = step.exercise
    if step.phase is Phase.PREPARE:
        return "SWITCH SIDES" if step.is_side_switch else "GET READY"
    if step.phase is Phase.REST:
        return exercise.rest_word
    if exercise.flow and exercise.hold_word == "HOLD":
        return "MOVE"
    return exercise.hold_word


def step_detail(step: Step) -> str:
    """The side, which repetition (or breath), and what this one is about."""
    words = []
    if step.side:
        words.append(f"{step.side} side")
    if step.phase is not Phase.PREPARE:
        dose = step.planned.dose
        unit = "breath" if step.exercise.flow else "rep"
        words.append(f"{unit} {step.repetition} of {step.repetitions}")
        if step.phase is Phase.HOLD and step.exercise.flow:
            words.append("move with your breath")
        elif step.phase is Phase.HOLD and dose.paced:
            words.append("breathe slowly")
    cue = cue_of(step)
    if cue:
        words.append(cue)
    return "  ·  ".join(words)


def cue_of(step: Step) -> str | None:
    """This repetition's own line (the body part to tense or notice), if the exercise has one."""
    cues = step.exercise.cues
    if step.phase is Phase.PREPARE or not cues or step.repetition > len(cues):
        return None
    return cues[step.repetition - 1]


def next_words(step: Step | None) -> str:
    if step is None:
        return "Next: the end. Well done."
    where = f" ({step.side} side)" if step.side else ""
    return f"Next: {step_word(step).lower()}{where}, {step.seconds} s  ·  {step.exercise.name}"


def spoken(previous: View | None, current: View) -> list[str]:
    """What to say as the session moves from `previous` to `current` (None: it has just begun)."""
    if current.status is Status.FINISHED:
        if previous is not None and previous.status is Status.FINISHED:
            return []
        return ["Done. Well done."]
    if current.status is not Status.RUNNING:
        return []
    step = current.step
    said: list[str] = []
    if previous is None or previous.step is not step:
        said += _entering(previous, step)
    elif (
        step.phase is Phase.HOLD
        and not step.exercise.flow  # a breath-paced movement isn't counted down each breath
        and current.remaining != previous.remaining
        and 1 <= current.remaining <= COUNTDOWN_FROM
        and current.remaining < step.seconds
    ):
        said.append(str(current.remaining))
    return said


def _entering(previous: View | None, step: Step) -> list[str]:
    exercise = step.exercise
    new_exercise = previous is None or previous.step.exercise_index != step.exercise_index
    said = []
    if new_exercise:
        said.append(f"{exercise.name}. {' '.join(exercise.start_position)}")
    elif step.is_side_switch:
        said.append(f"Switch to the {step.side} side.")
    if step.phase is not Phase.PREPARE:
        word = step_word(step).capitalize()
        cue = cue_of(step)
        said.append(f"{word}. {cue}." if cue else f"{word}.")
    return said
