"""The operating-system walls around a solver worker, applied before its first job and then per job.

`confine_worker(paths, layers)` runs once in a worker process and returns which layers took hold (a layer
that the system does not offer is recorded as off, never fatal), in this order:
- `netns`: a new user and network namespace (only a down loopback inside: nothing to connect to); the
  kernel allows this only while the process has one thread, so the worker calls `enter_namespaces`
  first, before anything (z3's timers) starts a thread;
- `scratch_cwd`: the working directory is a private directory that is removed at once, so it is empty and
  nothing can be created in it;
- `rlimits`: RLIMIT_FSIZE 0 (no file grows by a byte), RLIMIT_CORE 0, RLIMIT_NOFILE small;
- `landlock`: reads only beneath the Python installation and the packages the worker imports, no writes,
  no TCP bind/connect, no signals or abstract sockets outside the worker (`solvers.sandbox.landlock`);
- `no_new_privs` and `seccomp`: no exec, sockets, file writes or cross-process access
  (`solvers.sandbox.syscalls`).
`confine_job()` runs in each job process after the fork, before its job arrives: the narrower seccomp
filter (no new processes, no signals) and death with the worker (PR_SET_PDEATHSIG); `limit_memory` then
sets RLIMIT_AS for the job's own memory limit.
"""
from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
import sysconfig
import tempfile

LAYERS = ("netns", "scratch_cwd", "rlimits", "landlock", "no_new_privs", "seccomp", "process_per_job")
_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000
_PR_SET_PDEATHSIG, _PR_SET_NO_NEW_PRIVS = 1, 38
MAX_OPEN_FILES = 64


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _os_error(what: str) -> OSError:
    err = ctypes.get_errno()
    return OSError(err, f"{what}: {os.strerror(err)}")


def read_paths(extra_modules: tuple[str, ...] = ()) -> list[str]:
    """What a worker must still read: the standard library, site-packages, system libraries, and the
    folders of the packages it imports (which may live outside site-packages, e.g. an editable install)."""
    paths = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    paths.update({sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix})
    paths = {p for p in paths if p and not _is_home_root(p)}
    for name in ("sympy", "mpmath", "z3", "solvers", "gmpy2", "math_verify", "latex2sympy2_extended",
                 "antlr4") + tuple(extra_modules):
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None)
        if path:
            paths.add(os.path.dirname(os.path.abspath(path)))
    # shared libraries that an extension module may load lazily, and the loader's cache
    paths.update({"/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib", "/etc/ld.so.cache"})
    return sorted(p for p in paths if os.path.exists(p))


def _is_home_root(path: str) -> bool:
    """A prefix that is the home folder itself (a Python installed straight into $HOME) grants too much."""
    home = os.path.expanduser("~")
    return os.path.abspath(path) in (home, "/", "/root")


def _netns() -> None:
    if _libc().unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
        raise _os_error("unshare(CLONE_NEWUSER|CLONE_NEWNET)")


def _rlimits() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, no signal
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    cap = MAX_OPEN_FILES if hard == resource.RLIM_INFINITY else min(MAX_OPEN_FILES, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (cap, cap))


def _scratch_cwd() -> None:
    path = tempfile.mkdtemp(prefix="hybrid-worker-")
    os.chdir(path)
    os.rmdir(path)


def _no_new_privs() -> None:
    if _libc().prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise _os_error("prctl(PR_SET_NO_NEW_PRIVS)")


def enter_namespaces(layers: tuple[str, ...] = LAYERS) -> dict[str, str]:
    """The `netns` layer alone (call it while the process is single-threaded)."""
    return _apply({"netns": _netns}, layers)


def compile_job_filter(layers: tuple[str, ...] = LAYERS) -> bytes | None:
    """The job processes' seccomp filter, compiled (None when seccomp is off or unavailable)."""
    if "seccomp" not in layers or sys.platform != "linux":
        return None
    try:
        from solvers.sandbox import syscalls
        return syscalls.job_filter()
    except Exception:  # noqa: BLE001 - reported through the worker's own seccomp layer
        return None


def confine_worker(paths: list[str], layers: tuple[str, ...] = LAYERS) -> dict[str, str]:
    """Apply the other worker layers named in `layers`, in order; returns {layer: "on" | "off: why"}."""
    from solvers.sandbox import landlock, syscalls

    steps = {"scratch_cwd": _scratch_cwd, "rlimits": _rlimits,
             "landlock": lambda: f"on (ABI {landlock.restrict(paths)})", "no_new_privs": _no_new_privs,
             "seccomp": syscalls.confine_worker}
    status = _apply(steps, layers)
    status["process_per_job"] = "on" if "process_per_job" in layers else "off: not requested"
    return status


def _apply(steps: dict, layers: tuple[str, ...]) -> dict[str, str]:
    status: dict[str, str] = {}
    for name in steps:
        if name not in layers:
            status[name] = "off: not requested"
            continue
        try:
            if sys.platform != "linux":
                raise OSError(f"needs Linux, this is {sys.platform}")
            note = steps[name]()
            status[name] = note if isinstance(note, str) else "on"
        except Exception as exc:  # noqa: BLE001 - a missing layer is reported, never fatal
            status[name] = f"off: {type(exc).__name__}: {exc}"[:160]
    return status


def confine_job(job_filter: bytes | None, worker_pid: int) -> None:
    """In a job process just forked from the worker: die with it, and narrow the filter."""
    _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != worker_pid:  # the worker died before the line above: do not wait for a job
        os._exit(0)
    if job_filter:
        from solvers.sandbox import syscalls
        syscalls.load(job_filter)


def limit_memory(memory_bytes: int) -> None:
    """RLIMIT_AS for one job (lowered only: the hard limit stays where the worker had it)."""
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    soft = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def all_on(status: dict[str, str]) -> bool:
    return all(v.startswith("on") for v in status.values())


def summary(status: dict[str, str]) -> str:
    """One line: 'netns on, landlock on (ABI 7), seccomp off (...)'."""
    return ", ".join(f"{k} {v}" for k, v in status.items())
