"""Replay a logic run's sampled formalizations with and without `hybrid.slips`: an ablation at no model cost.

    python benchmarks/replay_slips.py docs/reference/prontoqa-dev-1.5b-k5
    python benchmarks/replay_slips.py docs/reference/prontoqa-dev-1.5b-k5 --setting read_polarity

Reads the run's config.json and records.jsonl and, for each hybrid record (pal@k's with `--system pal@k`), takes every program the propose
step wrote as the model wrote it (a sample's `stated_facts` step input where that step changed it, else its
`samples` step input; the propose output for a run with one sample). Each runs twice through the engine's
own preparation (`hybrid.nodes.Nodes._kept`: stated facts and positions, slips mended or not; with
`--setting`, another of its switches instead, such as `read_polarity` for `hybrid.polarity`), then
`solvers.run_program` and the verifier, and the verified answers are voted (`hybrid.vote.tally`) against
the run's `min_confidence`. Prints the outcome table of the programs and of the votes both ways, and how
many of the replayed votes under the run's own setting (`engine_settings.mend_slips`, false for runs made
before it existed; the same for `--setting`) differ from the vote the record holds (0 when the replay reproduces the run). Repairs
and plain reasoning depend on the model and are not rerun: a vote below the bar, or with no verified
answer, is counted apart, so the end-to-end effect needs a bench run. A script that prints figures.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.replay_run import fail, hybrid_problems, load_run, run_bar, verdict  # noqa: E402
from benchmarks.replay_vote import vote_of  # noqa: E402

SAMPLE_NOTE = re.compile(r"^sample (\d+)")


def written_programs(record: dict) -> list[str | None]:
    """The programs the propose step wrote, as the model wrote them (None where a reply held none)."""
    from hybrid.steps import program_in

    trace = record.get("trace") or []
    samples = [s for s in trace if s.get("node") == "samples"]
    if not samples:
        propose = next((s for s in trace if s.get("node") == "propose"), None)
        return [program_in(propose.get("output") or "")] if propose else []
    changed = {}
    for step in trace:
        match = SAMPLE_NOTE.match(step.get("note") or "")
        if step.get("node") == "stated_facts" and match:
            changed.setdefault(int(match.group(1)), step.get("input"))
        if step.get("node") == "samples":
            break  # steps after the samples belong to repairs
    programs = []
    for i, step in enumerate(samples, 1):
        no_program = ((step.get("solver") or {}).get("message") or "") == "no program in the reply"
        programs.append(None if no_program else changed.get(i, step.get("input")) or None)  # else: the raw reply
    return programs


SWITCHES = ("mend_slips", "read_polarity", "read_positions", "stated_facts_only")


def prepared(program: str | None, problem, on: bool, setting: str = "mend_slips") -> str | None:
    """The program as the engine would run it, with the switch `setting` on or off (its slips mended or not)."""
    from hybrid.nodes import Nodes
    from hybrid.settings import EngineSettings

    if not program:
        return None
    state = dict(kind="logic", question=problem.question, context=problem.context,
                 options=list(problem.options or ()))
    kept = Nodes(None, EngineSettings(**{setting: on}))._kept(state, program)
    return kept[0] if kept else program


def program_outcome(program: str | None, problem) -> tuple[str, str | None]:
    """(outcome, the verified letter or None)."""
    if program is None:
        return "no program", None
    got = verdict(program, problem)
    if got.ok:
        return ("correct" if got.answer == problem.gold else "wrong letter"), got.answer
    return got.hint, None


def vote_outcome(letters: list[str | None], gold: str, bar: float) -> tuple[str, str | None]:
    from hybrid.vote import tally

    counted = tally(letters)
    if counted.winner is None:
        return "no verified answer", None
    right = "right" if counted.winner.answer == gold else "wrong"
    if counted.confidence < bar:
        return f"below the bar, winner {right}", counted.winner.answer
    return right, counted.winner.answer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path, help="a bench --out folder of a logic dataset")
    parser.add_argument("--system", choices=("hybrid", "pal@k"), default="hybrid", help="whose records to replay")
    parser.add_argument("--setting", choices=SWITCHES, default="mend_slips", help="the switch to replay off and on")
    args = parser.parse_args(argv)

    config, records = load_run(args.run_dir)
    problems, records = hybrid_problems(config, records, args.run_dir, args.system)
    bar = run_bar(config, args.system)
    run_mended = bool((config.get("engine_settings") or {}).get(args.setting, False))
    programs = {True: Counter(), False: Counter()}
    votes = {True: Counter(), False: Counter()}
    mended, differs, rows = 0, 0, []
    for record in records:
        problem = problems.get(record["id"])
        if problem is None or problem.context is None:
            fail(f"problem {record['id']} is not a logic problem of the run's dataset")
        ready = {m: [prepared(w, problem, m, args.setting) for w in written_programs(record)] for m in (False, True)}
        mended += sum(a != b for a, b in zip(ready[False], ready[True]))
        letters = {}
        for mend_slips, versions in ready.items():
            outcomes = [program_outcome(program, problem) for program in versions]
            programs[mend_slips].update(outcome for outcome, _ in outcomes)
            letters[mend_slips] = [letter for _, letter in outcomes]
            outcome, winner = vote_outcome(letters[mend_slips], problem.gold, bar)
            votes[mend_slips][outcome] += 1
            recorded = vote_of(record)
            if mend_slips == run_mended and len(versions) > 1 and winner != (recorded[1] if recorded else None):
                differs += 1
        rows.append((record["id"], problem.gold, letters[False], letters[True]))

    n = len(records)
    print(f"{args.run_dir}: {n} problems, {sum(programs[False].values())} programs, {mended} changed by "
          f"{args.setting}; the vote's bar is {bar}; the run had {args.setting} {'on' if run_mended else 'off'}, "
          f"and {differs} of its replayed votes differ from the recorded vote\n")
    for title, table in (("program outcome", programs), ("vote over the programs", votes)):
        keys = sorted(set(table[False]) | set(table[True]),
                      key=lambda k: (k not in ("correct", "right"), k not in ("wrong letter", "wrong"), k))
        print(f"| {title} | {args.setting} off | {args.setting} on |\n|---|---:|---:|")
        for key in keys:
            print(f"| {key} | {table[False][key]} | {table[True][key]} |")
        print()
    print(f"| problem | gold | letters, {args.setting} off | letters, {args.setting} on |\n|---|---|---|---|")
    for pid, gold, before, after in rows:
        show = lambda said: " ".join(s or "-" for s in said)  # noqa: E731
        print(f"| {pid} | {gold} | {show(before)} | {show(after)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
