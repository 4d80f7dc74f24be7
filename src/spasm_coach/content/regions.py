"""Regions: where to send people (their emergency number and services), read from
data/regions.toml, and the region a locale suggests."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from spasm_coach.content.models import Content, Region, Source
from spasm_coach.content.reading import Reader, read_toml

REGION_ID = re.compile(r"[a-z][a-z0-9_]*")
EMERGENCY_DIGITS = (3, 6)
"""How many digits an emergency number has, as dialled: 3 (112, 999, 000) up to 6 (South Africa's
ambulance number, 10177, has 5). A slip that adds or drops digits beyond these is caught."""
EMERGENCY_NUMBER = re.compile(rf"[0-9]{{{EMERGENCY_DIGITS[0]},{EMERGENCY_DIGITS[1]}}}")
TERRITORY = re.compile(r"[A-Z]{2}")


def read_regions(root: Path, sources: Mapping[str, Source]) -> dict[str, Region]:
    file = "regions.toml"
    doc = read_toml(root, file)
    top = Reader(file, None, doc, sources)
    top.only(("regions", "sources"), "regions.toml")  # its sources are read with the others
    tables = doc.get("regions")
    if not isinstance(tables, dict) or not tables:
        raise top.error("regions", "missing")
    regions: dict[str, Region] = {}
    owner: dict[str, str] = {}
    for region_id, table in tables.items():
        reader = top.child(f"regions.{region_id}", table)
        if not REGION_ID.fullmatch(region_id):
            raise reader.error(None, "a region id is lower-case letters, digits or _")
        reader.only(REGION_FIELDS, "region")
        emergency = reader.text("emergency")
        if not EMERGENCY_NUMBER.fullmatch(emergency):
            low, high = EMERGENCY_DIGITS
            raise reader.error(
                "emergency", f"{emergency!r}: an emergency number is {low} to {high} digits"
            )
        territories = reader.lines("territories")
        for territory in territories:
            if not TERRITORY.fullmatch(territory):
                raise reader.error("territories", f"{territory!r} is not an ISO 3166 code (GB)")
            if territory in owner:
                raise reader.error("territories", f"{territory} is in region '{owner[territory]}'")
            owner[territory] = region_id
        region = Region(
            id=region_id,
            name=reader.text("name"),
            emergency=emergency,
            emergency_note=reader.optional_text("emergency_note"),
            urgent=reader.text("urgent"),
            territories=territories,
            sources=reader.sources(),
            emergency_place=reader.text("emergency_place"),
            doctor=reader.text("doctor"),
            service_names=reader.lines("service_names"),
        )
        own_words = " ".join([*region.words.values(), region.emergency_note or ""])
        for name in (region.emergency, *region.service_names):
            if name not in own_words:
                raise reader.error("service_names", f"{name!r} is not in this region's words")
        regions[region_id] = region
    return regions


REGION_FIELDS = (
    "name",
    "emergency",
    "emergency_note",
    "emergency_place",
    "doctor",
    "urgent",
    "service_names",
    "territories",
    "source",
)


LOCALE_VARIABLES = ("LC_ALL", "LC_TELEPHONE", "LC_MESSAGES", "LANG")
"""Where a locale names the person's country, in the order POSIX gives them weight (the
telephone category is the one about phone numbers)."""


def environment_locale(environ: Mapping[str, str]) -> str | None:
    """The locale the environment sets, as written ('en_AU.UTF-8'); None when none is set.

    Read from the variables themselves: Python's locale.getlocale() turns C.UTF-8 into en_US,
    which would suggest a US emergency number to anyone whose system has no locale set up.
    """
    return next((environ[name] for name in LOCALE_VARIABLES if environ.get(name)), None)


def guess_region(content: Content, locale_name: str | None) -> str | None:
    """The region whose territories hold the locale's country ('en_AU.UTF-8' -> 'au').

    None when the locale names no country ('C', 'POSIX', unset) or one no region covers: then
    the caller asks, rather than guess a number someone might dial in an emergency.
    """
    if not locale_name:
        return None
    tag = locale_name.split(".")[0].split("@")[0]
    parts = re.split(r"[_-]", tag)[1:]
    country = next((part.upper() for part in parts if len(part) == 2 and part.isalpha()), None)
    if country is None:
        return None
    return next(
        (region.id for region in content.regions.values() if country in region.territories), None
    )
