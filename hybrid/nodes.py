"""The graph's nodes: each is a small function State -> partial State.

`Nodes` binds them to one LM and one set of generation settings; graph.py wires the bound methods.
- propose: the model writes a step program (math) or a z3 formalization (logic); a formalization keeps only
  the facts the question states (`hybrid.stated_facts`), and the trace step notes any it dropped.
- sympy / z3: the program runs through `solvers.run_program` (never in this process's interpreter).
- verify: `hybrid.verify.check` accepts the solver's result or says what is wrong.
- repair: the message and the model's own program go back to the model for a corrected program.
- fallback: plain step-by-step reasoning, when no program came or the repair rounds are spent.
- answer: the accepted solver answer becomes the result.
Every node appends one TraceStep. Model text that is not a program never raises: it becomes a program
of None, which the router sends to the fallback.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from hybrid import prompts
from hybrid.answers import extract_choice, extract_number
from hybrid.result import TraceStep
from hybrid.router import logic_style
from hybrid.state import State
from hybrid.stated_facts import claim_sentences, keep_stated_facts
from hybrid.verify import check

PROGRAM_STOP = ("```output", "\n```\n")
REASONING_STOP = ("```output",)


@dataclass(frozen=True)
class Settings:
    """Generation and solver settings shared by all nodes of one engine."""

    max_new_tokens: int = 400   # logic formalizations (and the cap for the two below)
    program_tokens: int = 250   # math step programs
    cot_tokens: int = 300       # plain reasoning in the fallback
    temperature: float = 0.0
    seed: int = 0
    shots: int = 4              # GSM8K train exemplars in the program and reasoning prompts
    timeout_s: float = 5.0      # per program run
    program_prompt: str = "program_v1"
    logic_prompt: str = "logic_{style}_v2"        # {style} is router.logic_style: order | truth
    cot_prompt: str = "cot_v1"
    logic_cot_prompt: str = "logic_{style}_cot_v2"
    repair_prompt: str = "repair_v2"
    stated_facts_only: bool = True  # drop formalized "facts" the question never stated (hybrid.stated_facts)


def _fields(state: State) -> dict:
    return prompts.fields(state["question"], state.get("context"), state.get("options"))


def logic_prompt_name(template: str, question: str, options: list[str] | None) -> str:
    """The prompt file for a logic question: `template` with {style} filled by `router.logic_style`."""
    return template.format(style=logic_style(question, options))


def _close_fence(text: str) -> str:
    """Generation stops before a closing fence; restore it so the block is well-formed."""
    return text + "\n```" if text.count("```") % 2 == 1 else text


def _extract(text: str) -> str | None:
    from solvers import extract_program  # lazy: keeps the CLI start-up path light

    try:
        program = extract_program(_close_fence(text))
    except Exception:  # extraction must never crash the graph
        return None
    return program if program and program.strip() else None


class Nodes:
    """The node functions, bound to an LM (None is enough for drawing the graph)."""

    def __init__(self, lm: Any, settings: Settings | None = None) -> None:
        self.lm = lm
        self.settings = settings or Settings()

    # -- helpers ---------------------------------------------------------------------------------------
    def _generate(self, messages: list[dict], max_new_tokens: int, stop: tuple[str, ...]):
        s = self.settings
        gen = self.lm.generate([messages], max_new_tokens=min(max_new_tokens, s.max_new_tokens),
                               temperature=s.temperature, stop=stop, seed=s.seed)[0]
        return gen

    def _propose_messages(self, state: State) -> list[dict]:
        s = self.settings
        if state["kind"] == "logic":
            key = "user" if state.get("options") else "user.nooptions"
            name = logic_prompt_name(s.logic_prompt, state["question"], state.get("options"))
            return prompts.chat(name, _fields(state), user_key=key)
        shots = prompts.exemplars()[: s.shots]
        return prompts.chat(s.program_prompt, _fields(state), shots=shots)

    def _program_tokens(self, state: State) -> int:
        return self.settings.max_new_tokens if state["kind"] == "logic" else self.settings.program_tokens

    def _program(self, state: State, text: str) -> tuple[str | None, str]:
        """The program in the model's text and a note on what was dropped from it (empty when nothing)."""
        program = _extract(text)
        if program is None or state["kind"] != "logic" or not self.settings.stated_facts_only:
            return program, ""
        kept = keep_stated_facts(program, prompts.fact_sentences(state.get("context")),
                                 claim_sentences(state["question"], state.get("options")))
        if not kept.dropped:
            return program, ""
        return kept.program, "dropped unstated facts: " + " | ".join(kept.dropped)

    @staticmethod
    def _lm_update(node: str, given: str, gen, note: str = "", **extra) -> dict:
        step = TraceStep(node=node, input=given, output=gen.text, prompt_tokens=gen.prompt_tokens,
                         completion_tokens=gen.completion_tokens, seconds=gen.seconds, note=note)
        return dict(trace=[step], prompt_tokens=gen.prompt_tokens,
                    completion_tokens=gen.completion_tokens, **extra)

    # -- nodes -----------------------------------------------------------------------------------------
    def propose(self, state: State) -> dict:
        messages = self._propose_messages(state)
        gen = self._generate(messages, self._program_tokens(state), PROGRAM_STOP)
        program, note = self._program(state, gen.text)
        return self._lm_update("propose", messages[-1]["content"], gen, note=note, raw=gen.text, program=program)

    def _run(self, state: State, solver: str) -> dict:
        from solvers import run_program  # lazy

        start = time.perf_counter()
        try:
            result = run_program(state["program"], timeout_s=self.settings.timeout_s).to_dict()
        except Exception as exc:  # run_program should never raise; if it does, it is a solver error
            result = dict(status="error", value=None, message=f"solver crashed: {type(exc).__name__}: {exc}",
                          solver=solver, number=None)
        seconds = time.perf_counter() - start
        shown = result.get("value") if result.get("status") == "ok" else result.get("message")
        step = TraceStep(node=solver, input=state["program"], output=f"{result.get('status')}: {shown}",
                         solver=result, seconds=seconds)
        return dict(solver_result=result, solvers=[solver], trace=[step])

    def sympy(self, state: State) -> dict:
        return self._run(state, "sympy")

    def z3(self, state: State) -> dict:
        return self._run(state, "z3")

    def verify(self, state: State) -> dict:
        solvers = state.get("solvers") or [None]
        verdict = check(state["kind"], state["question"], state.get("options"), state.get("solver_result"),
                        solver=solvers[-1], program=state.get("program"))
        result = state.get("solver_result") or {}
        given = f"{result.get('status')}: {result.get('value') if result.get('status') == 'ok' else result.get('message')}"
        if verdict.ok:
            step = TraceStep(node="verify", input=given, output=f"accepted: {verdict.answer}")
            return dict(verdict="accept", answer=verdict.answer, feedback="", trace=[step])
        step = TraceStep(node="verify", input=given, output=f"rejected ({verdict.hint}): {verdict.message}")
        hint = prompts.section(self.settings.repair_prompt, f"hint.{verdict.hint}", default="")
        return dict(verdict="retry", feedback=f"{verdict.message}\n{hint}".strip(), trace=[step])

    def repair(self, state: State) -> dict:
        s = self.settings
        program = state.get("program") or ""
        messages = self._propose_messages(state) + [
            {"role": "assistant", "content": f"```python\n{program}\n```"},
            {"role": "user", "content": prompts.fill(prompts.section(s.repair_prompt, "user"),
                                                     dict(message=state.get("feedback", ""), hint=""))},
        ]
        gen = self._generate(messages, self._program_tokens(state), PROGRAM_STOP)
        program, note = self._program(state, gen.text)
        return self._lm_update("repair", messages[-1]["content"], gen, note=note, raw=gen.text, program=program,
                               repairs=state.get("repairs", 0) + 1)

    def fallback(self, state: State) -> dict:
        s = self.settings
        if state["kind"] == "logic":
            key = "user" if state.get("options") else "user.nooptions"
            name = logic_prompt_name(s.logic_cot_prompt, state["question"], state.get("options"))
            messages = prompts.chat(name, _fields(state), user_key=key)
            gen = self._generate(messages, s.cot_tokens, REASONING_STOP)
            answer = extract_choice(gen.text, state.get("options"))
        else:
            messages = prompts.chat(s.cot_prompt, _fields(state), shots=prompts.exemplars()[: s.shots])
            gen = self._generate(messages, s.cot_tokens, REASONING_STOP)
            answer = extract_number(gen.text)
        return self._lm_update("fallback", messages[-1]["content"], gen, answer=answer,
                               status="fallback" if answer is not None else "failed")

    def answer(self, state: State) -> dict:
        step = TraceStep(node="answer", input=" -> ".join(state.get("solvers", [])), output=str(state.get("answer")))
        return dict(status="ok", trace=[step])
