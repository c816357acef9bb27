"""hybrid: a transformer proposes the steps; SymPy and Z3 compute them; a verified answer comes out.

Public surface: `Engine` (solve / solve_many), `Result` and `TraceStep` (what comes back), and
`InvalidQuestion` (bad input). Nothing runs on import; heavy libraries load on first use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from hybrid.result import Result, TraceStep

__all__ = ["Engine", "InvalidQuestion", "Result", "TraceStep"]

if TYPE_CHECKING:
    from hybrid.engine import Engine, InvalidQuestion


def __getattr__(name: str):
    if name in ("Engine", "InvalidQuestion"):
        from hybrid import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'hybrid' has no attribute {name!r}")
