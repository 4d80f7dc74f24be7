"""Red-flag answers to an outcome: the highest level among the yes answers, else clear.

Every question must be answered on purpose; there is no default answer and no skip, so an
incomplete set of answers is an error, not a quiet "no".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spasm_coach.content import Content, RedFlag
from spasm_coach.vocabulary import Level


class IncompleteScreen(ValueError):
    """Some red-flag questions have no answer."""


@dataclass(frozen=True)
class Outcome:
    level: Level
    flags: tuple[str, ...]
    """The ids answered yes, in the order they were asked."""
    action: str
    answers: Mapping[str, bool]

    @property
    def allows_exercise(self) -> bool:
        return self.level.allows_exercise

    def as_dict(self) -> dict[str, object]:
        return {"level": self.level.value, "flags": list(self.flags), "action": self.action}


def assess(content: Content, answers: Mapping[str, bool]) -> Outcome:
    flags: Sequence[RedFlag] = content.flags
    unknown = sorted(set(answers) - {flag.id for flag in flags})
    if unknown:
        raise KeyError(f"unknown red-flag id: {', '.join(unknown)}")
    missing = [flag.id for flag in flags if flag.id not in answers]
    if missing:
        raise IncompleteScreen(f"not answered: {', '.join(missing)}")
    yes = [flag for flag in flags if answers[flag.id]]
    level = max((flag.level for flag in yes), key=lambda lv: lv.rank, default=Level.CLEAR)
    return Outcome(
        level=level,
        flags=tuple(flag.id for flag in yes),
        action=content.levels[level].action,
        answers={flag.id: bool(answers[flag.id]) for flag in flags},
    )
