"""A person never sees another region's number or service name (CLINICAL.md section 7).

For every region: every card (each level, each sign's action, a quick check's yes, the
cauda-equina and education cards, the lines with the numbers), every handout (HTML and
Markdown, every built-in routine), the clinic report of a log with every kind of check, and the
sources page are rendered, and each is searched for the other regions' numbers and service
names (regions.toml `service_names`, and every number in each region's words). The TUI's own
screens are read the same way in tests/pilot/test_region_words.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from tests.factory import add_pain, add_session
from tests.region_check import REGIONS, assert_only_its_own, own_words, pattern, plain

from spasm_coach import advice
from spasm_coach.content import Content, Region
from spasm_coach.handout import render_handout
from spasm_coach.records import Screening
from spasm_coach.report import render_report
from spasm_coach.store import Store
from spasm_coach.vocabulary import (
    CheckKind,
    Level,
    PainContext,
    QuickAnswer,
    ScreeningReason,
    SessionOutcome,
)

NOW = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)


def cards(content: Content, region: Region) -> Iterator[tuple[str, str]]:
    """Every card's words for the region, with what it is."""
    for flag in content.flags:
        found = advice.outcome_advice(content, flag.level, [flag.id], region)
        words = [found.title, *found.lines, found.big or ""]
        words += [group.action for group in found.groups]
        yield f"the card for {flag.id}", " ".join(words)
    quick = advice.outcome_advice(
        content, Level.EMERGENCY, [QuickAnswer.EMERGENCY_SIGNS.value], region
    )
    yield "a quick check's emergency card", " ".join([quick.title, *quick.lines, quick.big or ""])
    for level in Level:
        filled = advice.level_advice(content, level, region)
        yield f"the {level} card", f"{filled.title} {filled.action}"
    for card in (content.ces_card, *content.education):
        shown = advice.card(card, region)
        yield f"the {card.id} card", " ".join([shown.title, *shown.lines])
    yield (
        "the number lines",
        " ".join(
            [advice.emergency_line(region), advice.urgent_line(region), advice.where_line(region)]
        ),
    )
    for group in advice.warning_signs(content, region):
        yield "the warning signs", " ".join([group.action, *group.signs])


def sources_page(content: Content, region: Region) -> str:
    changes = [f"{c.text} {' '.join(c.sources)}" for c in content.changes_for(region)]
    sources = [f"{s.id} {s.title} {s.url}" for s in content.sources_for(region)]
    return " ".join(changes + sources)


@pytest.fixture
def every_check(store: Store) -> Store:
    """A log with every kind of check and an emergency from each action."""
    at = NOW - timedelta(days=3)
    for offset, flags in enumerate(
        [
            ("chest_pain",),
            ("saddle_numbness",),
            ("major_trauma",),
            ("pregnant", "pregnancy_warning_signs"),
            ("fever",),
            ("not_improving",),
        ]
    ):
        level = max(
            (Level.EMERGENCY if f in ("chest_pain", "saddle_numbness", "major_trauma") else
             Level.URGENT if f in ("fever", "pregnancy_warning_signs") else Level.SOON
             for f in flags),
            key=lambda level: level.rank,
        )  # fmt: skip
        store.save_screening(
            Screening(
                str(uuid.uuid4()),
                at + timedelta(hours=offset),
                level,
                flags,
                dict.fromkeys(flags, True),
                ScreeningReason.BEFORE_SESSION,
                complete=level is not Level.EMERGENCY,
            )
        )
    store.save_screening(
        Screening(
            str(uuid.uuid4()),
            at + timedelta(hours=8),
            Level.EMERGENCY,
            (QuickAnswer.EMERGENCY_SIGNS.value,),
            {QuickAnswer.EMERGENCY_SIGNS.value: True},
            ScreeningReason.IT_HURT,
            kind=CheckKind.QUICK,
            complete=False,
        )
    )
    record = add_session(store, "standard", "Standard: daily routine", at, None)
    store.end_session(record.uid, at + timedelta(seconds=3), SessionOutcome.STOPPED_HURT)
    add_pain(store, 8, at, PainContext.BEFORE_SESSION)
    return store


@pytest.mark.parametrize("region_id", REGIONS)
def test_every_card_shows_only_its_regions_words(content: Content, region_id: str) -> None:
    region = content.regions[region_id]
    for where, text in cards(content, region):
        assert_only_its_own(content, region, where, text)


@pytest.mark.parametrize("region_id", REGIONS)
def test_every_handout_shows_only_its_regions_words(content: Content, region_id: str) -> None:
    region = content.regions[region_id]
    for routine in content.routines.values():
        page = render_handout(routine, content, region=region)
        assert_only_its_own(content, region, f"the {routine.id} handout", plain(page))
        assert region.emergency in plain(page)
        text = render_handout(routine, content, region=region, fmt="markdown")
        assert_only_its_own(content, region, f"the {routine.id} handout (Markdown)", text)


@pytest.mark.parametrize("region_id", REGIONS)
def test_the_report_shows_only_its_regions_words(
    content: Content, every_check: Store, region_id: str
) -> None:
    region = content.regions[region_id]
    page = render_report(
        every_check,
        content,
        since=None,
        until=None,
        now=NOW,
        routine=content.routines["standard"],
        region=region,
    )
    words = plain(page)
    assert_only_its_own(content, region, "the report", words)
    assert f"Call {region.emergency} for an ambulance now" in words


@pytest.mark.parametrize("region_id", REGIONS)
def test_the_sources_page_shows_only_its_regions_services(content: Content, region_id: str) -> None:
    region = content.regions[region_id]
    page = sources_page(content, region)
    assert_only_its_own(content, region, "the sources page", page)
    for source in region.sources:
        assert content.sources[source].url in page


def test_the_check_itself_would_catch_another_regions_word(content: Content) -> None:
    """The search is not blind: the UK's words on a US card are found."""
    us = content.regions["us"]
    with pytest.raises(AssertionError, match="'A&E'"):
        assert_only_its_own(content, us, "a card", "Go to A&E now.")
    with pytest.raises(AssertionError, match="'999'"):
        assert_only_its_own(content, us, "a card", "Call 999 now.")
    with pytest.raises(AssertionError, match="'NURSE-ON-CALL'"):
        assert_only_its_own(content, content.regions["nz"], "a card", "NURSE-ON-CALL")
    assert_only_its_own(content, us, "a date", "Spine 2008;33(1):90-94, 2026-11-01, 1,999")


def test_with_no_region_no_number_or_service_is_named(content: Content) -> None:
    every = set().union(*(own_words(region) for region in content.regions.values()))
    texts = [text for _, text in cards(content, None)]  # type: ignore[arg-type]
    texts.append(plain(render_handout(content.routines["standard"], content)))
    for text in texts:
        for word in every:
            assert pattern(word).search(text) is None, (word, text[:200])
