"""The faces (the TUI and the command line) never write the log themselves.

Every write goes through the journal, which stamps it with the clock's time and keeps what the
log refuses. So no module of a face calls a Store write method, and in particular none both reads
the clock and writes the store (the mistake that let a face choose the time of a record).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import spasm_coach
from spasm_coach.store import Store

PACKAGE = Path(spasm_coach.__file__).parent
FACES = sorted([*(PACKAGE / "tui").rglob("*.py"), *(PACKAGE / "cli").rglob("*.py")])

STORE_WRITES = frozenset(
    {
        "insert",
        "save_screening",
        "set_session_routine",
        "end_session",
        "end_application",
        "restore",
        "_execute",
    }
)
"""Store methods that change the log (the journal has methods of some of the same names, so a
call counts only when it is made on the store)."""
DB_WRITES = frozenset({"execute", "executemany", "executescript"})
"""SQLite calls on the store's connection (`store._db`)."""
CLOCK_READS = frozenset({"now", "monotonic"})
SYSTEM_TIME = {
    "datetime": {"now", "today", "utcnow"},
    "date": {"today"},
    "time": {"time", "monotonic", "time_ns", "monotonic_ns"},
}
"""Reading the system's time directly is reading a clock too."""


def _last_name(node: ast.AST) -> str | None:
    """`store` for `self.app.store`, `open_store` for `open_store(...)`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _last_name(node.func)
    return None


def _names_store(node: ast.AST | None) -> bool:
    """A `Store` annotation or constructor (`Store`, `Store.open`, `"Store | None"`)."""
    if node is None:
        return False
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "Store" in node.value.replace("|", " ").split()
    return any(isinstance(n, ast.Name) and n.id == "Store" for n in ast.walk(node))


class _Scan(ast.NodeVisitor):
    """Where one module reads the clock and where it writes the store, by line."""

    def __init__(self) -> None:
        self.store_names: set[str] = set()
        """Names bound to a store whatever they are called (`with open_store() as log`)."""
        self.clock_reads: list[int] = []
        self.store_writes: list[int] = []

    def scan(self, tree: ast.AST) -> _Scan:
        for node in ast.walk(tree):  # bindings first, so a use before its binding is seen
            self._bind(node)
        self.visit(tree)
        return self

    def _makes_store(self, node: ast.AST | None) -> bool:
        if not isinstance(node, ast.Call):
            return False
        return _last_name(node.func) == "open_store" or _names_store(node.func)

    def _bind(self, node: ast.AST) -> None:
        if isinstance(node, ast.withitem) and self._makes_store(node.context_expr):
            if isinstance(node.optional_vars, ast.Name):
                self.store_names.add(node.optional_vars.id)
        elif isinstance(node, ast.Assign) and self._makes_store(node.value):
            self.store_names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.arg) and _names_store(node.annotation):
            self.store_names.add(node.arg)
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and (_names_store(node.annotation) or self._makes_store(node.value))
        ):
            self.store_names.add(node.target.id)

    def _is_store(self, node: ast.AST) -> bool:
        name = _last_name(node)
        return name is not None and (
            name in ("store", "_store")
            or name.endswith("_store")
            or name in self.store_names
            or self._makes_store(node)
        )

    def _writes_store(self, method: ast.Attribute) -> bool:
        if method.attr in STORE_WRITES:
            return self._is_store(method.value)
        return method.attr in DB_WRITES and _last_name(method.value) in ("_db", "db")

    @staticmethod
    def _reads_clock(method: ast.Attribute) -> bool:
        receiver = _last_name(method.value) or ""
        if method.attr in CLOCK_READS and "clock" in receiver.lower():
            return True
        return method.attr in SYSTEM_TIME.get(receiver, ())

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute):
            if self._writes_store(node.func):
                self.store_writes.append(node.lineno)
            if self._reads_clock(node.func):
                self.clock_reads.append(node.lineno)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id == "SystemClock":
            self.clock_reads.append(node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if any(alias.name == "SystemClock" for alias in node.names):
            self.clock_reads.append(node.lineno)


def scan(source: str) -> _Scan:
    return _Scan().scan(ast.parse(source))


def _module_id(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


@pytest.mark.parametrize("path", FACES, ids=_module_id)
def test_no_face_module_calls_a_store_write(path: Path) -> None:
    found = scan(path.read_text(encoding="utf-8"))
    assert not found.store_writes, (
        f"{_module_id(path)} writes the store itself (lines {found.store_writes}): "
        "write through the journal (app.journal, open_journal)"
    )


@pytest.mark.parametrize("path", FACES, ids=_module_id)
def test_no_face_module_both_reads_the_clock_and_writes_the_store(path: Path) -> None:
    found = scan(path.read_text(encoding="utf-8"))
    assert not (found.clock_reads and found.store_writes), (
        f"{_module_id(path)} reads the clock (lines {found.clock_reads}) and writes the store "
        f"(lines {found.store_writes}): the journal takes the time of every write"
    )


def test_the_faces_are_all_scanned() -> None:
    names = {_module_id(path) for path in FACES}
    assert {"tui/app.py", "tui/flow.py", "cli/commands.py", "cli/base.py"} <= names
    assert any(name.startswith("tui/screens/") for name in names)
    # The scan sees real clock reads: the TUI builds the system clock, screens ask it the time.
    assert scan((PACKAGE / "tui" / "app.py").read_text(encoding="utf-8")).clock_reads


def test_every_write_named_is_a_store_method() -> None:
    """A renamed Store method must be renamed here too, or the scan would miss it."""
    assert all(callable(getattr(Store, name, None)) for name in STORE_WRITES)


@pytest.mark.parametrize(
    "source",
    [
        "self.app.store.insert(PainEntry(uid, at, 4, context))",
        "with open_store() as log:\n    log.insert(record)",
        "def keep(log: Store) -> None:\n    log.end_session(uid, at, outcome)",
        "def keep(log: 'Store | None') -> None:\n    log.save_screening(screening)",
        "store = Store.open(path)\nstore.restore(records)",
        "self.app.store._db.execute('DELETE FROM pain_score')",
    ],
)
def test_a_store_write_is_seen_whatever_the_store_is_called(source: str) -> None:
    assert scan(source).store_writes


@pytest.mark.parametrize(
    "source",
    [
        "self.app.journal.start_application(kind, minutes)",
        "added = journal.restore(records)",
        "lines.insert(1, 'Leave it out')",
        "self.app.start_session()",
        "self.app.store.pain_totals(since, until)",
    ],
)
def test_journal_and_other_calls_are_not_store_writes(source: str) -> None:
    assert not scan(source).store_writes


@pytest.mark.parametrize(
    "source",
    [
        "now = self.app.clock.now()",
        "started = ctx.obj.clock.monotonic()",
        "from spasm_coach.clock import SystemClock",
        "clock = clock or SystemClock()",
        "today = datetime.now(UTC)",
        "started = time.monotonic()",
    ],
)
def test_a_clock_read_is_seen(source: str) -> None:
    assert scan(source).clock_reads


def test_the_journal_time_is_not_a_clock_read() -> None:
    assert not scan("at = self.app.journal.now()\nlabel = when.now").clock_reads
