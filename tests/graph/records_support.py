"""Rows for table-driven tests, taken from the reference runs' records (docs/reference/*/records.jsonl).

`accepted(run, id)` is what verify accepted in a recorded hybrid run: the question, the program and the
solver result that were accepted (the last solver step before the answer node), so a test can replay
today's verifier on the very input the old one saw.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference"


@lru_cache(maxsize=None)
def _records(run: str) -> dict[tuple[str, str], dict]:
    lines = (REFERENCE / run / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return {(r["system"], r["id"]): r for r in map(json.loads, lines)}


def record(run: str, id: str, system: str = "hybrid") -> dict:
    return _records(run)[(system, id)]


def accepted(run: str, id: str) -> tuple[str, str, dict]:
    """(question, program, solver result) of the answer verify accepted in a recorded hybrid run."""
    rec = record(run, id)
    steps = rec["trace"]
    solved = [s for s in steps if s["node"] in ("sympy", "z3")]
    last = solved[-1]
    return rec["question"], last["input"], last["solver"]
