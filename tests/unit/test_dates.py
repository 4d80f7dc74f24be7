"""Dates typed on the command line, read against a fixed `now` in a fixed local time zone."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from spasm_coach.dates import parse_moment, parse_when

GMT = UTC
BST = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=GMT)
"""A Monday morning in winter, when London is on GMT."""


@pytest.fixture
def london(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is Europe/London for the test, whatever the machine's zone."""
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    assert time.tzname == ("GMT", "BST")
    yield
    monkeypatch.undo()
    time.tzset()


def _same(actual: datetime, expected: datetime) -> None:
    """The same moment and the same UTC offset (aware == alone ignores the offset)."""
    assert actual == expected
    assert actual.utcoffset() == expected.utcoffset()


@pytest.mark.usefixtures("london")
@pytest.mark.parametrize(
    ("text", "end_of_day", "expected"),
    [
        pytest.param("today", False, datetime(2026, 11, 23, tzinfo=GMT), id="today"),
        pytest.param("today", True, datetime(2026, 11, 24, tzinfo=GMT), id="today-end"),
        pytest.param(" Today ", False, datetime(2026, 11, 23, tzinfo=GMT), id="today-case"),
        pytest.param("yesterday", False, datetime(2026, 11, 22, tzinfo=GMT), id="yesterday"),
        pytest.param("yesterday", True, datetime(2026, 11, 23, tzinfo=GMT), id="yesterday-end"),
        pytest.param("2026-11-20", False, datetime(2026, 11, 20, tzinfo=GMT), id="date"),
        pytest.param("2026-11-20", True, datetime(2026, 11, 21, tzinfo=GMT), id="date-end"),
        pytest.param("2026-07-15", False, datetime(2026, 7, 15, tzinfo=BST), id="summer-date"),
    ],
)
def test_days_are_local_midnight(text: str, end_of_day: bool, expected: datetime) -> None:
    _same(parse_when(text, NOW, end_of_day=end_of_day), expected)


@pytest.mark.usefixtures("london")
def test_a_day_keeps_the_offset_in_force_that_day() -> None:
    """Clocks go back on 25 October 2026: that day starts on BST and the next on GMT."""
    now = datetime(2026, 10, 25, 12, 0, tzinfo=GMT)
    _same(parse_when("today", now), datetime(2026, 10, 25, tzinfo=BST))
    _same(parse_when("today", now, end_of_day=True), datetime(2026, 10, 26, tzinfo=GMT))


@pytest.mark.parametrize(
    ("text", "ago"),
    [
        ("7d", timedelta(days=7)),
        ("12h", timedelta(hours=12)),
        ("30m", timedelta(minutes=30)),
        ("2w", timedelta(weeks=2)),
        ("7d ago", timedelta(days=7)),
        ("2h  ago", timedelta(hours=2)),
        (" 3D ", timedelta(days=3)),
        ("1 h", timedelta(hours=1)),
        ("0m", timedelta(0)),
    ],
)
def test_relative_forms_count_back_from_now(text: str, ago: timedelta) -> None:
    _same(parse_when(text, NOW), NOW - ago)


def test_relative_forms_ignore_end_of_day() -> None:
    _same(parse_when("7d", NOW, end_of_day=True), NOW - timedelta(days=7))


def test_now_is_now() -> None:
    assert parse_when("now", NOW) is NOW


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2026-11-20T08:30+05:30",
            datetime(2026, 11, 20, 8, 30, tzinfo=timezone(timedelta(hours=5.5))),
        ),
        (
            "2026-11-20T08:30-05:00",
            datetime(2026, 11, 20, 8, 30, tzinfo=timezone(-timedelta(hours=5))),
        ),
        ("2026-11-20T08:30Z", datetime(2026, 11, 20, 8, 30, tzinfo=GMT)),
    ],
)
def test_an_iso_datetime_keeps_its_offset(text: str, expected: datetime) -> None:
    moment = parse_when(text, NOW)
    _same(moment, expected)
    assert moment.hour == 8


@pytest.mark.usefixtures("london")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20T08:30", datetime(2026, 11, 20, 8, 30, tzinfo=GMT)),
        ("2026-07-15T08:30", datetime(2026, 7, 15, 8, 30, tzinfo=BST)),
        ("2026-07-15 08:30:15", datetime(2026, 7, 15, 8, 30, 15, tzinfo=BST)),
    ],
)
def test_a_naive_iso_datetime_is_local_time(text: str, expected: datetime) -> None:
    moment = parse_when(text, NOW)
    assert moment.tzinfo is not None
    _same(moment, expected)


@pytest.mark.parametrize(
    "text", ["next tuesday", "", "7x", "d7", "2026-13-01", "20/11/2026", "7 days", "99999d"]
)
def test_garbage_is_refused_with_examples(text: str) -> None:
    with pytest.raises(ValueError, match="can't read the date") as caught:
        parse_when(text, NOW)
    message = str(caught.value)
    assert repr(text) in message
    for example in ("2026-11-20", "today", "yesterday", "7d"):
        assert example in message


@pytest.mark.parametrize("text", ["2026-11-20", "today", "Yesterday"])
def test_parse_moment_wants_a_time_not_a_day(text: str) -> None:
    with pytest.raises(ValueError, match=r"is a day, not a moment; give a time too, e\.g\. "):
        parse_moment(text, NOW)


def test_parse_moment_suggests_a_time_on_the_day_given() -> None:
    with pytest.raises(ValueError, match=r"e\.g\. 2026-11-20T08:30"):
        parse_moment("2026-11-20", NOW)


@pytest.mark.parametrize(
    "text", ["2026-11-23T10:00+00:00", "2026-11-24T08:00+00:00", "2027-01-01T00:00Z"]
)
def test_parse_moment_refuses_the_future(text: str) -> None:
    with pytest.raises(ValueError, match="is in the future"):
        parse_moment(text, NOW)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2h", NOW - timedelta(hours=2)),
        ("now", NOW),
        ("2026-11-23T08:30+00:00", datetime(2026, 11, 23, 8, 30, tzinfo=GMT)),
        # 09:30 at +01:00 is 08:30 UTC: earlier than now, whatever the wall clock reads
        ("2026-11-23T09:30+01:00", datetime(2026, 11, 23, 8, 30, tzinfo=GMT)),
        # a few seconds ahead is clock skew, not the future
        ("2026-11-23T09:00:30+00:00", NOW + timedelta(seconds=30)),
    ],
)
def test_parse_moment_accepts_past_moments(text: str, expected: datetime) -> None:
    assert parse_moment(text, NOW) == expected


@pytest.mark.parametrize(("text", "in_range"), [("2199-12-31", True), ("2200-01-01", False)])
def test_the_last_day_in_range_can_end_a_range(text: str, in_range: bool) -> None:
    """`--until 2199-12-31` ends at the first moment of 2200, yet names a day in range."""
    if in_range:
        assert parse_when(text, NOW, end_of_day=True).year == 2200
        return
    with pytest.raises(ValueError, match="is not a date between 1970 and 2199"):
        parse_when(text, NOW, end_of_day=True)
