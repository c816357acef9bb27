"""One report over several run directories of the same benchmark (say problems 0-47 and 48-99, run apart).

    python benchmarks/combine_runs.py docs/reference/gsm8k-test-48-1.5b-k5 docs/reference/gsm8k-test-48to100-1.5b-k5

Reads each directory's config.json and records.jsonl, pools the records (a (system, problem) pair found in
two directories is an error: the runs overlap) and prints the markdown `hybrid report` writes for one run
(`evals.report.summarize` and `render_markdown`), after a line per config key that differs between the
runs, so a reader sees what was not held equal (code, engine settings). Writes nothing; a script that
prints figures, nothing is asserted. Bad input: a one-line error and exit code 2.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.replay_run import fail  # noqa: E402

SAME = ("dataset", "split", "model", "lm_options")  # the runs must agree on these to be pooled


def load(run_dir: Path) -> tuple[dict, list[dict]]:
    from evals.runfiles import RunError, read_records

    try:
        config = json.loads((run_dir / "config.json").read_text(encoding="utf-8"))
        records = read_records(run_dir / "records.jsonl")
    except (OSError, json.JSONDecodeError, RunError) as exc:
        fail(f"cannot read the run in {run_dir}: {exc}")
    return config, records


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


def combine(run_dirs: list[Path]) -> tuple[dict, list[dict], list[str]]:
    """(the pooled config, the pooled records, the differing keys); raises SystemExit(2) on bad input."""
    loaded = [load(d) for d in run_dirs]
    configs = [c for c, _ in loaded]
    for key in SAME:
        if len({json.dumps(c.get(key), sort_keys=True) for c in configs}) > 1:
            fail(f"the runs differ in {key}; they are not one benchmark")
    seen: dict[tuple[str, str], Path] = {}
    records = []
    for run_dir, (_, rows) in zip(run_dirs, loaded):
        for r in rows:
            pair = (r["system"], str(r["id"]))
            if pair in seen and seen[pair] != run_dir:
                fail(f"{pair[0]} on problem {pair[1]} is in both {seen[pair]} and {run_dir}")
            seen[pair] = run_dir
            records.append(r)
    systems = [s for c in configs for s in c.get("systems", [])]
    config = dict(configs[0], systems=list(dict.fromkeys(systems)),
                  offset=min(c.get("offset", 0) for c in configs),
                  run_commits=[x for c in configs for x in (c.get("run_commits") or [])] or None)
    return config, records, differences(configs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dirs", nargs="+", type=Path)
    args = parser.parse_args(argv)
    from evals.report import render_markdown, summarize

    config, records, diffs = combine(args.run_dirs)
    print(f"Pooled from {', '.join(str(d) for d in args.run_dirs)}.")
    for line in diffs:
        print(f"- differs: {line}")
    print()
    print(render_markdown(summarize(config, records)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
