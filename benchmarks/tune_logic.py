"""Measure the logic formalization step alone: how often the model's first Z3 program decides the puzzle.

    python benchmarks/logic_tuning_set.py --out /tmp/tune
    python benchmarks/tune_logic.py --data /tmp/tune/logical_deduction_dev.json --limit 16 --lm-option quantize=int8-pc

Runs only the graph's propose step (the same prompt and budget as the Engine, one batched generate call),
then each program through `solvers.run_program` and the verifier, with no repair and no fallback. Prints
one line per puzzle and a table of outcomes: correct, wrong letter, and each failure class (error,
undeclared, unsat, ambiguous, unknown, no options/claim, no program). For prompt work on self-made
puzzles (benchmarks/logic_tuning_set.py), never on the dev items the reference runs measure. A script
that prints figures: nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a Logic-LM format JSON file")
    parser.add_argument("--limit", type=int, default=16)
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    parser.add_argument("--lm-option", action="append", default=[], help="KEY=VALUE for get_lm")
    parser.add_argument("--max-new-tokens", type=int, default=None, help="budget (default: the Engine's)")
    parser.add_argument("--show", action="store_true", help="print each program")
    args = parser.parse_args()

    items = json.loads(args.data.read_text())[: args.limit]
    from hybrid import steps
    from hybrid.lm import get_lm
    from hybrid.nodes import Nodes
    from hybrid.settings import EngineSettings
    from hybrid.verify import check
    from solvers import run_program

    options = dict(kv.split("=", 1) for kv in args.lm_option)
    lm = get_lm(args.model, **options)
    settings = EngineSettings(max_new_tokens=args.max_new_tokens) if args.max_new_tokens else EngineSettings()
    nodes = Nodes(lm, settings)
    states = [dict(kind="logic", question=i["question"], context=i["context"], options=i["options"]) for i in items]
    start = time.perf_counter()
    gens = lm.generate([steps.program_messages(settings, s["question"], kind="logic", context=s["context"],
                                               options=s["options"]) for s in states],
                       max_new_tokens=settings.budget("logic"), temperature=0.0, stop=steps.PROGRAM_STOP, seed=0)
    seconds = time.perf_counter() - start
    outcomes: Counter = Counter()
    for item, state, gen in zip(items, states, gens):
        program = steps.program_in(gen.text)
        kept = nodes._kept(state, program)  # as the Engine prepares it: slips, stated facts, polarity, positions
        program = kept[0] if kept else program
        if program is None:
            outcome, detail = "no program", gen.text[:80]
        else:
            result = run_program(program, timeout_s=5.0).to_dict()
            verdict = check("logic", item["question"], item["options"], result, solver="z3")
            if verdict.ok:
                outcome = "correct" if verdict.answer == item["answer"] else "wrong letter"
                detail = f"{verdict.answer} (gold {item['answer']})"
            else:
                outcome, detail = verdict.hint, verdict.message[:100]
        outcomes[outcome] += 1
        print(f"{item['id']:<16} {outcome:<13} {gen.completion_tokens:>4} tok  {detail}")
        if args.show and program:
            print("    " + program.replace("\n", "\n    "))
    n = len(items)
    print(f"\n{n} puzzles, one generate call, {seconds:.0f} s ({seconds / max(1, n):.1f} s/puzzle), "
          f"{sum(g.completion_tokens for g in gens) / max(1, n):.0f} completion tokens/puzzle")
    for outcome, count in outcomes.most_common():
        print(f"  {outcome:<13} {count:>3}  {count / max(1, n):.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
