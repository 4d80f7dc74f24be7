"""Hypothesis over the command line: arguments of every kind (random text with surrogates and
control characters, numbers from tiny to huge, dates real and impossible, relative times, paths
to folders, devices, the log itself) for log, history, export, import, screen and routines
validate.

Never a traceback and never the catch-all "unexpected error"; always a documented exit code;
a typing mistake (exit 2) says so in exactly one line; and no command loses an entry already in
the log. The commands run in this process through main(), with stdout and stderr encoded as a
real process encodes them (UTF-8, strict for stdout, backslashreplace for stderr), so what
would crash a real process crashes here; a few raw-byte arguments also run in real processes.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.faults.helpers import EXIT_CODES, pain_count, run_cli, seed_log
from tests.faults.tally import Tally
from tests.support import NONE_APPLY_TOML

from spasm_coach.cli import main
from spasm_coach.clock import SystemClock
from spasm_coach.paths import HOME_ENV

pytestmark = pytest.mark.fault("Hypothesis: CLI arguments")

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
NUMBERS = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["0", "10", "11", "-1", "5.9", "1e3", "٣", "５", " 4 ", "true", "0x5", "t"]),
)
DATES = st.one_of(
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.dates().map(str),
    st.integers(-(10**20), 10**20).map(lambda n: f"{n}{'dhw'[abs(n) % 3]}"),
    st.sampled_from(
        [
            "today",
            "yesterday",
            "7d",
            "0d",
            "2026-02-30",
            "2026-11-20T25:00",
            "9999-12-31T23:59:59-12:00",
            "0001-01-01T00:00+14:00",
            "2026-11-20T08:30+99:00",
            "",
        ]
    ),
)
VALUES = st.one_of(ANY_TEXT, NUMBERS, DATES)


def paths(folder: Path) -> st.SearchStrategy[str]:
    """Files a person might name: missing, a folder, a device, the log itself, odd names."""
    return st.one_of(
        st.sampled_from(
            [
                str(folder / "missing.csv"),
                str(folder),
                "/dev/null",
                "/dev/full",
                str(folder / "home" / "pain-log.sqlite3"),
                str(folder / "home" / "pain-log.sqlite3-wal"),
                str(folder / "no-such-folder" / "out.csv"),
                str(folder / ("x" * 300)),
                "",
            ]
        ),
        ANY_TEXT.filter(lambda name: "/" not in name and "\0" not in name).map(
            lambda name: str(folder / "out" / name) if name else str(folder)
        ),
    )


def options(names: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[list[str]]:
    """Some of the options, each with a value, in any order."""
    pairs = [st.tuples(st.just(name), value) for name, value in names.items()]
    return st.lists(st.one_of(*pairs), max_size=4).map(
        lambda chosen: [part for pair in chosen for part in pair]
    )


def command_lines(folder: Path) -> st.SearchStrategy[list[str]]:
    path = paths(folder)
    flag_ids = st.sampled_from(["fever", "saddle_numbness", "FEVER", "", "cancer_history"])
    return st.one_of(
        st.tuples(
            st.just(["log"]),
            st.lists(VALUES, max_size=2),
            options({"--note": ANY_TEXT, "--context": ANY_TEXT, "--at": DATES}),
        ),
        st.tuples(
            st.just(["history"]),
            st.just([]),
            options({"--since": DATES, "--until": DATES, "--limit": NUMBERS}),
        ),
        st.tuples(
            st.just(["export"]),
            st.just([]),
            options(
                {
                    "--format": st.sampled_from(["csv", "json", "fhir", "CSV", "xml", ""]),
                    "--since": DATES,
                    "--until": DATES,
                    "-o": path,
                }
            ),
        ),
        st.tuples(st.just(["import"]), st.lists(path, max_size=2), st.just([])),
        st.tuples(
            st.just(["screen"]),
            st.lists(st.sampled_from(["--none", "--json"]), max_size=2),
            options({"--yes": st.one_of(flag_ids, ANY_TEXT)}),
        ),
        st.tuples(st.just(["routines", "validate"]), st.lists(path, max_size=2), st.just([])),
    ).map(lambda parts: [*parts[0], *parts[1], *parts[2]])


@contextlib.contextmanager
def real_process_streams() -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    """stdout and stderr as a real process under a UTF-8 locale has them; no terminal input."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(
        io.BytesIO(), encoding="utf-8", errors="backslashreplace", write_through=True
    )
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), out, err
    try:
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def run_main(args: list[str]) -> tuple[int, str, str]:
    """main(args) in this process: its exit code, stdout and stderr."""
    environment = dict(os.environ)
    with real_process_streams() as (out, err):
        try:
            main(args, clock=SystemClock())
        except SystemExit as exited:
            code = exited.code if isinstance(exited.code, int) else 1
        else:
            code = 0
    os.environ.clear()
    os.environ.update(environment)
    assert isinstance(out.buffer, io.BytesIO)
    assert isinstance(err.buffer, io.BytesIO)
    return (
        code,
        out.buffer.getvalue().decode("utf-8", "replace"),
        err.buffer.getvalue().decode("utf-8", "replace"),
    )


def test_any_arguments_give_a_documented_exit_and_one_line_mistakes(
    tmp_path_factory: pytest.TempPathFactory, tally: Tally
) -> None:
    folder = tmp_path_factory.mktemp("cli")
    (folder / "out").mkdir()
    home = folder / "home"
    os.environ[HOME_ENV] = str(home)
    log = seed_log(home, scores=20)
    (home / "settings.toml").write_text('region = "uk"\n' + NONE_APPLY_TOML)
    tally.at_stake()

    @settings(max_examples=400)
    @given(command_lines(folder))
    def one(args: list[str]) -> None:
        before = pain_count(log)
        code, _, err = run_main(args)
        tally.tried += 1
        lines = [line for line in err.split("\n") if line.strip()]  # a typed \x85 is no break
        assert "Traceback" not in err, (args, err)
        assert "unexpected error" not in err, (args, err)
        assert code in EXIT_CODES, (args, code, err)
        if code == 2:
            assert len(lines) == 1, (args, err)
            assert lines[0].startswith("spasm-coach: "), (args, err)
        after = pain_count(log)
        if after < before:
            tally.lose(before - after)
        assert after >= before, (args, "entries were lost")

    one()
    tally.how.add("main() in-process with a real process's stdio encodings")
    tally.done()


RAW = [
    b"\xff\xfe",
    "\udcff".encode("utf-8", "surrogateescape"),
    b"caf\xe9",
    b"\x1b[31mred",
    b"--note=\xff",
]


@pytest.mark.parametrize(
    "command",
    [
        ["log"],
        ["log", "4", "--note"],
        ["history", "--since"],
        ["export", "-o"],
        ["import"],
        ["screen", "--yes"],
        ["routines", "validate"],
    ],
    ids=" ".join,
)
def test_raw_bytes_in_a_real_process(tmp_path: Path, tally: Tally, command: list[str]) -> None:
    """Arguments that are not UTF-8 at all, as a shell can pass them."""
    home = tmp_path / "home"
    seed_log(home, scores=3)
    (home / "settings.toml").write_text('region = "uk"\n')
    tally.at_stake()
    for raw in RAW:
        tally.tried += 1
        ran = run_cli([*command, raw], home)
        lines = ran.err_lines
        if "Traceback" in ran.err or "unexpected error" in ran.err or ran.code not in EXIT_CODES:
            tally.fail(f"{command} {raw!r}: exit {ran.code}: {ran.err[-300:]!r}")
        elif ran.code == 2 and len(lines) != 1:
            tally.fail(f"{command} {raw!r}: {len(lines)} lines for a typing mistake: {ran.err!r}")
    tally.check(pain_count(home / "pain-log.sqlite3") >= 3, "entries were lost")
    tally.how.add("raw bytes in real processes")
    tally.done()
