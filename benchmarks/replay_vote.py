"""Replay a voting run's records at lower `min_confidence` thresholds, at no model cost.

    python benchmarks/replay_vote.py docs/reference/gsm8k-train-48-k5 --system hybrid

A vote whose winner holds less than `min_confidence` of the k programs falls back to plain reasoning
(`hybrid.router.route_vote`); everything before that decision does not depend on the threshold. So for any
threshold t at or below the one the run used, the answer is known from the record: the vote's winner where
its share is at least t (read from the vote step of the trace), else what the run answered. Prints, for
each t, the accuracy, how many answers came from the vote and from the fallback, and how many the change
made right and wrong, next to the run's own figure. Thresholds above the run's are not replayed (their
fallback answers were never generated). Use it on GSM8K train to choose the default; a script that prints
figures, nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

WINNER = re.compile(r"-> (?P<answer>.+) \((?P<share>[0-9.]+)\)$")
GROUP = re.compile(r"(?:^|, )(?P<answer>\S+) x(?P<votes>\d+)")


def vote_line(record: dict) -> str:
    """The vote step's one-line tally ("65 x3, 60 x1 of 5 programs -> 65 (0.6)"), "" when there was none."""
    for step in record.get("trace") or []:
        if step.get("node") == "vote":
            return str(step.get("output", "")).strip()
    return ""


def vote_winner(record: dict) -> tuple[str, float] | None:
    """The vote's winner and its share, from the record's vote step; None when there was no winner."""
    found = WINNER.search(vote_line(record))
    return (found["answer"], float(found["share"])) if found else None


def vote_groups(record: dict) -> list[str]:
    """Every answer some program voted for, most votes first."""
    line = vote_line(record)
    return [g["answer"] for g in GROUP.finditer(line.split(" of ", 1)[0])] if " programs" in line else []


def _right(answer: str | None, record: dict, tolerance: float) -> bool:
    from evals.grading import numbers_match

    if answer is None:
        return False
    if record.get("kind") == "letter":
        return answer.strip().upper() == str(record["gold"]).strip().upper()
    return numbers_match(answer, record["gold"], tolerance)


def agreement(records: list[dict], tolerance: float, otherwise: str) -> dict:
    """Below the run's threshold, the plain-reasoning answer (the run's fallback) picks among the programs'
    answers: the group it agrees with; where it agrees with none, `otherwise` ("vote": the plurality winner;
    "fallback": the plain-reasoning answer)."""
    from hybrid.vote import same_answer

    tally = {"n": len(records), "correct": 0, "agreed": 0, "gained": 0, "lost": 0}
    for record in records:
        groups, winner = vote_groups(record), vote_winner(record)
        answer = None
        if record.get("fallback_used") and winner is not None:
            said = record.get("prediction")
            agreed = next((g for g in groups if said is not None and same_answer(g, str(said), tolerance)), None)
            tally["agreed"] += agreed is not None
            answer = agreed or (winner[0] if otherwise == "vote" else said)
        correct = _right(answer, record, tolerance) if answer is not None else bool(record.get("correct"))
        tally["correct"] += correct
        tally["gained"] += bool(correct and not record.get("correct"))
        tally["lost"] += bool(not correct and record.get("correct"))
    return tally


def replay(records: list[dict], threshold: float, tolerance: float) -> dict:
    def right(answer: str, record: dict) -> bool:
        return _right(answer, record, tolerance)

    tally = {"n": len(records), "correct": 0, "from_vote": 0, "from_fallback": 0, "gained": 0, "lost": 0}
    for record in records:
        winner = vote_winner(record)
        took_vote = winner is not None and winner[1] >= threshold and record.get("fallback_used")
        correct = right(winner[0], record) if took_vote else bool(record.get("correct"))
        tally["correct"] += correct
        tally["gained"] += bool(took_vote and correct and not record.get("correct"))
        tally["lost"] += bool(took_vote and not correct and record.get("correct"))
        if took_vote or not record.get("fallback_used"):
            tally["from_vote"] += 1
        else:
            tally["from_fallback"] += 1
    return tally


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
    if not records:
        print(f"error: no {args.system} records in {args.run_dir}", file=sys.stderr)
        return 2
    used = float((config.get("budgets", {}).get(args.system) or {}).get("min_confidence", 0.5))
    tolerance = float(config.get("tolerance", 1e-6))
    print(f"{args.run_dir.name}, {args.system}: {len(records)} problems, run at min_confidence {used}")
    print("| min_confidence | accuracy | answered by the vote (or one program) | fallback | gained | lost |")
    print("|---:|---:|---:|---:|---:|---:|")
    for text in args.thresholds.split(","):
        threshold = float(text)
        if threshold > used:
            print(f"| {threshold} | not replayed (above the run's {used}) | | | | |")
            continue
        t = replay(records, threshold, tolerance)
        print(f"| {threshold} | {t['correct']}/{t['n']} ({100 * t['correct'] / t['n']:.1f}%) | {t['from_vote']} | "
              f"{t['from_fallback']} | {t['gained']} | {t['lost']} |")
    print(f"\nBelow {used}, plain reasoning picks the program answer it agrees with:")
    print("| where it agrees with none | accuracy | agreed | gained | lost |")
    print("|---|---:|---:|---:|---:|")
    for otherwise in ("vote", "fallback"):
        t = agreement(records, tolerance, otherwise)
        print(f"| {otherwise} | {t['correct']}/{t['n']} ({100 * t['correct'] / t['n']:.1f}%) | {t['agreed']} | "
              f"{t['gained']} | {t['lost']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
