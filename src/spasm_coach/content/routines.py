"""Routines: the built-in ones and a physiotherapist's own files, checked in full (every problem
with its line, so one run of `routines validate` finds them all), and finding one by name."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from spasm_coach.content.exercises import (
    DOSE_LIMITS,
    HOLD_MAX_SECONDS,
    REPETITIONS_MAX,
    SESSION_MAX_SECONDS,
    cited_sources,
    dose_number,
    is_one_breath,
    read_dose,
    read_exercise,
    read_tables,
)
from spasm_coach.content.models import (
    DOSE_FIELDS,
    ROUTINE_KINDS,
    SIDES,
    Content,
    ContentError,
    Dose,
    Exercise,
    Routine,
    RoutineStep,
    Source,
)
from spasm_coach.content.reading import TOML_LINE, Problems, Reader, TomlLines, closest, taken
from spasm_coach.paths import PathMistake, expand_home

# ---- routines ---------------------------------------------------------------------------------

SESSIONS_PER_DAY_MAX = 12

ROUTINE_FIELDS = (
    "id",
    "name",
    "kind",
    "description",
    "source",
    "offer_when_pain_at_most",
    "sessions_per_day",
    "exercise",
    "step",
)
STEP_FIELDS = ("exercise", "side", *DOSE_FIELDS)
OWN_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
"""A physio's routine or exercise id: it names the installed file (`<id>.toml`) and is typed
after --routine, so it is short, lower-case and safe as a file name."""


class Severity(StrEnum):
    ERROR = "error"
    """The routine can't be used until it is fixed."""
    WARNING = "warning"
    """Usable, but outside the usual doses: said, so a slip (600 for 60) is noticed."""


@dataclass(frozen=True)
class RoutineProblem:
    """One mistake (or warning) in a routine file, with where it is."""

    file: str
    line: int | None
    """From 1; None when the field is missing or the problem is the whole routine's."""
    step: int | None
    """The [[step]] it is in, from 1; None outside the steps."""
    field: str | None
    message: str
    severity: Severity = Severity.ERROR
    item: str | None = None
    """The table it is in, in words: 'step 2', "exercise 'hip_hinge': dose"."""

    def __str__(self) -> str:
        """'FILE:LINE: [warning: ]ITEM: field 'x': message', like a compiler's messages."""
        parts = [self.file if self.line is None else f"{self.file}:{self.line}"]
        if self.severity is Severity.WARNING:
            parts.append("warning")
        if self.item:
            parts.append(self.item)
        if self.field:
            parts.append(f"field '{self.field}'")
        return ": ".join([*parts, self.message])


class FileCheck:
    """A routine or plan file's problems by severity; each check adds what it read."""

    problems: tuple[RoutineProblem, ...]

    @property
    def errors(self) -> tuple[RoutineProblem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[RoutineProblem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


@dataclass(frozen=True)
class RoutineCheck(FileCheck):
    """A routine file checked: the routine when it has no errors, and every problem found."""

    routine: Routine | None
    problems: tuple[RoutineProblem, ...]


class RoutineError(ContentError):
    """A routine file that can't be used: reads as its first error; `problems` holds them all."""

    def __init__(self, problems: Iterable[RoutineProblem]):
        self.problems = tuple(problems)
        first = next(p for p in self.problems if p.severity is Severity.ERROR)
        super().__init__(first.file, first.item, first.field, first.message)


class RoutineNotFound(LookupError):
    """No routine has the name asked for; the message says what to do instead."""

    def __init__(self, name: str, known: Iterable[str]):
        known = list(known)
        close = closest(name, known)
        hint = f"; did you mean '{close}'?" if close else ""
        super().__init__(f"no routine {name!r}{hint} (see: spasm-coach routines list)")
        self.name = name


class ExerciseNotFound(LookupError):
    """No exercise has the id asked for; the message names the closest one."""

    def __init__(self, name: str, known: Iterable[str]):
        known = list(known)
        close = closest(name, known)
        hint = f"did you mean '{close}'?" if close else f"known: {', '.join(known)}"
        super().__init__(f"no exercise {name!r}; {hint}")


def find_exercise(content: Content, routine: Routine, name: str) -> Exercise:
    """The exercise `name` means: one of the routine's own (a physio's routine may define
    some), else one from the library. Knee-to-chest may be typed knee-to-chest or knee_to_chest.

    Raises ExerciseNotFound.
    """
    wanted = name.strip().lower().replace("-", "_")
    own = {step.exercise.id: step.exercise for step in routine.steps}
    known = {**content.exercises, **own}
    if wanted in known:
        return known[wanted]
    raise ExerciseNotFound(name, known)


class _RoutineChecker:
    """Checks one routine table, gathering every problem rather than stopping at the first."""

    def __init__(
        self,
        doc: Any,
        file: str,
        exercises: Mapping[str, Exercise],
        sources: Mapping[str, Source],
        *,
        own: bool,
        built_in_routines: Iterable[str] = (),
    ):
        self.doc, self.file, self.library, self.sources = doc, file, exercises, sources
        self.own = own
        """A physio's own file: ids are file-safe, may not shadow built-in ones, may define
        exercises, and cite nothing unless they want to."""
        self.built_in_routines = frozenset(built_in_routines)
        self.problems = Problems()

    def check(self, path: Path | None) -> Routine | None:
        problems = self.problems
        top = problems.take(Reader, self.file, None, self.doc, self.sources)
        if top is None:
            return None
        problems.add(*top.unknown(ROUTINE_FIELDS, "routine"))
        routine_id = problems.take(top.text, "id")
        if routine_id is not None and self.own:
            self._own_id(top, "id", routine_id, "routine", self.built_in_routines)
        own_exercises, declared = self._own_exercises(top)
        steps = self._steps(top, {**self.library, **own_exercises}, declared)
        offer_at_most = None
        if "offer_when_pain_at_most" in self.doc:
            offer_at_most = problems.take(top.number, "offer_when_pain_at_most", low=0, high=10)
            if "source" not in self.doc and not self.own:
                problems.add(top.error("source", "cite the source of offer_when_pain_at_most"))
        per_day = None
        if "sessions_per_day" in self.doc:
            per_day = problems.take(
                top.number, "sessions_per_day", low=1, high=SESSIONS_PER_DAY_MAX
            )
        name = problems.take(top.text, "name")
        description = problems.take(top.text, "description")
        sources = problems.take(cited_sources, top, cite=False)
        kind = problems.take(top.choice, "kind", ROUTINE_KINDS, default="stretching")
        total_seconds = sum(step.dose.total_seconds for step in steps)
        if total_seconds > SESSION_MAX_SECONDS:
            minutes, limit = round(total_seconds / 60), SESSION_MAX_SECONDS // 60
            problems.add(
                top.error(
                    None,
                    f"the whole routine takes about {minutes} minutes: a session is refused "
                    f"over {limit} minutes",
                )
            )
        if problems.errors:
            return None
        return Routine(
            id=taken(routine_id),
            name=taken(name),
            description=taken(description),
            steps=tuple(steps),
            sources=taken(sources),
            path=path,
            kind=taken(kind),
            offer_when_pain_at_most=offer_at_most,
            sessions_per_day=per_day,
        )

    def _own_id(
        self, reader: Reader, name: str, value: str, what: str, built_in: Iterable[str]
    ) -> bool:
        """A physio's id: file-safe, and never one of the built-in ones it would hide."""
        if not OWN_ID.fullmatch(value):
            self.problems.add(
                reader.error(
                    name,
                    f"{value!r} can't be a {what} id: use up to 40 lower-case letters, digits, "
                    "- or _ (e.g. 'clinic-jones')",
                )
            )
            return False
        if value in built_in:
            self.problems.add(
                reader.error(name, f"shadows the built-in {what} '{value}'; choose another id")
            )
            return False
        return True

    def _own_exercises(self, top: Reader) -> tuple[dict[str, Exercise], set[str]]:
        """The file's own [[exercise]] tables, and every id they declare (even broken ones, so a
        step using a broken exercise isn't also called unknown)."""
        problems = self.problems
        if "exercise" not in top.table:
            return {}, set()
        if not self.own:
            problems.add(
                top.error("exercise", "a built-in routine takes its exercises from exercises.toml")
            )
            return {}, set()
        own: dict[str, Exercise] = {}
        declared: set[str] = set()
        for index, table in enumerate(read_tables(top, problems, "exercise"), start=1):
            place = ("exercise", index)
            reader = problems.take(
                Reader, self.file, f"exercise {index}", table, self.sources, place
            )
            if reader is None:
                continue
            exercise_id = problems.take(reader.text, "id")
            usable_id = None
            if exercise_id is not None:
                item = f"exercise '{exercise_id}'"
                reader = Reader(self.file, item, table, self.sources, place)
                if exercise_id in declared:
                    problems.add(reader.error("id", f"'{exercise_id}' is used twice"))
                elif self._own_id(reader, "id", exercise_id, "exercise", self.library):
                    usable_id = exercise_id
                declared.add(exercise_id)
            exercise = read_exercise(reader, exercise_id or "", problems, cite=False)
            if exercise is not None and usable_id is not None:
                own[usable_id] = exercise
        return own, declared

    def _steps(
        self, top: Reader, exercises: Mapping[str, Exercise], declared: set[str]
    ) -> list[RoutineStep]:
        tables = top.table.get("step")
        if not isinstance(tables, list) or not tables:
            self.problems.add(top.error("step", "a routine needs at least one [[step]]"))
            return []
        steps = []
        for index, table in enumerate(tables, start=1):
            reader = self.problems.take(top.child, f"step {index}", table, "step", index)
            step = self._step(reader, exercises, declared) if reader is not None else None
            if step is not None:
                steps.append(step)
        return steps

    def _step(
        self, reader: Reader, exercises: Mapping[str, Exercise], declared: set[str]
    ) -> RoutineStep | None:
        """A step: its exercise with the dose overrides merged in, the side it is done on."""
        problems = self.problems
        problems.add(*reader.unknown(STEP_FIELDS, "step"))
        exercise_id = problems.take(reader.text, "exercise")
        if exercise_id is None or exercise_id in declared - set(exercises):
            return None
        if exercise_id not in exercises:
            close = closest(exercise_id, [*exercises, *declared])
            hint = f"; did you mean '{close}'?" if close else f" (known: {', '.join(exercises)})"
            problems.add(reader.error("exercise", f"unknown exercise '{exercise_id}'{hint}"))
            for name in DOSE_LIMITS:  # what is refused for any exercise is said all the same
                if name in reader.table:
                    dose_number(reader, problems, name)
            if "side" in reader.table:
                problems.take(reader.choice, "side", SIDES)
            return None
        exercise = exercises[exercise_id]
        side = problems.take(reader.choice, "side", SIDES) if "side" in reader.table else None
        dose = read_dose(reader, problems, base=exercise.dose)
        if dose is None:
            return None
        if exercise.flow and not is_one_breath(dose):
            problems.add(
                reader.error(
                    "hold_seconds",
                    f"'{exercise_id}' moves with the breath: hold_seconds must be one breath "
                    f"({exercise.dose.breath_in_seconds} + {exercise.dose.breath_out_seconds} s)",
                )
            )
        if exercise.cues and dose.repetitions > len(exercise.cues):
            problems.add(
                reader.error(
                    "repetitions",
                    f"'{exercise_id}' has {len(exercise.cues)} cues, one a repetition: "
                    f"{dose.repetitions} is too many",
                )
            )
        if side is not None:
            if dose.sided:
                dose = replace(dose, only_side=side)
            else:
                problems.add(
                    reader.error(
                        "side",
                        f"'{exercise_id}' is done once, not on each side: there is no side "
                        "to choose",
                    )
                )
        self._warn_outside_usual(reader, exercise, dose)
        return RoutineStep(exercise, dose)

    def _warn_outside_usual(self, reader: Reader, exercise: Exercise, dose: Dose) -> None:
        """A warning for each dose outside the exercise's usual range (none over the limits,
        which are already errors)."""
        usual = exercise.dose_range
        if usual is None:
            return
        cited = f" ({', '.join(usual.sources)})" if usual.sources else ""
        each_side = " each side" if dose.sided and not dose.only_side else ""
        hold, repetitions = dose.hold_seconds, dose.repetitions
        if usual.hold_seconds and hold <= HOLD_MAX_SECONDS:
            low, high = usual.hold_seconds
            if not low <= hold <= high:
                longer = "longer" if hold > high else "shorter"
                message = f"a {hold} s hold is {longer} than the usual {low}-{high} s"
                self._warn(reader, "hold_seconds", f"{message} for {exercise.name}{cited}")
        if usual.repetitions and repetitions <= REPETITIONS_MAX:
            low, high = usual.repetitions
            if not low <= repetitions <= high:
                more = "more" if repetitions > high else "fewer"
                message = (
                    f"{repetitions} repetitions{each_side} are {more} than the usual "
                    f"{low}-{high}{each_side}"
                )
                self._warn(reader, "repetitions", f"{message} for {exercise.name}{cited}")

    def _warn(self, reader: Reader, name: str, message: str) -> None:
        self.problems.warnings.append(reader.error(name, message))

    def report(self, lines: TomlLines) -> tuple[RoutineProblem, ...]:
        return report_problems(self.problems, lines)


def report_problems(problems: Problems, lines: TomlLines) -> tuple[RoutineProblem, ...]:
    """Every problem with its line, in file order; a field that is 'missing' because a misspelt
    key was meant for it is left to that key's 'did you mean' to explain. (Routine and plan
    files alike.)"""
    meant = {(e.place, e.suggestion) for e in problems.errors if e.suggestion}
    found = [
        *(
            _problem(error, Severity.ERROR, lines)
            for error in problems.errors
            if not (error.problem == "missing" and (error.place, error.field) in meant)
        ),
        *(_problem(error, Severity.WARNING, lines) for error in problems.warnings),
    ]
    return tuple(sorted(found, key=lambda p: (p.line is None, p.line or 0)))


def _problem(error: ContentError, severity: Severity, lines: TomlLines) -> RoutineProblem:
    place = error.place
    step = place[1] if len(place) > 1 and place[0] == "step" else None
    return RoutineProblem(
        file=error.file,
        line=lines.line(place, error.field),
        step=step if isinstance(step, int) else None,
        field=error.field,
        message=error.problem,
        severity=severity,
        item=error.item,
    )


def parse_routine(
    doc: Mapping[str, Any],
    file: str,
    exercises: Mapping[str, Exercise],
    sources: Mapping[str, Source],
    path: Path | None = None,
) -> Routine:
    """A built-in routine table checked against the exercise library; overrides merge into each
    dose. Raises ContentError on its first mistake (the built-in content must have none)."""
    checker = _RoutineChecker(doc, file, exercises, sources, own=False)
    routine = checker.check(path)
    if routine is None:  # check() gives None only with its mistakes noted
        raise checker.problems.errors[0]
    return routine


def check_routine_text(
    text: str, file: str, content: Content, path: Path | None = None
) -> RoutineCheck:
    """A physio's routine file, checked in full: every problem, each with its line."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = TOML_LINE.search(str(exc))
        line = int(found.group(1)) if found else None
        problem = RoutineProblem(file, line, None, None, f"not valid TOML ({exc})")
        return RoutineCheck(None, (problem,))
    checker = _RoutineChecker(
        doc,
        file,
        content.exercises,
        content.sources,
        own=True,
        built_in_routines=content.routines,
    )
    routine = checker.check(path)
    return RoutineCheck(routine, checker.report(TomlLines(text)))


def read_own_file(path: Path) -> str | RoutineProblem:
    """The text of a physio's file (a routine or a plan), or why it can't be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problem = "file not found"
    except UnicodeDecodeError:
        problem = "not UTF-8 text"
    except OSError as exc:
        problem = f"can't be read ({exc.strerror})"
    return RoutineProblem(str(path), None, None, None, problem)


def check_routine_file(path: Path, content: Content) -> RoutineCheck:
    """check_routine_text on a file; a file that can't be read is one problem."""
    text = read_own_file(path)
    if isinstance(text, RoutineProblem):
        return RoutineCheck(None, (text,))
    return check_routine_text(text, str(path), content, path)


def load_routine_file(path: Path, content: Content) -> Routine:
    """A routine file of the user's own (a physio's, say); RoutineError if it has errors."""
    check = check_routine_file(path, content)
    if check.routine is None:
        raise RoutineError(check.problems)
    return check.routine


def installed_routines(
    content: Content, routines_dir: Path
) -> tuple[list[Routine], list[RoutineProblem]]:
    """The usable routine files in the routines folder (by file name), and the errors of those
    that can't be used, so a broken file is said rather than silently missing."""
    routines: list[Routine] = []
    problems: list[RoutineProblem] = []
    owner: dict[str, Path] = {}
    for path in sorted(routines_dir.glob("*.toml")) if routines_dir.is_dir() else ():
        check = check_routine_file(path, content)
        routine = check.routine
        if routine is None:
            problems += check.errors
        elif routine.id in owner:
            problems.append(
                RoutineProblem(
                    str(path),
                    None,
                    None,
                    "id",
                    f"'{routine.id}' is also the id of {owner[routine.id]}; give one another id",
                )
            )
        else:
            owner[routine.id] = path
            routines.append(routine)
    return routines, problems


def find_routine(content: Content, name: str, routines_dir: Path) -> Routine:
    """The routine a person means by `name`: a built-in id, an installed routine's id (the `id`
    inside the file) or file name without .toml, or the path of a routine file.

    Raises RoutineNotFound when nothing has that name, RoutineError when the file it names
    can't be used (with every problem in it).
    """
    looks_like_a_path = name.endswith(".toml") or os.sep in name or "/" in name
    try:
        given = expand_home(Path(name))
    except PathMistake:
        if looks_like_a_path:
            raise
        given = Path(name)
    if looks_like_a_path and given.is_file():
        return load_routine_file(given, content)
    if name in content.routines:
        return content.routines[name]
    installed, _ = installed_routines(content, routines_dir)
    by_id = {routine.id: routine for routine in installed}
    if name in by_id:
        return by_id[name]
    for path in (routines_dir / f"{name}.toml", given):
        if path.is_file():
            return load_routine_file(path, content)
    raise RoutineNotFound(name, [*content.routines, *by_id])
