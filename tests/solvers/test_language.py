"""Routing (`detect_solver`), extraction from model replies (`extract_program`) and the static check."""
import subprocess
import sys

import pytest

from solvers import detect_solver, extract_program, run_program
from solvers.base import Limits
from solvers.language import check_program

DETECT = [
    ("answer = 3 + 4", "sympy"),
    ("import sympy as sp\nx = sp.symbols('x')", "sympy"),
    ("from sympy import *\nx = Symbol('x')", "sympy"),
    ("from z3 import *\nx = Int('x')", "z3"),
    ("import z3\ns = z3.Solver()", "z3"),
    ("import sympy\nimport z3", "z3"),
    ("x = Int('x')\ns = Solver()\ns.add(x > 1)", "z3"),
    ("def solution():\n    return 5", "sympy"),
    ("", "none"),
    ("   \n  ", "none"),
    ("The answer is 42.", "none"),
    ("x = = 3", "none"),
    ("# just a comment", "none"),
    ("Solution:\n```python\nfrom z3 import *\nx = Int('x')\n```", "z3"),
    ("```output\n42\n```", "none"),
]


@pytest.mark.parametrize("source,expected", DETECT)
def test_detect_solver(source, expected):
    assert detect_solver(source) == expected


def test_detect_solver_never_raises():
    for bad in (None, 42, b"x = 1", "(" * 10000, "x" * 300000):
        assert detect_solver(bad) in ("sympy", "z3", "none")


TORA = """Let's solve this step by step.
```python
def solution():
    return 6 * 7

print(solution())
```
```output
41
```
The answer is 41."""

EXTRACT = [
    ("fenced", "Here:\n```python\nanswer = 1 + 1\n```\nDone.", "answer = 1 + 1"),
    ("tora_output_ignored", TORA, "def solution():\n    return 6 * 7\n\nprint(solution())"),
    ("unterminated_output", "```python\nanswer = 5\n```output\n6", "answer = 5"),
    ("unterminated_block", "```python\nx = 2\nanswer = x * 3", "x = 2\nanswer = x * 3"),
    ("last_block_wins", "```python\nanswer = 1\n```\nfix:\n```python\nanswer = 2\n```", "answer = 2"),
    ("bare_fence", "```\nanswer = 9\n```", "answer = 9"),
    ("py_tag", "```py\nanswer = 9\n```", "answer = 9"),
    ("unfenced_program", "x = 4\nanswer = x + 1", "x = 4\nanswer = x + 1"),
    ("prose_then_code", "Here is the code:\nx = 4\nanswer = x + 1", "x = 4\nanswer = x + 1"),
    ("code_then_prose", "x = 4\nanswer = x + 1\nThis gives 5.", "x = 4\nanswer = x + 1"),
    ("no_code", "The answer is 42.", None),
    ("empty", "", None),
    ("only_output_block", "```output\n42\n```", None),
]


@pytest.mark.parametrize("text,expected", [e[1:] for e in EXTRACT], ids=[e[0] for e in EXTRACT])
def test_extract_program(text, expected):
    assert extract_program(text) == expected


def test_extract_never_raises():
    for bad in (None, 3, ["x"], "```" * 1000, "\x00\x01", "```python\n" + "(" * 5000):
        extract_program(bad)


def test_run_program_accepts_a_fenced_reply():
    result = run_program(TORA)
    assert result.status == "ok" and result.value == "42"


STATIC = [
    ("answer = 1 +", "line 1: syntax error"),
    ("import os", "line 1: import of 'os' is not allowed"),
    ("x = 1\ny = x.__dict__", "line 2: attribute '__dict__'"),
    ("x = 1\n\nclass A:\n    pass", "line 3: class definitions not allowed"),
]


@pytest.mark.parametrize("source,prefix", STATIC)
def test_static_messages_name_the_line(source, prefix):
    checked = check_program(source, Limits())
    assert not checked.ok
    assert checked.error.startswith(prefix), checked.error


def test_runtime_messages_name_the_line():
    result = run_program("x = 1\ny = 2\nz = x / (y - 2)")
    assert result.status == "error" and result.message == "line 3: division by zero"
    result = run_program("a = 5\nb = foo + 1")
    assert result.message.startswith("line 2: name 'foo' is not defined")
    result = run_program("x = symbols('x')")
    assert "from sympy import symbols" in result.message


def test_importing_solvers_does_not_import_sympy_or_z3():
    code = ("import sys, solvers; from solvers import run_program, detect_solver, extract_program; "
            "print('sympy' in sys.modules, 'z3' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False False", out.stderr
