"""The benchmark runner: batches of problems through each system, one JSONL record per (system, problem).

A run directory holds:
- config.json: what was asked (dataset, split, offset, seed, model, systems, settings, prompt versions).
  A resumed run must match it (limit and systems may grow; batch size may change); otherwise it refuses.
- records.jsonl: append-only, one line per (system, problem), flushed per record, fsync'd per batch.
  On start, a truncated last line (a kill in mid-write) is cut off; (system, id) pairs already present are
  skipped, so a killed run resumes with nothing lost or duplicated.
- results.json / results.md / results.png: written by `evals.report.build_report` at the end.

Batches are aligned to positions in the selected slice (problems 0-15, 16-31, ...), so a resumed run sends
the same batches as an uninterrupted one. Each system's batch is one `lm.generate` call (hybrid: one per
graph step). An exception from the model stops the run (it is not scored as a wrong answer); re-run the same
command to resume. Deliberately left out: parallel workers (the model is the bottleneck and is batched).
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from evals.datasets import Problem, load_dataset
from evals.extract import numbers_match
from evals.systems import SYSTEMS, Settings, exemplar_questions, make_system, prompt_fingerprint, supports

RECORDS = "records.jsonl"
CONFIG = "config.json"
# config keys a resumed run may change
MAY_DIFFER = {"lm_settings", "limit", "systems", "batch_size", "data", "prompt_versions", "budgets", "skipped_bad_records",
              "dropped_exemplar_problems"}


class RunError(Exception):
    """The run cannot start or continue (incompatible config, corrupt records file, bad options)."""


# ------------------------------------------------------------------------------------------- records file

def read_records(path: str | os.PathLike, *, repair: bool = False) -> list[dict]:
    """All complete records of a records.jsonl. A truncated last line is ignored (and cut off when
    repair=True); a malformed line anywhere else raises RunError naming the line."""
    path = Path(path)
    if not path.exists():
        return []
    data = path.read_bytes()
    complete_end = data.rfind(b"\n") + 1  # bytes up to the last newline are complete lines
    tail = data[complete_end:]
    records = []
    for lineno, line in enumerate(data[:complete_end].split(b"\n")[:-1], start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RunError(f"{path}:{lineno}: corrupt record ({exc.msg}); fix or remove that line") from None
        records.append(record)
    if tail.strip():
        try:  # a complete record whose newline did not make it: keep it, and add the newline
            records.append(json.loads(tail))
            if repair:
                with open(path, "ab") as f:
                    f.write(b"\n")
        except json.JSONDecodeError:
            if repair:
                with open(path, "r+b") as f:
                    f.truncate(complete_end)
    elif tail and repair:
        with open(path, "r+b") as f:
            f.truncate(complete_end)
    return records


def done_pairs(records: Iterable[dict]) -> set[tuple[str, str]]:
    return {(r["system"], r["id"]) for r in records}


# ------------------------------------------------------------------------------------------- config

def _check_compatible(old: dict, new: dict, path: Path) -> None:
    diffs = [k for k in sorted(set(old) | set(new)) if k not in MAY_DIFFER and old.get(k) != new.get(k)]
    old_pv, new_pv = old.get("prompt_versions", {}), new.get("prompt_versions", {})
    for system in set(old_pv) & set(new_pv):
        if old_pv[system] != new_pv[system]:
            diffs.append(f"prompt_versions[{system}]")
    if diffs:
        detail = "; ".join(f"{k}: {old.get(k)!r} -> {new.get(k)!r}" if not k.startswith("prompt_versions[")
                           else f"{k} changed" for k in diffs)
        raise RunError(f"{path} holds a different run ({detail}); use a new --out directory")


def lm_settings(lm) -> dict:
    """The settings an LM object runs with after its defaults are resolved (quantization, dtype, device)."""
    return {key: str(getattr(lm, key)) for key in ("quantize", "dtype", "device") if hasattr(lm, key)}


def _merge_config(old: dict | None, new: dict) -> dict:
    if not old:
        return new
    merged = dict(new)
    if "lm_settings" in old:
        merged["lm_settings"] = old["lm_settings"]
    merged["systems"] = list(dict.fromkeys(list(old.get("systems", [])) + list(new["systems"])))
    merged["prompt_versions"] = {**old.get("prompt_versions", {}), **new["prompt_versions"]}
    merged["budgets"] = {**old.get("budgets", {}), **new["budgets"]}
    old_limit, new_limit = old.get("limit"), new.get("limit")
    merged["limit"] = None if old_limit is None or new_limit is None else max(old_limit, new_limit)
    return merged


# ------------------------------------------------------------------------------------------- scoring

def score(problem: Problem, record: dict) -> dict:
    """Add correct_strict / correct_flexible / correct (= flexible, the primary metric) to a record."""
    def ok(prediction: str | None) -> bool:
        if prediction is None:
            return False
        if problem.kind == "letter":
            return prediction == problem.gold
        return numbers_match(prediction, problem.gold, problem.tolerance)
    record["correct_strict"] = ok(record.get("prediction_strict"))
    record["correct_flexible"] = ok(record.get("prediction_flexible"))
    record["prediction"] = record.get("prediction_flexible")
    record["correct"] = record["correct_flexible"]
    return record


# ------------------------------------------------------------------------------------------- the run

def _progress(total: int, enabled: bool):
    from tqdm import tqdm
    return tqdm(total=total, file=sys.stderr, disable=not enabled, unit="rec", dynamic_ncols=True)


def run_bench(
    dataset: str = "gsm8k",
    *,
    out: str | os.PathLike,
    data: str | os.PathLike | None = None,
    split: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    seed: int = 0,
    systems: Sequence[str] = ("cot", "hybrid"),
    model: str = "qwen2.5-coder-0.5b",
    lm: Any = None,
    batch_size: int = 16,
    shots: int = 8,
    sc_samples: int = 5,
    max_new_tokens: int = 400,
    program_tokens: int = 250,
    cot_tokens: int = 300,
    skip_bad: bool = False,
    question_key: str = "question",
    answer_key: str = "answer",
    id_key: str | None = None,
    tolerance: float = 1e-6,
    lm_options: dict | None = None,
    engine_options: dict | None = None,
    engine_factory: Callable[..., Any] | None = None,
    progress: bool = True,
    report: bool = True,
) -> dict:
    """Run (or resume) a benchmark into `out` and return the summary (results.json's content).

    `lm` is an LM object to use; otherwise `hybrid.lm.get_lm(model, **lm_options)` is created once and
    shared by every system, the Engine included.
    """
    systems = list(dict.fromkeys(s.strip() for s in systems if s.strip()))
    unknown = [s for s in systems if s not in SYSTEMS]
    if not systems or unknown:
        raise RunError(f"unknown system(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(SYSTEMS)}")
    if (batch_size < 1 or offset < 0 or (limit is not None and limit < 0) or shots < 0 or sc_samples < 1
            or min(max_new_tokens, program_tokens, cot_tokens) < 1):
        raise RunError("batch_size, sc_samples and token budgets must be >= 1; offset, limit and shots >= 0")

    ds = load_dataset(dataset, data, split, skip_bad=skip_bad, question_key=question_key, answer_key=answer_key,
                      id_key=id_key, tolerance=tolerance)
    problems = ds.slice(offset, limit)
    dropped = 0
    if ds.name == "gsm8k" and ds.split == "train":  # never test a problem on itself as an exemplar
        exemplars = exemplar_questions()
        kept = [p for p in problems if p.question.strip() not in exemplars]
        dropped, problems = len(problems) - len(kept), kept
    kind = problems[0].kind if problems else ("letter" if dataset in ("logical_deduction", "prontoqa") else "number")
    bad = [s for s in systems if not supports(s, kind)]
    if bad:
        raise RunError(f"system(s) {', '.join(bad)} cannot answer {dataset} (multiple-choice); use direct, cot, "
                       "cot-sc or hybrid")

    settings = Settings(shots=shots, max_new_tokens=max_new_tokens, program_tokens=program_tokens,
                        cot_tokens=cot_tokens, sc_samples=sc_samples, seed=seed,
                        engine_options=dict(engine_options or {}))
    system_objs = {name: make_system(name, settings, engine_factory=engine_factory) for name in systems}
    model_name = getattr(lm, "name", None) or model
    config = {
        "dataset": ds.name, "split": ds.split, "data": ds.source, "limit": limit, "offset": offset, "seed": seed,
        "model": model_name, "lm_options": dict(lm_options or {}), "systems": systems, "batch_size": batch_size,
        "settings": {k: v for k, v in asdict(settings).items() if k != "seed"},
        "tolerance": tolerance if kind == "number" else None,
        "keys": {"question": question_key, "answer": answer_key, "id": id_key} if dataset == "jsonl" else None,
        "prompt_versions": {n: prompt_fingerprint(s.prompt_names(kind)) for n, s in system_objs.items()},
        "budgets": {n: settings.budget(n) for n in systems},
        "engine_settings": settings.engine_settings(),
        "skipped_bad_records": ds.skipped, "dropped_exemplar_problems": dropped,
    }

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config_path = out / CONFIG
    old = json.loads(config_path.read_text(encoding="utf-8")) if config_path.exists() else None
    if old is not None:
        _check_compatible(old, config, config_path)
    config = _merge_config(old, config)
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")

    records_path = out / RECORDS
    existing = read_records(records_path, repair=True)
    done = done_pairs(existing)
    tally = {s: [0, 0] for s in systems}  # running [correct, seen] for the progress bar
    for r in existing:
        if r.get("system") in tally:
            tally[r["system"]][0] += bool(r.get("correct"))
            tally[r["system"]][1] += 1
    pending_total = sum(1 for s in systems for p in problems if (s, p.id) not in done)

    if pending_total and lm is None:
        from hybrid.lm import get_lm
        lm = get_lm(model, **(lm_options or {}))
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
            for start in range(0, len(problems), batch_size):
                batch = problems[start:start + batch_size]
                for name, system in system_objs.items():
                    todo = [p for p in batch if (name, p.id) not in done]
                    if not todo:
                        continue
                    partial = system.run(todo, lm)
                    if len(partial) != len(todo):
                        raise RunError(f"system {name} returned {len(partial)} records for {len(todo)} problems")
                    for problem, rec in zip(todo, partial):
                        record = {"system": name, "id": problem.id, "index": problem.index, "kind": problem.kind,
                                  "gold": problem.gold, "question": problem.question, **rec}
                        record["tokens"] = int(record.get("prompt_tokens") or 0) + int(record.get("completion_tokens") or 0)
                        score(problem, record)
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
