"""The routine handout: every instruction, the dose in words, the safety card, nothing trusted."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from spasm_coach.advice import NO_REGION_EMERGENCY, NO_REGION_URGENT, warning_signs
from spasm_coach.content import Content, Dose, Routine, load_routine_file, parse_routine
from spasm_coach.handout import (
    coach_commands,
    common_stop_signs,
    dose_words,
    render_handout,
    step_dose_words,
)
from spasm_coach.html import esc
from spasm_coach.markdown import md

OUTSIDE_ASSET = re.compile(
    r"(<link\b|<script\b|<img\b|<iframe\b|<object\b|<embed\b|url\(|@import|\b(?:src|href|action)\s*=\s*['\"]?\s*(?:https?:)?//)",
    re.I,
)
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class Tags(HTMLParser):
    """The element names a browser would build from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
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
        (
            Dose(hold_seconds=10, repetitions=8, sided=True, only_side="right", rest_seconds=5),
            "Hold 10 seconds, 8 times, rest 5 seconds between, right side only.",
        ),
        (Dose(hold_seconds=1, repetitions=2), "Hold 1 second, twice."),
        (
            Dose(hold_seconds=90, repetitions=2, rest_seconds=120),
            "Hold 90 seconds, twice, rest 2 minutes between.",
        ),
    ],
)  # fmt: skip
def test_dose_in_words(dose: Dose, words: str) -> None:
    assert dose_words(dose) == words


def test_a_still_hold_of_one_breath_is_not_called_cycles() -> None:
    dose = Dose(hold_seconds=10, repetitions=8, rest_seconds=5, breath_in_seconds=4,
                breath_out_seconds=6)  # fmt: skip
    assert dose_words(dose, flow=False) == (
        "Hold for one slow breath (in 4 s, out 6 s), 8 times, rest 5 seconds between."
    )
    assert dose_words(dose, flow=True).startswith("8 slow cycles")


def test_html_has_every_instruction_of_every_exercise(content: Content) -> None:
    routine = content.routines["standard"]
    page = render_handout(routine, content)
    assert f"<h1>{esc(routine.name)}</h1>" in page
    assert esc(routine.description) in page
    for line in common_stop_signs(routine):
        assert f"<li>{esc(line)}</li>" in page
    for step in routine.steps:
        exercise = step.exercise
        assert esc(exercise.name) in page
        assert f"Dose: {esc(step_dose_words(step))}" in page
        for line in (*exercise.start_position, *exercise.movement):
            assert f"<li>{esc(line)}</li>" in page
        for line in exercise.stop_if:
            assert esc(line) in page
        assert esc(exercise.feel) in page
        for frame in exercise.figure:
            assert f">{esc(frame)}</pre>" in page
        for caution in exercise.cautions:
            assert esc(caution.modified or caution.advice) in page
    assert "Hold 20 seconds, 3 times each side, rest 10 seconds between." in page
    assert "8 slow cycles, breathing in 5 s and out 5 s." in page
    assert "Hold for one slow breath (in 4 s, out 6 s), 8 times, rest 5 seconds between." in page


def test_a_dose_that_differs_from_a_source_says_which_it_follows(content: Content) -> None:
    page = render_handout(content.routines["standard"], content)
    usual = content.exercises["knee_to_chest"].dose_range
    assert usual is not None
    assert esc(f"Dose follows ACSM-2021. {usual.follows_why}") in page
    mine = parse_routine(
        {"id": "m", "name": "M", "description": "d",
         "step": [{"exercise": "knee_to_chest", "hold_seconds": 15}]},
        "m.toml", content.exercises, content.sources,
    )  # fmt: skip
    assert "Dose follows" not in render_handout(mine, content)  # a physio's own dose


def test_personal_cautions_are_named_by_condition(content: Content) -> None:
    page = render_handout(content.routines["standard"], content)
    assert "<strong>Osteoporosis (thin bones):</strong> Skip this one" in page
    assert "<strong>Pregnancy:</strong> Skip this one" in page
    assert "<strong>Knee problems:</strong> Instead: Hold behind your thigh" in page


def test_the_warning_signs_and_what_to_do_come_before_the_exercises(content: Content) -> None:
    page = render_handout(content.routines["gentle"], content)
    safety = page.index('id="safety-title"')
    assert safety < page.index("The exercises") < page.index("1. Knee to chest")
    for group in warning_signs(content, None):
        assert f"<h3>{esc(group.action)}</h3>" in page
        for sign in group.signs:
            assert f"<li>{esc(sign)}</li>" in page
    assert f"Emergency: call {esc(NO_REGION_EMERGENCY)}." in page
    assert esc(NO_REGION_URGENT) in page


def test_region_words_fill_the_handout(content: Content) -> None:
    uk = content.regions["uk"]
    page = render_handout(content.routines["standard"], content, region=uk)
    assert "<h3>Call 999 for an ambulance now</h3>" in page
    assert f"<h3>{esc('Go to A&E now')}</h3>" in page
    assert esc("Your numbers (United Kingdom): emergency 999; same-day help: your GP") in page
    assert "{emergency" not in page
    assert "{urgent}" not in page
    without = render_handout(content.routines["standard"], content)
    assert f"Call {NO_REGION_EMERGENCY} for an ambulance now" in without


@pytest.mark.parametrize("routine_id", ["standard", "gentle", "getting_stronger", "relaxation"])
def test_the_words_are_for_paper(content: Content, routine_id: str) -> None:
    """Nothing a reader of the printed page can't follow: no screen, no pacer, and sides as
    the dose says them."""
    for fmt in ("html", "markdown"):
        page = render_handout(content.routines[routine_id], content, fmt=fmt).lower()
        for screen_words in ("on screen", "pacer", "the side on screen", "the part on screen"):
            assert screen_words not in page, (routine_id, fmt, screen_words)


def test_a_one_sided_step_never_says_the_other_side(content: Content, tmp_path: Path) -> None:
    path = tmp_path / "right.toml"
    path.write_text(
        'id = "right"\nname = "Right"\ndescription = "d"\n'
        '[[step]]\nexercise = "knee_to_chest"\nside = "right"\n'
        '[[step]]\nexercise = "bird_dog"\nside = "left"\n',
        encoding="utf-8",
    )
    routine = load_routine_file(path, content)
    page = render_handout(routine, content)
    assert "other side" not in page
    assert "each side" not in page
    assert "right side only." in page
    assert "left side only." in page


def test_exercises_flow_and_never_split(content: Content) -> None:
    page = render_handout(content.routines["standard"], content)
    assert "break-before: page" not in page
    assert "page-break-before" not in page
    steps = content.routines["standard"].steps
    assert page.count('<section class="exercise keep">') == len(steps)
    assert ".keep { break-inside: avoid; page-break-inside: avoid; }" in page


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


def hostile_routine(content: Content) -> Routine:
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
    uk = content.regions["uk"]
    page = render_handout(content.routines[routine_id], content, region=uk, note="Daily.")
    assert not OUTSIDE_ASSET.search(page)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert "@page" in page
    assert "break-inside: avoid" in page


def test_markdown_has_the_same_content_and_no_html(content: Content) -> None:
    routine = content.routines["standard"]
    uk = content.regions["uk"]
    text = render_handout(routine, content, region=uk, note="Twice a day.", fmt="markdown")
    assert text.startswith(f"# {md(routine.name)}\n")
    assert text.index("## Warning signs") < text.index("## The exercises")
    assert "## Note from your physiotherapist\n\nTwice a day.\n" in text
    for number, step in enumerate(routine.steps, start=1):
        exercise = step.exercise
        assert f"### {number}. {md(exercise.name)}\n" in text
        assert f"**Dose:** {md(step_dose_words(step))}\n" in text
        for index, line in enumerate(exercise.movement, start=1):
            assert f"{index}. {md(line)}\n" in text
        for line in exercise.stop_if:
            assert f"- {md(line)}\n" in text
        for frame in exercise.figure:
            assert f"```text\n{frame}\n```\n" in text
    for group in warning_signs(content, uk):
        assert f"**{md(group.action)}:**" in text
        for sign in group.signs:
            assert f"- {md(sign)}\n" in text
    assert "emergency 999; same-day help: your GP" in text
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
