"""Audit bench runs for answers copied from an exemplar: every accepted or winning program, checked by
`hybrid.copies.copied_from` against every exemplar we ship: a math program against the math exemplars (the
fixed eight and the library), a logic program against the worked formalizations of every logic prompt.

    python benchmarks/check_copies.py docs/reference/gsm8k-test-48-1.5b-k5 docs/reference/gsm8k-test-100-cpu-int4
    python benchmarks/check_copies.py docs/reference/prontoqa-dev-48to64-1.5b-k5   # a run folder: pooled ones hold no records

The engine's verifier already refuses a copy of the exemplars a prompt showed; this audit checks the
records independently, against all shipped exemplars, and also counts answers equal to an exemplar's
answer among the eight fixed exemplars (such as 720, the Jacob-and-Jake exemplar's), which a reader should look at by hand. Prints one
line per run and the copies found; exits 1 when any accepted program is a copy. Nothing else is asserted.
"""
from __future__ import annotations

import argparse
import json
import sys
import re
from importlib import resources
from pathlib import Path

VOTED = re.compile(r"^sample (?P<i>\d+): .* \(votes (?P<vote>\S+)\)$")  # the vote step's line per sample


def exemplars(name: str) -> tuple[dict, ...]:
    return tuple(json.loads(resources.files("hybrid.prompts").joinpath(name).read_text(encoding="utf-8")))


def programs(record: dict) -> list[str]:
    """The programs whose answer the record gave: the accepted one, or every sample that voted for it."""
    from hybrid.vote import same_answer

    if record.get("fallback_used") or not record.get("solver_answered"):
        return []
    trace = record.get("trace") or []
    samples = [str(step.get("input") or "") for step in trace if step.get("node") == "samples"]
    vote = next((step for step in trace if step.get("node") == "vote"), None)
    if samples and vote is not None and record.get("prediction") is not None:
        voted = [VOTED.match(line) for line in str(vote.get("input", "")).splitlines()]
        chosen = [samples[int(m["i"]) - 1] for m in voted
                  if m and int(m["i"]) <= len(samples) and same_answer(m["vote"], str(record["prediction"]))]
        if chosen:
            return chosen
    return [record["program"]] if record.get("program") else []


def logic_exemplars() -> tuple[dict, ...]:
    """The worked formalizations of every logic prompt we ship (not their chain-of-thought twins)."""
    from hybrid.steps import logic_shots

    names = sorted(entry.name[:-len(".txt")] for entry in resources.files("hybrid.prompts").iterdir()
                   if entry.name.startswith("logic_") and entry.name.endswith(".txt") and "_cot_" not in entry.name)
    return tuple(shot for name in names for shot in logic_shots(name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path, help="bench --out folders")
    args = parser.parse_args(argv)
    from hybrid.copies import copied_from
    from hybrid.vote import same_answer

    fixed = exemplars("gsm8k_exemplars.json")
    shown = {"number": fixed + exemplars("gsm8k_library.json"), "letter": logic_exemplars()}
    answers = {str(e["answer"]) for e in fixed}
    found = 0
    for run in args.runs:
        try:
            records = [json.loads(line) for line in (run / "records.jsonl").read_text(encoding="utf-8").splitlines()
                       if line.strip()]
        except (OSError, ValueError) as exc:
            print(f"error: cannot read {run}/records.jsonl: {exc}", file=sys.stderr)
            return 2
        checked = copies = same = same_wrong = 0
        for record in records:
            if record.get("kind") not in shown:
                continue
            for program in programs(record):
                checked += 1
                source = copied_from(program, str(record.get("question", "")), shown[record["kind"]])
                if source:
                    copies += 1
                    print(f"  {run.name} {record['system']} {record['id']}: a copy of exemplar {source}")
            prediction = record.get("prediction")
            if record["kind"] == "number" and record.get("solver_answered") and prediction is not None and any(
                    same_answer(str(prediction), a) for a in answers):
                same += 1
                same_wrong += not record.get("correct")
        found += copies
        line = f"{run.name}: {checked} accepted or winning programs checked, {copies} copies of an exemplar"
        if any(record.get("kind") == "number" for record in records):
            line += f"; {same} solver answers equal one of the eight fixed exemplars' answers ({same_wrong} of them wrong)"
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
