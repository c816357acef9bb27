"""The graph's nodes: each is a small function State -> partial State.

`Nodes` binds them to one LM and one `EngineSettings`; graph.py wires the bound methods. Messages, budgets
and stop strings come from `hybrid.steps`, the same builders the eval harness's baselines use.
- propose: the model writes a step program (math) or a z3 formalization (logic); with `samples` k > 1, k
  of them in one call (n=k; sample 1 greedy, the others at sample_temperature / top_p).
- stated_facts: a logic formalization has its slips mended (`hybrid.slips`: brackets a line leaves open, a
  category's plural name), keeps only the facts the question states (`hybrid.stated_facts`), with the
  "not" each states (`hybrid.polarity`), and the positions it states (`hybrid.positions`); it adds a trace
  step only when it changed something, and passes every other program through.
- sympy / z3 (`solve(name)`): the program runs through `solvers.run_program` with the solver the router
  chose (never in this process's interpreter).
- samples: the k sampled programs run in the worker pool at once, each with its own solver.
- verify: `hybrid.verify.check` accepts the solver's result or says what is wrong.
- vote: each sample is verified; every verified answer votes (`hybrid.vote`); the winner's share of the k
  programs is the confidence; a failed sample (the greedy one first) is what a repair would fix.
- repair: the question, the failing program and the message go back to the model for a corrected program
  (not the few-shot conversation: `hybrid.steps.repair_messages`).
- fallback: plain step-by-step reasoning, read by `hybrid.answers` (flexible, and strict beside it).
- reconcile: after a vote below the bar, plain reasoning picks among the programs' verified answers: the
  one it agrees with, else the vote's winner (an executed program's answer over unchecked prose).
- answer: the accepted solver answer becomes the result, with its confidence.
- unsure: asked to abstain, the engine says it is unsure instead of guessing.
Steps mode's nodes (propose_step, repair_step, observe) are in `hybrid.step_nodes`, mixed in here; the
solver, verify, fallback, answer and unsure nodes serve both modes.
Model text that is not a program never raises: it becomes a program of None, which the router sends to
the fallback.
"""
from __future__ import annotations

import time
from dataclasses import replace
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Literal

from hybrid import steps
from hybrid.answers import FLEXIBLE, STRICT, read_answer
from hybrid.facts import claim_sentences, fact_sentences
from hybrid.polarity import keep_polarity
from hybrid.positions import read_positions
from hybrid.result import TraceStep
from hybrid.settings import EngineSettings
from hybrid.slips import mend
from hybrid.state import State
from hybrid.stated_facts import keep_stated_facts
from hybrid.step_nodes import StepNodes
from hybrid.verify import Check, check
from hybrid.vote import agreed_group, tally

SolverName = Literal["sympy", "z3"]


def _question(state: State) -> dict:
    return dict(kind=state["kind"], context=state.get("context"), options=state.get("options"))


def _shown(result: dict) -> str:
    """A solver result in one line: its value when ok, else its message."""
    status = result.get("status")
    return f"{status}: {result.get('value') if status == 'ok' else result.get('message')}"


class Nodes(StepNodes):
    """The node functions, bound to an LM (None is enough for drawing the graph)."""

    def __init__(self, lm: Any, settings: EngineSettings | None = None) -> None:
        self.lm = lm
        self.settings = settings or EngineSettings()

    def _generate(self, messages: list[dict], max_new_tokens: int, stop: tuple[str, ...], samples: int = 1):
        s = self.settings
        if samples > 1:  # one call, one prefill: sample 1 greedy (unless temperature > 0), the rest sampled
            return self.lm.generate([messages], max_new_tokens=max_new_tokens, temperature=s.sample_temperature,
                                    top_p=s.top_p, n=samples, greedy_first=s.temperature == 0, stop=stop,
                                    seed=s.seed)[0]
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

    def _verdict(self, state: State, result: dict | None, solver: str | None, program: str | None) -> Check:
        shown = steps.shown_programs(self.settings, state["question"], kind=state["kind"],
                                     options=state.get("options"))
        return check(state["kind"], state["question"], state.get("options"), result, solver=solver,
                     program=program, exemplars=shown)

    def _feedback(self, verdict: Check) -> str:
        return f"{verdict.message}\n{steps.repair_hint(self.settings, verdict.hint)}".strip()

    # -- nodes -----------------------------------------------------------------------------------------
    def propose(self, state: State) -> dict:
        messages = steps.program_messages(self.settings, state["question"], **_question(state))
        k = self.settings.samples
        if k <= 1:
            return self._write_program("propose", messages, state)
        gen = self._generate(messages, self.settings.budget(state["kind"]), steps.PROGRAM_STOP, samples=k)
        candidates = [dict(raw=text, program=steps.program_in(text)) for text in gen.texts]
        update = self._lm_update("propose", messages, gen, raw=gen.text, program=candidates[0]["program"],
                                 candidates=candidates)
        update["trace"] = [replace(update["trace"][0], note=f"{len(candidates)} programs in one call")]
        return update

    def _kept(self, state: State, program: str | None) -> tuple[str, str] | None:
        """A logic program mended and kept to what its question states (slips mended, unstated facts dropped,
        stated positions read in), with a note of what changed; None when nothing did."""
        if not program or state["kind"] != "logic":
            return None
        context, notes = state.get("context"), []
        facts = fact_sentences(context)
        if self.settings.mend_slips:
            mended = mend(program)
            if mended.changes:
                program = mended.program
                notes.append("slips mended: " + " | ".join(mended.changes))
        if self.settings.stated_facts_only:
            kept = keep_stated_facts(program, facts,
                                     claim_sentences(state["question"], state.get("options")))
            if kept.dropped:
                program = kept.program
                notes.append("dropped unstated facts: " + " | ".join(kept.dropped))
        if self.settings.read_polarity:
            judged = claim_sentences(state["question"])  # the statement to judge, where there is one
            polarity = keep_polarity(program, facts, judged[0] if len(judged) == 1 else None)
            if polarity.changes:
                program = polarity.program
                notes.append("polarity kept to the facts: " + " | ".join(polarity.changes))
        if self.settings.read_positions:
            read = read_positions(program, facts, state.get("options"), context)
            if read.rewritten:
                program = read.program
                notes.append("positions read from the question: " + " | ".join(read.rewritten))
        return (program, "; ".join(notes)) if notes else None

    def stated_facts(self, state: State) -> dict:
        candidates = state.get("candidates") or []
        if len(candidates) > 1 and not state.get("sampled"):
            return self._stated_facts_of_samples(state, candidates)
        program = state.get("program")
        kept = self._kept(state, program)
        if kept is None:
            return {}
        step = TraceStep(node="stated_facts", input=program, output=kept[0], note=kept[1])
        return dict(program=kept[0], trace=[step])

    def _stated_facts_of_samples(self, state: State, candidates: list[dict]) -> dict:
        new, trace = [], []
        for i, candidate in enumerate(candidates, 1):
            kept = self._kept(state, candidate.get("program"))
            if kept is None:
                new.append(candidate)
                continue
            new.append(dict(candidate, program=kept[0]))
            trace.append(TraceStep(node="stated_facts", input=candidate["program"], output=kept[0],
                                   note=f"sample {i}: {kept[1]}"))
        if not trace:
            return {}
        return dict(candidates=new, program=new[0].get("program"), trace=trace)

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

    def samples(self, state: State) -> dict:
        """Run every sampled program at once in the worker pool, each with the solver its program needs."""
        from solvers import detect_solver, run_program  # lazy

        def run(candidate: dict) -> tuple[dict, float]:
            program, started = candidate.get("program"), time.perf_counter()
            if not program:
                return dict(status="error", value=None, message="no program in the reply", solver="none",
                            number=None), 0.0
            try:
                solver = "z3" if detect_solver(program) == "z3" else "sympy"
                result = run_program(program, timeout_s=self.settings.timeout_s, solver=solver).to_dict()
            except Exception as exc:  # run_program never raises; if it does, that is a solver error
                result = dict(status="error", value=None, message=f"solver crashed: {type(exc).__name__}: {exc}",
                              solver="sympy", number=None)
            return result, time.perf_counter() - started

        candidates = state.get("candidates") or []
        with ThreadPoolExecutor(max_workers=len(candidates)) as pool:
            runs = list(pool.map(run, candidates))
        sampled = [dict(program=c.get("program"), solver_result=r) for c, (r, _) in zip(candidates, runs)]
        trace = [TraceStep(node="samples", input=c.get("program") or c.get("raw", ""), output=_shown(r), solver=r,
                           seconds=sec, note=f"sample {i} of {len(candidates)}")
                 for i, (c, (r, sec)) in enumerate(zip(candidates, runs), 1)]
        solvers = sorted({r.get("solver") for r, _ in runs if r.get("solver") in ("sympy", "z3")})
        return dict(sampled=sampled, solvers=solvers, trace=trace)

    def vote(self, state: State) -> dict:
        """Verify each sample; every verified answer votes; the winner's share is the confidence."""
        sampled = state.get("sampled") or []
        verdicts = [self._verdict(state, s["solver_result"], s["solver_result"].get("solver"), s["program"])
                    for s in sampled]
        counted = tally([v.answer if v.ok else None for v in verdicts], programs=len(sampled))
        group_of = {i: g.answer for g in counted.groups for i in g.samples}
        rows = [dict(program=s["program"], solver=s["solver_result"].get("solver"), status=s["solver_result"].get("status"),
                     value=s["solver_result"].get("value"), answer=v.answer if v.ok else None,
                     vote=group_of.get(i), rejected=None if v.ok else f"{v.hint}: {v.message}")
                for i, (s, v) in enumerate(zip(sampled, verdicts))]
        vote = dict(samples=rows, groups=[dict(answer=g.answer, votes=g.votes, samples=list(g.samples))
                                          for g in counted.groups],
                    winner=counted.winner.answer if counted.winner else None, confidence=counted.confidence)
        lines = [f"sample {i}: " + (f"{r['answer']} (votes {r['vote']})" if r["answer"] is not None
                                    else f"no vote ({r['rejected']})") for i, r in enumerate(rows, 1)]
        step = TraceStep(node="vote", input="\n".join(lines), output=counted.line())
        update = dict(vote=vote, confidence=counted.confidence, trace=[step])
        if counted.winner is not None:  # the result shows the first program that gave the winning answer
            first = sampled[counted.winner.samples[0]]
            return dict(update, verdict="accept", answer=counted.winner.answer, feedback="",
                        program=first["program"], solver_result=first["solver_result"])
        failed = next((i for i, s in enumerate(sampled) if s["program"]), None)  # the greedy program first
        if failed is None:
            return dict(update, verdict="retry", program=None)
        return dict(update, verdict="retry", program=sampled[failed]["program"],
                    solver_result=sampled[failed]["solver_result"], feedback=self._feedback(verdicts[failed]))

    def verify(self, state: State) -> dict:
        solvers = state.get("solvers") or [None]
        solver = (state.get("answer_from") or {}).get("solver") or solvers[-1]  # steps: the answer's step
        verdict = self._verdict(state, state.get("solver_result"), solver, state.get("program"))
        given = _shown(state.get("solver_result") or {})
        if verdict.ok:
            step = TraceStep(node="verify", input=given, output=f"accepted: {verdict.answer}")
            return dict(verdict="accept", answer=verdict.answer, feedback="", trace=[step])
        step = TraceStep(node="verify", input=given, output=f"rejected ({verdict.hint}): {verdict.message}")
        return dict(verdict="retry", feedback=self._feedback(verdict), trace=[step])

    def repair(self, state: State) -> dict:
        messages = steps.repair_messages(self.settings, state["question"], program=state.get("program") or "",
                                         feedback=state.get("feedback", ""), **_question(state))
        return self._write_program("repair", messages, state, repairs=state.get("repairs", 0) + 1)

    def fallback(self, state: State) -> dict:
        messages = steps.reasoning_messages(self.settings, state["question"], **_question(state))
        gen = self._generate(messages, self.settings.reasoning_budget, steps.REASONING_STOP)
        choice, options = state["kind"] == "logic", state.get("options")
        answer = read_answer(gen.text, options, choice=choice, reader=FLEXIBLE)
        return self._lm_update("fallback", messages, gen, answer=answer, reasoning=gen.text, confidence=None,
                               answer_strict=read_answer(gen.text, options, choice=choice, reader=STRICT),
                               status="fallback" if answer is not None else "failed")

    def reconcile(self, state: State) -> dict:
        vote, said, sampled = state["vote"], state.get("answer"), state.get("sampled") or []
        group = agreed_group(vote["groups"], said)
        how = "agreed" if group else "vote"
        group = group or next(g for g in vote["groups"] if g["answer"] == vote["winner"])
        first = sampled[group["samples"][0]]
        share = round(group["votes"] / max(1, len(sampled)), 4)
        tally_line = ", ".join(f"{g['answer']} x{g['votes']}" for g in vote["groups"])
        step = TraceStep(node="reconcile", input=f"plain reasoning: {said}; programs: {tally_line}",
                         output=f"{group['answer']} ({share})",
                         note="plain reasoning agrees with this program answer" if how == "agreed" else
                         "plain reasoning agrees with no program answer: the vote's winner")
        return dict(answer=group["answer"], answer_strict=group["answer"], status="ok", confidence=share,
                    reconciled=how, chosen=group["answer"], program=first["program"],
                    solver_result=first["solver_result"], trace=[step])

    def answer(self, state: State) -> dict:
        origin = state.get("answer_from")
        step = TraceStep(node="answer", input=" -> ".join(state.get("solvers", [])), output=str(state.get("answer")),
                         note=f"from step {origin['step']} ({origin['solver']}, {origin['name']})" if origin else "",
                         provenance=dict(origin) if origin else None)
        confidence = state.get("confidence")
        if confidence is None or state.get("repairs", 0):  # one program's answer among all those written
            written = max(1, len(state.get("candidates") or [])) + state.get("repairs", 0)
            confidence = round(1 / written, 4)
        return dict(status="ok", answer_strict=state.get("answer"), confidence=confidence, trace=[step])

    def unsure(self, state: State) -> dict:
        vote = state.get("vote") or {}
        said = f"unsure: the best answer {vote['winner']} holds {vote['confidence']} of the programs" if vote.get(
            "winner") else "unsure: no program gave a verified answer"
        step = TraceStep(node="unsure", input=" -> ".join(state.get("solvers", [])), output=said)
        return dict(status="unsure", answer=None, answer_strict=None, trace=[step])
