"""`spasm-coach screen`: the contract for scripts, and the check on a terminal that stops at the
first emergency sign and names only the chosen region's numbers."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from tests.support import Cli

from spasm_coach.advice import outcome_advice
from spasm_coach.content import Content
from spasm_coach.paths import settings_path
from spasm_coach.settings import Settings, save_settings
from spasm_coach.store import Store
from spasm_coach.vocabulary import Level

PHONE_NUMBERS = re.compile(r"\b(999|911|112|111|000|811)\b")


def log(home: Path) -> Store:
    return Store.open(home / "pain-log.sqlite3", readonly=True)


def choose_region(region: str) -> None:
    save_settings(settings_path(), Settings(region=region))


def typed(monkeypatch: pytest.MonkeyPatch, *replies: str) -> None:
    """Replies on a terminal; running out of them is Ctrl+D / Ctrl+C (click's Abort)."""
    stdin = io.StringIO("".join(f"{reply}\n" for reply in replies))
    stdin.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdin", stdin)


@pytest.mark.parametrize(
    ("args", "level", "flags"),
    [
        (["--none"], "clear", []),
        (["--yes", "not_improving"], "soon", ["not_improving"]),
        (["--yes", "fever", "--yes", "pregnant"], "urgent", ["fever", "pregnant"]),
        (["--yes", "saddle_numbness", "--yes", "fever"], "emergency", ["saddle_numbness", "fever"]),
    ],
)
def test_scripted_answers_keep_the_contract_and_are_logged(
    cli: Cli, home: Path, content: Content, args: list[str], level: str, flags: list[str]
) -> None:
    choose_region("uk")
    result = cli("screen", "--json", *args)
    assert result.code == 0
    outcome = json.loads(result.out)
    advice = outcome_advice(content, Level(level), flags, content.regions["uk"])
    assert outcome == {"level": level, "flags": flags, "action": advice.action}
    with log(home) as store:
        logged = store.last_screening()
    assert logged is not None
    assert (logged.level, list(logged.flags), logged.complete) == (level, flags, True)
    assert len(logged.answers) == len(content.flags)


def test_every_red_flag_id_alone_gives_its_own_level(cli: Cli, content: Content) -> None:
    for flag in content.flags:
        result = cli("screen", "--json", "--yes", flag.id)
        assert result.code == 0, flag.id
        assert json.loads(result.out)["level"] == flag.level.value, flag.id


@pytest.mark.parametrize(("region", "number"), [("au", "000"), ("nz", "111"), ("us", "911")])
def test_the_emergency_card_names_only_the_regions_number(
    cli: Cli, region: str, number: str
) -> None:
    choose_region(region)
    result = cli("screen", "--yes", "bladder_change")
    assert result.code == 0
    assert f"Emergency number: {number}" in result.out
    assert set(PHONE_NUMBERS.findall(result.out)) == {number}
    assert "Don't start the stretches" in result.out


def test_without_a_region_no_number_is_named_and_it_says_why(cli: Cli) -> None:
    result = cli("screen", "--json", "--yes", "chest_pain")
    assert result.code == 0
    assert not PHONE_NUMBERS.findall(result.out)
    assert "your local emergency number" in json.loads(result.out)["action"]
    assert "no region is chosen" in result.err


def test_on_a_terminal_the_first_emergency_sign_ends_the_check(
    cli: Cli, home: Path, monkeypatch: pytest.MonkeyPatch, content: Content
) -> None:
    choose_region("uk")
    assert [flag.id for flag in content.flags[:2]] == ["saddle_numbness", "bladder_change"]
    typed(monkeypatch, "no", "yes", "no", "no")
    result = cli("screen", "--json")
    assert result.code == 0
    assert "the check stops here" in result.out
    assert "3/" not in result.out  # question 3 was never asked
    outcome = json.loads(result.out[result.out.index("{") :])
    assert (outcome["level"], outcome["flags"]) == ("emergency", ["bladder_change"])
    with log(home) as store:
        (saved,) = store.screenings()
    assert saved.level is Level.EMERGENCY
    assert saved.complete is False
    assert dict(saved.answers) == {"saddle_numbness": False, "bladder_change": True}


def test_a_clear_check_after_an_emergency_still_says_to_get_help(
    cli: Cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on the coach's home: a later clear check does not lift a warning sign."""
    choose_region("uk")
    assert cli("screen", "--yes", "bladder_change").code == 0
    later = cli("screen", "--none")
    assert later.code == 0
    assert "No warning signs" in later.out
    assert "still stands" in later.out
    assert "Emergency number: 999" in later.out
    scripted = cli("screen", "--json", "--none")
    assert json.loads(scripted.out)["level"] == "clear"  # the contract on stdout is unchanged
    assert "still stands" in scripted.err


def test_stopping_after_a_yes_keeps_it_and_shows_its_card(
    cli: Cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    choose_region("uk")
    typed(monkeypatch, *["no"] * 11, "yes", "no")  # the 12th question is fever: urgent
    result = cli("screen")
    assert result.code == 130
    assert "What you said is saved" in result.out
    assert "Urgent" in result.out
    with log(home) as store:
        (saved,) = store.screenings()
    assert (saved.level, saved.flags, saved.complete) == (Level.URGENT, ("fever",), False)


def test_stopping_with_every_answer_no_saves_nothing(
    cli: Cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed(monkeypatch, "no", "no", "no")
    result = cli("screen")
    assert result.code == 130
    assert "Check not finished: no stretches until it is." in result.err
    with log(home) as store:
        assert list(store.screenings()) == []


def test_questions_that_dont_fit_the_moment_are_not_asked(
    cli: Cli, home: Path, monkeypatch: pytest.MonkeyPatch, content: Content
) -> None:
    """No session in the last week: 'did the exercises make it worse' is a known no. Pregnancy
    answered in the cautions: not asked again, logged as known, and no 'soon' card every day
    for it (CLINICAL.md section 7); its warning signs are asked instead."""
    save_settings(settings_path(), Settings(region="uk", cautions={"pregnancy": True}))
    asked = len(content.flags) - 2
    typed(monkeypatch, *["no"] * asked)
    result = cli("screen", "--json")
    assert result.code == 0
    assert f"{asked}/{asked}" in result.out
    questions = result.out.split("{")[0]
    assert "Are you pregnant?" not in questions
    assert content.flags_by_id["pregnancy_warning_signs"].question in questions
    outcome = json.loads(result.out[result.out.index("{") :])
    assert (outcome["level"], outcome["flags"]) == ("clear", [])
    with log(home) as store:
        (saved,) = store.screenings()
    assert set(saved.inferred) == {"pregnant", "exercise_made_worse"}
    assert saved.answers["pregnant"] is True
    assert saved.answers["exercise_made_worse"] is False


def test_a_terminal_answer_must_be_yes_or_no(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, content: Content
) -> None:
    # no session yet: 'exercises made it worse' is not asked; not pregnant: nor its signs
    asked = len(content.flags) - 2
    replies = ["maybe"] + ["no"] * asked
    typed(monkeypatch, *replies)
    result = cli("screen", "--json")
    assert result.code == 0
    assert "Please type yes or no." in result.out


def test_pregnancy_warning_signs_are_asked_right_after_a_yes_to_pregnant(
    cli: Cli, home: Path, monkeypatch: pytest.MonkeyPatch, content: Content
) -> None:
    """Asked only in pregnancy: a yes to 'Are you pregnant?' brings the next question, the
    warning signs; a yes to those means the maternity unit, now."""
    choose_region("ie")
    order = [flag.id for flag in content.flags]
    before = order.index("pregnant")
    typed(monkeypatch, *["no"] * before, "yes", "yes", "no", "no")
    result = cli("screen", "--json")
    assert result.code == 0
    outcome = json.loads(result.out[result.out.index("{") :])
    assert (outcome["level"], outcome["flags"]) == (
        "urgent",
        ["pregnant", "pregnancy_warning_signs"],
    )
    assert outcome["action"].startswith("Call your maternity unit or midwife now")


def test_the_ambulance_card_says_so_first(cli: Cli, home: Path, content: Content) -> None:
    choose_region("au")
    result = cli("screen", "--yes", "sudden_pain_faint")
    assert result.code == 0
    first, second = result.out.splitlines()[:2]
    assert first == "*** CALL 000 ***"
    assert second == "EMERGENCY: CALL 000 FOR AN AMBULANCE NOW"
    assert content.flags_by_id["sudden_pain_faint"].question in result.out
