"""Measure the Engine on GSM8K: accuracy and seconds per question, overall and by route.

    flock /tmp/hybrid-model.lock python benchmarks/bench_engine.py --limit 20

Runs `Engine.solve_many` (batched model calls) over the first --limit GSM8K train questions after
--offset, skipping any question used as a few-shot exemplar, and prints a small table. The data is found
as the harness finds it (--data, else $HYBRID_DATA_DIR, else ../shared/data) and answers are compared as
the harness compares them (`evals.grading.numbers_match`). A script that prints figures, not a test:
nothing is asserted. --records FILE also writes one JSON line per question.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="GSM8K folder or train.jsonl (default: the harness's data_dir())")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--model", default=None, help="model name (default: hybrid.lm.DEFAULT_MODEL)")
    parser.add_argument("--batch-size", type=int, default=None, help="default: the Engine's")
    parser.add_argument("--max-repairs", type=int, default=None, help="default: the Engine's")
    parser.add_argument("--shots", type=int, default=None, help="GSM8K train exemplars (default: the Engine's)")
    parser.add_argument("--records", default=None, help="write per-question JSON lines here")
    args = parser.parse_args()

    from evals.catalog import load_dataset
    from evals.jsonfiles import DataError
    from evals.grading import numbers_match
    from evals.systems import exemplar_questions
    from hybrid import Engine, EngineSettings
    from hybrid.lm import DEFAULT_MODEL

    try:
        dataset = load_dataset("gsm8k", args.data, "train")
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    exemplars = exemplar_questions()
    problems = [p for p in dataset.problems[args.offset:] if p.question.strip() not in exemplars][: args.limit]

    chosen = {k: v for k, v in dict(batch_size=args.batch_size, max_repairs=args.max_repairs, shots=args.shots).items()
              if v is not None}
    settings = EngineSettings(**chosen)
    started = time.perf_counter()
    engine = Engine(args.model or DEFAULT_MODEL, settings)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    results = engine.solve_many([dict(id=p.id, question=p.question) for p in problems])
    wall_s = time.perf_counter() - started

    by_route: dict[str, list] = defaultdict(list)
    records = []
    for problem, result in zip(problems, results):
        correct = numbers_match(result.answer, problem.gold)
        by_route[result.route].append((correct, result.seconds, result.repairs))
        records.append(dict(id=problem.id, gold=problem.gold, answer=result.answer, correct=correct,
                            route=result.route, status=result.status, repairs=result.repairs,
                            seconds=result.seconds, tokens=result.tokens, program=result.program))
    if args.records:
        Path(args.records).write_text("".join(json.dumps(r) + "\n" for r in records))

    n = len(problems)
    correct = sum(r["correct"] for r in records)
    print(f"model {engine.lm.name}  data {dataset.source}  n={n}  offset={args.offset}  "
          f"batch_size={settings.batch_size}  max_repairs={settings.max_repairs}  shots={settings.shots}")
    print(f"model load {load_s:.1f} s; solve_many wall {wall_s:.1f} s = {wall_s / max(n, 1):.1f} s/question; "
          f"lm.generate calls {len(engine.last_batch_calls)} (prompts per call {engine.last_batch_calls})")
    print(f"{'route':<10} {'n':>4} {'correct':>8} {'accuracy':>9} {'s/question*':>12} {'repairs':>8}")
    for route in sorted(by_route):
        items = by_route[route]
        k = sum(c for c, _, _ in items)
        print(f"{route:<10} {len(items):>4} {k:>8} {k / len(items):>9.3f} "
              f"{sum(s for _, s, _ in items) / len(items):>12.1f} {sum(r for _, _, r in items):>8}")
    print(f"{'all':<10} {n:>4} {correct:>8} {correct / max(n, 1):>9.3f} "
          f"{sum(r['seconds'] for r in records) / max(n, 1):>12.1f} {sum(r['repairs'] for r in records):>8}")
    print("* seconds attributed to the question: its share of each batched generate call plus its own solver runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
