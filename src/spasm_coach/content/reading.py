"""Reading a TOML table with every mistake named by its file, item and field.

Shared by the built-in content (which stops at its first mistake), a physiotherapist's routine
file and a plan file (which gather every mistake, so one run reports them all), each mistake
with its line in the file.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from spasm_coach.content.models import LABEL_MAX, PLACEHOLDER, ContentError, Place
from spasm_coach.guard import CONTROL

SUGGEST_CUTOFF = 0.7
"""How alike a misspelt key or id must be to a known one to be offered ('cat_cows' -> 'cat_cow',
but not 'side' -> 'id')."""


def closest(word: str, known: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=SUGGEST_CUTOFF)
    return close[0] if close else None


class Reader:
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

    def child(self, item: str, table: Any, *place: str | int) -> Reader:
        """The reader of a table inside this one; `place` continues this one's place."""
        name = f"{self.item}: {item}" if self.item else item
        return Reader(self.file, name, table, self.known_sources, self.place + place)

    def unknown(self, allowed: Iterable[str], what: str) -> list[ContentError]:
        """Every key nobody reads, in file order, each with the known key it is closest to."""
        allowed = tuple(allowed)
        article = "an" if what[0] in "aeiou" else "a"
        errors = []
        for key in self.table:
            if key in allowed:
                continue
            close = closest(key, allowed)
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
        for placeholder in PLACEHOLDER.findall(value):
            if placeholder not in allowed:
                use = ", ".join(f"{{{known}}}" for known in allowed) or "none here"
                raise self.error(name, f"unknown placeholder {{{placeholder}}} (use: {use})")
        if "{" in PLACEHOLDER.sub("", value) or "}" in PLACEHOLDER.sub("", value):
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


def read_toml(root: Path, relative: str) -> dict[str, Any]:
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


_T = TypeVar("_T")


class Problems:
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


def taken(value: _T | None) -> _T:
    """A value `Problems.take` read, for building an item. An item is only built when no mistake
    was noted since it began, and `take` gives None only with a mistake noted, so the value is
    always there: None here is a mistake in this module, never in the file being read."""
    if value is None:
        raise RuntimeError("an item was built from a value that could not be read")
    return value


_TOML_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(
    r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*(?:=|\.\s*["']?[A-Za-z0-9_-]+["']?\s*[=.])"""
)
"""A line assigning a key (`name =`, or dotted: `dose.hold_seconds =`)."""
TOML_LINE = re.compile(r"at line (\d+)")


class TomlLines:
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
