"""Test-only hooks for the sandbox: a runner that really runs Python inside a confined job process, and
workers that break the protocol. Nothing here is reachable from a program or from `run_program`: a test
passes these functions to its own `WorkerPool(runner=...)` or `WorkerPool(target=...)`.
"""
from __future__ import annotations

import json
import os
import pickle
import time
import traceback

POISONED = False  # set by a job that tries to poison its process; the next job must not see it


def exec_runner(job: dict) -> dict:
    """Run job["source"] as Python (this is the point: an interpreter escape, simulated) and report."""
    scope: dict = {"outcome": None}
    try:
        exec(job["source"], scope)  # noqa: S102 - test hook: the sandbox must hold even against exec
        outcome = {"ok": True, "value": repr(scope.get("outcome"))[:500]}
    except BaseException as exc:  # noqa: BLE001 - every failure is the report
        outcome = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300],
                   "where": traceback.format_exc(limit=2)[-300:]}
    return {"status": "ok", "value": json.dumps(outcome)}


def poison_runner(job: dict) -> dict:
    """Report whether an earlier job's poison is visible, then poison this process (as the payload in the
    issue did: every later `3 + 4` gave 42)."""
    global POISONED
    import sympy
    seen = POISONED or sympy.Integer(3) + 4 != 7
    POISONED = True
    sympy.Integer.__add__ = lambda a, b: sympy.Integer(42)
    return {"status": "ok", "value": "poisoned-before" if seen else "clean"}


# --------------------------------------------------------------------------- protocol-breaking workers
# Each is a `target` for WorkerPool: it receives (sock, config) and speaks (or breaks) the frame protocol.

def _hello(fd: int) -> None:
    from solvers.sandbox import channel
    channel.send(fd, b"H", {"ready": True, "pid": os.getpid(), "layers": {"fake": "on"}})


def _serve(sock, answer) -> None:
    """Answer each job with `answer(job)` (raw bytes, already framed or not) until the caller closes."""
    from solvers.sandbox import channel
    fd = sock.detach()
    _hello(fd)
    while True:
        try:
            _kind, payload = channel.recv(fd, None, 1 << 22)
        except channel.ChannelError:
            os._exit(0)
        job = json.loads(payload)
        if job.get("stop"):
            os._exit(0)
        try:
            os.write(fd, answer(job))
        except OSError:
            os._exit(0)


def _frame(payload: bytes) -> bytes:
    from solvers.sandbox import channel
    return channel.encode(b"R", payload)


def _reply(job: dict, **fields) -> bytes:
    base = {"job": job["job"], "status": "ok", "value": "42", "message": "", "number": 42.0, "printed": [],
            "details": {}, "run_s": 0.001}
    base.update(fields)
    return _frame(json.dumps(base).encode())


class _Payload:
    def __reduce__(self):
        return (os.system, (f"touch {os.environ.get('HYBRID_PROBE_MARKER', '/tmp/hybrid-probe-pickle')}",))


def garbage_worker(sock, config):
    _serve(sock, lambda job: _frame(b"\x00not json at all\xff"))


def pickle_worker(sock, config):
    _serve(sock, lambda job: _frame(pickle.dumps(_Payload())))


def other_job_worker(sock, config):
    _serve(sock, lambda job: _reply(dict(job, job="0123456789abcdef")))


def stale_worker(sock, config):
    """Answers every job twice: the second reply would be taken for the next job's if ids were not checked."""
    _serve(sock, lambda job: _reply(job, value="right") + _reply(job, value="stale"))


def huge_worker(sock, config):
    """Announces a 100 MB reply and starts streaming it."""
    def answer(job):
        import struct
        return struct.pack(">IB", 100 * 1024 * 1024, ord("R")) + b"x" * (1 << 20)
    _serve(sock, answer)


def wrong_types_worker(sock, config):
    _serve(sock, lambda job: _reply(job, value=12, printed="not a list"))


def oversized_value_worker(sock, config):
    _serve(sock, lambda job: _reply(job, value="9" * 5000))


def surrogate_worker(sock, config):
    _serve(sock, lambda job: _frame(('{"job": "%s", "status": "ok", "value": "\\ud800x", "message": "",'
                                     ' "number": null, "printed": ["\\udfff"], "details": {},'
                                     ' "run_s": 0}' % job["job"]).encode()))


def silent_worker(sock, config):
    _serve(sock, lambda job: time.sleep(3600) or b"")


def drip_worker(sock, config):
    """Announces a 100-byte reply, then sends it one byte every 0.2 s (a reader without a deadline hangs)."""
    import struct

    from solvers.sandbox import channel
    fd = sock.detach()
    _hello(fd)
    channel.recv(fd, None, 1 << 22)
    os.write(fd, struct.pack(">IB", 100, ord("R")))
    for _ in range(100):
        time.sleep(0.2)
        os.write(fd, b" ")
    time.sleep(3600)


def bad_hello_worker(sock, config):
    fd = sock.detach()
    os.write(fd, b"\x00\x00\x00\x05Hhello")
    time.sleep(3600)
