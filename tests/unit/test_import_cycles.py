"""No import circle in the package, counting the imports made only for type checking.

A type-only import is free at run time, but a reader follows it as any other: a screen typed as
seeing the whole app sends them round a circle. The import contracts (pyproject.toml) leave
type-only imports out, so this test walks every import, `if TYPE_CHECKING` ones included.
"""

from __future__ import annotations

import grimp

PACKAGE = "spasm_coach"


def import_circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every group of modules that import one another round a circle (Tarjan's strongly
    connected components with more than one module, or a module importing itself)."""
    modules = sorted(graph.modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(start: str) -> None:
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, imported = work[-1]
            for other in imported:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, iter(sorted(graph.find_modules_directly_imported_by(other)))))
                    break
                if other in on_stack:
                    low[module] = min(low[module], index[other])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1 or graph.direct_import_exists(
                        importer=module, imported=module
                    ):
                        circles.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return circles


def test_no_import_circle_type_only_imports_included() -> None:
    graph = grimp.build_graph(PACKAGE, exclude_type_checking_imports=False)
    circles = import_circles(graph)
    assert not circles, "import circles:\n" + "\n".join(" <-> ".join(c) for c in circles)


def test_a_circle_is_seen() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "a.app", "a.screen", "a.widget"):
        graph.add_module(module)
    graph.add_import(importer="a.app", imported="a.screen")
    graph.add_import(importer="a.screen", imported="a.widget")
    assert import_circles(graph) == []
    graph.add_import(importer="a.widget", imported="a.app")
    assert import_circles(graph) == [["a.app", "a.screen", "a.widget"]]
