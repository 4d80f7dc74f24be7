"""Links planted where the program writes, as another program on the same computer could plant
them, and folders made under a careless umask.

Saving settings once followed a link planted as `.settings.toml.tmp` and overwrote what it
pointed to, and `settings.toml` became that link. Here a link points at a file the person cares
about ("precious") from every name the program writes to or through: the settings' old temporary
name, `settings.toml` itself and its `.broken` copy, a rescue file's name, an export's and a
handout's name (replaced with --force), and an installed routine's name. Whatever is saved, the
precious file must be untouched, and the name must now be a private regular file (0600). With
umask 000, every folder the program makes is 0700.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from tests.faults.helpers import run_cli, seed_log
from tests.faults.tally import Tally

from spasm_coach.clock import FakeClock
from spasm_coach.journal import Journal, Unsaved
from spasm_coach.settings import Settings, load_settings, save_settings
from spasm_coach.store import Store
from spasm_coach.vocabulary import PainContext

pytestmark = pytest.mark.fault("Settings temp symlink, and every file written")

PRECIOUS = "precious: not to be written over\n"


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def plant(link: Path, folder: Path) -> Path:
    """A link at `link` to a precious file in `folder`; returns the precious file."""
    precious = folder / f"precious-{link.name}"
    precious.write_text(PRECIOUS)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(precious)
    return precious


def after(tally: Tally, what: str, precious: Path, written: Path | None) -> None:
    problems = []
    if precious.read_text() != PRECIOUS:
        problems.append("the file the link points to was written over")
    if written is not None:
        if written.is_symlink() or not written.is_file():
            problems.append(f"{written.name} is still a link")
        elif stat.S_IMODE(written.stat().st_mode) != 0o600:
            problems.append(f"{written.name} is {stat.S_IMODE(written.stat().st_mode):o}")
    if problems:
        tally.fail(f"{what}: {'; '.join(problems)}")


def settings_temp(home: Path, outside: Path, tally: Tally) -> None:
    precious = plant(home / ".settings.toml.tmp", outside)
    save_settings(home / "settings.toml", Settings(region="uk"))
    after(
        tally,
        "settings saved past a link named .settings.toml.tmp",
        precious,
        home / "settings.toml",
    )


def settings_itself(home: Path, outside: Path, tally: Tally) -> None:
    settings = home / "settings.toml"
    precious = plant(settings, outside)
    save_settings(settings, Settings(region="uk", sounds=False))
    after(tally, "settings saved over a link named settings.toml", precious, settings)
    tally.check(load_settings(settings).sounds is False, "the settings saved do not read back")


def settings_broken(home: Path, outside: Path, tally: Tally) -> None:
    settings = home / "settings.toml"
    settings.write_text("not [ toml")
    precious = plant(home / "settings.toml.broken", outside)
    save_settings(settings, load_settings(settings))
    after(tally, "a broken settings file kept past a link named .broken", precious, settings)


def rescue_file(home: Path, outside: Path, tally: Tally) -> None:
    clock = FakeClock()
    precious = plant(home / f"spasm-coach-unsaved-{clock.now():%Y%m%d-%H%M%S}.json", outside)
    with Store.open(home / "pain-log.sqlite3") as store:
        journal = Journal(store, clock, keep_unsaved=True)
        journal.unsaved.append(journal_entry(journal))
        said = journal.keep_in_file([home, outside], clock.now())
    kept = [
        found
        for folder in (home, outside)
        for found in sorted(folder.glob("spasm-coach-unsaved-*.json"))
        if not found.is_symlink()
    ]
    # Beside the link under another name, or in the next folder: never through the link.
    tally.check(len(kept) == 1 and said is not None and str(kept[0]) in said, f"kept: {said!r}")
    after(tally, "a rescue file whose name is a link", precious, kept[0] if kept else None)


def written_with(args: list[str], name: str) -> Callable[[Path, Path, Tally], None]:
    def write(home: Path, outside: Path, tally: Tally) -> None:
        target = outside.parent / name
        precious = plant(target, outside)
        ran = run_cli([*args, str(target)], home)
        tally.check(ran.code == 0, f"{name}: exit {ran.code}: {ran.err!r}")
        after(tally, f"{' '.join(args[:2])} written with --force over a link", precious, target)

    return write


def installed_routine(home: Path, outside: Path, tally: Tally) -> None:
    routine = outside.parent / "mine.toml"
    routine.write_text(
        'id = "mine"\nname = "Mine"\ndescription = "d"\n[[step]]\nexercise = "cobra"\n'
    )
    installed = home / "routines" / "mine.toml"
    precious = plant(installed, outside)
    ran = run_cli(["routines", "install", "--force", str(routine)], home)
    tally.check(ran.code == 0, f"install: exit {ran.code}: {ran.err!r}")
    after(tally, "a routine installed over a link", precious, installed)


PLACES = {
    "settings temp": settings_temp,
    "settings.toml": settings_itself,
    "settings.toml.broken": settings_broken,
    "rescue file": rescue_file,
    "export": written_with(["export", "--force", "-o"], "pain.csv"),
    "handout": written_with(["routines", "handout", "gentle", "--force", "-o"], "gentle.html"),
    "report": written_with(["report", "--force", "-o"], "report.html"),
    "installed routine": installed_routine,
}


def test_a_link_where_a_file_is_written_is_never_followed(tmp_path: Path, tally: Tally) -> None:
    for number, (place, write) in enumerate(PLACES.items()):
        folder = tmp_path / str(number)
        outside = folder / "outside"
        outside.mkdir(parents=True)
        home = folder / "home"
        seed_log(home, scores=2)
        with tally.one_try() as this:
            try:
                write(home, outside, this)
            except Exception as exc:  # a failure of this place, counted, not the whole test
                this.fail(f"{place}: {type(exc).__name__}: {exc}")
    tally.how.add("links to an outside file at every name written")
    tally.done()


def journal_entry(journal: Journal) -> Unsaved:
    """An unsaved pain score, as the journal keeps one when the log refuses it."""
    from spasm_coach.journal import Unsaved
    from spasm_coach.records import PainEntry, new_uid

    entry = PainEntry(new_uid(), journal.now(), 3, PainContext.CHECK_IN)
    return Unsaved("a pain score of 3", lambda store: store.insert(entry), entry)


def test_folders_made_under_umask_000_are_private(tmp_path: Path, tally: Tally) -> None:
    """The data folder and the folders above it that did not exist, the routines folder, and a
    rescue folder: 0700 each, whatever the umask."""
    deep = tmp_path / "a" / "b" / "c"
    with umask(0):
        cwd = tmp_path / "cwd"
        cwd.mkdir()
        ran = run_cli(["--data-dir", str(deep), "log", "3"], cwd / "home")  # umask inherited
        with Store.open(tmp_path / "x" / "y" / "pain-log.sqlite3"):
            pass
        save_settings(tmp_path / "s" / "t" / "settings.toml", Settings(region="uk"))
        journal_home = tmp_path / "r" / "s"
        with Store.open(tmp_path / "x" / "y" / "pain-log.sqlite3") as store:
            journal = Journal(store, FakeClock(), keep_unsaved=True)
            journal.unsaved.append(journal_entry(journal))
            journal.keep_in_file([journal_home], datetime.now().astimezone())
    tally.check(ran.code == 0, f"log: exit {ran.code}: {ran.err!r}")
    made = [
        tmp_path / "a",
        tmp_path / "a" / "b",
        deep,
        tmp_path / "x",
        tmp_path / "x" / "y",
        tmp_path / "s",
        tmp_path / "s" / "t",
        tmp_path / "r",
        journal_home,
    ]
    for folder in made:
        tally.tried += 1
        mode = stat.S_IMODE(folder.stat().st_mode) if folder.exists() else None
        tally.check(mode == 0o700, f"{folder.relative_to(tmp_path)} was made {mode and oct(mode)}")
    tally.how.add("umask 000")
    tally.done()
