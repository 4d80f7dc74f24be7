"""The handout and the clinic report opened in headless Chromium: a screenshot and a PDF each.

Checks what a browser makes of them: both render, print on Letter and on A4 in a sensible number
of pages, and fetch nothing from elsewhere. Set SPASM_COACH_RENDERS=DIR to keep the PNGs and PDFs
for a look.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import struct
import subprocess
from pathlib import Path

import pytest
from tests.fixed_routines import with_fixed_routines
from tests.render.month import Month

from spasm_coach.advice import warning_signs
from spasm_coach.content import Content, Routine
from spasm_coach.handout import render_handout
from spasm_coach.plans import built_in_plans
from spasm_coach.report import render_report

CHROMIUM = Path("/usr/bin/chromium")
WINDOW = (1240, 1754)
"""A4 proportions at about 150 dpi."""
TIMEOUT_SECONDS = 120
OUTSIDE_ASSET = re.compile(
    r"(<link\b|<script\b|<img\b|<iframe\b|<object\b|<embed\b|@import|\b(?:src|href|action)\s*=\s*['\"]?\s*(?:https?:)?//"
    r"|url\(\s*['\"]?\s*(?!#))",
    re.I,
)
"""Anything a browser would fetch; url(#hatch) points inside the page and is allowed."""
PAPER = {"letter": (612, 792), "A4": (595, 842)}
"""Page sizes in points, as a PDF's MediaBox gives them (rounded)."""


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run the render checks")
    return CHROMIUM


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    kept = os.environ.get("SPASM_COACH_RENDERS")
    if kept:
        Path(kept).mkdir(parents=True, exist_ok=True)
        return Path(kept)
    return tmp_path


def run_chromium(chromium: Path, profile: Path, *arguments: str) -> None:
    """One headless run in its own process group, ended whole if it hangs."""
    command = [
        str(chromium),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *arguments,
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _, errors = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"chromium took over {TIMEOUT_SECONDS} s: {' '.join(arguments)}")
    assert process.returncode == 0, errors.decode(errors="replace")[-2000:]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def pdf_pages(path: Path) -> list[tuple[int, int]]:
    """Each page's size in points: pdfinfo's count when it is installed, else the page objects."""
    data = path.read_bytes()
    assert data.startswith(b"%PDF-"), f"{path} is not a PDF"
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    sizes = [(round(float(w)), round(float(h))) for w, h in boxes]
    page_objects = len(re.findall(rb"/Type\s*/Page\b", data))
    if shutil.which("pdfinfo"):
        info = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True, check=True
        ).stdout
        found = re.search(r"^Pages:\s+(\d+)", info, re.M)
        assert found is not None, info
        pages = int(found[1])
        assert pages == page_objects
    return sizes[:page_objects] if len(sizes) >= page_objects else sizes


def with_paper(page: str, paper: str) -> str:
    """The page as printed on `paper`: what a printer set to that size does with `size: auto`."""
    return page.replace("</style>", f"@page {{ size: {paper}; }}</style>", 1)


def render_both(
    chromium: Path, html: str, name: str, out_dir: Path, tmp_path: Path
) -> tuple[Path, dict[str, Path]]:
    """Screenshot and Letter and A4 PDFs of `html`; returns (png, {paper: pdf})."""
    assert not OUTSIDE_ASSET.search(html), OUTSIDE_ASSET.search(html)
    page = out_dir / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    png = out_dir / f"{name}.png"
    run_chromium(
        chromium,
        tmp_path / "profile",
        f"--screenshot={png}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        page.as_uri(),
    )
    pdfs = {}
    for paper in PAPER:
        sized = out_dir / f"{name}-{paper}.html"
        sized.write_text(with_paper(html, paper), encoding="utf-8")
        pdfs[paper] = out_dir / f"{name}-{paper}.pdf"
        run_chromium(
            chromium,
            tmp_path / "profile",
            f"--print-to-pdf={pdfs[paper]}",
            "--no-pdf-header-footer",
            sized.as_uri(),
        )
        sized.unlink()
    return png, pdfs


def check_renders(png: Path, pdfs: dict[str, Path], pages: range) -> None:
    assert png_size(png) == WINDOW
    assert png.stat().st_size > 50_000, "the screenshot is nearly blank"
    for paper, pdf in pdfs.items():
        assert pdf.stat().st_size > 20_000, f"{pdf} is nearly empty"
        sizes = pdf_pages(pdf)
        assert len(sizes) in pages, f"{paper}: {len(sizes)} pages"
        assert set(sizes) == {PAPER[paper]}, sizes


def pdf_page_texts(path: Path) -> list[str]:
    """Each page's words, as pdftotext reads them (poppler-utils)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not found: install poppler-utils to read the printed pages")
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def positions(routine: Routine) -> int:
    """The figures a routine's handout draws: one for each position of each exercise."""
    return sum(
        len(step.exercise.poses.positions)
        for step in routine.steps
        if step.exercise.poses is not None
    )


@pytest.mark.parametrize("region_id", ["uk", "au"])
def test_the_standard_handout_prints_on_two_pages_warning_signs_first(
    chromium: Path, content: Content, out_dir: Path, tmp_path: Path, region_id: str | None
) -> None:
    """Issue 17: the warning signs and what to do on page 1, the exercises flowing after them,
    none split by a page break, two pages in all on A4 and on Letter (the UK's and Australia's
    same-day lines are the longest, so every region fits if they do; a physiotherapist's note
    takes room too). The routine is the four exercises the layout was made for (tests/routines/):
    a routine given more exercises in data/ may take more pages."""
    content = with_fixed_routines(content)  # the four-exercise routine the layout was made for
    routine = content.routines["standard"]
    region = content.regions[region_id] if region_id else None
    html = render_handout(
        routine,
        content,
        region=region,
        note="Start with two sessions a day; add the third when it feels easy.",
    )
    assert html.count("<svg") == positions(routine)  # every position a figure, drawn as SVG
    assert html.count('aria-label="Cobra (start as sphinx): sphinx') == 1
    png, pdfs = render_both(chromium, html, f"handout-standard-{region_id}", out_dir, tmp_path)
    check_renders(png, pdfs, pages=range(2, 3))
    emergency = region.emergency if region else "your local emergency number"
    for paper, pdf in pdfs.items():
        pages = pdf_page_texts(pdf)
        assert len(pages) == 2, paper
        first = pages[0]
        assert "Warning signs: stop and get help" in first, paper
        assert "1. Knee to chest" in first, paper
        # the box's three columns come out interleaved: every word of each line is there
        on_page_one = set(first.split())
        for line in (
            f"Call {emergency} for an ambulance now",
            *(sign for group in warning_signs(content, region) for sign in group.signs),
        ):
            assert set(line.split()) <= on_page_one, (paper, line)
        for number, step in enumerate(routine.steps, start=1):
            title = f"{number}. {step.exercise.name}"
            (page,) = [page for page in pages if title in page]
            last_line = " ".join(step.exercise.movement[-1].split()[-3:])
            assert last_line in page, (paper, title, "split across pages")


def test_report_renders_and_prints_on_letter_and_a4(
    chromium: Path, month_log: Month, content: Content, out_dir: Path, tmp_path: Path
) -> None:
    routine = content.routines["standard"]
    html = render_report(
        month_log.store,
        content,
        since=month_log.since,
        until=month_log.until,
        now=month_log.now,
        routine=routine,
        plan=built_in_plans(content)["recovery"],
    )
    assert html.count("<svg") == 2 + positions(routine)  # the two charts, and every position
    assert "The plan: stages and changes" in html
    png, pdfs = render_both(chromium, html, "report-30-days", out_dir, tmp_path)
    check_renders(png, pdfs, pages=range(2, 6))


def test_plan_handout_renders_and_prints_on_letter_and_a4(
    chromium: Path, content: Content, out_dir: Path, tmp_path: Path
) -> None:
    from spasm_coach.plan_handout import render_plan_handout

    html = render_plan_handout(
        built_in_plans(content)["recovery"],
        content,
        note="Call me if it isn't easing by Friday.",
    )
    png, pdfs = render_both(chromium, html, "plan-handout", out_dir, tmp_path)
    check_renders(png, pdfs, pages=range(2, 5))
