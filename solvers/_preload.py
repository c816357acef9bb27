"""Imported once by the worker forkserver, so every forked worker starts with sympy and z3 loaded."""
import sympy  # noqa: F401
import z3  # noqa: F401

import solvers.program  # noqa: F401
import solvers.z3_checks  # noqa: F401
