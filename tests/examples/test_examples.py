"""Every file in examples/ runs as written: each program with the real bundled model (real_model), and a fast
check that no example is left without a run here (a new example must be added to RUNS, or to DATA when it
is an input another example reads)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
BIN = Path(sys.executable).parent

# file -> (command after the interpreter, what the output must show)
RUNS = {
    "embed_api.py": ([], ["shirts:", "eggs:", "ages:", "route"]),
    "logic_puzzle.py": ([], ["(expected C)", "--- propose"]),
    "load_model.py": ([], ["loaded qwen2.5-coder-0.5b", "tok/s"]),
    "serve_openai_client.py": ([], ["models: ['hybrid']", "answer: ", "confidence "]),
    "batch_cli.sh": (["answers.jsonl"], ['"id": "q1"', '"id": "q3"']),
}
DATA = {"questions.jsonl": "batch_cli.sh"}  # inputs, and the example that reads each


def test_every_example_is_run_here():
    files = {p.name for p in EXAMPLES.iterdir() if p.is_file()}
    assert files == set(RUNS) | set(DATA)
    for data, reader in DATA.items():
        assert data in (EXAMPLES / reader).read_text(encoding="utf-8")


@pytest.mark.real_model
@pytest.mark.parametrize("name", sorted(RUNS))
def test_example_runs_as_written(name, tmp_path):
    args, shows = RUNS[name]
    interpreter = ["bash"] if name.endswith(".sh") else [sys.executable]
    env = dict(os.environ, HF_HUB_OFFLINE="1", PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run([*interpreter, str(EXAMPLES / name), *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    for text in shows:
        assert text in done.stdout, done.stdout[-3000:]
    if name == "batch_cli.sh":
        lines = (tmp_path / "answers.jsonl").read_text().splitlines()
        assert [json.loads(line)["id"] for line in lines] == ["q1", "q2", "q3"]
        assert "Loading weights" not in done.stderr  # no library progress bars in a pipe
