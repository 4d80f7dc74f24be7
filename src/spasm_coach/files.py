"""Every file and folder the program writes, made so that nothing can redirect it.

A file is either created new with `O_CREAT | O_EXCL | O_NOFOLLOW` (anything already at that name,
a link planted there included, makes it fail rather than be followed), or written whole into a
fresh private temporary file beside its target and renamed over it (a rename replaces a link
itself, never what it points to). Files are 0600, as they hold health data. Folders the program
creates are 0700 whatever the umask, and so are the missing folders above them; a folder that
already exists is left as it is (it may be shared on purpose).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

TEMP_PREFIX = ".spasm-coach-export."
TEMP_SUFFIX = ".tmp"
STALE_AFTER_SECONDS = 3600
"""A temporary file this old was left by a run that was killed: safe to remove."""
NEW_FILE = os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC


def private_folder(folder: Path) -> None:
    """Create `folder` and any missing folders above it, each 0700 whatever the umask."""
    missing = []
    for path in (folder, *folder.parents):
        if path.is_dir():
            break
        missing.append(path)
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            if path.is_dir():
                continue  # made a moment ago by another coach: it is theirs to keep
            raise
        _make_private(path)


def _make_private(folder: Path) -> None:
    """0700 on the folder just made, through a handle that can't follow a link put in its place
    (mkdir's mode is cut by the umask, which may also take the owner's own bits)."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        os.fchmod(descriptor, 0o700)
    finally:
        os.close(descriptor)


def create_new(path: Path) -> int:
    """A new private file at `path`, open for writing; FileExistsError if anything is there."""
    return os.open(path, NEW_FILE, 0o600)


@contextmanager
def atomic_text_file(path: Path) -> Iterator[IO[str]]:
    """Write beside `path` into a fresh private file, then rename it over `path`: a reader never
    sees half a file, and a link at `path` is replaced, not followed. On any failure the
    temporary file is removed and `path` is left as it was."""
    handle, temp_name = tempfile.mkstemp(  # O_EXCL | O_NOFOLLOW, 0600
        dir=path.parent, prefix=f"{TEMP_PREFIX}{path.name[:100]}.", suffix=TEMP_SUFFIX
    )
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def clean_stale_temp_files(folder: Path, now: float) -> int:
    """Remove temporary files left in `folder` by a run that was killed; returns how many.

    `now` is wall-clock seconds since the epoch (file times are real time, not a session's),
    compared with each file's modification time.
    """
    removed = 0
    try:
        candidates = list(folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))
    except OSError:
        return 0
    for temp in candidates:
        try:
            if temp.is_file() and now - temp.stat().st_mtime > STALE_AFTER_SECONDS:
                temp.unlink()
                removed += 1
        except OSError:
            continue
    return removed
