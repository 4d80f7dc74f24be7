"""Whether a page shows another region's number or service name: shared by the region tests
(tests/unit/test_region_words.py, tests/pilot/test_pilot_region_words.py)."""

from __future__ import annotations

import html
import re

from spasm_coach.content import Content, Region, load_content

REGIONS = tuple(load_content().regions)
"""Every region data/regions.toml ships, read from it: a region added there is tested here."""
NUMBER = re.compile(r"\b\d{3,}(?: \d{2,})*\b|\b\d{2}(?: \d{2}){3}\b")
"""A number to dial: 3 digits or more ('999', '1800 022 222'), or four pairs ('13 43 25 84');
'24' in 'NHS 24' is the service's name, in service_names."""


def own_words(region: Region) -> set[str]:
    """A region's numbers and service names, as the content gives them."""
    texts = [*region.words.values(), region.emergency_note or ""]
    numbers = {match for text in texts for match in NUMBER.findall(text)}
    return {*numbers, region.emergency, *region.service_names}


def others_words(content: Content, region: Region) -> set[str]:
    """What this region's person must never see: the other regions' words it doesn't share."""
    others = set().union(
        *(own_words(other) for other in content.regions.values() if other.id != region.id)
    )
    return others - own_words(region)


def pattern(word: str) -> re.Pattern[str]:
    """The word on its own: a number not inside a longer one, a name not inside a word."""
    if word[0].isdigit():
        return re.compile(rf"(?<![\d.,]){re.escape(word)}(?![\d])")
    return re.compile(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])")


def assert_only_its_own(content: Content, region: Region, where: str, text: str) -> None:
    for word in sorted(others_words(content, region)):
        found = pattern(word).search(text)
        assert found is None, (
            f"{region.id}: {where} shows {word!r}: "
            f"...{text[max(found.start() - 60, 0) : found.end() + 60]}..."
        )


def plain(page: str) -> str:
    """An HTML page's words, as a reader sees them."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))
