"""The prompted baselines: one prompt per problem, the answer read from the text.

- direct: answer only (direct_v1), the same exemplar problems as cot with only their answers shown.
- cot: step-by-step reasoning, the engine's own fallback step (`hybrid.steps.reasoning_messages`): cot_v1
  with the GSM8K-train exemplars; logic sets: logic_order_cot_v2 or logic_truth_cot_v2, whose shots are
  the puzzles the logic formalization prompts show.
- cot-sc: cot sampled k times in the same generate call (k: the engine's `samples`, or `sc_samples`; at the
  engine's sample_temperature and top_p, sample 1 greedy as in the engine's propose step: the budget
  hybrid@k and pal@k vote with), majority vote of each reader's answers (ties: the earliest sample).
Every text is read by the one reader (`hybrid.answers`), strict and flexible, as the engine's fallback is.
"""
from __future__ import annotations

import time
from typing import Any, Sequence

from evals.datasets import Problem
from evals.systems.base import SystemBase, engine_kind, majority, new_record, register_system
from hybrid import prompts, steps
from hybrid.answers import FLEXIBLE, STRICT, read_answer


def exemplar_file(settings: Any) -> str:
    """The exemplar file the math prompts show (the program prompt's; see `hybrid.steps.exemplars_for`)."""
    return f"{prompts.exemplar_file(settings.program_prompt)}.json"


def read_both(problem: Problem, text: str) -> tuple[str | None, str | None]:
    """(strict-match, flexible-extract) answers of one text for this problem."""
    options = list(problem.options or ())
    choice = problem.kind == "letter"
    return (read_answer(text, options, choice=choice, reader=STRICT),
            read_answer(text, options, choice=choice, reader=FLEXIBLE))


class PromptedSystem(SystemBase):
    """One prompt per problem; subclasses say which messages and how to decode."""

    def messages(self, problem: Problem) -> list[dict]:
        return steps.reasoning_messages(self.engine_settings, problem.question, kind=engine_kind(problem),
                                        context=problem.context, options=problem.options)

    def decoding(self) -> dict:
        e = self.engine_settings
        return dict(max_new_tokens=e.reasoning_budget, temperature=e.temperature, n=1, seed=e.seed,
                    stop=steps.REASONING_STOP)

    def prompt_names(self, kind: str) -> list[str]:
        if kind == "letter":
            return sorted({self.engine_settings.logic_cot_prompt.format(style=s) for s in ("order", "truth")})
        return [self.engine_settings.cot_prompt, exemplar_file(self.engine_settings)]

    def budget(self) -> dict:
        return {"max_new_tokens": self.decoding()["max_new_tokens"], "samples": 1}

    def predictions(self, problem: Problem, texts: list[str]) -> tuple[str | None, str | None, Any]:
        """(strict, flexible, output) of a problem's generated texts."""
        text = texts[0] if texts else ""
        return (*read_both(problem, text), text)

    def run(self, problems: Sequence[Problem], lm: Any) -> list[dict]:
        start = time.perf_counter()
        generations = lm.generate([self.messages(p) for p in problems], **self.decoding())
        seconds = (time.perf_counter() - start) / max(1, len(problems))
        records = []
        for problem, generation in zip(problems, generations):
            strict, flexible, output = self.predictions(problem, list(generation.texts))
            records.append(new_record(output=output, prediction_strict=strict, prediction_flexible=flexible,
                                      prompt_tokens=generation.prompt_tokens,
                                      completion_tokens=generation.completion_tokens, seconds=seconds))
        return records


@register_system
class DirectSystem(PromptedSystem):
    name = "direct"
    description = "answer only (direct_v1), the exemplar problems with their answers"

    def messages(self, problem: Problem) -> list[dict]:
        fields = prompts.fields(problem.question, problem.context, problem.options)
        if problem.kind == "letter":
            return prompts.chat("direct_v1", fields, user_key="user.logic")
        return prompts.chat("direct_v1", fields, shots=steps.exemplars_for(self.engine_settings, problem.question))

    def decoding(self) -> dict:
        e = self.engine_settings
        return dict(max_new_tokens=min(self.settings.direct_tokens, e.max_new_tokens), temperature=e.temperature,
                    n=1, seed=e.seed)

    def prompt_names(self, kind: str) -> list[str]:
        return ["direct_v1"] + ([exemplar_file(self.engine_settings)] if kind == "number" else [])


@register_system
class CotSystem(PromptedSystem):
    name = "cot"
    description = "step-by-step reasoning: the engine's fallback step on its own"


@register_system
class CotScSystem(PromptedSystem):
    name = "cot-sc"
    description = "cot sampled k times (--samples), majority vote; the same k, temperature and top_p as the vote"

    def decoding(self) -> dict:
        e, k = self.engine_settings, self.settings.sc_k
        decoding = dict(super().decoding(), temperature=e.sample_temperature, top_p=e.top_p, n=k)
        if k > 1 and e.temperature == 0:
            decoding["greedy_first"] = True  # sample 1 greedy, as the engine's k programs
        return decoding

    def budget(self) -> dict:
        e = self.engine_settings
        return {"max_new_tokens": self.decoding()["max_new_tokens"], "samples": self.settings.sc_k,
                "temperature": e.sample_temperature, "top_p": e.top_p, "greedy_first": e.temperature == 0}

    def predictions(self, problem: Problem, texts: list[str]) -> tuple[str | None, str | None, Any]:
        pairs = [read_both(problem, t) for t in texts]
        return majority([p[0] for p in pairs]), majority([p[1] for p in pairs]), texts
