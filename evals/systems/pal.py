"""pal: the engine's propose step run once. The model writes a program; `solvers.run_program` runs it.

The same prompt, exemplars, budget and stop strings as the engine's propose step (`hybrid.steps`), and
no routing, repair or fallback, so the gap between pal and hybrid is what the graph adds. The prediction
is the program's value read as a number; a value that is not one (a symbolic "3*price/4") is an answer
that cannot be scored, recorded as an error.
"""
from __future__ import annotations

import time
from typing import Any, Sequence

from evals.datasets import Problem
from evals.systems.base import SystemBase, clip, new_record, register_system
from hybrid import prompts, steps
from hybrid.answers import normalize_number


@register_system
class PalSystem(SystemBase):
    name = "pal"
    description = "program once (the engine's propose step), run by the solvers; no repair or fallback"
    answers = ("number",)  # logic programs go through the hybrid's z3 route

    def prompt_names(self, kind: str) -> list[str]:
        prompt = self.engine_settings.program_prompt
        return [prompt, f"{prompts.exemplar_file(prompt)}.json"]

    def budget(self) -> dict:
        return {"max_new_tokens": self.engine_settings.program_budget, "samples": 1}

    def run(self, problems: Sequence[Problem], lm: Any) -> list[dict]:
        e = self.engine_settings
        messages = [steps.program_messages(e, p.question, kind="math", context=p.context) for p in problems]
        start = time.perf_counter()
        generations = lm.generate(messages, max_new_tokens=e.program_budget, temperature=e.temperature, n=1,
                                  seed=e.seed, stop=steps.PROGRAM_STOP)
        lm_seconds = (time.perf_counter() - start) / max(1, len(problems))
        return [self._record(generation, lm_seconds) for generation in generations]

    def _record(self, generation: Any, lm_seconds: float) -> dict:
        from solvers import run_program

        text = generation.text
        program = steps.program_in(text)
        route, status, error, value, solver, run_s = "none", "failed", None, None, None, 0.0
        if program is None:
            error = "no program found in the model output"
        else:
            started = time.perf_counter()
            result = run_program(program, timeout_s=self.engine_settings.timeout_s)
            run_s = time.perf_counter() - started
            solver = clip(result.to_dict())
            if result.ok and result.value is not None:  # like the engine: a route only when answered
                value, status, route = result.value, "ok", result.solver
            else:
                error = f"{result.status}: {result.message}"
        number = normalize_number(value)
        if value is not None and number is None:
            error = f"solver value {value[:80]!r} is not a number"
        return new_record(output=text, program=program, route=route, status=status, fallback_used=False,
                          solver_answered=status == "ok",
                          trace=[{"node": "solver", "solver": solver}] if solver else None,
                          prediction_strict=number, prediction_flexible=number,
                          prompt_tokens=generation.prompt_tokens, completion_tokens=generation.completion_tokens,
                          seconds=lm_seconds + run_s, error=error)
