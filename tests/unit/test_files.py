"""Files and folders the program makes: never through a link, private, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from spasm_coach.files import TEMP_PREFIX, atomic_text_file, create_new, private_folder


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o277])
def test_every_folder_made_is_0700_whatever_the_umask(tmp_path: Path, mask: int) -> None:
    (tmp_path / "there").mkdir(mode=0o755)
    with umask(mask):
        private_folder(tmp_path / "there" / "a" / "b" / "c")
    assert mode(tmp_path / "there") == 0o755  # a folder that was there is left as it is
    for made in ("a", "a/b", "a/b/c"):
        assert mode(tmp_path / "there" / made) == 0o700, made


def test_a_new_file_is_never_made_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "precious"
    target.write_text("keep")
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(FileExistsError):
        create_new(tmp_path / "link")
    assert target.read_text() == "keep"
    with umask(0):
        os.close(create_new(tmp_path / "new"))
    assert mode(tmp_path / "new") == 0o600


def test_a_file_replaced_whole_replaces_a_link_not_its_target(tmp_path: Path) -> None:
    target = tmp_path / "precious"
    target.write_text("keep")
    link = tmp_path / "out.csv"
    link.symlink_to(target)
    with umask(0), atomic_text_file(link) as out:
        out.write("new")
    assert target.read_text() == "keep"
    assert not link.is_symlink()
    assert link.read_text() == "new"
    assert mode(link) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("old")

    def write_half() -> None:
        with atomic_text_file(path) as out:
            out.write("half")
            raise RuntimeError("the disk went away")

    with pytest.raises(RuntimeError):
        write_half()
    assert path.read_text() == "old"
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))
