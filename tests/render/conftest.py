"""Render fixtures: a month of a believable log (seeded by month.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.render.month import DAYS, NOW, Month, seed_month

from spasm_coach.content import Content
from spasm_coach.store import Store


@pytest.fixture
def month_log(store: Store, content: Content) -> Month:
    """The seeded log, and the window of the month up to now."""
    seed_month(store, content)
    return Month(store, NOW - timedelta(days=DAYS), NOW, NOW)
