"""The routine handout: every instruction, the dose in words, the safety card, nothing trusted."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from spasm_coach.content import Card, Content, Dose, Level, load_routine_file, parse_routine
from spasm_coach.handout import (
    NO_REGION_EMERGENCY,
    NO_REGION_URGENT,
    coach_commands,
    dose_words,
    md,
    render_handout,
)
from spasm_coach.html import esc

OUTSIDE_ASSET = re.compile(
    r"(<link\b|<script\b|<img\b|<iframe\b|<object\b|<embed\b|url\(|@import|\b(?:src|href|action)\s*=\s*['\"]?\s*(?:https?:)?//)",
    re.I,
)
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@dataclass(frozen=True)
class Region:
    name: str
    emergency: str
    urgent: str


UK = Region("UK", "999", "111 or your GP")


class Tags(HTMLParser):
    """The element names a browser would build from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def tags_of(page: str) -> list[str]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


@pytest.mark.parametrize(
    ("dose", "words"),
    [
        (
            Dose(hold_seconds=20, repetitions=3, sided=True, rest_seconds=10),
            "Hold 20 seconds, 3 times each side, rest 10 seconds between.",
        ),
        (
            Dose(hold_seconds=10, repetitions=8, breath_in_seconds=5, breath_out_seconds=5),
            "8 slow cycles, breathing in 5 s and out 5 s.",
        ),
        (
            Dose(hold_seconds=50, repetitions=3, rest_seconds=10, breath_in_seconds=4,
                 breath_out_seconds=6),
            "Hold 50 seconds, 3 times, breathing slowly (in 4 s, out 6 s), "
            "rest 10 seconds between.",
        ),
        (Dose(hold_seconds=60, repetitions=1, rest_seconds=10), "Hold 1 minute, once."),
        (Dose(hold_seconds=1, repetitions=2), "Hold 1 second, twice."),
        (
            Dose(hold_seconds=90, repetitions=2, rest_seconds=120),
            "Hold 90 seconds, twice, rest 2 minutes between.",
        ),
    ],
)  # fmt: skip
def test_dose_in_words(dose: Dose, words: str) -> None:
    assert dose_words(dose) == words


def test_html_has_every_instruction_of_every_exercise(content: Content) -> None:
    routine = content.routines["standard"]
    page = render_handout(routine, content)
    assert f"<h1>{esc(routine.name)}</h1>" in page
    assert esc(routine.description) in page
    for step in routine.steps:
        exercise = step.exercise
        assert esc(exercise.name) in page
        assert f"Dose: {esc(dose_words(step.dose))}" in page
        for line in (*exercise.start_position, *exercise.movement, *exercise.stop_if):
            assert f"<li>{esc(line)}</li>" in page
        assert esc(exercise.feel) in page
        for frame in exercise.figure:
            assert f">{esc(frame)}</pre>" in page
        for caution in exercise.cautions:
            assert esc(caution.advice) in page
            if caution.modified:
                assert esc(caution.modified) in page
    assert "Hold 20 seconds, 3 times each side, rest 10 seconds between." in page
    assert "8 slow cycles, breathing in 5 s and out 5 s." in page


def test_personal_cautions_are_named_by_condition(content: Content) -> None:
    page = render_handout(content.routines["standard"], content)
    assert "<strong>Osteoporosis (thin bones):</strong> Keep the movement small" in page
    assert "<strong>Pregnancy:</strong> Skip this one" in page


def test_the_safety_card_and_advice_are_there(content: Content) -> None:
    page = render_handout(content.routines["gentle"], content)
    for line in content.ces_card.lines:
        assert f"<li>{esc(line)}</li>" in page
    for level in (Level.EMERGENCY, Level.URGENT):
        advice = content.levels[level].with_numbers(NO_REGION_EMERGENCY, NO_REGION_URGENT)
        assert esc(advice.title) in page
        assert esc(advice.action) in page
    assert f"Emergency: call {NO_REGION_EMERGENCY}." in page


def test_region_numbers_fill_the_placeholders(content: Content) -> None:
    card = Card("ces_card", "Go to A&E", ("Any of these: call {emergency} now.",), ("NHS-CES",))
    urgent = replace(content.levels[Level.URGENT], action="Call {urgent} today.")
    changed = replace(content, ces_card=card, levels={**content.levels, Level.URGENT: urgent})
    page = render_handout(changed.routines["standard"], changed, region=UK)
    assert "Any of these: call 999 now." in page
    assert "Call 111 or your GP today." in page
    assert "Your numbers (UK): emergency 999; same-day help 111 or your GP." in page
    assert "{emergency}" not in page
    assert "{urgent}" not in page
    without = render_handout(changed.routines["standard"], changed)
    assert f"call {NO_REGION_EMERGENCY} now." in without


def test_built_in_routine_runs_by_its_id(content: Content) -> None:
    commands = coach_commands(content.routines["gentle"], content)
    assert [command for _, command in commands] == ["spasm-coach coach --routine gentle"]
    assert "<code>spasm-coach coach --routine gentle</code>" in render_handout(
        content.routines["gentle"], content
    )


def test_own_routine_file_is_installed_then_run(content: Content, tmp_path: Path) -> None:
    path = tmp_path / "clinic demo.toml"
    path.write_text(
        'id = "clinic-demo"\nname = "Clinic demo"\ndescription = "Slow."\n'
        '[[step]]\nexercise = "cat_cow"\n',
        encoding="utf-8",
    )
    routine = load_routine_file(path, content)
    commands = [command for _, command in coach_commands(routine, content)]
    assert commands == [
        "spasm-coach routines install 'clinic demo.toml'",
        "spasm-coach coach --routine clinic-demo",
        "spasm-coach coach --routine 'clinic demo.toml'",
    ]
    markdown = render_handout(routine, content, fmt="markdown")
    assert "```sh\nspasm-coach routines install 'clinic demo.toml'\n```" in markdown


def hostile_routine(content: Content):
    doc = {
        "id": "x; rm -rf ~",
        "name": HOSTILE,
        "description": "Line <b>one</b>\n\n# not a heading\n- not a list",
        "step": [{"exercise": "knee_to_chest"}],
    }
    return parse_routine(doc, "evil.toml", content.exercises, content.sources)


def test_html_never_runs_text_from_files_or_the_physio(content: Content) -> None:
    page = render_handout(hostile_routine(content), content, note=f"Note {HOSTILE}\n\nSecond")
    tags = tags_of(page)
    assert "script" not in tags
    assert "img" not in tags
    assert "b" not in tags
    assert esc(HOSTILE) in page
    assert "<p>Note " + esc(HOSTILE) + "</p><p>Second</p>" in page
    assert "spasm-coach coach --routine &#x27;x; rm -rf ~&#x27;" in page


@pytest.mark.parametrize("routine_id", ["standard", "gentle"])
def test_html_is_self_contained(content: Content, routine_id: str) -> None:
    page = render_handout(content.routines[routine_id], content, region=UK, note="Daily.")
    assert not OUTSIDE_ASSET.search(page)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert "@page" in page
    assert "break-inside: avoid" in page


def test_markdown_has_the_same_content_and_no_html(content: Content) -> None:
    routine = content.routines["standard"]
    text = render_handout(routine, content, region=UK, note="Twice a day.", fmt="markdown")
    assert text.startswith(f"# {md(routine.name)}\n")
    assert "## Note from your physiotherapist\n\nTwice a day.\n" in text
    for number, step in enumerate(routine.steps, start=1):
        exercise = step.exercise
        assert f"### {number}. {md(exercise.name)}\n" in text
        assert f"**Dose:** {md(dose_words(step.dose))}\n" in text
        for index, line in enumerate(exercise.movement, start=1):
            assert f"{index}. {md(line)}\n" in text
        for line in exercise.stop_if:
            assert f"- {md(line)}\n" in text
        for frame in exercise.figure:
            assert f"```text\n{frame}\n```\n" in text
    for line in content.ces_card.lines:
        assert f"- {md(line)}\n" in text
    assert "emergency 999; same-day help 111 or your GP" in text
    assert "spasm-coach coach --routine standard" in text
    assert not re.search(r"<[a-z/]", text)


def test_markdown_escapes_what_could_become_markup(content: Content) -> None:
    text = render_handout(
        hostile_routine(content), content, note="*bold* [link](x)", fmt="markdown"
    )
    assert "<script" not in text.replace("\\<script", "")
    assert "\\*bold\\* \\[link\\](x)" in text
    assert "\n\\# not a heading - not a list\n" in text  # one line: no list can start


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("- starts a list", "\\- starts a list"),
        ("1. starts a list", "1\\. starts a list"),
        ("> a quote", "\\> a quote"),
        ("a_b*c`d", "a\\_b\\*c\\`d"),
        ("A&E stays readable", "A&E stays readable"),
        ("&amp; would be an entity", "\\&amp; would be an entity"),
        ("two\nlines", "two lines"),
    ],
)
def test_markdown_text_escape(text: str, escaped: str) -> None:
    assert md(text) == escaped


def test_unknown_format_is_refused(content: Content) -> None:
    with pytest.raises(ValueError, match="html, markdown"):
        render_handout(content.routines["standard"], content, fmt="pdf")
