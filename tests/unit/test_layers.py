"""The faces (the TUI and the command line) never write the log themselves.

The types say most of it: a face is handed the log as a LogReader (log_reader.py), which has no
write method, so mypy rejects a write anywhere in a face; every write goes through the journal,
which stamps it with the clock's time and keeps what the log refuses. These tests say what the
types can't: that the reader's methods really only read, and that no face takes the writable
log back (by opening one where none is opened today, or reaching into the journal).
"""

from __future__ import annotations

import ast
import inspect
from datetime import UTC, datetime, timedelta
from pathlib import Path

import spasm_coach
from spasm_coach.clock import FakeClock
from spasm_coach.journal import Journal
from spasm_coach.log_reader import LogReader
from spasm_coach.store import Store
from spasm_coach.vocabulary import PainContext, SessionOutcome, ThermalKind

PACKAGE = Path(spasm_coach.__file__).parent
FACES = sorted([*(PACKAGE / "tui").rglob("*.py"), *(PACKAGE / "cli").rglob("*.py")])
OPENERS = {"cli/base.py", "cli/coach.py", "cli/screen.py", "cli/web.py", "tui/app.py"}
"""The faces' modules that open the log: each hands it to a journal, or reads it."""
PRIVATE = {"_store", "_db"}
"""The journal's writable log, and the store's connection."""


def _reader_methods() -> list[str]:
    return [name for name in vars(LogReader) if not name.startswith("_") and name != "path"]


def _module_id(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _names(path: Path) -> tuple[bool, set[str]]:
    """Whether the module names the Store class, and the private attributes it reaches."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names_store = any(
        (isinstance(node, ast.Name) and node.id == "Store")
        or (isinstance(node, ast.alias) and node.name == "Store")
        or (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value == "Store"
        )
        for node in ast.walk(tree)
    )
    private = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)} & PRIVATE
    return names_store, private


def test_every_reader_method_only_reads_the_log() -> None:
    store = Store.in_memory()
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    journal = Journal(store, clock)
    journal.log_pain(5, PainContext.CHECK_IN, note="stiff")
    session = journal.open_session("standard", "Standard", None)
    session.end(SessionOutcome.FINISHED)
    journal.end_application(journal.start_application(ThermalKind.HEAT, 15), clock.now(), True)
    now = clock.now()
    arguments = {"events": (session.uid,), "pain_spans": ([now - timedelta(days=7), now],)}
    changes = store._db.total_changes
    for name in _reader_methods():
        result = getattr(store, name)(*arguments.get(name, ()))
        if inspect.isgenerator(result):
            list(result)
    assert store._db.total_changes == changes


def test_the_reader_is_the_stores_reading_side() -> None:
    """Each method of the reader is the store's own, with the same parameters (mypy checks the
    types wherever a Store is handed over as a LogReader)."""
    for name in _reader_methods():
        ours = inspect.signature(getattr(LogReader, name))
        theirs = inspect.signature(getattr(Store, name))
        assert list(ours.parameters) == list(theirs.parameters), name
    assert len(_reader_methods()) > 20


def test_no_face_takes_the_writable_log_back() -> None:
    opening, reaching = set(), {}
    for path in FACES:
        names_store, private = _names(path)
        if names_store:
            opening.add(_module_id(path))
        if private:
            reaching[_module_id(path)] = private
    assert opening == OPENERS, "a face opens the log: hand it to a journal, and say so here"
    assert not reaching, f"faces reach the writable log: {reaching}"


def test_the_check_sees_a_store_named_and_the_journal_reached_into(tmp_path: Path) -> None:
    face = tmp_path / "face.py"
    face.write_text("def keep(app):\n    app.journal._store.insert(entry)\n", encoding="utf-8")
    assert _names(face) == (False, {"_store"})
    face.write_text("log = cast('Store', app.store)\n", encoding="utf-8")
    assert _names(face) == (True, set())
    face.write_text("from spasm_coach.store import Store\n", encoding="utf-8")
    assert _names(face) == (True, set())
    face.write_text("app.journal.log_pain(3)\nscores = app.store.pain_scores()\n", encoding="utf-8")
    assert _names(face) == (False, set())
