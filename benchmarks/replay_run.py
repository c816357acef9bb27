"""What the replay scripts share: a logic run's problems and hybrid records, and one program's verified letter.

`fail(message)` prints a one-line error and exits with code 2 (every benchmark script's bad-input exit).
`load_run(run_dir)` reads a bench --out folder's config.json and records.jsonl, failing that way when it
cannot; `load_hybrid_run(run_dir)` also loads the run's dataset and keeps the hybrid records (and fails
when there are none).
`hybrid_problems(config, records)` is the second half of that, for a script that already holds the config.
`run_bar(config, system)` and `run_tolerance(config)` read the vote's min_confidence and the numeric
tolerance a run used (the engine's and the harness's defaults where the config records none: a letter
dataset records tolerance null).
`verdict(program, problem)` runs a program through `solvers.run_program` and the verifier (nothing else).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def fail(message: str):
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)


def load_run(run_dir: Path) -> tuple[dict, list[dict]]:
    """(config, records) of a bench --out folder."""
    from evals.runfiles import RunError, read_records

    try:
        return (json.loads((run_dir / "config.json").read_text(encoding="utf-8")),
                read_records(run_dir / "records.jsonl"))
    except (OSError, json.JSONDecodeError, RunError) as exc:
        fail(f"cannot read the run in {run_dir}: {exc}")


def run_bar(config: dict, system: str) -> float:
    """The min_confidence `system` voted with in the run of `config`."""
    from hybrid.settings import EngineSettings

    budget = (config.get("budgets") or {}).get(system) or {}
    return float(budget.get("min_confidence", EngineSettings.min_confidence))


def run_tolerance(config: dict) -> float:
    """The numeric tolerance the run of `config` scored with (null: the harness's default)."""
    from evals.settings import BenchSettings

    tolerance = config.get("tolerance")
    return float(BenchSettings.tolerance if tolerance is None else tolerance)


def load_hybrid_run(run_dir: Path) -> tuple[dict, list[dict]]:
    """({problem id: problem}, the run's hybrid records)."""
    return hybrid_problems(*load_run(run_dir), run_dir)


def hybrid_problems(config: dict, records: list[dict], run_dir: Path,
                    system: str = "hybrid") -> tuple[dict, list[dict]]:
    """({problem id: problem} of the run's dataset, its records of `system`, hybrid unless said); fails when
    there are none."""
    from evals.catalog import load_dataset

    data = config.get("data")
    if data and not Path(data).exists():
        data = None  # the dataset's default location (or its hub loader)
    problems = {p.id: p for p in load_dataset(config["dataset"], data, config.get("split")).problems}
    records = [r for r in records if r.get("system") == system]
    if not records:
        fail(f"{run_dir} has no {system} records")
    return problems, records


def verdict(program: str, problem):
    """The verifier's Check of `program` run with Z3 for this logic problem."""
    from hybrid.verify import check
    from solvers import run_program

    result = run_program(program, timeout_s=5.0).to_dict()
    return check("logic", problem.question, list(problem.options or ()), result, solver="z3", program=program)
