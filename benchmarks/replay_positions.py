"""Replay a logic run's sampled formalizations with and without `hybrid.positions`: an ablation at no model cost.

    python benchmarks/replay_positions.py docs/reference/logical_deduction-dev-100-1.5b-k5

Reads the run's config.json and records.jsonl and, for each hybrid record, the programs its vote ran (the
trace's `samples` steps; with one sample, the propose step's program). Each is run through
`solvers.run_program` and the verifier twice: as recorded, and with the positions the question states put
in. Prints, for both: how many first programs give the right letter, and how many questions the vote's
winner over the verified samples gets right (most votes, ties to the earliest sample; no repair and no
plain reasoning, which depend on the model). With the run's own accuracy beside them, and how many programs
the reading changed. A script that prints figures: nothing is asserted.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.replay_run import load_hybrid_run, verdict  # noqa: E402


def letter(program: str | None, problem) -> str | None:
    if not program:
        return None
    got = verdict(program, problem)
    return got.answer if got.ok else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path, help="a bench --out folder of a logic dataset")
    args = parser.parse_args(argv)

    from evals.systems.base import majority as winner  # most votes, ties to the earliest sample
    from hybrid.facts import fact_sentences
    from hybrid.positions import read_positions
    from hybrid.steps import program_in

    problems, records = load_hybrid_run(args.run_dir)

    n = changed = programs = 0
    as_run = first = first_read = vote = vote_read = gained = lost = 0
    for record in records:
        problem = problems.get(record["id"])
        trace = record.get("trace") or []
        samples = [s.get("input") for s in trace if s.get("node") == "samples"]
        if not samples:
            samples = [program_in(s.get("output") or "") for s in trace if s.get("node") == "propose"][:1]
        if problem is None or not samples:
            continue
        n += 1
        as_run += bool(record.get("correct"))
        facts = fact_sentences(problem.context)
        written, read = [], []
        for program in samples:
            new = read_positions(program or "", facts, problem.options, problem.context)
            changed += bool(new.rewritten)
            programs += 1
            written.append(letter(program, problem))
            read.append(letter(new.program, problem) if new.rewritten else written[-1])
        first += written[0] == problem.gold
        first_read += read[0] == problem.gold
        before, after = winner(written) == problem.gold, winner(read) == problem.gold
        vote, vote_read = vote + before, vote_read + after
        gained, lost = gained + (after and not before), lost + (before and not after)

    print(f"{args.run_dir}: {n} hybrid records, {programs} programs, {changed} changed by reading positions\n")
    print("| right answers | as recorded | positions read |\n|---|---:|---:|")
    print(f"| the run (repair, vote, plain reasoning) | {as_run}/{n} | - |")
    print(f"| first program alone | {first}/{n} | {first_read}/{n} |")
    print(f"| vote of the verified samples | {vote}/{n} | {vote_read}/{n} |")
    print(f"\nvote: {gained} questions right only with positions read, {lost} right only as recorded")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
