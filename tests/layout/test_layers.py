"""The layers as the README draws them: evals -> hybrid -> solvers, no import circles, a public seam.

Read from the source with `ast` (nothing is imported): every import of a module in hybrid/ or evals/,
those inside functions (lazy imports) included, since a lazy import that runs back up is still a circle.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# what the harness may use of the engine: the package's own names and its public modules
PUBLIC = {"hybrid", "hybrid.answers", "hybrid.steps", "hybrid.prompts", "hybrid.settings", "hybrid.lm",
          "hybrid.cli_settings"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in ("hybrid", "evals") for p in (ROOT / package).rglob("*.py")}


def imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    """The modules (and `module.name`s) a file imports: at module level only, or anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_no_import_circles_in_hybrid_and_evals():
    known = modules()
    graph = {name: {m for m in imports(path) if m in known and m != name and not name.startswith(m + ".")}
             for name, path in known.items()}

    def cycle_from(start):
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    return trail + [start]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, trail + [nxt]))
        return None

    circles = [c for c in (cycle_from(m) for m in graph) if c]
    assert circles == []


def test_the_harness_uses_only_the_engines_public_modules():
    known = modules()
    private = sorted((name, m) for name, path in known.items() if name.startswith("evals")
                     for m in imports(path) if m.startswith("hybrid") and m in known and m not in PUBLIC)
    assert private == []


def test_the_engine_never_imports_the_harness_at_module_level():
    for name, path in modules().items():
        if name.startswith("hybrid"):
            assert not {m for m in imports(path, top_level_only=True) if m.split(".")[0] == "evals"}, name
