"""Clinical content: typed models and the loader that reads them from TOML.

The content is reviewed by clinicians as data (see data/README.md), so a mistake in a file must say
exactly where it is: every ContentError names the file, the item and the field. The built-in
content stops at its first mistake; a physiotherapist's own routine file (docs/routines.md) is
checked in full, every problem with its line, so one run of `routines validate` finds them all.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from spasm_coach.guard import CONTROL
from spasm_coach.paths import PathMistake, content_dir, expand_home
from spasm_coach.poses import OPTIONAL_POINTS, POINTS, Body, ExercisePoses, Point, Pose
from spasm_coach.vocabulary import CONDITIONS, Level, ThermalKind

THERMAL_KINDS: tuple[str, ...] = tuple(ThermalKind)

EXERCISE_KINDS = ("stretch", "strength", "relaxation")
ROUTINE_KINDS = ("stretching", "strengthening", "relaxation")

REGION_PLACEHOLDERS = ("emergency", "emergency_place", "doctor", "urgent")
"""Filled from the chosen region in level advice, actions and cards, so no other text names a
number or a service: {emergency} the number to dial, {emergency_place} where to go ("A&E", "the
emergency room"), {doctor} ("your GP", "your doctor"), {urgent} where to get same-day help."""

ASK_WHEN = ("recent_session",)
"""Conditions for asking a red flag at all: 'recent_session' = only after a session in the last
`recent_session_days` days."""

FULL_CHECK_EVERY = ("day", "session")

SHORT_MAX = 60
"""Characters in a flag's `short` phrase or an exercise cue: one line in a list."""

LABEL_MAX = 12
"""Characters in a hold or rest word: the big label must fit the player at 80 columns."""

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

SUGGEST_CUTOFF = 0.7
"""How alike a misspelt key or id must be to a known one to be offered ('cat_cows' -> 'cat_cow',
but not 'side' -> 'id')."""


def _closest(word: str, known: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=SUGGEST_CUTOFF)
    return close[0] if close else None


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """`text` with each {name} in `values` replaced; other placeholders are left for later."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


Place = tuple[str | int, ...]
"""Where a table sits in its file, as TOML headers name it: ("step", 2) is the second [[step]],
("exercise", 1, "dose") the [exercise.dose] of the first [[exercise]]; () is the top level."""


class ContentError(Exception):
    """A content file that can't be used, with the place of the mistake."""

    def __init__(
        self,
        file: str,
        item: str | None,
        field_name: str | None,
        problem: str,
        *,
        place: Place = (),
        suggestion: str | None = None,
    ):
        self.file, self.item, self.field, self.problem = file, item, field_name, problem
        self.place = place
        self.suggestion = suggestion
        """For a misspelt key, the known key it is closest to."""
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

    @property
    def short_title(self) -> str:
        """The title up to its first ': ', ' (' or '. ' (publisher and page name), for lists on
        paper where the full title would not fit."""
        cut = min(
            (index for mark in (": ", " (", ". ") if (index := self.title.find(mark)) > 0),
            default=len(self.title),
        )
        return self.title[:cut].rstrip(".")


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
    emergency_place: str = "the emergency department"
    """Where to go in an emergency, as the region says it: 'A&E', 'the emergency room'."""
    doctor: str = "your doctor"
    """The doctor a person books: 'your GP', 'your doctor'."""
    service_names: tuple[str, ...] = ()
    """This region's own words for its services and numbers ('A&E', 'NHS 111', 'healthdirect'):
    no other region's person may see them (the tests check every face)."""

    @property
    def words(self) -> dict[str, str]:
        """The region's words for the placeholders of REGION_PLACEHOLDERS."""
        return {
            "emergency": self.emergency,
            "emergency_place": self.emergency_place,
            "doctor": self.doctor,
            "urgent": self.urgent,
        }


@dataclass(frozen=True)
class LevelAdvice:
    level: Level
    title: str
    action: str
    """May hold {emergency} and {urgent}: show `for_region(...)`, never this text as it is."""
    sources: tuple[str, ...]

    def for_region(self, region: Region) -> LevelAdvice:
        return self.with_words(region.words)

    def with_words(self, words: Mapping[str, str]) -> LevelAdvice:
        """The advice with the region's words (REGION_PLACEHOLDERS) filled in."""
        return replace(
            self,
            title=fill_placeholders(self.title, words),
            action=fill_placeholders(self.action, words),
        )


@dataclass(frozen=True)
class Action:
    """What to do for a sign, when its level's advice is not specific enough: an ambulance for
    chest pain, A&E for the cauda-equina signs, the maternity unit in pregnancy."""

    id: str
    title: str
    """The first thing the card says, in a few words: 'Call {emergency} for an ambulance now'."""
    lines: tuple[str, ...]
    """Then what to do, in order."""
    sources: tuple[str, ...]
    level: Level
    """The level of the flags that may use it."""
    big: str | None = None
    """Shown in block letters before anything else ('CALL {emergency}'); None for none."""

    def for_region(self, region: Region) -> Action:
        return self.with_words(region.words)

    def with_words(self, words: Mapping[str, str]) -> Action:
        """The action with the region's words filled in."""
        return replace(
            self,
            title=fill_placeholders(self.title, words),
            lines=tuple(fill_placeholders(line, words) for line in self.lines),
            big=None if self.big is None else fill_placeholders(self.big, words),
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
    action: str | None = None
    """The id of the Action a yes calls for; None: the level's own advice."""
    ask_if_yes: str | None = None
    """Asked only when this other flag is yes (known, or answered so in the same check):
    the pregnancy warning signs, only in pregnancy."""
    once_a_day: bool = False
    """Asked in a full check at most once a day: a slow-changing sign a second full check the
    same day carries over from the first."""


@dataclass(frozen=True)
class Card:
    """A short titled list of lines: the CES safety card and the education cards."""

    id: str
    title: str
    lines: tuple[str, ...]
    """May hold {emergency} and {urgent}: show `for_region(...)`."""
    sources: tuple[str, ...]

    def for_region(self, region: Region) -> Card:
        return self.with_words(region.words)

    def with_words(self, words: Mapping[str, str]) -> Card:
        """The card with the region's words (REGION_PLACEHOLDERS) filled in."""
        return replace(
            self,
            title=fill_placeholders(self.title, words),
            lines=tuple(fill_placeholders(line, words) for line in self.lines),
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


SIDES = ("left", "right")
"""The sides of a sided exercise, in the order they are done."""


@dataclass(frozen=True)
class Dose:
    hold_seconds: int
    repetitions: int
    sided: bool = False
    rest_seconds: int = 0
    prepare_seconds: int = 5
    breath_in_seconds: int | None = None
    breath_out_seconds: int | None = None
    only_side: str | None = None
    """'left' or 'right': a sided exercise done on that side only (a routine step's `side`)."""

    def __post_init__(self) -> None:
        if self.only_side is not None and (not self.sided or self.only_side not in SIDES):
            raise ValueError(f"only_side {self.only_side!r} needs a sided dose and left or right")

    @property
    def sides(self) -> tuple[str, ...]:
        """The sides in the order they are done: '' for an exercise done once."""
        if not self.sided:
            return ("",)
        return (self.only_side,) if self.only_side else SIDES

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


DOSE_FIELDS = tuple(f.name for f in fields(Dose) if f.name != "only_side")
"""The keys of a dose table, and of a routine step's overrides (a step says `side`, not
`only_side`)."""


@dataclass(frozen=True)
class SourceDose:
    """The dose one source states for an exercise: [lowest, highest] of each, or None when it
    says nothing about that part."""

    hold_seconds: tuple[int, int] | None
    repetitions: tuple[int, int] | None

    def holds(self, dose: Dose) -> bool:
        """The dose is within what this source states."""
        return all(
            bounds is None or bounds[0] <= value <= bounds[1]
            for bounds, value in (
                (self.hold_seconds, dose.hold_seconds),
                (self.repetitions, dose.repetitions),
            )
        )


@dataclass(frozen=True)
class DoseRange:
    """The usual doses of an exercise in its sources: a routine outside them gets a warning."""

    hold_seconds: tuple[int, int] | None
    repetitions: tuple[int, int] | None
    """Per side, for a sided exercise."""
    sources: tuple[str, ...]
    says: Mapping[str, SourceDose] = field(default_factory=dict)
    """What each cited source states, by source id (the built-in library gives one for each)."""
    follows: str | None = None
    """Where sources differ: the id of the source the default dose follows."""
    follows_why: str | None = None
    """Why, in one line for a clinician: printed on the handout beside the dose."""


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
    dose_range: DoseRange | None = None
    """The usual doses in the sources; None for a physio's own exercise that gives none."""
    poses: ExercisePoses | None = None
    """Its positions (data/poses.toml), drawn everywhere; None for a physio's own exercise,
    which shows its ASCII `figure` instead."""

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
    sessions_per_day: int | None = None
    """How many sessions a day the plan asks for; None: Content.sessions_per_day."""

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
class SpokenWords:
    """What a session says aloud, from data/spoken.toml: each line with its {placeholders}."""

    exercise: str
    hold: str
    repetition: str
    breath: str
    breathe_in: str
    breathe_out: str
    rest: str
    count: str
    count_from: int
    """The last this many seconds of a still hold are counted aloud..."""
    count_holds_from: int
    """...in a hold of at least this many seconds."""
    done: str
    side: Mapping[str, str]
    """'left' / 'right' -> 'Left side.'"""
    switch_side: Mapping[str, str]


@dataclass(frozen=True)
class Content:
    sources: Mapping[str, Source]
    regions: Mapping[str, Region]
    """In file order: the order they are offered in."""
    levels: Mapping[Level, LevelAdvice]
    actions: Mapping[str, Action]
    """In file order, which is their priority (the ambulance first)."""
    flags: tuple[RedFlag, ...]
    quick_check: QuickCheck
    ces_card: Card
    exercises: Mapping[str, Exercise]
    routines: Mapping[str, Routine]
    thermal: Mapping[str, ThermalRule]
    contraindications: tuple[Contraindication, ...]
    pain: PainScale
    education: tuple[Card, ...]
    spoken: SpokenWords
    sessions_per_day: int = 3
    """Sessions a day for a routine that doesn't say (data/defaults.toml)."""
    changes: tuple[Change, ...] = ()
    """What changed in the advice and why (sources.toml [[change]])."""
    root: Path = field(compare=False, default=Path("."))

    def planned_per_day(self, routine: Routine | None) -> int:
        """The sessions a day a routine plans: its own number, or the default in data/."""
        if routine is not None and routine.sessions_per_day is not None:
            return routine.sessions_per_day
        return self.sessions_per_day

    @cached_property
    def flags_by_id(self) -> dict[str, RedFlag]:
        return {flag.id: flag for flag in self.flags}

    def sources_for(self, region: Region | None) -> list[Source]:
        """The sources a person in `region` is shown: every one, except those cited only for
        another region's numbers (no one sees another region's services or numbers)."""
        cited_here = set(region.sources) if region is not None else set()
        regional = {source for other in self.regions.values() for source in other.sources}
        only_regional = regional - self.cited_for_advice
        return [
            source
            for source in self.sources.values()
            if region is None or source.id not in only_regional or source.id in cited_here
        ]

    def changes_for(self, region: Region | None) -> list[Change]:
        """What changed and why, each citing only the sources `region`'s person is shown."""
        shown = {source.id for source in self.sources_for(region)}
        return [
            replace(change, sources=tuple(s for s in change.sources if s in shown))
            for change in self.changes
        ]

    @cached_property
    def cited_for_advice(self) -> frozenset[str]:
        """Every source id the advice cites, leaving out the regions' own."""
        cited: list[str] = [*self.quick_check.sources, *self.ces_card.sources, *self.pain.sources]
        for level in self.levels.values():
            cited += level.sources
        for action in self.actions.values():
            cited += action.sources
        for flag in self.flags:
            cited += flag.sources
        for exercise in self.exercises.values():
            cited += exercise.sources
            cited += [source for caution in exercise.cautions for source in caution.sources]
            if exercise.dose_range is not None:
                cited += exercise.dose_range.sources
        for routine in self.routines.values():
            cited += routine.sources
        for rule in self.thermal.values():
            cited += rule.sources
        for item in self.contraindications:
            cited += item.sources
        for card in self.education:
            cited += card.sources
        return frozenset(cited)


class _Reader:
    """Reads one TOML table and reports mistakes with its file and item."""

    def __init__(
        self,
        file: str,
        item: str | None,
        table: Any,
        known_sources: Mapping[str, Any],
        place: Place = (),
    ):
        if not isinstance(table, dict):
            raise ContentError(file, item, None, "expected a table", place=place)
        self.file, self.item, self.table, self.known_sources = file, item, table, known_sources
        self.place = place

    def error(self, name: str | None, problem: str) -> ContentError:
        return ContentError(self.file, self.item, name, problem, place=self.place)

    def child(self, item: str, table: Any, *place: str | int) -> _Reader:
        """The reader of a table inside this one; `place` continues this one's place."""
        name = f"{self.item}: {item}" if self.item else item
        return _Reader(self.file, name, table, self.known_sources, self.place + place)

    def unknown(self, allowed: Iterable[str], what: str) -> list[ContentError]:
        """Every key nobody reads, in file order, each with the known key it is closest to."""
        allowed = tuple(allowed)
        article = "an" if what[0] in "aeiou" else "a"
        errors = []
        for key in self.table:
            if key in allowed:
                continue
            close = _closest(key, allowed)
            hint = f"; did you mean '{close}'?" if close else ""
            error = self.error(key, f"not {article} {what} field{hint}")
            error.suggestion = close
            errors.append(error)
        return errors

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

    def _plain(self, name: str, value: str) -> None:
        """No control characters (a terminal escape in a routine file could restyle or clear
        the screen); line breaks and tabs are fine."""
        control = CONTROL.search(value)
        if control:
            raise self.error(name, f"control character U+{ord(control.group()):04X}: remove it")

    def text(self, name: str, placeholders: tuple[str, ...] = ()) -> str:
        value = self.table.get(name)
        if not isinstance(value, str) or not value.strip():
            raise self.error(name, "missing" if value is None else "expected non-empty text")
        self._plain(name, value)
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
            self._plain(name, line)
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


@dataclass(frozen=True)
class Change:
    """A change to the advice, in words, with the sources behind it: shown where the sources
    are, so a person or a clinician can see what changed and why."""

    text: str
    sources: tuple[str, ...]


def _changes(root: Path, sources: Mapping[str, Source]) -> tuple[Change, ...]:
    file = "sources.toml"
    doc = _read_toml(root, file)
    changes = []
    for index, table in enumerate(doc.get("change", []), start=1):
        reader = _Reader(file, f"change {index}", table, sources)
        reader.only(("text", "source"), "change")
        changes.append(Change(reader.text("text"), reader.sources()))
    return tuple(changes)


def _sources(root: Path) -> dict[str, Source]:
    file = "sources.toml"
    doc = _read_toml(root, file)
    top = _Reader(file, None, doc, {})
    top.only(("sources", "change"), "sources.toml")
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
        reader.only(REGION_FIELDS, "region")
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
        region = Region(
            id=region_id,
            name=reader.text("name"),
            emergency=emergency,
            emergency_note=reader.optional_text("emergency_note"),
            urgent=reader.text("urgent"),
            territories=territories,
            sources=reader.sources(),
            emergency_place=reader.text("emergency_place"),
            doctor=reader.text("doctor"),
            service_names=reader.lines("service_names"),
        )
        own_words = " ".join([*region.words.values(), region.emergency_note or ""])
        for name in (region.emergency, *region.service_names):
            if name not in own_words:
                raise reader.error("service_names", f"{name!r} is not in this region's words")
        regions[region_id] = region
    return regions


REGION_FIELDS = (
    "name",
    "emergency",
    "emergency_note",
    "emergency_place",
    "doctor",
    "urgent",
    "service_names",
    "territories",
    "source",
)


LOCALE_VARIABLES = ("LC_ALL", "LC_TELEPHONE", "LC_MESSAGES", "LANG")
"""Where a locale names the person's country, in the order POSIX gives them weight (the
telephone category is the one about phone numbers)."""


def environment_locale(environ: Mapping[str, str]) -> str | None:
    """The locale the environment sets, as written ('en_AU.UTF-8'); None when none is set.

    Read from the variables themselves: Python's locale.getlocale() turns C.UTF-8 into en_US,
    which would suggest a US emergency number to anyone whose system has no locale set up.
    """
    return next((environ[name] for name in LOCALE_VARIABLES if environ.get(name)), None)


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
    "action",
    "ask_if_yes",
    "once_a_day",
)


def _flag(
    reader: _Reader, flag_id: str, actions: Mapping[str, Action], earlier: Mapping[str, RedFlag]
) -> RedFlag:
    """One [[flag]]: its action must exist and suit its level (every emergency sign names one,
    so the card says ambulance or A&E); `ask_if_yes` names an earlier flag."""
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
    action = reader.choice("action", actions) if "action" in reader.table else None
    if action is None and level is Level.EMERGENCY:
        raise reader.error("action", "an emergency sign says what to do: give its action")
    if action is not None and actions[action].level is not level:
        raise reader.error("action", f"'{action}' is for {actions[action].level} signs")
    ask_if_yes = reader.text("ask_if_yes") if "ask_if_yes" in reader.table else None
    if ask_if_yes is not None and ask_if_yes not in earlier:
        raise reader.error("ask_if_yes", f"'{ask_if_yes}' is not a flag asked before this one")
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
        action=action,
        ask_if_yes=ask_if_yes,
        once_a_day=reader.flag("once_a_day", default=False),
    )


def _actions(top: _Reader, tables: Any) -> dict[str, Action]:
    """[actions.<id>], in file order: the order is their priority when signs call for two."""
    if not isinstance(tables, dict):
        raise top.error("actions", "missing")
    actions = {}
    for action_id, table in tables.items():
        reader = top.child(f"actions.{action_id}", table)
        reader.only(("level", "title", "big", "lines", "source"), "action")
        level = Level(reader.choice("level", [lv.value for lv in Level if lv is not Level.CLEAR]))
        big = reader.text("big", REGION_PLACEHOLDERS) if "big" in reader.table else None
        actions[action_id] = Action(
            id=action_id,
            title=reader.text("title", REGION_PLACEHOLDERS),
            lines=reader.lines("lines", REGION_PLACEHOLDERS),
            sources=reader.sources(),
            level=level,
            big=big,
        )
    return actions


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


def _red_flags(root: Path, sources: Mapping[str, Source]) -> RedFlagContent:
    file = "red_flags.toml"
    doc = _read_toml(root, file)
    top = _Reader(file, None, doc, sources)
    top.only(("levels", "actions", "flag", "quick_check", "ces_card"), "red_flags.toml")
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
    actions = _actions(top, doc.get("actions"))
    flags: dict[str, RedFlag] = {}
    for index, table in enumerate(doc.get("flag", []), start=1):
        flag_id = top.child(f"flag {index}", table).text("id")
        reader = top.child(f"flag '{flag_id}'", table)
        if flag_id in flags:
            raise reader.error("id", "used twice")
        flags[flag_id] = _flag(reader, flag_id, actions, flags)
    if not flags:
        raise top.error("flag", "no red flags defined")
    quick_check = _quick_check(top.child("quick_check", doc.get("quick_check")), flags.values())
    ces = _card(top.child("ces_card", doc.get("ces_card")), "ces_card")
    return RedFlagContent(levels, actions, tuple(flags.values()), quick_check, ces)


@dataclass(frozen=True)
class RedFlagContent:
    """Everything red_flags.toml holds."""

    levels: dict[Level, LevelAdvice]
    actions: dict[str, Action]
    flags: tuple[RedFlag, ...]
    quick_check: QuickCheck
    ces_card: Card


_T = TypeVar("_T")


class _Problems:
    """Mistakes gathered instead of raised, so one run can report every one of them.

    The built-in content raises the first; a routine file reports them all.
    """

    def __init__(self) -> None:
        self.errors: list[ContentError] = []
        self.warnings: list[ContentError] = []

    @property
    def count(self) -> int:
        return len(self.errors)

    def add(self, *errors: ContentError) -> None:
        self.errors.extend(errors)

    def take(self, read: Callable[..., _T], *args: Any, **kwargs: Any) -> _T | None:
        """`read(...)`, or None with its mistake noted."""
        try:
            return read(*args, **kwargs)
        except ContentError as error:
            self.errors.append(error)
            return None


def _taken(value: _T | None) -> _T:
    """A value `_Problems.take` read, for building an item. An item is only built when no mistake
    was noted since it began, and `take` gives None only with a mistake noted, so the value is
    always there: None here is a mistake in this module, never in the file being read."""
    if value is None:
        raise RuntimeError("an item was built from a value that could not be read")
    return value


HOLD_MAX_SECONDS = 120
"""A hold longer than this is refused: the clinical reference's longest hold is 60 s."""
REPETITIONS_MAX = 30
"""More repetitions than this are refused (per side): the reference's most is 10-15."""
SESSION_MAX_SECONDS = 60 * 60
"""A routine longer than this is refused: the reference's sessions take a few minutes."""

DOSE_LIMITS = {
    "hold_seconds": (1, HOLD_MAX_SECONDS),
    "repetitions": (1, REPETITIONS_MAX),
    "rest_seconds": (0, 600),
    "prepare_seconds": (0, 600),
    "breath_in_seconds": (1, 600),
    "breath_out_seconds": (1, 600),
}
"""Whole-number dose fields: (lowest, highest) accepted anywhere, built in or a physio's."""

_REFUSED = {
    "hold_seconds": lambda value: (
        f"a {value} s hold is refused: hold for at most {HOLD_MAX_SECONDS} s"
    ),
    "repetitions": lambda value: (
        f"{value} repetitions are refused: at most {REPETITIONS_MAX} (each side, if sided)"
    ),
}
"""Messages for a dose over the limit that a physio might type on purpose (600 for 60)."""


def _dose_number(reader: _Reader, problems: _Problems, name: str) -> int | None:
    """A whole-number dose field; one over a refused limit is noted but still returned, so the
    whole routine's length can be worked out and reported too."""
    low, high = DOSE_LIMITS[name]
    value = reader.table.get(name)
    if name in _REFUSED and isinstance(value, int) and not isinstance(value, bool) and value > high:
        problems.add(reader.error(name, _REFUSED[name](value)))
        return value
    return problems.take(reader.number, name, low=low, high=high)


def _dose(reader: _Reader, problems: _Problems, base: Dose | None = None) -> Dose | None:
    """A dose table, or a routine step's overrides merged into `base`; both checked alike.

    None when a value can't be read at all."""
    values: dict[str, Any] = {}
    for name in DOSE_FIELDS:
        if name not in reader.table:
            continue
        if name == "sided":
            values[name] = problems.take(reader.flag, name, default=False)
        else:
            values[name] = _dose_number(reader, problems, name)
    if base is None:
        problems.add(*reader.unknown(DOSE_FIELDS, "dose"))
        missing = [name for name in ("hold_seconds", "repetitions") if name not in values]
        problems.add(*(reader.error(name, "missing") for name in missing))
        if missing:
            return None
    if any(value is None for value in values.values()):
        return None
    dose = replace(base, **values) if base is not None else Dose(**values)
    if (dose.breath_in_seconds is None) != (dose.breath_out_seconds is None):
        problems.add(
            reader.error("breath_out_seconds", "give both breath_in_seconds and breath_out_seconds")
        )
        return None
    return dose


def _is_one_breath(dose: Dose) -> bool:
    breath_in, breath_out = dose.breath_in_seconds, dose.breath_out_seconds
    return (
        breath_in is not None
        and breath_out is not None
        and dose.hold_seconds == breath_in + breath_out
    )


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
        if not frame.isascii() or CONTROL.search(frame.replace("\t", " ")):
            raise reader.error("figure", "use plain ASCII characters")
    return trimmed


def _cited(reader: _Reader, *, cite: bool) -> tuple[str, ...]:
    """The source ids: required in the built-in content, optional in a physio's own file (which
    is its own authority), and known ids from sources.toml wherever they are given."""
    if not cite and "source" not in reader.table:
        return ()
    return reader.sources()


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
    "dose_range",
    "caution",
    "flow",
    "hold_word",
    "rest_word",
    "cues",
)
CAUTION_FIELDS = ("condition", "advice", "action", "modified", "source")
DOSE_RANGE_FIELDS = ("hold_seconds", "repetitions", "source", "says", "follows", "follows_why")


def _caution(reader: _Reader, problems: _Problems, *, cite: bool) -> Caution | None:
    start = problems.count
    problems.add(*reader.unknown(CAUTION_FIELDS, "caution"))
    action = problems.take(reader.choice, "action", ("modify", "skip"))
    if action == "skip" and "modified" in reader.table:
        problems.add(reader.error("modified", 'only with action = "modify"'))
    condition = problems.take(reader.choice, "condition", CONDITIONS)
    advice = problems.take(reader.text, "advice")
    modified = problems.take(reader.text, "modified") if action == "modify" else None
    sources = problems.take(_cited, reader, cite=cite)
    if problems.count != start:
        return None
    return Caution(
        condition=_taken(condition),
        advice=_taken(advice),
        action=_taken(action),
        modified=modified,
        sources=_taken(sources),
    )


def _bounds(reader: _Reader, name: str) -> tuple[int, int]:
    low, high = DOSE_LIMITS[name]
    value = reader.table[name]
    whole = isinstance(value, list) and all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    )
    if not whole or len(value) != 2 or not low <= value[0] <= value[1] <= high:
        raise reader.error(
            name, f"expected [lowest, highest]: whole numbers from {low} to {high}, lowest first"
        )
    return value[0], value[1]


def _dose_range(reader: _Reader, problems: _Problems, *, cite: bool) -> DoseRange | None:
    start = problems.count
    problems.add(*reader.unknown(DOSE_RANGE_FIELDS, "dose_range"))
    bounds = {
        name: problems.take(_bounds, reader, name)
        for name in ("hold_seconds", "repetitions")
        if name in reader.table
    }
    if not bounds:
        problems.add(reader.error(None, "give hold_seconds, repetitions or both"))
    sources = problems.take(_cited, reader, cite=cite)
    says = _source_doses(reader, problems)
    follows = why = None
    if "follows" in reader.table:
        follows = problems.take(reader.choice, "follows", says)
        why = problems.take(reader.text, "follows_why")
    elif "follows_why" in reader.table:
        problems.add(reader.error("follows_why", "only with follows = SOURCE-ID"))
    if problems.count != start:
        return None
    cited = _taken(sources)
    if cite:
        for source in cited:
            if source not in says:
                problems.add(reader.error("says", f"say what {source} states for this dose"))
        for source in says:
            if source not in cited:
                problems.add(reader.error("says", f"{source} is not in this range's source"))
        for name in ("hold_seconds", "repetitions"):
            stated = [getattr(dose, name) for dose in says.values() if getattr(dose, name)]
            low, high = bounds.get(name) or (None, None)
            if stated and (
                low is None
                or high is None
                or low > min(b[0] for b in stated)
                or high < max(b[1] for b in stated)
            ):
                problems.add(reader.error(name, "the range must cover what each source says"))
    if problems.count != start:
        return None
    return DoseRange(
        hold_seconds=bounds.get("hold_seconds"),
        repetitions=bounds.get("repetitions"),
        sources=cited,
        says=says,
        follows=follows,
        follows_why=why,
    )


def _source_doses(reader: _Reader, problems: _Problems) -> dict[str, SourceDose]:
    """`says = { SOURCE = { hold_seconds = [a, b], repetitions = [a, b] } }`: each source's own
    statement of the dose."""
    table = reader.table.get("says", {})
    if not isinstance(table, dict):
        problems.add(reader.error("says", "expected a table of source id = { ... }"))
        return {}
    says = {}
    for source, stated in table.items():
        inner = problems.take(reader.child, f"says.{source}", stated, "says", source)
        if inner is None:
            continue
        if source not in reader.known_sources:
            problems.add(inner.error(None, f"unknown source id {source}"))
            continue
        problems.add(*inner.unknown(("hold_seconds", "repetitions"), "stated dose"))
        parts = {
            name: problems.take(_bounds, inner, name)
            for name in ("hold_seconds", "repetitions")
            if name in inner.table
        }
        says[source] = SourceDose(parts.get("hold_seconds"), parts.get("repetitions"))
    return says


def _check_dose_follows(reader: _Reader, problems: _Problems, usual: DoseRange, dose: Dose) -> None:
    """A default dose within what every cited source states needs no word; otherwise it
    names the source it follows and, in `follows_why`, why and where it departs from the others
    (CLINICAL.md section 7: the coach may keep its dose but says which source it follows)."""
    differing = [source for source, stated in usual.says.items() if not stated.holds(dose)]
    if differing and usual.follows is None:
        sources = ", ".join(differing)
        problems.add(
            reader.error("follows", f"the default dose differs from {sources}: say which follows")
        )


def _tables(reader: _Reader, problems: _Problems, name: str) -> list[Any]:
    """The array of tables under `name` ([[exercise.caution]]), or [] with its mistake noted."""
    tables = reader.table.get(name, [])
    if not isinstance(tables, list):
        problems.add(reader.error(name, f"expected [[{name}]] tables"))
        return []
    return tables


def _exercise(
    reader: _Reader, exercise_id: str, problems: _Problems, *, cite: bool = True
) -> Exercise | None:
    """An exercise table; None (its mistakes noted) when it can't be used.

    `cite`: the built-in library cites a source for everything it says, and its default dose
    must lie inside its own dose_range; a physio's own exercise needs neither.
    """
    start = problems.count
    problems.add(*reader.unknown(EXERCISE_FIELDS, "exercise"))
    cautions = []
    for index, table in enumerate(_tables(reader, problems, "caution"), start=1):
        caution_reader = problems.take(reader.child, f"caution {index}", table, "caution", index)
        if caution_reader is None:
            continue
        caution = _caution(caution_reader, problems, cite=cite)
        if caution is not None:
            cautions.append(caution)
    dose = None
    if "dose" not in reader.table:
        problems.add(reader.error("dose", "missing: give a dose table"))
    elif dose_reader := problems.take(reader.child, "dose", reader.table["dose"], "dose"):
        dose = _dose(dose_reader, problems)
    flow = problems.take(reader.flag, "flow", default=False)
    if flow and dose is not None and not _is_one_breath(dose):
        problems.add(
            reader.error(
                "flow",
                "a flow exercise needs a paced dose whose hold_seconds is one breath "
                "(breath_in_seconds + breath_out_seconds)",
            )
        )
    cues = (
        problems.take(reader.lines, "cues", max_length=SHORT_MAX) if "cues" in reader.table else ()
    )
    if cues and dose is not None and len(cues) != dose.repetitions:
        problems.add(
            reader.error(
                "cues",
                f"{len(cues)} cues for {dose.repetitions} repetitions: give one a repetition",
            )
        )
    usual = None
    if "dose_range" in reader.table:
        range_reader = problems.take(
            reader.child, "dose_range", reader.table["dose_range"], "dose_range"
        )
        if range_reader is not None:
            usual = _dose_range(range_reader, problems, cite=cite)
            if cite and usual is not None and dose is not None:
                for field_name in ("hold_seconds", "repetitions"):
                    bounds = getattr(usual, field_name)
                    value = getattr(dose, field_name)
                    if bounds and not bounds[0] <= value <= bounds[1]:
                        problems.add(
                            range_reader.error(
                                field_name, f"the default dose ({value}) is outside this range"
                            )
                        )
                _check_dose_follows(range_reader, problems, usual, dose)
    name = problems.take(reader.text, "name")
    summary = problems.take(reader.text, "summary")
    start_position = problems.take(reader.lines, "start_position")
    movement = problems.take(reader.lines, "movement")
    feel = problems.take(reader.text, "feel")
    stop_if = problems.take(reader.lines, "stop_if")
    figure = problems.take(_figure, reader, reader.table.get("figure", []))
    sources = problems.take(_cited, reader, cite=cite)
    kind = problems.take(reader.choice, "kind", EXERCISE_KINDS, default="stretch")
    hold_word = problems.take(reader.label, "hold_word", "HOLD")
    rest_word = problems.take(reader.label, "rest_word", "REST")
    if problems.count != start:
        return None
    return Exercise(
        id=exercise_id,
        name=_taken(name),
        summary=_taken(summary),
        start_position=_taken(start_position),
        movement=_taken(movement),
        feel=_taken(feel),
        stop_if=_taken(stop_if),
        dose=_taken(dose),
        cautions=tuple(cautions),
        figure=_taken(figure),
        sources=_taken(sources),
        kind=_taken(kind),
        flow=_taken(flow),
        hold_word=_taken(hold_word),
        rest_word=_taken(rest_word),
        cues=_taken(cues),
        dose_range=usual,
    )


def _exercises(root: Path, sources: Mapping[str, Source]) -> dict[str, Exercise]:
    file = "exercises.toml"
    doc = _read_toml(root, file)
    _Reader(file, None, doc, sources).only(("exercise",), "exercises.toml")
    exercises: dict[str, Exercise] = {}
    for index, table in enumerate(doc.get("exercise", []), start=1):
        exercise_id = _Reader(file, f"exercise {index}", table, sources).text("id")
        reader = _Reader(file, f"exercise '{exercise_id}'", table, sources, ("exercise", index))
        if exercise_id in exercises:
            raise reader.error("id", "used twice")
        problems = _Problems()
        exercise = _exercise(reader, exercise_id, problems)
        if exercise is None:  # its mistakes are noted: the built-in content must have none
            raise problems.errors[0]
        exercises[exercise_id] = exercise
    if not exercises:
        raise ContentError(file, None, "exercise", "no exercises defined")
    return exercises


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


@dataclass(frozen=True)
class RoutineCheck:
    """A routine file checked: the routine when it has no errors, and every problem found."""

    routine: Routine | None
    problems: tuple[RoutineProblem, ...]

    @property
    def errors(self) -> tuple[RoutineProblem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[RoutineProblem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


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
        close = _closest(name, known)
        hint = f"; did you mean '{close}'?" if close else ""
        super().__init__(f"no routine {name!r}{hint} (see: spasm-coach routines list)")
        self.name = name


class ExerciseNotFound(LookupError):
    """No exercise has the id asked for; the message names the closest one."""

    def __init__(self, name: str, known: Iterable[str]):
        known = list(known)
        close = _closest(name, known)
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


_TOML_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(
    r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*(?:=|\.\s*["']?[A-Za-z0-9_-]+["']?\s*[=.])"""
)
"""A line assigning a key (`name =`, or dotted: `dose.hold_seconds =`)."""
_TOML_LINE = re.compile(r"at line (\d+)")


class _TomlLines:
    """Line numbers for places and keys, found in the text (tomllib keeps none).

    A place is as TOML headers name it: the N-th [[step]] is ("step", N); a key is the first line
    assigning it after its table's header. Text inside multi-line strings (figures) is skipped.
    """

    def __init__(self, text: str):
        self.headers: dict[Place, int] = {}
        self.keys: dict[tuple[Place, str], int] = {}
        counters: dict[Place, int] = {}
        place: Place = ()
        open_quote: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if open_quote is not None:
                if line.count(open_quote) % 2:
                    open_quote = None
                continue
            header = _TOML_HEADER.match(line)
            if header:
                place = self._place(header.group(2), header.group(1) == "[[", counters)
                self.headers.setdefault(place, number)
                continue
            key = _TOML_KEY.match(line)
            if key:
                self.keys.setdefault((place, key.group(1)), number)
            quotes = [q for q in ('"""', "'''") if line.count(q) % 2]
            if quotes:
                open_quote = min(quotes, key=line.index)

    @staticmethod
    def _place(name: str, is_array: bool, counters: dict[Place, int]) -> Place:
        parts = [part.strip().strip("\"'") for part in name.split(".")]
        place: list[str | int] = []
        for depth, part in enumerate(parts):
            place.append(part)
            key = tuple(place)
            if is_array and depth == len(parts) - 1:
                counters[key] = counters.get(key, 0) + 1
            if key in counters:
                place.append(counters[key])
        return tuple(place)

    def line(self, place: Place, key: str | None) -> int | None:
        """The line of `key` in the table at `place`, else of the table's header; a table
        written inline (`dose = {...}`) falls back to the line of its key in the parent."""
        if key is not None and (place, key) in self.keys:
            return self.keys[(place, key)]
        if place in self.headers:
            return self.headers[place]
        if not place:
            return None
        parent, last = place[:-1], place[-1]
        if isinstance(last, int):
            parent, last = parent[:-1], parent[-1]
        return self.line(parent, str(last))


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
        self.problems = _Problems()

    def check(self, path: Path | None) -> Routine | None:
        problems = self.problems
        top = problems.take(_Reader, self.file, None, self.doc, self.sources)
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
        sources = problems.take(_cited, top, cite=False)
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
            id=_taken(routine_id),
            name=_taken(name),
            description=_taken(description),
            steps=tuple(steps),
            sources=_taken(sources),
            path=path,
            kind=_taken(kind),
            offer_when_pain_at_most=offer_at_most,
            sessions_per_day=per_day,
        )

    def _own_id(
        self, reader: _Reader, name: str, value: str, what: str, built_in: Iterable[str]
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

    def _own_exercises(self, top: _Reader) -> tuple[dict[str, Exercise], set[str]]:
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
        for index, table in enumerate(_tables(top, problems, "exercise"), start=1):
            place = ("exercise", index)
            reader = problems.take(
                _Reader, self.file, f"exercise {index}", table, self.sources, place
            )
            if reader is None:
                continue
            exercise_id = problems.take(reader.text, "id")
            usable_id = None
            if exercise_id is not None:
                item = f"exercise '{exercise_id}'"
                reader = _Reader(self.file, item, table, self.sources, place)
                if exercise_id in declared:
                    problems.add(reader.error("id", f"'{exercise_id}' is used twice"))
                elif self._own_id(reader, "id", exercise_id, "exercise", self.library):
                    usable_id = exercise_id
                declared.add(exercise_id)
            exercise = _exercise(reader, exercise_id or "", problems, cite=False)
            if exercise is not None and usable_id is not None:
                own[usable_id] = exercise
        return own, declared

    def _steps(
        self, top: _Reader, exercises: Mapping[str, Exercise], declared: set[str]
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
        self, reader: _Reader, exercises: Mapping[str, Exercise], declared: set[str]
    ) -> RoutineStep | None:
        """A step: its exercise with the dose overrides merged in, the side it is done on."""
        problems = self.problems
        problems.add(*reader.unknown(STEP_FIELDS, "step"))
        exercise_id = problems.take(reader.text, "exercise")
        if exercise_id is None or exercise_id in declared - set(exercises):
            return None
        if exercise_id not in exercises:
            close = _closest(exercise_id, [*exercises, *declared])
            hint = f"; did you mean '{close}'?" if close else f" (known: {', '.join(exercises)})"
            problems.add(reader.error("exercise", f"unknown exercise '{exercise_id}'{hint}"))
            for name in DOSE_LIMITS:  # what is refused for any exercise is said all the same
                if name in reader.table:
                    _dose_number(reader, problems, name)
            if "side" in reader.table:
                problems.take(reader.choice, "side", SIDES)
            return None
        exercise = exercises[exercise_id]
        side = problems.take(reader.choice, "side", SIDES) if "side" in reader.table else None
        dose = _dose(reader, problems, base=exercise.dose)
        if dose is None:
            return None
        if exercise.flow and not _is_one_breath(dose):
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

    def _warn_outside_usual(self, reader: _Reader, exercise: Exercise, dose: Dose) -> None:
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

    def _warn(self, reader: _Reader, name: str, message: str) -> None:
        self.problems.warnings.append(reader.error(name, message))

    def report(self, lines: _TomlLines) -> tuple[RoutineProblem, ...]:
        return report_problems(self.problems, lines)


def report_problems(problems: _Problems, lines: _TomlLines) -> tuple[RoutineProblem, ...]:
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


def _problem(error: ContentError, severity: Severity, lines: _TomlLines) -> RoutineProblem:
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
        found = _TOML_LINE.search(str(exc))
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
    return RoutineCheck(routine, checker.report(_TomlLines(text)))


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


def _thermal(
    root: Path, sources: Mapping[str, Source]
) -> tuple[dict[str, ThermalRule], tuple[Contraindication, ...]]:
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


def _defaults(root: Path, sources: Mapping[str, Source]) -> int:
    """data/defaults.toml: the sessions a day of a routine that doesn't say."""
    file = "defaults.toml"
    doc = _read_toml(root, file)
    _Reader(file, None, doc, sources).only(("routine",), "defaults.toml")
    reader = _Reader(file, "[routine]", doc.get("routine"), sources)
    reader.only(("sessions_per_day", "source"), "routine defaults")
    reader.sources()
    return reader.number("sessions_per_day", low=1, high=SESSIONS_PER_DAY_MAX)


POSE_ROLES = ("start", "hold", "later_hold", "breathe_in", "breathe_out")
EXERCISE_POSE_FIELDS = (*POSE_ROLES, "later_from", "later_unless")
POSE_REACH = 40.0
"""Points lie within this many units of the origin (a typo of 100 for 10.0 is caught)."""


def _point(reader: _Reader, name: str) -> Point:
    value = reader.table.get(name)
    if not isinstance(value, list) or len(value) != 2:
        raise reader.error(name, "missing" if value is None else "expected [x, y]")
    if not all(isinstance(item, int | float) and not isinstance(item, bool) for item in value):
        raise reader.error(name, "expected [x, y]")
    x, y = float(value[0]), float(value[1])
    if not (abs(x) <= POSE_REACH and -1.0 <= y <= POSE_REACH):
        raise reader.error(name, f"[{x}, {y}] is off the drawing (y from -1, both up to 40)")
    return x, y


def _poses(
    root: Path, exercises: Mapping[str, Exercise], sources: Mapping[str, Source]
) -> dict[str, Exercise]:
    """The exercises with their positions from poses.toml attached."""
    file = "poses.toml"
    doc = _read_toml(root, file)
    _Reader(file, None, doc, sources).only(("pose", "exercise"), "poses.toml")
    poses: dict[str, Pose] = {}
    for name, table in (doc.get("pose") or {}).items():
        reader = _Reader(file, f"pose '{name}'", table, sources, ("pose", name))
        reader.only(("caption", *POINTS, *OPTIONAL_POINTS), "pose")
        points = {
            point: _point(reader, point)
            for point in (*POINTS, *OPTIONAL_POINTS)
            if point in POINTS or point in reader.table
        }
        poses[name] = Pose(name, reader.text("caption"), Body.of(points))
    attached = dict(exercises)
    for exercise_id, table in (doc.get("exercise") or {}).items():
        reader = _Reader(
            file, f"exercise '{exercise_id}'", table, sources, ("exercise", exercise_id)
        )
        if exercise_id not in exercises:
            raise reader.error(None, "no exercise has this id in exercises.toml")
        reader.only(EXERCISE_POSE_FIELDS, "exercise pose")
        chosen: dict[str, Pose | None] = {}
        for role in POSE_ROLES:
            name = reader.text(role) if role in reader.table else None
            if name is not None and name not in poses:
                raise reader.error(role, f"no pose '{name}' in this file")
            chosen[role] = poses[name] if name is not None else None
        if (chosen["breathe_in"] is None) != (chosen["breathe_out"] is None):
            raise reader.error("breathe_in", "give breathe_in and breathe_out together")
        if (chosen["later_hold"] is None) != ("later_from" not in reader.table):
            raise reader.error("later_hold", "give later_hold and later_from together")
        unless = reader.lines("later_unless") if "later_unless" in reader.table else ()
        if any(condition not in CONDITIONS for condition in unless):
            raise reader.error("later_unless", f"use conditions: {', '.join(CONDITIONS)}")
        start = chosen.pop("start")
        if start is None:
            raise reader.error("start", "missing")
        attached[exercise_id] = replace(
            exercises[exercise_id],
            poses=ExercisePoses(
                start=start,
                later_from=reader.number("later_from", low=1, high=30)
                if "later_from" in reader.table
                else 0,
                later_unless=unless,
                **chosen,
            ),
        )
    return attached


SPOKEN_FIELDS = {
    "exercise": ("name", "start_position"),
    "hold": ("word",),
    "repetition": ("repetition", "repetitions"),
    "breath": ("repetition", "repetitions"),
    "breathe_in": (),
    "breathe_out": (),
    "rest": ("word",),
    "count": ("seconds",),
    "done": (),
}
"""Each spoken line and the placeholders it may hold."""


def _spoken(root: Path, sources: Mapping[str, Source]) -> SpokenWords:
    file = "spoken.toml"
    doc = _read_toml(root, file)
    reader = _Reader(file, None, doc, sources)
    reader.only(
        (*SPOKEN_FIELDS, "count_from", "count_holds_from", "side", "switch_side"), "spoken.toml"
    )
    lines = {name: reader.text(name, allowed) for name, allowed in SPOKEN_FIELDS.items()}
    by_side = {}
    for name in ("side", "switch_side"):
        side_reader = reader.child(name, doc.get(name), name)
        side_reader.only(SIDES, name)
        by_side[name] = {side: side_reader.text(side) for side in SIDES}
    return SpokenWords(
        **lines,
        count_from=reader.number("count_from", low=0, high=10),
        count_holds_from=reader.number("count_holds_from", low=1, high=120),
        side=by_side["side"],
        switch_side=by_side["switch_side"],
    )


def load_content(root: Path | None = None) -> Content:
    """Load and check every content file; raises ContentError on the first mistake."""
    root = root or content_dir()
    sources = _sources(root)
    regions = _regions(root, sources)
    red_flags = _red_flags(root, sources)
    exercises = _poses(root, _exercises(root, sources), sources)
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
        levels=red_flags.levels,
        actions=red_flags.actions,
        flags=red_flags.flags,
        quick_check=red_flags.quick_check,
        ces_card=red_flags.ces_card,
        exercises=exercises,
        routines=routines,
        thermal=thermal,
        contraindications=contraindications,
        pain=_pain(root, sources),
        education=_education(root, sources),
        spoken=_spoken(root, sources),
        sessions_per_day=_defaults(root, sources),
        changes=_changes(root, sources),
        root=root,
    )
