"""`spasm-coach plan` and `spasm-coach plans` (list, show, validate, install, use, handout), and a
rise of 2 logged on the command line stepping the plan back, as a physio and a patient use them."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from tests.factory import add_pain
from tests.support import Cli
from tests.unit.test_plan_files import FIVE_MISTAKES, GOOD, JONES_ROUTINE

from spasm_coach.clock import Clock, FakeClock
from spasm_coach.settings import load_settings
from spasm_coach.store import Store
from spasm_coach.vocabulary import PainContext


@pytest.fixture
def cli_clock(clock: FakeClock) -> Clock:
    return clock


@pytest.fixture
def five(tmp_path: Path) -> Path:
    path = tmp_path / "five.toml"
    path.write_text(FIVE_MISTAKES, encoding="utf-8")
    return path


@pytest.fixture
def good(tmp_path: Path, cli: Cli) -> Path:
    """A physio's plan whose second stage is their own routine, installed first."""
    routine = tmp_path / "clinic-jones.toml"
    routine.write_text(JONES_ROUTINE, encoding="utf-8")
    assert cli("routines", "install", str(routine)).code == 0
    path = tmp_path / "jones plan.toml"
    path.write_text(GOOD, encoding="utf-8")
    return path


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_validate_lists_all_five_mistakes_in_one_run(cli: Cli, five: Path) -> None:
    result = cli("plans", "validate", str(five))
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 6
    assert lines[0] == (
        f"{five}:1: field 'id': shadows the built-in plan 'recovery'; choose another id"
    )
    assert lines[1].startswith(f"{five}:9: stage 'easy': field 'routines': unknown routine")
    assert lines[2].startswith(f"{five}:14: stage 'easy': move_on: field 'scores_at_most': 7")
    assert lines[3].startswith(f"{five}:15: stage 'easy': move_on: field 'days_in_stge'")
    assert lines[4] == (
        f"{five}:25: stage 'strong': step_back: field 'pain_rise': stepping back after "
        '"it hurt" or a rise of 2 is always on: leave it out'
    )
    assert lines[5] == (
        f"{five}: 5 errors, 0 warnings; the plan can't be used until the errors are fixed."
    )


def test_a_good_plan_validates_installs_privately_and_is_followed(
    cli: Cli, good: Path, home: Path, store: Store
) -> None:
    checked = cli("plans", "validate", str(good))
    assert checked.code == 0, checked.out
    assert checked.out.strip() == (
        "OK: Mrs Jones: back to the garden (clinic-jones-plan), 3 stages: Easy does it, Your "
        "programme, Stronger"
    )
    installed = cli("plans", "install", str(good))
    assert installed.code == 0, installed.err
    target = home / "plans" / "clinic-jones-plan.toml"
    assert target.read_text(encoding="utf-8") == GOOD
    assert (mode(target), mode(target.parent)) == (0o600, 0o700)
    assert "The coach follows Mrs Jones: back to the garden from now on, from Easy does it" in (
        installed.out
    )
    assert load_settings(home / "settings.toml").plan == "clinic-jones-plan"
    (start,) = store.plan_changes()
    assert (start.kind, start.plan_id, start.stage) == ("start", "clinic-jones-plan", "easy")
    assert start.reason == "installed with spasm-coach plans install (jones plan.toml)."

    where = cli("plan")
    assert where.code == 0
    assert where.out.splitlines()[:2] == [
        "Your plan: Mrs Jones: back to the garden (clinic-jones-plan)",
        "Stage 1 of 3: Easy does it, since Mon 23 Nov (day 1).",
    ]
    listed = cli("plans", "list").out
    assert "clinic-jones-plan  Mrs Jones: back to the garden  (followed)" in listed
    assert "Easy does it, then Your programme, then Stronger" in listed

    again = cli("plans", "install", str(good))
    assert again.code == 2
    assert "already installed" in again.err
    forced = cli("plans", "install", "--force", str(good))
    assert forced.code == 0
    assert "you keep your place in it" in forced.out
    assert len(list(store.plan_changes())) == 1  # a new version keeps the person's place

    back = cli("plans", "use", "recovery")
    assert back.code == 0
    assert load_settings(home / "settings.toml").plan is None
    assert [change.plan_id for change in store.plan_changes()] == [
        "clinic-jones-plan",
        "recovery",
    ]


def test_install_refuses_a_plan_with_errors_and_writes_nothing(
    cli: Cli, five: Path, home: Path
) -> None:
    result = cli("plans", "install", str(five))
    assert result.code == 1
    assert "5 errors" in result.out
    assert "was not installed" in result.err
    assert not (home / "plans").exists()
    assert not (home / "settings.toml").exists()


def test_plan_json_for_scripts(cli: Cli, store: Store, clock: FakeClock) -> None:
    for hours, score in enumerate((6, 5, 4)):
        add_pain(store, score, clock.now() - timedelta(hours=3 - hours), PainContext.CHECK_IN)
    result = cli("plan", "--json")
    assert result.code == 0
    data = json.loads(result.out)
    assert data["plan"] == {
        "id": "recovery",
        "name": "From settling the spasm to getting stronger",
    }
    assert data["stage"]["id"] == "settle"
    assert data["today"] == {"done": 0, "planned": 3}
    assert data["next"]["stage"] == "move"
    assert data["next"]["conditions"][0] == {
        "words": "your last 3 scores are 4 or less",
        "met": False,
        "now": "your last 3 scores were 6, 5 and 4",
    }
    assert data["proposal"] is None
    assert data["not_improving"] is None


def test_plan_says_not_settling_with_what_to_do(cli: Cli, store: Store, clock: FakeClock) -> None:
    for days in range(15, -1, -1):
        add_pain(store, 6, clock.now() - timedelta(days=days), PainContext.CHECK_IN)
    text = cli("plan").out
    assert "Book a check-up soon" in text
    assert "Not clearly better after 15 days: 6/10 when this began on Sun 8 Nov, 6/10 now." in text
    data = json.loads(cli("plan", "--json").out)
    assert data["not_improving"]["flag"] == "not_improving"
    assert data["not_improving"]["title"] == "Book a check-up soon"
    assert "a physiotherapist within the next few days" in data["not_improving"]["do"]


def test_a_rise_of_two_on_the_command_line_steps_the_plan_back(
    cli: Cli, store: Store, clock: FakeClock
) -> None:
    assert cli("log", "2").code == 0
    clock.advance(3600)
    result = cli("log", "4")
    assert result.code == 0
    assert "spasm-coach screen" in result.out
    assert result.out.splitlines()[-1] == (
        "Your plan starts Settle the spasm again: your pain rose from 2 to 4 at 10:00."
    )
    (change,) = store.plan_changes()
    assert (change.kind, change.stage, change.automatic) == ("step-back", "settle", True)
    assert change.reason == "your pain rose from 2 to 4 at 10:00."


def test_show_prints_each_stage_and_its_rules(cli: Cli) -> None:
    text = cli("plans", "show").out
    assert text.startswith("From settling the spasm to getting stronger (recovery)\n")
    assert "Stage 2: Get moving" in text
    assert "  - Routines: Standard: daily routine, or Breathe and relax." in text
    assert "On to Get stronger when your last 3 scores are 3 or less" in text
    assert "NICE-NG59: NICE guideline NG59" in text


def test_handout_prints_the_plan_and_its_rules_for_the_patient(
    cli: Cli, good: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan.html"
    result = cli("plans", "handout", str(good), "-o", str(out), "--note", "See you in 2 weeks.")
    assert result.code == 0, result.err
    html = out.read_text(encoding="utf-8")
    assert "<h1>Mrs Jones: back to the garden</h1>" in html
    assert "Stage 2: Your programme" in html
    assert "Clinic Jones: left side" in html
    assert "See you in 2 weeks." in html
    assert "spasm-coach plans install" in html
    assert "Warning signs: stop and get help" in html
    markdown = cli("plans", "handout", "--format", "markdown").out
    assert markdown.startswith("# From settling the spasm to getting stronger\n")
    assert "### Stage 3: Get stronger" in markdown


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["plans", "show", "recovry"], 2, "no plan 'recovry'; did you mean 'recovery'?"),
        (["plans", "validate", "nowhere.toml"], 2, "nowhere.toml: no such file"),
        (["plans", "handout", "--format", "pdf"], 2, "--format 'pdf' is not one of"),
        (["plans", "use", "gone"], 2, "no plan 'gone'"),
        (["demo", "--plan", "--routine", "gentle"], 2, "--plan shows the plan's own routines"),
    ],
)
def test_typing_mistakes_get_one_line_and_exit_2(
    cli: Cli, args: list[str], code: int, message: str
) -> None:
    result = cli(*args)
    assert result.code == code
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1


DOCS = Path(__file__).parents[2] / "docs"


def documented(doc: str, folder: Path) -> list[str]:
    """Every TOML example in `doc` that starts with its file name, written out into `folder`."""
    names = []
    for block in re.findall(r"```toml\n(.*?)```", (DOCS / doc).read_text(encoding="utf-8"), re.S):
        named = re.match(r"# (\S+\.toml)", block)
        if named:
            name = named.group(1).rstrip(":")
            (folder / name).write_text(block, encoding="utf-8")
            names.append(name)
    return names


def test_the_documented_plans_behave_as_documented(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert "clinic-jones.toml" in documented("routines.md", tmp_path)
    assert cli("routines", "install", "clinic-jones.toml").code == 0
    assert documented("plans.md", tmp_path) == ["clinic-jones-plan.toml", "five-mistakes-plan.toml"]
    good = cli("plans", "validate", "clinic-jones-plan.toml")
    assert (good.code, good.out[:4]) == (0, "OK: "), good
    shown = (DOCS / "plans.md").read_text(encoding="utf-8").split("$ spasm-coach plans validate ")
    expected = shown[1].split("```")[0].splitlines()[1:]
    result = cli("plans", "validate", "five-mistakes-plan.toml")
    assert result.code == 1
    assert result.out.splitlines() == expected
