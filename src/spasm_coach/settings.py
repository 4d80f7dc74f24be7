"""Settings: a small hand-editable TOML file in the config folder.

A broken file never stops the coach. A value of the wrong type or out of range falls back to its
safe default (a question the coach asks again, such as the region or the cautions) and the
problem is said, naming the key; the other values are kept. A file that can't be read at all
gives the defaults. The file is not overwritten until the person saves settings on purpose (a
broken one is then kept beside it as settings.toml.broken).

The safety answers (personal cautions, heat and ice questions) are tables of yes (true) and no
(false); a question not in its table has not been answered, and the coach asks it before it
matters. An older file's list (`cautions = ["knee"]`) says only which were yes: the others count
as not answered, since the list was also written for questions nobody answered.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from spasm_coach.answers import Answers, unanswered, yes_to
from spasm_coach.files import atomic_text_file, private_folder
from spasm_coach.vocabulary import CONDITIONS


@dataclass(frozen=True)
class Settings:
    region: str | None = None
    """Which emergency and urgent-care numbers to show: a region id from data/regions.toml.
    None until the person has chosen (the coach asks on first run); an id the content doesn't
    know is asked again, never guessed."""
    sounds: bool = True
    """A terminal bell for the last seconds of a hold, side switches and the end."""
    speech: bool = False
    """Spoken cues (the exercise, hold, the last seconds, switch sides, rest, done), through a
    speech engine already on the computer."""
    reduced_motion: bool = False
    """No moving figure or breath pacer animation."""
    cautions: Answers = field(default_factory=dict)
    """Personal cautions (osteoporosis, pregnancy, knee, wrist) answered yes or no; one not here
    is asked before the first session."""
    thermal_contraindications: Answers = field(default_factory=dict)
    """Heat/ice questions by contraindication id, answered yes or no; one not here is asked
    before heat or ice is used."""
    default_routine: str = "standard"
    plan: str | None = None
    """The plan the coach follows: one installed with `spasm-coach plans install`, or None for
    the built-in plan."""
    session_every_hours: int = 4
    """Hours from one stretch session's start to the next reminder (NHS inform: about 3 times a
    day); `spasm-coach remind` only reminds between 08:00 and 21:00."""
    problem: str | None = field(default=None, compare=False)
    """Why some of the file on disk could not be used, if it couldn't."""

    @property
    def conditions(self) -> tuple[str, ...]:
        """The personal cautions answered yes: the stretches are changed for these."""
        return yes_to(CONDITIONS, self.cautions)

    @property
    def cautions_to_ask(self) -> tuple[str, ...]:
        """The personal cautions not answered yet."""
        return unanswered(CONDITIONS, self.cautions)


ANSWER_TABLES = ("cautions", "thermal_contraindications")


ID = re.compile(r"[A-Za-z0-9_.-]{1,100}")
"""A region or routine id: letters, digits, '-', '_' and '.', as routine files name them."""


def _check(key: str, value: Any) -> Any:
    """The value for `key` as Settings holds it; ValueError says what a good one looks like."""
    if key in ("sounds", "speech", "reduced_motion"):
        if not isinstance(value, bool):
            raise ValueError(f"'{key}' must be true or false")
        return value
    if key in ("region", "default_routine", "plan"):
        if not isinstance(value, str) or not ID.fullmatch(value.strip()):
            raise ValueError(f"'{key}' must be an id in quotes, e.g. {key} = \"uk\"")
        return value.strip()
    if key == "session_every_hours":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 24:
            raise ValueError("'session_every_hours' must be a whole number from 1 to 24")
        return value
    return _answers(key, value)


def _answers(key: str, value: Any) -> dict[str, bool]:
    """A table of yes/no answers; an older file's list of names answered yes."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        value = dict.fromkeys(value, True)
    if not isinstance(value, dict) or not all(isinstance(v, bool) for v in value.values()):
        raise ValueError(
            f"'{key}' must be a table of answers, true for yes and false for no, e.g. "
            f"[{key}] then knee = false"
        )
    if bad := [name for name in value if not ID.fullmatch(name)]:
        raise ValueError(f"'{key}' has {bad[0]!r}, which is not a question's id")
    if key == "cautions" and (bad := [name for name in value if name not in CONDITIONS]):
        raise ValueError(f"'cautions' has {bad[0]!r}; use {', '.join(CONDITIONS)}")
    return dict(value)


KNOWN = tuple(item.name for item in fields(Settings) if item.name != "problem")


def load_settings(path: Path) -> Settings:
    """The saved settings; values that can't be used fall back to their defaults, and `problem`
    says which and why."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(problem=f"{path} can't be read ({exc}); using the defaults.")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Settings(
            problem=f"{path} is not valid TOML ({exc}). Using the defaults; the file is kept as "
            "it is until you save settings in the coach."
        )
    values: dict[str, Any] = {}
    problems = []
    for key, value in data.items():
        if key not in KNOWN:
            problems.append(f"unknown setting '{key}'")
            continue
        try:
            values[key] = _check(key, value)
        except ValueError as exc:
            problems.append(str(exc))
    problem = None
    if problems:
        problem = (
            f"{path}: {'; '.join(problems)}. Those settings use their defaults (the coach asks "
            "again where it needs to); the file is kept as it is until you save settings."
        )
    return Settings(**values, problem=problem)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        # control characters can't stand in a TOML string: a hand-edited "\n" must read back
        escaped = "".join(f"\\u{ord(c):04x}" if c < " " or c == "\x7f" else c for c in escaped)
        return f'"{escaped}"'
    return "[" + ", ".join(_toml_value(item) for item in value) + "]"


BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_key(key: str) -> str:
    return key if BARE_KEY.fullmatch(key) else _toml_value(key)


def save_settings(path: Path, settings: Settings) -> None:
    """Write the whole file at once (0600, never through a link); a broken file being replaced
    is kept as settings.toml.broken. Only the answers given are written: a question not
    answered stays out of the file."""
    lines = ["# spasm-coach settings. Safe to edit; `spasm-coach where` shows this file.\n"]
    tables = []
    for item in fields(Settings):
        value = getattr(settings, item.name)
        if item.name == "problem" or value is None:
            continue
        if item.name in ANSWER_TABLES:
            tables.append((item.name, value))
            continue
        lines.append(f"{item.name} = {_toml_value(value)}\n")
    for name, answers in tables:
        if answers:
            lines.append(
                f"\n# true: yes; false: no; a question not here is asked again\n[{name}]\n"
            )
            lines += [f"{_toml_key(key)} = {_toml_value(yes)}\n" for key, yes in answers.items()]
    private_folder(path.parent)
    if settings.problem and path.exists():
        os.replace(path, path.with_name(path.name + ".broken"))
    with atomic_text_file(path) as out:  # a fresh private file renamed over it: never a link's
        out.writelines(lines)
