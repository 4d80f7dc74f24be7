"""The built-in content: every file in data/ read and checked, stopping at the first mistake."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from spasm_coach.content.exercises import read_exercise
from spasm_coach.content.models import (
    ASK_WHEN,
    FULL_CHECK_EVERY,
    REGION_PLACEHOLDERS,
    SHORT_MAX,
    SIDES,
    Action,
    Card,
    Change,
    Content,
    ContentError,
    Contraindication,
    Exercise,
    LevelAdvice,
    PainScale,
    QuickCheck,
    RedFlag,
    RedFlagContent,
    Routine,
    Source,
    SpokenWords,
    ThermalRule,
)
from spasm_coach.content.reading import Problems, Reader, read_toml
from spasm_coach.content.regions import read_regions
from spasm_coach.content.routines import SESSIONS_PER_DAY_MAX, parse_routine
from spasm_coach.paths import content_dir
from spasm_coach.poses import OPTIONAL_POINTS, POINTS, Body, ExercisePoses, Point, Pose
from spasm_coach.vocabulary import CONDITIONS, Level, ThermalKind


def _changes(root: Path, sources: Mapping[str, Source]) -> tuple[Change, ...]:
    file = "sources.toml"
    doc = read_toml(root, file)
    changes = []
    for index, table in enumerate(doc.get("change", []), start=1):
        reader = Reader(file, f"change {index}", table, sources)
        reader.only(("text", "source"), "change")
        changes.append(Change(reader.text("text"), reader.sources()))
    return tuple(changes)


def _sources(root: Path) -> dict[str, Source]:
    """Every source: sources.toml's, then those regions.toml gives beside its regions (a region's
    own service pages, so adding a region is one file)."""
    file = "sources.toml"
    doc = read_toml(root, file)
    top = Reader(file, None, doc, {})
    top.only(("sources", "change"), "sources.toml")
    tables = doc.get("sources")
    if not isinstance(tables, dict) or not tables:
        raise top.error("sources", "missing")
    sources: dict[str, Source] = {}
    _read_sources(top, tables, sources)
    regional = read_toml(root, "regions.toml").get("sources", {})
    _read_sources(Reader("regions.toml", None, {"sources": regional}, {}), regional, sources)
    return sources


def _read_sources(top: Reader, tables: Any, sources: dict[str, Source]) -> None:
    """The [sources.ID] tables of one file, added to `sources`; an id may be given once."""
    if not isinstance(tables, dict):
        raise top.error("sources", "expected [sources.ID] tables with title and url")
    for source_id, table in tables.items():
        if not isinstance(table, dict):
            raise top.error(source_id, "expected a [sources.ID] table with title and url")
        reader = top.child(f"sources.{source_id}", table)
        if source_id in sources:
            raise reader.error(None, "this source id is given twice")
        reader.only(("title", "url"), "source")
        url = reader.text("url")
        if not url.startswith("https://") or any(char.isspace() for char in url):
            raise reader.error("url", f"{url!r} is not an https:// address")
        sources[source_id] = Source(source_id, reader.text("title"), url)


def _card(reader: Reader, card_id: str) -> Card:
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
    reader: Reader, flag_id: str, actions: Mapping[str, Action], earlier: Mapping[str, RedFlag]
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


def _actions(top: Reader, tables: Any) -> dict[str, Action]:
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


def _quick_check(reader: Reader, flags: Iterable[RedFlag]) -> QuickCheck:
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
    doc = read_toml(root, file)
    top = Reader(file, None, doc, sources)
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


def _exercises(root: Path, sources: Mapping[str, Source]) -> dict[str, Exercise]:
    file = "exercises.toml"
    doc = read_toml(root, file)
    Reader(file, None, doc, sources).only(("exercise",), "exercises.toml")
    exercises: dict[str, Exercise] = {}
    for index, table in enumerate(doc.get("exercise", []), start=1):
        exercise_id = Reader(file, f"exercise {index}", table, sources).text("id")
        reader = Reader(file, f"exercise '{exercise_id}'", table, sources, ("exercise", index))
        if exercise_id in exercises:
            raise reader.error("id", "used twice")
        problems = Problems()
        exercise = read_exercise(reader, exercise_id, problems)
        if exercise is None:  # its mistakes are noted: the built-in content must have none
            raise problems.errors[0]
        exercises[exercise_id] = exercise
    if not exercises:
        raise ContentError(file, None, "exercise", "no exercises defined")
    return exercises


def _thermal(
    root: Path, sources: Mapping[str, Source]
) -> tuple[dict[str, ThermalRule], tuple[Contraindication, ...]]:
    file = "thermal.toml"
    doc = read_toml(root, file)
    rules = {}
    kinds = [kind.value for kind in ThermalKind]
    for kind in kinds:
        reader = Reader(file, f"[{kind}]", doc.get(kind), sources)
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
        reader = Reader(file, f"contraindication {index}", table, sources)
        applies = reader.lines("applies_to")
        bad = [kind for kind in applies if kind not in kinds]
        if bad:
            raise reader.error("applies_to", f"{bad[0]!r} is not one of {', '.join(kinds)}")
        contraindications.append(
            Contraindication(reader.text("id"), reader.text("question"), applies, reader.sources())
        )
    return rules, tuple(contraindications)


def _pain(root: Path, sources: Mapping[str, Source]) -> PainScale:
    file = "pain.toml"
    doc = read_toml(root, file)
    reader = Reader(file, None, doc, sources)
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
    doc = read_toml(root, file)
    Reader(file, None, doc, sources).only(("card",), "education.toml")
    cards: list[Card] = []
    for index, table in enumerate(doc.get("card", []), start=1):
        card_id = Reader(file, f"card {index}", table, sources).text("id")
        reader = Reader(file, f"card '{card_id}'", table, sources)
        if any(card.id == card_id for card in cards):
            raise reader.error("id", "used twice")
        cards.append(_card(reader, card_id))
    return tuple(cards)


def _defaults(root: Path, sources: Mapping[str, Source]) -> int:
    """data/defaults.toml: the sessions a day of a routine that doesn't say."""
    file = "defaults.toml"
    doc = read_toml(root, file)
    Reader(file, None, doc, sources).only(("routine",), "defaults.toml")
    reader = Reader(file, "[routine]", doc.get("routine"), sources)
    reader.only(("sessions_per_day", "source"), "routine defaults")
    reader.sources()
    return reader.number("sessions_per_day", low=1, high=SESSIONS_PER_DAY_MAX)


POSE_ROLES = ("start", "hold", "later_hold", "breathe_in", "breathe_out")
EXERCISE_POSE_FIELDS = (*POSE_ROLES, "later_from", "later_unless")
POSE_REACH = 40.0
"""Points lie within this many units of the origin (a typo of 100 for 10.0 is caught)."""


def _point(reader: Reader, name: str) -> Point:
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
    doc = read_toml(root, file)
    Reader(file, None, doc, sources).only(("pose", "exercise"), "poses.toml")
    poses: dict[str, Pose] = {}
    for name, table in (doc.get("pose") or {}).items():
        reader = Reader(file, f"pose '{name}'", table, sources, ("pose", name))
        reader.only(("caption", *POINTS, *OPTIONAL_POINTS), "pose")
        points = {
            point: _point(reader, point)
            for point in (*POINTS, *OPTIONAL_POINTS)
            if point in POINTS or point in reader.table
        }
        poses[name] = Pose(name, reader.text("caption"), Body.of(points))
    attached = dict(exercises)
    for exercise_id, table in (doc.get("exercise") or {}).items():
        reader = Reader(
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
    doc = read_toml(root, file)
    reader = Reader(file, None, doc, sources)
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
    regions = read_regions(root, sources)
    red_flags = _red_flags(root, sources)
    exercises = _poses(root, _exercises(root, sources), sources)
    routines: dict[str, Routine] = {}
    for path in sorted((root / "routines").glob("*.toml")):
        file = f"routines/{path.name}"
        routine = parse_routine(read_toml(root, file), file, exercises, sources, path)
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
