"""The step loop's nodes (steps mode): each is a small function State -> partial State.

    propose_step -route_step-> sympy | z3 | observe -route_observe-> propose_step | repair_step | verify | ...
- propose_step: the model writes the next step (a short code block) after the kept steps and their outputs
  (`hybrid.steps.step_messages`). The step's runnable program is its code with the earlier values it reads
  put in front as literal assignments (`hybrid.step_values.prefix`), so the solver node runs it as it runs
  any program: in the confined worker, never here.
- repair_step: the failed step alone goes back with its error (or the verifier's message, for a final step
  it rejected); the kept steps and their values stay as they are.
- observe: reads the solver's result for the pending step: its values (the names its code assigns, as the
  worker reported them), which earlier values it used and from which step, the ```output turn the model
  will see; whether it gave the final answer (it assigns `answer`, or `options`/`claim` for a logic
  question, or it is a last line naming a value a step computed). On the final step it joins the kept
  steps' code into `program` for the verifier and records in `answer_from` the step and solver.
A step's record is also its trace step's `provenance`. Nothing here runs model text; code is only parsed.
"""
from __future__ import annotations

import re
import time

from hybrid import steps as prompts_of
from hybrid.answers import FLEXIBLE, read_number
from hybrid.result import TraceStep
from hybrid.state import State
from hybrid.step_values import analyse, carried, output_block, prefix, shown

_LINE = re.compile(r"\bline (\d+)")
NO_VALUE = ("the step reported no value: end a z3 step with print((value1, value2)) of the values it found, "
            "or assign the final number to `answer` in the last step")


def chain(records: list[dict]) -> list[dict]:
    """The kept steps, one per step number (its last kept attempt), in order."""
    kept: dict[int, dict] = {}
    for record in records:
        if record.get("kept"):
            kept[record["n"]] = record
    return [kept[n] for n in sorted(kept)]


def known_before(records: list[dict], n: int) -> dict[str, dict]:
    """{name: {"entry", "step", "solver"}}: the values the kept steps before step `n` hand on (the latest
    step that named a value wins)."""
    known: dict[str, dict] = {}
    for record in chain(records):
        if record["n"] < n:
            for name, entry in record.get("values", {}).items():
                known[name] = dict(entry=entry, step=record["n"], solver=record.get("solver"))
    return known


def _runnable(records: list[dict], n: int, code: str | None) -> tuple[str | None, dict[str, int], int]:
    """(the program to run: the values the code reads, then the code; {used name: its step}; prefix lines)."""
    if not code:
        return None, {}, 0
    known = known_before(records, n)
    reads = [name for name in analyse(code).reads if name in known]
    text, used = prefix({name: known[name]["entry"] for name in reads}, reads)
    return text + code, {name: known[name]["step"] for name in used}, text.count("\n")


def _own_lines(message: str, offset: int) -> str:
    """An error message with its line numbers counted in the step's own code, not the prefixed program."""
    if not offset:
        return message
    return _LINE.sub(lambda m: f"line {max(1, int(m.group(1)) - offset)}", message)


def _same_number(a: str | None, b: str | None) -> bool:
    from hybrid.answers import normalize_number

    return a is not None and b is not None and normalize_number(a) == normalize_number(b)


class StepNodes:
    """The step loop's nodes; mixed into `hybrid.nodes.Nodes` (which provides the LM calls)."""

    def _pending_update(self, node: str, messages: list[dict], gen, state: State, n: int, attempt: int,
                        **extra) -> dict:
        code = prompts_of.program_in(gen.text)
        program, used, offset = _runnable(state.get("steps") or [], n, code)
        pending = dict(n=n, attempt=attempt, code=code, raw=gen.text, used=used, offset=offset)
        return self._lm_update(node, messages, gen, raw=gen.text, program=program, pending=pending, **extra)

    def _step_messages(self, state: State, **extra) -> list[dict]:
        before = extra.pop("before", 10 ** 6)
        history = [dict(code=r["code"], output=r["output"]) for r in chain(state.get("steps") or [])
                   if r["n"] < before]
        return prompts_of.step_messages(self.settings, state["question"], kind=state["kind"], history=history,
                                        context=state.get("context"), options=state.get("options"), **extra)

    def propose_step(self, state: State) -> dict:
        n = len(chain(state.get("steps") or [])) + 1
        messages = self._step_messages(state, last=n >= state.get("max_steps", 4))
        gen = self._generate(messages, self.settings.step_budget, prompts_of.STEP_STOP)
        return self._pending_update("propose_step", messages, gen, state, n, 0, answer_from=None)

    def repair_step(self, state: State) -> dict:
        pending = state.get("pending") or dict(n=1, attempt=0, code=None, raw="")
        n = pending["n"]
        messages = self._step_messages(state, before=n, failed=pending, feedback=state.get("feedback", ""))
        gen = self._generate(messages, self.settings.step_budget, prompts_of.STEP_STOP)
        return self._pending_update("repair_step", messages, gen, state, n, pending.get("attempt", 0) + 1,
                                    repairs=state.get("repairs", 0) + 1, answer_from=None)

    def observe(self, state: State) -> dict:
        started = time.perf_counter()
        pending = state.get("pending") or dict(n=1, attempt=0, code=None, raw="", used={}, offset=0)
        records = list(state.get("steps") or [])
        n, code = pending["n"], pending.get("code")
        record = dict(n=n, attempt=pending.get("attempt", 0), code=code or "", solver=None, status="error",
                      message="", value=None, values={}, uses=dict(pending.get("used") or {}), left=[],
                      final=False, kept=False)
        result = (state.get("solver_result") or {}) if code else None
        if result is None:
            update = self._final_line(state, records, record, pending.get("raw") or "")
        elif result.get("status") == "ok":
            analysis = analyse(code)
            values, left = carried(result, analysis)
            record.update(solver=result.get("solver"), status="ok", value=result.get("value"), values=values,
                          left=list(left), final=analysis.final, kept=True, output=output_block(result, values, left))
            update = self._after_ok(state, records, record, result)
        else:
            message = _own_lines(result.get("message") or result.get("status") or "failed", pending.get("offset", 0))
            if message.startswith("no answer"):  # the solver's advice is for whole programs: this is one step
                message = NO_VALUE
            record.update(solver=result.get("solver"), status=result.get("status", "error"), message=message,
                          output=output_block(dict(result, message=message), {}))
            update = dict(outcome="retry", feedback=message)
        records.append(record)
        note = f"step {n}" + (f", attempt {record['attempt'] + 1}" if record["attempt"] else "") + f": {update['outcome']}"
        step = TraceStep(node="observe", input=code or pending.get("raw") or "", output=record.get("output", ""),
                         seconds=time.perf_counter() - started, note=note, provenance=_provenance(record))
        return dict(update, steps=records, trace=[step])

    def _after_ok(self, state: State, records: list[dict], record: dict, result: dict) -> dict:
        if record["final"]:
            name = next((f for f in ("answer", "options", "claim") if f in analyse(record["code"]).assigned), "answer")
            return self._done(records + [record], record, result, name)
        if record["n"] >= state.get("max_steps", 4):
            return dict(outcome="limit")
        return dict(outcome="next")

    def _final_line(self, state: State, records: list[dict], record: dict, raw: str) -> dict:
        """A reply with no code: a last line whose number some kept step computed ends the solution."""
        number = read_number(raw, FLEXIBLE)
        record.update(code="", output=raw.strip()[:200])
        source = next((r for r in reversed(chain(records)) if any(
            _same_number(shown(e), number) for e in r.get("values", {}).values())), None) if number else None
        if source is None:
            message = ("no step to run: write the next step in a ```python block, or assign the final number "
                       "to `answer`" if number is None else
                       f"the final answer {number} is not a value any step computed: assign it to `answer` in a step")
            record.update(message=message)
            return dict(outcome="retry", feedback=message)
        name = next(k for k, e in source["values"].items() if _same_number(shown(e), number))
        record.update(status="ok", solver=source.get("solver"), value=number, final=True, kept=True,
                      uses={name: source["n"]})
        result = dict(status="ok", value=number, message="", solver=source.get("solver"), number=None)
        return self._done(records + [record], record, result, name, source=source)

    def _done(self, records: list[dict], record: dict, result: dict, name: str, source: dict | None = None) -> dict:
        kept = chain(records)
        program = "\n".join(r["code"] for r in kept if r["code"])
        origin = source or record
        answer_from = dict(step=origin["n"], solver=origin.get("solver"), name=name)
        return dict(outcome="done", program=program, solver_result=result, answer_from=answer_from)


def _provenance(record: dict) -> dict:
    return dict(step=record["n"], attempt=record["attempt"], code=record["code"], solver=record.get("solver"),
                status=record["status"], value=record.get("value"),
                values={k: shown(v) for k, v in record.get("values", {}).items()}, uses=dict(record.get("uses", {})),
                final=record.get("final", False), kept=record.get("kept", False))
