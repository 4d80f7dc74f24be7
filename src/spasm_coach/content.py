"""Clinical content: typed models and the loader that reads them from TOML.

The content is reviewed by clinicians as data (see data/README.md), so a mistake in a file must say
exactly where it is: every ContentError names the file, the item and the field.
"""

from __future__ import annotations

import re
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

EXERCISE_KINDS = ("stretch", "strength", "relaxation")
ROUTINE_KINDS = ("stretching", "strengthening", "relaxation")

REGION_PLACEHOLDERS = ("emergency", "urgent")
"""Filled from the chosen region in level advice and cards, so no other text names a number."""

ASK_WHEN = ("recent_session",)
"""Conditions for asking a red flag at all: 'recent_session' = only after a session in the last
`recent_session_days` days."""

FULL_CHECK_EVERY = ("day", "session")

SHORT_MAX = 60
"""Characters in a flag's `short` phrase or an exercise cue: one line in a list."""

LABEL_MAX = 12
"""Characters in a hold or rest word: the big label must fit the player at 80 columns."""

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """`text` with each {name} in `values` replaced; other placeholders are left for later."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


class ContentError(Exception):
    """A content file that can't be used, with the place of the mistake."""

    def __init__(self, file: str, item: str | None, field_name: str | None, problem: str):
        self.file, self.item, self.field, self.problem = file, item, field_name, problem
        where = (
            [file] + ([item] if item else []) + ([f"field '{field_name}'"] if field_name else [])
        )
        super().__init__(": ".join([*where, problem]))


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    """Full title with its publisher."""
    url: str
    """The public page (https), or the DOI address of a journal paper."""


@dataclass(frozen=True)
class Region:
    """Where to send people: the one place phone numbers live."""

    id: str
    name: str
    emergency: str
    """The number to call, digits only."""
    emergency_note: str | None
    """e.g. '112 also works.'"""
    urgent: str
    """Who to contact for same-day help, read after 'Get medical help today: '."""
    territories: tuple[str, ...]
    """ISO 3166-1 alpha-2 codes this region covers, for guessing it from the locale."""
    sources: tuple[str, ...]


@dataclass(frozen=True)
class LevelAdvice:
    level: Level
    title: str
    action: str
    """May hold {emergency} and {urgent}: show `for_region(...)`, never this text as it is."""
    sources: tuple[str, ...]

    def for_region(self, region: Region) -> LevelAdvice:
        return self.with_numbers(region.emergency, region.urgent)

    def with_numbers(self, emergency: str, urgent: str) -> LevelAdvice:
        """The advice with {emergency} and {urgent} filled in."""
        values = {"emergency": emergency, "urgent": urgent}
        return replace(
            self,
            title=fill_placeholders(self.title, values),
            action=fill_placeholders(self.action, values),
        )


@dataclass(frozen=True)
class RedFlag:
    id: str
    level: Level
    question: str
    short: str
    """A phrase of at most SHORT_MAX characters, for listing signs together."""
    concern: str
    sources: tuple[str, ...]
    ask_when: str | None = None
    """None: always asked; 'recent_session': only after a session in the last
    `recent_session_days` days."""
    recent_session_days: int | None = None
    answered_by_caution: str | None = None
    """A personal caution (CONDITIONS) whose answer, once given, answers this flag too."""


@dataclass(frozen=True)
class Card:
    """A short titled list of lines: the CES safety card and the education cards."""

    id: str
    title: str
    lines: tuple[str, ...]
    """May hold {emergency} and {urgent}: show `for_region(...)`."""
    sources: tuple[str, ...]

    def for_region(self, region: Region) -> Card:
        return self.with_numbers(region.emergency, region.urgent)

    def with_numbers(self, emergency: str, urgent: str) -> Card:
        """The card with {emergency} and {urgent} filled in."""
        values = {"emergency": emergency, "urgent": urgent}
        return replace(
            self,
            title=fill_placeholders(self.title, values),
            lines=tuple(fill_placeholders(line, values) for line in self.lines),
        )


@dataclass(frozen=True)
class QuickCheck:
    """The emergency signs asked together before every session; the full check is less often."""

    signs: tuple[str, ...]
    """Red-flag ids, all of emergency level, in the order they are listed."""
    signs_question: str
    anything_new_question: str
    """Holds {time}: fill it with `anything_new(...)`."""
    full_every: str
    """'day': the full check once a day (and whenever something is new or worse);
    'session': before every session."""
    rule: tuple[str, ...]
    """Why, in plain words, for the person."""
    sources: tuple[str, ...]

    def anything_new(self, time: str) -> str:
        """The 'anything new' question about the last full check, done at `time` ('09:30')."""
        return fill_placeholders(self.anything_new_question, {"time": time})


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
    kind: str = "stretch"
    """One of EXERCISE_KINDS."""
    flow: bool = False
    """Each repetition is movement in time with one breath cycle (cat-cow); False with a paced
    dose is a still hold with a slow-breathing pacer (child's pose)."""
    hold_word: str = "HOLD"
    """The big label during a hold: 'TENSE' for muscle relaxation."""
    rest_word: str = "REST"
    """The big label during a rest: 'LET GO' for muscle relaxation."""
    cues: tuple[str, ...] = ()
    """One short line per repetition (the body part to tense or notice), or none."""

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
    kind: str = "stretching"
    """One of ROUTINE_KINDS."""
    offer_when_pain_at_most: int | None = None
    """Offered only when the last pain scores are at most this; None: always offered."""

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
    sources: Mapping[str, Source]
    regions: Mapping[str, Region]
    """In file order: the order they are offered in."""
    levels: Mapping[Level, LevelAdvice]
    flags: tuple[RedFlag, ...]
    quick_check: QuickCheck
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

    def __init__(self, file: str, item: str | None, table: Any, known_sources: Mapping[str, Any]):
        if not isinstance(table, dict):
            raise ContentError(file, item, None, "expected a table")
        self.file, self.item, self.table, self.known_sources = file, item, table, known_sources

    def error(self, name: str | None, problem: str) -> ContentError:
        return ContentError(self.file, self.item, name, problem)

    def child(self, item: str, table: Any) -> _Reader:
        name = f"{self.item}: {item}" if self.item else item
        return _Reader(self.file, name, table, self.known_sources)

    def only(self, allowed: Iterable[str], what: str) -> None:
        """Refuse keys nobody reads, so a misspelt field is an error, not a silent default."""
        unknown = sorted(set(self.table) - set(allowed))
        if unknown:
            article = "an" if what[0] in "aeiou" else "a"
            raise self.error(unknown[0], f"not {article} {what} field")

    def _placeholders(self, name: str, value: str, allowed: tuple[str, ...]) -> None:
        for placeholder in _PLACEHOLDER.findall(value):
            if placeholder not in allowed:
                use = ", ".join(f"{{{known}}}" for known in allowed) or "none here"
                raise self.error(name, f"unknown placeholder {{{placeholder}}} (use: {use})")
        if "{" in _PLACEHOLDER.sub("", value) or "}" in _PLACEHOLDER.sub("", value):
            raise self.error(name, "a lone { or }: placeholders are written {name}")

    def text(self, name: str, placeholders: tuple[str, ...] = ()) -> str:
        value = self.table.get(name)
        if not isinstance(value, str) or not value.strip():
            raise self.error(name, "missing" if value is None else "expected non-empty text")
        self._placeholders(name, value, placeholders)
        return value.strip()

    def optional_text(self, name: str) -> str | None:
        return self.text(name) if name in self.table else None

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

    def flag(self, name: str, *, default: bool) -> bool:
        value = self.table.get(name, default)
        if not isinstance(value, bool):
            raise self.error(name, "expected true or false")
        return value

    def lines(
        self, name: str, placeholders: tuple[str, ...] = (), *, max_length: int | None = None
    ) -> tuple[str, ...]:
        value = self.table.get(name)
        if not isinstance(value, list) or not value:
            raise self.error(name, "missing" if value is None else "expected a list of lines")
        if not all(isinstance(line, str) and line.strip() for line in value):
            raise self.error(name, "every line must be non-empty text")
        for line in value:
            self._placeholders(name, line, placeholders)
            if max_length is not None and len(line.strip()) > max_length:
                raise self.error(name, f"{line.strip()!r} is over {max_length} characters")
        return tuple(line.strip() for line in value)

    def choice(self, name: str, allowed: Iterable[str], *, default: str | None = None) -> str:
        if default is not None and name not in self.table:
            return default
        value = self.text(name)
        allowed = tuple(allowed)
        if value not in allowed:
            raise self.error(name, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def label(self, name: str, default: str) -> str:
        """A big on-screen word: capitals, short."""
        value = self.text(name) if name in self.table else default
        if value != value.upper() or len(value) > LABEL_MAX:
            raise self.error(name, f"write it in capitals, at most {LABEL_MAX} characters")
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


def _sources(root: Path) -> dict[str, Source]:
    file = "sources.toml"
    doc = _read_toml(root, file)
    top = _Reader(file, None, doc, {})
    top.only(("sources",), "sources.toml")
    tables = doc.get("sources")
    if not isinstance(tables, dict) or not tables:
        raise top.error("sources", "missing")
    sources = {}
    for source_id, table in tables.items():
        if not isinstance(table, dict):
            raise top.error(source_id, "expected a [sources.ID] table with title and url")
        reader = top.child(f"sources.{source_id}", table)
        reader.only(("title", "url"), "source")
        url = reader.text("url")
        if not url.startswith("https://") or any(char.isspace() for char in url):
            raise reader.error("url", f"{url!r} is not an https:// address")
        sources[source_id] = Source(source_id, reader.text("title"), url)
    return sources


REGION_ID = re.compile(r"[a-z][a-z0-9_]*")
EMERGENCY_NUMBER = re.compile(r"\d{2,4}")
TERRITORY = re.compile(r"[A-Z]{2}")


def _regions(root: Path, sources: Mapping[str, Source]) -> dict[str, Region]:
    file = "regions.toml"
    doc = _read_toml(root, file)
    top = _Reader(file, None, doc, sources)
    top.only(("regions",), "regions.toml")
    tables = doc.get("regions")
    if not isinstance(tables, dict) or not tables:
        raise top.error("regions", "missing")
    regions: dict[str, Region] = {}
    owner: dict[str, str] = {}
    for region_id, table in tables.items():
        reader = top.child(f"regions.{region_id}", table)
        if not REGION_ID.fullmatch(region_id):
            raise reader.error(None, "a region id is lower-case letters, digits or _")
        reader.only(
            ("name", "emergency", "emergency_note", "urgent", "territories", "source"), "region"
        )
        emergency = reader.text("emergency")
        if not EMERGENCY_NUMBER.fullmatch(emergency):
            raise reader.error("emergency", f"{emergency!r}: give the number to dial, digits only")
        territories = reader.lines("territories")
        for territory in territories:
            if not TERRITORY.fullmatch(territory):
                raise reader.error("territories", f"{territory!r} is not an ISO 3166 code (GB)")
            if territory in owner:
                raise reader.error("territories", f"{territory} is in region '{owner[territory]}'")
            owner[territory] = region_id
        regions[region_id] = Region(
            id=region_id,
            name=reader.text("name"),
            emergency=emergency,
            emergency_note=reader.optional_text("emergency_note"),
            urgent=reader.text("urgent"),
            territories=territories,
            sources=reader.sources(),
        )
    return regions


def guess_region(content: Content, locale_name: str | None) -> str | None:
    """The region whose territories hold the locale's country ('en_AU.UTF-8' -> 'au').

    None when the locale names no country ('C', 'POSIX', unset) or one no region covers: then
    the caller asks, rather than guess a number someone might dial in an emergency.
    """
    if not locale_name:
        return None
    tag = locale_name.split(".")[0].split("@")[0]
    parts = re.split(r"[_-]", tag)[1:]
    country = next((part.upper() for part in parts if len(part) == 2 and part.isalpha()), None)
    if country is None:
        return None
    return next(
        (region.id for region in content.regions.values() if country in region.territories), None
    )


def _card(reader: _Reader, card_id: str) -> Card:
    reader.only(("id", "title", "lines", "source"), "card")
    return Card(
        card_id,
        reader.text("title", REGION_PLACEHOLDERS),
        reader.lines("lines", REGION_PLACEHOLDERS),
        reader.sources(),
    )


FLAG_FIELDS = (
    "id",
    "level",
    "question",
    "short",
    "concern",
    "source",
    "ask_when",
    "recent_session_days",
    "answered_by_caution",
)


def _flag(reader: _Reader, flag_id: str) -> RedFlag:
    reader.only(FLAG_FIELDS, "flag")
    level = Level(reader.choice("level", [lv.value for lv in Level if lv is not Level.CLEAR]))
    short = reader.text("short")
    if len(short) > SHORT_MAX:
        raise reader.error("short", f"{len(short)} characters; keep it to {SHORT_MAX}")
    ask_when = reader.choice("ask_when", ASK_WHEN) if "ask_when" in reader.table else None
    days = None
    if ask_when == "recent_session":
        days = reader.number("recent_session_days", low=1, high=90)
    elif "recent_session_days" in reader.table:
        raise reader.error("recent_session_days", 'only with ask_when = "recent_session"')
    caution = None
    if "answered_by_caution" in reader.table:
        caution = reader.choice("answered_by_caution", CONDITIONS)
    return RedFlag(
        id=flag_id,
        level=level,
        question=reader.text("question"),
        short=short,
        concern=reader.text("concern"),
        sources=reader.sources(),
        ask_when=ask_when,
        recent_session_days=days,
        answered_by_caution=caution,
    )


def _quick_check(reader: _Reader, flags: Iterable[RedFlag]) -> QuickCheck:
    reader.only(
        (
            "signs",
            "signs_question",
            "anything_new_question",
            "full_every",
            "rule",
            "source",
        ),
        "quick_check",
    )
    by_id = {flag.id: flag for flag in flags}
    signs = reader.lines("signs")
    for sign in signs:
        if sign not in by_id:
            raise reader.error("signs", f"unknown red-flag id '{sign}'")
        if by_id[sign].level is not Level.EMERGENCY:
            raise reader.error("signs", f"'{sign}' is {by_id[sign].level}, not emergency")
        if signs.count(sign) > 1:
            raise reader.error("signs", f"'{sign}' is listed twice")
    return QuickCheck(
        signs=signs,
        signs_question=reader.text("signs_question"),
        anything_new_question=reader.text("anything_new_question", ("time",)),
        full_every=reader.choice("full_every", FULL_CHECK_EVERY),
        rule=reader.lines("rule"),
        sources=reader.sources(),
    )


def _red_flags(root: Path, sources: Mapping[str, Source]):
    file = "red_flags.toml"
    doc = _read_toml(root, file)
    top = _Reader(file, None, doc, sources)
    top.only(("levels", "flag", "quick_check", "ces_card"), "red_flags.toml")
    level_tables = doc.get("levels")
    if not isinstance(level_tables, dict):
        raise top.error("levels", "missing")
    unknown_levels = sorted(set(level_tables) - {level.value for level in Level})
    if unknown_levels:
        raise top.error("levels", f"'{unknown_levels[0]}' is not a level")
    levels = {}
    for level in Level:
        reader = top.child(f"levels.{level}", level_tables.get(level.value))
        reader.only(("title", "action", "source"), "level")
        levels[level] = LevelAdvice(
            level,
            reader.text("title", REGION_PLACEHOLDERS),
            reader.text("action", REGION_PLACEHOLDERS),
            reader.sources(),
        )
    flags: list[RedFlag] = []
    for index, table in enumerate(doc.get("flag", []), start=1):
        flag_id = top.child(f"flag {index}", table).text("id")
        reader = top.child(f"flag '{flag_id}'", table)
        if any(flag.id == flag_id for flag in flags):
            raise reader.error("id", "used twice")
        flags.append(_flag(reader, flag_id))
    if not flags:
        raise top.error("flag", "no red flags defined")
    quick_check = _quick_check(top.child("quick_check", doc.get("quick_check")), flags)
    ces = _card(top.child("ces_card", doc.get("ces_card")), "ces_card")
    return levels, tuple(flags), quick_check, ces


def _dose(reader: _Reader, base: Dose | None = None) -> Dose:
    """A dose table, or a routine step's overrides merged into `base`; both checked alike."""
    values: dict[str, Any] = {}
    for name in DOSE_FIELDS:
        if name not in reader.table:
            continue
        if name == "sided":
            values[name] = reader.flag(name, default=False)
        else:
            low = 0 if name in ("rest_seconds", "prepare_seconds") else 1
            values[name] = reader.number(name, low=low, high=600 if name != "repetitions" else 50)
    if base is not None:
        dose = replace(base, **values)
    else:
        reader.only(DOSE_FIELDS, "dose")
        for required in ("hold_seconds", "repetitions"):
            if required not in values:
                raise reader.error(required, "missing")
        dose = Dose(**values)
    if (dose.breath_in_seconds is None) != (dose.breath_out_seconds is None):
        raise reader.error(
            "breath_out_seconds", "give both breath_in_seconds and breath_out_seconds"
        )
    return dose


def _is_one_breath(dose: Dose) -> bool:
    return dose.paced and dose.hold_seconds == dose.breath_in_seconds + dose.breath_out_seconds


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


EXERCISE_FIELDS = (
    "id",
    "name",
    "kind",
    "summary",
    "start_position",
    "movement",
    "feel",
    "stop_if",
    "source",
    "figure",
    "dose",
    "caution",
    "flow",
    "hold_word",
    "rest_word",
    "cues",
)


def _caution(reader: _Reader) -> Caution:
    reader.only(("condition", "advice", "action", "modified", "source"), "caution")
    action = reader.choice("action", ("modify", "skip"))
    if action == "skip" and "modified" in reader.table:
        raise reader.error("modified", 'only with action = "modify"')
    return Caution(
        condition=reader.choice("condition", CONDITIONS),
        advice=reader.text("advice"),
        action=action,
        modified=reader.text("modified") if action == "modify" else None,
        sources=reader.sources(),
    )


def _exercise(reader: _Reader, exercise_id: str) -> Exercise:
    reader.only(EXERCISE_FIELDS, "exercise")
    cautions = tuple(
        _caution(reader.child(f"caution {index}", table))
        for index, table in enumerate(reader.table.get("caution", []), start=1)
    )
    dose = _dose(reader.child("dose", reader.table.get("dose")))
    flow = reader.flag("flow", default=False)
    if flow and not _is_one_breath(dose):
        raise reader.error(
            "flow",
            "a flow exercise needs a paced dose whose hold_seconds is one breath "
            "(breath_in_seconds + breath_out_seconds)",
        )
    cues = reader.lines("cues", max_length=SHORT_MAX) if "cues" in reader.table else ()
    if cues and len(cues) != dose.repetitions:
        raise reader.error(
            "cues", f"{len(cues)} cues for {dose.repetitions} repetitions: give one a repetition"
        )
    return Exercise(
        id=exercise_id,
        name=reader.text("name"),
        summary=reader.text("summary"),
        start_position=reader.lines("start_position"),
        movement=reader.lines("movement"),
        feel=reader.text("feel"),
        stop_if=reader.lines("stop_if"),
        dose=dose,
        cautions=cautions,
        figure=_figure(reader, reader.table.get("figure", [])),
        sources=reader.sources(),
        kind=reader.choice("kind", EXERCISE_KINDS, default="stretch"),
        flow=flow,
        hold_word=reader.label("hold_word", "HOLD"),
        rest_word=reader.label("rest_word", "REST"),
        cues=cues,
    )


def _exercises(root: Path, sources: Mapping[str, Source]) -> dict[str, Exercise]:
    file = "exercises.toml"
    doc = _read_toml(root, file)
    _Reader(file, None, doc, sources).only(("exercise",), "exercises.toml")
    exercises: dict[str, Exercise] = {}
    for index, table in enumerate(doc.get("exercise", []), start=1):
        exercise_id = _Reader(file, f"exercise {index}", table, sources).text("id")
        reader = _Reader(file, f"exercise '{exercise_id}'", table, sources)
        if exercise_id in exercises:
            raise reader.error("id", "used twice")
        exercises[exercise_id] = _exercise(reader, exercise_id)
    if not exercises:
        raise ContentError(file, None, "exercise", "no exercises defined")
    return exercises


ROUTINE_FIELDS = ("id", "name", "kind", "description", "source", "offer_when_pain_at_most", "step")


def _step(reader: _Reader, exercises: Mapping[str, Exercise]) -> RoutineStep:
    exercise_id = reader.text("exercise")
    if exercise_id not in exercises:
        known = ", ".join(exercises)
        raise reader.error("exercise", f"unknown exercise '{exercise_id}' (known: {known})")
    reader.only(("exercise", *DOSE_FIELDS), "step")
    exercise = exercises[exercise_id]
    dose = _dose(reader, base=exercise.dose)
    if exercise.flow and not _is_one_breath(dose):
        raise reader.error(
            "hold_seconds",
            f"'{exercise_id}' moves with the breath: hold_seconds must be one breath "
            f"({exercise.dose.breath_in_seconds} + {exercise.dose.breath_out_seconds} s)",
        )
    if exercise.cues and dose.repetitions > len(exercise.cues):
        raise reader.error(
            "repetitions",
            f"'{exercise_id}' has {len(exercise.cues)} cues, one a repetition: "
            f"{dose.repetitions} is too many",
        )
    return RoutineStep(exercise, dose)


def parse_routine(
    doc: Mapping[str, Any],
    file: str,
    exercises: Mapping[str, Exercise],
    sources: Mapping[str, Source],
    path: Path | None = None,
) -> Routine:
    """A routine table checked against the exercise library; overrides merge into each dose."""
    top = _Reader(file, None, doc, sources)
    top.only(ROUTINE_FIELDS, "routine")
    routine_id = top.text("id")
    tables = doc.get("step")
    if not isinstance(tables, list) or not tables:
        raise top.error("step", "a routine needs at least one [[step]]")
    steps = tuple(
        _step(top.child(f"step {index}", table), exercises)
        for index, table in enumerate(tables, start=1)
    )
    offer_at_most = None
    if "offer_when_pain_at_most" in doc:
        offer_at_most = top.number("offer_when_pain_at_most", low=0, high=10)
        if "source" not in doc:
            raise top.error("source", "cite the source of offer_when_pain_at_most")
    return Routine(
        id=routine_id,
        name=top.text("name"),
        description=top.text("description"),
        steps=steps,
        sources=top.sources() if "source" in doc else (),
        path=path,
        kind=top.choice("kind", ROUTINE_KINDS, default="stretching"),
        offer_when_pain_at_most=offer_at_most,
    )


def load_routine_file(path: Path, content: Content) -> Routine:
    """A routine file of the user's own (a physio's, say), checked like the built-in ones."""
    doc = _read_toml(path.parent, path.name)
    return parse_routine(doc, str(path), content.exercises, content.sources, path)


def _thermal(root: Path, sources: Mapping[str, Source]):
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


def _pain(root: Path, sources: Mapping[str, Source]) -> PainScale:
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


def _education(root: Path, sources: Mapping[str, Source]) -> tuple[Card, ...]:
    file = "education.toml"
    doc = _read_toml(root, file)
    _Reader(file, None, doc, sources).only(("card",), "education.toml")
    cards: list[Card] = []
    for index, table in enumerate(doc.get("card", []), start=1):
        card_id = _Reader(file, f"card {index}", table, sources).text("id")
        reader = _Reader(file, f"card '{card_id}'", table, sources)
        if any(card.id == card_id for card in cards):
            raise reader.error("id", "used twice")
        cards.append(_card(reader, card_id))
    return tuple(cards)


def load_content(root: Path | None = None) -> Content:
    """Load and check every content file; raises ContentError on the first mistake."""
    root = root or content_dir()
    sources = _sources(root)
    regions = _regions(root, sources)
    levels, flags, quick_check, ces_card = _red_flags(root, sources)
    exercises = _exercises(root, sources)
    routines: dict[str, Routine] = {}
    for path in sorted((root / "routines").glob("*.toml")):
        file = f"routines/{path.name}"
        routine = parse_routine(_read_toml(root, file), file, exercises, sources, path)
        if routine.id in routines:
            raise ContentError(file, None, "id", f"routine id '{routine.id}' used twice")
        routines[routine.id] = routine
    thermal, contraindications = _thermal(root, sources)
    return Content(
        sources=sources,
        regions=regions,
        levels=levels,
        flags=flags,
        quick_check=quick_check,
        ces_card=ces_card,
        exercises=exercises,
        routines=routines,
        thermal=thermal,
        contraindications=contraindications,
        pain=_pain(root, sources),
        education=_education(root, sources),
        root=root,
    )
