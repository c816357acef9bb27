"""The compared systems, one interface: a batch of problems in, one partial record per problem out.

- direct: answer only (direct_v1), same exemplar problems as cot with only their answers shown.
- cot: step-by-step reasoning, k-shot from GSM8K train (cot_v1, the same prompt as the graph's fallback);
  logic sets use logic_order_cot_v2 or logic_truth_cot_v2 (`hybrid.router.logic_style`), the prompt of
  the logic route's fallback, whose shots are the puzzles the logic formalization prompts show.
- cot-sc: cot sampled k times (n=k, temperature > 0) in the same generate call, majority vote.
- pal: the model writes a program (program_v1, the same prompt the graph proposes with), run ONCE by
  solvers.run_program: no routing, no repair, no fallback.
- hybrid: the full graph through `Engine.solve_many`, with the same LM object.

Every system issues one `lm.generate` call per batch (hybrid: one per graph step, inside the Engine).
Records carry strict and flexible predictions; scoring (comparison with the gold) happens in the runner.
Deliberately left out: any answer post-processing that one system gets and another does not.
"""
from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Sequence

from evals import extract
from evals.datasets import Problem
from hybrid.nodes import PROGRAM_STOP, REASONING_STOP, logic_prompt_name
from hybrid.nodes import Settings as EngineSettings

SYSTEMS = ("direct", "cot", "cot-sc", "pal", "hybrid")
# PROGRAM_STOP / REASONING_STOP are the Engine's stop strings, so the baselines decode exactly as the graph's steps do.
TRACE_TEXT_LIMIT = 4000


@dataclass(frozen=True)
class Settings:
    """Prompting and decoding shared by every system, matched to the Engine's own settings.

    The Engine's nodes use program_v1 with `shots` exemplars and `program_tokens` for math programs,
    cot_v1 with the same exemplars and `cot_tokens` for fallback reasoning, `max_new_tokens` as the cap
    (and for logic formalizations). The baselines get exactly these: pal = the propose step, cot = the
    fallback step, so any difference comes from the graph, not from prompts or budgets.
    """

    shots: int = 8                  # GSM8K-train exemplars for direct, cot, cot-sc, pal and the Engine
    max_new_tokens: int = 400       # cap on any generation; logic formalizations (Engine)
    program_tokens: int = 250       # pal and the Engine's math programs
    cot_tokens: int = 300           # cot, cot-sc (per sample), logic cot and the Engine's fallback
    direct_tokens: int = 24
    sc_samples: int = 5
    sc_temperature: float = 0.7
    sc_top_p: float = 0.95
    seed: int = 0
    program_timeout_s: float = 5.0
    engine_options: dict = field(default_factory=dict)

    def logic_cot_prompt(self) -> str:
        """The logic reasoning prompt template, the same one the Engine's fallback uses."""
        return self.engine_options.get("logic_cot_prompt", EngineSettings.logic_cot_prompt)

    def tokens(self, system: str) -> int:
        budget = {"direct": self.direct_tokens, "pal": self.program_tokens}.get(system, self.cot_tokens)
        return min(budget, self.max_new_tokens)

    def budget(self, system: str) -> dict:
        """The token budget a system runs under (reported in config.json and results.json)."""
        if system == "hybrid":
            return {"program_tokens": min(self.program_tokens, self.max_new_tokens),
                    "fallback_cot_tokens": min(self.cot_tokens, self.max_new_tokens),
                    "logic_program_tokens": self.max_new_tokens, "per": "graph step",
                    "max_repairs": self.engine_options.get("max_repairs", 2)}
        if system == "cot-sc":
            return {"max_new_tokens": self.tokens(system), "samples": self.sc_samples,
                    "temperature": self.sc_temperature, "top_p": self.sc_top_p}
        return {"max_new_tokens": self.tokens(system), "samples": 1}

    def engine_settings(self) -> dict:
        """The hybrid graph's node settings this run resolves to (recorded in config.json, so a resumed run
        with different engine behaviour, e.g. `stated_facts_only`, is refused rather than mixed)."""
        from dataclasses import asdict, fields

        names = {f.name for f in fields(EngineSettings)}
        return asdict(EngineSettings(**{k: v for k, v in self.engine_kwargs().items() if k in names}))

    def engine_kwargs(self) -> dict:
        options = dict(seed=self.seed, shots=self.shots, max_new_tokens=self.max_new_tokens,
                       program_tokens=self.program_tokens, cot_tokens=self.cot_tokens,
                       timeout_s=self.program_timeout_s)
        options.update(self.engine_options)
        return options


class System(Protocol):
    name: str

    def prompt_names(self, kind: str) -> list[str]: ...

    def run(self, problems: Sequence[Problem], lm: Any) -> list[dict]: ...


# ------------------------------------------------------------------------------------------- prompting

def _prompts():
    from hybrid import prompts  # the harness reads the project's prompt files, never copies of them
    return prompts


def _shots(settings: Settings) -> list[dict]:
    return list(_prompts().exemplars())[: settings.shots]


def _fields(problem: Problem) -> dict:
    return _prompts().fields(problem.question, problem.context, problem.options)


def exemplar_questions() -> set[str]:
    """The exemplar questions (a train-split benchmark drops them so no problem is its own exemplar)."""
    return {e["question"].strip() for e in _prompts().exemplars()}


def prompt_fingerprint(names: Sequence[str]) -> dict[str, str]:
    """{prompt name: first 12 hex of its sha256}, so a changed prompt shows in config and results."""
    from importlib import resources
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


# ------------------------------------------------------------------------------------------- helpers

def _numbers(problem: Problem, text: str) -> tuple[str | None, str | None]:
    if problem.kind == "letter":
        opts = list(problem.options or ())
        return extract.strict_letter(text, opts), extract.flexible_letter(text, opts)
    return extract.strict_number(text), extract.flexible_number(text)


def _record(**fields: Any) -> dict:
    base = dict(output=None, program=None, route=None, status=None, fallback_used=None, solver_answered=None,
                abstained=None, repairs=None, trace=None, prediction_strict=None, prediction_flexible=None,
                prompt_tokens=0, completion_tokens=0, seconds=0.0, error=None)
    base.update(fields)
    return base


def _clip(value: Any) -> Any:
    if isinstance(value, str) and len(value) > TRACE_TEXT_LIMIT:
        return value[:TRACE_TEXT_LIMIT] + f"... [{len(value) - TRACE_TEXT_LIMIT} chars clipped]"
    if isinstance(value, dict):
        return {k: _clip(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clip(v) for v in value]
    return value


def majority(values: Sequence[str | None]) -> str | None:
    """The most common non-None value; ties go to the value seen first. None when all are None."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    best = max(counts.values())
    return next(v for v in values if v is not None and counts[v] == best)


# ------------------------------------------------------------------------------------------- systems

@dataclass
class PromptedSystem:
    """direct, cot and cot-sc: one prompt per problem, answer extracted from the text."""

    name: str
    settings: Settings

    def prompt_names(self, kind: str) -> list[str]:
        if self.name == "direct":
            return ["direct_v1"] + (["gsm8k_exemplars.json"] if kind == "number" else [])
        if kind == "letter":
            return sorted({self.settings.logic_cot_prompt().format(style=style) for style in ("order", "truth")})
        return ["cot_v1", "gsm8k_exemplars.json"]

    def messages(self, problem: Problem) -> list[dict]:
        prompts = _prompts()
        if self.name == "direct":
            if problem.kind == "letter":
                return prompts.chat("direct_v1", _fields(problem), user_key="user.logic")
            return prompts.chat("direct_v1", _fields(problem), shots=_shots(self.settings))
        if problem.kind == "letter":
            key = "user" if problem.options else "user.nooptions"
            name = logic_prompt_name(self.settings.logic_cot_prompt(), problem.question,
                                     list(problem.options) if problem.options else None)
            return prompts.chat(name, _fields(problem), user_key=key)
        return prompts.chat("cot_v1", _fields(problem), shots=_shots(self.settings))

    def run(self, problems: Sequence[Problem], lm: Any) -> list[dict]:
        s = self.settings
        prompts = [self.messages(p) for p in problems]
        kwargs: dict = dict(max_new_tokens=s.tokens(self.name), temperature=0.0, n=1, seed=s.seed)
        if self.name == "cot-sc":
            kwargs.update(temperature=s.sc_temperature, top_p=s.sc_top_p, n=s.sc_samples)
        if self.name != "direct":
            kwargs["stop"] = REASONING_STOP
        start = time.perf_counter()
        generations = lm.generate(prompts, **kwargs)
        seconds = (time.perf_counter() - start) / max(1, len(problems))
        records = []
        for problem, generation in zip(problems, generations):
            texts = list(generation.texts)
            if self.name == "cot-sc":
                pairs = [_numbers(problem, t) for t in texts]
                strict = majority([p[0] for p in pairs])
                flexible = majority([p[1] for p in pairs])
                output: Any = texts
            else:
                strict, flexible = _numbers(problem, texts[0] if texts else "")
                output = texts[0] if texts else ""
            records.append(_record(output=output, prediction_strict=strict, prediction_flexible=flexible,
                                   prompt_tokens=generation.prompt_tokens,
                                   completion_tokens=generation.completion_tokens, seconds=seconds))
        return records


@dataclass
class PalSystem:
    """The model writes a program; solvers.run_program runs it once. No routing, repair or fallback."""

    settings: Settings
    name: str = "pal"

    def prompt_names(self, kind: str) -> list[str]:
        return ["program_v1", "gsm8k_exemplars.json"]

    def run(self, problems: Sequence[Problem], lm: Any) -> list[dict]:
        from solvers import extract_program, run_program
        prompts = _prompts()
        s = self.settings
        messages = [prompts.chat("program_v1", _fields(p), shots=_shots(s)) for p in problems]
        start = time.perf_counter()
        generations = lm.generate(messages, max_new_tokens=s.tokens("pal"), temperature=0.0, n=1, seed=s.seed,
                                  stop=PROGRAM_STOP)
        lm_seconds = (time.perf_counter() - start) / max(1, len(problems))
        records = []
        for problem, generation in zip(problems, generations):
            text = generation.text
            program = _extract_program(extract_program, text)
            route, status, error, value, solver = "none", "failed", None, None, None
            run_s = 0.0
            if program is None:
                error = "no program found in the model output"
            else:
                t0 = time.perf_counter()
                result = run_program(program, timeout_s=s.program_timeout_s)
                run_s = time.perf_counter() - t0
                solver = _clip(result.to_dict())
                if result.ok and result.value is not None:  # like the Engine: a route only when answered
                    value, status, route = result.value, "ok", result.solver
                else:
                    error = f"{result.status}: {result.message}"
            raw_value = value
            if problem.kind == "letter":
                value = extract.normalize_letter(value, list(problem.options or ()))
            else:
                value = extract.normalize_number(value)
            if raw_value is not None and value is None:  # e.g. a symbolic "3*price/4": answered, unusable
                error = f"solver value {raw_value[:80]!r} is not a {'letter' if problem.kind == 'letter' else 'number'}"
            records.append(_record(output=text, program=program, route=route, status=status,
                                   fallback_used=False, solver_answered=status == "ok",
                                   trace=[{"node": "solver", "solver": solver}] if solver else None,
                                   prediction_strict=value, prediction_flexible=value,
                                   prompt_tokens=generation.prompt_tokens,
                                   completion_tokens=generation.completion_tokens,
                                   seconds=lm_seconds + run_s, error=error))
        return records


def _extract_program(extract_program: Callable[[str], str | None], text: str) -> str | None:
    """The program in a model reply, as the Engine's propose step reads it (a fence cut by the stop
    string is closed first). Never raises."""
    if text.count("```") % 2 == 1:
        text = text + "\n```"
    try:
        program = extract_program(text)
    except Exception:  # extraction must never crash a benchmark
        return None
    return program if program and program.strip() else None


def _abstained(trace: Sequence[dict]) -> bool:
    """Did a solver decline to decide (several/no options entailed, or a claim neither way)?"""
    for step in trace:
        solver = step.get("solver") or {}
        if solver.get("status") == "ambiguous" or (solver.get("status") == "ok" and solver.get("value") == "Unknown"):
            return True
    return False


@dataclass
class HybridSystem:
    """The full graph through the public Engine API, sharing the harness's LM object."""

    settings: Settings
    name: str = "hybrid"
    engine_factory: Callable[..., Any] | None = None
    _engine: Any = field(default=None, init=False, repr=False)
    _engine_lm: Any = field(default=None, init=False, repr=False)

    def prompt_names(self, kind: str) -> list[str]:
        try:
            from importlib import resources
            files = sorted(p.name for p in resources.files("hybrid.prompts").iterdir()
                           if p.name.endswith((".txt", ".json")))
        except (ModuleNotFoundError, OSError):
            return []
        names = [f[:-4] if f.endswith(".txt") else f for f in files]
        return [n for n in names if n != "direct_v1"]

    def engine(self, lm: Any) -> Any:
        if self._engine is None or self._engine_lm is not lm:
            factory = self.engine_factory
            if factory is None:
                from hybrid import Engine
                factory = Engine
            self._engine = factory(lm, **self.settings.engine_kwargs())
            self._engine_lm = lm
        return self._engine

    def run(self, problems: Sequence[Problem], lm: Any) -> list[dict]:
        from hybrid.engine import InvalidQuestion, validate
        engine = self.engine(lm)
        questions, refused = [], {}
        for p in problems:
            try:  # a question the Engine refuses is that system's failure on it, not a crash of the run
                validate(p.question, context=p.context, options=list(p.options) if p.options else None)
            except InvalidQuestion as exc:
                refused[p.id] = f"invalid question: {exc}"
                continue
            q: dict = {"id": p.id, "question": p.question}
            if p.context is not None:
                q["context"] = p.context
            if p.options is not None:
                q["options"] = list(p.options)
            questions.append(q)
        start = time.perf_counter()
        results = iter(engine.solve_many(questions) if questions else [])
        seconds = (time.perf_counter() - start) / max(1, len(questions))
        return [_record(status="failed", error=refused[p.id]) if p.id in refused
                else self._record(p, next(results), seconds) for p in problems]

    def _record(self, problem: Problem, result: Any, seconds: float) -> dict:
        trace = [_clip(step) for step in result.to_dict().get("trace", [])]
        fallback = bool(result.fallback_used) or result.route == "fallback"
        fallback_text = next((st.get("output") for st in reversed(trace) if st.get("node") == "fallback"), None)
        if fallback and fallback_text is not None:
            # plain reasoning is scored by the same extractors as the cot baseline
            strict, flexible = _numbers(problem, fallback_text)
        else:
            if problem.kind == "letter":
                value = extract.normalize_letter(result.answer, list(problem.options or ()))
            else:
                value = extract.normalize_number(result.answer)
            strict = flexible = value
        error = None
        if result.status == "failed":
            last = (result.extra or {}).get("solver_result") or {}
            error = "no answer (status failed)" + (f"; last solver result {last.get('status')}: "
                                                    f"{last.get('message') or last.get('value')}" if last else "")
        last_output = next((st.get("output") for st in reversed(trace)
                            if st.get("node") in ("propose", "repair", "fallback") and st.get("output")), None)
        return _record(output=last_output, program=result.program, route=result.route, status=result.status,
                       fallback_used=fallback, solver_answered=result.status == "ok" and not fallback,
                       abstained=_abstained(trace), repairs=result.repairs, trace=trace,
                       prediction_strict=strict, prediction_flexible=flexible, engine_answer=result.answer,
                       prompt_tokens=result.prompt_tokens, completion_tokens=result.completion_tokens,
                       seconds=seconds, error=error)


def make_system(name: str, settings: Settings, **options: Any) -> System:
    """A system by name: direct, cot, cot-sc, pal, hybrid."""
    if name in ("direct", "cot", "cot-sc"):
        return PromptedSystem(name, settings)
    if name == "pal":
        return PalSystem(settings)
    if name == "hybrid":
        return HybridSystem(settings, engine_factory=options.get("engine_factory"))
    raise ValueError(f"unknown system {name!r}; known: {', '.join(SYSTEMS)}")


def supports(name: str, kind: str) -> bool:
    """pal needs numeric answers (logic programs go through the hybrid's z3 route)."""
    return not (name == "pal" and kind == "letter")
