"""The worker process: confined once, then one fresh forked process per job, so no job sees another's state.

Life of a worker (started by `solvers.sandbox.pool` from a forkserver that has sympy and z3 imported):
1. The environment is emptied, standard streams go to /dev/null, and every inherited descriptor but the
   caller's channel is closed.
2. SymPy's string parser is switched off and its evaluation bounds installed (`solvers.guards`).
3. The namespaces first (the kernel wants a single thread), then a short warm-up on our own programs, so
   that job processes inherit warm caches, then the other OS layers (`solvers.sandbox.confine.confine_worker`) and the worker says hello with the
   layers that took hold.
4. For each job: a job process forked in advance receives the job on its own pipe, narrows its own
   confinement (`confine_job`), runs the job in a thread with a large stack, writes one capped JSON reply
   (`solvers.sandbox.replies.fit`) and exits. The worker never runs a program itself: it relays at most
   `MAX_REPLY_BYTES` of the reply, kills the job process at the job's deadline (a `timeout` reply) or
   reports how it died, then forks the next one. A program that poisons its process poisons nothing else.
"""
from __future__ import annotations

import gc
import importlib
import json
import os
import signal
import sys
import threading
import time

from solvers.sandbox import channel
from solvers.sandbox.replies import MAX_REPLY_BYTES, clip_message, fit

GRACE_S = 0.5  # past a job's deadline, the worker kills its process
STACK_BYTES = 256 * 1024 * 1024
MAX_JOB_BYTES = 4 * 1024 * 1024


def _vm_size_bytes() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _quiet_streams() -> None:
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    if null > 2:
        os.close(null)


def _close_all_but(keep: set[int]) -> None:
    top = 4096
    start = 3
    for fd in sorted(k for k in keep if k >= 3) + [top]:
        if fd > start:
            os.closerange(start, fd)
        start = fd + 1


def worker_main(sock, config: dict) -> None:
    """Entry point of a worker process (never returns)."""
    try:
        fd = sock.detach()
        os.environ.clear()  # the caller's environment (API keys among it) is none of a program's business
        _quiet_streams()
        _close_all_but({fd})
        _serve(fd, config)
    finally:
        os._exit(0)


def _serve(fd: int, config: dict) -> None:
    from solvers import guards
    from solvers.jobs import warm_up
    from solvers.sandbox.confine import compile_job_filter, confine_worker, enter_namespaces, read_paths

    runner = config["runner"]
    for module in config.get("preload", ()):  # e.g. math_verify for a pool that checks answers
        importlib.import_module(module)
    guards.install()
    layers = enter_namespaces(config["layers"])
    warm_up()  # our own programs, so that every job process starts warm (it starts no thread)
    memory_base = _vm_size_bytes() + STACK_BYTES  # /proc is out of reach once confined
    job_filter = compile_job_filter(config["layers"])
    layers.update(confine_worker(read_paths(config.get("read_modules", ())), config["layers"]))
    if not layers.get("seccomp", "").startswith("on"):
        job_filter = None
    gc.collect()
    gc.freeze()  # the job processes' collections then leave the worker's objects (and their pages) alone
    channel.send(fd, b"H", {"ready": True, "pid": os.getpid(), "layers": layers})
    per_job = "process_per_job" in config["layers"]
    spare = _fork_job_process(runner, memory_base, job_filter) if per_job else None
    dying: list[int] = []
    while True:
        try:
            _kind, payload = channel.recv(fd, None, MAX_JOB_BYTES)
            job = json.loads(payload)
        except (channel.ChannelError, ValueError):
            return  # the caller closed the channel (or is gone)
        if not isinstance(job, dict) or job.get("stop"):
            return
        if spare is None:  # in-process mode, for measuring what a fork per job costs
            channel.write_all(fd, channel.encode(b"R", json.dumps(_run_here(runner, job)).encode()))
            continue
        started = time.monotonic()
        reply, own = _run_in(spare, job)
        _kill(spare[0])
        if reply is None:  # no reply: wait for the process to find out how it died
            own = own or {"status": "error", "message": _death(_reap(spare[0]))}
            own["run_s"] = time.monotonic() - started
            reply = json.dumps(fit(own, str(job.get("job")))).encode()
        else:
            dying.append(spare[0])  # reaped later: its teardown is off the caller's clock
        channel.write_all(fd, channel.encode(b"R", reply))
        spare = _fork_job_process(runner, memory_base, job_filter)
        dying = [pid for pid in dying if not _reaped(pid)]


def _fork_job_process(runner, memory_base: int, job_filter: bytes | None) -> tuple[int, int, int]:
    job_r, job_w = os.pipe()
    result_r, result_w = os.pipe()
    worker_pid = os.getpid()
    pid = os.fork()
    if pid == 0:  # the job process
        try:
            _close_all_but({job_r, result_w})
            _job_process(job_r, result_w, runner, memory_base, job_filter, worker_pid)
        finally:
            os._exit(0)
    os.close(job_r)
    os.close(result_w)
    return pid, job_w, result_r


def _job_process(job_r: int, result_w: int, runner, memory_base: int, job_filter: bytes | None,
                 worker_pid: int) -> None:
    """A spare job process: it confines itself and starts its big-stack thread *before* the job arrives,
    so that the job's own latency is only the hand-over and the run."""
    from solvers.sandbox.confine import confine_job, limit_memory

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    confine_job(job_filter, worker_pid)

    def work():
        from solvers.jobs import touch

        touch()  # page in (copy on write) what every job touches, before the job's clock starts
        data = channel.read_until_eof(job_r, time.monotonic() + 86_400, MAX_JOB_BYTES)
        if not data:
            return  # the worker closed without a job (it is stopping)
        job = json.loads(data)
        memory_mb = (job.get("limits") or {}).get("memory_mb") or 0
        if memory_mb:
            limit_memory(memory_base + memory_mb * 1024 * 1024)
        reply = _run_here(runner, job)
        channel.write_all(result_w, json.dumps(reply, ensure_ascii=True).encode("ascii"))
        os.close(result_w)  # the end of the reply now, not when the exit has unmapped this process

    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=work, name="job")
    thread.start()
    thread.join()


def _run_here(runner, job: dict) -> dict:
    sys.setrecursionlimit(30_000)
    try:
        out = runner(job)
    except MemoryError:
        out = {"status": "error", "message": "memory limit exceeded"}
    except BaseException as exc:  # noqa: BLE001 - report, never die silently
        out = {"status": "error", "message": f"internal error: {type(exc).__name__}: {exc}"}
    try:
        return fit(out if isinstance(out, dict) else {"status": "error", "message": "no result"},
                   str(job.get("job")))
    except Exception as exc:  # noqa: BLE001 - e.g. a value whose str() fails
        return fit({"status": "error", "message": f"unreportable result: {type(exc).__name__}"},
                   str(job.get("job")))


def _run_in(spare: tuple[int, int, int], job: dict) -> tuple[bytes | None, dict | None]:
    """Hand `job` to the waiting job process: (its reply bytes, or None; the worker's own report when the
    job process missed its deadline or sent too much)."""
    _pid, job_w, result_r = spare
    started = time.monotonic()
    timeout_s = float((job.get("limits") or {}).get("timeout_s") or 5.0)
    try:
        channel.write_all(job_w, json.dumps(job).encode(), started + GRACE_S + timeout_s)
        os.close(job_w)
        job_w = -1
        return channel.read_until_eof(result_r, started + timeout_s + GRACE_S, MAX_REPLY_BYTES) or None, None
    except channel.Timeout:
        return None, {"status": "timeout", "message": f"timed out after {timeout_s:g}s (job process stopped)"}
    except channel.ChannelError as exc:
        return None, {"status": "error", "message": f"the job's reply was refused: {exc}"}
    finally:
        if job_w >= 0:
            os.close(job_w)
        os.close(result_r)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(pid: int) -> int:
    """Wait for a (killed) job process; its wait status."""
    return os.waitpid(pid, 0)[1]


def _reaped(pid: int) -> bool:
    try:
        return os.waitpid(pid, os.WNOHANG)[0] == pid
    except ChildProcessError:
        return True


def _death(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals.__members__.values() else str(sig)
        why = "memory limit or a crash" if sig in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT) else "a signal"
        return clip_message(f"solver process died ({name}: {why}); the program may use too much memory")
    return clip_message(f"solver process exited (code {os.WEXITSTATUS(status)}) without a result")
