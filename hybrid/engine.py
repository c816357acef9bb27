"""The public API: `Engine(model).solve(question)` and `engine.solve_many(questions)`.

An Engine holds one LM (a registered name resolved by `hybrid.lm.get_lm`, an OpenAI-compatible
`openai:<model>` name with `base_url=...`, or any object with the LM protocol) and one compiled graph.
`solve_many` runs the questions in groups of `batch_size`; inside a group every question runs the graph
in its own thread and a `BatchingLM` barrier turns the group's model calls at each step into one
`lm.generate` call (see hybrid/batching.py); an LM that batches concurrent calls itself (the CPU path's
continuous batching) is called directly instead. `solve` is `solve_many` of one question.
"""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterable

from hybrid.answers import FLEXIBLE, STRICT
from hybrid.batching import RUN_INDEX, batcher_for
from hybrid.kinds import classify
from hybrid.lm.catalogue import DEFAULT_MODEL
from hybrid.nodes import Nodes
from hybrid.result import Result
from hybrid.settings import EngineSettings, split_settings, with_overrides
from hybrid.state import State, initial_state

MAX_QUESTION_CHARS = 8_000
MAX_CONTEXT_CHARS = 20_000


class InvalidQuestion(ValueError):
    """A question the engine refuses: empty, too long, or not text. The message is one line."""


def validate(question: Any, *, context: Any = None, options: Any = None) -> str:
    """The question stripped, or InvalidQuestion saying what is wrong with it."""
    if not isinstance(question, str):
        raise InvalidQuestion(f"question must be text, got {type(question).__name__}")
    text = question.strip()
    if not text:
        raise InvalidQuestion("question is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(f"question is {len(text)} characters; the limit is {MAX_QUESTION_CHARS}")
    if context is not None and (not isinstance(context, str) or len(context) > MAX_CONTEXT_CHARS):
        raise InvalidQuestion(f"context must be text of at most {MAX_CONTEXT_CHARS} characters")
    if options is not None and (not isinstance(options, (list, tuple))
                                or not all(isinstance(o, str) and o.strip() for o in options)):
        raise InvalidQuestion("options must be a list of non-empty strings")
    return text


def _route(state: State) -> str:
    status = state.get("status")
    if status == "fallback":
        return "fallback"
    if status != "ok":
        return "none"
    vote = state.get("vote") or {}
    if state.get("mode") == "steps":  # the solvers of the kept steps, whichever attempts failed on the way
        visited = {step.get("solver") for step in _kept_steps(state)}
    elif vote.get("winner") is not None and not state.get("repairs"):  # the solvers of the answering samples
        chosen = state.get("chosen") or vote["winner"]
        visited = {row.get("solver") for row in vote.get("samples", []) if row.get("vote") == chosen}
    else:
        visited = set(state.get("solvers", []))
    return "+".join(s for s in ("sympy", "z3") if s in visited) or "none"


def _kept_steps(state: State) -> list[dict]:
    from hybrid.step_nodes import chain

    return chain(state.get("steps") or [])


def _program(state: State) -> str | None:
    """The program behind the result; steps mode: the kept steps' code, joined (no injected values)."""
    if state.get("mode") == "steps":
        return "\n".join(r["code"] for r in _kept_steps(state) if r.get("code")) or None
    return state.get("program")


def to_result(state: State, *, id: Any = None) -> Result:
    """The public Result of one finished graph run."""
    trace = tuple(state.get("trace", []))
    return Result(
        question=state["question"],
        answer=state.get("answer"),
        status=state.get("status", "failed"),
        route=_route(state),  # type: ignore[arg-type]
        # plain reasoning answered (a reconciled vote is answered by its programs, `extra["reconciled"]`)
        fallback_used=any(step.node == "fallback" for step in trace) and state.get("status") != "ok",
        repairs=state.get("repairs", 0),
        program=_program(state),
        trace=trace,
        prompt_tokens=state.get("prompt_tokens", 0),
        completion_tokens=state.get("completion_tokens", 0),
        seconds=round(sum(step.seconds for step in trace), 4),
        id=None if id is None else str(id),
        answers={STRICT.name: state.get("answer_strict"), FLEXIBLE.name: state.get("answer")},
        reasoning=state.get("reasoning"),
        confidence=state.get("confidence"),
        extra=dict(kind=state.get("kind"), solver_result=state.get("solver_result"),
                   solvers=list(state.get("solvers", [])), vote=state.get("vote"), mode=state.get("mode"),
                   reconciled=state.get("reconciled"),
                   steps=[{k: v for k, v in r.items() if k != "kept"} for r in _kept_steps(state)],
                   answer_from=state.get("answer_from") if state.get("status") == "ok" else None),
    )


class Engine:
    """A question goes in; a verified answer and its trace come out.

    model: a registered model name (default the bundled Qwen2.5-Coder-0.5B), "openai:<model>" (with
        base_url=...), or an LM object (anything with `generate`, e.g. ScriptedLM).
    settings: an `EngineSettings` (repair rounds, decoding, token budgets, exemplars, prompts, batch size);
        keywords named like its fields override it, so `Engine(m, max_repairs=1)` works too.
    Any other keyword goes to `hybrid.lm.get_lm` (device, quantize, base_url, ...) when `model` is a name.
    """

    def __init__(self, model: Any = DEFAULT_MODEL, settings: EngineSettings | None = None, **options: Any) -> None:
        overrides, lm_options = split_settings(options)
        self.settings = with_overrides(settings, overrides)
        if isinstance(model, str):
            from hybrid.lm import get_lm

            self.lm = get_lm(model, **lm_options)
        elif lm_options:
            raise TypeError(f"model options {', '.join(sorted(lm_options))} need a model name, not an LM object")
        else:
            self.lm = model
        self.last_batch_calls: list[int] = []  # prompts per lm.generate call of the last solve_many

    def solve(self, question: str, *, context: str | None = None, options: list[str] | None = None,
              id: Any = None, kind: str | None = None) -> Result:
        """Solve one question (with an optional context and lettered options for logic questions)."""
        item = dict(question=question, context=context, options=options, id=id, kind=kind)
        return self.solve_many([item])[0]

    def solve_many(self, questions: Iterable[str | dict],
                   progress: Callable[[int], None] | None = None) -> list[Result]:
        """Solve many questions with batched model calls; results come back in input order.

        Each item is a question string or a dict with question and optional id, context, options, kind.
        Every item is validated before any model call (InvalidQuestion names the first bad one).
        `progress(k)` is called as each group of k questions finishes.
        """
        items = [self._item(q, i) for i, q in enumerate(questions)]
        self.last_batch_calls = []
        results: list[Result] = []
        size = self.settings.batch_size
        for start in range(0, len(items), size):
            group = items[start:start + size]
            results.extend(self._run_group(group))
            if progress is not None:
                progress(len(group))
        return results

    def _item(self, q: str | dict, index: int) -> dict:
        if isinstance(q, str):
            q = {"question": q}
        if not isinstance(q, dict):
            raise InvalidQuestion(f"item {index}: expected a question string or a dict, got {type(q).__name__}")
        try:
            question = validate(q.get("question"), context=q.get("context"), options=q.get("options"))
        except InvalidQuestion as exc:
            raise InvalidQuestion(f"item {index}: {exc}") from None
        kind = q.get("kind") or classify(question, q.get("context"), q.get("options"))
        if kind not in ("math", "logic"):
            raise InvalidQuestion(f"item {index}: kind must be math or logic, got {kind!r}")
        state = initial_state(question, kind=kind, context=q.get("context"), options=q.get("options"),
                              max_repairs=self.settings.max_repairs, abstain=self.settings.abstain,
                              min_confidence=self.settings.min_confidence, mode=self.settings.mode_for(kind, q.get("options")),
                              max_steps=self.settings.max_steps)
        return dict(state=state, id=q.get("id"))

    def _run_group(self, group: list[dict]) -> list[Result]:
        from hybrid.graph import build_graph

        batcher = batcher_for(self.lm, runs=len(group))
        app = build_graph(Nodes(batcher, self.settings))
        s = self.settings  # supersteps: propose, filter, solver(s), verify or vote per round; 3 per step attempt
        limit = 12 + 5 * s.max_repairs + (3 * (s.max_steps + s.max_repairs) + 6 if s.mode != "program" else 0)

        def run(index: int) -> State:
            RUN_INDEX.set(index)
            try:
                return app.invoke(group[index]["state"], config={"recursion_limit": limit})
            finally:
                batcher.finish()

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(group)) as pool:
            finals = list(pool.map(run, range(len(group))))
        self.last_batch_calls.extend(batcher.stats.calls)
        results = [to_result(final, id=item["id"]) for final, item in zip(finals, group)]
        if len(group) == 1:  # a lone question: wall time is the honest figure
            results[0] = _with_seconds(results[0], time.perf_counter() - started)
        return results


def _with_seconds(result: Result, seconds: float) -> Result:
    from dataclasses import replace

    return replace(result, seconds=round(seconds, 4))
