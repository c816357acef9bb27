"""One report over several run directories of the same benchmark (say problems 0-47 and 48-99, run apart).

    python benchmarks/combine_runs.py docs/reference/gsm8k-test-48-1.5b-k5 docs/reference/gsm8k-test-48to100-1.5b-k5

Reads each directory's config.json and records.jsonl, pools the records (a (system, problem) pair found in
two directories is an error: the runs overlap) and prints the markdown `hybrid report` writes for one run
(`evals.report.summarize` and `render_markdown`), after a line per config key that differs between the
runs, so a reader sees what was not held equal (code, engine settings).

`--reconcile hybrid` first replays that system's records made before the reconcile node as the engine now
answers them (`replay_vote.py`'s `reconciled`, rescored, Math-Verify included), so runs on both sides of
that change pool as one engine. `--out DIR` also writes the pooled results.json, results.md and results.png
there (not the records, which stay in the runs); otherwise it writes nothing. A script that prints
figures, nothing is asserted. Bad input: a one-line error and exit code 2.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.replay_run import fail, load_run, run_bar, run_tolerance  # noqa: E402

SAME = ("dataset", "split", "model", "lm_options")  # the runs must agree on these to be pooled


def differences(configs: list[dict], prefix: str = "") -> list[str]:
    """'key: value | value ...' for every config key whose values are not all equal (inside dicts, per
    sub-key: 'engine_settings.read_positions: null | true')."""
    keys = sorted({k for c in configs for k in c})
    out = []
    for key in keys:
        values = [c.get(key) for c in configs]
        if all(isinstance(v, dict) for v in values):
            out += differences(values, f"{prefix}{key}.")
            continue
        texts = [json.dumps(v, sort_keys=True) for v in values]
        if len(set(texts)) > 1:
            out.append(f"{prefix}{key}: " + " | ".join(v if len(v) <= 80 else v[:77] + "..." for v in texts))
    return out


def combine(run_dirs: list[Path], reconcile: str | None = None) -> tuple[dict, list[dict], list[str]]:
    """(the pooled config, the pooled records, the differing keys); raises SystemExit(2) on bad input.
    With `reconcile`, that system's records are replayed under reconcile at their own run's min_confidence."""
    from benchmarks.replay_vote import reconciled

    loaded = [load_run(d) for d in run_dirs]
    configs = [c for c, _ in loaded]
    for key in SAME:
        if len({json.dumps(c.get(key), sort_keys=True) for c in configs}) > 1:
            fail(f"the runs differ in {key}; they are not one benchmark")
    seen: dict[tuple[str, str], Path] = {}
    records = []
    for run_dir, (run_config, rows) in zip(run_dirs, loaded):
        bar, tolerance = run_bar(run_config, reconcile), run_tolerance(run_config)
        for r in rows:
            pair = (r["system"], str(r["id"]))
            if pair in seen and seen[pair] != run_dir:
                fail(f"{pair[0]} on problem {pair[1]} is in both {seen[pair]} and {run_dir}")
            seen[pair] = run_dir
            records.append(reconciled(r, bar, tolerance) if reconcile and r["system"] == reconcile else r)
    from functools import reduce

    from evals.runfiles import merge_config  # as a resume pools them: systems, prompts, commits, CPUs

    config = dict(reduce(merge_config, configs), offset=min(c.get("offset", 0) for c in configs))
    return config, records, differences(configs)


def pooled_from(args: argparse.Namespace, diffs: list[str], records: list[dict]) -> list[str]:
    """The lines that say what was pooled, what differs between the runs and what was replayed."""
    lines = [f"Pooled from {', '.join(str(d) for d in args.run_dirs)}."] + [f"- differs: {d}" for d in diffs]
    if args.reconcile:
        replayed = sum(r.get("replayed") == "reconcile" for r in records)
        lines.append(f"- replayed: {replayed} {args.reconcile} records below the vote's bar, answered as the "
                     "engine now does (reconcile)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dirs", nargs="+", type=Path)
    parser.add_argument("--reconcile", metavar="SYSTEM",
                        help="replay SYSTEM's records made before the reconcile node as the engine now answers "
                             "them (benchmarks/replay_vote.py), each at its own run's min_confidence")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="also write the pooled results.json, results.md and results.png (no records) to DIR")
    args = parser.parse_args(argv)
    from evals.report import render_markdown, render_plot, summarize

    config, records, diffs = combine(args.run_dirs, args.reconcile)
    said = pooled_from(args, diffs, records)
    print("\n".join(said))
    summary = summarize(config, records)
    text = render_markdown(summary)
    print()
    print(text)
    if args.out:
        header = "".join(f"{line}\n" for line in said)
        try:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / "results.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
            (args.out / "results.md").write_text(header + "\n" + text, encoding="utf-8")
            render_plot(summary, args.out / "results.png")
        except OSError as exc:
            fail(f"cannot write the pooled results to {args.out}: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
