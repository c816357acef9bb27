"""The compared systems, by name: one interface, a batch of problems in, one partial record per problem out.

Registered (`evals.systems.base.register_system`): direct, cot, cot-sc (`prompted.py`), pal (`pal.py`),
hybrid, hybrid@1 and pal@k (`engine.py`). Every system issues one `lm.generate` call per batch (hybrid: one per graph step,
inside the Engine) with the same LM object; the baselines build their messages with the engine's own step
builders (`hybrid.steps`), so any difference comes from the graph, not from prompts or budgets.
Deliberately left out: any answer post-processing that one system gets and another does not.
"""
from __future__ import annotations

from typing import Any

from evals.settings import BenchSettings
# each module registers its systems, in the order --list shows them
from evals.systems import prompted  # noqa: F401  (direct, cot, cot-sc)
from evals.systems import pal  # noqa: F401,I001
from evals.systems import engine  # noqa: F401,I001  (hybrid, hybrid@1, pal@k)
from evals.systems.base import SYSTEMS, System, exemplar_questions, prompt_fingerprint, register_system

__all__ = ["SYSTEMS", "System", "exemplar_questions", "make_system", "prompt_fingerprint", "register_system",
           "supports"]


def make_system(name: str, settings: BenchSettings, **options: Any) -> System:
    """The registered system `name`, with the run's settings (hybrid also takes engine_factory)."""
    if name not in SYSTEMS:
        raise ValueError(f"unknown system {name!r}; known: {', '.join(SYSTEMS)}")
    return SYSTEMS[name](settings, **options)


def supports(name: str, kind: str) -> bool:
    """Can system `name` answer problems whose answers are of `kind` ("number" | "letter")?"""
    return kind in SYSTEMS[name].answers
