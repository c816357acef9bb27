"""A program's named scalars come back in `SolverResult.values`, and the caller refuses malformed ones.

The worker keeps module-level numbers, rationals, text and truth values (sympy and z3 values turned into
them), marks the names that hold the value the run reported (the one a z3 run checks unique), and
leaves out everything else; `replies.check` refuses a reply
whose `values` break the schema (a bad name, an unknown kind, text that does not spell its kind)."""
import json

import pytest

from solvers import run_program
from solvers.named_values import good_entry, good_name, typed
from solvers.sandbox.replies import InvalidReply, check, fit


def test_plain_program_values_come_back_typed():
    r = run_program("a = 3\nb = a / 4\nc = 'red'\nd = a > 2\nitems = [1, 2]\n_hidden = 5\nanswer = a * 2")
    assert r.status == "ok" and r.value == "6"
    assert r.values == {"a": ["int", "3", False], "b": ["rational", "3/4", False], "c": ["str", "red", False],
                        "d": ["bool", "True", False], "answer": ["int", "6", True]}


def test_sympy_numbers_are_carried_as_plain_kinds():
    r = run_program("from sympy import *\nx = symbols('x')\nsol = solve(Eq(3*x, 7), x)\nv = sol[0]\n"
                    "w = Integer(4)\nanswer = v + w")
    assert r.status == "ok"
    assert r.values["v"] == ["rational", "7/3", False]
    assert r.values["w"] == ["int", "4", False]
    assert "x" not in r.values and "sol" not in r.values  # a symbol and a list are not scalars


def test_only_the_reported_z3_value_is_marked_reported():
    program = ("from z3 import *\na, b = Ints('a b')\ns = Solver()\ns.add(a >= 1, a <= 2, b >= 1, b <= 2, a != b, "
               "a < b)\ns.check()\nm = s.model()\nfirst = m[a].as_long()\nsecond = m[b].as_long()\nprint(first)")
    r = run_program(program, solver="z3")
    assert r.status == "ok" and r.value == "1"
    assert r.values["first"] == ["int", "1", True]
    assert r.values["second"] == ["int", "2", False]
    assert "s" not in r.values and "m" not in r.values and "a" not in r.values


def test_each_part_of_a_reported_tuple_is_marked_reported():
    program = ("from z3 import *\na, b, c = Ints('a b c')\ns = Solver()\nfor v in (a, b, c):\n    s.add(v >= 1, v <= 3)\n"
               "s.add(Distinct(a, b, c), a < b, b < c)\ns.check()\nm = s.model()\nx = m[a].as_long()\n"
               "y = m[c].as_long()\nz = m[b].as_long()\nprint((x, y))")
    r = run_program(program, solver="z3")
    assert r.status == "ok" and r.value == "[1, 3]"
    assert r.values["x"][2] and r.values["y"][2] and not r.values["z"][2]


def test_a_failed_run_carries_no_values():
    r = run_program("a = 3\nanswer = a / 0")
    assert r.status == "error" and r.values == {}


@pytest.mark.parametrize("entry,ok", [
    (["int", "12", False], True), (["int", "-3", True], True), (["int", "1e5", False], False),
    (["int", "12 + 1", False], False), (["rational", "3/4", False], True), (["rational", "4/1", False], False),
    (["rational", "3/0", False], False), (["rational", "x/4", False], False), (["float", "0.25", False], True),
    (["float", "__import__('os')", False], False), (["bool", "True", False], True), (["bool", "1", False], False),
    (["str", "red", False], True), (["str", "x" * 201, False], False), (["str", "\ud800x", False], False), (["list", "[1]", False], False),
    (["int", "12"], False), (["int", 12, False], False), (["int", "12", "no"], False), ("int 12", False),
])
def test_entries_are_checked_strictly(entry, ok):
    assert good_entry(entry) is ok


@pytest.mark.parametrize("name,ok", [("prize", True), ("second_place", True), ("_x", False), ("for", False),
                                     ("a b", False), ("é", False), ("x" * 65, False), (3, False)])
def test_names_are_identifiers(name, ok):
    assert good_name(name) is ok


def _reply(values) -> bytes:
    return json.dumps({"job": "j1", "status": "ok", "value": "1", "message": "", "number": 1.0, "printed": [],
                       "details": {}, "values": values, "run_s": 0.0}).encode()


def test_the_caller_takes_well_formed_values():
    assert check(_reply({"n": ["int", "5", False]}), "j1")["values"] == {"n": ["int", "5", False]}


@pytest.mark.parametrize("values", [
    {"n": ["int", "5 + 1", False]}, {"import os": ["int", "5", False]}, {"n": ["code", "5", False]},
    {"n": "5"}, [["n", "int", "5"]], {f"v{i}": ["int", "1", False] for i in range(65)},
])
def test_the_caller_refuses_malformed_values(values):
    with pytest.raises(InvalidReply):
        check(_reply(values), "j1")


def test_the_worker_side_drops_what_the_schema_refuses():
    out = fit({"status": "ok", "value": "1", "values": {"good": ("int", "2", False), "bad name": ["int", "1", False],
                                                        "worse": ["int", "x", False]}}, "j1")
    assert out["values"] == {"good": ["int", "2", False]}


def test_typed_never_raises_and_skips_non_scalars():
    assert typed(object()) is None and typed([1]) is None and typed(float("nan")) is None
    assert typed(2.0) == ("int", "2") and typed(True) == ("bool", "True")
