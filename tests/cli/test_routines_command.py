"""`spasm-coach routines` (list, show, validate, install, handout), `coach --routine` and
`report`, as a physio and a patient use them."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from tests.support import Cli

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content, Routine
from spasm_coach.store import Store

FIVE_MISTAKES = """\
id = "standard"
name = "Clinic Jones: after the spasm"
descripton = "Gentle moves to keep going between appointments."

[[step]]
exercise = "cat_cows"

[[step]]
exercise = "knee_to_chest"
repetitions = 40

[[step]]
exercise = "cobra"
side = "left"
hold_seconds = 8

[[step]]
exercise = "childs_pose"
"""

JONES = """\
id = "clinic-jones"
name = "Clinic Jones"
description = "Knee to chest on the left, then a move of our own."

[[exercise]]
id = "wall_hip_hinge"
name = "Wall hip hinge"
summary = "Push your bottom back toward the wall. [b]Not markup[/b]"
start_position = ["Stand with your back to a wall."]
movement = ["Push your bottom back to the wall.", "Stand tall again."]
feel = "Your buttocks working."
stop_if = ["Sharp, severe or new pain."]
figure = ['''
  O  |
  |\\ |
 _/ \\|''']

[exercise.dose]
hold_seconds = 3
repetitions = 8

[[step]]
exercise = "knee_to_chest"
side = "left"

[[step]]
exercise = "wall_hip_hinge"
"""


@pytest.fixture
def jones(tmp_path: Path) -> Path:
    path = tmp_path / "from the clinic.toml"
    path.write_text(JONES, encoding="utf-8")
    return path


@pytest.fixture
def five(tmp_path: Path) -> Path:
    path = tmp_path / "five.toml"
    path.write_text(FIVE_MISTAKES, encoding="utf-8")
    return path


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def on_a_terminal(monkeypatch: pytest.MonkeyPatch, typed: str) -> None:
    stdin = io.StringIO(typed)
    monkeypatch.setattr(stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys, "stdin", stdin)


def set_settings(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.toml").write_text(text, encoding="utf-8")


# ---- validate ----------------------------------------------------------------------------------


def test_validate_prints_all_five_mistakes_in_one_run(cli: Cli, five: Path) -> None:
    result = cli("routines", "validate", str(five))

    assert result.code == 1
    assert result.out.splitlines() == [
        f"{five}:1: field 'id': shadows the built-in routine 'standard'; choose another id",
        f"{five}:3: field 'descripton': not a routine field; did you mean 'description'?",
        f"{five}:6: step 1: field 'exercise': unknown exercise 'cat_cows'; did you mean 'cat_cow'?",
        f"{five}:10: step 2: field 'repetitions': 40 repetitions are refused: at most 30 "
        "(each side, if sided)",
        f"{five}:14: step 3: field 'side': 'cobra' is done once, not on each side: there is no "
        "side to choose",
        f"{five}: 5 errors, 0 warnings; the routine can't be used until the errors are fixed.",
    ]
    assert "Traceback" not in result.err


def test_validate_says_warnings_and_passes(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "long.toml"
    text = JONES.replace('side = "left"', "hold_seconds = 45")
    path.write_text(text, encoding="utf-8")

    result = cli("routines", "validate", str(path))

    assert result.code == 0
    warning, summary = result.out.splitlines()
    line = text.splitlines().index("hold_seconds = 45") + 1
    assert warning.startswith(f"{path}:{line}: warning: step 1: field 'hold_seconds': a 45 s hold")
    assert summary.startswith("OK: Clinic Jones (clinic-jones), 2 steps, about ")
    assert summary.endswith("; 1 warning above")


def test_validate_a_good_file(cli: Cli, jones: Path) -> None:
    result = cli("routines", "validate", str(jones))

    assert result.code == 0
    assert result.out.startswith("OK: Clinic Jones (clinic-jones), 2 steps, about ")


def test_validate_a_file_that_is_not_toml(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "notes.toml"
    path.write_text('id = "x"\nname = \n', encoding="utf-8")

    result = cli("routines", "validate", str(path))

    assert result.code == 1
    assert result.out.startswith(f"{path}:2: not valid TOML")


# ---- install, and finding a routine by id or file name -----------------------------------------


def test_install_copies_a_checked_file_privately_and_says_how_to_use_it(
    cli: Cli, jones: Path, home: Path
) -> None:
    result = cli("routines", "install", str(jones))

    assert result.code == 0, result
    installed = home / "routines" / "clinic-jones.toml"
    assert installed.read_text(encoding="utf-8") == JONES
    assert (mode(home), mode(home / "routines"), mode(installed)) == (0o700, 0o700, 0o600)
    assert str(installed) in result.out
    assert "spasm-coach coach --routine clinic-jones" in result.out
    assert "Settings" in result.out
    listed = cli("routines", "list")
    assert "clinic-jones" in listed.out
    assert str(installed) in listed.out


def test_install_refuses_the_same_id_twice_without_force(cli: Cli, jones: Path, home: Path) -> None:
    assert cli("routines", "install", str(jones)).code == 0
    jones.write_text(JONES.replace('name = "Clinic Jones"', 'name = "Clinic Jones 2"'))

    refused = cli("routines", "install", str(jones))
    assert refused.code == 2
    assert "already installed" in refused.err
    assert "--force" in refused.err
    installed = home / "routines" / "clinic-jones.toml"
    assert installed.read_text(encoding="utf-8") == JONES

    forced = cli("routines", "install", "--force", str(jones))
    assert forced.code == 0
    assert 'name = "Clinic Jones 2"' in installed.read_text(encoding="utf-8")


def test_install_with_force_replaces_a_file_of_another_name_with_that_id(
    cli: Cli, jones: Path, home: Path
) -> None:
    folder = home / "routines"
    folder.mkdir(parents=True)
    (folder / "jones.toml").write_text(JONES, encoding="utf-8")

    assert cli("routines", "install", str(jones)).code == 2
    assert cli("routines", "install", "--force", str(jones)).code == 0
    assert sorted(path.name for path in folder.iterdir()) == ["clinic-jones.toml"]


def test_install_refuses_a_file_with_errors_and_writes_nothing(
    cli: Cli, five: Path, home: Path
) -> None:
    result = cli("routines", "install", str(five))

    assert result.code == 1
    problems = [
        line for line in result.out.splitlines() if re.match(rf"{re.escape(str(five))}:\d+: ", line)
    ]
    assert len(problems) == 5
    assert "was not installed" in result.err
    assert not (home / "routines").exists()


@pytest.mark.parametrize("name", ["clinic-jones", "jones"], ids=["id", "file-name"])
def test_show_finds_an_installed_routine_by_id_or_file_name(
    cli: Cli, home: Path, name: str
) -> None:
    folder = home / "routines"
    folder.mkdir(parents=True)
    (folder / "jones.toml").write_text(JONES, encoding="utf-8")

    result = cli("routines", "show", name)

    assert result.code == 0, result
    assert result.out.startswith("Clinic Jones (clinic-jones), about ")


def test_show_prints_each_step_as_a_handout_in_words(
    cli: Cli, jones: Path, content: Content
) -> None:
    result = cli("routines", "show", str(jones))

    assert result.code == 0
    out = result.out
    knee = content.exercises["knee_to_chest"]
    assert "1. Knee to chest" in out
    assert "Dose: Hold 20 seconds, 3 times, rest 10 seconds between, left side only." in out
    assert f"Set-up:\n     1. {knee.start_position[0]}" in out
    assert f"How:\n     1. {knee.movement[0]}" in out
    assert f"What you should feel: {knee.feel}" in out
    assert f"Stop if:\n     - {knee.stop_if[0]}" in out
    assert knee.poses is not None
    assert knee.poses.hold is not None
    assert knee.poses.hold.caption in out  # each position drawn, with its caption
    assert "Push your bottom back toward the wall. [b]Not markup[/b]" in out
    assert "      |\\ |" in out
    assert "Rare but serious: go to the emergency department at once" in out
    assert "Call your local emergency number for an ambulance now:" in out


def test_show_gives_the_regions_numbers_from_settings(cli: Cli, home: Path) -> None:
    set_settings(home, 'region = "us"\n')

    assert "Your numbers (United States): emergency 911" in cli("routines", "show", "gentle").out


def test_show_of_a_broken_installed_routine_lists_its_problems(cli: Cli, home: Path) -> None:
    folder = home / "routines"
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text(FIVE_MISTAKES, encoding="utf-8")

    result = cli("routines", "show", "broken")
    assert result.code == 1
    assert len(result.err.splitlines()) == 6
    assert "Traceback" not in result.err
    listed = cli("routines", "list")
    assert listed.code == 0
    assert "skipped: " in listed.err
    assert "(and 4 more problems)" in listed.err


def test_an_unknown_routine_suggests_the_closest(cli: Cli) -> None:
    result = cli("routines", "show", "gentel")

    assert result.code == 2
    assert result.err == (
        "spasm-coach: no routine 'gentel'; did you mean 'gentle'? (see: spasm-coach routines "
        "list)\n"
    )


class FakeCoach:
    """Stands in for the Textual app, which a command-line test doesn't open."""

    return_code = 0
    farewell = None

    def run(self) -> None:
        pass

    def rescue_unsaved(self) -> None:
        return None


@pytest.mark.parametrize("name", ["clinic-jones", "jones"], ids=["id", "file-name"])
def test_coach_runs_an_installed_routine_by_id_or_file_name(
    cli: Cli, home: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    import spasm_coach.tui.app as tui_app

    folder = home / "routines"
    folder.mkdir(parents=True)
    (folder / "jones.toml").write_text(JONES, encoding="utf-8")
    given = {}

    def make_app(store: Store, clock: FakeClock, **options: object) -> FakeCoach:
        given.update(options)
        return FakeCoach()

    monkeypatch.setattr(tui_app, "make_app", make_app)

    assert cli("coach", "--routine", name).code == 0
    assert isinstance(given["routine"], Routine)
    assert given["routine"].id == "clinic-jones"
    assert cli("coach", "--routine", "clinic-jonez").code == 2


# ---- handout -----------------------------------------------------------------------------------


def test_handout_to_the_screen_as_html_or_markdown(cli: Cli, jones: Path) -> None:
    html = cli("routines", "handout", str(jones), "--note", "Twice a day.")
    assert html.code == 0
    assert html.out.startswith("<!DOCTYPE html>")
    assert "Clinic Jones" in html.out
    assert "Twice a day." in html.out
    markdown = cli("routines", "handout", "gentle", "--format", "markdown")
    assert markdown.code == 0
    assert markdown.out.startswith("# Gentle")


def test_handout_uses_the_settings_region_and_none_for_any(cli: Cli, home: Path) -> None:
    set_settings(home, 'region = "us"\n')
    assert "emergency 911" in cli("routines", "handout", "gentle", "-f", "markdown").out
    set_settings(home, 'region = "any"\n')
    assert "your local emergency number" in cli("routines", "handout", "gentle").out


def test_handout_to_a_private_file_that_is_replaced_only_with_force(
    cli: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "gentle.html"

    first = cli("routines", "handout", "gentle", "-o", str(target))
    assert (first.code, first.out) == (0, "")
    assert f"Wrote the handout to {target}." in first.err
    assert mode(target) == 0o600
    target.write_text("kept", encoding="utf-8")

    refused = cli("routines", "handout", "gentle", "-o", str(target))
    assert refused.code == 2
    assert refused.err.count("\n") == 1
    assert "--force" in refused.err
    assert target.read_text(encoding="utf-8") == "kept"

    assert cli("routines", "handout", "gentle", "-o", str(target), "--force").code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(("answer", "code", "replaced"), [("y", 0, True), ("n", 1, False)])
def test_handout_asks_before_replacing_a_file_on_a_terminal(
    cli: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    code: int,
    replaced: bool,
) -> None:
    target = tmp_path / "gentle.md"
    target.write_text("kept", encoding="utf-8")
    on_a_terminal(monkeypatch, answer + "\n")

    result = cli("routines", "handout", "gentle", "-f", "markdown", "-o", str(target))

    assert result.code == code
    assert "already exists. Replace it?" in result.out
    assert (target.read_text(encoding="utf-8") != "kept") is replaced


@pytest.mark.parametrize(
    "args",
    [
        ["gentle", "--format", "pdf"],
        ["marathon"],
        ["gentle", "-o", "/no/such/folder/gentle.html"],
    ],
    ids=["unknown-format", "unknown-routine", "missing-folder"],
)
def test_handout_typing_mistakes_get_one_line_and_exit_2(cli: Cli, args: list[str]) -> None:
    result = cli("routines", "handout", *args)

    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("spasm-coach: ")
    assert result.err.count("\n") == 1


# ---- report ------------------------------------------------------------------------------------


def test_report_names_the_installed_default_routine(cli: Cli, jones: Path, home: Path) -> None:
    cli("log", "6")
    cli("routines", "install", str(jones))
    set_settings(home, 'default_routine = "clinic-jones"\n')
    target = home / "report.html"

    result = cli("report", "--since", "7d", "-o", str(target))

    assert result.code == 0, result
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "routine Clinic Jones (2 exercises" in page
    assert mode(target) == 0o600
    assert f"Wrote the report to {target}." in result.err


def test_report_to_the_screen_says_when_the_default_routine_is_gone(cli: Cli, home: Path) -> None:
    cli("log", "6")
    set_settings(home, 'default_routine = "clinic-gone"\n')

    result = cli("report")

    assert result.code == 0
    assert result.out.startswith("<!DOCTYPE html>")
    assert "routine " not in result.out.split("Plan:")[1].split("</p>")[0]
    assert "'clinic-gone' can't be found" in result.err


def test_report_refuses_to_replace_a_file_without_force(cli: Cli, home: Path) -> None:
    cli("log", "6")
    target = home / "report.html"
    target.write_text("kept", encoding="utf-8")

    refused = cli("report", "-o", str(target))
    assert refused.code == 2
    assert target.read_text(encoding="utf-8") == "kept"
    assert cli("report", "-o", str(target), "--force").code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_without_a_log_writes_nothing(cli: Cli, home: Path) -> None:
    result = cli("report", "-o", str(home.parent / "report.html"))

    assert result.code == 66
    assert "there is no pain log" in result.err
    assert not (home.parent / "report.html").exists()


@pytest.mark.parametrize(
    "args",
    [["--since", "2026-12-01", "--until", "2026-11-01"], ["--since", "last tuesday"]],
    ids=["since-after-until", "unreadable-since"],
)
def test_report_typing_mistakes_get_one_line_and_exit_2(cli: Cli, args: list[str]) -> None:
    cli("log", "6")
    result = cli("report", *args)

    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1


# ---- the documented examples -------------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "routines.md"


def documented_files(folder: Path) -> list[Path]:
    """Every TOML example in docs/routines.md that starts with its file name, written out."""
    written = []
    for block in re.findall(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S):
        named = re.match(r"# (\S+\.toml)", block)
        if named:
            path = folder / named.group(1).rstrip(":")
            path.write_text(block, encoding="utf-8")
            written.append(path)
    return written


def test_the_documented_examples_behave_as_documented(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    names = [path.name for path in documented_files(tmp_path)]
    assert names == ["clinic-jones.toml", "clinic-hinge.toml", "five-mistakes.toml"]

    for name in ("clinic-jones.toml", "clinic-hinge.toml"):
        result = cli("routines", "validate", name)
        assert (result.code, result.out[:4]) == (0, "OK: "), result
    shown = DOCS.read_text(encoding="utf-8").split("$ spasm-coach routines validate ")[1]
    expected = shown.split("```")[0].splitlines()[1:]
    result = cli("routines", "validate", "five-mistakes.toml")
    assert result.code == 1
    assert result.out.splitlines() == expected
