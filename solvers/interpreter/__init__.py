"""The step-language interpreter: walks a checked `ast` tree; never calls exec, eval or compile.

Plain numbers are exact: float literals become Fractions, `/` on integers gives a Fraction, so 0.1 + 0.2
is 3/10. Every name, attribute and call is resolved through allow-lists, and every value that crosses into
SymPy or Z3 passes one gate. The package is split by wall, so each can be read on its own:
- `core`: the `Interpreter` (limits, dispatch) and the program's own functions (`UserFunction`);
- `statements`, `expressions`, `operators` (number semantics), `comparisons` (decisions and truth),
  `calls` (call dispatch and attributes);
- `gate`: THE value gate: what may cross into SymPy and Z3, callables wrapped, names checked, costly
  arguments bounded; read it to audit what a program can hand to a library;
- `builtins`, `mathlib`: the built-in functions and the `math` module; `allowlists`: the tables;
- `tracking`: what a program does with z3 (constraints, models, decisions on model values); `tags`: the
  mark a value read out of a model carries.
Runs in the worker only (imports sympy and z3).
"""
from solvers.interpreter.builtins import Builtin, FStr, Wrapped
from solvers.interpreter.core import Interpreter, UserFunction

__all__ = ["Interpreter", "UserFunction", "Builtin", "Wrapped", "FStr"]
