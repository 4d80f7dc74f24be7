"""An exercise and its dose, read and checked: the same rules for the built-in library and for
the exercises a physiotherapist defines in a routine file of their own."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from spasm_coach.content.models import (
    DOSE_FIELDS,
    EXERCISE_KINDS,
    SHORT_MAX,
    Caution,
    Dose,
    DoseRange,
    Exercise,
    SourceDose,
)
from spasm_coach.content.reading import Problems, Reader, taken
from spasm_coach.guard import CONTROL
from spasm_coach.vocabulary import CONDITIONS

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


def dose_number(reader: Reader, problems: Problems, name: str) -> int | None:
    """A whole-number dose field; one over a refused limit is noted but still returned, so the
    whole routine's length can be worked out and reported too."""
    low, high = DOSE_LIMITS[name]
    value = reader.table.get(name)
    if name in _REFUSED and isinstance(value, int) and not isinstance(value, bool) and value > high:
        problems.add(reader.error(name, _REFUSED[name](value)))
        return value
    return problems.take(reader.number, name, low=low, high=high)


def read_dose(reader: Reader, problems: Problems, base: Dose | None = None) -> Dose | None:
    """A dose table, or a routine step's overrides merged into `base`; both checked alike.

    None when a value can't be read at all."""
    values: dict[str, Any] = {}
    for name in DOSE_FIELDS:
        if name not in reader.table:
            continue
        if name == "sided":
            values[name] = problems.take(reader.flag, name, default=False)
        else:
            values[name] = dose_number(reader, problems, name)
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


def is_one_breath(dose: Dose) -> bool:
    breath_in, breath_out = dose.breath_in_seconds, dose.breath_out_seconds
    return (
        breath_in is not None
        and breath_out is not None
        and dose.hold_seconds == breath_in + breath_out
    )


FIGURE_MAX_LINES, FIGURE_MAX_COLUMNS = 6, 24


def _figure(reader: Reader, frames: Any) -> tuple[str, ...]:
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


def cited_sources(reader: Reader, *, cite: bool) -> tuple[str, ...]:
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


def _caution(reader: Reader, problems: Problems, *, cite: bool) -> Caution | None:
    start = problems.count
    problems.add(*reader.unknown(CAUTION_FIELDS, "caution"))
    action = problems.take(reader.choice, "action", ("modify", "skip"))
    if action == "skip" and "modified" in reader.table:
        problems.add(reader.error("modified", 'only with action = "modify"'))
    condition = problems.take(reader.choice, "condition", CONDITIONS)
    advice = problems.take(reader.text, "advice")
    modified = problems.take(reader.text, "modified") if action == "modify" else None
    sources = problems.take(cited_sources, reader, cite=cite)
    if problems.count != start:
        return None
    return Caution(
        condition=taken(condition),
        advice=taken(advice),
        action=taken(action),
        modified=modified,
        sources=taken(sources),
    )


def _bounds(reader: Reader, name: str) -> tuple[int, int]:
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


def _dose_range(reader: Reader, problems: Problems, *, cite: bool) -> DoseRange | None:
    start = problems.count
    problems.add(*reader.unknown(DOSE_RANGE_FIELDS, "dose_range"))
    bounds = {
        name: problems.take(_bounds, reader, name)
        for name in ("hold_seconds", "repetitions")
        if name in reader.table
    }
    if not bounds:
        problems.add(reader.error(None, "give hold_seconds, repetitions or both"))
    sources = problems.take(cited_sources, reader, cite=cite)
    says = _source_doses(reader, problems)
    follows = why = None
    if "follows" in reader.table:
        follows = problems.take(reader.choice, "follows", says)
        why = problems.take(reader.text, "follows_why")
    elif "follows_why" in reader.table:
        problems.add(reader.error("follows_why", "only with follows = SOURCE-ID"))
    if problems.count != start:
        return None
    cited = taken(sources)
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


def _source_doses(reader: Reader, problems: Problems) -> dict[str, SourceDose]:
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


def _check_dose_follows(reader: Reader, problems: Problems, usual: DoseRange, dose: Dose) -> None:
    """A default dose within what every cited source states needs no word; otherwise it
    names the source it follows and, in `follows_why`, why and where it departs from the others
    (CLINICAL.md section 7: the coach may keep its dose but says which source it follows)."""
    differing = [source for source, stated in usual.says.items() if not stated.holds(dose)]
    if differing and usual.follows is None:
        sources = ", ".join(differing)
        problems.add(
            reader.error("follows", f"the default dose differs from {sources}: say which follows")
        )


def read_tables(reader: Reader, problems: Problems, name: str) -> list[Any]:
    """The array of tables under `name` ([[exercise.caution]]), or [] with its mistake noted."""
    tables = reader.table.get(name, [])
    if not isinstance(tables, list):
        problems.add(reader.error(name, f"expected [[{name}]] tables"))
        return []
    return tables


def read_exercise(
    reader: Reader, exercise_id: str, problems: Problems, *, cite: bool = True
) -> Exercise | None:
    """An exercise table; None (its mistakes noted) when it can't be used.

    `cite`: the built-in library cites a source for everything it says, and its default dose
    must lie inside its own dose_range; a physio's own exercise needs neither.
    """
    start = problems.count
    problems.add(*reader.unknown(EXERCISE_FIELDS, "exercise"))
    cautions = []
    for index, table in enumerate(read_tables(reader, problems, "caution"), start=1):
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
        dose = read_dose(dose_reader, problems)
    flow = problems.take(reader.flag, "flow", default=False)
    if flow and dose is not None and not is_one_breath(dose):
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
    sources = problems.take(cited_sources, reader, cite=cite)
    kind = problems.take(reader.choice, "kind", EXERCISE_KINDS, default="stretch")
    hold_word = problems.take(reader.label, "hold_word", "HOLD")
    rest_word = problems.take(reader.label, "rest_word", "REST")
    if problems.count != start:
        return None
    return Exercise(
        id=exercise_id,
        name=taken(name),
        summary=taken(summary),
        start_position=taken(start_position),
        movement=taken(movement),
        feel=taken(feel),
        stop_if=taken(stop_if),
        dose=taken(dose),
        cautions=tuple(cautions),
        figure=taken(figure),
        sources=taken(sources),
        kind=taken(kind),
        flow=taken(flow),
        hold_word=taken(hold_word),
        rest_word=taken(rest_word),
        cues=taken(cues),
        dose_range=usual,
    )
