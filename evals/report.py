"""Rebuild a run's summary from its records: results.json, results.md and results.png.

`build_report(run_dir)` reads config.json and records.jsonl (the first record of each (system, id) wins)
and writes:
- results.json: {"systems": {name: {accuracy, ci95, n, tokens_per_problem, seconds_per_problem, strict,
  flexible and math-verify accuracy, route mix, fallback rate, ...}}, "comparisons": McNemar of hybrid
  against each baseline, "model", "dataset", "git_commit", "prompt_versions", ...}. The primary accuracy is
  flexible-extract; strict-match and Math-Verify sit beside it (`evals.grading`: for pal and hybrid's
  solver answers the readers agree; Math-Verify reads the same texts its own way). A record made before
  the Math-Verify column existed is graded by Math-Verify here, in the solvers' worker.
- results.md: the same as tables, with Wilson 95% intervals, McNemar p-values and the hybrid's route mix.
- results.png: accuracy with intervals, and accuracy against tokens and against seconds per problem (CPU
  seconds where the records carry them), one point per system (matplotlib, Agg backend).

A solver is credited only with answers it produced: hybrid answers that came from the plain-reasoning
fallback are counted under route "fallback", never under sympy or z3.
"""
from __future__ import annotations

import json
import subprocess
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from evals.grading import math_verify_correct
from evals.runfiles import CONFIG, RECORDS, RESULTS_JSON, RESULTS_MD, RESULTS_PNG, read_records
from evals.scoring import paired, wilson

PRIMARY = "flexible"


def git_commit() -> dict:
    """The commit of the code that builds the report and whether the tree has uncommitted changes."""
    root = Path(__file__).resolve().parent
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                             timeout=10).stdout.strip() or None
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                                    capture_output=True, text=True, timeout=10).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": sha, "dirty": dirty if sha else None}


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _rate(k: int, n: int) -> dict:
    lo, hi = wilson(k, n)
    return {"correct": k, "n": n, "accuracy": k / n if n else 0.0, "ci95": [lo, hi]}


def _route(record: dict) -> str:
    """The route credited with a record: a fallback's text is scored even when the Engine's own parser
    found no answer in it (status failed), and such a record counts under "fallback", never "none"."""
    route = str(record.get("route") or "none")
    return "fallback" if route == "none" and record.get("fallback_used") else route


def summarize_system(records: list[dict]) -> dict:
    """The summary of one system's records."""
    n = len(records)
    flexible = sum(bool(r.get("correct_flexible")) for r in records)
    strict = sum(bool(r.get("correct_strict")) for r in records)
    verified = [r.get("correct_math_verify") for r in records]
    primary = _rate(flexible, n)
    out: dict[str, Any] = {
        "accuracy": primary["accuracy"], "ci95": primary["ci95"], "n": n, "correct": flexible,
        "accuracy_strict": strict / n if n else 0.0, "ci95_strict": list(wilson(strict, n)),
        "accuracy_flexible": primary["accuracy"],
        "accuracy_math_verify": (sum(v is True for v in verified) / n if n else 0.0)
        if any(v is not None for v in verified) else None,
        "math_verify_undecided": sum(v is None for v in verified) if any(v is not None for v in verified) else None,
        "tokens_per_problem": _mean([float(r.get("tokens") or 0) for r in records]),
        "prompt_tokens_per_problem": _mean([float(r.get("prompt_tokens") or 0) for r in records]),
        "completion_tokens_per_problem": _mean([float(r.get("completion_tokens") or 0) for r in records]),
        "seconds_per_problem": _mean([float(r.get("seconds") or 0) for r in records]),
        "cpu_seconds_per_problem": _mean([float(r["cpu_seconds"]) for r in records])
        if records and all(r.get("cpu_seconds") is not None for r in records) else None,
        "no_answer": sum(r.get("prediction") is None for r in records),
        "errors": sum(bool(r.get("error")) for r in records),
    }
    if any(r.get("route") is not None for r in records):
        by_route: dict[str, list[dict]] = defaultdict(list)
        for r in records:
            by_route[_route(r)].append(r)
        out["routes"] = {route: _rate(sum(bool(x.get("correct")) for x in rs), len(rs))
                         for route, rs in sorted(by_route.items())}
        solver = [r for r in records if r.get("solver_answered")]
        fallback = [r for r in records if r.get("fallback_used")]
        out["solver_answered"] = _rate(sum(bool(r.get("correct")) for r in solver), len(solver))
        out["fallback"] = _rate(sum(bool(r.get("correct")) for r in fallback), len(fallback))
        out["fallback_rate"] = len(fallback) / n if n else 0.0
        out["solver_correct"] = sum(bool(r.get("correct")) for r in solver)
        abstained = [r for r in records if r.get("abstained")]
        out["abstained"] = len(abstained)
        out["abstained_then_fallback"] = sum(bool(r.get("fallback_used")) for r in abstained)
        out["abstention_rate"] = len(abstained) / n if n else 0.0
        out["repairs_per_problem"] = _mean([float(r.get("repairs") or 0) for r in records])
        out["status"] = dict(sorted(Counter(str(r.get("status")) for r in records).items()))
        if any(r.get("reconciled") for r in records):  # a vote below the bar, then plain reasoning picked
            out["reconciled"] = {how: _rate(sum(bool(r.get("correct")) for r in rs), len(rs)) for how, rs in (
                ("agreed", [r for r in records if r.get("reconciled") == "agreed"]),
                ("vote", [r for r in records if r.get("reconciled") == "vote"]))}
        rated = [r for r in records if r.get("confidence") is not None]
        if rated:  # calibration: accuracy by the vote's confidence (the answer's share of the programs)
            out["calibration"] = {label: _rate(sum(bool(r.get("correct")) for r in rs), len(rs)) for label, rs in (
                (">=0.8", [r for r in rated if r["confidence"] >= 0.8]),
                ("0.5-0.8", [r for r in rated if 0.5 <= r["confidence"] < 0.8]),
                ("<0.5", [r for r in rated if r["confidence"] < 0.5]))}
    return out


def _graded(record: dict) -> dict:
    """The record with its Math-Verify verdict (computed now for a record made before that column)."""
    if "correct_math_verify" in record:
        return record
    return dict(record, correct_math_verify=math_verify_correct(record))


def summarize(config: dict, records: list[dict]) -> dict:
    """results.json's content from a config and the run's records."""
    by_system: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in records:
        by_system[r["system"]].setdefault(r["id"], r)  # first record wins
    order = [s for s in config.get("systems", []) if s in by_system] + sorted(set(by_system) - set(config.get("systems", [])))
    systems = {name: summarize_system([_graded(r) for r in by_system[name].values()]) for name in order}
    for name in systems:
        systems[name]["budget"] = config.get("budgets", {}).get(name)
    comparisons = {}
    if "hybrid" in by_system:
        hybrid = {i: bool(r.get("correct")) for i, r in by_system["hybrid"].items()}
        for name in order:
            if name == "hybrid":
                continue
            other = {i: bool(r.get("correct")) for i, r in by_system[name].items()}
            test = paired(hybrid, other)
            common = set(hybrid) & set(other)
            comparisons[f"hybrid vs {name}"] = {
                **test.to_dict(), "hybrid_only_correct": test.b, f"{name}_only_correct": test.c,
                "hybrid_accuracy": sum(hybrid[i] for i in common) / len(common) if common else 0.0,
                f"{name}_accuracy": sum(other[i] for i in common) / len(common) if common else 0.0,
            }
    problems = {r["id"] for r in records}
    return {
        "systems": systems,
        "comparisons": comparisons,
        "model": config.get("model"),
        "lm_options": config.get("lm_options", {}),
        "dataset": config.get("dataset"),
        "split": config.get("split"),
        "offset": config.get("offset"),
        "seed": config.get("seed"),
        "n_problems": len(problems),
        "primary_metric": f"{PRIMARY}-extract (strict-match and math-verify reported beside it)",
        "git_commit": git_commit(),
        "run_commits": config.get("run_commits"),
        "run_machines": config.get("run_machines"),
        "prompt_versions": config.get("prompt_versions", {}),
        "settings": config.get("settings", {}),
    }


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _p(p: float) -> str:
    return f"{p:.3g}" if p >= 0.001 else "<0.001"


def _seconds(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1f}"


def cost_axis(summary: dict) -> tuple[str, list[float]]:
    """The plot's cost per problem: CPU-seconds of the bench process (every thread; the model's decoding,
    not the solver workers) when every system's records carry them, else wall seconds."""
    systems = summary["systems"].values()
    if systems and all(s.get("cpu_seconds_per_problem") is not None for s in systems):
        return "CPU-seconds per problem (bench process)", [s["cpu_seconds_per_problem"] for s in systems]
    return "wall seconds per problem (batch wall / batch size)", [s["seconds_per_problem"] for s in systems]


def _commits(summary: dict) -> str:
    """Which code made the records (config's run_commits) and which built this report."""
    built = summary.get("git_commit") or {}
    report = f"{built.get('commit') or 'unknown'}{' (uncommitted changes)' if built.get('dirty') else ''}"
    runs = summary.get("run_commits")
    if not runs:
        return f"Report built at commit {report} (the run's own commit was not recorded)"
    machines = summary.get("run_machines")
    where = f", on {' then '.join(machines)}" if machines else ""
    return f"Run at commit {', then '.join(runs)}{where}; report built at {report}"


def render_markdown(summary: dict) -> str:
    """results.md's text."""
    lines = [
        f"# {summary['dataset']} ({summary['split']}): {summary['n_problems']} problems, model {summary['model']}",
        "",
        f"Primary metric: {summary['primary_metric']}. Intervals are Wilson 95%. "
        f"{_commits(summary)}.",
        "",
        "| system | n | accuracy | 95% CI | strict-match | flexible-extract | math-verify | tokens/problem | s/problem | CPU s/problem | no answer | errors |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s in summary["systems"].items():
        lo, hi = s["ci95"]
        verified = s.get("accuracy_math_verify")
        lines.append(f"| {name} | {s['n']} | {_pct(s['accuracy'])} | {_pct(lo)} to {_pct(hi)} | "
                     f"{_pct(s['accuracy_strict'])} | {_pct(s['accuracy_flexible'])} | "
                     f"{'n/a' if verified is None else _pct(verified)} | {s['tokens_per_problem']:.0f} | "
                     f"{s['seconds_per_problem']:.1f} | {_seconds(s.get('cpu_seconds_per_problem'))} | "
                     f"{s['no_answer']} | {s['errors']} |")
    if summary["comparisons"]:
        lines += ["", "## Hybrid against each baseline (McNemar, paired on the same problems)", "",
                  "| comparison | paired n | hybrid acc | baseline acc | only hybrid right | only baseline right | p | test |",
                  "|---|---:|---:|---:|---:|---:|---:|---|"]
        for label, c in summary["comparisons"].items():
            base = label.split(" vs ", 1)[1]
            lines.append(f"| {label} | {c['n']} | {_pct(c['hybrid_accuracy'])} | {_pct(c[f'{base}_accuracy'])} | "
                         f"{c['b']} | {c['c']} | {_p(c['p_value'])} | {c['method']} |")
    for name, s in summary["systems"].items():
        if "routes" not in s:
            continue
        lines += ["", f"## Route mix: {name}", "", "| route | n | share | accuracy |", "|---|---:|---:|---:|"]
        for route, r in s["routes"].items():
            lines.append(f"| {route} | {r['n']} | {_pct(r['n'] / s['n'] if s['n'] else 0)} | {_pct(r['accuracy'])} |")
        sa = s["solver_answered"]
        lines += ["", f"Answered by a solver: {sa['n']} of {s['n']} ({sa['correct']} correct, "
                      f"{_pct(sa['accuracy'])}). Fallback to plain reasoning: {s['fallback']['n']} "
                      f"({_pct(s['fallback_rate'])}; {s['fallback']['correct']} correct, not credited to a solver). "
                      f"Solver abstained (ambiguous/unknown): {s['abstained']} ({s['abstained_then_fallback']} "
                      f"then answered by fallback). Repairs per problem: {s['repairs_per_problem']:.2f}."]
        if s.get("reconciled"):
            agreed, vote = s["reconciled"]["agreed"], s["reconciled"]["vote"]
            lines += ["", f"Votes below the bar, reconciled with plain reasoning (counted as solver answers above): "
                          f"it agreed with a program's answer on {agreed['n']} ({agreed['correct']} correct); "
                          f"with none on {vote['n']}, where the vote's winner answered ({vote['correct']} correct)."]
        if s.get("calibration"):
            parts = [f"{label}: {r['n']} ({r['correct']} correct, {_pct(r['accuracy'])})"
                     for label, r in s["calibration"].items()]
            lines += ["", f"Confidence (the answer's share of the programs written): {'; '.join(parts)}. "
                          f"Unsure: {s['status'].get('unsure', 0)}."]
    lines += ["", "## Budgets and prompts", ""]
    for name, s in summary["systems"].items():
        budget = json.dumps(s.get("budget"), sort_keys=True)
        prompts = ", ".join(f"{k}@{v}" for k, v in (summary["prompt_versions"].get(name) or {}).items())
        lines.append(f"- {name}: budget {budget}; prompts {prompts or 'n/a'}")
    return "\n".join(lines) + "\n"


def render_plot(summary: dict, path: Path) -> None:
    """Accuracy with Wilson intervals, against tokens per problem and against seconds per problem (CPU where
    recorded), as one PNG: one point per system."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(summary["systems"])
    acc = [summary["systems"][n]["accuracy"] for n in names]
    lo = [a - summary["systems"][n]["ci95"][0] for n, a in zip(names, acc)]
    hi = [summary["systems"][n]["ci95"][1] - a for n, a in zip(names, acc)]
    tokens = [summary["systems"][n]["tokens_per_problem"] for n in names]
    cost_label, cost = cost_axis(summary)
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(15, 4))
    left.bar(names, acc, yerr=[lo, hi], capsize=4, color="#4c78a8")
    left.set_ylim(0, 1)
    left.set_ylabel("accuracy (flexible-extract)")
    left.set_title(f"{summary['dataset']} {summary['split']}, n={summary['n_problems']}")
    left.tick_params(axis="x", labelrotation=30)
    for axis, xs, label in ((middle, tokens, "tokens per problem (prompt + completion)"), (right, cost, cost_label)):
        axis.errorbar(xs, acc, yerr=[lo, hi], fmt="o", capsize=4)
        for x, y, n in zip(xs, acc, names):
            axis.annotate(n, (x, y), textcoords="offset points", xytext=(5, 5))
        axis.set_xlabel(label)
        axis.set_ylabel("accuracy")
        axis.set_ylim(0, 1)
        axis.set_title(str(summary["model"]))
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def build_report(run_dir: str | Path, *, plot: bool = True) -> dict:
    """Rebuild results.json, results.md (and results.png) in run_dir from its records; return the summary."""
    run_dir = Path(run_dir)
    config_path, records_path = run_dir / CONFIG, run_dir / RECORDS
    if not records_path.exists():
        raise FileNotFoundError(f"{records_path}: no records (is {run_dir} a bench run directory?)")
    config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.exists() else {}
    summary = summarize(config, read_records(records_path))
    (run_dir / RESULTS_JSON).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (run_dir / RESULTS_MD).write_text(render_markdown(summary), encoding="utf-8")
    if plot and summary["systems"]:
        render_plot(summary, run_dir / RESULTS_PNG)
    return summary
