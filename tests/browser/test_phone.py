"""Browser mode on a phone held upright (412 x 915 CSS pixels, touch, as a Pixel 7 shows the page):
the page is laid out at the phone's width, the coach at 40 columns or more, and a red-flag
check, a pain score and an exercise step are done with a finger, in real mode."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.browser.tab import (
    Serve,
    browser_tab,
    log_rows,
    read_it,
    screen_text,
    settled,
    tap,
    wait_for_screen,
    wait_until,
)

PHONE: dict[str, Any] = {
    "viewport": {"width": 412, "height": 915},
    "is_mobile": True,  # the viewport tag is obeyed, as on a phone
    "has_touch": True,
    # A device scale of 1: headless Chromium's emulated 2.625 draws xterm's canvas at the
    # wrong scale (its canvas is sized in CSS pixels), which a real phone does not.
    "device_scale_factor": 1,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36"
    ),
}


def test_on_a_phone_a_check_a_score_and_a_step_with_a_finger(
    chromium: str,
    serve: Serve,
    tmp_path: Path,
    owner_home: Path,
    record_property: Callable[[str, object], None],
) -> None:
    server = serve(owner_home)
    with browser_tab(chromium, tmp_path / "profile", **PHONE) as visit:
        page = visit.page
        page.goto(server.url)
        wait_for_screen(page, "Start a stretch session")
        assert page.evaluate("document.documentElement.scrollWidth") == 412, "no viewport tag"
        size = page.evaluate("window.coachScreen.size()")
        assert size["columns"] >= 40, size
        settled(page)
        page.screenshot(path=tmp_path / "phone-home.png")

        tap(page, "(s) Start a stretch session")
        shown = wait_for_screen(page, "Question 1 of")
        count = int(shown.split("Question 1 of ")[1].split()[0])
        for number in range(1, count + 1):
            wait_for_screen(page, f"Question {number} of {count}")
            if number == 1:
                settled(page)
                page.screenshot(path=tmp_path / "phone-check.png")
            read_it()
            tap(page, "(n) No")

        wait_for_screen(page, "How bad is your back pain right now?")
        settled(page)
        page.screenshot(path=tmp_path / "phone-pain.png")
        tap(page, "3", row_with="2")
        wait_for_screen(page, "exercise 1 of", "THIS HURTS: stop now")
        assert page.title().startswith("GET READY")
        tap(page, "Next", row_with="Pause")  # the footer's key, as a finger finds it
        wait_until(lambda: page.title().startswith("HOLD"), "the hold")
        settled(page)
        page.screenshot(path=tmp_path / "phone-hold.png")
        tap(page, "Next", row_with="Pause")
        wait_until(lambda: page.title().startswith("REST"), "the hold done, the rest")

        tap(page, "(h) THIS HURTS: stop now")
        wait_for_screen(page, "You stopped because it hurt")
        tap(page, "2", row_with="1")
        wait_until(
            lambda: len(log_rows(owner_home, "SELECT score FROM pain_score")) == 2,
            "the second score",
        )
        shown = screen_text(page)
    assert not visit.errors
    assert not visit.outside()
    record_property("screenshots", str(tmp_path))
    print(f"screenshots: {tmp_path}/phone-*.png")
    assert log_rows(owner_home, "SELECT level, complete FROM screening") == [("clear", 1)]
    assert log_rows(owner_home, "SELECT score, context FROM pain_score ORDER BY id") == [
        (3, "before-session"),
        (2, "during-session"),
    ]
    assert log_rows(owner_home, "SELECT outcome FROM session") == [("stopped-hurt",)], shown


def test_turned_sideways_and_back_the_coach_still_fits(
    chromium: str, serve: Serve, tmp_path: Path, owner_home: Path
) -> None:
    """The letters are chosen again for the new shape: 60 x 20 lying down, 40 x 30 upright."""
    server = serve(owner_home)
    with browser_tab(chromium, tmp_path / "profile", **PHONE) as visit:
        page = visit.page
        page.goto(server.url)
        wait_for_screen(page, "Start a stretch session")
        for width, height in ((915, 412), (412, 915), (740, 360), (360, 740)):
            page.set_viewport_size({"width": width, "height": height})
            wait_until(
                lambda w=width: (
                    (page.evaluate("window.coachScreen.size()")["columns"] >= 60) is (w > 600)
                ),
                f"the coach to lay out for {width} x {height}",
            )
            shown = wait_for_screen(page, "Start a stretch session")
            assert "more room" not in shown, (
                width,
                height,
                page.evaluate("window.coachScreen.size()"),
            )


def test_a_phone_too_small_for_the_coach_says_what_to_do(
    chromium: str, serve: Serve, tmp_path: Path, owner_home: Path
) -> None:
    """Larger letters asked for in the address (as browser zoom does): the coach says how to
    make room on a phone, and not 'drag the window' or 'Ctrl+C'."""
    server = serve(owner_home)
    with browser_tab(chromium, tmp_path / "profile", **PHONE) as visit:
        page = visit.page
        page.goto(server.url + "?fontsize=24")
        said = " ".join(wait_for_screen(page, "more room").split())
        assert "On a phone, turn it sideways, or zoom the page out" in said
        assert "Ctrl+C" not in said, "a phone has no Ctrl+C"
        assert "make the window" not in said, "a phone has no window to drag"
        page.set_viewport_size({"width": 915, "height": 412})  # sideways: still too short
        said = " ".join(wait_for_screen(page, "turn it upright").split())
        assert "zoom the page out" in said
        page.goto(server.url + "?fontsize=14")  # zoomed out
        wait_for_screen(page, "Start a stretch session")
