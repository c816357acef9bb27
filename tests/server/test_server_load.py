"""A bounded load test of `hybrid serve` on loopback: 32 concurrent clients, 200 requests, the scripted model.

Every response must be matched to its own request (each question has its own answer and is echoed back),
none lost, and the server's resident memory flat between a warm-up round and the end. The server runs in a
process of its own (tests/server/scripted_server.py) so that its memory is its own; the figures are printed
(run with -s to see them) and kept in the test's report.
"""
from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from server_support import Client, answer, chat_body, question

HERE = Path(__file__).parent
CLIENTS, REQUESTS, WARM_UP = 32, 200, 32
MAX_GROWTH_MB = 8.0  # resident memory the server may add over 200 requests (about 1 MB here, then flat)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture
def server_process():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])))
    proc = subprocess.Popen([sys.executable, str(HERE / "scripted_server.py")], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env, start_new_session=True)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), f"the server did not start (rc {proc.poll()})"
        yield proc, url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            assert proc.wait(15) == 0  # it stops by itself, cleanly, on SIGTERM
        finally:
            if proc.poll() is None:
                proc.kill()


def hammer(url: str, numbers: list[int], clients: int) -> tuple[dict, list[float], list[str]]:
    """Send one request per number from `clients` threads (keep-alive each); (replies, latencies, problems)."""
    todo = list(numbers)
    lock = threading.Lock()
    replies: dict[int, tuple[int, dict]] = {}
    latencies: list[float] = []
    problems: list[str] = []

    def work() -> None:
        client = Client(url, timeout=60)
        try:
            while True:
                with lock:
                    if not todo:
                        return
                    i = todo.pop()
                began = time.perf_counter()
                try:
                    status, _, body = client.request("POST", "/v1/chat/completions", chat_body(question(i)))
                except Exception as exc:  # noqa: BLE001 - counted as lost, reported below
                    with lock:
                        problems.append(f"request {i}: {type(exc).__name__}: {exc}")
                    client = Client(url, timeout=60)
                    continue
                with lock:
                    latencies.append(time.perf_counter() - began)
                    replies[i] = (status, body)
        finally:
            client.close()

    threads = [threading.Thread(target=work) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return replies, latencies, problems


@pytest.mark.timeout(180)
def test_32_clients_200_requests_all_matched_none_lost_memory_flat(server_process, record_property):
    proc, url = server_process
    _, _, problems = hammer(url, list(range(10_000, 10_000 + WARM_UP)), CLIENTS)  # threads, pools, caches
    assert problems == []
    before = rss_mb(proc.pid)
    began = time.perf_counter()
    replies, latencies, problems = hammer(url, list(range(REQUESTS)), CLIENTS)
    wall = time.perf_counter() - began
    after = rss_mb(proc.pid)

    assert problems == [] and sorted(replies) == list(range(REQUESTS))  # none lost
    for i, (status, body) in replies.items():  # each response is its own request's
        assert status == 200, body
        assert body["hybrid"]["question"] == question(i)
        assert body["choices"][0]["message"]["content"] == answer(i), (i, body["choices"])
    figures = {"requests_per_s": round(REQUESTS / wall, 1), "p50_ms": round(1000 * statistics.median(latencies)),
               "p95_ms": round(1000 * statistics.quantiles(latencies, n=20)[18]),
               "rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1)}
    for key, value in figures.items():
        record_property(key, value)
    print(f"\nload test: {CLIENTS} clients, {REQUESTS} requests in {wall:.1f} s: {figures}")
    assert after - before < MAX_GROWTH_MB, figures
