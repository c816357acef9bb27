"""The engine's settings: one frozen object, its defaults defined here and nowhere else.

`EngineSettings` is what `Engine(model, settings)` runs with; the CLI (`hybrid solve`, `hybrid bench`) and
the eval harness build the same object (the harness records it in a run's config.json), so a default such
as the number of exemplars or a token budget cannot differ between them. Construction checks every value
and raises ValueError with a one-line message. Nothing heavy is imported here.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Mapping


EXEMPLAR_CHOICES = ("fixed", "retrieved")
MODE_CHOICES = ("program", "steps", "auto")


@dataclass(frozen=True)
class EngineSettings:
    """How the graph runs one question: repair rounds, decoding, token budgets, prompts, solver limits."""

    max_repairs: int = 2            # repair rounds after a solver error, a rejected answer or an ambiguous verdict
    temperature: float = 0.0        # every generation but samples 2..k (0: greedy)
    seed: int = 0
    samples: int = 1                # programs proposed per question in one call, voted by the solvers (program mode)
    sample_temperature: float = 0.7  # samples 2..k (sample 1 is the greedy program), and cot-sc's samples
    top_p: float = 0.95             # nucleus of samples 2..k, and of cot-sc's
    min_confidence: float = 0.5     # below it, plain reasoning picks among the vote's answers (or abstain)
    abstain: bool = False           # instead of plain reasoning, say "unsure" (status) when the solvers cannot
    max_new_tokens: int = 400       # cap on any generation; the budget of a logic formalization
    program_tokens: int = 250       # a math step program (propose and repair)
    cot_tokens: int = 300           # plain reasoning (the fallback)
    shots: int = 8                  # GSM8K-train exemplars in the math program and reasoning prompts
    exemplars: str = "fixed"        # fixed: the first `shots` of the exemplar file; retrieved: the most similar
    timeout_s: float = 5.0          # wall time of one program run in the solver worker
    batch_size: int = 16            # questions per group in solve_many (one lm.generate per step per group)
    stated_facts_only: bool = True  # drop formalized "facts" the question never stated (hybrid.stated_facts)
    read_positions: bool = True     # put the positions an ordering question states into its program (hybrid.positions)
    read_polarity: bool = True      # give a stated fact's code the fact's own "not" (hybrid.polarity)
    mend_slips: bool = True         # close brackets a logic line leaves open, merge a category's plural name (hybrid.slips)
    program_prompt: str = "program_v1"
    logic_prompt: str = "logic_{style}_v2"        # {style} is hybrid.kinds.logic_style: order | truth
    cot_prompt: str = "cot_v1"
    logic_cot_prompt: str = "logic_{style}_cot_v2"
    repair_prompt: str = "repair_v3"
    mode: str = "program"           # program: one program per question; steps: the step loop; auto: see mode_for
    max_steps: int = 4              # steps mode: steps the model may take before the answer (then plain reasoning)
    step_prompt: str = "steps_v1"   # steps mode: the step prompt (its exemplars and the output turn)

    def __post_init__(self) -> None:
        problems = [f"{name} must be >= {low}" for name, low in
                    (("max_repairs", 0), ("shots", 0), ("max_new_tokens", 1), ("program_tokens", 1),
                     ("cot_tokens", 1), ("batch_size", 1), ("samples", 1), ("max_steps", 1))
                    if not isinstance(getattr(self, name), int) or getattr(self, name) < low]
        if not 0 <= self.temperature <= 2:
            problems.append("temperature must be between 0 and 2")
        if not 0 < self.sample_temperature <= 2:
            problems.append("sample_temperature must be above 0 and at most 2")
        if not 0 < self.top_p <= 1:
            problems.append("top_p must be above 0 and at most 1")
        if not 0 <= self.min_confidence <= 1:
            problems.append("min_confidence must be between 0 and 1")
        if not 0 < self.timeout_s < 3600:
            problems.append("timeout_s must be between 0 and 3600 seconds")
        if self.exemplars not in EXEMPLAR_CHOICES:
            problems.append(f"exemplars must be one of {', '.join(EXEMPLAR_CHOICES)}")
        if self.mode not in MODE_CHOICES:
            problems.append(f"mode must be one of {', '.join(MODE_CHOICES)}")
        from hybrid import prompts  # light: reads text files beside the package

        missing = [name for name in (self.program_prompt, self.cot_prompt, self.repair_prompt, self.step_prompt)
                   if not prompts.exists(name)]
        if missing:
            problems.append(f"no prompt file named {', '.join(missing)}")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def program_budget(self) -> int:
        """Tokens for a math program (capped by max_new_tokens)."""
        return min(self.program_tokens, self.max_new_tokens)

    @property
    def reasoning_budget(self) -> int:
        """Tokens for plain reasoning (capped by max_new_tokens)."""
        return min(self.cot_tokens, self.max_new_tokens)

    @property
    def step_budget(self) -> int:
        """Tokens for one step in steps mode, whatever the question's kind (a z3 step of a math question is
        as long as one of a logic question; one budget keeps every question's step in one generate call)."""
        return self.max_new_tokens

    def budget(self, kind: str) -> int:
        """Tokens for a program step of a question of `kind`: logic formalizations get max_new_tokens."""
        return self.max_new_tokens if kind == "logic" else self.program_budget

    def mode_for(self, kind: str, options=None) -> str:
        """The mode a question runs in. auto: one program (a z3 formalization) for a logic question with
        lettered options, the step loop for every other question (math, and logic that asks for a number)."""
        if self.mode == "auto":
            return "program" if kind == "logic" and options else "steps"
        return self.mode

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def behaviour(self) -> dict:
        """Every field but batch_size: what a resumed bench run must share with the run it continues
        (the batch size may change, as the answers do not depend on it under greedy decoding)."""
        return {k: v for k, v in self.to_dict().items() if k != "batch_size"}


SETTING_NAMES = frozenset(f.name for f in fields(EngineSettings))


def split_settings(options: Mapping[str, Any]) -> tuple[dict, dict]:
    """(the options that are EngineSettings fields, the rest): keywords of `Engine(...)` are both."""
    mine = {k: v for k, v in options.items() if k in SETTING_NAMES}
    return mine, {k: v for k, v in options.items() if k not in SETTING_NAMES}


def with_overrides(settings: EngineSettings | None, overrides: Mapping[str, Any]) -> EngineSettings:
    """`settings` (default EngineSettings()) with some fields replaced; unknown names raise TypeError."""
    unknown = sorted(set(overrides) - SETTING_NAMES)
    if unknown:
        raise TypeError(f"unknown engine setting(s): {', '.join(unknown)}")
    return replace(settings or EngineSettings(), **overrides)
