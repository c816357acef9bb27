"""Replay a logic run's first formalizations with and without `hybrid.stated_facts`: an ablation at no model cost.

    python benchmarks/replay_stated_facts.py docs/reference/logical_deduction-dev-100-int8

Reads the run's config.json and records.jsonl, takes each hybrid record's first model reply (the propose
step's raw text, which the trace keeps whatever the engine did with it), and runs the program in it twice
through `solvers.run_program` and the verifier: as written, and with the numbered facts the question never
stated dropped. Prints the outcome table of both (correct, wrong letter, each failure class) and how many
programs the filter changed. Only the first program is replayed: repairs and the fallback depend on the
model and are not rerun, so the end-to-end effect needs a bench run with and without
`--keep-unstated-facts`. A script that prints figures: nothing is asserted.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.replay_run import load_hybrid_run, verdict  # noqa: E402


def outcome(program: str | None, problem) -> str:
    if program is None:
        return "no program"
    got = verdict(program, problem)
    if got.ok:
        return "correct" if got.answer == problem.gold else "wrong letter"
    return got.hint


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path, help="a bench --out folder of a logic dataset")
    args = parser.parse_args(argv)

    from hybrid.facts import claim_sentences, fact_sentences
    from hybrid.stated_facts import keep_stated_facts
    from hybrid.steps import program_in

    problems, records = load_hybrid_run(args.run_dir)

    as_written: Counter = Counter()
    filtered: Counter = Counter()
    changed = 0
    for record in records:
        problem = problems.get(record["id"])
        steps = [s for s in record.get("trace") or [] if s.get("node") == "propose"]
        if problem is None or not steps:
            continue
        program = program_in(steps[0].get("output") or "")
        kept = keep_stated_facts(program or "", fact_sentences(problem.context),
                                 claim_sentences(problem.question, problem.options))
        changed += bool(kept.dropped)
        as_written[outcome(program, problem)] += 1
        filtered[outcome(kept.program if program is not None else None, problem)] += 1

    n = sum(as_written.values())
    print(f"{args.run_dir}: {n} first formalizations, {changed} changed by dropping unstated facts\n")
    print("| first verdict | as written | stated facts only |\n|---|---:|---:|")
    keys = ["correct", "wrong letter"] + sorted((set(as_written) | set(filtered)) - {"correct", "wrong letter"})
    for key in keys:
        print(f"| {key} | {as_written[key]} | {filtered[key]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
