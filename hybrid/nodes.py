"""The graph's nodes: each is a small function State -> partial State.

`Nodes` binds them to one LM and one `EngineSettings`; graph.py wires the bound methods. Messages, budgets
and stop strings come from `hybrid.steps`, the same builders the eval harness's baselines use.
- propose: the model writes a step program (math) or a z3 formalization (logic).
- stated_facts: a logic formalization keeps only the facts the question states (`hybrid.stated_facts`);
  it adds a trace step only when it dropped something, and passes every other program through.
- sympy / z3 (`solve(name)`): the program runs through `solvers.run_program` with the solver the router
  chose (never in this process's interpreter).
- verify: `hybrid.verify.check` accepts the solver's result or says what is wrong.
- repair: the question, the failing program and the message go back to the model for a corrected program
  (not the few-shot conversation: `hybrid.steps.repair_messages`).
- fallback: plain step-by-step reasoning, read by `hybrid.answers` (flexible, and strict beside it).
- answer: the accepted solver answer becomes the result.
Model text that is not a program never raises: it becomes a program of None, which the router sends to
the fallback.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Literal

from hybrid import steps
from hybrid.answers import FLEXIBLE, STRICT, read_answer
from hybrid.facts import claim_sentences, fact_sentences
from hybrid.result import TraceStep
from hybrid.settings import EngineSettings
from hybrid.state import State
from hybrid.stated_facts import keep_stated_facts
from hybrid.verify import check

SolverName = Literal["sympy", "z3"]


def _question(state: State) -> dict:
    return dict(kind=state["kind"], context=state.get("context"), options=state.get("options"))


def _shown(result: dict) -> str:
    """A solver result in one line: its value when ok, else its message."""
    status = result.get("status")
    return f"{status}: {result.get('value') if status == 'ok' else result.get('message')}"


class Nodes:
    """The node functions, bound to an LM (None is enough for drawing the graph)."""

    def __init__(self, lm: Any, settings: EngineSettings | None = None) -> None:
        self.lm = lm
        self.settings = settings or EngineSettings()

    def _generate(self, messages: list[dict], max_new_tokens: int, stop: tuple[str, ...]):
        s = self.settings
        return self.lm.generate([messages], max_new_tokens=max_new_tokens, temperature=s.temperature,
                                stop=stop, seed=s.seed)[0]

    @staticmethod
    def _lm_update(node: str, messages: list[dict], gen, **extra) -> dict:
        step = TraceStep(node=node, input=messages[-1]["content"], output=gen.text,
                         prompt_tokens=gen.prompt_tokens, completion_tokens=gen.completion_tokens,
                         seconds=gen.seconds)
        return dict(trace=[step], prompt_tokens=gen.prompt_tokens, completion_tokens=gen.completion_tokens,
                    **extra)

    def _write_program(self, node: str, messages: list[dict], state: State, **extra) -> dict:
        gen = self._generate(messages, self.settings.budget(state["kind"]), steps.PROGRAM_STOP)
        return self._lm_update(node, messages, gen, raw=gen.text, program=steps.program_in(gen.text), **extra)

    # -- nodes -----------------------------------------------------------------------------------------
    def propose(self, state: State) -> dict:
        messages = steps.program_messages(self.settings, state["question"], **_question(state))
        return self._write_program("propose", messages, state)

    def stated_facts(self, state: State) -> dict:
        program = state.get("program")
        if not program or state["kind"] != "logic" or not self.settings.stated_facts_only:
            return {}
        kept = keep_stated_facts(program, fact_sentences(state.get("context")),
                                 claim_sentences(state["question"], state.get("options")))
        if not kept.dropped:
            return {}
        step = TraceStep(node="stated_facts", input=program, output=kept.program,
                         note="dropped unstated facts: " + " | ".join(kept.dropped))
        return dict(program=kept.program, trace=[step])

    def solve(self, solver: SolverName) -> Callable[[State], dict]:
        """The node that runs the latest program with `solver` (the route the router chose)."""
        def run(state: State) -> dict:
            from solvers import run_program  # lazy

            start = time.perf_counter()
            try:
                result = run_program(state["program"], timeout_s=self.settings.timeout_s, solver=solver).to_dict()
            except Exception as exc:  # run_program never raises; if it does, that is a solver error
                result = dict(status="error", value=None, message=f"solver crashed: {type(exc).__name__}: {exc}",
                              solver=solver, number=None)
            step = TraceStep(node=solver, input=state["program"], output=_shown(result), solver=result,
                             seconds=time.perf_counter() - start)
            return dict(solver_result=result, solvers=[solver], trace=[step])

        run.__name__ = solver
        return run

    def verify(self, state: State) -> dict:
        solvers = state.get("solvers") or [None]
        shown = steps.shown_programs(self.settings, state["question"], kind=state["kind"],
                                     options=state.get("options"))
        verdict = check(state["kind"], state["question"], state.get("options"), state.get("solver_result"),
                        solver=solvers[-1], program=state.get("program"), exemplars=shown)
        given = _shown(state.get("solver_result") or {})
        if verdict.ok:
            step = TraceStep(node="verify", input=given, output=f"accepted: {verdict.answer}")
            return dict(verdict="accept", answer=verdict.answer, feedback="", trace=[step])
        step = TraceStep(node="verify", input=given, output=f"rejected ({verdict.hint}): {verdict.message}")
        feedback = f"{verdict.message}\n{steps.repair_hint(self.settings, verdict.hint)}".strip()
        return dict(verdict="retry", feedback=feedback, trace=[step])

    def repair(self, state: State) -> dict:
        messages = steps.repair_messages(self.settings, state["question"], program=state.get("program") or "",
                                         feedback=state.get("feedback", ""), **_question(state))
        return self._write_program("repair", messages, state, repairs=state.get("repairs", 0) + 1)

    def fallback(self, state: State) -> dict:
        messages = steps.reasoning_messages(self.settings, state["question"], **_question(state))
        gen = self._generate(messages, self.settings.reasoning_budget, steps.REASONING_STOP)
        choice, options = state["kind"] == "logic", state.get("options")
        answer = read_answer(gen.text, options, choice=choice, reader=FLEXIBLE)
        return self._lm_update("fallback", messages, gen, answer=answer, reasoning=gen.text,
                               answer_strict=read_answer(gen.text, options, choice=choice, reader=STRICT),
                               status="fallback" if answer is not None else "failed")

    def answer(self, state: State) -> dict:
        step = TraceStep(node="answer", input=" -> ".join(state.get("solvers", [])), output=str(state.get("answer")))
        return dict(status="ok", answer_strict=state.get("answer"), trace=[step])
