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
import json
import sys
from collections import Counter
from pathlib import Path


def letter(program: str | None, problem, run_program, check) -> str | None:
    if not program:
        return None
    result = run_program(program, timeout_s=5.0).to_dict()
    verdict = check("logic", problem.question, list(problem.options or ()), result, solver="z3", program=program)
    return verdict.answer if verdict.ok else None


def winner(letters: list[str | None]) -> str | None:
    counts = Counter(x for x in letters if x is not None)
    if not counts:
        return None
    best = max(counts.values())
    return next(x for x in letters if x is not None and counts[x] == best)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path, help="a bench --out folder of a logic dataset")
    args = parser.parse_args(argv)

    from evals.catalog import load_dataset
    from evals.runfiles import read_records
    from hybrid.facts import fact_sentences
    from hybrid.positions import read_positions
    from hybrid.steps import program_in
    from hybrid.verify import check
    from solvers import run_program

    try:
        config = json.loads((args.run_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"error: cannot read {args.run_dir / 'config.json'}: {exc}", file=sys.stderr)
        return 2
    data = config.get("data")
    if data and not Path(data).exists():
        data = None  # the dataset's default location (or its hub loader)
    problems = {p.id: p for p in load_dataset(config["dataset"], data, config.get("split")).problems}
    records = [r for r in read_records(args.run_dir / "records.jsonl") if r.get("system") == "hybrid"]
    if not records:
        print(f"error: {args.run_dir} has no hybrid records", file=sys.stderr)
        return 2

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
            written.append(letter(program, problem, run_program, check))
            read.append(letter(new.program, problem, run_program, check) if new.rewritten else written[-1])
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
