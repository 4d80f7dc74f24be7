"""Clinical content: typed models and the loader that reads them from TOML.

The content is reviewed by clinicians as data (see data/README.md), so a mistake in a file must say
exactly where it is: every ContentError names the file, the item and the field.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from spasm_coach.paths import content_dir
from spasm_coach.vocabulary import Level

CONDITIONS = ("osteoporosis", "pregnancy", "knee", "wrist")
"""Personal cautions an exercise can be modified or skipped for."""

THERMAL_KINDS = ("heat", "ice")


class ContentError(Exception):
    """A content file that can't be used, with the place of the mistake."""

    def __init__(self, file: str, item: str | None, field_name: str | None, problem: str):
        self.file, self.item, self.field, self.problem = file, item, field_name, problem
        where = (
            [file] + ([item] if item else []) + ([f"field '{field_name}'"] if field_name else [])
        )
        super().__init__(": ".join([*where, problem]))


@dataclass(frozen=True)
class LevelAdvice:
    level: Level
    title: str
    action: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RedFlag:
    id: str
    level: Level
    question: str
    concern: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Card:
    """A short titled list of lines: the CES safety card and the education cards."""

    id: str
    title: str
    lines: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Dose:
    hold_seconds: int
    repetitions: int
    sided: bool = False
    rest_seconds: int = 0
    prepare_seconds: int = 5
    breath_in_seconds: int | None = None
    breath_out_seconds: int | None = None

    @property
    def sides(self) -> tuple[str, ...]:
        return ("left", "right") if self.sided else ("",)

    @property
    def paced(self) -> bool:
        return self.breath_in_seconds is not None

    @property
    def total_seconds(self) -> int:
        """Time the dose takes, as a session runs it: per side, preparing, then every hold with a
        rest between holds (none between sides: preparing the next side takes that place)."""
        per_side = (
            self.prepare_seconds
            + self.repetitions * self.hold_seconds
            + max(self.repetitions - 1, 0) * self.rest_seconds
        )
        return per_side * len(self.sides)


DOSE_FIELDS = tuple(f.name for f in fields(Dose))


@dataclass(frozen=True)
class Caution:
    condition: str
    advice: str
    action: str
    """'modify' (do `modified` instead) or 'skip' (leave the exercise out)."""
    modified: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    summary: str
    start_position: tuple[str, ...]
    movement: tuple[str, ...]
    feel: str
    stop_if: tuple[str, ...]
    dose: Dose
    cautions: tuple[Caution, ...]
    figure: tuple[str, ...]
    sources: tuple[str, ...]

    def caution_for(self, conditions: Iterable[str]) -> tuple[Caution, ...]:
        wanted = set(conditions)
        return tuple(c for c in self.cautions if c.condition in wanted)


@dataclass(frozen=True)
class RoutineStep:
    exercise: Exercise
    dose: Dose


@dataclass(frozen=True)
class Routine:
    id: str
    name: str
    description: str
    steps: tuple[RoutineStep, ...]
    sources: tuple[str, ...]
    path: Path | None = None

    @property
    def total_seconds(self) -> int:
        return sum(step.dose.total_seconds for step in self.steps)


@dataclass(frozen=True)
class ThermalRule:
    kind: str
    name: str
    when: str
    default_minutes: int
    cap_minutes: int
    skin_check_minutes: int
    gap_minutes: int
    how: tuple[str, ...]
    never: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Contraindication:
    id: str
    question: str
    applies_to: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PainScale:
    question: str
    anchors: Mapping[int, str]
    """Words beside some scores (0, 5, 10); the bands themselves are pain.BANDS."""
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Content:
    sources: Mapping[str, str]
    levels: Mapping[Level, LevelAdvice]
    flags: tuple[RedFlag, ...]
    ces_card: Card
    exercises: Mapping[str, Exercise]
    routines: Mapping[str, Routine]
    thermal: Mapping[str, ThermalRule]
    contraindications: tuple[Contraindication, ...]
    pain: PainScale
    education: tuple[Card, ...]
    root: Path = field(compare=False, default=Path("."))

    @cached_property
    def flags_by_id(self) -> dict[str, RedFlag]:
        return {flag.id: flag for flag in self.flags}


class _Reader:
    """Reads one TOML table and reports mistakes with its file and item."""

    def __init__(self, file: str, item: str | None, table: Any, known_sources: Mapping[str, str]):
        if not isinstance(table, dict):
            raise ContentError(file, item, None, "expected a table")
        self.file, self.item, self.table, self.known_sources = file, item, table, known_sources

    def error(self, name: str | None, problem: str) -> ContentError:
        return ContentError(self.file, self.item, name, problem)

    def child(self, item: str, table: Any) -> _Reader:
        name = f"{self.item}: {item}" if self.item else item
        return _Reader(self.file, name, table, self.known_sources)

    def text(self, name: str) -> str:
        value = self.table.get(name)
        if not isinstance(value, str) or not value.strip():
            raise self.error(name, "missing" if value is None else "expected non-empty text")
        return value.strip()

    def number(
        self, name: str, *, low: int = 0, high: int = 3600, default: int | None = None
    ) -> int:
        value = self.table.get(name, default)
        if value is None:
            raise self.error(name, "missing")
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(name, f"expected a whole number, got {value!r}")
        if not low <= value <= high:
            raise self.error(name, f"{value} is outside {low}-{high}")
        return value

    def lines(self, name: str) -> tuple[str, ...]:
        value = self.table.get(name)
        if not isinstance(value, list) or not value:
            raise self.error(name, "missing" if value is None else "expected a list of lines")
        if not all(isinstance(line, str) and line.strip() for line in value):
            raise self.error(name, "every line must be non-empty text")
        return tuple(line.strip() for line in value)

    def choice(self, name: str, allowed: Iterable[str]) -> str:
        value = self.text(name)
        allowed = tuple(allowed)
        if value not in allowed:
            raise self.error(name, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def sources(self) -> tuple[str, ...]:
        ids = self.lines("source")
        unknown = [source for source in ids if source not in self.known_sources]
        if unknown:
            raise self.error("source", f"unknown source id {', '.join(unknown)}")
        return ids


def _read_toml(root: Path, relative: str) -> dict[str, Any]:
    path = root / relative
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(str(path), None, None, "file not found") from None
    except UnicodeDecodeError:
        raise ContentError(str(path), None, None, "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(str(path), None, None, f"not valid TOML ({exc})") from None
    except OSError as exc:
        raise ContentError(str(path), None, None, f"can't be read ({exc.strerror})") from None


def _card(reader: _Reader, card_id: str) -> Card:
    return Card(card_id, reader.text("title"), reader.lines("lines"), reader.sources())


def _red_flags(root: Path, sources: Mapping[str, str]):
    file = "red_flags.toml"
    doc = _read_toml(root, file)
    top = _Reader(file, None, doc, sources)
    level_tables = doc.get("levels")
    if not isinstance(level_tables, dict):
        raise top.error("levels", "missing")
    levels = {}
    for level in Level:
        reader = top.child(f"levels.{level}", level_tables.get(level.value))
        levels[level] = LevelAdvice(
            level, reader.text("title"), reader.text("action"), reader.sources()
        )
    flags: list[RedFlag] = []
    for index, table in enumerate(doc.get("flag", []), start=1):
        reader = top.child(f"flag {index}", table)
        flag_id = reader.text("id")
        reader = top.child(f"flag '{flag_id}'", table)
        if any(flag.id == flag_id for flag in flags):
            raise reader.error("id", "used twice")
        level = Level(reader.choice("level", [lv.value for lv in Level if lv is not Level.CLEAR]))
        flags.append(
            RedFlag(
                flag_id, level, reader.text("question"), reader.text("concern"), reader.sources()
            )
        )
    if not flags:
        raise top.error("flag", "no red flags defined")
    ces = _card(top.child("ces_card", doc.get("ces_card")), "ces_card")
    return levels, tuple(flags), ces


def _dose(reader: _Reader, base: Dose | None = None) -> Dose:
    """A dose table, or a routine step's overrides merged into `base`; both checked alike."""
    values: dict[str, Any] = {}
    for name in DOSE_FIELDS:
        if name not in reader.table:
            continue
        if name == "sided":
            if not isinstance(reader.table[name], bool):
                raise reader.error(name, "expected true or false")
            values[name] = reader.table[name]
        else:
            low = 0 if name in ("rest_seconds", "prepare_seconds") else 1
            values[name] = reader.number(name, low=low, high=600 if name != "repetitions" else 50)
    if base is not None:
        dose = replace(base, **values)
    else:
        for required in ("hold_seconds", "repetitions"):
            if required not in values:
                raise reader.error(required, "missing")
        dose = Dose(**values)
    if (dose.breath_in_seconds is None) != (dose.breath_out_seconds is None):
        raise reader.error(
            "breath_out_seconds", "give both breath_in_seconds and breath_out_seconds"
        )
    return dose


FIGURE_MAX_LINES, FIGURE_MAX_COLUMNS = 6, 24


def _figure(reader: _Reader, frames: Any) -> tuple[str, ...]:
    """ASCII frames keep their leading spaces; only blank first and last lines are trimmed."""
    if not isinstance(frames, list) or not all(isinstance(f, str) and f.strip() for f in frames):
        raise reader.error("figure", "expected a list of text frames")
    trimmed = tuple(frame.strip("\n").rstrip() for frame in frames)
    for frame in trimmed:
        rows = frame.splitlines()
        if len(rows) > FIGURE_MAX_LINES or max(len(row) for row in rows) > FIGURE_MAX_COLUMNS:
            raise reader.error(
                "figure",
                f"a frame must fit {FIGURE_MAX_LINES} lines of {FIGURE_MAX_COLUMNS} columns",
            )
        if not frame.isascii():
            raise reader.error("figure", "use plain ASCII characters")
    return trimmed


def _exercises(root: Path, sources: Mapping[str, str]) -> dict[str, Exercise]:
    file = "exercises.toml"
    doc = _read_toml(root, file)
    exercises: dict[str, Exercise] = {}
    for index, table in enumerate(doc.get("exercise", []), start=1):
        reader = _Reader(file, f"exercise {index}", table, sources)
        exercise_id = reader.text("id")
        reader = _Reader(file, f"exercise '{exercise_id}'", table, sources)
        if exercise_id in exercises:
            raise reader.error("id", "used twice")
        cautions = []
        for c_index, c_table in enumerate(table.get("caution", []), start=1):
            c_reader = reader.child(f"caution {c_index}", c_table)
            action = c_reader.choice("action", ("modify", "skip"))
            cautions.append(
                Caution(
                    condition=c_reader.choice("condition", CONDITIONS),
                    advice=c_reader.text("advice"),
                    action=action,
                    modified=c_reader.text("modified") if action == "modify" else None,
                    sources=c_reader.sources(),
                )
            )
        figure = _figure(reader, table.get("figure", []))
        exercises[exercise_id] = Exercise(
            id=exercise_id,
            name=reader.text("name"),
            summary=reader.text("summary"),
            start_position=reader.lines("start_position"),
            movement=reader.lines("movement"),
            feel=reader.text("feel"),
            stop_if=reader.lines("stop_if"),
            dose=_dose(reader.child("dose", table.get("dose"))),
            cautions=tuple(cautions),
            figure=figure,
            sources=reader.sources(),
        )
    if not exercises:
        raise ContentError(file, None, "exercise", "no exercises defined")
    return exercises


def parse_routine(
    doc: Mapping[str, Any],
    file: str,
    exercises: Mapping[str, Exercise],
    sources: Mapping[str, str],
    path: Path | None = None,
) -> Routine:
    """A routine table checked against the exercise library; overrides merge into each dose."""
    top = _Reader(file, None, doc, sources)
    routine_id = top.text("id")
    steps = []
    tables = doc.get("step")
    if not isinstance(tables, list) or not tables:
        raise top.error("step", "a routine needs at least one [[step]]")
    for index, table in enumerate(tables, start=1):
        reader = top.child(f"step {index}", table)
        exercise_id = reader.text("exercise")
        if exercise_id not in exercises:
            known = ", ".join(exercises)
            raise reader.error("exercise", f"unknown exercise '{exercise_id}' (known: {known})")
        unknown = set(table) - {"exercise", *DOSE_FIELDS}
        if unknown:
            raise reader.error(sorted(unknown)[0], "not a step field")
        exercise = exercises[exercise_id]
        steps.append(RoutineStep(exercise, _dose(reader, base=exercise.dose)))
    return Routine(
        id=routine_id,
        name=top.text("name"),
        description=top.text("description"),
        steps=tuple(steps),
        sources=top.sources() if "source" in doc else (),
        path=path,
    )


def load_routine_file(path: Path, content: Content) -> Routine:
    """A routine file of the user's own (a physio's, say), checked like the built-in ones."""
    doc = _read_toml(path.parent, path.name)
    return parse_routine(doc, str(path), content.exercises, content.sources, path)


def _thermal(root: Path, sources: Mapping[str, str]):
    file = "thermal.toml"
    doc = _read_toml(root, file)
    rules = {}
    for kind in THERMAL_KINDS:
        reader = _Reader(file, f"[{kind}]", doc.get(kind), sources)
        cap = reader.number("cap_minutes", low=1, high=20)
        rule = ThermalRule(
            kind=kind,
            name=reader.text("name"),
            when=reader.text("when"),
            default_minutes=reader.number("default_minutes", low=1, high=cap),
            cap_minutes=cap,
            skin_check_minutes=reader.number("skin_check_minutes", low=1, high=cap),
            gap_minutes=reader.number("gap_minutes", low=1, high=24 * 60),
            how=reader.lines("how"),
            never=reader.lines("never"),
            sources=reader.sources(),
        )
        rules[kind] = rule
    contraindications = []
    for index, table in enumerate(doc.get("contraindication", []), start=1):
        reader = _Reader(file, f"contraindication {index}", table, sources)
        applies = reader.lines("applies_to")
        bad = [kind for kind in applies if kind not in THERMAL_KINDS]
        if bad:
            raise reader.error("applies_to", f"{bad[0]!r} is not one of heat, ice")
        contraindications.append(
            Contraindication(reader.text("id"), reader.text("question"), applies, reader.sources())
        )
    return rules, tuple(contraindications)


def _pain(root: Path, sources: Mapping[str, str]) -> PainScale:
    file = "pain.toml"
    doc = _read_toml(root, file)
    reader = _Reader(file, None, doc, sources)
    anchors_table = doc.get("anchors")
    if not isinstance(anchors_table, dict) or not anchors_table:
        raise reader.error("anchors", "missing")
    anchors = {}
    for key, label in anchors_table.items():
        if not key.isdigit() or not 0 <= int(key) <= 10 or not isinstance(label, str):
            raise reader.error("anchors", f"{key!r} must be a score 0-10 with a text label")
        anchors[int(key)] = label
    return PainScale(reader.text("question"), anchors, reader.sources())


def load_content(root: Path | None = None) -> Content:
    """Load and check every content file; raises ContentError on the first mistake."""
    root = root or content_dir()
    sources_doc = _read_toml(root, "sources.toml").get("sources")
    if not isinstance(sources_doc, dict) or not sources_doc:
        raise ContentError("sources.toml", None, "sources", "missing")
    sources = {key: str(value) for key, value in sources_doc.items()}

    levels, flags, ces_card = _red_flags(root, sources)
    exercises = _exercises(root, sources)
    routines: dict[str, Routine] = {}
    for path in sorted((root / "routines").glob("*.toml")):
        file = f"routines/{path.name}"
        routine = parse_routine(_read_toml(root, file), file, exercises, sources, path)
        if routine.id in routines:
            raise ContentError(file, None, "id", f"routine id '{routine.id}' used twice")
        routines[routine.id] = routine
    thermal, contraindications = _thermal(root, sources)
    education_doc = _read_toml(root, "education.toml")
    education = []
    for index, table in enumerate(education_doc.get("card", []), start=1):
        reader = _Reader("education.toml", f"card {index}", table, sources)
        education.append(_card(reader, reader.text("id")))
    return Content(
        sources=sources,
        levels=levels,
        flags=flags,
        ces_card=ces_card,
        exercises=exercises,
        routines=routines,
        thermal=thermal,
        contraindications=contraindications,
        pain=_pain(root, sources),
        education=tuple(education),
        root=root,
    )
