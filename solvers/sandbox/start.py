"""Starting worker processes: from a forkserver that has sympy, z3 and the sandbox imported (spawn where
there is none), without re-running the caller's `__main__` in them.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing import context as mp_context

_PATCH_LOCK = threading.Lock()


def _popen_without_main(popen_cls, process_obj):
    """Start a process without re-running the caller's __main__ in it.

    spawn/forkserver children normally re-import the parent's main script (as __mp_main__): that fails for
    `python - < file` and would re-run an unguarded script, or import torch, in every worker. Workers need
    nothing from __main__, so the main-module entries are dropped from the preparation data.
    """
    from multiprocessing import spawn

    original = spawn.get_preparation_data
    me = threading.get_ident()

    def without_main(name):
        data = original(name)
        if threading.get_ident() == me:
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    with _PATCH_LOCK:
        spawn.get_preparation_data = without_main
        try:
            return popen_cls(process_obj)
        finally:
            spawn.get_preparation_data = original


class _ForkServerProcess(mp_context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        from multiprocessing.popen_forkserver import Popen
        return _popen_without_main(Popen, process_obj)


class _SpawnProcess(mp_context.SpawnProcess):
    @staticmethod
    def _Popen(process_obj):
        from multiprocessing.popen_spawn_posix import Popen
        return _popen_without_main(Popen, process_obj)


def context(start_method: str | None):
    """(context, Process class) for the start method (forkserver by default; spawn as fallback)."""
    method = start_method or os.environ.get("HYBRID_SOLVER_START") or "forkserver"
    if method not in ("forkserver", "spawn") or method not in multiprocessing.get_all_start_methods():
        method = "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        try:
            ctx.set_forkserver_preload(["solvers._preload"])
        except Exception:  # noqa: BLE001 - preload is an optimisation only
            pass
    return ctx, (_ForkServerProcess if method == "forkserver" else _SpawnProcess)
