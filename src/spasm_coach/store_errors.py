"""What can go wrong with the pain log, by cause: busy, full, no permission, damaged, newer
version, not a log, not a place for one, a failing disk.

Each cause has its own plain message and exit code, so a healthy log is never called broken; a
cause that may pass by itself (`transient`) is worth retrying, and a busy log is waited for.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from spasm_coach.records import RecordError


class StoreError(Exception):
    """The pain log can't be used; the message says what is wrong and what to do."""

    exit_code = 1
    transient = False
    """It may pass by itself (a busy log), so a write is worth retrying."""


class LogBusy(StoreError):
    exit_code = 75  # EX_TEMPFAIL: try again later
    transient = True


class DiskFull(StoreError):
    exit_code = 74  # EX_IOERR
    transient = True


class NoPermission(StoreError):
    exit_code = 77  # EX_NOPERM
    transient = True


class LogDamaged(StoreError):
    exit_code = 65  # EX_DATAERR


class LogTooNew(StoreError):
    exit_code = 78  # EX_CONFIG: this version can't read it


class NotALog(StoreError):
    exit_code = 66  # EX_NOINPUT: not a file this program reads


class NotAPlaceForALog(StoreError):
    """The path given for the log can't hold one (a folder is in its place, or it is too long):
    a mistake in what was typed, said in plain words."""

    exit_code = 2


class DiskError(StoreError):
    """The operating system failed to read or write (a failing disk, a vanished mount)."""

    exit_code = 74
    transient = True


def primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _only_the_file_is_read_only(path: Path) -> bool:
    try:
        return os.access(path.parent, os.W_OK) and not os.access(path, os.W_OK)
    except OSError:
        return False


def classify(exc: BaseException, path: Path | None) -> StoreError:
    """The StoreError that says what `exc`, raised by SQLite or the file system, means."""
    where = "the pain log" if path is None else f"the pain log {path}"
    subject = "The" + where[3:]  # not str.capitalize(), which would lower-case the path
    folder = "its folder" if path is None else str(path.parent)
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG and path is not None:
        return NotAPlaceForALog(
            f"The path of the pain log is too long ({len(str(path)):,} characters). Choose a "
            "folder with a shorter path with --data-dir or SPASM_COACH_HOME."
        )
    if isinstance(exc, RecordError):
        return LogDamaged(
            f"An entry in {where} is not valid ({exc}). Nothing was changed. Keep a copy of the "
            "log, then restore it from a backup or move it aside to start a new one "
            "(spasm-coach where shows the folder)."
        )
    code = primary_code(exc) if isinstance(exc, sqlite3.Error) else None
    os_errno = exc.errno if isinstance(exc, OSError) else None
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return LogBusy(
            f"{subject} is busy: another program (perhaps another spasm-coach "
            "importing) is writing to it. Try again when it has finished."
        )
    if (
        code == sqlite3.SQLITE_FULL
        or os_errno in (errno.ENOSPC, errno.EDQUOT)
        or (code == sqlite3.SQLITE_IOERR and _nearly_full(path))
    ):
        return DiskFull(
            f"The disk holding {where} is full. Free some space, then try again; "
            "nothing already in the log was lost."
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH) or os_errno in (
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
    ):
        if path is not None and _only_the_file_is_read_only(path):
            return NoPermission(
                f"{subject} can't be written: the file itself is read-only. Make it writable "
                f"again (chmod u+w '{path}'); nothing already in it was lost."
            )
        return NoPermission(
            f"{subject} can't be written: no permission to write in {folder}, or "
            "the disk is read-only. Fix the permissions, or choose another folder with "
            "--data-dir or SPASM_COACH_HOME."
        )
    if code == sqlite3.SQLITE_CANTOPEN:
        return NoPermission(
            f"{subject} can't be opened in {folder}. Check that the folder exists "
            "and that you may write in it, or choose another with --data-dir."
        )
    if code == sqlite3.SQLITE_IOERR or (isinstance(exc, OSError) and code is None):
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        return DiskError(
            f"{subject} could not be read or written ({detail}). The disk may be "
            "failing or unplugged: check it, then try again."
        )
    if isinstance(exc, sqlite3.IntegrityError):
        raise exc  # a record that should never have got this far: a bug, not the log's fault
    if isinstance(exc, sqlite3.DatabaseError | UnicodeDecodeError | ValueError):
        return LogDamaged(
            f"{subject} is damaged and can't be read ({exc}). It was left untouched. "
            "Restore it from a backup, or move it aside to start a new log "
            "(spasm-coach where shows the folder)."
        )
    raise exc


NEARLY_FULL_BYTES = 1 << 20


def _nearly_full(path: Path | None) -> bool:
    """The disk holding the log has under 1 MiB free: then a 'disk I/O error' is a full disk
    (SQLite says no more when it can't grow its shared-memory file, the first file a command
    needs on opening the log)."""
    if path is None:
        return False
    try:
        found = os.statvfs(path.parent)
    except OSError:
        return False
    return found.f_bavail * found.f_frsize < NEARLY_FULL_BYTES


def is_busy(exc: sqlite3.Error) -> bool:
    if primary_code(exc) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return True
    return "database is locked" in str(exc)
