"""The clinical content as typed, frozen values: what the faces and the core read.

Nothing here reads a file; reading.py, builtin.py and routines.py build these from TOML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path

from spasm_coach.poses import ExercisePoses
from spasm_coach.vocabulary import Level

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

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """`text` with each {name} in `values` replaced; other placeholders are left for later."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


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


@dataclass(frozen=True)
class Change:
    """A change to the advice, in words, with the sources behind it: shown where the sources
    are, so a person or a clinician can see what changed and why."""

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RedFlagContent:
    """Everything red_flags.toml holds."""

    levels: dict[Level, LevelAdvice]
    actions: dict[str, Action]
    flags: tuple[RedFlag, ...]
    quick_check: QuickCheck
    ces_card: Card
