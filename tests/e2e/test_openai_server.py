"""The OpenAI backend against a real server: `transformers serve` serving the bundled 0.5B from its cache.

The test starts the server on loopback (the documented `--continuous-batching` mode, CPU, fp32), runs a
real `hybrid solve --model openai:...` and a small `hybrid bench` through it, compares both with the
in-process backend on the same questions at temperature 0, and stops the server. Slow (a few minutes on
2 cores), so it is a `real_model` test; `transformers serve` comes with the dev extra
(`transformers[serving]`). What differs between the two backends, and why, is written down in
docs/serving.md; the assertions here are what holds for both: the answer of the one word problem, the
shape of every record, and the same prediction wherever the model wrote the same program.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from hybrid.lm import BUNDLED, DEFAULT_MODEL, ModelError

pytestmark = pytest.mark.real_model

SAM = ("Sam buys 4 shirts at 15 dollars each and 3 pairs of pants at 25 dollars each. He pays with a 200 "
       "dollar bill. How many dollars of change does he get?")
BIN = Path(sys.executable).parent
# On CPU the continuous-batching KV cache otherwise takes 60-90% of the free RAM (14.5 GB seen here):
# 128 blocks of 128 tokens hold 16k tokens (about 400 MB for the 0.5B), several full prompts at once.
CB_BOUNDS = ("--cb-block-size", "128", "--cb-num-blocks", "128", "--cb-max-batch-tokens", "2048")
START_S = 240  # the server must answer /health within this (model load ~5 s alone, more on a busy machine)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def cache_dir() -> Path:
    from hybrid.lm.bundled import ensure_converted

    try:
        return ensure_converted(BUNDLED[DEFAULT_MODEL])
    except ModelError as exc:
        pytest.skip(f"bundled model unavailable: {exc}")


@pytest.fixture(scope="module")
def server(cache_dir, tmp_path_factory):
    """(base_url, model id) of a `transformers serve` started for this module and stopped after it."""
    exe = BIN / "transformers"
    assert exe.exists(), "transformers serve is missing: pip install -c constraints.txt -e '.[model,dev]'"
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "transformers-serve.log"
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(exe), "serve", str(cache_dir), "--host", "127.0.0.1", "--port", str(port),
                                 "--device", "cpu", "--dtype", "float32", "--continuous-batching", *CB_BOUNDS],
                                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_S
        while True:
            assert proc.poll() is None, f"transformers serve exited: {log.read_text()[-2000:]}"
            try:
                if get_json(base + "/health").get("status") == "ok":
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"no /health in {START_S}s: {log.read_text()[-2000:]}"
            time.sleep(1)
        [model] = get_json(base + "/v1/models")["data"]
        yield base + "/v1", model["id"]
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def hybrid(*args: str, timeout: float) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run([str(BIN / "hybrid"), *args], capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def in_process():
    from hybrid import Engine

    return Engine(DEFAULT_MODEL, quantize=None)  # fp32, as `transformers serve` runs it


def test_hybrid_solve_through_the_server_answers_like_the_in_process_backend(server, in_process):
    base_url, model = server
    done = hybrid("solve", SAM, "--json", "--model", f"openai:{model}", "--base-url", base_url, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Loading weights" not in done.stderr and "it/s" not in done.stderr  # no library bars
    remote = json.loads(done.stdout)
    local = in_process.solve(SAM)
    print(f"\nserver: {remote['answer']} via {remote['route']}; in-process: {local.answer} via {local.route}")
    assert remote["answer"] == local.answer == "65"
    assert remote["route"] == local.route == "sympy" and remote["completion_tokens"] > 0


def test_a_small_bench_through_the_server_matches_the_in_process_run(server, tmp_path):
    base_url, model = server
    common = ["--dataset", "gsm8k", "--split", "test", "--limit", "2", "--systems", "pal,hybrid", "--no-progress"]
    remote_dir, local_dir = tmp_path / "server", tmp_path / "local"
    done = hybrid("bench", *common, "--model", f"openai:{model}", "--base-url", base_url, "--concurrency", "2",
                  "--out", str(remote_dir), timeout=900)
    assert done.returncode == 0, done.stderr
    config = json.loads((remote_dir / "config.json").read_text())
    assert config["model"] == f"openai:{model}" and config["lm_options"]["base_url"] == base_url
    # the server runs transformers in fp32, so the in-process run does too (the CPU path's int8x2 would
    # write other programs from the same prompts)
    done = hybrid("bench", *common, "--lm-option", "quantize=none", "--out", str(local_dir), timeout=900)
    assert done.returncode == 0, done.stderr

    def records(run: Path) -> dict:
        lines = (run / "records.jsonl").read_text().splitlines()
        return {(r["system"], r["id"]): r for r in map(json.loads, lines)}

    remote, local = records(remote_dir), records(local_dir)
    assert sorted(remote) == sorted(local) and len(remote) == 4
    for key, r in remote.items():
        l = local[key]
        same_program = r.get("program") is not None and r.get("program") == l.get("program")
        print(f"{key}: server {r['prediction_flexible']} ({r['route']}), in-process {l['prediction_flexible']} "
              f"({l['route']}), same program: {same_program}")
        assert r["error"] is None or isinstance(r["error"], str)
        assert r["completion_tokens"] > 0 and r["status"] in ("ok", "fallback", "failed")
        if same_program:
            assert r["prediction_flexible"] == l["prediction_flexible"]
