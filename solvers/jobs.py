"""What a job process does with a job: run the program with the solver it was routed to.

`run_job(job)` is the worker's default runner (`solvers.sandbox.pool.WorkerPool(runner=...)`). A job is
`{"job": id, "kind": "sympy" | "z3" | "math_verify", "source": text, "limits": {...}}`; the result is a
plain dict that `solvers.sandbox.replies.fit` caps before it leaves the process. Runs only inside a
confined job process (one per job, so a job that switches SymPy's parser back on affects no other).
"""
from __future__ import annotations

import time

from solvers.base import Limits


def run_job(job: dict) -> dict:
    import z3

    from solvers.program import result, run_plain
    from solvers.z3_checks import run_z3

    limits = Limits(**(job.get("limits") or {}))
    start = time.monotonic()
    deadline = start + limits.timeout_s
    z3.set_param("timeout", max(1, int(limits.timeout_s * 1000)))
    kind = job.get("kind")
    try:
        if kind == "z3":
            out = run_z3(job["source"], limits, deadline)
        elif kind == "math_verify":
            out = math_verify_job(job["source"])
        elif kind == "sympy":
            out = run_plain(job["source"], limits, deadline)
        else:
            out = result("error", message=f"unknown job kind {kind!r}")
    except MemoryError:
        out = result("error", message=f"memory limit exceeded ({limits.memory_mb} MB)")
    except RecursionError:
        out = result("error", message="recursion too deep")
    out["run_s"] = time.monotonic() - start
    return out


def math_verify_job(source: str) -> dict:
    """Math-Verify's verdict on {"gold", "prediction"} (JSON): value "True" / "False"; an error when
    undecided. Math-Verify parses text with SymPy, so this job process (and only it) switches the parser
    back on. Its signal-based timeouts are off (this runs in a worker thread); the job's deadline bounds it."""
    import json
    import logging

    from solvers import guards
    from solvers.program import result

    guards.allow_parsing()
    from math_verify import parse, verify

    logging.getLogger("math_verify").setLevel(logging.ERROR)  # its "timeout is disabled" warning: we bound it
    try:
        texts = json.loads(source)
        gold = parse(texts["gold"], parsing_timeout=None)
        if not gold:
            return result("error", message="math_verify: the gold answer does not parse")
        prediction = parse(texts["prediction"], parsing_timeout=None)
        verdict = bool(prediction) and verify(gold, prediction, timeout_seconds=None)
    except Exception as exc:  # noqa: BLE001 - undecided, not a crash
        return result("error", message=f"math_verify: {type(exc).__name__}: {exc}")
    return result("ok", value=str(bool(verdict)))


WARM_UP_SYMPY = (  # our own programs, of the kinds models write: the caches they fill serve every job
    "from sympy import *\nx, y = symbols('x y')\nsol = solve([Eq(x + y, 12), Eq(3*x - y, 4)], [x, y])\n"
    "answer = sol[x] * sol[y]",
    "from sympy import *\nx = symbols('x', positive=True)\nr = solve(Eq(x**2 + 3*x, 40), x)\nanswer = r[0]",
    "from sympy import symbols, Eq, solve\na, b, c = symbols('a b c')\n"
    "s = solve([Eq(a + b + c, 30), Eq(a - b, 4), Eq(c, 2*b)], (a, b, c), dict=True)\nanswer = s[0][a]",
    "from sympy import *\nx = symbols('x')\ne = simplify((x**2 - 1) / (x - 1))\n"
    "answer = expand((x + 2) * (x - 3)).subs(x, 5) + len(factor(x**2 - 9).args) + e.subs(x, 4)",
    "from sympy import *\nanswer = nsimplify(0.75) + Rational(7, 3) * 6 + floor(Rational(17, 4)) + "
    "ceiling(S(9) / 2) + sqrt(16) + N(pi, 10).round(2)",
    "from sympy import *\nx = symbols('x')\nanswer = linsolve([x + 1 - 5], [x])",
    "from sympy import Matrix\nanswer = Matrix([[2, 1], [1, 3]]).det()",
    "total = 0\nfor i in range(12):\n    total += i * 1.5\nprices = {'a': 3, 'b': 4.25}\n"
    "answer = round(total / 4 + sum(prices.values()) * 2, 2)",
)


WARM_UP_Z3 = (
    "from z3 import *\na, b, c, d = Ints('a b c d')\ns = Solver()\nfor v in (a, b, c, d):\n"
    "    s.add(v >= 1, v <= 4)\ns.add(Distinct(a, b, c, d), a < b, c == 1, d > b)\n"
    "options = {'A': a == 2, 'B': b == 2, 'C': d == 2}",
    "from z3 import *\nx, y = Ints('x y')\ns = Solver()\ns.add(x + y == 10, x - y == 2)\ns.check()\n"
    "m = s.model()\nanswer = m[x].as_long() * m[y].as_long()",
    "from z3 import *\np, q = Bools('p q')\ns = Solver()\ns.add(Implies(p, q), p)\nclaim = q",
    "from z3 import *\nx = Int('x')\no = Optimize()\no.add(x >= 3, x <= 9)\no.minimize(x)\no.check()\n"
    "answer = o.model()[x]",
)


def warm_up() -> None:
    """Run the interpreter and z3 on our own programs (in a worker, before any job), so that the job
    processes forked from it start with warm caches: each job starts from this state, not from the jobs
    before it. (z3 starts a helper thread on its first check, which is why a worker enters its namespaces
    before this; z3 starts its threads again after a fork, and its timeouts work in the job processes.)"""
    from solvers.program import run_plain
    from solvers.z3_checks import run_z3

    for run, sources in ((run_plain, WARM_UP_SYMPY), (run_z3, WARM_UP_Z3)):
        for source in sources:
            try:
                run(source, Limits(), time.monotonic() + 10)
            except Exception:  # noqa: BLE001 - a failed warm-up only costs speed
                pass


def touch() -> None:
    """Run a small program in a fresh job process before its job arrives: the pages every run writes
    (copied on write after the fork) are then copied while the process waits, not on the job's clock."""
    from solvers.program import run_plain

    for source in TOUCH:
        try:
            run_plain(source, Limits(), time.monotonic() + 10)
        except Exception:  # noqa: BLE001 - costs speed only
            pass


TOUCH = ("a = 16 - 3 - 4\nanswer = a * 2 / 3",)
