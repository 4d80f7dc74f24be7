# Over 600 lines: a plan's model, its words and its file checker change together, rule by rule.
"""Plans: the stages a person goes through, from settling the spasm to getting stronger, and the
rules that move them on or back, as files anyone can read and a physiotherapist can write.

A plan file (docs/plans.md) is TOML, like a routine file: stages in order, each with its routines,
how many sessions a day, advice, and its rules over what the log knows (the latest pain scores and
their trend, sessions finished without "it hurt", days in the stage). The built-in plan is in
data/plans/ and cites its sources; a physio's own is checked as strictly as their routine files,
every problem in one run with its file, line, stage and field, and must keep within safe bounds:
a rule to move on always needs low pain scores, and stepping back after "it hurt" or a rise of 2
can't be turned off.

This module knows the file and says the rules in words; journey.py applies them to the log.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spasm_coach.content import (
    OWN_ID,
    SESSIONS_PER_DAY_MAX,
    Content,
    ContentError,
    Routine,
    RoutineError,
    RoutineProblem,
)
from spasm_coach.content.exercises import cited_sources
from spasm_coach.content.reading import TOML_LINE, Problems, Reader, TomlLines, closest, taken
from spasm_coach.content.routines import FileCheck, read_own_file, report_problems
from spasm_coach.pain import GENTLE_FROM, RESCREEN_RISE
from spasm_coach.wording import plural

BUILT_IN_PLAN = "recovery"
"""The plan a person follows until a physio installs another (data/plans/recovery.toml)."""

STAGES_MAX = 8
MOVE_ON_SCORE_MAX = GENTLE_FROM - 1
"""Moving on needs every counted score at or below this: 7 and over is a bad day, for which the
coach offers the gentle routine instead."""
LATEST_SCORES = (2, 14)
"""How many of the latest scores a rule may look at: one score alone says too little."""
SESSIONS_WITHOUT_HURT = (0, 30)
DAYS_IN_STAGE = (0, 60)
TREND_DAYS = (2, 28)
TRENDS = ("better", "not_worse")
"""better: a meaningful fall (2 points and 30%) over trend_days; not_worse: no meaningful rise."""
NO_BETTER_AFTER_DAYS = (7, 14)
"""'No improvement after about two weeks' (CLINICAL.md section 4): a plan may ask sooner, never
later."""
WORSE_AFTER_DAYS = (3, 7)
"""'Or worse after one': sooner, never later."""
SETTLED_AT_MOST = (0, 3)
"""Scores this low count as settled, whatever the change: at most the top of the mild band."""

AUTOMATIC_STEP_BACK = (
    f'a session stops with "it hurt", or a pain score is {RESCREEN_RISE} or more above the one '
    "before"
)
"""Stepping back by itself: in every stage of every plan, never turned off."""

PLAN_FIELDS = ("id", "name", "description", "source", "course", "stage")
COURSE_FIELDS = ("no_better_after_days", "worse_after_days", "settled_at_most", "source")
STAGE_FIELDS = (
    "id",
    "name",
    "goal",
    "routines",
    "sessions_per_day",
    "advice",
    "source",
    "move_on",
    "step_back",
)
MOVE_ON_FIELDS = (
    "latest_scores",
    "scores_at_most",
    "sessions_without_hurt",
    "days_in_stage",
    "trend",
    "trend_days",
)
STEP_BACK_FIELDS = ("latest_scores", "scores_at_least")
ALWAYS_ON = ("it_hurt", "pain_rise")
"""Keys a physio might write to change the step back after "it hurt" or a rise of 2: refused."""


@dataclass(frozen=True)
class MoveOn:
    """When the next stage is offered: every condition must hold, on scores that are there."""

    latest_scores: int
    scores_at_most: int
    sessions_without_hurt: int = 0
    """Sessions finished in the stage (a session that hurt, or pain rising by 2, steps back and
    starts the count again)."""
    days_in_stage: int = 0
    """Whole calendar days since the stage began."""
    trend: str | None = None
    trend_days: int = 7

    def conditions(self) -> list[str]:
        """Each condition in words, in the order they are checked."""
        words = [
            f"your last {self.latest_scores} scores are {self.scores_at_most} or less",
        ]
        if self.sessions_without_hurt:
            words.append(
                f"{plural(self.sessions_without_hurt, 'session')} in this stage finished "
                "without it hurting"
            )
        if self.days_in_stage:
            days = "a day" if self.days_in_stage == 1 else plural(self.days_in_stage, "day")
            words.append(f"at least {days} in this stage")
        if self.trend == "better":
            words.append(f"your pain is clearly better than {self.trend_days} days ago")
        elif self.trend == "not_worse":
            words.append(f"your pain is no worse than {self.trend_days} days ago")
        return words

    def words(self) -> str:
        return and_list(self.conditions())


@dataclass(frozen=True)
class StepBack:
    """A flare: the stage before is offered when the latest scores are all this high."""

    latest_scores: int
    scores_at_least: int

    def words(self) -> str:
        return f"your last {self.latest_scores} scores are {self.scores_at_least} or more"


@dataclass(frozen=True)
class Course:
    """The usual course of a spasm, and when not settling means getting it checked."""

    no_better_after_days: int
    worse_after_days: int
    settled_at_most: int
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    goal: str
    """What the stage is for, in a sentence or two for the person."""
    routines: tuple[Routine, ...] = field(repr=False)
    """The first is the one offered (or the person's default routine, when listed here)."""
    sessions_per_day: int
    """Planned sessions a day: the stage's own number, else what its first routine plans (the
    routine file's, else data/defaults.toml's)."""
    advice: tuple[str, ...]
    move_on: MoveOn | None
    """None: the coach never offers the next stage from here."""
    step_back: StepBack | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    description: str
    stages: tuple[Stage, ...]
    course: Course
    sources: tuple[str, ...]
    path: Path | None = None

    def stage(self, stage_id: str | None) -> Stage | None:
        return next((stage for stage in self.stages if stage.id == stage_id), None)

    def number(self, stage: Stage) -> int:
        """The stage's place, from 1."""
        return self.stages.index(stage) + 1

    def after(self, stage: Stage) -> Stage | None:
        index = self.stages.index(stage)
        return self.stages[index + 1] if index + 1 < len(self.stages) else None

    def before(self, stage: Stage) -> Stage | None:
        index = self.stages.index(stage)
        return self.stages[index - 1] if index > 0 else None

    def all_sources(self) -> list[str]:
        """Every source id the plan cites, in first-cited order."""
        ids = [*self.sources, *self.course.sources]
        for stage in self.stages:
            ids += stage.sources
        return list(dict.fromkeys(ids))


EVERYDAY_ROUTINE = "standard"
"""The routine the person's default routine (Settings) stands in for, wherever a stage offers it."""


def stage_routines(stage: Stage, default: Routine | None = None) -> tuple[Routine, ...]:
    """The stage's routines as the person meets them: their default routine (Settings) in place
    of the standard one, so a physio's routine chosen as the default is the everyday routine."""
    if default is None or default.id == EVERYDAY_ROUTINE:
        return stage.routines
    if any(routine.id == default.id for routine in stage.routines):
        return (default, *(r for r in stage.routines if r.id != default.id))
    return tuple(default if r.id == EVERYDAY_ROUTINE else r for r in stage.routines)


def and_list(parts: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def routine_names(stage: Stage, default: Routine | None = None) -> str:
    """'Gentle: for a bad day, or Breathe and relax'."""
    names = [routine.name for routine in stage_routines(stage, default)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])}, or {names[-1]}"


def move_on_words(plan: Plan, stage: Stage) -> str | None:
    """'Next: Move on (Standard: daily routine), when ...'; None in the last stage."""
    after = plan.after(stage)
    if after is None:
        return None
    if stage.move_on is None:
        return f"Next: {after.name} is not offered from this stage; a physio can change the plan."
    return f"Next: {after.name} ({after.routines[0].name}), when {stage.move_on.words()}."


def step_back_words(plan: Plan, stage: Stage) -> str:
    """What steps back from `stage`, by itself and when offered."""
    before = plan.before(stage)
    if before is None:
        return f"Back to the start of this stage, by itself, when {AUTOMATIC_STEP_BACK}."
    words = f"Back to {before.name}, by itself, when {AUTOMATIC_STEP_BACK}"
    if stage.step_back is not None:
        words += f"; offered when {stage.step_back.words()}"
    return words + "."


def rule_lines(plan: Plan, stage: Stage) -> list[str]:
    """The stage's rules in words: when it moves on, and when it steps back."""
    after = plan.after(stage)
    if after is None:
        moving = "This is the last stage."
    elif stage.move_on is None:
        moving = f"{after.name} is not offered from this stage; a physio can change the plan."
    else:
        moving = (
            f"On to {after.name} when {stage.move_on.words()}: the coach offers it, you choose."
        )
    return [moving, step_back_words(plan, stage)]


def stage_lines(plan: Plan, stage: Stage, default: Routine | None = None) -> list[str]:
    """A stage in words: what it is for, its routines and sessions, its advice and its rules."""
    return [
        stage.goal,
        f"Routines: {routine_names(stage, default)}.",
        f"Sessions: {stage.sessions_per_day} a day.",
        *stage.advice,
        *rule_lines(plan, stage),
    ]


def course_words(course: Course) -> str:
    """When not settling means getting it checked, in words."""
    return (
        f"Most back pain gets better within a few weeks. If yours is not clearly better after "
        f"about {course.no_better_after_days} days, or is worse after {course.worse_after_days}, "
        "the coach says so and suggests a check-up."
    )


# --- reading and checking a plan file -----------------------------------------------------------


@dataclass(frozen=True)
class PlanCheck(FileCheck):
    """A plan file checked: the plan when it has no errors, and every problem found."""

    plan: Plan | None
    problems: tuple[RoutineProblem, ...]


class PlanError(RoutineError):
    """A plan file that can't be used: reads as its first error; `problems` holds them all."""


class PlanNotFound(LookupError):
    """No plan has the name asked for; the message names the closest one."""

    def __init__(self, name: str, known: Iterable[str]):
        close = closest(name, list(known))
        hint = f"; did you mean '{close}'?" if close else ""
        super().__init__(f"no plan {name!r}{hint} (see: spasm-coach plans list)")


class _PlanChecker:
    """Checks one plan table, gathering every problem rather than stopping at the first."""

    def __init__(
        self,
        doc: Any,
        file: str,
        content: Content,
        routines: Mapping[str, Routine],
        *,
        own: bool,
        built_in_plans: Iterable[str] = (),
        default_course: Course | None = None,
    ) -> None:
        self.doc, self.file, self.content, self.routines = doc, file, content, routines
        self.own = own
        """A physio's own file: its ids may not shadow the built-in plan's, it cites nothing unless
        it wants to, and without a [course] it keeps the built-in plan's."""
        self.built_in_plans = frozenset(built_in_plans)
        self.default_course = default_course
        self.problems = Problems()

    def check(self, path: Path | None) -> Plan | None:
        problems = self.problems
        top = problems.take(Reader, self.file, None, self.doc, self.content.sources)
        if top is None:
            return None
        problems.add(*top.unknown(PLAN_FIELDS, "plan"))
        plan_id = problems.take(top.text, "id")
        if plan_id is not None:
            self._id(top, plan_id)
        name = problems.take(top.text, "name")
        description = problems.take(top.text, "description")
        sources = problems.take(cited_sources, top, cite=not self.own)
        course = self._course(top)
        stages = self._stages(top)
        if problems.errors:
            return None
        return Plan(
            id=taken(plan_id),
            name=taken(name),
            description=taken(description),
            stages=tuple(stages),
            course=taken(course),
            sources=taken(sources),
            path=path,
        )

    def _id(self, reader: Reader, value: str) -> None:
        if not OWN_ID.fullmatch(value):
            self.problems.add(
                reader.error(
                    "id",
                    f"{value!r} can't be a plan id: use up to 40 lower-case letters, digits, "
                    "- or _ (e.g. 'clinic-jones')",
                )
            )
        elif self.own and value in self.built_in_plans:
            self.problems.add(
                reader.error("id", f"shadows the built-in plan '{value}'; choose another id")
            )

    def _course(self, top: Reader) -> Course | None:
        problems = self.problems
        if "course" not in top.table:
            if self.default_course is None:
                problems.add(top.error("course", "missing: give a [course] table"))
            return self.default_course
        reader = problems.take(top.child, "course", top.table["course"], "course")
        if reader is None:
            return None
        start = problems.count
        problems.add(*reader.unknown(COURSE_FIELDS, "course"))
        no_better = self._bounded(
            reader,
            "no_better_after_days",
            NO_BETTER_AFTER_DAYS,
            "not better after about two weeks needs a check-up: sooner, never later",
        )
        worse = self._bounded(
            reader,
            "worse_after_days",
            WORSE_AFTER_DAYS,
            "worse after a week needs a check-up: sooner, never later",
        )
        settled = self._bounded(
            reader, "settled_at_most", SETTLED_AT_MOST, "above mild pain has not settled"
        )
        sources = problems.take(cited_sources, reader, cite=not self.own)
        if problems.count != start:
            return None
        return Course(taken(no_better), taken(worse), taken(settled), taken(sources))

    def _bounded(
        self,
        reader: Reader,
        name: str,
        bounds: tuple[int, int],
        why: str,
        *,
        required: bool = True,
        default: int | None = None,
    ) -> int | None:
        """A whole number within `bounds`; one outside says which way and why."""
        low, high = bounds
        value = reader.table.get(name)
        if value is None:
            if required:
                self.problems.add(reader.error(name, "missing"))
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.add(reader.error(name, f"expected a whole number, got {value!r}"))
            return None
        if not low <= value <= high:
            self.problems.add(reader.error(name, f"{value} is outside {low}-{high} ({why})"))
            return None
        return value

    def _stages(self, top: Reader) -> list[Stage]:
        problems = self.problems
        tables = top.table.get("stage")
        if not isinstance(tables, list) or not tables:
            problems.add(top.error("stage", "a plan needs at least one [[stage]]"))
            return []
        if len(tables) > STAGES_MAX:
            problems.add(
                top.error("stage", f"{len(tables)} stages: a plan has at most {STAGES_MAX}")
            )
        seen: set[str] = set()
        stages = []
        last = len(tables)
        for index, table in enumerate(tables, start=1):
            reader = problems.take(top.child, f"stage {index}", table, "stage", index)
            if reader is None:
                continue
            stage_id = reader.table.get("id")
            if isinstance(stage_id, str) and stage_id.strip():
                reader = top.child(f"stage '{stage_id.strip()}'", table, "stage", index)
            after = tables[index] if index < last else None
            stage = self._stage(reader, seen, first=index == 1, next_table=after)
            if stage is not None:
                stages.append(stage)
        return stages

    def _stage(
        self, reader: Reader, seen: set[str], *, first: bool, next_table: Any
    ) -> Stage | None:
        problems = self.problems
        start = problems.count
        problems.add(*reader.unknown(STAGE_FIELDS, "stage"))
        stage_id = problems.take(reader.text, "id")
        if stage_id is not None:
            if not OWN_ID.fullmatch(stage_id):
                problems.add(
                    reader.error(
                        "id",
                        f"{stage_id!r} can't be a stage id: lower-case letters, digits, - or _",
                    )
                )
            elif stage_id in seen:
                problems.add(reader.error("id", f"'{stage_id}' is used twice"))
            seen.add(stage_id)
        name = problems.take(reader.text, "name")
        goal = problems.take(reader.text, "goal")
        routines = self._routines(reader)
        sessions = self._bounded(
            reader,
            "sessions_per_day",
            (1, SESSIONS_PER_DAY_MAX),
            "a few a day is the usual advice",
            required=False,
        )
        if sessions is None and "sessions_per_day" not in reader.table and routines:
            sessions = self.content.planned_per_day(routines[0])
        advice = problems.take(reader.lines, "advice") if "advice" in reader.table else ()
        sources = problems.take(cited_sources, reader, cite=not self.own)
        move_on = self._move_on(reader, last=next_table is None, next_table=next_table)
        step_back = self._step_back(reader, first=first)
        if next_table is not None and "move_on" not in reader.table:
            problems.warnings.append(
                reader.error(
                    "move_on",
                    "none: the next stage is never offered from here (stepping back still is)",
                )
            )
        if problems.count != start:
            return None
        return Stage(
            id=taken(stage_id),
            name=taken(name),
            goal=taken(goal),
            routines=taken(routines),
            sessions_per_day=taken(sessions),
            advice=taken(advice),
            move_on=move_on,
            step_back=step_back,
            sources=taken(sources),
        )

    def _routines(self, reader: Reader) -> tuple[Routine, ...] | None:
        ids = self.problems.take(reader.lines, "routines")
        if ids is None:
            return None
        found = []
        for routine_id in ids:
            if ids.count(routine_id) > 1:
                self.problems.add(reader.error("routines", f"'{routine_id}' is listed twice"))
                return None
            if routine_id not in self.routines:
                close = closest(routine_id, self.routines)
                hint = (
                    f"; did you mean '{close}'?" if close else " (see: spasm-coach routines list)"
                )
                self.problems.add(reader.error("routines", f"unknown routine '{routine_id}'{hint}"))
                return None
            found.append(self.routines[routine_id])
        return tuple(found)

    def _move_on(self, stage: Reader, *, last: bool, next_table: Any) -> MoveOn | None:
        problems = self.problems
        if "move_on" not in stage.table:
            return None
        reader = problems.take(stage.child, "move_on", stage.table["move_on"], "move_on")
        if reader is None:
            return None
        if last:
            problems.add(reader.error(None, "the last stage has no stage after it to move on to"))
            return None
        start = problems.count
        problems.add(*reader.unknown(MOVE_ON_FIELDS, "move_on"))
        latest = self._bounded(reader, "latest_scores", LATEST_SCORES, "one score says too little")
        at_most = self._scores_at_most(reader, next_table)
        sessions = self._bounded(
            reader,
            "sessions_without_hurt",
            SESSIONS_WITHOUT_HURT,
            "the sessions a stage needs",
            required=False,
            default=0,
        )
        days = self._bounded(
            reader,
            "days_in_stage",
            DAYS_IN_STAGE,
            "the days a stage needs",
            required=False,
            default=0,
        )
        trend = problems.take(reader.choice, "trend", TRENDS) if "trend" in reader.table else None
        if "trend_days" in reader.table and "trend" not in reader.table:
            problems.add(reader.error("trend_days", "only with trend"))
        trend_days = self._bounded(
            reader,
            "trend_days",
            TREND_DAYS,
            "days to read the trend over",
            required=False,
            default=MoveOn.trend_days,
        )
        if problems.count != start:
            return None
        return MoveOn(
            latest_scores=taken(latest),
            scores_at_most=taken(at_most),
            sessions_without_hurt=taken(sessions),
            days_in_stage=taken(days),
            trend=trend,
            trend_days=taken(trend_days),
        )

    def _scores_at_most(self, reader: Reader, next_table: Any) -> int | None:
        """The score every counted score must be at or below: never a bad day's, and never above
        what a routine of the next stage is meant for (its offer_when_pain_at_most)."""
        value = self._bounded(
            reader,
            "scores_at_most",
            (0, MOVE_ON_SCORE_MAX),
            f"{GENTLE_FROM} and over is a bad day: nobody moves on then",
        )
        if value is None or not isinstance(next_table, dict):
            return value
        names = next_table.get("routines")
        for routine_id in names if isinstance(names, list) else []:
            routine = self.routines.get(routine_id) if isinstance(routine_id, str) else None
            limit = routine.offer_when_pain_at_most if routine is not None else None
            if limit is not None and value > limit:
                self.problems.add(
                    reader.error(
                        "scores_at_most",
                        f"{value} is higher than {routine_id}'s offer_when_pain_at_most "
                        f"({limit}): the next stage's routine is only for scores of {limit} "
                        "or less",
                    )
                )
                return None
        return value

    def _step_back(self, stage: Reader, *, first: bool) -> StepBack | None:
        problems = self.problems
        if "step_back" not in stage.table:
            return None
        reader = problems.take(stage.child, "step_back", stage.table["step_back"], "step_back")
        if reader is None:
            return None
        if first:
            problems.add(
                reader.error(None, "the first stage has no stage before it to step back to")
            )
            return None
        start = problems.count
        always_on = 'stepping back after "it hurt" or a rise of 2 is always on: leave it out'
        problems.add(
            *(
                reader.error(error.field, always_on) if error.field in ALWAYS_ON else error
                for error in reader.unknown(STEP_BACK_FIELDS, "step_back")
            )
        )
        latest = self._bounded(reader, "latest_scores", LATEST_SCORES, "one score says too little")
        at_least = self._bounded(reader, "scores_at_least", (1, 10), "a pain score is 0 to 10")
        if problems.count != start:
            return None
        return StepBack(taken(latest), taken(at_least))

    def report(self, lines: TomlLines) -> tuple[RoutineProblem, ...]:
        return report_problems(self.problems, lines)


def check_plan_text(
    text: str,
    file: str,
    content: Content,
    routines: Mapping[str, Routine],
    path: Path | None = None,
    *,
    own: bool = True,
    built_in: Mapping[str, Plan] | None = None,
) -> PlanCheck:
    """A plan file checked in full: every problem, each with its line. `routines` are the ones a
    stage may name (built in and installed); `built_in` the built-in plans, whose ids a physio's
    plan may not take and whose course it keeps when it gives none."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = TOML_LINE.search(str(exc))
        line = int(found.group(1)) if found else None
        problem = RoutineProblem(file, line, None, None, f"not valid TOML ({exc})")
        return PlanCheck(None, (problem,))
    plans = built_in or {}
    default = plans[BUILT_IN_PLAN].course if own and BUILT_IN_PLAN in plans else None
    checker = _PlanChecker(
        doc,
        file,
        content,
        routines,
        own=own,
        built_in_plans=plans,
        default_course=default,
    )
    plan = checker.check(path)
    return PlanCheck(plan, checker.report(TomlLines(text)))


def check_plan_file(
    path: Path,
    content: Content,
    routines: Mapping[str, Routine],
    built_in: Mapping[str, Plan],
) -> PlanCheck:
    """check_plan_text on a physio's file; a file that can't be read is one problem."""
    text = read_own_file(path)
    if isinstance(text, RoutineProblem):
        return PlanCheck(None, (text,))
    return check_plan_text(text, str(path), content, routines, path, built_in=built_in)


def built_in_plans(content: Content) -> dict[str, Plan]:
    """The plans in data/plans/, checked against the built-in routines; the built-in content
    must have no mistake, so the first one raises ContentError."""
    plans: dict[str, Plan] = {}
    for path in sorted((content.root / "plans").glob("*.toml")):
        file = f"plans/{path.name}"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ContentError(file, None, None, f"can't be read ({exc})") from None
        check = check_plan_text(text, file, content, content.routines, path, own=False)
        if check.plan is None:
            raise PlanError(check.problems)
        if check.plan.id in plans:
            raise ContentError(file, None, "id", f"plan id '{check.plan.id}' used twice")
        plans[check.plan.id] = check.plan
    if BUILT_IN_PLAN not in plans:
        raise ContentError("plans", None, None, f"the built-in plan '{BUILT_IN_PLAN}' is missing")
    return plans


def installed_plans(
    content: Content,
    plans_dir: Path,
    routines: Mapping[str, Routine],
    built_in: Mapping[str, Plan],
) -> tuple[list[Plan], list[RoutineProblem]]:
    """The usable plan files in the plans folder, and the errors of those that can't be used."""
    plans: list[Plan] = []
    problems: list[RoutineProblem] = []
    owner: dict[str, Path] = {}
    for path in sorted(plans_dir.glob("*.toml")) if plans_dir.is_dir() else ():
        check = check_plan_file(path, content, routines, built_in)
        plan = check.plan
        if plan is None:
            problems += check.errors
        elif plan.id in owner:
            problems.append(
                RoutineProblem(
                    str(path),
                    None,
                    None,
                    "id",
                    f"'{plan.id}' is also the id of {owner[plan.id]}; give one another id",
                )
            )
        else:
            owner[plan.id] = path
            plans.append(plan)
    return plans, problems


@dataclass(frozen=True)
class Plans:
    """Every plan a person can follow: the built-in ones and those installed."""

    built_in: Mapping[str, Plan]
    installed: Sequence[Plan]
    problems: Sequence[RoutineProblem]
    """Installed files that can't be used, so they are said rather than silently missing."""

    def all(self) -> list[Plan]:
        return [*self.built_in.values(), *self.installed]

    def find(self, name: str, content: Content, routines: Mapping[str, Routine]) -> Plan:
        """The plan `name` means: a file's path, a built-in id, an installed plan's id, or an
        installed file's name without .toml. Raises PlanNotFound or PlanError."""
        given = Path(name).expanduser()
        if (name.endswith(".toml") or os.sep in name or "/" in name) and given.is_file():
            return self._load(given, content, routines)
        if name in self.built_in:
            return self.built_in[name]
        by_id = {plan.id: plan for plan in self.installed}
        if name in by_id:
            return by_id[name]
        named = next(
            (plan for plan in self.installed if plan.path and plan.path.stem == name), None
        )
        if named is not None:
            return named
        if given.is_file():
            return self._load(given, content, routines)
        raise PlanNotFound(name, [*self.built_in, *by_id])

    def _load(self, path: Path, content: Content, routines: Mapping[str, Routine]) -> Plan:
        check = check_plan_file(path, content, routines, self.built_in)
        if check.plan is None:
            raise PlanError(check.problems)
        return check.plan


def load_plans(content: Content, plans_dir: Path | None, routines: Mapping[str, Routine]) -> Plans:
    """The built-in plans and the installed ones (none when `plans_dir` is None)."""
    built_in = built_in_plans(content)
    if plans_dir is None:
        return Plans(built_in, (), ())
    installed, problems = installed_plans(content, plans_dir, routines, built_in)
    return Plans(built_in, installed, problems)


def choose_plan(plans: Plans, wanted: str | None) -> tuple[Plan, str | None]:
    """The person's plan (settings.toml's `plan`), or the built-in one with a sentence saying
    why when the chosen one can't be found or used."""
    built_in = plans.built_in[BUILT_IN_PLAN]
    if wanted is None or wanted == BUILT_IN_PLAN:
        return built_in, None
    found = plans.built_in.get(wanted) or next(
        (plan for plan in plans.installed if plan.id == wanted), None
    )
    if found is not None:
        return found, None
    return built_in, (
        f"Your plan '{wanted}' can't be found or has errors (spasm-coach plans list): the coach "
        f"follows {built_in.name} meanwhile."
    )
