"""Red-flag answers to an outcome, and which questions a check asks. Pure.

The outcome is the highest level among the yes answers; no yes at all is clear. Every question
asked must be answered on purpose: there is no default answer and no skip.

Two kinds of check (CLINICAL.md section 6, and data/red_flags.toml [quick_check]):

- The full check asks every question that fits the moment: 'did the exercises make it worse'
  only after a session in the last days, pregnancy only until the person's cautions have
  answered it, the pregnancy warning signs only in pregnancy, and the slow-changing signs with
  a time frame at most once a day. Answers known that way are recorded as inferred, and an
  inferred answer never raises the level: the pregnancy card shows when the person says so,
  not every day after.
- The quick check lists the emergency signs that can appear within hours together and asks
  "Do you have any of these now?", then whether anything else is new or worse since the last
  full check. A yes to the first is an emergency; a yes to the second means a full check.

The first yes to an emergency question ends any check at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from spasm_coach.content import Content, RedFlag
from spasm_coach.records import Screening
from spasm_coach.vocabulary import CheckKind, Level, QuickAnswer


class IncompleteScreen(ValueError):
    """Some red-flag questions have no answer."""


@dataclass(frozen=True)
class Outcome:
    level: Level
    flags: tuple[str, ...]
    """The ids answered yes, in the order they were asked."""
    answers: Mapping[str, bool]
    kind: CheckKind = CheckKind.FULL
    complete: bool = True
    inferred: tuple[str, ...] = field(default=())
    """Answers taken from what the person already said, not asked this time."""

    @property
    def allows_exercise(self) -> bool:
        return self.complete and self.level.allows_exercise

    def as_dict(self, action: str) -> dict[str, object]:
        """`spasm-coach screen --json`: {level, flags, action}, a contract."""
        return {"level": self.level.value, "flags": list(self.flags), "action": action}


def level_of(content: Content, answers: Mapping[str, bool]) -> Level:
    """The highest level among the yes answers so far (clear with none)."""
    by_id = content.flags_by_id
    return max(
        (by_id[flag_id].level for flag_id, yes in answers.items() if yes),
        key=lambda level: level.rank,
        default=Level.CLEAR,
    )


def _check_ids(content: Content, answers: Mapping[str, bool]) -> None:
    unknown = sorted(set(answers) - set(content.flags_by_id))
    if unknown:
        raise KeyError(f"unknown red-flag id: {', '.join(unknown)}")


def assess(content: Content, answers: Mapping[str, bool]) -> Outcome:
    """The outcome of a full set of answers (`spasm-coach screen --yes ... / --none`)."""
    _check_ids(content, answers)
    missing = [flag.id for flag in content.flags if flag.id not in answers]
    if missing:
        raise IncompleteScreen(f"not answered: {', '.join(missing)}")
    return partial(content, answers, complete=True)


def partial(
    content: Content,
    answers: Mapping[str, bool],
    *,
    complete: bool,
    inferred: Iterable[str] = (),
) -> Outcome:
    """The outcome of the answers given so far, in the order they were given."""
    _check_ids(content, answers)
    ordered = {flag.id: bool(answers[flag.id]) for flag in content.flags if flag.id in answers}
    known = set(inferred)
    given = {flag_id: yes for flag_id, yes in ordered.items() if flag_id not in known}
    return Outcome(
        level=level_of(content, given),
        flags=tuple(flag_id for flag_id, yes in given.items() if yes),
        answers=ordered,
        complete=complete,
        inferred=tuple(inferred),
    )


def ends_check(flag: RedFlag, yes: bool) -> bool:
    """The first emergency answer ends the check at once (NHS 111 stops there too)."""
    return yes and flag.level is Level.EMERGENCY


@dataclass(frozen=True)
class FullCheck:
    """The questions a full check asks now, and the answers already known."""

    questions: tuple[RedFlag, ...]
    """In order; one with `ask_if_yes` is asked only if that answer is yes (see `asks`)."""
    known: Mapping[str, bool]
    """Answers not asked: pregnancy from the cautions, 'exercises made it worse' (no) when no
    session was done recently, a once-a-day sign answered in an earlier full check today."""

    def asks(self, flag: RedFlag, answers: Mapping[str, bool]) -> bool:
        """Whether `flag` is asked, given the answers so far in this check."""
        if flag.ask_if_yes is None:
            return True
        return bool({**self.known, **answers}.get(flag.ask_if_yes))

    def remaining(self, answers: Mapping[str, bool]) -> tuple[RedFlag, ...]:
        """The questions this check asks, given the answers so far (for 'Question 3 of 28')."""
        return tuple(flag for flag in self.questions if self.asks(flag, answers))


def plan_full_check(
    content: Content,
    *,
    cautions: Iterable[str] | None,
    recent_session: bool,
    answered_today: Mapping[str, bool] | None = None,
) -> FullCheck:
    """The full check for this moment. `cautions` is None until the person has answered them;
    `recent_session` says a session was started within each flag's recent_session_days;
    `answered_today` holds the answers of today's earlier full checks (a once-a-day sign is
    not asked again)."""
    questions: list[RedFlag] = []
    known: dict[str, bool] = {}
    answered_cautions = None if cautions is None else set(cautions)
    earlier = answered_today or {}
    for flag in content.flags:
        if flag.answered_by_caution and answered_cautions is not None:
            known[flag.id] = flag.answered_by_caution in answered_cautions
        elif flag.ask_when == "recent_session" and not recent_session:
            known[flag.id] = False
        elif flag.once_a_day and flag.id in earlier:
            known[flag.id] = earlier[flag.id]
        elif flag.ask_if_yes is not None and known.get(flag.ask_if_yes) is False:
            continue  # its condition is known to be no: not asked, not answered
        else:
            questions.append(flag)
    return FullCheck(tuple(questions), known)


def answered_in(checks: Iterable[Screening]) -> dict[str, bool]:
    """The answers given (not inferred) in full checks, the latest winning."""
    answers: dict[str, bool] = {}
    for check in checks:
        if check.kind is CheckKind.FULL:
            answers.update(
                (flag_id, yes)
                for flag_id, yes in check.answers.items()
                if flag_id not in check.inferred
            )
    return answers


def quick_outcome(signs_now: bool, anything_new: bool | None) -> Outcome:
    """A quick check's outcome: an emergency on a yes to the signs; otherwise clear when nothing
    else is new or worse. (A yes to 'anything new' runs a full check instead of saving one.)"""
    answers = {QuickAnswer.EMERGENCY_SIGNS.value: signs_now}
    if anything_new is not None:
        answers[QuickAnswer.ANYTHING_NEW.value] = anything_new
    return Outcome(
        level=Level.EMERGENCY if signs_now else Level.CLEAR,
        flags=(QuickAnswer.EMERGENCY_SIGNS.value,) if signs_now else (),
        answers=answers,
        kind=CheckKind.QUICK,
        complete=anything_new is not None,
    )
