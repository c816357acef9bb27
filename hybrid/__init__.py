"""hybrid: a transformer proposes the steps; SymPy and Z3 compute them; a verified answer comes out.

Public surface: `Engine` (solve / solve_many) with its frozen `EngineSettings`, `Result` and `TraceStep`
(what comes back), `InvalidQuestion` and `validate` (bad input), and four modules: `hybrid.answers` (the one
answer reader), `hybrid.steps` (each model step's messages and stop strings, and the program in a reply),
`hybrid.prompts` (the prompt files) and `hybrid.lm` (models). The eval harness uses nothing else. For
programs that embed the engine beyond one call: `hybrid.server` (`serve`, `make_server`: the engine as an
OpenAI-compatible model) and `hybrid.items` (the JSONL item schema of `hybrid solve -f`). Nothing runs on
import; heavy libraries load on first use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from hybrid.result import Result, TraceStep
from hybrid.settings import EngineSettings

__all__ = ["Engine", "EngineSettings", "InvalidQuestion", "Result", "TraceStep", "validate"]

if TYPE_CHECKING:
    from hybrid.engine import Engine, InvalidQuestion, validate


def __getattr__(name: str):
    if name in ("Engine", "InvalidQuestion", "validate"):
        from hybrid import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'hybrid' has no attribute {name!r}")
