"""What every compared system shares: the protocol, the registry by name, and the record helpers.

A system takes a batch of problems and the shared LM object and returns one partial record per problem
(its output, predictions under both readers, route, tokens, seconds, error); the runner adds the
problem's fields and grades it. `register_system` adds a class to `SYSTEMS` under its `name`, which is how
`make_system`, `hybrid bench --systems` and `hybrid bench --list` find it: a new system is one
registered class.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from importlib import resources
from typing import Any, ClassVar, Protocol, Sequence

from evals.datasets import Problem
from evals.settings import BenchSettings

TRACE_TEXT_LIMIT = 4000


class System(Protocol):
    name: ClassVar[str]
    description: ClassVar[str]
    answers: ClassVar[tuple[str, ...]]  # the answer kinds it can give: "number", "letter"

    def prompt_names(self, kind: str) -> list[str]: ...

    def budget(self) -> dict: ...

    def run(self, problems: Sequence[Problem], lm: Any) -> list[dict]: ...


SYSTEMS: dict[str, type] = {}


def register_system(cls: type) -> type:
    """Register a system class under its `name` (a class decorator)."""
    SYSTEMS[cls.name] = cls
    return cls


def engine_kind(problem: Problem) -> str:
    """The engine's name for a problem's kind: letter answers are logic questions, numbers math ones."""
    return "logic" if problem.kind == "letter" else "math"


def exemplar_questions() -> set[str]:
    """The questions of every exemplar file, the retrieval library's included (a train-split benchmark
    drops them all, whatever prompt and exemplar choice it runs, so no problem is its own exemplar and
    runs with different prompts see the same problems)."""
    from hybrid import prompts

    return set(prompts.exemplar_questions())


def prompt_fingerprint(names: Sequence[str]) -> dict[str, str]:
    """{prompt name: first 12 hex of its sha256}, so a changed prompt shows in config and results."""
    out = {}
    for name in names:
        filename = name if name.endswith(".json") else f"{name}.txt"
        try:
            text = resources.files("hybrid.prompts").joinpath(filename).read_text(encoding="utf-8")
        except (FileNotFoundError, OSError):
            out[name] = "missing"
            continue
        out[name] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return out


def new_record(**fields: Any) -> dict:
    """A system's partial record, every field present (None where the system has nothing to say)."""
    base = dict(output=None, program=None, route=None, status=None, fallback_used=None, solver_answered=None,
                abstained=None, repairs=None, confidence=None, reconciled=None, trace=None, prediction_strict=None,
                prediction_flexible=None,
                prompt_tokens=0, completion_tokens=0, seconds=0.0, error=None)
    base.update(fields)
    return base


def clip(value: Any) -> Any:
    """Long texts in a trace cut to TRACE_TEXT_LIMIT characters (saying how much was cut)."""
    if isinstance(value, str) and len(value) > TRACE_TEXT_LIMIT:
        return value[:TRACE_TEXT_LIMIT] + f"... [{len(value) - TRACE_TEXT_LIMIT} chars clipped]"
    if isinstance(value, dict):
        return {k: clip(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clip(v) for v in value]
    return value


def majority(values: Sequence[str | None]) -> str | None:
    """The most common non-None value; ties go to the value seen first. None when all are None."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    best = max(counts.values())
    return next(v for v in values if v is not None and counts[v] == best)


class SystemBase:
    """Holds the bench settings; subclasses set name, description, answers and implement run."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    answers: ClassVar[tuple[str, ...]] = ("number", "letter")

    def __init__(self, settings: BenchSettings, **_: Any) -> None:
        self.settings = settings
        self.engine_settings = settings.engine
