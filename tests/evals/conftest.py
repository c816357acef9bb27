"""Fixtures for the eval-harness tests: tiny datasets written into tmp_path."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval_helpers import GSM8K_LINES

@pytest.fixture
def gsm8k_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "gsm8k"
    folder.mkdir(parents=True)
    (folder / "test.jsonl").write_text("".join(json.dumps(r) + "\n" for r in GSM8K_LINES), encoding="utf-8")
    return folder


@pytest.fixture
def logic_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "logic"
    folder.mkdir(parents=True)
    records = [
        {"id": f"ld_{i}", "context": f"Three books, puzzle {i}. The red book is leftmost.",
         "question": "Which of the following is true?",
         "options": ["A) The red book is the leftmost.", "B) The blue book is the leftmost.",
                     "C) The green book is the leftmost."],
         "answer": "A"}
        for i in range(3)
    ]
    (folder / "logical_deduction_dev.json").write_text(json.dumps(records, indent=2), encoding="utf-8")
    pronto = [
        {"id": f"pq_{i}", "context": "Wumpuses are red. Max is a wumpus.",
         "question": "Is the following statement true or false? Max is red.",
         "options": ["A) True", "B) False"], "answer": "A" if i % 2 == 0 else "B"}
        for i in range(4)
    ]
    (folder / "prontoqa_dev.json").write_text(json.dumps(pronto, indent=2), encoding="utf-8")
    return folder
