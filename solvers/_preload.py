"""Imported once by the worker forkserver, so every forked worker starts with sympy, z3, the interpreter
and the sandbox's own modules loaded (and libseccomp mapped) before any confinement."""
import sympy  # noqa: F401
import z3  # noqa: F401

import solvers.guards

solvers.guards.build_lazy_tables()  # SymPy's lazily built tables, once here for every worker
import solvers.jobs  # noqa: F401
import solvers.program  # noqa: F401
import solvers.sandbox.confine  # noqa: F401
import solvers.sandbox.landlock  # noqa: F401
import solvers.sandbox.syscalls  # noqa: F401
import solvers.sandbox.worker  # noqa: F401
import solvers.z3_checks  # noqa: F401

try:
    import pyseccomp  # noqa: F401
except (ImportError, RuntimeError, OSError):  # no libseccomp: the worker reports seccomp as off
    pass
