"""The systems that run the graph through the public Engine API, with the harness's LM object.

- hybrid: the engine with the run's settings (`--samples K`: hybrid@K, the vote with repair and fallback).
- hybrid@1: the same engine with one program (samples=1), whatever --samples says.
- hybrid-steps: the same engine in steps mode (`mode="steps"`), whatever --mode says, so one run holds both
  modes on the same problems and the report pairs them (McNemar, "hybrid vs hybrid-steps").
- pal@k: the vote alone: K programs, each verified, the winner answers, with no repair and no plain
  reasoning (max_repairs=0, abstain, min_confidence 0); with nothing verified it has no answer.
So pal -> pal@k is the vote's lift, pal@k -> hybrid@k what repair and fallback add, hybrid@1 -> hybrid@k
the vote's lift inside the graph.
The engine's `Result` carries everything a record needs: the answer under both readers (`answers`), the
fallback's reasoning text, the route, repairs, confidence, trace and tokens. The scored prediction is the
engine's own answer; answers from the plain-reasoning fallback are marked `fallback_used` and are never
credited to a solver; an "unsure" answer is an abstention (no prediction). A question the engine refuses
(InvalidQuestion) is this system's failure on it, not a crash.
"""
from __future__ import annotations

import time
from dataclasses import replace
from importlib import resources
from typing import Any, Callable, Sequence

from evals.datasets import Problem
from evals.systems.base import SystemBase, clip, new_record, register_system
from hybrid.answers import STRICT, normalize_number


def _abstained(trace: Sequence[dict]) -> bool:
    """Did a solver decline to decide (several/no options entailed, or a claim neither way)?"""
    for step in trace:
        solver = step.get("solver") or {}
        if solver.get("status") == "ambiguous" or (solver.get("status") == "ok" and solver.get("value") == "Unknown"):
            return True
    return False


@register_system
class HybridSystem(SystemBase):
    name = "hybrid"
    description = "the graph: propose, route to SymPy or Z3, verify, repair, fallback (hybrid.Engine)"

    def __init__(self, settings, *, engine_factory: Callable[..., Any] | None = None, **_: Any) -> None:
        super().__init__(settings)
        self.engine_settings = replace(self.engine_settings, **self.engine_changes())
        self.engine_factory = engine_factory
        self._engine: Any = None
        self._engine_lm: Any = None

    def engine_changes(self) -> dict:
        """What this system changes in the run's engine settings."""
        return {}

    def prompt_names(self, kind: str) -> list[str]:
        files = sorted(p.name for p in resources.files("hybrid.prompts").iterdir()
                       if p.name.endswith((".txt", ".json")))
        names = [f[:-4] if f.endswith(".txt") else f for f in files]
        return [n for n in names if n != "direct_v1"]

    def budget(self) -> dict:
        e = self.engine_settings
        return {"program_tokens": e.program_budget, "fallback_cot_tokens": e.reasoning_budget,
                "logic_program_tokens": e.max_new_tokens, "per": "graph step", "max_repairs": e.max_repairs,
                "samples": e.samples, "temperature": e.sample_temperature, "top_p": e.top_p,
                "min_confidence": e.min_confidence, "abstain": e.abstain, "mode": e.mode, "max_steps": e.max_steps,
                "step_tokens": e.step_budget}

    def engine(self, lm: Any) -> Any:
        if self._engine is None or self._engine_lm is not lm:
            if self.engine_factory is None:
                from hybrid import Engine as factory
            else:
                factory = self.engine_factory
            self._engine, self._engine_lm = factory(lm, self.engine_settings), lm
        return self._engine

    def run(self, problems: Sequence[Problem], lm: Any) -> list[dict]:
        from hybrid import InvalidQuestion, validate

        questions, refused = [], {}
        for p in problems:
            options = list(p.options) if p.options else None
            try:
                validate(p.question, context=p.context, options=options)
            except InvalidQuestion as exc:
                refused[p.id] = f"invalid question: {exc}"
                continue
            questions.append({"id": p.id, "question": p.question, "context": p.context, "options": options})
        start = time.perf_counter()
        results = iter(self.engine(lm).solve_many(questions) if questions else [])
        seconds = (time.perf_counter() - start) / max(1, len(questions))
        return [new_record(status="failed", error=refused[p.id]) if p.id in refused
                else self._record(p, next(results), seconds) for p in problems]

    def _record(self, problem: Problem, result: Any, seconds: float) -> dict:
        trace = [clip(step) for step in result.to_dict().get("trace", [])]
        strict, flexible = result.answers.get(STRICT.name), result.answer
        if problem.kind == "number":
            strict, flexible = normalize_number(strict), normalize_number(flexible)
        error = None
        if result.status == "failed":
            last = (result.extra or {}).get("solver_result") or {}
            error = "no answer (status failed)" + (f"; last solver result {last.get('status')}: "
                                                    f"{last.get('message') or last.get('value')}" if last else "")
        output = result.reasoning if result.fallback_used else next(
            (st.get("output") for st in reversed(trace)
             if st.get("node") in ("propose", "repair", "propose_step", "repair_step") and st.get("output")),
            None)
        return new_record(output=output, program=result.program, route=result.route, status=result.status,
                          fallback_used=result.fallback_used,
                          solver_answered=result.status == "ok" and not result.fallback_used,
                          abstained=_abstained(trace) or result.status == "unsure", repairs=result.repairs,
                          confidence=result.confidence, reconciled=(result.extra or {}).get("reconciled"),
                          trace=trace,
                          prediction_strict=strict, prediction_flexible=flexible,
                          prompt_tokens=result.prompt_tokens, completion_tokens=result.completion_tokens,
                          seconds=seconds, error=error)


@register_system
class HybridAt1System(HybridSystem):
    name = "hybrid@1"
    description = "the graph with one program (samples=1), whatever --samples says"

    def engine_changes(self) -> dict:
        return {"samples": 1}


@register_system
class HybridStepsSystem(HybridSystem):
    name = "hybrid-steps"
    description = "the graph in steps mode (one step at a time, each run by its solver), whatever --mode says"

    def engine_changes(self) -> dict:
        return {"mode": "steps"}


@register_system
class PalAtKSystem(HybridSystem):
    name = "pal@k"
    description = "the vote alone: --samples programs, verified, the winner answers; no repair, no fallback"
    answers = ("number", "letter")

    def engine_changes(self) -> dict:
        return {"max_repairs": 0, "abstain": True, "min_confidence": 0.0}
