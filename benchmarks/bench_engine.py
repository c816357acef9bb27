"""Measure the Engine on GSM8K: accuracy and seconds per question, overall and by route.

    flock /tmp/hybrid-model.lock python benchmarks/bench_engine.py --data /work/shared/data/gsm8k/train.jsonl --limit 20

Runs `Engine.solve_many` (batched model calls) over the first --limit questions after --offset, skipping
any question used as a few-shot exemplar, and prints a small table. A script that prints figures, not a
test: nothing is asserted. --records FILE also writes one JSON line per question.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path


def gold_number(answer: str) -> float | None:
    try:
        return float(answer.split("####")[-1].strip().replace(",", ""))
    except ValueError:
        return None


def predicted_number(answer: str | None) -> float | None:
    if answer is None:
        return None
    text = answer.replace(",", "").strip()
    try:
        if "/" in text:
            num, den = text.split("/", 1)
            return float(num) / float(den)
        return float(text)
    except (ValueError, ZeroDivisionError):
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="GSM8K jsonl file (or a folder holding gsm8k/train.jsonl)")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    parser.add_argument("--batch-size", type=int, default=20)
    parser.add_argument("--max-repairs", type=int, default=2)
    parser.add_argument("--shots", type=int, default=None, help="GSM8K train exemplars (default: the Engine's)")
    parser.add_argument("--records", default=None, help="write per-question JSON lines here")
    args = parser.parse_args()

    path = Path(args.data)
    if path.is_dir():
        path = path / "gsm8k" / "train.jsonl"
    if not path.is_file():
        print(f"error: no data file at {path}", file=sys.stderr)
        return 2

    from hybrid import Engine, prompts

    exemplar_questions = {e["question"].strip() for e in prompts.exemplars()}
    rows = []
    for index, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if index < args.offset or not line.strip():
            continue
        row = json.loads(line)
        if row["question"].strip() in exemplar_questions:
            continue
        rows.append(dict(id=f"{path.stem}-{index}", question=row["question"], gold=gold_number(row["answer"])))
        if len(rows) >= args.limit:
            break

    started = time.perf_counter()
    options = {} if args.shots is None else {"shots": args.shots}
    engine = Engine(args.model, max_repairs=args.max_repairs, batch_size=args.batch_size, **options)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    results = engine.solve_many([dict(id=r["id"], question=r["question"]) for r in rows])
    wall_s = time.perf_counter() - started

    by_route: dict[str, list] = defaultdict(list)
    records = []
    for row, result in zip(rows, results):
        prediction = predicted_number(result.answer)
        correct = prediction is not None and row["gold"] is not None and abs(prediction - row["gold"]) < 1e-6
        by_route[result.route].append((correct, result.seconds, result.repairs))
        records.append(dict(id=row["id"], gold=row["gold"], answer=result.answer, correct=correct,
                            route=result.route, status=result.status, repairs=result.repairs,
                            seconds=result.seconds, tokens=result.tokens, program=result.program))
    if args.records:
        Path(args.records).write_text("".join(json.dumps(r) + "\n" for r in records))

    n = len(rows)
    correct = sum(r["correct"] for r in records)
    print(f"model {engine.lm.name}  data {path}  n={n}  offset={args.offset}  batch_size={args.batch_size}  "
          f"max_repairs={args.max_repairs}  shots={engine.settings.shots}")
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
