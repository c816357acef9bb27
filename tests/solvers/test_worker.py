"""Isolation: the caller survives worker crashes, timeouts stop runaway work, the pool is thread-safe."""
import os
import signal
import threading
import time

import pytest

from solvers import run_program
from solvers.base import Limits
from solvers.sandbox.pool import WorkerPool


@pytest.fixture
def pool():
    p = WorkerPool(size=1)
    yield p
    p.close()


def test_caller_survives_a_worker_crash(pool):
    pool.warm()
    [pid] = pool.pids()
    box = {}
    limits = Limits(timeout_s=30, max_loop_iterations=10 ** 9)
    thread = threading.Thread(target=lambda: box.setdefault("out", pool.run("sympy", "while True:\n    pass",
                                                                             limits)))
    thread.start()
    time.sleep(0.5)
    os.kill(pid, signal.SIGKILL)
    thread.join(10)
    assert not thread.is_alive()
    assert box["out"]["status"] == "error" and "died" in box["out"]["message"]
    again = pool.run("sympy", "answer = 40 + 2", Limits())
    assert again["status"] == "ok" and again["value"] == "42"
    assert pool.pids() and pool.pids() != [pid]


def test_a_worker_gone_before_the_job_reached_it_costs_the_program_nothing(pool, monkeypatch):
    from solvers.sandbox.connection import WorkerConnection

    pool.warm()
    [pid] = pool.pids()
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.3)
    # as if the kill came between the pool's liveness check and the send: the channel is closed, the job
    # never reaches the worker, and the pool hands it to a fresh one within the same deadline
    monkeypatch.setattr(WorkerConnection, "alive", property(lambda self: True))
    out = pool.run("sympy", "answer = 40 + 2", Limits(timeout_s=60))
    assert out["status"] == "ok" and out["value"] == "42"
    assert pool.pids() and pool.pids() != [pid]


def test_workers_are_reused(pool):
    pool.run("sympy", "answer = 1", Limits())
    first = pool.pids()
    for _ in range(3):
        assert pool.run("sympy", "answer = 2", Limits())["value"] == "2"
    assert pool.pids() == first


def test_timeout_kills_uninterruptible_work_and_recovers(pool):
    pool.warm()
    [pid] = pool.pids()
    started = time.monotonic()
    out = pool.run("sympy", "from sympy import *\nx, y = symbols('x y')\nanswer = expand((x + y + 1) ** 3000)",
                   Limits(timeout_s=1.0))
    assert out["status"] == "timeout"
    assert time.monotonic() - started < 4
    assert pool.run("sympy", "answer = 5", Limits())["value"] == "5"
    assert pool.pids() == [pid]  # the job's own process was killed; the worker, which never ran it, stays


def test_internal_timeout_keeps_the_worker(pool):
    pool.warm()
    [pid] = pool.pids()
    out = pool.run("sympy", "while True:\n    pass", Limits(timeout_s=0.5, max_loop_iterations=10 ** 9))
    assert out["status"] == "timeout" and "timed out" in out["message"]
    assert pool.pids() == [pid]


def test_many_threads_share_the_default_pool():
    results = {}

    def work(i):
        results[i] = run_program(f"answer = {i} * 3")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(results[i].status == "ok" and results[i].value == str(i * 3) for i in range(12))


def test_z3_timeout_is_a_result():
    src = ("from z3 import *\nx, y, z = Ints('x y z')\ns = Solver()\n"
           "s.add(x > 1, y > 1, z > 1, x ** 3 + y ** 3 == z ** 3, x * y * z > 10 ** 6)\nprint(s.check())")
    started = time.monotonic()
    result = run_program(src, timeout_s=1.0)
    assert result.status == "timeout"
    assert time.monotonic() - started < 4


def test_workers_do_not_rerun_the_callers_main_script(tmp_path):
    """An unguarded script (or one fed on stdin) must not be re-executed inside the workers."""
    import subprocess
    import sys
    script = ("import sys\nsys.path.insert(0, %r)\nprint('MAIN RAN', flush=True)\n"
              "from solvers import run_program\nprint(run_program('answer = 2 * 21').value)\n"
              % os.getcwd())
    path = tmp_path / "unguarded.py"
    path.write_text(script)
    for args, stdin in (([str(path)], None), (["-"], script)):
        out = subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True, timeout=120)
        assert out.stdout.split() == ["MAIN", "RAN", "42"], (out.stdout, out.stderr[-500:])


def test_a_forked_caller_gets_its_own_pool():
    import multiprocessing as mp
    assert run_program("answer = 1").value == "1"  # parent pool exists
    ctx = mp.get_context("fork")
    queue = ctx.Queue()

    def child(q):
        q.put(run_program("answer = 20 + 1").value)

    proc = ctx.Process(target=child, args=(queue,))
    proc.start()
    value = queue.get(timeout=60)
    proc.join(30)
    assert value == "21"
    assert run_program("answer = 2").value == "2"  # parent pool still fine
