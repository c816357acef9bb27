"""The run directory's format, read and written by the runner and read by the report.

A run directory holds:
- config.json: what was asked (dataset, split, offset, seed, model, systems, settings, prompt versions).
  A resumed run must match it (limit and systems may grow; batch size may change); otherwise it refuses.
- records.jsonl: append-only, one line per (system, problem), flushed per record, fsync'd per batch.
  A truncated last line (a kill in mid-write) is cut off on resume; (system, id) pairs already present are
  skipped, so a killed run resumes with nothing lost or duplicated.
- results.json / results.md / results.png: written by `evals.report.build_report`.
This module holds the names, the records reader and the config rules, and nothing that runs a model.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

RECORDS = "records.jsonl"
CONFIG = "config.json"
RESULTS_JSON, RESULTS_MD, RESULTS_PNG = "results.json", "results.md", "results.png"
UNRECORDED_CPU = "an unrecorded CPU"
# config keys a resumed run may change
MAY_DIFFER = {"run_commits", "run_machines", "lm_settings", "limit", "systems", "batch_size", "data", "prompt_versions", "budgets", "skipped_bad_records",
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

def check_compatible(old: dict, new: dict, path: Path) -> None:
    diffs = [k for k in sorted(set(old) | set(new)) if k not in MAY_DIFFER and old.get(k) != new.get(k)]
    old_pv, new_pv = old.get("prompt_versions", {}), new.get("prompt_versions", {})
    for system in set(old_pv) & set(new_pv):
        if old_pv[system] != new_pv[system]:
            diffs.append(f"prompt_versions[{system}]")
    if diffs:
        detail = "; ".join(f"{k}: {old.get(k)!r} -> {new.get(k)!r}" if not k.startswith("prompt_versions[")
                           else f"{k} changed" for k in diffs)
        raise RunError(f"{path} holds a different run ({detail}); use a new --out directory")


def merge_config(old: dict | None, new: dict) -> dict:
    if not old:
        return new
    merged = dict(new)
    if "lm_settings" in old:
        merged["lm_settings"] = old["lm_settings"]
    merged["systems"] = list(dict.fromkeys(list(old.get("systems", [])) + list(new["systems"])))
    merged["prompt_versions"] = {**old.get("prompt_versions", {}), **new["prompt_versions"]}
    merged["budgets"] = {**old.get("budgets", {}), **new["budgets"]}
    # each resume's code and CPU, in order, once each (a run from before CPUs were recorded: "an unrecorded CPU")
    for key, unrecorded in (("run_commits", []), ("run_machines", [UNRECORDED_CPU])):
        merged[key] = list(dict.fromkeys(list(old.get(key, unrecorded)) + list(new.get(key, []))))
    old_limit, new_limit = old.get("limit"), new.get("limit")
    merged["limit"] = None if old_limit is None or new_limit is None else max(old_limit, new_limit)
    return merged
