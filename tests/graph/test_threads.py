"""Parsing in the engine's threads: one question per thread parses programs at the same moment.

CPython 3.11's ast.parse is not thread-safe: a thread switch while it builds the tree (a finalizer run by
the garbage collector is enough) corrupts a shared counter and raises "SystemError: AST constructor
recursion depth mismatch" (gh-106905). Extraction then returned None and a good program went to the
fallback, about one run in four of the fast suite. Every in-process parse holds one lock
(`solvers.language.PARSE_LOCK`); without it this test fails.
"""
from __future__ import annotations

import gc
import threading

from hybrid.stated_facts import keep_stated_facts
from hybrid.steps import program_in

PROGRAM = "\n".join(f"x{i} = ((({i} + 1) * 2) - (3 / (4 + {i})))" for i in range(60)) + "\nanswer = x59"
FACTS_PROGRAM = "from z3 import *\nsolver = Solver()\n# 1. A is left.\nsolver.add(Bool('a'))\n# 2. B is left.\nsolver.add(Bool('b'))"


class Finalized:
    """Garbage whose finalizer runs Python code, so the collector can switch threads inside a parse."""

    def __del__(self):
        for _ in range(50):
            pass


def test_concurrent_parses_never_fail():
    wrong: list[object] = []
    old = gc.get_threshold()
    gc.set_threshold(50, 1, 1)

    def work(index: int) -> None:
        for _ in range(100):
            if index % 2:
                got = program_in(f"```python\n{PROGRAM}\n```")
                if got != PROGRAM:
                    wrong.append(got)
            else:
                kept = keep_stated_facts(FACTS_PROGRAM, ["A is left."])
                if kept.dropped != ("B is left.",):
                    wrong.append(kept)
            for item in [Finalized() for _ in range(3)]:
                item.cycle = item

    try:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        gc.set_threshold(*old)
    assert wrong == []
