"""The benchmark runner: batches of problems through each system, one JSONL record per (system, problem).

`run_bench(settings, out=...)` runs or resumes a `BenchSettings` into a run directory (its format:
`evals.runfiles`). Batches are aligned to positions in the selected slice (problems 0-15, 16-31, ...), so a
resumed run sends the same batches as an uninterrupted one. Each system's batch is one `lm.generate` call
(hybrid: one per graph step). Each record is graded as it is written (`evals.grading`). An exception from
the model stops the run (it is not scored as a wrong answer); re-run the same command to resume.
Deliberately left out: parallel workers (the model is the bottleneck and is batched).
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

from evals.catalog import dataset_spec, load_dataset
from evals.grading import score
from evals.runfiles import CONFIG, RECORDS, RunError, check_compatible, done_pairs, merge_config, read_records
from evals.settings import BenchSettings
from evals.systems import SYSTEMS, exemplar_questions, make_system, prompt_fingerprint, supports
from hybrid.lm import cpu_description


def lm_settings(lm) -> dict:
    """The settings an LM object runs with after its defaults are resolved (quantization, dtype, device)."""
    return {key: str(getattr(lm, key)) for key in ("quantize", "dtype", "device") if hasattr(lm, key)}


def _progress(total: int, enabled: bool):
    from tqdm import tqdm
    return tqdm(total=total, file=sys.stderr, disable=not enabled, unit="rec", dynamic_ncols=True)


def _problems(settings: BenchSettings):
    """(dataset, the problems of the slice, exemplar problems dropped from a train split)."""
    s = settings
    ds = load_dataset(s.dataset, s.data, s.split, skip_bad=s.skip_bad, question_key=s.question_key,
                      answer_key=s.answer_key, id_key=s.id_key, tolerance=s.tolerance)
    problems = ds.slice(s.offset, s.limit)
    if ds.name == "gsm8k" and ds.split == "train":  # never test a problem on itself as an exemplar
        exemplars = exemplar_questions()
        kept = [p for p in problems if p.question.strip() not in exemplars]
        return ds, kept, len(problems) - len(kept)
    return ds, problems, 0


def _config(settings: BenchSettings, ds, kind: str, systems: dict, model_name: str, dropped: int) -> dict:
    s = settings
    return {
        "dataset": ds.name, "split": ds.split, "data": ds.source, "limit": s.limit, "offset": s.offset,
        "seed": s.seed, "model": model_name, "lm_options": dict(s.lm_options), "systems": list(s.systems),
        "batch_size": s.batch_size, "settings": s.baseline_settings(),
        "tolerance": s.tolerance if kind == "number" else None,
        "keys": {"question": s.question_key, "answer": s.answer_key, "id": s.id_key} if s.dataset == "jsonl" else None,
        "prompt_versions": {n: prompt_fingerprint(system.prompt_names(kind)) for n, system in systems.items()},
        "budgets": {n: system.budget() for n, system in systems.items()},
        "engine_settings": s.engine.behaviour(),
        "skipped_bad_records": ds.skipped, "dropped_exemplar_problems": dropped,
        "run_commits": [_commit_label()],
        "run_machines": [cpu_description()],  # times are only comparable on one CPU
    }


def _commit_label() -> str:
    """The code this run (or this resume) ran: its commit, "+uncommitted" where the tree had changes."""
    from evals.report import git_commit

    now = git_commit()
    return f"{now['commit'] or 'unknown'}{'+uncommitted' if now.get('dirty') else ''}"


def run_bench(settings: BenchSettings, *, out: str | os.PathLike, lm: Any = None,
              engine_factory: Callable[..., Any] | None = None, progress: bool = True, report: bool = True) -> dict:
    """Run (or resume) a benchmark into `out` and return the summary (results.json's content).

    `lm` is an LM object to use; otherwise `hybrid.lm.get_lm(settings.model, **settings.lm_options)` is
    created once and shared by every system, the Engine included. `engine_factory(lm, engine_settings)`
    stands in for `hybrid.Engine` (tests).
    """
    unknown = [s for s in settings.systems if s not in SYSTEMS]
    if not settings.systems or unknown:
        raise RunError(f"unknown system(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(SYSTEMS)}")
    ds, problems, dropped = _problems(settings)
    kind = problems[0].kind if problems else dataset_spec(settings.dataset).answers
    bad = [s for s in settings.systems if not supports(s, kind)]
    if bad:
        able = ", ".join(n for n in SYSTEMS if supports(n, kind))
        raise RunError(f"system(s) {', '.join(bad)} cannot answer {settings.dataset} ({kind} answers); use {able}")
    systems = {name: make_system(name, settings, engine_factory=engine_factory) for name in settings.systems}
    config = _config(settings, ds, kind, systems, getattr(lm, "name", None) or settings.model, dropped)

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config_path = out / CONFIG
    old = json.loads(config_path.read_text(encoding="utf-8")) if config_path.exists() else None
    if old is not None:
        check_compatible(old, config, config_path)
    config = merge_config(old, config)
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")

    records_path = out / RECORDS
    existing = read_records(records_path, repair=True)
    done = done_pairs(existing)
    tally = {s: [0, 0] for s in settings.systems}  # running [correct, seen] for the progress bar
    for r in existing:
        if r.get("system") in tally:
            tally[r["system"]][0] += bool(r.get("correct"))
            tally[r["system"]][1] += 1
    pending_total = sum(1 for s in settings.systems for p in problems if (s, p.id) not in done)

    if pending_total and lm is None:
        from hybrid.lm import get_lm
        lm = get_lm(settings.model, **settings.lm_options)
    if pending_total:  # the settings the model really runs with (defaults resolved), checked on resume
        effective = lm_settings(lm)
        if old and old.get("lm_settings") not in (None, effective):
            raise RunError(f"{config_path} was made with model settings {old['lm_settings']}, this run has "
                           f"{effective}; pass them with --lm-option or use a new --out directory")
        config["lm_settings"] = effective
        config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")

    bar = _progress(pending_total, progress)
    try:
        with open(records_path, "a", encoding="utf-8") as f:
            for start in range(0, len(problems), settings.batch_size):
                batch = problems[start:start + settings.batch_size]
                for name, system in systems.items():
                    todo = [p for p in batch if (name, p.id) not in done]
                    if not todo:
                        continue
                    cpu_started = time.process_time()  # this process, every thread: the model's decoding
                    partial = system.run(todo, lm)
                    cpu_seconds = (time.process_time() - cpu_started) / len(todo)
                    if len(partial) != len(todo):
                        raise RunError(f"system {name} returned {len(partial)} records for {len(todo)} problems")
                    for problem, rec in zip(todo, partial):
                        record = {"system": name, "id": problem.id, "index": problem.index, "kind": problem.kind,
                                  "gold": problem.gold, "question": problem.question, **rec}
                        record["cpu_seconds"] = round(cpu_seconds, 4)
                        record["tokens"] = int(record.get("prompt_tokens") or 0) + int(record.get("completion_tokens") or 0)
                        score(record, problem.tolerance)
                        f.write(json.dumps(record, ensure_ascii=False) + "\n")
                        f.flush()
                        done.add((name, problem.id))
                        tally[name][0] += record["correct"]
                        tally[name][1] += 1
                        bar.update(1)
                    bar.set_postfix({s: f"{c / n:.0%} of {n}" for s, (c, n) in tally.items() if n}, refresh=True)
                    os.fsync(f.fileno())
    finally:
        bar.close()

    if report:
        from evals.report import build_report
        return build_report(out)
    return {"config": config, "records": len(done)}
