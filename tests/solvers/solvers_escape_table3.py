"""Third red-team table for the step-language sandbox (`solvers.run_program`), same format as
tests/solvers/solvers_escape_table.py and solvers_escape_table2.py.

Written against commit 56e7942 (sympy 1.14.0, z3-solver 5.4.1, mpmath 1.3.0, Python 3.11.7); every row was run alone
with `run_program(source, timeout_s=3)`. The "before:" comment above a row says what that code did with it.
No row repeats a row of the first two tables.

Summary of the "before:" results: 12 of the 17 ESCAPES rows ran a payload (10 returned PWNED, two showed it
in the message), all through one mechanism (function_bases_not_undefined); 11 of 11 WRONG_OK rows came back
ok; 14 of 14 RIGHT_OK rows came back wrong (1 false ambiguous, 2 false unsat, 8 false errors, 3 wrong values
with status ok); the 3 LIMITS rows ran past their budget (2 stopped by the outer clock, 1 in the caller);
the CRASHES row is a clean error (an internal-error path, documented, not a crash).

ESCAPES: (id, escape_class, source). `source` contains the placeholder `{marker}` (a path); literal braces
are doubled, so the test does `source.format(marker=path)`. Expectation for every row: afterwards the
marker file does not exist, and NOT (status == "ok" and "PWNED" in value). Payloads as in the second table
(TOUCH, PWN_FRAME, RAISE_PID), turned into character codes inside the program and wrapped in a `Tuple`.

WRONG_OK: (id, source, expected_status) - z3 answers not determined by the constraints ("ambiguous").
RIGHT_OK: (id, source, "ok", value) - determined answers that must come back ok with that value. Besides z3
rows, this table has SymPy rows: ordinary sums, integrals and nsimplify calls that the worker's hardening
(solvers.guards: the parser switch and the evaluation bounds) breaks; each value is what the same program
gives with the guards off.
LIMITS: (id, source) - a clean `error` (or `timeout` reported by the interpreter itself), not the job process
stopped by the outer clock ("(job process stopped)") nor a memory kill. `lim_caller_side_extraction` is
about the CALLER's clock: run_program(timeout_s=3) takes 5-7 s before any worker sees the text (test_escapes
gives LIMITS rows timeout_s=10 and allows +1.5 s, which this row meets; check it with timeout_s=1 or 3).
CRASHES: (id, source) - expectation: status "error" (or a valid answer), and a message that does not say
the process died or the worker was replaced.

Classes in ESCAPES:
  function_bases_not_undefined  `Function(name, bases)`: SymPy's `Function('f', bases, __dict__)` hands its
                                positional arguments to `UndefinedFunction(name, bases, __dict__)`. The gate
                                lets a tuple of allow-listed classes through as `bases`, so
                                `Function(Symbol('eval'), (Function,))` is a function class that is NOT a
                                subclass of AppliedUndef. Its applications slip past the lambdify guard
                                (`expr.atoms(AppliedUndef)` finds nothing), and lambdify's printer still
                                prints them as a call of their name (`_print_Function` with
                                allow_unknown_functions): `eval(bytes((95, 95, ...)))` is exec'd. The name
                                itself comes in as a Symbol, which skips the gate's Python-name check (that
                                check runs only on a string first argument). Triggers: nsolve, and every
                                evalf of an infinite Sum (hypsum), including rendering the answer.
  tried_refused                 paths tried that do not run a payload (regression rows)
"""
from __future__ import annotations

TOUCH = "__import__('pathlib').Path('{marker}').touch()"
PWN_FRAME = (r'''exec("f = __import__('sys')._getframe()\nwhile type(f.f_locals.get('self')).__name__ '''
             r'''!= 'Interpreter': f = f.f_back\nf.f_locals['self'].globals['answer'] = 'PWNED'")''')
# what escaped code sees: the job's pid and its (emptied) environment
PWN_ENV = (r'''exec("import os\nf = __import__('sys')._getframe()\nwhile type(f.f_locals.get('self')).__name__ '''
           r'''!= 'Interpreter': f = f.f_back\nf.f_locals['self'].globals['answer'] = 'PWNED env=' + '''
           r'''str(len(os.environ)) + ' pid=' + str(os.getpid())")''')
# for the render route, where no Interpreter frame is on the stack: make str() of a Sum print PWNED
PWN_PRINTER = '''exec("import sympy.printing.str as m\\nm.StrPrinter._print_Sum = lambda self, e: 'PWNED'")'''
# an exception whose text only running Python can produce
RAISE_PID = "(_ for _ in ()).throw(RuntimeError('code ran in pid ' + str(__import__('os').getpid())))"


def _or0(payload: str) -> str:
    return "(" + payload + " or 0)"


_ALPHA = "A = " + repr("".join(chr(i) for i in range(32, 127))).replace("{", "{{").replace("}", "}}") + "\n"


def _codes(payload: str) -> str:
    """Program lines that build T = Tuple of the character codes of `payload` (printable ASCII only)."""
    return _ALPHA + f"P = {payload!r}\nT = Tuple(*[32 + A.find(ch) for ch in P])\n"


SY = "from sympy import *\nx, n = symbols('x n')\n"
# eval and bytes as function classes that are not AppliedUndef: Function(name, bases)
FB = "E = Function(Symbol('eval'), (Function,))\nB = Function(Symbol('bytes'), (Function,))\nc = E(B(T))\n"
SUM = "Sum((1 + n * c) / 2**n, (n, 0, oo))"

ESCAPES = [
    # ------------------------------------------------------------------ function_bases_not_undefined
    # before: ESCAPED (payload ran; its effect stopped by the OS layers or seen only in the message); error: line 9: nsolve() failed: PermissionError: [Errno 1] Operation not permitted: '/tmp/.../fb_nsolve_touch' (0.1s)
    ("fb_nsolve_touch", "function_bases_not_undefined", SY + _codes(_or0(TOUCH)) + FB + "answer = nsolve(c - x, x, 1)"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.1s)
    ("fb_nsolve_pwn", "function_bases_not_undefined", SY + _codes(_or0(PWN_FRAME)) + FB + "r = nsolve(c - x, x, 1)"),
    # before: ESCAPED, PWNED returned; ok 'PWNED env=0 pid=28401' (0.0s)
    ("fb_nsolve_env_pwn", "function_bases_not_undefined", SY + _codes(_or0(PWN_ENV)) + FB + "r = nsolve(c - x, x, 1)"),
    # before: ESCAPED (payload ran; its effect stopped by the OS layers or seen only in the message); error: line 9: nsolve() failed: RuntimeError: code ran in pid 28403 (0.1s)
    ("fb_nsolve_message_pid", "function_bases_not_undefined", SY + _codes(RAISE_PID) + FB + "r = nsolve(c - x, x, 1)"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.1s)
    ("fb_nsolve_eq_system_pwn", "function_bases_not_undefined",
     SY + _codes(_or0(PWN_FRAME)) + FB + "y = symbols('y')\nr = nsolve([Eq(c, x), y - 1], [x, y], [1, 1])"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.1s)
    ("fb_dummy_name_nsolve_pwn", "function_bases_not_undefined",
     SY + _codes(_or0(PWN_FRAME)) + "E = Function(Dummy('eval'), (Function,))\nB = Function(Dummy('bytes'), (Function,))\n"
     "r = nsolve(E(B(T)) - x, x, 1)"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.1s)
    ("fb_nsolve_in_z3_program_pwn", "function_bases_not_undefined",
     "from z3 import *\nfrom sympy import Function, Symbol, Tuple, nsolve, symbols\nt = symbols('t')\n" + _codes(_or0(PWN_FRAME))
     + "E = Function(Symbol('eval'), (Function,))\nB = Function(Symbol('bytes'), (Function,))\nr = nsolve(E(B(T)) - t, t, 1)\n"
     "x = Int('x')\ns = Solver()\ns.add(x == 2)\ns.check()"),
    ("fb_N_sum_pwn", "function_bases_not_undefined", SY + _codes(_or0(PWN_FRAME)) + FB + f"v = N({SUM})"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.3s)
    ("fb_float_sum_pwn", "function_bases_not_undefined", SY + _codes(_or0(PWN_FRAME)) + FB + f"v = float({SUM})"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.3s)
    ("fb_fstring_sum_pwn", "function_bases_not_undefined",
     SY + _codes(_or0(PWN_FRAME)) + FB + f"v = f'{{{{{SUM}:.3f}}}}'"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.5s)
    ("fb_compare_sum_pwn", "function_bases_not_undefined", SY + _codes(_or0(PWN_FRAME)) + FB + f"v = bool({SUM} > 0)"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.3s)
    ("fb_render_answer_pwn", "function_bases_not_undefined", SY + _codes(_or0(PWN_PRINTER)) + FB + f"answer = {SUM}"),
]
ESCAPES += [
    # ------------------------------------------------------------------ tried_refused
    # the name check is skipped for a Symbol name (Function(Symbol('eval')) is a function named eval), but the
    # result is an AppliedUndef, which the lambdify guard refuses: defence in depth has one wall left here
    # before: refused / no effect; error: line 8: nsolve() failed: ValueError: an undefined function cannot be evaluated numerically (0.0s)
    ("tr_function_symbol_name_nsolve", "tried_refused",
     SY + _codes(_or0(TOUCH)) + "E = Function(Symbol('eval'))\nB = Function(Symbol('bytes'))\nanswer = nsolve(E(B(T)) - x, x, 1)"),
    # before: refused / no effect; error: line 9: N() failed: ValueError: an undefined function cannot be evaluated numerically (0.1s)
    ("tr_function_symbol_name_sum", "tried_refused",
     SY + _codes(_or0(TOUCH)) + "E = Function(Symbol('eval'))\nB = Function(Symbol('bytes'))\nc = E(B(T))\n"
     f"answer = N({SUM})"),
    # an unapplied function class inside a Tuple prints as a bare reference to Python's eval, never called
    # before: refused / no effect; ok '1' (0.0s)
    ("tr_unapplied_class_in_tuple", "tried_refused",
     SY + _codes(_or0(TOUCH)) + "E = Function(Symbol('eval'))\nanswer = nsolve(Tuple(E, x - 1)[1], x, 2)"),
    # nsimplify(constants=...) hands str(constant) to mpmath.identify and sympifies identify's text; this row stops
    # earlier (the constant is not real-valued); with a real constant the parser guard refuses the text (and
    # nsimplify swallows that refusal: see right_nsimplify_*)
    # before: refused / no effect; error: line 9: nsimplify() failed: ValueError: constants must be real-valued (0.0s)
    ("tr_nsimplify_constants_function", "tried_refused",
     SY + _codes(_or0(TOUCH)) + FB + "answer = nsimplify(1.2345678901, [c])"),
    # a third positional argument of Function is the class dict: this row stops at the string given to Lambda,
    # and the dict's keys would come through the gate as Symbols anyway (no attribute named eval is set)
    # before: refused / no effect; error: line 3: string arguments to sympy are not allowed ("__import__('pathlib').Path('/tmp/rt3... in Lambda()); build expressions from symbols instead (0.0s)
    ("tr_function_class_dict_positional", "tried_refused",
     SY + f"E = Function(Symbol('f'), (Function,), {{{{'eval': Lambda(x, {TOUCH!r})}}}})\nanswer = E(1)"),
]

# --------------------------------------------------------------------------- z3 uniqueness

_FREE = "from z3 import *\nx, y = Ints('x y')\ns = Solver()\ns.add(x > 0, x < 10)\ns.check()\nm = s.model()\n"
_PERSON = "from z3 import *\nPerson = DeclareSort('Person')\na, b, c = Consts('a b c', Person)\ns = Solver()\n"

WRONG_OK = [
    # --- state that survives from the run into its reruns: solvers.interpreter.statements._ENUMS caches
    # z3.EnumSort's (sort, values) per process, and the values are a Python list the program may append to.
    # The first run stores its answer there; every rerun (on another model) reads it back, so all runs agree.
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_rerun_memo_in_enumsort_list", _FREE.replace("s = Solver()", "Memo, memo = EnumSort('Memo', ['m0'])\ns = Solver()")
     + "if len(memo) == 1:\n    memo.append(m[x].as_long())\nanswer = memo[1]", "ambiguous"),
    # the same list as a rerun detector: in a rerun the program adds a contradiction before its check, so the
    # other model "does not exist" (_answer_of returns None) and every rerun vouches for the answer
    # before: WRONG ok; ok '96' (0.0s)
    ("wrong_rerun_detected_by_enumsort_list", "from z3 import *\nRuns, runs = EnumSort('Runs', ['r0'])\nrerun = len(runs) > 1\n"
     "runs.append(0)\nx = Int('x')\ns = Solver()\ns.add(x >= 0, x <= 100)\nif rerun:\n    s.add(x < 0)\ns.check()\n"
     "answer = s.model()[x]", "ambiguous"),
    # --- the rerun forces another model only at the check whose model was read FIRST; an answer read from a
    # later check's model (incremental solving: check, look, add a fact, check again) comes out the same
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_answer_from_later_check", "from z3 import *\nx, y = Ints('x y')\ns = Solver()\ns.add(x > 0, x < 10)\n"
     "s.check()\nm = s.model()\nprint(m)\ns.add(y == x + 1)\ns.check()\nm = s.model()\nanswer = m[x]", "ambiguous"),
    # --- MAX_RERUNS = 4: a debug print of four other values (each f-string field records a decision) uses
    # up the reruns (one for "any value read other", three for those decisions) before the decision the
    # answer depends on (x < 7) is ever tried
    # before: WRONG ok; ok 'small' (0.0s)
    ("wrong_rerun_budget_spent_on_debug_print", "from z3 import *\nx, a, b, c, d = Ints('x a b c d')\ns = Solver()\n"
     "s.add(x >= 1, x <= 10)\nfor v in (a, b, c, d):\n    s.add(v >= 0, v <= 5)\ns.check()\nm = s.model()\n"
     "print(f'a={m[a]} b={m[b]} c={m[c]} d={m[d]}')\nanswer = 'small' if m[x].as_long() < 7 else 'big'", "ambiguous"),
    # --- Fraction.is_integer is a special-cased Builtin with no arguments: the receiver (a model value) is
    # never use()d, and the rerun on "any value read other" may change only x
    # before: WRONG ok; ok 'False' (0.0s)
    ("wrong_fraction_is_integer_receiver", "from z3 import *\nx = Int('x')\nr = Real('r')\ns = Solver()\n"
     "s.add(x > 0, x < 10, r > 0, r < 3)\ns.check()\nm = s.model()\nanswer = m[r].as_fraction().is_integer()", "ambiguous"),
    # --- elements of an uninterpreted sort (Person!val!0) are not is_z3_value(): use() records nothing and
    # model_lookup keeps no read, so there is nothing to rerun on
    # before: WRONG ok; ok 'same' (0.0s)
    ("wrong_declaresort_str_compare", _PERSON + "s.add(a != c)\ns.check()\nm = s.model()\n"
     "answer = 'same' if str(m[a]) == str(m[b]) else 'different'", "ambiguous"),
    # before: WRONG ok; ok 'same' (0.0s)
    ("wrong_declaresort_eq_method", _PERSON + "s.add(a != c)\ns.check()\nm = s.model()\n"
     "answer = 'same' if m[a].eq(m[b]) else 'different'", "ambiguous"),
    # before: WRONG ok; ok '2' (0.0s)
    ("wrong_declaresort_group_count", _PERSON + "s.add(a != b)\ns.check()\nm = s.model()\ngroups = {}\nfor v in (a, b, c):\n"
     "    groups.setdefault(m[v].sexpr(), []).append(str(v))\nanswer = len(groups)", "ambiguous"),
    # --- a pin or block built from a model value is a fact to options, claim and a term answer: only the
    # reruns know such constraints are not the problem's (record.derived is never consulted by check_options,
    # check_claim or check_unique). x is 1 or 2; the program "locks in" the model it found:
    # before: WRONG ok; ok 'A' (0.0s)
    ("wrong_pin_then_options", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x > 0, x < 3)\ns.check()\nm = s.model()\n"
     "s.add(x == m[x])\noptions = {'A': x == 1, 'B': x == 2}", "ambiguous"),
    # before: WRONG ok; ok 'True' (0.0s)
    ("wrong_pin_then_claim", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x > 0, x < 3)\ns.check()\nm = s.model()\n"
     "s.add(x == m[x])\nclaim = x == 1", "ambiguous"),
    # before: WRONG ok; ok '10' (0.0s)
    ("wrong_pin_then_term_answer", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x > 0, x < 3)\ns.check()\nm = s.model()\n"
     "s.add(x == m[x])\nanswer = x * 10", "ambiguous"),
]

_S = "from sympy import *\nx, n, k = symbols('x n k')\n"

RIGHT_OK = [
    # --- z3: a determined answer of a puzzle that takes z3 ~0.5 s. Each rerun runs the whole program again
    # (the first solve included), the reruns share the job's deadline, and a rerun whose check runs out of time
    # counts as UNDECIDED, which comes back as "ambiguous" (not "timeout"). With timeout_s=20 it is ok (13 s).
    # before: FALSE ALARM; ambiguous '1': answer not known to be unique: z3 could not decide whether a model with q0 == 0 not False exists (add constraints that fix the answer) (3.0s)
    ("right_queens_count_first_column", "from z3 import *\nN = 28\nq = [Int(f'q{i}') for i in range(N)]\ns = Solver()\n"
     "s.add(Distinct(q))\nfor i in range(N):\n    s.add(q[i] >= 0, q[i] < N)\n    for j in range(i + 1, N):\n"
     "        s.add(q[i] - q[j] != i - j, q[i] - q[j] != j - i)\ns.check()\nm = s.model()\n"
     "answer = sum(1 for i in range(N) if m[q[i]].as_long() == 0)", "ok", "1"),
    # the mirror of wrong_pin_then_options: after enumerating every solution with blocking clauses, the blocks are
    # counted as facts, the constraints are unsat, and options or a claim come back "unsat"
    # before: FALSE unsat; unsat: constraints conflict: line 4: x > 0; line 4: x < 3; line 9: 1 != x; line 9: 2 != x (0.1s)
    ("right_options_after_enumerating_solutions", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x > 0, x < 3)\nsols = []\n"
     "while s.check() == sat:\n    m = s.model()\n    sols.append(m[x].as_long())\n    s.add(x != m[x])\n"
     "options = {'A': len(sols) == 2, 'B': len(sols) == 3}", "ok", "A"),
    # before: FALSE unsat; unsat: constraints conflict: line 4: x > 0; line 4: x < 3; line 9: 1 != x; line 9: 2 != x (0.0s)
    ("right_claim_after_counting_solutions", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x > 0, x < 3)\ncount = 0\n"
     "while s.check() == sat:\n    m = s.model()\n    count += 1\n    s.add(x != m[x])\nclaim = count == 2", "ok", "True"),
    # --- sympy, broken by the worker's hardening (solvers.guards), not by the program:
    # hyperexpand's formula table and meijerint's lookup table are built lazily, on first use, from constant
    # strings (S('3/2')) inside functions, not module code: the parser guard refuses them, so every sum or
    # integral that reaches them fails. The expected number of rolls until a six:
    # before: FALSE ERROR; error: line 3: summation() failed: SympifyError: SympifyError: 'parsing text is switched off in the solver worker (parse_expr)' (0.2s)
    ("right_summation_expected_rolls", _S + "answer = summation(k * Rational(5, 6)**(k - 1) * Rational(1, 6), (k, 1, oo))",
     "ok", "6"),
    # before: FALSE ERROR; error: line 3: summation() failed: SympifyError: SympifyError: 'parsing text is switched off in the solver worker (parse_expr)' (0.0s)
    ("right_summation_geometric", _S + "answer = summation(Rational(1, 2)**n, (n, 0, oo))", "ok", "2"),
    # before: FALSE ERROR; error: line 3: summation() failed: SympifyError: SympifyError: 'parsing text is switched off in the solver worker (parse_expr)' (0.0s)
    ("right_summation_n_over_2_to_n", _S + "answer = summation(n / 2**n, (n, 1, oo))", "ok", "2"),
    # before: FALSE ERROR; error: line 3: summation() failed: SympifyError: SympifyError: 'parsing text is switched off in the solver worker (parse_expr)' (0.1s)
    ("right_summation_exp_series", _S + "answer = summation(1 / factorial(n), (n, 0, oo))", "ok", "E"),
    # before: FALSE ERROR; error: line 3: integrate() failed: SympifyError: SympifyError: 'parsing text is switched off in the solver worker (parse_expr)' (0.2s)
    ("right_integrate_gaussian", _S + "answer = integrate(exp(-x**2), (x, -oo, oo))", "ok", "sqrt(pi)"),
    # the evaluation bound treats oo as a number over the limit: harmonic(oo, 2) (the Basel sum) is refused
    # before: FALSE ERROR; error: line 3: summation() failed: ValueError: harmonic() argument too large (limit 2000) (0.0s)
    ("right_summation_basel", _S + "answer = summation(1 / n**2, (n, 1, oo))", "ok", "pi**2/6"),
    # before: FALSE ERROR; error: line 3: doit() failed: ValueError: harmonic() argument too large (limit 2000) (0.0s)
    ("right_sum_doit_basel", _S + "answer = Sum(1 / n**2, (n, 1, oo)).doit()", "ok", "pi**2/6"),
    # before: FALSE ERROR; error: line 3: summation() failed: ValueError: harmonic() argument too large (limit 2000) (0.0s)
    ("right_summation_harmonic_diverges", _S + "answer = summation(1 / n, (n, 1, oo))", "ok", "oo"),
    # nsimplify finds constants with mpmath.identify, which returns text that nsimplify sympifies: refused,
    # the SympifyError is a ValueError, nsimplify swallows it and returns the float unchanged: WRONG VALUE, ok
    # before: WRONG VALUE; ok '3.14159265358979' (0.0s)
    ("right_nsimplify_pi", _S + "answer = nsimplify(3.14159265358979, [pi])", "ok", "pi"),
    # before: WRONG VALUE; ok '1.4142135623731' (0.0s)
    ("right_nsimplify_sqrt2", _S + "answer = nsimplify(1.41421356237310)", "ok", "sqrt(2)"),
    # before: WRONG VALUE; ok '0.3333333' (0.0s)
    ("right_nsimplify_tolerance", _S + "answer = nsimplify(0.3333333, tolerance=0.001)", "ok", "1/3"),
]

# --------------------------------------------------------------------------- limits

# a model reply of 19,000 characters that holds a ```output fence and no code block: extract_program() (in the
# CALLER, before any worker and outside timeout_s) falls back to trimming prose lines and parses up to 144
# candidates of ~19,000 characters each, all of which fail at their last lines
_NESTED = "a = " + "(" * 30 + "1" + ")" * 30
_TRIM_BOMB = "\n".join([_NESTED] * (19000 // (len(_NESTED) + 1))) + "\n```output\n" + "\n".join(["junk ((( line"] * 13)

LIMITS = [
    # Solver.pop(n) in solvers.interpreter.tracking loops `for _ in range(int(n))` in Python before z3 refuses n
    # before: KILLED by the outer time limit; timeout: timed out after 2.99997s (job process stopped) (3.5s)
    ("lim_solver_pop_count", "from z3 import *\ns = Solver()\ns.push()\ns.pop(10**9)\nanswer = 1"),
    # a Function class that is not AppliedUndef, named after an mpmath function: Function._eval_evalf looks the
    # name up with getattr(mpmath, name) and calls it, so N() runs mpmath.doctests() (mpmath's whole doctest
    # suite) by name; any other mpmath module function can be called the same way
    # before: KILLED by the outer time limit; timeout: timed out after 2.99996s (job process stopped) (3.5s)
    ("lim_mpmath_doctests_called_by_name", "from sympy import *\nD = Function('doctests', (Function,))\nanswer = N(D())"),
    # caller side: run_program(..., timeout_s=3) spends 5-7 s in extract_program before a worker is asked
    # (test_escapes' LIMITS check allows timeout + 1.5 s with a 10 s timeout, which this row meets; with
    # timeout_s=3 it does not)
    # before: the CALLER spent 5.3s on a 3s budget; error: line 288: syntax error: invalid syntax (5.3s)
    ("lim_caller_side_extraction", _TRIM_BOMB),
]

# --------------------------------------------------------------------------- crashes

CRASHES = [
    # run_z3 catches ProgramError, TimeoutError and Z3Exception only: a ValueError from normalize.z3_value (z3's
    # as_long() goes through int(str), which Python 3.11 refuses past 4,300 digits) escapes to the worker's
    # catch-all. The result is a clean "error", so the CRASHES expectation holds; the message is an internal
    # error, and the same path runs in every rerun (answer_text)
    # before: error (clean), no crash; error: internal error: ValueError: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit (0.0s)
    ("crash_z3_answer_past_int_digit_limit", "from z3 import *\nanswer = RealVal('1/' + '9' * 5000)"),
]

CLASSES = sorted({row[1] for row in ESCAPES})
