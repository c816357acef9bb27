"""The evaluation harness: datasets, compared systems, grading, a resumable runner and reports.

Public API (mirrored by the `hybrid bench` and `hybrid report` commands):
- `BenchSettings(dataset=..., data=..., split=..., limit=..., systems=(...), model=..., engine=EngineSettings(...))`:
  what one run measures;
- `run_bench(settings, out=RUN_DIR)` runs or resumes it into a run directory and returns the summary;
- `build_report(run_dir)` rebuilds results.json / results.md / results.png from the run's records;
- `load_dataset(name, data, split)` returns the problems.
Names are imported lazily so that `import evals` stays cheap on the CLI start-up path.
"""
from __future__ import annotations

__all__ = ["BenchSettings", "run_bench", "build_report", "load_dataset"]


def __getattr__(name: str):
    if name == "BenchSettings":
        from evals.settings import BenchSettings
        return BenchSettings
    if name == "run_bench":
        from evals.runner import run_bench
        return run_bench
    if name == "build_report":
        from evals.report import build_report
        return build_report
    if name == "load_dataset":
        from evals.catalog import load_dataset
        return load_dataset
    raise AttributeError(f"module 'evals' has no attribute {name!r}")
