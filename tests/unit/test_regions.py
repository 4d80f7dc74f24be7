"""Sources have addresses; phone numbers live only in regions.toml and reach the advice through
{emergency} and {urgent}, so a person only ever sees the numbers of the region they chose."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from spasm_coach.content import (
    Content,
    Source,
    environment_locale,
    fill_placeholders,
    guess_region,
)
from spasm_coach.vocabulary import Level

# The ids the clinical reference cites, and those added for regions, relaxation and medicines.
SOURCE_IDS = {
    "IFOMPT-2020",
    "NICE-NG59",
    "NICE-CKS",
    "NHS-BP",
    "NHS-CES",
    "NHS-EX",
    "NHSI-EX",
    "CSP-BP",
    "MAYO-STRETCH",
    "UW-CAT",
    "ACSM-2021",
    "ACP-2017",
    "COCHRANE-HEAT",
    "NHS-HEAT",
    "NHS-COLD",
    "DOWNIE-2013",
    "HENSCHKE-2013",
    "OSTELO-2008",
    "FARRAR-2001",
    "LOINC-72514-3",
    "FHIR-R4",
    "GIRFT-CES",
    "HSE",
    "911-GOV",
    "HEALTHDIRECT",
    "HEALTHLINE-NZ",
    "EU-112",
    "CANADA-811",
    "NHS-MEDS",
}

EU_WITHOUT_IRELAND = {
    *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU"),
    *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
}


# ---- sources -------------------------------------------------------------------------------


def test_every_source_id_the_content_needs_is_listed(content: Content) -> None:
    assert set(content.sources) >= SOURCE_IDS


def test_every_source_has_a_title_and_an_https_address(content: Content) -> None:
    for source_id, source in content.sources.items():
        assert isinstance(source, Source)
        assert source.id == source_id
        assert len(source.title) > 10, source_id
        assert re.fullmatch(r"https://[^\s]+", source.url), source_id


def test_journal_papers_link_to_their_doi(content: Content) -> None:
    for source_id in ("IFOMPT-2020", "ACP-2017", "COCHRANE-HEAT", "OSTELO-2008", "FARRAR-2001"):
        assert content.sources[source_id].url.startswith("https://doi.org/10."), source_id


# ---- regions -------------------------------------------------------------------------------


def test_regions_are_offered_in_file_order(content: Content) -> None:
    assert list(content.regions)[:7] == ["uk", "ie", "us", "ca", "au", "nz", "eu"]


@pytest.mark.parametrize(
    ("region_id", "name", "emergency", "urgent_says"),
    [
        ("uk", "United Kingdom", "999", "NHS 111"),
        ("ie", "Ireland", "112", "out-of-hours"),
        ("us", "United States", "911", "urgent care"),
        ("ca", "Canada", "911", "811"),
        ("au", "Australia", "000", "1800 022 222"),
        ("nz", "New Zealand", "111", "0800 611 116"),
        ("eu", "European Union", "112", "out-of-hours"),
    ],
)
def test_each_region_has_its_numbers(
    content: Content, region_id: str, name: str, emergency: str, urgent_says: str
) -> None:
    region = content.regions[region_id]
    assert (region.id, region.name, region.emergency) == (region_id, name, emergency)
    assert urgent_says in region.urgent
    assert region.sources


@pytest.mark.parametrize(("region_id", "note"), [("uk", "112"), ("ie", "999"), ("au", "112")])
def test_other_numbers_that_work_are_a_note(content: Content, region_id: str, note: str) -> None:
    emergency_note = content.regions[region_id].emergency_note
    assert emergency_note is not None
    assert note in emergency_note


def test_every_territory_belongs_to_one_region(content: Content) -> None:
    territories = [code for region in content.regions.values() for code in region.territories]
    assert len(territories) == len(set(territories))
    assert content.regions["uk"].territories == ("GB",)
    assert set(content.regions["eu"].territories) == EU_WITHOUT_IRELAND


@pytest.mark.parametrize(
    ("locale_name", "region_id"),
    [
        ("en_GB.UTF-8", "uk"),
        ("en_AU.UTF-8", "au"),
        ("en_NZ", "nz"),
        ("en_US.UTF-8", "us"),
        ("fr_CA.UTF-8", "ca"),
        ("ga_IE.UTF-8", "ie"),
        ("en-IE", "ie"),
        ("de_DE.UTF-8", "eu"),
        ("nl_BE.UTF-8@euro", "eu"),
        ("ca_ES.UTF-8", "eu"),  # Catalan in Spain, not Canada
        ("en_gb", "uk"),
        ("sr_Latn_RS", None),  # a country no region covers: ask
        ("es_419.UTF-8", None),  # Latin America, not a country
        ("en", None),
        ("C.UTF-8", None),
        ("POSIX", None),
        ("", None),
        (None, None),
    ],
)
def test_guess_region_from_the_locale(
    content: Content, locale_name: str | None, region_id: str | None
) -> None:
    assert guess_region(content, locale_name) == region_id


@pytest.mark.parametrize(
    ("environ", "region_id"),
    [
        ({"LANG": "C.UTF-8"}, None),  # no locale set up: ask (Python would say en_US)
        ({"LANG": "en_AU.UTF-8"}, "au"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "uk"),
        ({"LANG": "en_US.UTF-8", "LC_TELEPHONE": "en_IE.UTF-8"}, "ie"),
        ({"LC_ALL": "", "LANG": "en_NZ.UTF-8"}, "nz"),  # an empty variable counts as unset
        ({}, None),
    ],
)
def test_the_suggestion_comes_from_the_environment_as_written(
    content: Content, environ: dict[str, str], region_id: str | None
) -> None:
    assert guess_region(content, environment_locale(environ)) == region_id


# ---- placeholders --------------------------------------------------------------------------


@pytest.mark.parametrize("level", list(Level))
def test_level_advice_for_every_region_has_no_placeholder_left(
    content: Content, level: Level
) -> None:
    for region in content.regions.values():
        advice = content.levels[level].for_region(region)
        assert "{" not in advice.title + advice.action, (level, region.id)
        assert advice.level is level
        assert advice.sources == content.levels[level].sources


def test_cards_for_every_region_have_no_placeholder_left(content: Content) -> None:
    for region in content.regions.values():
        for card in (content.ces_card, *content.education):
            filled = card.for_region(region)
            assert "{" not in filled.title + "".join(filled.lines), (card.id, region.id)


def test_emergency_advice_shows_only_the_chosen_regions_number(content: Content) -> None:
    advice = content.levels[Level.EMERGENCY].for_region(content.regions["au"])
    assert "000" in advice.action
    assert not re.search(r"\b(999|911|112)\b", advice.action)


def test_with_words_fills_text_from_elsewhere(content: Content) -> None:
    words = {
        "emergency": "999 (UK) or 112",
        "emergency_place": "A&E",
        "doctor": "your GP",
        "urgent": "your GP",
    }
    advice = content.levels[Level.URGENT].with_words(words)
    assert "Get medical help today: your GP." in advice.action
    assert "call 999 (UK) or 112 or go to A&E." in advice.action


@pytest.mark.parametrize(
    ("region_id", "place", "doctor", "says"),
    [
        ("uk", "A&E", "your GP", ("NHS 111 in England and Wales", "NHS 24 in Scotland",
                                  "in Northern Ireland, your GP out-of-hours service")),
        ("ie", "the emergency department", "your GP", ("GP out-of-hours service",)),
        ("us", "the emergency room", "your doctor", ("urgent care",)),
        ("ca", "the emergency room", "your doctor", ("urgent care", "811 where available")),
        ("au", "the emergency department", "your GP", ("healthdirect on 1800 022 222",
                                                       "Victoria: NURSE-ON-CALL, 1300 60 60 24",
                                                       "Queensland: 13 HEALTH, 13 43 25 84")),
        ("nz", "the emergency department", "your doctor", ("Healthline on 0800 611 116",)),
        ("eu", "the emergency department", "your doctor", ("out-of-hours",)),
    ],
)  # fmt: skip
def test_each_region_carries_its_own_words(
    content: Content, region_id: str, place: str, doctor: str, says: tuple[str, ...]
) -> None:
    region = content.regions[region_id]
    assert (region.emergency_place, region.doctor) == (place, doctor)
    for words in says:
        assert words in region.urgent
    assert region.service_names


def test_fill_placeholders_leaves_other_names_for_later() -> None:
    assert fill_placeholders("at {time}, call {emergency}", {"emergency": "111"}) == (
        "at {time}, call 111"
    )


# ---- no numbers outside regions.toml, no medicine names anywhere ---------------------------

PHONE_NUMBER = re.compile(r"\b(999|911|112|111|000|811|0800|1800)\b")


def _texts(value: object, where: str) -> Iterator[tuple[str, str]]:
    """Every string in a loaded content value, with where it was found."""
    if isinstance(value, str):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _texts(getattr(value, item.name), f"{where}.{item.name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{where}[{key}]")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")


def test_no_phone_number_outside_the_regions(content: Content) -> None:
    changes = tuple(dataclasses.replace(change, sources=()) for change in content.changes)
    advice = dataclasses.replace(content, regions={}, sources={}, changes=changes)
    texts = list(_texts(advice, "content"))
    assert len(texts) > 500
    assert any("{emergency}" in text for _, text in texts)
    found = [(where, text) for where, text in texts if PHONE_NUMBER.search(text)]
    assert found == []


MEDICINES = ("paracetamol", "ibuprofen", "codeine", "naproxen", "aspirin", "diazepam")


def test_no_medicine_names_anywhere_in_the_data_folder(content: Content) -> None:
    files = [path for path in sorted(Path(content.root).rglob("*")) if path.is_file()]
    assert any(path.name == "README.md" for path in files)
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        for medicine in MEDICINES:
            assert medicine not in text, f"{path.name} names {medicine}"
