r"""Fourth red-team table for the step-language sandbox (`solvers.run_program`), same format as
tests/solvers/solvers_escape_table.py, solvers_escape_table2.py and solvers_escape_table3.py.

Written against commit 4e367e9 (sympy 1.14.0, z3-solver 5.4.1, mpmath 1.3.0, numpy installed, Python 3.11.7);
every row was run alone with `run_program(source, timeout_s=3)`, in the confined worker (all OS layers on). The
"before:" comment above a row says what that code did with it. No row repeats a row of the first three tables.

Summary of the "before:" results: 7 of the 8 symbol_name_not_identifier ESCAPES rows returned PWNED, computed by
Python code that the program wrote into a Symbol's NAME (the eighth shows a worker object's repr and address in the
message); the 5 tried_refused rows had no effect. 5 of 5 WRONG_OK rows came back ok; 6 of 6 RIGHT_OK rows came
back wrong (3 false ambiguous, 3 false errors); the 7 LIMITS rows were all stopped by the outer clock ("job process
stopped"); the CRASHES row is a clean error, through the worker's internal-error path.

ESCAPES: (id, escape_class, source). `source` contains no `{marker}` (these payloads cannot write a file: the
injected code is one Python EXPRESSION, see below) and no braces, so `source.format(marker=path)` is the identity.
Expectation as before: the marker file does not exist, and NOT (status == "ok" and "PWNED" in value). Here PWNED
is written by the program itself, on a condition that only the injected Python makes true (a root that exists
only because `not eval` or numpy's `ScalarType` was evaluated), so the row fails exactly while the injection
works. After a fix (names must be identifiers) each of these rows is an error at the Symbol()/Dummy() call.

WRONG_OK: (id, source, expected_status) - z3 answers that the constraints do not fix ("ambiguous").
RIGHT_OK: (id, source, "ok", value) - determined answers that must come back ok with that value; each value is
what the same program gives with the worker's hardening off (sympy rows) or what z3 proves unique (z3 rows).
LIMITS: (id, source) - a clean `error` (or a `timeout` the interpreter reports itself), not the job process stopped
by the outer clock. None of them is inherent work: each steps around a bound that exists for the same cost.
CRASHES: (id, source) - status "error" (or a valid answer), and a message that does not say the process died or
the worker was replaced.

Classes in ESCAPES:
  symbol_name_not_identifier  The gate checks a name-taking constructor's first argument token by token
                              (`GateMixin.symbol_names`: `re.split(r"[\s,]+", names)`, each token an identifier)
                              but hands the RAW string on. `symbols()` splits it again, but `Symbol`, `Dummy`,
                              `Wild` and `Function` take it whole, so `Symbol('pi if not eval else e')` is one
                              Symbol whose name holds spaces, keywords and names of Python's builtins. lambdify's
                              printers write a Symbol's name verbatim (PythonCodePrinter._print_Symbol only
                              suffixes a name that IS a keyword; `_is_safe_ident` dummifies only the arguments),
                              so the name becomes Python source in the generated function and runs in lambdify's
                              namespace (mpmath's or numpy's names, plus builtins). Reached by nsolve (a system,
                              Eq, a finite Sum printed as `builtins.sum(... for k in range(...))`) and by every
                              evalf of an infinite Sum (hypsum lambdifies the term ratio with numpy). The
                              injected text is one expression (lambdify wraps a multi-line body in parentheses):
                              conditionals, boolean tests, `for`/`in`/`if` clauses, the namespace's objects; no
                              statement and no call of a name of the program's choice was found (the printer's
                              callees are fixed, and no namespace container holds eval/exec), but the walls
                              "no string reaches a parser" and "names are identifiers" are both broken.
                              `IDENTIFIER` (`...$`) also lets a string argument end in a newline ('x\n').
  tried_refused               paths tried that do not run a payload (regression rows)
"""
from __future__ import annotations

ESCAPES = [
    # ------------------------------------------------------------------ symbol_name_not_identifier
    # the Symbol's name is the Python expression `pi if not eval else e`; printed into nsolve's lambdified code it
    # evaluates Python's `not eval` and mpmath's pi/e: the code is `ImmutableDenseMatrix([[-pi if not eval else e + x]])`, whose
    # root is -e. Without the injection nsolve refuses the free symbol (or, after a fix, Symbol() refuses the name)
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.1s)
    ('sni_nsolve_conditional_pwn', 'symbol_name_not_identifier',
     'from sympy import *\n' "x = symbols('x')\n" "Y = Symbol('pi if not eval else e')\n"
     'r = nsolve([x - Y], [x], [1])\n' "answer = 'PWNED' if abs(r[0] + E) < 1e-9 else 'no'"),
    # the same with a newline in the name (lambdify wraps a multi-line body in parentheses, so it stays one expression)
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.1s)
    ('sni_nsolve_newline_pwn', 'symbol_name_not_identifier',
     'from sympy import *\n' "x = symbols('x')\n" "Y = Symbol('pi\\nif not eval else e')\n"
     'r = nsolve([x - Y], [x], [1])\n' "answer = 'PWNED' if abs(r[0] + E) < 1e-9 else 'no'"),
    # a system of equations (Eq) reaches the same print
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.1s)
    ('sni_nsolve_eq_system_pwn', 'symbol_name_not_identifier',
     'from sympy import *\n' "x = symbols('x')\n" "y = symbols('y')\n"
     "Y = Symbol('pi if not eval else e')\n" 'r = nsolve([Eq(x, Y), y - 1], [x, y], [1, 1])\n'
     "answer = 'PWNED' if abs(r[0] + E) < 1e-9 else 'no'"),
    # inside a finite Sum, printed as `builtins.sum(pi if not eval else e for k in range(1, 1+1))`: the name sits in
    # a generator expression that Python runs (`for`/`in`/`if` clauses can be added the same way)
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.1s)
    ('sni_nsolve_sum_summand_pwn', 'symbol_name_not_identifier',
     'from sympy import *\n' "x = symbols('x')\n" "k = symbols('k')\n"
     "Y = Symbol('pi if not eval else e')\n" 'r = nsolve([x - Sum(Y, (k, 1, 1))], [x], [1])\n'
     "answer = 'PWNED' if abs(r[0] - E) < 1e-9 else 'no'"),
    # Dummy names are printed too (with `_<index>` after the last word): `-pi if not eval else x if eval else z_N + x`
    # is the expression x, whose root is 0
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.1s)
    ('sni_dummy_name_nsolve_pwn', 'symbol_name_not_identifier',
     'from sympy import *\n' "x = symbols('x')\n" "Y = Dummy('pi if not eval else x if eval else z')\n"
     'r = nsolve([x - Y], [x], [1])\n' "answer = 'PWNED' if abs(r[0]) < 1e-9 else 'no'"),
    # evalf of an infinite Sum (hypsum) lambdifies the term ratio with the default modules, numpy here: the name
    # `True if ScalarType else False` reads numpy's ScalarType, so a sum over a free symbol evaluates to the number 1.5
    # (with a plain symbol, N() fails: 'Cannot convert symbols to int')
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.4s)
    ('sni_hypsum_numpy_namespace_pwn', 'symbol_name_not_identifier',
     'from sympy import *\n' "n = symbols('n')\n" "Y = Symbol('True if ScalarType else False')\n"
     'v = N(Sum((1 + n * Y) / 3**n, (n, 0, oo)))\n'
     "answer = 'PWNED' if v.is_Float and abs(v - 1.5) < 1e-9 else 'no'"),
    # the same through float() (any evalf: N, float, round, comparisons, f-strings)
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.3s)
    ('sni_hypsum_float_pwn', 'symbol_name_not_identifier',
     'from sympy import *\n' "n = symbols('n')\n" "Y = Symbol('True if ScalarType else False')\n"
     'v = float(Sum((1 + n * Y) / 3**n, (n, 0, oo)))\n' "answer = 'PWNED' if v == 1.5 else 'no'"),
    # no PWNED here, but the message shows what only running Python produces: the repr (with its address) of
    # mpmath's context object `mp`, a name of lambdify's namespace that the step language cannot reach
    # before: ESCAPED (injected code ran; what only Python produces is in the message); error: line 4: nsolve() failed: TypeError: cannot create mpf from <mpmath.ctx_mp.MPContext object at 0x7f00a114ab50> (0.0s)
    ('sni_nsolve_worker_object_in_message', 'symbol_name_not_identifier',
     'from sympy import *\n' "x = symbols('x')\n" "Y = Symbol('mp if eval else mp')\n"
     'answer = nsolve([x - sqrt(Y)], [x], [1])'),
    # ------------------------------------------------------------------ tried_refused
    # Wild is 'not supported' by the mpmath printer, which is strict in lambdify: nothing is printed
    # before: refused / no effect; error: line 4: nsolve() failed: PrintMethodNotImplementedError: Unsupported by <class 'sympy.printing.pycode.MpmathPrinter'>: <class 'sympy.core.symbol.Wild'> Set the printer option 'strict' to False in o... (0.0s)
    ('tr_wild_name_not_printed', 'tried_refused',
     'from sympy import *\n' "x = symbols('x')\n" "Y = Wild('pi if not eval else e')\n"
     'r = nsolve([x - Y], [x], [1])\n' "answer = 'PWNED' if abs(r[0] + E) < 1e-9 else 'no'"),
    # a function name with spaces (and a class attribute func=None hiding .func from the guard's traversal): the
    # lambdify guard still finds the AppliedUndef with atoms()
    # before: refused / no effect; error: line 4: refused: an undefined function cannot be evaluated numerically (0.0s)
    ('tr_function_name_with_spaces', 'tried_refused',
     'from sympy import *\n' "x = symbols('x')\n" "F = Function('f g', func=None)\n"
     'answer = nsolve([x - F(1)], [x], [1])'),
    # a single keyword is printed with the printer's reserved-word suffix (`lambda_`)
    # before: refused / no effect; error: line 3: nsolve() failed: NameError: name 'lambda_' is not defined (0.0s)
    ('tr_keyword_symbol_name', 'tried_refused',
     'from sympy import *\n' "x = symbols('x')\n" "answer = nsolve([x - Symbol('lambda')], [x], [1])"),
    # nsolve(modules=...) is not gated by the lambdify guard: a class named 'sympy' selects SymPyPrinter and its
    # __dict__ becomes the namespace (sqrt=True would shadow the printer's import of sqrt); only class attributes
    # with truth values can be planted this way, so nothing runs
    # before: refused / no effect; ok '1.41421356237' (0.0s)
    ('tr_nsolve_modules_class_namespace', 'tried_refused',
     'from sympy import *\n' "x = symbols('x')\n" "F = Function('sympy', sqrt=True)\n"
     'answer = nsolve(x**2 - 2, x, 1, modules=[F])'),
    # IDENTIFIER ends in `$`, which also matches before a final newline: 'x\n' becomes Symbol('x\n') (another
    # symbol, so []); alone it prints only a newline inside lambdify's parentheses
    # before: refused / no effect; ok '[]' (0.0s)
    ('tr_identifier_trailing_newline', 'tried_refused',
     'from sympy import *\n' "x = symbols('x')\n" "answer = solve(x - 1, 'x\\n')"),
]

# --------------------------------------------------------------------------- z3 uniqueness

WRONG_OK = [
    # a list answer gets one rerun per element, last element first (_parts pops a stack), before 'any value read
    # other': the six reruns all go to q7..q2, which are fixed (unsat, no other model), and q0, free, is never tried
    # before: WRONG ok; ok '[0, 1, 2, 3, 4, 5, 6, 7]' (0.1s)
    ('wrong_list_answer_free_first_element',
     'from z3 import *\n' "q = [Int(f'q{i}') for i in range(8)]\n" 's = Solver()\n'
     'for i in range(1, 8):\n' '    s.add(q[i] == i)\n' 's.add(q[0] >= 0, q[0] <= 1)\n' 's.check()\n'
     'm = s.model()\n' 'answer = [m[q[i]].as_long() for i in range(8)]',
     'ambiguous'),
    # the seating-puzzle style: Ann and Bob may swap seats 1 and 2, but the dict's values are tried last-first and the
    # budget runs out on the six fixed ones
    # before: WRONG ok; ok '{Ann: 1, Bob: 2, Cid: 3, Dan: 4, Eve: 5, Fay: 6, Gus: 7, Hal: 8}' (0.1s)
    ('wrong_dict_answer_symmetric_pair',
     'from z3 import *\n' "names = ['Ann', 'Bob', 'Cid', 'Dan', 'Eve', 'Fay', 'Gus', 'Hal']\n"
     'pos = {n: Int(n) for n in names}\n' 's = Solver()\n' 's.add(Distinct(list(pos.values())))\n'
     'for n in names:\n' '    s.add(pos[n] >= 1, pos[n] <= 8)\n' 'for i, n in enumerate(names[2:]):\n'
     '    s.add(pos[n] == i + 3)\n' 's.check()\n' 'm = s.model()\n'
     'answer = {n: m[pos[n]].as_long() for n in names}',
     'ambiguous'),
    # a decision taken on check 1's model is rerun at the solver's LAST read check (_candidates: last_read(record)),
    # check 2, where it no longer changes anything; 'any value read other' at check 1 gives x = 2, also 'small'
    # before: WRONG ok; ok 'small' (0.0s)
    ('wrong_decision_injected_at_later_check',
     'from z3 import *\n' "x, y = Ints('x y')\n" 's = Solver()\n' 's.add(x >= 1, x <= 10)\n' 's.check()\n'
     'm = s.model()\n' "label = 'small' if m[x].as_long() < 7 else 'big'\n" 's.add(y == x + 1)\n'
     's.check()\n' 'm = s.model()\n' "print('y =', m[y])\n" 'answer = label',
     'ambiguous'),
    # the mirror of table 3's wrong_rerun_budget_spent_on_debug_print: decisions are now tried latest first, so a debug
    # print AFTER the decision spends the budget (5 reruns on a..f, 1 on 'any value read other', which moves x to 2)
    # before: WRONG ok; ok 'small' (0.0s)
    ('wrong_rerun_budget_spent_on_later_prints',
     'from z3 import *\n' "x, a, b, c, d, e, f = Ints('x a b c d e f')\n" 's = Solver()\n'
     's.add(x >= 1, x <= 10)\n' 'for v in (a, b, c, d, e, f):\n' '    s.add(v >= 0, v <= 5)\n'
     's.check()\n' 'm = s.model()\n' "label = 'small' if m[x].as_long() < 7 else 'big'\n"
     "print(f'a={m[a]} b={m[b]} c={m[c]} d={m[d]} e={m[e]} f={m[f]}')\n" 'answer = label',
     'ambiguous'),
    # state that survives into the reruns (same process): SymPy's Dummy counter. Each run makes 100,000 Dummies, so a
    # run that starts past 100,000 is a rerun; there the program contradicts itself, the other model 'does not exist'
    # (_answer_of returns None) and every rerun vouches for the answer
    # before: WRONG ok; ok '1' (0.9s)
    ('wrong_rerun_detected_by_dummy_counter',
     'from z3 import *\n' 'from sympy import Dummy, symbols\n' 'start = int(str(Dummy())[7:])\n'
     'for i in range(100):\n' "    symbols('d0:1000', cls=Dummy)\n" "x = Int('x')\n" 's = Solver()\n'
     's.add(x > 0, x < 10)\n' 'if start >= 100000:\n' '    s.add(x < 0)\n' 's.check()\n'
     'answer = s.model()[x]',
     'ambiguous'),
]

RIGHT_OK = [
    # an irrational (algebraic) model value: the rerun passes `x != root` to check() as an ASSUMPTION, and z3 answers
    # unknown ('incomplete (theory arithmetic)') where the same formula asserted is unsat; unknown counts as UNDECIDED
    # before: FALSE ambiguous; ambiguous '1.41421356237': answer not known to be unique: z3 could not decide whether a model with any value read from the model other exists (add constraints that fix the answer) (0.0s)
    ('right_algebraic_positive_root',
     'from z3 import *\n' "x = Real('x')\n" 's = Solver()\n' 's.add(x * x == 2, x > 0)\n' 's.check()\n'
     'm = s.model()\n' 'answer = m[x]',
     'ok', '1.41421356237'),
    # the same in a geometry word problem (radius from an area)
    # before: FALSE ambiguous; ambiguous '3.98942448888': answer not known to be unique: z3 could not decide whether a model with any value read from the model other exists (add constraints that fix the answer) (0.0s)
    ('right_circle_radius_irrational',
     'from z3 import *\n' "r = Real('r')\n" 's = Solver()\n' 's.add(r > 0, 3.14159 * r * r == 50)\n'
     's.check()\n' 'm = s.model()\n' 'answer = m[r]',
     'ok', '3.98942448888'),
    # and when the program rounds the value itself
    # before: FALSE ambiguous; ambiguous '7.071': answer not known to be unique: z3 could not decide whether a model with any value read from the model other exists (add constraints that fix the answer) (0.1s)
    ('right_side_length_rounded',
     'from z3 import *\n' "side = Real('side')\n" 's = Solver()\n' 's.add(side > 0, side * side == 50)\n'
     's.check()\n' 'm = s.model()\n' 'answer = round(float(m[side].approx(6).as_fraction()), 3)',
     'ok', '7.071'),
    # int() of an irrational past 200 digits: SymPy's __int__ calls evalf with as many digits as the number has, and
    # the worker's evalf bound (200 digits, GuardRefusal) refuses it; no precision was asked for by the program
    # before: FALSE ERROR; error: line 2: refused: evalf precision too large (limit 200 digits) (0.0s)
    ('right_int_of_big_irrational',
     'from sympy import *\n' 'answer = int(sqrt(2) * 10**300) % 1000',
     'ok', '989'),
    # the Project-Euler style digit sum (the first 300 digits of sqrt(2))
    # before: FALSE ERROR; error: line 2: refused: evalf precision too large (limit 200 digits) (0.0s)
    ('right_digit_sum_of_sqrt2',
     'from sympy import *\n' 'answer = sum(int(c) for c in str(int(sqrt(2) * 10**299)))',
     'ok', '1360'),
    # .round() of a 206-digit irrational, the same bound
    # before: FALSE ERROR; error: line 2: refused: evalf precision too large (limit 200 digits) (0.0s)
    ('right_round_big_irrational',
     'from sympy import *\n' 'answer = (sqrt(3) * 10**205).round() % 10',
     'ok', '3'),
]

# --------------------------------------------------------------------------- limits

LIMITS = [
    # z3 parses its numeral strings itself, exponents included: a 10-character string is 10**1000000 (3.3 million
    # bits), built in z3's C code (5 s for 1e1000000) past max_int_bits and the clock; to_z3_arg passes any string
    # before: KILLED by the outer time limit; timeout: timed out after 2.99984s (job process stopped) (3.5s)
    ('lim_z3_numeral_string_exponent',
     'from z3 import *\n' "v = RealVal('1e1000000')\n" 'answer = 1'),
    # COUNTED bounds totient() only when the program calls it on a number; solvers.guards.EVAL_LIMITS has no totient,
    # so subs() evaluates totient(2**1023 + 1), a hard factorisation (prime is safe: it refuses a symbolic argument)
    # before: KILLED by the outer time limit; timeout: timed out after 2.99973s (job process stopped) (3.5s)
    ('lim_totient_subs',
     'from sympy import *\n' "x = symbols('x')\n" 'answer = totient(x).subs(x, 2**1023 + 1)'),
    # diag is not in MATRIX_BUILDERS, and its rows=/cols= keywords make a 30000x30000 dense matrix (9e8 entries)
    # before check_value sees it
    # before: KILLED by the outer time limit; timeout: timed out after 2.99977s (job process stopped) (3.5s)
    ('lim_diag_rows_cols',
     'from sympy import *\n' 'M = diag(1, rows=30000, cols=30000)\n' 'answer = 1'),
    # the same with no keyword: a block diagonal of 100 allowed 300x300 blocks (with test_escapes' 10 s the 512 MB
    # memory limit stops it first, a clean error; with 3 s the clock does)
    # before: KILLED by the outer time limit; timeout: timed out after 2.99974s (job process stopped) (3.5s)
    ('lim_diag_many_blocks',
     'from sympy import *\n' 'M = diag(*([ones(300, 300)] * 100))\n' 'answer = 1'),
    # MATRIX_HEAVY bounds M.inv() (6 rows with symbols) but M ** -1 is the same inverse through an operator
    # before: KILLED by the outer time limit; timeout: timed out after 2.99973s (job process stopped) (3.5s)
    ('lim_matrix_inverse_by_power',
     'from sympy import *\n' "M = Matrix(9, 9, symbols('a0:81'))\n" 'answer = (M ** -1)[0, 0]'),
    # M.solve is in SYMPY_ATTRS but not in MATRIX_HEAVY (LUsolve is)
    # before: KILLED by the outer time limit; timeout: timed out after 2.99971s (job process stopped) (3.5s)
    ('lim_matrix_solve_symbolic',
     'from sympy import *\n' "M = Matrix(9, 9, symbols('a0:81'))\n" "b = Matrix(9, 1, symbols('b0:9'))\n"
     'answer = M.solve(b)[0]'),
    # matrix products are not bounded: two products of 99,856-entry matrices are 6e7 SymPy multiplications
    # before: KILLED by the outer time limit; timeout: timed out after 2.99973s (job process stopped) (3.5s)
    ('lim_matrix_product_316',
     'from sympy import *\n' 'A = ones(316, 316)\n' 'B = A * A * A\n' 'answer = B[0, 0]'),
]

# --------------------------------------------------------------------------- crashes

CRASHES = [
    # GuardRefusal is a BaseException: raised while the sympy solver renders the answer (render() catches Exception,
    # run_plain and run_job catch neither) it reaches the job's catch-all: a clean error, but an internal one
    # before: error (clean), no crash; error: internal error: GuardRefusal: factorial() argument too large (limit 5000) (0.0s)
    ('crash_guard_refusal_in_render',
     'from sympy import *\n' "n = symbols('n')\n" 'answer = Sum(factorial(n), (n, 10**6, 10**6))'),
]

CLASSES = sorted({row[1] for row in ESCAPES})
