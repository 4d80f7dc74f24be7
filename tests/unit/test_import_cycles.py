"""No import circle in the package, counting the imports made only for type checking.

A type-only import is free at run time, but a reader follows it as any other: a screen typed as
seeing the whole app sends them round a circle. The import contracts (pyproject.toml) count
type-only imports too; this test asks the question they can't: does any module reach itself?
"""

from __future__ import annotations

import grimp

PACKAGE = "spasm_coach"


def circles(graph: grimp.ImportGraph) -> list[tuple[str, ...]]:
    """For each module that reaches itself through its imports, the shortest way round."""
    found = []
    for module in sorted(graph.modules):
        back = [
            graph.find_shortest_chain(importer=imported, imported=module)
            for imported in graph.find_modules_directly_imported_by(module)
        ]
        ways = [(module, *chain) for chain in back if chain is not None]
        if ways:
            found.append(min(ways, key=len))
    return found


def test_no_import_circle_type_only_imports_included() -> None:
    graph = grimp.build_graph(PACKAGE, exclude_type_checking_imports=False)
    found = circles(graph)
    assert not found, "import circles:\n" + "\n".join(" -> ".join(way) for way in found)


def test_a_circle_through_a_type_only_import_is_seen() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "a.app", "a.screen", "a.widget"):
        graph.add_module(module)
    graph.add_import(importer="a.app", imported="a.screen")
    graph.add_import(importer="a.screen", imported="a.widget")
    assert circles(graph) == []
    graph.add_import(importer="a.widget", imported="a.app")  # as `if TYPE_CHECKING:` would
    assert circles(graph)[0] == ("a.app", "a.screen", "a.widget", "a.app")
