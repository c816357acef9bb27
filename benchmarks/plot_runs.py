"""One plot of accuracy against cost per problem across several bench runs: one point per (model, system).

    python benchmarks/plot_runs.py docs/reference/gsm8k-test-48-1.5b-k5 docs/reference/gsm8k-test-100-cpu-int8x2 \
        --out docs/reference/gsm8k-accuracy-vs-cpu.png

Reads each run's results.json (what `hybrid bench` wrote), prints a table of the points (model, system,
problems, accuracy with its Wilson interval, CPU and wall seconds per problem) and draws them with their
intervals. The x axis is the bench process's CPU-seconds per problem when every run recorded them, else wall
seconds (`--cost wall` forces wall); the axis says which. Runs over different problem counts are drawn
together with their n in the label, so a reader can see when two points are not over the same problems.
A script that prints figures: nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def precision_of(run: Path) -> str:
    """The precision the run's model ran in (config.json's lm_settings), "" when not recorded."""
    try:
        settings = json.loads((run / "config.json").read_text(encoding="utf-8")).get("lm_settings") or {}
    except (OSError, ValueError):
        return ""
    quantize = str(settings.get("quantize", ""))
    return "fp32" if quantize in ("None", "none") and "float32" in str(settings.get("dtype")) else quantize


def points(run_dirs: list[Path]) -> list[dict]:
    """One row per (run, system) from each run's results.json."""
    rows = []
    for run in run_dirs:
        path = run / "results.json"
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SystemExit(f"error: cannot read {path}: {exc}") from None
        model = f"{str(summary.get('model', '?')).replace('qwen2.5-coder-', '')} {precision_of(run)}".strip()
        for name, s in summary.get("systems", {}).items():
            rows.append({"run": run.name, "model": model,
                         "system": name, "n": s["n"], "accuracy": s["accuracy"], "ci95": s["ci95"],
                         "cpu_s": s.get("cpu_seconds_per_problem"), "wall_s": s["seconds_per_problem"]})
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| run | model | system | n | accuracy | 95% CI | CPU s/problem | wall s/problem |",
             "|---|---|---|---:|---:|---|---:|---:|"]
    for r in rows:
        cpu = "n/a" if r["cpu_s"] is None else f"{r['cpu_s']:.1f}"
        lines.append(f"| {r['run']} | {r['model']} | {r['system']} | {r['n']} | {100 * r['accuracy']:.1f}% | "
                     f"{100 * r['ci95'][0]:.1f}% to {100 * r['ci95'][1]:.1f}% | {cpu} | {r['wall_s']:.1f} |")
    return "\n".join(lines)


def draw(rows: list[dict], out: Path, cost: str, title: str) -> str:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    use_cpu = cost == "cpu" and all(r["cpu_s"] is not None for r in rows)
    label = "CPU-seconds per problem (bench process)" if use_cpu else "wall seconds per problem"
    fig, axis = plt.subplots(figsize=(9, 5.5))
    for model in dict.fromkeys(r["model"] for r in rows):
        mine = [r for r in rows if r["model"] == model]
        xs = [r["cpu_s"] if use_cpu else r["wall_s"] for r in mine]
        ys = [r["accuracy"] for r in mine]
        err = [[max(0.0, y - r["ci95"][0]) for y, r in zip(ys, mine)],  # rounding can put 0% a hair off
               [max(0.0, r["ci95"][1] - y) for y, r in zip(ys, mine)]]
        axis.errorbar(xs, ys, yerr=err, fmt="o", capsize=3, label=model)
        for x, y, r in zip(xs, ys, mine):
            axis.annotate(f"{r['system']} (n={r['n']})", (x, y), textcoords="offset points", xytext=(5, 4),
                          fontsize=8)
    axis.set_xscale("log")
    axis.set_xlabel(label + ", log scale")
    axis.set_ylabel("accuracy (flexible-extract), Wilson 95%")
    axis.set_ylim(0, 1)
    axis.set_title(title)
    axis.legend(title="model")
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return label


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path, help="bench --out folders (each with results.json)")
    parser.add_argument("--out", type=Path, required=True, help="PNG to write")
    parser.add_argument("--cost", choices=("cpu", "wall"), default="cpu", help="x axis (default: cpu)")
    parser.add_argument("--title", default="accuracy against cost per problem")
    args = parser.parse_args(argv)
    rows = points(args.runs)
    if not rows:
        print("error: no systems in those runs", file=sys.stderr)
        return 2
    print(table(rows))
    label = draw(rows, args.out, args.cost, args.title)
    print(f"\nwrote {args.out} (x: {label})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
