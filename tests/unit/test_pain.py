"""Pain-score rules: valid scores, bands, meaningful change, re-screening and the trend line."""

from __future__ import annotations

import pytest

from spasm_coach.pain import SPARK, Change, band, check_score, needs_rescreen, sparkline


@pytest.mark.parametrize("score", range(11))
def test_check_score_accepts_whole_numbers_0_to_10(score: int) -> None:
    assert check_score(score) == score


@pytest.mark.parametrize("score", [-1, 11, 2.5, True, False, "3", None])
def test_check_score_rejects_anything_else(score: object) -> None:
    with pytest.raises(ValueError, match="whole number from 0 to 10"):
        check_score(score)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("score", "name"),
    [
        (0, "none"),
        (1, "mild"),
        (2, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (5, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (8, "severe"),
        (9, "severe"),
        (10, "worst"),
    ],
)
def test_band(score: int, name: str) -> None:
    assert band(score) == name


@pytest.mark.parametrize(
    ("first", "last", "meaningful"),
    [
        pytest.param(6, 4, True, id="6-4 two points 33%"),
        pytest.param(7, 5, False, id="7-5 two points 28.6%"),
        pytest.param(10, 8, False, id="10-8 two points 20%"),
        pytest.param(10, 7, True, id="10-7 three points exactly 30%"),
        pytest.param(3, 1, True, id="3-1 two points 67%"),
        pytest.param(0, 2, True, id="0-2 from no pain"),
        pytest.param(5, 4, False, id="5-4 one point"),
        pytest.param(1, 0, False, id="1-0 one point 100%"),
        pytest.param(2, 4, True, id="2-4 worse"),
        pytest.param(8, 10, False, id="8-10 worse 25%"),
        pytest.param(4, 4, False, id="no change"),
    ],
)
def test_meaningful_change_needs_2_points_and_30_percent(
    first: int, last: int, meaningful: bool
) -> None:
    change = Change(first, last)
    assert change.points == last - first
    assert change.meaningful is meaningful


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (6, 4, "2 points better (6 to 4): a meaningful change"),
        (2, 4, "2 points worse (2 to 4): a meaningful change"),
        (7, 5, "2 points better (7 to 5): a small change, within day-to-day ups and downs"),
        (5, 6, "1 point worse (5 to 6): a small change, within day-to-day ups and downs"),
        (3, 3, "no change (3 to 3)"),
        (8, 10, "2 points worse (8 to 10): a rise of 2 or more, to take seriously"),
        (7, 9, "2 points worse (7 to 9): a rise of 2 or more, to take seriously"),
    ],
)
def test_describe_says_direction_and_whether_it_matters(
    first: int, last: int, expected: str
) -> None:
    assert Change(first, last).describe() == expected


@pytest.mark.parametrize(
    ("first", "last"),
    [(first, first + rise) for first in range(9) for rise in (2, 3, 4) if first + rise <= 10],
)
def test_a_rise_of_2_or_more_is_never_called_small(first: int, last: int) -> None:
    """CLINICAL.md section 7: 8 to 10 is below 30%, but it asks the red-flag questions again,
    and on the same summary that says to stop stretching it can't be 'a small change'."""
    words = Change(first, last).describe()
    assert "small" not in words
    assert "day-to-day" not in words
    assert "worse" in words


@pytest.mark.parametrize(
    ("score", "previous", "rescreen"),
    [
        pytest.param(8, None, True, id="8 alone"),
        pytest.param(10, 10, True, id="10 unchanged"),
        pytest.param(8, 9, True, id="8 even when falling"),
        pytest.param(7, None, False, id="7 alone"),
        pytest.param(6, 4, True, id="rise of 2"),
        pytest.param(5, 1, True, id="rise of 4"),
        pytest.param(5, 4, False, id="rise of 1"),
        pytest.param(5, 6, False, id="fall"),
        pytest.param(0, None, False, id="no previous"),
    ],
)
def test_needs_rescreen(score: int, previous: int | None, rescreen: bool) -> None:
    assert needs_rescreen(score, previous) is rescreen


def test_sparkline_has_one_block_per_score() -> None:
    line = sparkline([4, 6, 2])
    assert len(line) == 3
    assert set(line) <= set(SPARK)


def test_sparkline_zero_is_visible_and_ten_is_the_highest() -> None:
    line = sparkline([0, 10])
    assert line[0] == SPARK[0]
    assert not line[0].isspace()
    assert line[1] == SPARK[-1]


def test_sparkline_rises_with_the_score() -> None:
    line = sparkline(list(range(11)))
    assert [SPARK.index(block) for block in line] == sorted(SPARK.index(b) for b in line)
    assert SPARK.index(line[5]) > SPARK.index(line[0])
    assert SPARK.index(line[10]) > SPARK.index(line[5])


@pytest.mark.parametrize(("count", "width"), [(50, 40), (41, 40), (10, 3), (5, 1), (7, 0)])
def test_sparkline_keeps_only_the_most_recent_width_scores(count: int, width: int) -> None:
    scores = [0] * (count - min(width, count)) + [10] * min(width, count)
    assert sparkline(scores, width=width) == SPARK[-1] * width


def test_sparkline_default_width_is_40() -> None:
    assert len(sparkline([3] * 100)) == 40


def test_sparkline_of_nothing_is_empty() -> None:
    assert sparkline([]) == ""
