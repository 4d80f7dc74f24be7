"""The pain log as the faces see it: reading only.

The TUI, the command line and the browser read the log through this type and write to it only
through the journal (journal.py), which stamps every record with the clock's time and keeps
what the log refuses. The Store has these methods and more; a face handed a LogReader has no
write method to call, and mypy says so where one is tried. The core's readers (gate, journey,
remind, report, the exports) take a LogReader too: they only read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from spasm_coach.records import (
        Application,
        PainEntry,
        PainRow,
        PlanChange,
        SafetyNote,
        Screening,
        SessionEvent,
        SessionRecord,
    )
    from spasm_coach.store import (
        DailyPain,
        HeatIceUses,
        PageKey,
        PainPage,
        PainSpan,
        PainTotals,
        SkippedExercise,
    )
    from spasm_coach.vocabulary import NoteKind, SessionOutcome, ThermalKind


class LogReader(Protocol):
    """The Store's read methods (see store.Store for what each returns)."""

    @property
    def path(self) -> Path | None:
        """The log's file; None for a log in memory."""
        ...

    def pain_scores(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> Iterator[PainEntry]: ...

    def pain_rows(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[PainRow]: ...

    def daily_pain(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[DailyPain]: ...

    def pain_spans(self, bounds: Sequence[datetime]) -> list[PainSpan]: ...

    def pain_ends(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> tuple[PainEntry, PainEntry] | None: ...

    def pain_totals(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        newest: int | None = None,
    ) -> PainTotals: ...

    def pain_page(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        after: PageKey | None = None,
        size: int = 100,
    ) -> PainPage: ...

    def recent_pain_scores(
        self, since: datetime | None = None, until: datetime | None = None, newest: int = 1
    ) -> Iterator[PainEntry]: ...

    def pain_notes(
        self, since: datetime | None = None, until: datetime | None = None, limit: int = 50
    ) -> list[PainEntry]: ...

    def last_pain(self) -> PainEntry | None: ...

    def screenings(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[Screening]: ...

    def last_screening(self) -> Screening | None: ...

    def safety_notes(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        kind: NoteKind | None = None,
    ) -> Iterator[SafetyNote]: ...

    def warnings(self, since: datetime | None = None) -> Iterator[Screening]: ...

    def last_full_check(self) -> Screening | None: ...

    def sessions(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[SessionRecord]: ...

    def last_session(self) -> SessionRecord | None: ...

    def events(self, session_uid: str) -> list[SessionEvent]: ...

    def applications(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[Application]: ...

    def session_outcomes(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> dict[SessionOutcome, int]: ...

    def skipped_exercises(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[SkippedExercise]: ...

    def heat_ice_uses(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> dict[ThermalKind, HeatIceUses]: ...

    def plan_changes(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[PlanChange]: ...

    def last_plan_change(self) -> PlanChange | None: ...

    def last_application(self) -> Application | None: ...
