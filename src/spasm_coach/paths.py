"""Every on-disk location in one place.

The pain log lives in the platformdirs user data folder unless `SPASM_COACH_HOME` (or the global
`--data-dir` option, which sets it) names another folder. Settings live in the user config folder,
or in the same override folder so that one variable moves everything for tests and portable use.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "spasm-coach"
HOME_ENV = "SPASM_COACH_HOME"
DB_NAME = "pain-log.sqlite3"
SETTINGS_NAME = "settings.toml"


class PathMistake(ValueError):
    """A path as typed that names no place: the message says why, in plain words."""


def expand_home(path: Path) -> Path:
    """`path` with a leading `~` or `~user` made the home folder it names; PathMistake when
    there is no such user (or no home folder to be found)."""
    try:
        return path.expanduser()
    except RuntimeError:
        first = path.parts[0]
        if first == "~":
            why = "your home folder can't be found (HOME is not set)"
        else:
            why = f"there is no user {first[1:]!r} on this computer, so {first} names no folder"
        raise PathMistake(f"{path}: {why}; give the whole path instead") from None


def data_dir() -> Path:
    """The folder holding the pain log (not created here)."""
    override = os.environ.get(HOME_ENV)
    if override:
        return expand_home(Path(override))
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The folder holding settings.toml (the override folder when one is set)."""
    override = os.environ.get(HOME_ENV)
    if override:
        return expand_home(Path(override))
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def database_path() -> Path:
    return data_dir() / DB_NAME


def settings_path() -> Path:
    return config_dir() / SETTINGS_NAME


def content_dir() -> Path:
    """The built-in clinical content: inside the wheel, or the repository's data/ when editable."""
    packaged = Path(__file__).parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


def routines_dir() -> Path:
    """Where installed routines live (a physio's own): `routines` beside settings.toml."""
    return config_dir() / "routines"


def plans_dir() -> Path:
    """Where installed plans live (a physio's own): `plans` beside settings.toml."""
    return config_dir() / "plans"
