"""Second red-team table for the step-language sandbox (`solvers.run_program`), same format as
tests/solvers/solvers_escape_table.py.

A second red-team pass wrote these rows against the sandbox after the first fixes (commit b66cebc, sympy
1.14.0, Python 3.11.7); every row was run alone with `run_program(source, timeout_s=3)`. The "before:"
comment above a row says what that code did with it (21 of the 30 ESCAPES rows ran a payload, through
lambdify). None of these rows repeats a row of the first table.

ESCAPES: (id, escape_class, source). `source` contains the placeholder `{marker}` (a path); literal braces
are doubled, so the test does `source.format(marker=path)`. Expectation for every row: afterwards the
marker file does not exist, and NOT (status == "ok" and "PWNED" in value).
  TOUCH      `__import__('pathlib').Path('{marker}').touch()` (the OS layers refuse the write: the row shows
             "PermissionError" in the message, which already proves Python ran)
  PWN_FRAME  `exec("...")` that walks up the stack to the running Interpreter and sets
             globals['answer'] = 'PWNED' (same payload as the first table)
The payload text is turned into character codes *inside the program* (`A.find(ch)` over the printable
ASCII alphabet, since the step language has no ord()), wrapped in a `Tuple`, and handed to
`Function('eval')(Function('bytes')(T))`. Nothing but identifiers and integers crosses the value gate.

WRONG_OK: (id, source, expected_status) - z3 answers that are not determined by the constraints; the right
status is "ambiguous" (a few rows say otherwise in their comment). Before, all of them came back "ok".
RIGHT_OK: (id, source, "ok", value) - determined answers (or, for two rows, answers the program computed
itself) that must come back ok with that value. Rows marked "control" passed before and guard a fix.
LIMITS: (id, source) - the same expectation as the first table: a clean `error` from the interpreter, not
the job process stopped by the outer clock ("timed out after 3s (job process stopped)") nor a memory kill.
CRASHES: (id, source) - programs that crash the job process (SIGSEGV) or make the caller throw its worker
away. Expectation: status "error" with a message that does not say the process died or was replaced, and
a valid answer where there is one.

Classes in ESCAPES:
  lambdify_builtin_function_name  nsolve() lambdifies its expression; an undefined Function is printed as
                                  `name(args)` and resolved in lambdify's exec namespace, which falls back to
                                  Python's builtins. `Function('eval')`, `Function('bytes')`, `Function('exec')`,
                                  `Function('len')`, `Function('str')` are identifiers, so the gate passes them,
                                  and `Tuple(*codes)` prints as a tuple literal: `eval(bytes((95, 95, ...)))`.
  evalf_hypsum_function_name      the same names through evalf: `Sum(term, (n, 0, oo)).evalf()` sums a
                                  hypergeometric series with `hypsum`, which lambdifies the term ratio
                                  (sympy/core/evalf.py: `func1 = lambdify(n, num)`). Any evalf reaches it:
                                  N(), .evalf(), float(), round(), math.floor(), '%f' %, f'{s:.3f}', a
                                  comparison `s > 0`, and rendering the answer (`answer = Sum(...)`).
  tried_refused                   string/callback paths from the brief that the gate now refuses (regression
                                  rows; none ran a payload)
"""
from __future__ import annotations

TOUCH = "__import__('pathlib').Path('{marker}').touch()"
PWN_FRAME = (r'''exec("f = __import__('sys')._getframe()\nwhile type(f.f_locals.get('self')).__name__ '''
             r'''!= 'Interpreter': f = f.f_back\nf.f_locals['self'].globals['answer'] = 'PWNED'")''')
# the payload puts the caller's inherited environment and the job's pid into the answer
PWN_ENV = (r'''exec("import os\nf = __import__('sys')._getframe()\nwhile type(f.f_locals.get('self')).__name__ '''
           r'''!= 'Interpreter': f = f.f_back\nf.f_locals['self'].globals['answer'] = 'PWNED env=' + '''
           r'''str(len(os.environ)) + ' PATH=' + str('PATH' in os.environ) + ' pid=' + str(os.getpid())")''')
# the payload reads files through the running process (Landlock allows the Python install and solvers/)
PWN_READ = (r'''exec("f = __import__('sys')._getframe()\nwhile type(f.f_locals.get('self')).__name__ '''
            r'''!= 'Interpreter': f = f.f_back\nf.f_locals['self'].globals['answer'] = 'PWNED ' + '''
            r'''open(__import__('solvers').__file__).read()[:60]")''')
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
EB = "E = Function('eval', commutative=True)\nB = Function('bytes')\nc = E(B(T))\n"
SUM = "Sum((1 + n * c) / 2**n, (n, 0, oo))"

ESCAPES = [
    # ------------------------------------------------------------------ lambdify_builtin_function_name
    # before: ESCAPED (payload ran; its effect stopped by the OS layers or seen only in the message); error: line 9: nsolve() failed: PermissionError: [Errno 1] Operation not permitted: '/tmp/redteam2-markers/le_nsolve_eval_bytes_touch' (0.2s)
    ("le_nsolve_eval_bytes_touch", "lambdify_builtin_function_name",
     SY + _codes(_or0(TOUCH)) + EB + "r = nsolve(c - x, x, 1)\nanswer = r"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.1s)
    ("le_nsolve_eval_bytes_pwn", "lambdify_builtin_function_name",
     SY + _codes(_or0(PWN_FRAME)) + EB + "r = nsolve(c - x, x, 1)"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.1s)
    ("le_nsolve_eq_pwn", "lambdify_builtin_function_name",
     SY + _codes(_or0(PWN_FRAME)) + EB + "r = nsolve(Eq(c, x), x, 1)"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.1s)
    ("le_nsolve_system_pwn", "lambdify_builtin_function_name",
     SY + _codes(_or0(PWN_FRAME)) + EB + "y = symbols('y')\nr = nsolve([c - x, y - 1], [x, y], [1, 1])"),
    # exec() instead of eval(): len(str(exec(...))) == 4, so nsolve even finds its root
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.1s)
    ("le_nsolve_exec_len_str_pwn", "lambdify_builtin_function_name",
     SY + _codes(PWN_FRAME) + "X = Function('exec')\nB = Function('bytes')\nL = Function('len')\n"
     "S2 = Function('str')\nr = nsolve(L(S2(X(B(T)))) - x, x, 1)"),
    # the names declared with symbols(..., cls=Function), the form the gate allows for cls=
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.1s)
    ("le_nsolve_symbols_cls_function_pwn", "lambdify_builtin_function_name",
     SY + _codes(_or0(PWN_FRAME)) + "E, B = symbols('eval bytes', cls=Function)\nr = nsolve(E(B(T)) - x, x, 1)"),
    # the same from a z3 program (routed to the z3 solver; sympy is importable there too)
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.2s)
    ("le_nsolve_in_z3_program_pwn", "lambdify_builtin_function_name",
     "from z3 import *\nfrom sympy import Function, Tuple, nsolve, symbols\nt = symbols('t')\n" + _codes(_or0(PWN_FRAME))
     + "E = Function('eval')\nB = Function('bytes')\nr = nsolve(E(B(T)) - t, t, 1)\nx = Int('x')\ns = Solver()\n"
     "s.add(x == 2)\ns.check()"),
    # what escaped code can see: the environment the job process inherited from the caller (through the
    # forkserver), and files beneath the read paths
    # before: ESCAPED, PWNED returned; ok 'PWNED env=43 PATH=True pid=6668' (0.1s)
    ("le_nsolve_env_pwn", "lambdify_builtin_function_name",
     SY + _codes(_or0(PWN_ENV)) + EB + "r = nsolve(c - x, x, 1)"),
    # before: ESCAPED, PWNED returned; ok 'PWNED """Exact, trustworthy machinery for model-written prog' (0.1s)
    ("le_nsolve_read_source_pwn", "lambdify_builtin_function_name",
     SY + _codes(_or0(PWN_READ)) + EB + "r = nsolve(c - x, x, 1)"),
    # not caught by the PWNED check (status error), but the message carries the job process's pid
    # before: ESCAPED (payload ran; its effect stopped by the OS layers or seen only in the message); error: line 9: nsolve() failed: RuntimeError: code ran in pid 6674 (0.1s)
    ("le_nsolve_message_pid", "lambdify_builtin_function_name",
     SY + _codes(RAISE_PID) + EB + "r = nsolve(c - x, x, 1)"),

    # ------------------------------------------------------------------ evalf_hypsum_function_name
    # before: ESCAPED (payload ran; its effect stopped by the OS layers or seen only in the message); error: line 9: N() failed: PermissionError: [Errno 1] Operation not permitted: '/tmp/redteam2-markers/hs_N_touch' (0.5s)
    ("hs_N_touch", "evalf_hypsum_function_name", SY + _codes(_or0(TOUCH)) + EB + f"v = N({SUM})\nanswer = v"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.4s)
    ("hs_N_pwn", "evalf_hypsum_function_name", SY + _codes(_or0(PWN_FRAME)) + EB + f"v = N({SUM})"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.4s)
    ("hs_evalf_method_pwn", "evalf_hypsum_function_name", SY + _codes(_or0(PWN_FRAME)) + EB + f"v = {SUM}.evalf()"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.7s)
    ("hs_float_pwn", "evalf_hypsum_function_name", SY + _codes(_or0(PWN_FRAME)) + EB + f"v = float({SUM})"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.5s)
    ("hs_round_pwn", "evalf_hypsum_function_name", SY + _codes(_or0(PWN_FRAME)) + EB + f"v = round({SUM}, 3)"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.5s)
    ("hs_fstring_spec_pwn", "evalf_hypsum_function_name",
     SY + _codes(_or0(PWN_FRAME)) + EB + f"v = f'{{{{{SUM}:.3f}}}}'"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.3s)
    ("hs_percent_format_pwn", "evalf_hypsum_function_name",
     SY + _codes(_or0(PWN_FRAME)) + EB + f"v = '%.3f' % {SUM}"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.5s)
    ("hs_math_floor_pwn", "evalf_hypsum_function_name",
     "import math\n" + SY + _codes(_or0(PWN_FRAME)) + EB + f"v = math.floor({SUM})"),
    # a comparison decided by evalf
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.7s)
    ("hs_compare_pwn", "evalf_hypsum_function_name",
     SY + _codes(_or0(PWN_FRAME)) + EB + f"v = bool({SUM} > 0)"),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.5s)
    ("hs_print_pwn", "evalf_hypsum_function_name", SY + _codes(_or0(PWN_FRAME)) + EB + f"print(N({SUM}))"),
    # the answer alone: rendering it (solvers.normalize._render_sympy) calls evalf(30) outside the interpreter
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.4s)
    ("hs_render_answer_pwn", "evalf_hypsum_function_name",
     SY + _codes(_or0(PWN_PRINTER)) + EB + f"answer = {SUM}"),

    # ------------------------------------------------------------------ tried_refused
    # before: refused / no effect; error: line 3: string arguments to sympy are not allowed ('QQ<sqrt(2)>' in Poly()); build expressions from symbols instead (0.0s)
    ("tr_poly_domain_string", "tried_refused", SY + "answer = Poly(x**2 - 2, x, domain='QQ<sqrt(2)>')"),
    # before: refused / no effect; error: line 3: string arguments to sympy are not allowed ("__import__('pathlib').Path('/tmp/red... in simplify()); build expressions from symbols instead (0.0s)
    ("tr_simplify_measure_returns_string", "tried_refused",
     SY + f"answer = simplify(x + x, measure=lambda e: {TOUCH!r})"),
    # before: refused / no effect; error: line 4: string arguments to sympy are not allowed ("__import__('pathlib').Path('/tmp/red... in Function()); build expressions from symbols instead (0.0s)
    ("tr_function_eval_returns_string", "tried_refused",
     SY + f"f = Function('f', eval=lambda t: {TOUCH!r})\nanswer = f(1)"),
    # before: refused / no effect; error: line 3: string arguments to sympy are not allowed ("__import__('pathlib').Path('/tmp/red... in Lambda()); build expressions from symbols instead (0.0s)
    ("tr_lambda_string_body", "tried_refused", SY + f"answer = Lambda(x, {TOUCH!r})(1)"),
    # before: refused / no effect; error: line 3: string arguments to sympy are not allowed ("__import__('pathlib').Path('/tmp/red... in Piecewise()); build expressions from symbols instead (0.0s)
    ("tr_piecewise_string", "tried_refused", SY + f"answer = Piecewise(({TOUCH!r}, True))"),
    # before: refused / no effect; error: line 3: string arguments to sympy are not allowed ("__import__('pathlib').Path('/tmp/red... in nsolve()); build expressions from symbols instead (0.0s)
    ("tr_nsolve_modules_string", "tried_refused", SY + f"answer = nsolve(x - 2, x, 1, modules={TOUCH!r})"),
    # a free Symbol named eval in lambdified code is a bare name, never called
    # before: refused / no effect; error: line 4: nsolve() failed: TypeError: cannot create mpf from eval + 1.0 (0.1s)
    ("tr_nsolve_symbol_named_eval", "tried_refused", SY + "z = Symbol('eval')\nanswer = nsolve([x - 1 + z], [x], [2])"),
    # before: refused / no effect; error: line 3: SingletonRegistry() failed: SympifyError: SympifyError: "cannot sympify object of type <class 'function'>" (0.0s)
    ("tr_S_of_callback", "tried_refused", SY + f"answer = S(lambda: {TOUCH!r})"),
    # before: refused / no effect; error: line 2: z3 error in IntVal(): b'parser error' (0.0s)
    ("tr_z3_intval_string", "tried_refused", f"from z3 import *\nanswer = IntVal({TOUCH!r})"),
]

# --------------------------------------------------------------------------- z3 uniqueness

_Z_FREE = ("from z3 import *\nimport math\nx, y = Ints('x y')\ns = Solver()\ns.add(x > 0, x < 10)\ns.check()\n"
           "m = s.model()\n")
_ABC = ("from z3 import *\nnames = ['a', 'b', 'c']\nh = {n: Int(n) for n in names}\ns = Solver()\n"
        "s.add(Distinct(list(h.values())))\nfor n in names:\n    s.add(h[n] >= 1, h[n] <= 3)\ns.check()\nm = s.model()\n")
_HUE = ("from z3 import *\nHue, (red, green, blue) = EnumSort('Hue', ['red', 'green', 'blue'])\nc = Const('c', Hue)\n"
        "s = Solver()\ns.add(c != red)\ns.check()\n")

WRONG_OK = [
    # --- a container around the model value: use() of a list/tuple/dict records nothing
    # before: WRONG ok; ok '[1]' (0.0s)
    ("wrong_str_of_list", _Z_FREE + "answer = str([m[x]])", "ambiguous"),
    # before: WRONG ok; ok '[1, 0]' (0.0s)
    ("wrong_str_of_tuple", _Z_FREE + "answer = str((m[x].as_long(), 0))", "ambiguous"),
    # before: WRONG ok; ok '[1]' (0.1s)
    ("wrong_fstring_of_list", _Z_FREE + "answer = f'{[m[x].as_long()]}'", "ambiguous"),
    # before: WRONG ok; ok "{'x': 1}" (0.0s)
    ("wrong_format_of_dict", _Z_FREE + "answer = '{}'.format({'x': m[x].as_long()})", "ambiguous"),
    # answers checked one level deep only (z3_checks._parts)
    # before: WRONG ok; ok '[[1]]' (0.1s)
    ("wrong_nested_list_answer", _Z_FREE + "answer = [[m[x]]]", "ambiguous"),
    # before: WRONG ok; ok '{a: [1]}' (0.0s)
    ("wrong_dict_of_list_answer", _Z_FREE + "answer = {'a': [m[x].as_long()]}", "ambiguous"),
    # --- comparisons and look-ups whose tagged operand sits inside a container
    # before: WRONG ok; ok 'True' (0.1s)
    ("wrong_in_list_right_side", _Z_FREE + "answer = 1 in [m[x].as_long()]", "ambiguous"),
    # before: WRONG ok; ok 'True' (0.0s)
    ("wrong_list_equality", _Z_FREE + "answer = [m[x].as_long()] == [1]", "ambiguous"),
    # before: WRONG ok; ok 'True' (0.0s)
    ("wrong_tuple_ordering", _Z_FREE + "answer = (m[x].as_long(), 0) < (2, 0)", "ambiguous"),
    # before: WRONG ok; ok '5' (0.1s)
    ("wrong_max_of_lists", _Z_FREE + "answer = max([[m[x].as_long()], [5]])[0]", "ambiguous"),
    # before: WRONG ok; ok 'yes' (0.0s)
    ("wrong_dict_get_model_key", _Z_FREE + "d = {m[x].as_long(): 'yes'}\nanswer = d.get(1, 'no')", "ambiguous"),
    # before: WRONG ok; ok 'True' (0.0s)
    ("wrong_in_dict_model_key", _Z_FREE + "d = {m[x].as_long(): 'yes'}\nanswer = 1 in d", "ambiguous"),
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_list_count", _Z_FREE + "answer = [m[x].as_long()].count(1)", "ambiguous"),
    # before: WRONG ok; ok '0' (0.0s)
    ("wrong_list_index", _Z_FREE + "answer = [m[x].as_long(), 1].index(1)", "ambiguous"),
    # before: WRONG ok; ok '1' (0.1s)
    ("wrong_len_of_set", _Z_FREE + "answer = len({m[x].as_long(), 1})", "ambiguous"),
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_set_intersection", _Z_FREE + "answer = len({m[x].as_long()} & {1})", "ambiguous"),
    # before: WRONG ok; ok 'True' (0.0s)
    ("wrong_set_issubset", _Z_FREE + "answer = {m[x].as_long()}.issubset({1})", "ambiguous"),
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_math_dist", _Z_FREE + "answer = math.dist([m[x].as_long()], [0])", "ambiguous"),
    # --- methods and properties of the model-derived int/Fraction itself (the receiver is never use()d)
    # before: WRONG ok; ok '1' (0.1s)
    ("wrong_int_bit_length", _Z_FREE + "answer = m[x].as_long().bit_length()", "ambiguous"),
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_int_real", _Z_FREE + "answer = m[x].as_long().real", "ambiguous"),
    # before: WRONG ok; ok '1' (0.1s)
    ("wrong_int_numerator", _Z_FREE + "answer = m[x].as_long().numerator", "ambiguous"),
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_int_conjugate", _Z_FREE + "answer = m[x].as_long().conjugate()", "ambiguous"),
    # before: WRONG ok; ok '0.5' (0.0s)
    ("wrong_fraction_limit_denominator", "from z3 import *\nr = Real('r')\ns = Solver()\ns.add(r > 0, r < 1)\n"
     "s.check()\nanswer = s.model()[r].as_fraction().limit_denominator(100)", "ambiguous"),
    # --- the value through its declaration (decl is not a value read)
    # before: WRONG ok; ok 'green' (0.1s)
    ("wrong_enum_decl_name", _HUE + "answer = s.model()[c].decl().name()", "ambiguous"),
    # before: WRONG ok; ok 'green' (0.0s)
    ("wrong_enum_str_of_decl", _HUE + "answer = str(s.model()[c].decl())", "ambiguous"),
    # before: WRONG ok; ok 'true' (0.1s)
    ("wrong_bool_decl_name", "from z3 import *\nb, c = Bools('b c')\ns = Solver()\ns.add(Or(b, c))\ns.check()\n"
     "answer = s.model()[b].decl().name()", "ambiguous"),
    # --- orderings by a key: _order_untracked use()s the items (names), not the key values
    # before: WRONG ok; ok 'b' (0.0s)
    ("wrong_max_by_model_key", _ABC + "answer = max(names, key=lambda n: m[h[n]].as_long())", "ambiguous"),
    # before: WRONG ok; ok 'a' (0.1s)
    ("wrong_min_by_model_key", _ABC + "answer = min(names, key=lambda n: m[h[n]])", "ambiguous"),
    # before: WRONG ok; ok '[a, c, b]' (0.0s)
    ("wrong_sorted_by_model_key", _ABC + "answer = sorted(names, key=lambda n: m[h[n]].as_long())", "ambiguous"),
    # before: WRONG ok; ok 'a' (0.0s)
    ("wrong_list_sort_by_model_key", _ABC + "order = list(names)\norder.sort(key=lambda n: m[h[n]].as_long())\n"
     "answer = order[0]", "ambiguous"),
    # --- values the checks skip
    # an algebraic model value renders as a float, which _numeral() cannot restate: "unchecked" (r = +-sqrt 2)
    # before: WRONG ok; ok '-1.41421356237' (0.1s)
    ("wrong_algebraic_value", "from z3 import *\nr = Real('r')\ns = Solver()\ns.add(r * r == 2)\ns.check()\n"
     "answer = s.model()[r]", "ambiguous"),
    # a symbolic answer over a `constraints` list and no Solver: tagged with record None, so never checked
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_constraints_list_symbolic_answer", "from z3 import *\nx = Int('x')\nconstraints = [x > 0, x < 10]\n"
     "answer = x", "ambiguous"),
    # claims get no path check: a claim computed from a model value
    # before: WRONG ok; ok 'True' (0.1s)
    ("wrong_claim_python_bool", _Z_FREE + "claim = m[x].as_long() == 1", "ambiguous"),
    # before: WRONG ok; ok 'True' (0.0s)
    ("wrong_claim_z3_compare", _Z_FREE + "claim = m[x] == 1", "ambiguous"),
    # options decided from a container comparison
    # before: WRONG ok; ok 'A' (0.0s)
    ("wrong_options_in_list", _Z_FREE + "options = {'A': 1 in [m[x].as_long()], 'B': not (1 in [m[x].as_long()])}",
     "ambiguous"),
    # options are checked against the *last* solver with constraints: one scratch solver per option
    # before: WRONG ok; ok 'B' (0.0s)
    ("wrong_options_per_option_solver", "from z3 import *\nx = Int('x')\nbase = [Or(x == 2, x == 8)]\n"
     "options = {'A': x == 2, 'B': x == 8}\nfor k in options:\n    t = Solver()\n    t.add(base)\n"
     "    t.add(options[k])\n    r = t.check()", "ambiguous"),
    # MAX_CONDITIONS = 200: after 200 recorded decisions the rest are not recorded
    # before: WRONG ok; ok '1' (0.2s)
    ("wrong_conditions_overflow", "from z3 import *\nx, y = Ints('x y')\ns = Solver()\ns.add(x > 0, x < 10, y == 500)\n"
     "s.check()\nm = s.model()\nfor i in range(250):\n    t = m[y].as_long() > i\n"
     "answer = [i for i in range(10) if m[x].as_long() == i][0]", "ambiguous"),
    # --- pins that are not recognised as pins (counted as facts of the problem)
    # & on two BoolRefs (z3.And in _binop) does not carry DERIVED
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_pin_via_bitand", _Z_FREE + "v = m[x]\ns.add((x == v) & (y == y))\ns.check()\nanswer = s.model()[x]",
     "ambiguous"),
    # Python `and` on z3 conditions (ev_BoolOp builds z3.And) does not either
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_pin_via_python_and", _Z_FREE + "v = m[x]\ns.add(x == v and y == y)\ns.check()\nanswer = s.model()[x]",
     "ambiguous"),
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_pin_via_eq_true", _Z_FREE + "v = m[x]\ns.add((x == v) == True)\ns.check()\nanswer = s.model()[x]",
     "ambiguous"),
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_pin_via_invert", _Z_FREE + "s.add(~(x != m[x]))\ns.check()\nanswer = s.model()[x]", "ambiguous"),
    # before: WRONG ok; ok '1' (0.1s)
    ("wrong_pin_via_not_keyword", _Z_FREE + "s.add(not (x != m[x]))\ns.check()\nanswer = s.model()[x]", "ambiguous"),
    # the value laundered first (str() records x == 1, but the pin then makes that decision hold)
    # before: WRONG ok; ok '1' (0.1s)
    ("wrong_pin_via_int_of_str", _Z_FREE + "s.add(x == int(str(m[x])))\ns.check()\nanswer = s.model()[x]",
     "ambiguous"),
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_pin_via_int_real", _Z_FREE + "s.add(x == m[x].as_long().real)\ns.check()\nanswer = s.model()[x]",
     "ambiguous"),
    # s.assertions() returns fresh wrappers: the DERIVED mark is gone in the copy
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_pin_via_assertions_copy", _Z_FREE + "s.add(x == m[x])\nt = Solver()\nt.add(s.assertions())\nt.check()\n"
     "answer = t.model()[x]", "ambiguous"),
    # check() assumptions are always facts, even when built from the model
    # before: WRONG ok; ok '1' (0.1s)
    ("wrong_pin_via_assumption", _Z_FREE + "s.check(x == m[x])\nanswer = s.model()[x]", "ambiguous"),
    # an Optimize's soft constraint or objective built from the model pins it (optimum fixed in _problem)
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_pin_via_add_soft", "from z3 import *\nx = Int('x')\no = Optimize()\no.add(x > 0, x < 10)\no.check()\n"
     "v = o.model()[x]\no.add_soft(x == v)\no.check()\nanswer = o.model()[x]", "ambiguous"),
    # before: WRONG ok; ok '1' (0.1s)
    ("wrong_pin_via_objective", "from z3 import *\nx = Int('x')\no = Optimize()\no.add(x > 0, x < 10)\no.check()\n"
     "v = o.model()[x].as_long()\no.minimize((x - v) * (x - v))\no.check()\nanswer = o.model()[x]", "ambiguous"),
    # --- vacuous checks: a fact added after the read makes the problem unsat, so every check passes
    # before: WRONG ok; ok '1' (0.0s)
    ("wrong_vacuous_false_fact", _Z_FREE + "v = m[x]\ns.add(BoolVal(False))\nanswer = v", "ambiguous"),
    # enumerating with Python-`or` blocking clauses (facts, not pins): afterwards the problem is unsat
    # before: WRONG ok; ok '4' (0.0s)
    ("wrong_vacuous_pyor_blocking_loop", "from z3 import *\nx, y = Ints('x y')\ns = Solver()\n"
     "s.add(x > 0, y > 0, x + y == 5)\nfirsts = []\nwhile s.check() == sat:\n    m = s.model()\n"
     "    firsts.append(m[x])\n    s.add(x != m[x] or y != m[y])\nanswer = firsts[0]", "ambiguous"),
    # before: WRONG ok; ok '1' (0.1s)
    ("wrong_vacuous_laundered_blocks", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x > 0, x < 4)\nsols = []\n"
     "while s.check() == sat:\n    v = s.model()[x].as_long()\n    sols.append(v)\n    s.add(x != int(str(v)))\n"
     "answer = sols[0]", "ambiguous"),
    # an Optimize read after a later add(): o.model() then raises in _problem, so the answer is "unchecked"
    # before: WRONG ok; ok '0' (0.0s)
    ("wrong_optimize_add_after_check", "from z3 import *\nx, y = Ints('x y')\no = Optimize()\n"
     "o.add(x >= 0, x <= 9, y >= 0, y <= 9)\no.maximize(x)\no.check()\nm = o.model()\nv = m[y]\no.add(y >= 0)\n"
     "answer = v", "ambiguous"),
    # no optimum exists (unbounded / a supremum not attained); the model's value is pinned as the optimum
    # (an error would do as well as ambiguous)
    # before: WRONG ok; ok '0' (0.0s)
    ("wrong_optimize_unbounded", "from z3 import *\nx = Int('x')\no = Optimize()\no.add(x >= 0)\no.maximize(x)\n"
     "o.check()\nanswer = o.model()[x]", "ambiguous"),
    # before: WRONG ok; ok '4' (0.0s)
    ("wrong_optimize_strict_supremum", "from z3 import *\nx = Real('x')\no = Optimize()\no.add(x < 5, x >= 0)\n"
     "o.maximize(x)\no.check()\nanswer = o.model()[x]", "ambiguous"),
]

_LD = ("from z3 import *\nnames = ['Amy', 'Bob', 'Cal']\npos = {n: Int(n) for n in names}\ns = Solver()\n"
       "for n in names:\n    s.add(pos[n] >= 1, pos[n] <= 3)\ns.add(Distinct([pos[n] for n in names]))\n"
       "s.add(pos['Amy'] < pos['Bob'])\ns.add(pos['Cal'] == 3)\n")

RIGHT_OK = [
    # --- false ambiguity in common styles
    # all solutions by blocking clauses: each element is checked as if it were the unique value of x
    # before: FALSE ALARM; ambiguous '[-3, 3]': answer not unique: it depends on -3 == x being True, which the constraints do not fix (add the missing constraints) (0.0s)
    ("right_all_solutions_list", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x * x == 9)\nsols = []\n"
     "while s.check() == sat:\n    m = s.model()\n    sols.append(m[x].as_long())\n    s.add(x != m[x])\n"
     "answer = sorted(sols)", "ok", "[-3, 3]"),
    # the shadow of v1 + v2 (values of x from two different models) is x + x
    # before: FALSE ALARM; ambiguous '0': answer not unique: 0 + x + x = 0 here, but 6 also satisfies the constraints (add the missing constraints) (0.0s)
    ("right_sum_of_all_solutions", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x * x == 9)\nsols = set()\n"
     "while s.check() == sat:\n    v = s.model()[x].as_long()\n    sols.add(v)\n    s.add(x != v)\n"
     "answer = sum(sols)", "ok", "0"),
    # `in` is not an ordering: recorded as x == 1
    # before: FALSE ALARM; ambiguous 'True': answer not unique: it depends on 1 == x being True, which the constraints do not fix (add the missing constraints) (0.0s)
    ("right_in_range", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x > 0, x < 10)\ns.check()\nm = s.model()\n"
     "answer = m[x].as_long() in range(1, 10)", "ok", "True"),
    # "how many are true" / "how many are above 1": each term's own value is recorded
    # before: FALSE ALARM; ambiguous '2': answer not unique: it depends on p == True being True, which the constraints do not fix (add the missing constraints) (0.0s)
    ("right_count_true_bools", "from z3 import *\nbs = Bools('p q r')\ns = Solver()\ns.add(PbEq([(b, 1) for b in bs], 2))\n"
     "s.check()\nm = s.model()\nanswer = sum(1 for b in bs if is_true(m[b]))", "ok", "2"),
    # before: FALSE ALARM; ambiguous '2': answer not unique: it depends on a > 1 being False, which the constraints do not fix (add the missing constraints) (0.0s)
    ("right_count_comprehension", "from z3 import *\nv = Ints('a b c')\ns = Solver()\ns.add(Distinct(v))\n"
     "for t in v:\n    s.add(t >= 1, t <= 3)\ns.check()\nm = s.model()\n"
     "answer = len([t for t in v if m[t].as_long() > 1])", "ok", "2"),
    # more than 8 values: no order-statistic shadow, every value is used
    # before: FALSE ALARM; ambiguous '[1, 2, 3, 4, 5, 6, 7, 8, 9]': answer not unique: it depends on 1 == v0 being True, which the constraints do not fix (add the missing constraints) (0.0s)
    ("right_sorted_nine_values", "from z3 import *\nv = [Int(f'v{i}') for i in range(9)]\ns = Solver()\ns.add(Distinct(v))\n"
     "for t in v:\n    s.add(t >= 1, t <= 9)\ns.check()\nm = s.model()\nanswer = sorted([m[t].as_long() for t in v])",
     "ok", "[1, 2, 3, 4, 5, 6, 7, 8, 9]"),
    # a debug print of an auxiliary value (f-strings use() what they format)
    # before: FALSE ALARM; ambiguous '5': answer not unique: it depends on 0 == z being True, which the constraints do not fix (add the missing constraints) (0.0s)
    ("right_debug_fstring_of_free_aux", "from z3 import *\nx, z = Ints('x z')\ns = Solver()\ns.add(x == 5, z >= 0)\n"
     "s.check()\nm = s.model()\nprint(f'x = {m[x]}, z = {m[z]}')\nanswer = m[x]", "ok", "5"),
    # the shadows use z3's div/mod (Euclidean) for Python's // and % (floor): they differ for a negative divisor
    # before: FALSE ALARM; ambiguous '-4': answer not unique: x/y = -4 here, but -3 also satisfies the constraints (add the missing constraints) (0.0s)
    ("right_floordiv_negative_divisor", "from z3 import *\nx, y = Ints('x y')\ns = Solver()\ns.add(x == 7, y == -2)\n"
     "s.check()\nm = s.model()\nanswer = m[x].as_long() // m[y].as_long()", "ok", "-4"),
    # before: FALSE ALARM; ambiguous '-2': answer not unique: x%y = -2 here, but 1 also satisfies the constraints (add the missing constraints) (0.0s)
    ("right_mod_negative_divisor", "from z3 import *\nx, y = Ints('x y')\ns = Solver()\ns.add(x == 7, y == -3)\n"
     "s.check()\nm = s.model()\nanswer = m[x].as_long() % m[y].as_long()", "ok", "-2"),
    # bit-vector shadows are signed (z3 `/` and `>` on BitVecs) while as_long() is unsigned
    # before: FALSE ALARM; ambiguous '100': answer not unique: b/2 = 100 here, but 228 also satisfies the constraints (add the missing constraints) (0.0s)
    ("right_bitvec_floordiv", "from z3 import *\nb = BitVec('b', 8)\ns = Solver()\ns.add(b == 200)\ns.check()\n"
     "m = s.model()\nanswer = m[b].as_long() // 2", "ok", "100"),
    # before: FALSE ALARM; ambiguous '0': answer not unique: it depends on b > 150 being False, which the constraints do not fix (add the missing constraints) (0.0s)
    ("right_bitvec_compare", "from z3 import *\nb = BitVec('b', 8)\ns = Solver()\ns.add(b == 100)\ns.check()\n"
     "m = s.model()\nanswer = 1 if m[b].as_long() > 150 else 0", "ok", "0"),
    # the model of a check(assumption) read, then a plain check(): the assumption is forgotten
    # before: FALSE ALARM; ambiguous '5': answer not unique: x = 5 here, but 8 also satisfies the constraints (add the missing constraints) (0.0s)
    ("right_recheck_after_assumption", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x > 0, x < 10)\n"
     "s.check(x == 5)\nm = s.model()\nv = m[x]\nok = s.check() == sat\nanswer = v", "ok", "5"),
    # a value read inside push()/pop() is checked against the constraints after pop()
    # before: FALSE ALARM; ambiguous '5': answer not unique: y = 5 here, but 6 also satisfies the constraints (add the missing constraints) (0.0s)
    ("right_push_pop_scope", "from z3 import *\nx, y = Ints('x y')\ns = Solver()\ns.add(y == x + 1)\ns.push()\n"
     "s.add(x == 4)\ns.check()\nv = s.model()[y]\ns.pop()\nanswer = v", "ok", "5"),
    # `options` overrides the program's own `answer`: a "could be true" question is judged by entailment
    # before: FALSE ALARM; ambiguous: no option is entailed by the constraints; possible: C (add the missing facts as constraints) (0.0s)
    ("right_options_could_be_true_with_answer", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x > 0, x < 3)\n"
     "options = {'A': x > 5, 'B': x < 0, 'C': x == 1}\nanswer = None\nfor k, c in options.items():\n    s.push()\n"
     "    s.add(c)\n    if s.check() == sat:\n        answer = k\n    s.pop()", "ok", "C"),
    # ... and a "must be false" question comes back ok with the option that must be TRUE (a wrong ok)
    # before: WRONG VALUE; ok 'A' (0.0s)
    ("right_options_must_be_false_with_answer", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x > 0, x < 3)\n"
     "options = {'A': x > 0, 'B': x > 5, 'C': x == 1}\nanswer = None\nfor k, c in options.items():\n    s.push()\n"
     "    s.add(c)\n    if s.check() == unsat:\n        answer = k\n    s.pop()", "ok", "B"),
    # --- controls (ok now; common styles a fix must keep)
    # before: correct; ok '4' (0.0s)
    ("right_count_solutions_blocking", "from z3 import *\nx, y = Ints('x y')\ns = Solver()\ns.add(x > 0, y > 0, x + y == 5)\n"
     "count = 0\nwhile s.check() == sat:\n    m = s.model()\n    count += 1\n    s.add(Or(x != m[x], y != m[y]))\n"
     "answer = count", "ok", "4"),
    # before: correct; ok 'a' (0.0s)
    ("right_tallest_by_key_determined", "from z3 import *\nnames = ['a', 'b', 'c']\nh = {n: Int(n) for n in names}\n"
     "s = Solver()\ns.add(Distinct(list(h.values())))\nfor n in names:\n    s.add(h[n] >= 1, h[n] <= 3)\n"
     "s.add(h['a'] > h['b'], h['b'] > h['c'])\ns.check()\nm = s.model()\n"
     "answer = max(names, key=lambda n: m[h[n]].as_long())", "ok", "a"),
    # before: correct; ok 'A' (0.0s)
    ("right_ld_options", _LD + "options = {'A': pos['Amy'] == 1, 'B': pos['Bob'] == 1, 'C': pos['Cal'] == 1}", "ok", "A"),
    # before: correct; ok 'Amy' (0.0s)
    ("right_ld_sorted_key", _LD + "s.check()\nm = s.model()\norder = sorted(names, key=lambda n: m[pos[n]].as_long())\n"
     "print(order)\nanswer = order[0]", "ok", "Amy"),
    # before: correct; ok 'Amy' (0.0s)
    ("right_ld_filter", _LD + "s.check()\nm = s.model()\nanswer = [n for n in names if m[pos[n]].as_long() == 1][0]",
     "ok", "Amy"),
    # before: correct; ok 'A' (0.0s)
    ("right_ld_options_from_model", _LD + "s.check()\nm = s.model()\n"
     "options = {'A': m[pos['Amy']].as_long() == 1, 'B': m[pos['Bob']].as_long() == 1}", "ok", "A"),
    # before: correct; ok 'A' (0.0s)
    ("right_option_eval_in_model", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x > 4, x < 6)\ns.check()\n"
     "m = s.model()\nopts = {'A': x == 5, 'B': x == 6}\nanswer = [k for k in opts if is_true(m.eval(opts[k]))][0]",
     "ok", "A"),
    # before: correct; ok '4' (0.0s)
    ("right_optimize_two_objectives", "from z3 import *\nx, y = Ints('x y')\no = Optimize()\n"
     "o.add(x + y <= 10, x >= 0, y >= 0, x <= 6)\no.maximize(x + y)\no.maximize(x)\no.check()\nm = o.model()\n"
     "answer = m[y]", "ok", "4"),
]

# --------------------------------------------------------------------------- limits

_SL = "from sympy import *\nx, n = symbols('x n')\n"
_PHP9 = ("from z3 import *\nN = 9\np = [[Bool(f'p{i}_{j}') for j in range(N - 1)] for i in range(N)]\ns = Solver()\n"
         "for i in range(N):\n    s.add(Or(p[i]))\nfor j in range(N - 1):\n    for i in range(N):\n"
         "        for k in range(i + 1, N):\n            s.add(Or(Not(p[i][j]), Not(p[k][j])))\n")

LIMITS = [
    # --- counts the gate bounds only when they are Python ints at the top level of the call
    # before: KILLED by the outer time limit; timeout: timed out after 2.99997s (job process stopped) (3.5s)
    ("lim_diff_sympy_integer_count", _SL + "answer = diff(sin(x), x, Integer(10**8))"),
    # before: KILLED by the outer time limit; timeout: timed out after 2.99996s (job process stopped) (3.5s)
    ("lim_diff_tuple_count", _SL + "answer = diff(sin(x), (x, 10**8))"),
    # before: KILLED by the outer time limit; timeout: timed out after 2.99996s (job process stopped) (3.5s)
    ("lim_diff_method_tuple_count", _SL + "answer = sin(x).diff((x, 10**8))"),
    # before: KILLED by the outer time limit; timeout: timed out after 2.99996s (job process stopped) (3.5s)
    ("lim_derivative_tuple_doit", _SL + "answer = Derivative(sin(x), (x, 10**8)).doit()"),
    # before: KILLED by the outer time limit; timeout: timed out after 2.99996s (job process stopped) (3.5s)
    ("lim_series_sympy_integer_order", _SL + "answer = series(exp(x), x, 0, Integer(5000))"),
    # --- mpmath iteration counts and precisions that reach mpmath without the evalf guard
    # before: KILLED by the outer time limit; timeout: timed out after 2.99996s (job process stopped) (3.5s)
    ("lim_nsolve_maxsteps", _SL + "answer = nsolve(x**2 + 1, x, 1, maxsteps=10**9)"),
    # before: KILLED by the outer time limit; timeout: timed out after 2.99996s (job process stopped) (3.5s)
    ("lim_nroots_precision", _SL + "answer = nroots(x**3 - 2, n=10**6)"),
    # before: KILLED by the outer time limit; timeout: timed out after 2.99996s (job process stopped) (3.5s)
    ("lim_nroots_maxsteps", _SL + "answer = nroots(x**60 - 3*x + 1, n=500, maxsteps=10**8)"),
    # --- sizes the matrix bound does not cover: 90,000 entries is within it, the O(n^3) work is not
    # before: KILLED by the outer time limit; timeout: timed out after 2.99996s (job process stopped) (3.5s)
    ("lim_matrix_inverse_300", _SL + "M = ones(300, 300) + eye(300)\nanswer = M.inv()[0, 0]"),
    # before: KILLED by the outer time limit; timeout: timed out after 2.99996s (job process stopped) (3.5s)
    ("lim_symbolic_det_12", _SL + "M = Matrix(12, 12, symbols('a0:144'))\nanswer = M.det()"),
    # evalf precision is capped at 1,000 digits, but a quadrature at 1,000 digits is far more work than the
    # job's time (a lower cap for Integral/Sum evalf, or a cost estimate, would do)
    # before: KILLED by the outer time limit; timeout: timed out after 2.99687s (job process stopped) (3.5s)
    ("lim_integral_evalf_1000_digits", _SL + "answer = Integral(exp(-x**2) * sin(x)**2, (x, 0, oo)).evalf(1000)"),
    # --- a count below the COUNTED bound that still builds 13 million divisors (memory)
    # before: hit the memory limit; error: memory limit exceeded (512 MB) (1.1s)
    ("lim_divisors_highly_composite", _SL + "answer = len(divisors(950542574818669103079134726400))"),
    # --- z3's unsat core is computed after the program, on its own 2 s timeout (twice), which core
    # minimisation does not even keep: off the job's clock
    # before: KILLED by the outer time limit; timeout: timed out after 2.99996s (job process stopped) (3.5s)
    ("lim_z3_unsat_core_after_model", _PHP9 + "r = s.check()\nm = s.model()\nanswer = 1"),
    # before: KILLED by the outer time limit; timeout: timed out after 2.99997s (job process stopped) (3.5s)
    ("lim_z3_unsat_core_no_answer", _PHP9 + "r = s.check()"),
]

# --------------------------------------------------------------------------- crashes

CRASHES = [
    # a nullary application of an n-ary z3 operator, built from a declaration (decl() is allowed and a
    # FuncDeclRef is callable): z3 segfaults on it in simplify/check/printing
    # before: CRASHED the job process; error: solver process died (SIGSEGV: memory limit or a crash); the program may use too much memory (0.0s)
    ("crash_z3_nullary_plus_simplify", "from z3 import *\nx = Int('x')\ne = (x + 1).decl()()\nanswer = simplify(e)"),
    # before: CRASHED the job process; error: solver process died (SIGSEGV: memory limit or a crash); the program may use too much memory (0.0s)
    ("crash_z3_nullary_times_in_solver", "from z3 import *\nx = Int('x')\ne = (x * 2).decl()()\ns = Solver()\n"
     "s.add(e == x)\ns.check()\nanswer = s.model()[x]"),
    # before: CRASHED the job process; error: solver process died (SIGSEGV: memory limit or a crash); the program may use too much memory (0.0s)
    ("crash_z3_nullary_bvadd_check", "from z3 import *\nb = BitVec('b', 8)\ne = (b + 1).decl()()\ns = Solver()\n"
     "s.add(e == b)\nr = s.check()\nanswer = 1"),
    # before: CRASHED the job process; error: solver process died (SIGSEGV: memory limit or a crash); the program may use too much memory (0.0s)
    ("crash_z3_nullary_plus_answer", "from z3 import *\nx = Int('x')\nanswer = (x + 1).decl()()"),
    # lone surrogates grow 6x when replies.clean_text escapes them, after the 2,000-character clip; the
    # caller then refuses the reply ("value is over the limit") and kills the worker: a valid answer comes
    # back as an error and any program can throw away a worker per call
    # before: WORKER THROWN AWAY by the caller; error: the solver worker sent an invalid reply (reply value is over the limit); it was replaced (0.0s)
    ("crash_surrogate_value_kills_worker", "answer = '\\ud800' * 1000"),
    # before: WORKER THROWN AWAY by the caller; error: the solver worker sent an invalid reply (reply value is over the limit); it was replaced (0.0s)
    ("crash_surrogate_value_near_cap", "answer = 'a' * 1990 + '\\udfff' * 3"),
]

CLASSES = sorted({row[1] for row in ESCAPES})
