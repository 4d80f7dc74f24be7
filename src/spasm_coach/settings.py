"""Settings: a small hand-editable TOML file in the config folder.

A broken file never stops the coach: it runs on safe defaults and says what is wrong, and the file
is not overwritten until the person saves new settings on purpose (the broken one is then kept
beside it as settings.toml.broken).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from spasm_coach.content import CONDITIONS

REGIONS = {
    "uk": ("999", "111 or your GP"),
    "us": ("911", "urgent care or your doctor"),
    "eu": ("112", "your doctor or an out-of-hours service"),
    "any": ("999 (UK), 911 (US) or 112 (EU)", "your GP, 111 (UK) or urgent care"),
}
"""Region -> (emergency number, where to get urgent care today)."""


@dataclass(frozen=True)
class Settings:
    region: str = "any"
    """Which emergency and urgent-care numbers to show; 'any' shows all of them."""
    sounds: bool = True
    """A terminal bell for the last seconds of a hold, side switches and the end."""
    reduced_motion: bool = False
    """No moving figure or breath pacer animation."""
    cautions: tuple[str, ...] | None = None
    """Personal cautions (osteoporosis, pregnancy, knee, wrist); None until asked once."""
    thermal_contraindications: tuple[str, ...] | None = None
    """Heat/ice contraindication ids answered yes; None until asked once."""
    default_routine: str = "standard"
    session_every_hours: int = 4
    """Hours from one stretch session's start to the next reminder (NHS inform: about 3 times a
    day); `spasm-coach remind` only reminds between 08:00 and 21:00."""
    problem: str | None = field(default=None, compare=False)
    """Why the file on disk could not be used, if it couldn't."""

    @property
    def emergency_number(self) -> str:
        return REGIONS[self.region][0]

    @property
    def urgent_care(self) -> str:
        return REGIONS[self.region][1]


def _check(data: dict[str, Any]) -> dict[str, Any]:
    """Settings fields from a TOML table; ValueError names the first bad key."""
    known = {f.name: f for f in fields(Settings) if f.name != "problem"}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ValueError(f"unknown setting '{key}'")
        if key in ("sounds", "reduced_motion"):
            if not isinstance(value, bool):
                raise ValueError(f"'{key}' must be true or false")
        elif key == "region":
            if value not in REGIONS:
                raise ValueError(f"'region' must be one of {', '.join(REGIONS)}")
        elif key == "default_routine":
            if not isinstance(value, str) or not value:
                raise ValueError("'default_routine' must be a routine id")
        elif key == "session_every_hours":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 24:
                raise ValueError("'session_every_hours' must be a whole number from 1 to 24")
        else:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"'{key}' must be a list of names")
            if key == "cautions" and (bad := [v for v in value if v not in CONDITIONS]):
                raise ValueError(f"'cautions' has {bad[0]!r}; use {', '.join(CONDITIONS)}")
            values[key] = tuple(value)
            continue
        values[key] = value
    return values


def load_settings(path: Path) -> Settings:
    """The saved settings, or the defaults with `problem` set when the file can't be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(problem=f"{path} can't be read ({exc}); using the defaults.")
    try:
        return Settings(**_check(tomllib.loads(text)))
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        return Settings(
            problem=f"{path}: {exc}. Using safe defaults; the file is kept as it is until you "
            "save settings in the coach."
        )


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


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically (0600); a broken file being replaced is kept as settings.toml.broken."""
    lines = ["# spasm-coach settings. Safe to edit; `spasm-coach where` shows this file.\n"]
    for item in fields(Settings):
        value = getattr(settings, item.name)
        if item.name == "problem" or value is None:
            continue
        lines.append(f"{item.name} = {_toml_value(value)}\n")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if settings.problem and path.exists():
        os.replace(path, path.with_name(path.name + ".broken"))
    temp = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.writelines(lines)
    os.replace(temp, path)
