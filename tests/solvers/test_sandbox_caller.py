"""The caller trusts nothing a worker sends, and every limit holds on the caller's own clock.

Workers that break the protocol (`sandbox_probe`): garbage, a pickle that would run a command if it were
unpickled, a reply for another job, a stale second reply, a 100 MB reply, wrong types, a value over its
cap, lone surrogates, silence, a reply dripped one byte at a time. Each gives a clean result in bounded
time, and the worker that sent it is replaced, never reused."""
import os
import threading
import time

import pytest

import sandbox_probe
from solvers import run_program
from solvers.base import Limits
from solvers.sandbox.pool import WorkerPool

MARKER = "/tmp/hybrid-probe-pickle-marker"


def _pool(target):
    pool = WorkerPool(size=1, target=target)
    pool.warm()
    return pool


@pytest.mark.parametrize("target,needle", [
    (sandbox_probe.garbage_worker, "not JSON"),
    (sandbox_probe.pickle_worker, "not JSON"),
    (sandbox_probe.other_job_worker, "another job"),
    (sandbox_probe.wrong_types_worker, "wrong type"),
    (sandbox_probe.oversized_value_worker, "over the limit"),
    (sandbox_probe.huge_worker, "over the"),
])
def test_a_bad_reply_is_refused_and_its_worker_replaced(target, needle, monkeypatch):
    monkeypatch.setenv("HYBRID_PROBE_MARKER", MARKER)
    pool = _pool(target)
    try:
        [pid] = pool.pids()
        started = time.monotonic()
        out = pool.run("sympy", "answer = 3 + 4", Limits(timeout_s=2))
        assert time.monotonic() - started < 2
        assert out["status"] == "error" and out["value"] is None, out
        assert needle in out["message"] and "replaced" in out["message"], out
        assert pid not in pool.pids()
        assert not os.path.exists(MARKER)  # the pickle was never unpickled
    finally:
        pool.close()


def test_a_stale_reply_is_never_taken_for_the_next_job():
    pool = _pool(sandbox_probe.stale_worker)
    try:
        first = pool.run("sympy", "answer = 1", Limits(timeout_s=2))
        assert first["status"] == "ok" and first["value"] == "right"
        second = pool.run("sympy", "answer = 2", Limits(timeout_s=2))
        assert second["value"] != "stale"
        assert second["status"] == "error" and "another job" in second["message"]
    finally:
        pool.close()


def test_unencodable_text_is_cleaned_before_it_leaves():
    pool = _pool(sandbox_probe.surrogate_worker)
    try:
        out = pool.run("sympy", "answer = 1", Limits(timeout_s=2))
        assert out["status"] == "ok"
        out["value"].encode("utf-8")
        out["printed"][0].encode("utf-8")
        assert out["value"] == "\\ud800x"
    finally:
        pool.close()


@pytest.mark.parametrize("target", [sandbox_probe.silent_worker, sandbox_probe.drip_worker])
def test_a_worker_that_stalls_is_killed_on_the_callers_clock(target):
    pool = _pool(target)
    try:
        [pid] = pool.pids()
        started = time.monotonic()
        out = pool.run("sympy", "answer = 1", Limits(timeout_s=1))
        assert out["status"] == "timeout"
        assert time.monotonic() - started < 3.5
        assert pid not in pool.pids()
    finally:
        pool.close()


def test_a_worker_that_cannot_say_hello_is_an_error_not_a_hang(monkeypatch):
    monkeypatch.setattr("solvers.sandbox.pool.START_TIMEOUT_S", 2.0)
    pool = WorkerPool(size=1, target=sandbox_probe.bad_hello_worker)
    try:
        out = pool.run("sympy", "answer = 1", Limits(timeout_s=1))
        assert out["status"] == "error" and "start" in out["message"]
    finally:
        pool.close()


def test_a_huge_reply_is_refused_before_anything_reads_it():
    reply = "x = 1\n" * 1_000_000
    started = time.monotonic()
    result = run_program(reply, timeout_s=1)
    assert time.monotonic() - started < 0.5
    assert result.status == "error" and "too long" in result.message
    fenced = "Here is the program:\n```python\n" + "x = 1\n" * 100_000 + "answer = x\n```\n"
    started = time.monotonic()
    assert run_program(fenced, timeout_s=1).status == "error"
    assert time.monotonic() - started < 0.5


def test_a_busy_pool_answers_timeout_on_time():
    pool = WorkerPool(size=1)
    try:
        pool.warm()
        slow = Limits(timeout_s=2.5, max_loop_iterations=10 ** 9)
        holder = threading.Thread(target=pool.run, args=("sympy", "while True:\n    pass", slow))
        holder.start()
        time.sleep(0.3)
        started = time.monotonic()
        out = pool.run("sympy", "answer = 3 + 4", Limits(timeout_s=1))
        assert out["status"] == "timeout" and "busy" in out["message"]
        assert time.monotonic() - started < 1.5
        holder.join(10)
    finally:
        pool.close()


def test_run_program_with_both_default_workers_busy_is_bounded_too():
    slow = "while True:\n    pass"
    limits = Limits(timeout_s=2.5, max_loop_iterations=10 ** 9)
    holders = [threading.Thread(target=run_program, args=(slow,), kwargs={"limits": limits}) for _ in range(2)]
    for t in holders:
        t.start()
    time.sleep(0.5)
    started = time.monotonic()
    result = run_program("answer = 3 + 4", timeout_s=1)
    assert time.monotonic() - started < 1.6
    assert result.status in ("timeout", "ok")  # ok only if a third worker was free
    for t in holders:
        t.join(10)
    assert run_program("answer = 3 + 4").value == "7"


def test_caps_on_what_a_real_worker_sends():
    big = ("from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x == 1)\n"
           "options = {('A' * 99000) + str(i): x == 1 for i in range(600)}")
    result = run_program(big, timeout_s=5)
    assert len(result.message) <= 200
    assert len(repr(result.details)) < 20_000
    printed = run_program("for i in range(5000):\n    print('y' * 1000)\nanswer = 1", timeout_s=5)
    assert sum(len(line) for line in printed.printed) <= 20_000
