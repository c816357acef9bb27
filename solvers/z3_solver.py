"""The Z3 solver: runs a z3py-style program in a worker and checks what it found.

Besides the answer, it decides multiple-choice `options` and `claim`s by entailment, reports `unsat`
with the conflicting constraints' lines, and `ambiguous` when a model-derived answer is not unique
(see `solvers.z3_checks`, which runs in the worker; importing this module does not import z3).
"""
from __future__ import annotations

from solvers.sympy_solver import SympySolver


class Z3Solver(SympySolver):
    """Same protocol as SympySolver; the worker runs the z3 checks after the program."""

    name = "z3"
