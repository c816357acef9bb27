"""Replay a voting run's records under other rules for a vote below the bar, at no model cost.

    python benchmarks/replay_vote.py docs/reference/gsm8k-train-32-k5 --system hybrid

A vote whose winner holds less than `min_confidence` of the k programs sends the question to plain
reasoning (`hybrid.router.route_vote`); everything before that decision does not depend on the rule that
follows. Since 2288f4d the engine then reconciles (`hybrid.nodes.Nodes.reconcile`): the program answer
plain reasoning agrees with answers, else the vote's winner. Before, plain reasoning's own answer did.

For every threshold t at or below the run's own, each record's answer under both rules is known from the
record: the vote's groups and winner (the vote step of the trace) and plain reasoning's answer (the
reconcile step's input, or, for runs made before reconcile, the run's own answer). Prints, for each t,
the accuracy under each rule. Thresholds above the run's
are not replayed: plain reasoning was never asked there. Use it on GSM8K train to choose a default; a
script that prints figures, nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WINNER = re.compile(r"-> (?P<answer>.+) \((?P<share>[0-9.]+)\)$")
GROUP = re.compile(r"(?:^|, )(?P<answer>\S+) x(?P<votes>\d+)")
SAID = re.compile(r"^plain reasoning: (?P<said>.*?); programs: ")


def _step(record: dict, node: str) -> dict | None:
    return next((s for s in record.get("trace") or [] if s.get("node") == node), None)


def vote_of(record: dict) -> tuple[list[dict], str, float] | None:
    """(groups as `hybrid.vote` keeps them, the winner, its share) from the vote step; None without a winner."""
    line = str((_step(record, "vote") or {}).get("output", "")).strip()
    found = WINNER.search(line)
    if not found or " programs" not in line:
        return None
    groups = [dict(answer=g["answer"], votes=int(g["votes"]), samples=[i])  # first-appearance order
              for i, g in enumerate(GROUP.finditer(line.split(" of ", 1)[0]))]
    return groups, found["answer"], float(found["share"])


def plain_answer(record: dict) -> str | None:
    """What plain reasoning answered, where the run asked it (below the run's bar)."""
    reconcile = _step(record, "reconcile")
    if reconcile is not None:
        found = SAID.match(str(reconcile.get("input", "")))
        said = found["said"] if found else None
        return None if said in (None, "None") else said
    return record.get("prediction") if record.get("fallback_used") else None


def answer_under(record: dict, threshold: float, rule: str, tolerance: float) -> tuple[str | None, bool]:
    """(answer, replayed): the record's answer with `threshold` and `rule` ("plain": plain reasoning answers
    below it; "reconcile": the engine now); replayed False where the run's own answer stands."""
    from hybrid.vote import agreed_group

    vote = vote_of(record)
    used = record.get("_used", 0.5)
    if vote is None or vote[2] >= used:  # no winner, or one the run's own bar accepted: nothing to replay
        return record.get("prediction"), False
    groups, winner, share = vote
    if share >= threshold:
        return winner, True
    said = plain_answer(record)
    if rule == "plain":
        return said, True
    group = agreed_group(groups, said, tolerance)
    return (group["answer"] if group else winner), True


def reconciled(record: dict, threshold: float, tolerance: float) -> dict:
    """The record as the engine now answers it (reconcile below `threshold`, the run's own bar), rescored by
    `evals.grading.score` (Math-Verify included); the record itself where the run already reconciled or
    nothing is replayed. A replayed record says so (`replayed: "reconcile"`)."""
    if _step(record, "reconcile") is not None:
        return record
    answer, replayed = answer_under(dict(record, _used=threshold), threshold, "reconcile", tolerance)
    if not replayed:
        return record
    from evals.grading import score
    from hybrid.vote import agreed_group

    groups, _, _ = vote_of(record)
    total = int(re.search(r" of (\d+) programs", str(_step(record, "vote")["output"]))[1])
    group = agreed_group(groups, answer, tolerance)  # the answer's own group, as the engine finds it
    new = dict(record, prediction_strict=answer, prediction_flexible=answer, fallback_used=False,
               solver_answered=True, route="sympy" if record.get("kind") == "number" else "z3",
               status="ok", confidence=(group["votes"] if group else 0) / total, replayed="reconcile")
    return score(new, tolerance)


def right(answer: str | None, record: dict, tolerance: float) -> bool:
    from evals.grading import numbers_match

    if answer is None:
        return False
    if record.get("kind") == "letter":
        return answer.strip().upper() == str(record["gold"]).strip().upper()
    return numbers_match(answer, record["gold"], tolerance)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path, help="a bench --out folder")
    parser.add_argument("--system", default="hybrid", help="the voting system's name in the run")
    parser.add_argument("--thresholds", default="0,0.2,0.3,0.4,0.5", help="comma-separated shares")
    args = parser.parse_args(argv)
    try:
        config = json.loads((args.run_dir / "config.json").read_text(encoding="utf-8"))
        lines = (args.run_dir / "records.jsonl").read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError) as exc:
        print(f"error: cannot read the run in {args.run_dir}: {exc}", file=sys.stderr)
        return 2
    records = [r for r in (json.loads(line) for line in lines if line.strip()) if r.get("system") == args.system]
    from benchmarks.replay_run import run_bar, run_tolerance

    used = run_bar(config, args.system)
    for record in records:
        record["_used"] = used
    if not records:
        print(f"error: no {args.system} records in {args.run_dir}", file=sys.stderr)
        return 2
    tolerance = run_tolerance(config)
    run_right = sum(bool(r.get("correct")) for r in records)
    print(f"{args.run_dir.name}, {args.system}: {len(records)} problems, run at min_confidence {used}: "
          f"{run_right} right")
    print("| min_confidence | plain reasoning answers below it | reconcile below it (the engine now) |")
    print("|---:|---:|---:|")
    n = len(records)
    for text in args.thresholds.split(","):
        threshold = float(text)
        if threshold > used:
            print(f"| {threshold} | not replayed (above the run's {used}) | |")
            continue
        cells = []
        for rule in ("plain", "reconcile"):
            correct = 0
            for record in records:
                answer, replayed = answer_under(record, threshold, rule, tolerance)
                ok = right(answer, record, tolerance) if replayed else bool(record.get("correct"))
                correct += ok
            cells.append(f"{correct}/{n} ({100 * correct / n:.1f}%)")
        print(f"| {threshold} | {cells[0]} | {cells[1]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
