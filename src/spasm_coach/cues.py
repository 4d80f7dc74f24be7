"""What each moment of a session is called on screen, and what is said aloud.

Pure: from the runner's views to words. The player shows the words; `spoken` gives the text of
each spoken cue, which a speaker says (speech.py, or a browser tab), for a person lying face
down in cobra or forehead-down in child's pose who can't see the screen: the exercise and how to
start, the hold with its side and repetition, each breath of a paced hold, the last three
seconds, the change of side, the rest, and the end. The words are data/spoken.toml's.
"""

from __future__ import annotations

from spasm_coach.content import SpokenWords, fill_placeholders
from spasm_coach.session import Phase, Status, Step, View


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


def spoken(previous: View | None, current: View, words: SpokenWords) -> list[str]:
    """What to say as the session moves from `previous` to `current` (None: it has just begun):
    one utterance, or none. Every line comes from data/spoken.toml (`words`).

    A hold's start says its word, the side and the repetition ("Hold. Left side. Rep 2 of 3.");
    a breath-paced hold says "Breathe in" and "Breathe out" as the pacer turns; the last
    seconds of a still hold are counted; the end is "Done. Well done."."""
    if current.status is Status.FINISHED:
        if previous is not None and previous.status is Status.FINISHED:
            return []
        return [words.done]
    if current.status is not Status.RUNNING:
        return []
    step = current.step
    said: list[str] = []
    if previous is None or previous.step is not step:
        said += _entering(previous, current, words)
    else:
        counting = (
            step.phase is Phase.HOLD
            and not step.exercise.flow  # a breath-paced movement isn't counted down each breath
            and step.seconds >= words.count_holds_from
            and 1 <= current.remaining <= words.count_from
        )
        turned = (
            current.breath is not None
            and previous.breath is not None
            and current.breath.direction != previous.breath.direction
        )
        if turned and current.breath is not None and not counting:
            said.append(_breath_word(current.breath.direction, words))
        if counting and current.remaining != previous.remaining:
            said.append(fill_placeholders(words.count, {"seconds": str(current.remaining)}))
    return [" ".join(said)] if said else []


def _breath_word(direction: str, words: SpokenWords) -> str:
    return words.breathe_in if direction == "in" else words.breathe_out


def _entering(previous: View | None, current: View, words: SpokenWords) -> list[str]:
    step = current.step
    exercise = step.exercise
    new_exercise = previous is None or previous.step.exercise_index != step.exercise_index
    said = []
    if new_exercise:
        said.append(
            fill_placeholders(
                words.exercise,
                {"name": exercise.name, "start_position": " ".join(exercise.start_position)},
            )
        )
    elif step.is_side_switch and step.side:
        said.append(words.switch_side[step.side])
    count = {"repetition": str(step.repetition), "repetitions": str(step.repetitions)}
    if step.phase is Phase.REST:
        said.append(fill_placeholders(words.rest, {"word": exercise.rest_word.capitalize()}))
    elif step.phase is Phase.HOLD and exercise.flow:
        said += [words.breathe_in, fill_placeholders(words.breath, count)]
    elif step.phase is Phase.HOLD:
        said.append(fill_placeholders(words.hold, {"word": exercise.hold_word.capitalize()}))
        if step.side:
            said.append(words.side[step.side])
        cue = cue_of(step)
        if cue:
            said.append(cue)
        elif step.repetitions > 1:
            said.append(fill_placeholders(words.repetition, count))
        if current.breath is not None:
            said.append(_breath_word(current.breath.direction, words))
    return said
