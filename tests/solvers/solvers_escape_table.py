"""Red-team table for the step-language sandbox (`solvers.run_program`), used by test_escapes.py.

A red-team pass wrote these rows against the code before the sandbox issue (commit f76d208, sympy 1.14.0)
and ran each with `run_program(source, timeout_s=3)`; the "before:" comment above a row is what that code
did with it (70 of the 81 ESCAPES rows ran a payload then). What the code must do now is in each list's
expectation below and in test_escapes.py.

ESCAPES: (id, escape_class, source). `source` contains the placeholder `{marker}` (a path under
a temporary folder); literal braces are doubled, so the test does `source.format(marker=path)`.
Expectation for every row: afterwards the marker file does not exist, and NOT (status == "ok" and
"PWNED" in value). Payloads only touch the marker file or write the text PWNED into the answer:
  TOUCH      `__import__('pathlib').Path('{marker}').touch()`
  PWN_SYMBOL `Symbol('PWNED')`                      (the eval'd string returns a Symbol named PWNED)
  PWN_FRAME  `exec("...")` that walks up the stack to the running Interpreter and sets
             globals['answer'] = 'PWNED' (for paths whose eval'd value is thrown away, e.g. sort keys)

Only ESCAPES sources are format templates; the sources in WRONG_OK, RIGHT_OK, LIMITS and CRASHES are
plain programs (do not .format them).

WRONG_OK: (id, source, expected_status) - z3 answers read from an under-constrained model through a
path that drops the model tag; the right status is "ambiguous" (before, 52 of 53 came back "ok").
RIGHT_OK: (id, source, "ok", value) - the same reads on a fully determined model; the right result is
ok with that value (so a fix cannot simply refuse these patterns).
LIMITS: (id, source) - work that steps around the interpreter's own limits. Expectation: a clean
`error` (or `timeout`) produced by the interpreter itself, not the worker being killed by the outer
time limit ("timed out after 3s (worker stopped)") and not "solver worker died".
CRASHES: (id, source) - programs that kill the worker (segfault). Expectation: status "error" with a
message that does not say the worker died.

Classes in ESCAPES:
  callback_to_builtin               a raw library callable used as key= of sorted/min/max/list.sort
  keyword_argument                  keyword arguments passed to sympy unchecked (callables, dict views)
  library_calls_back_model_function sympy calls a program lambda/def and sympifies what it returns
  unconverted_container             dict views (alone or nested in lists/tuples/dicts) reach sympify
  raw_library_callable_as_value     a Builtin/Wrapped (str.format, dict.get, expr.subs ...) is unwrapped
                                    to its raw function and handed to library code
  symbol_names                      arbitrary Symbol/Function names reach lambdify's generated code
                                    (nsolve), which is exec'd
  name_taking_spoof   (new)         a program-made `Function("Symbol")` (or "symbols", "Dummy", ...) has
                                    a __name__ in NAME_TAKING, so the interpreter lets its first
                                    argument through as a raw string; AppliedUndef sympifies it
"""
from __future__ import annotations

TOUCH = "__import__('pathlib').Path('{marker}').touch()"
PWN_SYMBOL = "Symbol('PWNED')"
PWN_FRAME = (r'''exec("f = __import__('sys')._getframe()\nwhile type(f.f_locals.get('self')).__name__ '''
             r'''!= 'Interpreter': f = f.f_back\nf.f_locals['self'].globals['answer'] = 'PWNED'")''')
# A Function name that lambdify prints verbatim as the callee: runs the payload, then acts as t - 1.
FN_TOUCH = "(" + TOUCH + " or (lambda t: t - 1))"
FN_PWN = "(" + PWN_FRAME + " or (lambda t: t - 1))"
SYM_TOUCH = "(" + TOUCH + " or 0)"
SYM_PWN = "(" + PWN_FRAME + " or 0)"


def _p(template: str, **payloads: str) -> str:
    """`template` with each <<NAME>> replaced by the program-level string literal (repr) of payloads[NAME].
    Templates write literal braces doubled ({{ }}); payloads contain no braces except {marker}."""
    out = template
    for name, text in payloads.items():
        out = out.replace(f"<<{name}>>", repr(text))
    assert "<<" not in out, out
    return out


SY = "from sympy import *\nx, y = symbols('x y')\n"

ESCAPES = [
    # ------------------------------------------------------------------ callback_to_builtin
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("cb_sorted_key_S", "callback_to_builtin", _p(SY + "ys = sorted([<<T>>], key=S)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: max() failed: AttributeError: 'NoneType' object has no attribute 'replace' (0.0s)
    ("cb_max_key_simplify", "callback_to_builtin", _p(SY + "ys = max([<<T>>], key=simplify)\nanswer = 1",
                                                      T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: sort() failed: AttributeError: 'NoneType' object has no attribute 'xreplace' (0.0s)
    ("cb_list_sort_key_nsimplify", "callback_to_builtin",
     _p(SY + "xs = [<<T>>]\nxs.sort(key=nsimplify)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: min() failed: AttributeError: 'NoneType' object has no attribute 'expand' (0.0s)
    ("cb_min_key_expand", "callback_to_builtin", _p(SY + "ys = min([<<T>>], key=expand)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("cb_sorted_key_Tuple", "callback_to_builtin", _p(SY + "ys = sorted([<<T>>], key=Tuple)\nanswer = 1",
                                                      T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: sorted() failed: AttributeError: 'NoneType' object has no attribute 'is_Symbol' (0.0s)
    ("cb_sorted_key_FiniteSet", "callback_to_builtin",
     _p(SY + "ys = sorted([<<T>>], key=FiniteSet)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: max() failed: AttributeError: 'NoneType' object has no attribute 'evalf' (0.0s)
    ("cb_max_key_N", "callback_to_builtin", _p(SY + "ys = max([<<T>>], key=N)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("cb_min_key_factor", "callback_to_builtin", _p(SY + "ys = min([<<T>>], key=factor)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: sorted() failed: AttributeError: 'NoneType' object has no attribute 'is_Poly' (0.0s)
    ("cb_sorted_key_Poly", "callback_to_builtin", _p(SY + "ys = sorted([<<T>>], key=Poly)\nanswer = 1",
                                                     T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: sorted() failed: AttributeError: 'NoneType' object has no attribute 'free_symbols' (0.0s)
    ("cb_sorted_key_solve", "callback_to_builtin", _p(SY + "ys = sorted([<<T>>], key=solve)\nanswer = 1",
                                                      T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: sorted() failed: AttributeError: 'NoneType' object has no attribute 'free_symbols' (0.0s)
    ("cb_sorted_key_integrate", "callback_to_builtin",
     _p(SY + "ys = sorted([<<T>>], key=integrate)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: sorted() failed: ValueError: The argument 'None' is not comparable. (0.0s)
    ("cb_sorted_key_Max", "callback_to_builtin", _p(SY + "ys = sorted([<<T>>], key=Max)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("cb_sorted_key_diag", "callback_to_builtin", _p(SY + "ys = sorted([<<T>>], key=diag)\nanswer = 1",
                                                     T=TOUCH)),
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("cb_sorted_key_Matrix", "callback_to_builtin",
     _p(SY + "ys = sorted([[<<T>>]], key=Matrix)\nanswer = 1", T=TOUCH)),
    # before: refused / no effect (regression row); error: line 3: sorted() failed: ValueError: string-float not recognized: __import__('pathlib').Pa (0.0s)
    ("cb_sorted_key_Float", "callback_to_builtin", _p(SY + "ys = sorted([<<T>>], key=Float)\nanswer = 1",
                                                      T=TOUCH)),
    # before: refused / no effect (regression row); error: line 3: min() failed: TypeError: invalid input: __import__('pathlib').Path('/tmp/redteam-m (0.0s)
    ("cb_min_key_Rational", "callback_to_builtin", _p(SY + "ys = min([<<T>>], key=Rational)\nanswer = 1",
                                                      T=TOUCH)),
    # before: ESCAPED, marker created; ok '2' (0.0s)
    ("cb_z3_program_sorted_key_S", "callback_to_builtin",
     _p("from z3 import *\nfrom sympy import S\nx = Int('x')\ns = Solver()\ns.add(x == 2)\n"
        "ys = sorted([<<T>>], key=S)\ns.check()\nanswer = s.model()[x]", T=TOUCH)),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.0s)
    ("cb_pwned_sorted_key_S", "callback_to_builtin", _p(SY + "ys = sorted([<<P>>], key=S)", P=PWN_FRAME)),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.0s)
    ("cb_pwned_max_key_Tuple", "callback_to_builtin",
     _p(SY + "ys = max([<<P>>], key=Tuple)", P=PWN_FRAME)),

    # ------------------------------------------------------------------ keyword_argument
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("kw_symbols_cls_S", "keyword_argument", _p(SY + "a = symbols(<<T>>, cls=S)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("kw_symbols_cls_Tuple", "keyword_argument", _p(SY + "a = symbols(<<T>>, cls=Tuple)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: symbols() failed: AttributeError: 'NoneType' object has no attribute 'xreplace' (0.0s)
    ("kw_symbols_cls_nsimplify", "keyword_argument",
     _p(SY + "a = symbols(<<T>>, cls=nsimplify)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: symbols() failed: AttributeError: 'NoneType' object has no attribute 'is_Symbol' (0.0s)
    ("kw_symbols_cls_FiniteSet", "keyword_argument",
     _p(SY + "a = symbols(<<T>>, cls=FiniteSet)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: symbols() failed: AttributeError: 'NoneType' object has no attribute 'evalf' (0.0s)
    ("kw_symbols_cls_N", "keyword_argument", _p(SY + "a = symbols(<<T>>, cls=N)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: symbols() failed: AttributeError: 'NoneType' object has no attribute 'is_Poly' (0.0s)
    ("kw_symbols_cls_Poly", "keyword_argument", _p(SY + "a = symbols(<<T>>, cls=Poly)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: symbols() failed: AttributeError: 'NoneType' object has no attribute 'free_symbols (0.0s)
    ("kw_symbols_cls_solve", "keyword_argument", _p(SY + "a = symbols(<<T>>, cls=solve)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: symbols() failed: ValueError: The argument 'None' is not comparable. (0.0s)
    ("kw_symbols_cls_Max", "keyword_argument", _p(SY + "a = symbols(<<T>>, cls=Max)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: nsimplify() failed: AttributeError: 'NoneType' object has no attribute 'evalf' (0.0s)
    ("kw_nsimplify_constants_dict_keys", "keyword_argument",
     _p(SY + "d = {{<<T>>: 1}}\na = nsimplify(pi, constants=d.keys())\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: solve() failed: SympifyError: SympifyError: "cannot sympify object of type <class  (0.0s)
    ("kw_solve_exclude_dict_keys", "keyword_argument",
     _p(SY + "d = {{<<T>>: 1}}\na = solve(x - 1, x, exclude=d.keys())\nanswer = 1", T=TOUCH)),
    # before: refused / no effect (regression row); error: line 4: factor() failed: SympifyError: SympifyError: "__import__('pathlib').Path('/tmp/red (0.0s)
    ("kw_factor_extension_dict_keys", "keyword_argument",
     _p(SY + "d = {{<<T>>: 1}}\na = factor(x**2 - 2, extension=d.keys())\nanswer = 1", T=TOUCH)),
    # before: refused / no effect (regression row); error: line 4: Function() failed: ValueError: dict_keys(["__import__('pathlib').Path('/tmp/redtea (0.0s)
    ("kw_function_nargs_dict_keys", "keyword_argument",
     _p(SY + "d = {{<<T>>: 1}}\nf = Function('f', nargs=d.keys())\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.0s)
    ("kw_pwned_symbols_cls_S", "keyword_argument", _p(SY + "answer = symbols(<<P>>, cls=S)", P=PWN_SYMBOL)),
    # before: ESCAPED, PWNED returned; ok '[PWNED]' (0.0s)
    ("kw_pwned_symbols_cls_Tuple", "keyword_argument",
     _p(SY + "answer = symbols(<<P>>, cls=Tuple)", P=PWN_SYMBOL)),

    # ------------------------------------------------------------------ library_calls_back_model_function
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("lc_matrix_lambda_str", "library_calls_back_model_function",
     _p(SY + "M = Matrix(1, 1, lambda i, j: <<T>>)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("lc_matrix_def_str", "library_calls_back_model_function",
     _p(SY + "def f(i, j):\n    return <<T>>\nM = Matrix(2, 2, f)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("lc_matrix_lambda_list", "library_calls_back_model_function",
     _p(SY + "M = Matrix(1, 1, lambda i, j: [<<T>>])\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("lc_matrix_lambda_tuple", "library_calls_back_model_function",
     _p(SY + "M = Matrix(1, 1, lambda i, j: (<<T>>, 1))\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: MutableDenseMatrix() failed: SympifyError: SympifyError: "cannot sympify object of (0.0s)
    ("lc_matrix_lambda_dict_values", "library_calls_back_model_function",
     _p(SY + "d = {{1: <<T>>}}\nM = Matrix(1, 1, lambda i, j: d.values())\nanswer = 1", T=TOUCH)),
    # before: refused / no effect (regression row); error: line 4: subs() failed: SympifyError: SympifyError: "__import__('pathlib').Path('/tmp/redte (0.0s)
    ("lc_function_eval_lambda_subs", "library_calls_back_model_function",
     _p(SY + "f = Function('f', eval=lambda t: <<T>> if t == 1 else None)\n"
        "answer = Matrix([f(x)]).subs(x, 1)", T=TOUCH)),
    # before: refused / no effect (regression row); error: line 4: xreplace() failed: SympifyError: SympifyError: "__import__('pathlib').Path('/tmp/r (0.0s)
    ("lc_function_eval_lambda_tuple_xreplace", "library_calls_back_model_function",
     _p(SY + "f = Function('f', eval=lambda t: <<T>> if t == 1 else None)\n"
        "answer = Tuple(f(x)).xreplace({{x: 1}})", T=TOUCH)),
    # before: refused / no effect (regression row); ok '[[[1, zoo*x + zoo], [1, zoo*x + zoo]], [0, 0]]' (0.0s)
    ("lc_rref_simplify_lambda", "library_calls_back_model_function",
     _p(SY + "M = Matrix([[x, 1], [2, 3]])\n"
        "answer = M.rref(iszerofunc=lambda e: None if e == x else False, simplify=lambda e: <<T>>)", T=TOUCH)),
    # before: ESCAPED, PWNED returned; ok '[[PWNED]]' (0.0s)
    ("lc_pwned_matrix_lambda", "library_calls_back_model_function",
     _p(SY + "answer = Matrix(1, 1, lambda i, j: <<P>>)", P=PWN_SYMBOL)),
    # before: ESCAPED, PWNED returned; ok '[[[PWNED]]]' (0.0s)
    ("lc_pwned_matrix_def_list", "library_calls_back_model_function",
     _p(SY + "def f(i, j):\n    return [<<P>>]\nanswer = Matrix(1, 1, f)", P=PWN_SYMBOL)),

    # ------------------------------------------------------------------ unconverted_container
    # before: ESCAPED, marker created; error: line 4: simplify() failed: SympifyError: SympifyError: "cannot sympify object of type <cla (0.0s)
    ("uc_simplify_dict_keys", "unconverted_container",
     _p(SY + "d = {{<<T>>: 1}}\na = simplify(d.keys())\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: expand() failed: SympifyError: SympifyError: "cannot sympify object of type <class (0.0s)
    ("uc_expand_dict_values", "unconverted_container",
     _p(SY + "d = {{1: <<T>>}}\na = expand(d.values())\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: factor() failed: SympifyError: SympifyError: "cannot sympify object of type <class (0.0s)
    ("uc_factor_dict_items", "unconverted_container",
     _p(SY + "d = {{1: <<T>>}}\na = factor(d.items())\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: N() failed: SympifyError: SympifyError: "cannot sympify object of type <class 'dic (0.0s)
    ("uc_N_dict_keys", "unconverted_container", _p(SY + "d = {{<<T>>: 1}}\na = N(d.keys())\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: subs() failed: SympifyError: SympifyError: None (0.0s)
    ("uc_subs_dict_items", "unconverted_container",
     _p(SY + "d = {{x: <<T>>}}\na = (x + 1).subs(d.items())\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: simplify() failed: SympifyError: SympifyError: "cannot sympify object of type <cla (0.0s)
    ("uc_list_of_dict_keys", "unconverted_container",
     _p(SY + "d = {{<<T>>: 1}}\na = simplify([d.keys()])\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: expand() failed: SympifyError: SympifyError: "cannot sympify object of type <class (0.0s)
    ("uc_tuple_of_dict_values", "unconverted_container",
     _p(SY + "d = {{1: <<T>>}}\na = expand((d.values(), 1))\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: simplify() failed: SympifyError: SympifyError: "cannot sympify object of type <cla (0.0s)
    ("uc_dict_of_dict_values", "unconverted_container",
     _p(SY + "d = {{1: <<T>>}}\na = simplify({{1: d.values()}})\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: Tuple() failed: SympifyError: SympifyError: "cannot sympify object of type <class  (0.0s)
    ("uc_Tuple_dict_keys", "unconverted_container",
     _p(SY + "d = {{<<T>>: 1}}\na = Tuple(d.keys())\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: FiniteSet() failed: SympifyError: SympifyError: "cannot sympify object of type <cl (0.0s)
    ("uc_FiniteSet_dict_values", "unconverted_container",
     _p(SY + "d = {{1: <<T>>}}\na = FiniteSet(d.values())\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: MutableDenseMatrix() failed: SympifyError: SympifyError: "cannot sympify object of (0.0s)
    ("uc_Matrix_list_of_dict_values", "unconverted_container",
     _p(SY + "d = {{1: <<T>>}}\na = Matrix([d.values()])\nanswer = 1", T=TOUCH)),
    # before: refused / no effect (regression row); error: line 4: Poly() failed: GeneratorsNeeded: Cannot initialize from 'list' without generators (0.0s)
    ("uc_Poly_dict_keys", "unconverted_container",
     _p(SY + "d = {{<<T>>: 1}}\na = Poly(d.keys())\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: solve() failed: AttributeError: 'NoneType' object has no attribute 'is_Relational' (0.0s)
    ("uc_solve_dict_values", "unconverted_container",
     _p(SY + "d = {{1: <<T>>}}\na = solve(d.values(), x)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, PWNED returned; ok 'PWNED + 1' (0.0s)
    ("uc_pwned_subs_dict_items", "unconverted_container",
     _p(SY + "d = {{x: <<P>>}}\nanswer = (x + 1).subs(d.items())", P=PWN_SYMBOL)),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.0s)
    ("uc_pwned_subs_dict_items_frame", "unconverted_container",
     _p(SY + "d = {{x: <<P>>}}\na = (x + 1).subs(d.items())", P=SYM_PWN)),

    # ------------------------------------------------------------------ raw_library_callable_as_value
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("rc_matrix_str_format", "raw_library_callable_as_value",
     _p(SY + "g = (<<T>> + ' or 0*{{}}*{{}}').format\nM = Matrix(1, 1, g)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("rc_matrix_dict_get", "raw_library_callable_as_value",
     _p(SY + "d = {{0: <<T>>}}\nM = Matrix(1, 1, d.get)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("rc_matrix_dict_pop", "raw_library_callable_as_value",
     _p(SY + "d = {{0: <<T>>}}\nM = Matrix(1, 1, d.pop)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("rc_matrix_dict_setdefault", "raw_library_callable_as_value",
     _p(SY + "d = {{0: <<T>>}}\nM = Matrix(1, 1, d.setdefault)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: sorted() failed: SympifyError: SympifyError: None (0.0s)
    ("rc_sorted_key_expr_subs", "raw_library_callable_as_value",
     _p(SY + "ys = sorted([{{x: <<T>>}}], key=(x + 1).subs)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 3: max() failed: SympifyError: SympifyError: None (0.0s)
    ("rc_max_key_expr_subs_pairs", "raw_library_callable_as_value",
     _p(SY + "ys = max([[(x, <<T>>)]], key=(x + 1).subs)\nanswer = 1", T=TOUCH)),
    # before: refused / no effect (regression row); error: line 4: subs() failed: SympifyError: SympifyError: "__import__('pathlib').Path('/tmp/redte (0.0s)
    ("rc_function_eval_dict_get", "raw_library_callable_as_value",
     _p(SY + "f = Function('f', eval={{1: <<T>>}}.get)\nanswer = Matrix([f(x)]).subs(x, 1)", T=TOUCH)),
    # before: ESCAPED, PWNED returned; ok '[[PWNED]]' (0.0s)
    ("rc_pwned_matrix_str_format", "raw_library_callable_as_value",
     _p(SY + "answer = Matrix(1, 1, (<<P>> + ' + 0*{{}}*{{}}').format)", P=PWN_SYMBOL)),
    # before: ESCAPED, PWNED returned; ok '[[PWNED]]' (0.0s)
    ("rc_pwned_matrix_dict_get", "raw_library_callable_as_value",
     _p(SY + "answer = Matrix(1, 1, {{0: <<P>>}}.get)", P=PWN_SYMBOL)),

    # ------------------------------------------------------------------ symbol_names
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("sn_nsolve_function_name", "symbol_names",
     _p(SY + "F = Function(<<N>>)\nr = nsolve(F(x), x, 2)\nanswer = 1", N=FN_TOUCH)),
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("sn_nsolve_symbol_name_system", "symbol_names",
     _p(SY + "z = Symbol(<<N>>)\nr = nsolve([x - 1 + z], [x], [2])\nanswer = 1", N=SYM_TOUCH)),
    # before: refused / no effect (regression row); error: line 4: nsolve() failed: PrintMethodNotImplementedError: Unsupported by <class 'sympy.prin (0.0s)
    ("sn_nsolve_function_name_matrix", "symbol_names",
     _p(SY + "F = Function(<<N>>)\nr = nsolve(Matrix([F(x)]), [x], [2])\nanswer = 1", N=FN_TOUCH)),
    # before: ESCAPED, marker created; ok '1' (0.0s)
    ("sn_nsolve_function_name_eq", "symbol_names",
     _p(SY + "F = Function(<<N>>)\nr = nsolve(Eq(F(x), 0), x, 2)\nanswer = 1", N=FN_TOUCH)),
    # before: refused / no effect (regression row); error: line 4: nsolve() failed: SyntaxError: invalid syntax. Perhaps you forgot a comma? (<lambdi (0.0s)
    ("sn_nsolve_dummy_name_system", "symbol_names",
     _p(SY + "z = Dummy(<<N>>)\nr = nsolve([x - 1 + z], [x], [2])\nanswer = 1", N=SYM_TOUCH)),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.0s)
    ("sn_pwned_nsolve_function_name", "symbol_names",
     _p(SY + "F = Function(<<N>>)\nr = nsolve(F(x), x, 2)", N=FN_PWN)),
    # before: ESCAPED, PWNED returned; ok 'PWNED' (0.0s)
    ("sn_pwned_nsolve_symbol_name_system", "symbol_names",
     _p(SY + "z = Symbol(<<N>>)\nr = nsolve([x - 1 + z], [x], [2])", N=SYM_PWN)),

    # ------------------------------------------------------------------ name_taking_spoof (new class)
    # before: ESCAPED, marker created; error: line 4: Symbol() failed: AttributeError: 'NoneType' object has no attribute 'is_Float' (0.0s)
    ("ns_function_named_Symbol", "name_taking_spoof",
     _p(SY + "g = Function('Symbol')\na = g(<<T>>)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: symbols() failed: AttributeError: 'NoneType' object has no attribute 'is_Float' (0.0s)
    ("ns_function_named_symbols", "name_taking_spoof",
     _p(SY + "g = Function('symbols')\na = g(<<T>>)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: Function() failed: AttributeError: 'NoneType' object has no attribute 'is_Float' (0.0s)
    ("ns_function_named_Function", "name_taking_spoof",
     _p(SY + "g = Function('Function')\na = g(<<T>>)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: Dummy() failed: AttributeError: 'NoneType' object has no attribute 'is_Float' (0.0s)
    ("ns_function_named_Dummy", "name_taking_spoof",
     _p(SY + "g = Function('Dummy')\na = g(<<T>>, x)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: Wild() failed: AttributeError: 'NoneType' object has no attribute 'is_Float' (0.0s)
    ("ns_function_named_Wild", "name_taking_spoof",
     _p(SY + "g = symbols('Wild', cls=Function)\na = g(<<T>>)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, marker created; error: line 4: var() failed: AttributeError: 'NoneType' object has no attribute 'is_Float' (0.0s)
    ("ns_function_named_var", "name_taking_spoof",
     _p(SY + "g = Function('var')\na = g(<<T>>)\nanswer = 1", T=TOUCH)),
    # before: ESCAPED, PWNED returned; ok 'Symbol(PWNED)' (0.0s)
    ("ns_pwned_function_named_Symbol", "name_taking_spoof",
     _p(SY + "g = Function('Symbol')\nanswer = g(<<P>>)", P=PWN_SYMBOL)),
]

# --------------------------------------------------------------------------- z3 uniqueness

_Z_FREE = "from z3 import *\nimport math\nx, y = Ints('x y')\ns = Solver()\ns.add(x > 0, x < 10)\ns.check()\nm = s.model()\n"
_Z_SET = "from z3 import *\nimport math\nx, y = Ints('x y')\ns = Solver()\ns.add(x > 4, x < 6)\ns.check()\nm = s.model()\n"

# (id, answer lines, value on the determined model x == 5)
_READS = [
    # before: wrong: correct (ambiguous); ambiguous '1': answer not unique: x = 1 here, but 2 also satisfies the constraints (add the missing const (0.0s) | right: correct; ok '5' (0.0s)
    ("plain_model_value", "answer = m[x]", "5"),  # control: the path that was always checked
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("int_of_str", "answer = int(str(m[x]))", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("str_of_value", "answer = str(m[x])", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("fstring", "answer = f'{m[x]}'", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("str_format_method", "answer = '{}'.format(m[x])", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("percent_format", "answer = '%d' % m[x].as_long()", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("as_string", "answer = m[x].as_string()", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("sexpr", "answer = m[x].sexpr()", "5"),
    # before: wrong: UNIQUENESS LOST; ok '2' (0.0s) | right: correct; ok '6' (0.0s)
    ("str_plus_one", "answer = str(m[x].as_long() + 1)", "6"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("comprehension_filter", "answer = [i for i in range(10) if m[x] == i][0]", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("for_loop_compare", "for i in range(10):\n    if m[x].as_long() == i:\n        answer = i", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("while_count_up", "answer = 0\nwhile answer < m[x].as_long():\n    answer += 1", "5"),
    # before: wrong: UNIQUENESS LOST; ok '0' (0.0s) | right: correct; ok '1' (0.0s)
    ("if_expression", "answer = 1 if m[x].as_long() > 3 else 0", "1"),
    # before: wrong: UNIQUENESS LOST; ok 'False' (0.0s) | right: correct; ok 'True' (0.0s)
    ("python_compare_bool", "answer = m[x].as_long() == 5", "True"),
    # before: wrong: UNIQUENESS LOST; ok 'False' (0.0s) | right: correct; ok 'True' (0.0s)
    ("z3_compare_bool", "answer = m[x] == 5", "True"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("bit_and", "answer = m[x].as_long() & 255", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("bit_or", "answer = m[x].as_long() | 0", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("bit_xor", "answer = m[x].as_long() ^ 0", "5"),
    # before: wrong: UNIQUENESS LOST; ok '2' (0.0s) | right: correct; ok '10' (0.0s)
    ("shift_left", "answer = m[x].as_long() << 1", "10"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("shift_right", "answer = m[x].as_long() >> 0", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("round_fraction", "answer = round(m[x].as_long() / 1)", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("math_floor", "answer = math.floor(m[x].as_long())", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("math_gcd", "answer = math.gcd(m[x].as_long(), 0)", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("pow_three_args", "answer = pow(m[x].as_long(), 1, 1000)", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("dict_lookup", "answer = {i: i for i in range(10)}[m[x].as_long()]", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("list_index", "answer = list(range(10))[m[x].as_long()]", "5"),
    # before: wrong: UNIQUENESS LOST; ok 'B' (0.0s) | right: correct; ok 'F' (0.0s)
    ("string_index", "answer = 'ABCDEFGHIJ'[m[x].as_long()]", "F"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("range_len", "answer = len(range(m[x].as_long()))", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '15' (0.0s)
    ("sum_range", "answer = sum(range(m[x].as_long() + 1))", "15"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("z3_intval_rewrap", "answer = IntVal(m[x].as_long())", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("z3_simplify_value", "answer = simplify(m[x] + 0)", "5"),
    # before: wrong: UNIQUENESS LOST; ok '0' (0.0s) | right: correct; ok '1' (0.0s)
    ("z3_if_on_value", "answer = If(m[x] > 3, 1, 0)", "1"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("model_of_decl", "answer = m[x.decl()]", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("model_decls_loop", "for d in m.decls():\n    answer = m[d]", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("print_str", "print(str(m[x]))", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("print_bitand", "print(m[x].as_long() & 255)", "5"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("solution_returns_str", "def solution():\n    return str(m[x])", "5"),
    # before: wrong: UNIQUENESS LOST; ok '[1, 2]' (0.0s) | right: correct; ok '[5, 6]' (0.0s)
    ("list_of_values", "answer = [m[x], m[x] + 1]", "[5, 6]"),
    # before: wrong: UNIQUENESS LOST; ok '[1, 0]' (0.0s) | right: correct; ok '[5, 0]' (0.0s)
    ("tuple_of_values", "answer = (m[x].as_long(), 0)", "[5, 0]"),
    # before: wrong: UNIQUENESS LOST; ok '{x: 1}' (0.0s) | right: correct; ok '{x: 5}' (0.0s)
    ("dict_of_values", "answer = {'x': m[x]}", "{x: 5}"),
    # before: wrong: UNIQUENESS LOST; ok 'B' (0.0s) | right: correct; ok 'A' (0.0s)
    ("options_from_model", "options = {'A': m[x] == 5, 'B': m[x] != 5}", "A"),
    # before: wrong: UNIQUENESS LOST; ok '1' (0.0s) | right: correct; ok '5' (0.0s)
    ("pin_after_reading", "v = m[x]\ns.add(x == v)\nanswer = v", "5"),
]

_SPECIAL_FREE = [
    # Bool / BitVec / Enum / Real / Optimize / two solvers: sorts or set-ups whose answers are not checked
    # before: wrong: UNIQUENESS LOST; ok 'True' (0.0s) | right: correct; ok 'True' (0.0s)
    ("bool_is_true", "from z3 import *\nb = Bool('b')\nc = Bool('c')\ns = Solver()\ns.add(Or(b, c))\ns.check()\n"
     "m = s.model()\nanswer = is_true(m[b])"),
    # before: wrong: UNIQUENESS LOST; ok 'True' (0.0s) | right: correct; ok 'True' (0.0s)
    ("bool_builtin", "from z3 import *\nb = Bool('b')\nc = Bool('c')\ns = Solver()\ns.add(Or(b, c))\ns.check()\n"
     "m = s.model()\nanswer = bool(m[b])"),
    # before: wrong: UNIQUENESS LOST; ok 'yes' (0.0s) | right: correct; ok 'yes' (0.0s)
    ("bool_yes_no", "from z3 import *\nb = Bool('b')\nc = Bool('c')\ns = Solver()\ns.add(Or(b, c))\ns.check()\n"
     "m = s.model()\nanswer = 'yes' if is_true(m[b]) else 'no'"),
    # before: wrong: UNIQUENESS LOST; ok '8' (0.0s) | right: correct; ok '5' (0.0s)
    ("bitvec_value", "from z3 import *\nb = BitVec('b', 8)\ns = Solver()\ns.add(ULT(b, 10), UGT(b, 0))\ns.check()\n"
     "answer = s.model()[b]"),
    # before: wrong: UNIQUENESS LOST; ok '8' (0.0s) | right: correct; ok '5' (0.0s)
    ("bitvec_as_long", "from z3 import *\nb = BitVec('b', 8)\ns = Solver()\ns.add(ULT(b, 10), UGT(b, 0))\ns.check()\n"
     "answer = s.model()[b].as_long()"),
    # before: wrong: UNIQUENESS LOST; ok 'green' (0.0s) | right: correct; ok 'green' (0.0s)
    ("enum_value", "from z3 import *\nHue, (red, green, blue) = EnumSort('Hue', ['red', 'green', 'blue'])\n"
     "c = Const('c', Hue)\ns = Solver()\ns.add(c != red)\ns.check()\nanswer = s.model()[c]"),
    # before: wrong: UNIQUENESS LOST; ok '3' (0.0s) | right: correct; ok '3' (0.0s)
    ("real_numerator", "from z3 import *\nr = Real('r')\ns = Solver()\ns.add(r > 1, r < 2)\ns.check()\n"
     "answer = s.model()[r].numerator_as_long()"),
    # before: wrong: UNIQUENESS LOST; ok '1.5' (0.0s) | right: correct; ok '1.5' (0.0s)
    ("real_as_decimal", "from z3 import *\nr = Real('r')\ns = Solver()\ns.add(r > 1, r < 2)\ns.check()\n"
     "answer = s.model()[r].as_decimal(3)"),
    # before: wrong: UNIQUENESS LOST; ok '9' (0.0s) | right: correct; ok '6' (0.0s)
    ("optimize_add_soft", "from z3 import *\nx = Int('x')\no = Optimize()\no.add(x >= 0, x <= 9)\n"
     "o.add_soft(x > 5)\no.check()\nanswer = o.model()[x]"),
    # before: wrong: UNIQUENESS LOST; ok '2' (0.0s) | right: correct; ok '7' (0.0s)
    ("two_solvers_sum", "from z3 import *\nx, y = Ints('x y')\ns1 = Solver()\ns1.add(x > 0, x < 10)\n"
     "s2 = Solver()\ns2.add(y > 0, y < 10)\ns1.check()\ns2.check()\n"
     "answer = s1.model()[x].as_long() + s2.model()[y].as_long()"),
    # before: wrong: UNIQUENESS LOST; ok '[1, 9]' (0.0s) | right: correct; ok '[3, 7]' (0.0s)
    ("sorted_pair_list", "from z3 import *\nx, y = Ints('x y')\ns = Solver()\ns.add(x + y == 10, x > 0, y > 0)\n"
     "s.check()\nm = s.model()\nanswer = sorted([m[x].as_long(), m[y].as_long()])"),
]
_SPECIAL_SET = [
    # before: wrong: UNIQUENESS LOST; ok 'True' (0.0s) | right: correct; ok 'True' (0.0s)
    ("bool_is_true", "from z3 import *\nb = Bool('b')\nc = Bool('c')\ns = Solver()\ns.add(b, Not(c))\ns.check()\n"
     "m = s.model()\nanswer = is_true(m[b])", "True"),
    # before: wrong: UNIQUENESS LOST; ok 'True' (0.0s) | right: correct; ok 'True' (0.0s)
    ("bool_builtin", "from z3 import *\nb = Bool('b')\nc = Bool('c')\ns = Solver()\ns.add(b, Not(c))\ns.check()\n"
     "m = s.model()\nanswer = bool(m[b])", "True"),
    # before: wrong: UNIQUENESS LOST; ok 'yes' (0.0s) | right: correct; ok 'yes' (0.0s)
    ("bool_yes_no", "from z3 import *\nb = Bool('b')\nc = Bool('c')\ns = Solver()\ns.add(b, Not(c))\ns.check()\n"
     "m = s.model()\nanswer = 'yes' if is_true(m[b]) else 'no'", "yes"),
    # before: wrong: UNIQUENESS LOST; ok '8' (0.0s) | right: correct; ok '5' (0.0s)
    ("bitvec_value", "from z3 import *\nb = BitVec('b', 8)\ns = Solver()\ns.add(b == 5)\ns.check()\n"
     "answer = s.model()[b]", "5"),
    # before: wrong: UNIQUENESS LOST; ok '8' (0.0s) | right: correct; ok '5' (0.0s)
    ("bitvec_as_long", "from z3 import *\nb = BitVec('b', 8)\ns = Solver()\ns.add(b == 5)\ns.check()\n"
     "answer = s.model()[b].as_long()", "5"),
    # before: wrong: UNIQUENESS LOST; ok 'green' (0.0s) | right: correct; ok 'green' (0.0s)
    ("enum_value", "from z3 import *\nShade, (red, green, blue) = EnumSort('Shade', ['red', 'green', 'blue'])\n"
     "c = Const('c', Shade)\ns = Solver()\ns.add(c != red, c != blue)\ns.check()\nanswer = s.model()[c]", "green"),
    # before: wrong: UNIQUENESS LOST; ok '3' (0.0s) | right: correct; ok '3' (0.0s)
    ("real_numerator", "from z3 import *\nr = Real('r')\ns = Solver()\ns.add(2 * r == 3)\ns.check()\n"
     "answer = s.model()[r].numerator_as_long()", "3"),
    # before: wrong: UNIQUENESS LOST; ok '1.5' (0.0s) | right: correct; ok '1.5' (0.0s)
    ("real_as_decimal", "from z3 import *\nr = Real('r')\ns = Solver()\ns.add(2 * r == 3)\ns.check()\n"
     "answer = s.model()[r].as_decimal(3)", "1.5"),
    # before: wrong: UNIQUENESS LOST; ok '9' (0.0s) | right: correct; ok '6' (0.0s)
    ("optimize_add_soft", "from z3 import *\nx = Int('x')\no = Optimize()\no.add(x >= 0, x <= 6)\n"
     "o.add_soft(x > 5)\no.check()\nanswer = o.model()[x]", "6"),
    # before: wrong: UNIQUENESS LOST; ok '2' (0.0s) | right: correct; ok '7' (0.0s)
    ("two_solvers_sum", "from z3 import *\nx, y = Ints('x y')\ns1 = Solver()\ns1.add(x == 3)\n"
     "s2 = Solver()\ns2.add(y == 4)\ns1.check()\ns2.check()\n"
     "answer = s1.model()[x].as_long() + s2.model()[y].as_long()", "7"),
    # before: wrong: UNIQUENESS LOST; ok '[1, 9]' (0.0s) | right: correct; ok '[3, 7]' (0.0s)
    ("sorted_pair_list", "from z3 import *\nx, y = Ints('x y')\ns = Solver()\ns.add(x + y == 10, x * y == 21)\n"
     "s.check()\nm = s.model()\nanswer = sorted([m[x].as_long(), m[y].as_long()])", "[3, 7]"),
]

WRONG_OK = [(f"wrong_{rid}", _Z_FREE + lines, "ambiguous") for rid, lines, _v in _READS] + \
           [(f"wrong_{rid}", src, "ambiguous") for rid, src in _SPECIAL_FREE]

RIGHT_OK = [(f"right_{rid}", _Z_SET + lines, "ok", value) for rid, lines, value in _READS] + \
           [(f"right_{rid}", src, "ok", value) for rid, src, value in _SPECIAL_SET] + [
    # answers that ARE unique although each model value alone is not (symmetric pair {3, 7}):
    # before: FALSE ALARM; ambiguous '3': answer not unique: y = 3 here, but 7 also satisfies the constraints (add the missing const (0.0s)
    ("right_min_of_symmetric_pair", "from z3 import *\nx, y = Ints('x y')\ns = Solver()\n"
     "s.add(x + y == 10, x * y == 21)\ns.check()\nm = s.model()\n"
     "answer = min(m[x].as_long(), m[y].as_long())", "ok", "3"),
    # before: FALSE ALARM; ambiguous '7': answer not unique: y = 7 here, but 3 also satisfies the constraints (add the missing const (0.0s)
    ("right_max_of_symmetric_pair", "from z3 import *\nx, y = Ints('x y')\ns = Solver()\n"
     "s.add(x + y == 10, x * y == 21)\ns.check()\nm = s.model()\n"
     "answer = max([m[x], m[y]])", "ok", "7"),
    # before: FALSE ALARM; ambiguous '3': answer not unique: x = 3 here, but 7 also satisfies the constraints (add the missing const (0.0s)
    ("right_sorted_first_of_symmetric_pair", "from z3 import *\nx, y = Ints('x y')\ns = Solver()\n"
     "s.add(x + y == 10, x * y == 21)\ns.check()\nm = s.model()\n"
     "answer = sorted([m[x], m[y]])[0]", "ok", "3"),
    # a term that is constant although x is not
    # before: correct; ok '5' (0.0s)
    ("right_times_zero_plus_five", _Z_FREE + "answer = m[x].as_long() * 0 + 5", "ok", "5"),
    # before: FALSE ALARM; ambiguous '5': answer not unique: x = 5 here, but 6 also satisfies the constraints (add the missing const (0.0s)
    ("right_check_with_assumption", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x > 0, x < 10)\n"
     "s.check(x == 5)\nanswer = s.model()[x]", "ok", "5"),
]

# --------------------------------------------------------------------------- limits

_SL = "from sympy import *\nx, n = symbols('x n')\n"
_ZR = "from z3 import *\nx = Real('x')\ns = Solver()\ns.add(x * x == 2, x > 0)\ns.check()\nm = s.model()\n"

LIMITS = [
    # --- known (from the issue), kept as regression rows
    # before: error: line 3: collection too large (limit 100000 items) (2.1s)
    ("lim_symbols_product_ranges", _SL + "xs = symbols('x(:30)(:30)(:30)(:30)')\nanswer = 1"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.5s)
    ("lim_factorial_subs", _SL + "answer = factorial(n).subs(n, 10**8)"),
    # before: error: memory limit exceeded (MemoryError, worker restarted) (1.0s)
    ("lim_primepi_direct", _SL + "answer = primepi(10**14)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_harmonic_direct", _SL + "answer = harmonic(10**7)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_N_precision", _SL + "answer = N(pi, 10**7)"),
    # before: error: line 2: string too long (limit 100000 characters) (1.7s)
    ("lim_z3_as_decimal_rational", "from z3 import *\nanswer = RealVal('1/3').as_decimal(10**8)"),
    # before: error: memory limit exceeded (MemoryError, worker restarted) (0.0s)
    ("lim_shift_by_sympy_integer", "from sympy import Integer\nanswer = 1 << Integer(2**40)"),
    # before: error: memory limit exceeded (MemoryError, worker restarted) (0.1s)
    ("lim_percent_star_width", "s = '%*d' % (10**9, 1)\nanswer = 1"),
    # --- count-checked functions reached another way
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_fibonacci_subs", _SL + "answer = fibonacci(n).subs(n, 10**8)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_binomial_subs", _SL + "answer = binomial(n, 5 * 10**7).subs(n, 10**8)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_factorial_sort_key", _SL + "ys = sorted([10**8], key=factorial)\nanswer = 1"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_lucas_sort_key", _SL + "ys = sorted([10**8], key=lucas)\nanswer = 1"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_prime_sort_key", _SL + "ys = sorted([10**12], key=prime)\nanswer = 1"),
    # before: error: memory limit exceeded (MemoryError, worker restarted) (1.1s)
    ("lim_symbols_sort_key", _SL + "ys = sorted(['x0:10000000'], key=symbols)\nanswer = 1"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_product_doit", _SL + "answer = Product(n, (n, 1, 10**8)).doit()"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_product_function", _SL + "answer = product(n, (n, 1, 10**8))"),
    # --- number theory / closed forms with huge arguments
    # before: error: memory limit exceeded (MemoryError, worker restarted) (1.3s)
    ("lim_primepi_subs", _SL + "answer = primepi(n).subs(n, 10**14)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_harmonic_subs", _SL + "answer = harmonic(n).subs(n, 10**7)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_summation_harmonic", _SL + "answer = summation(1 / n, (n, 1, 10**7))"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.5s)
    ("lim_summation_high_power", _SL + "answer = summation(n**5000, (n, 1, x))"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_catalan_big", _SL + "answer = catalan(10**7)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.5s)
    ("lim_factorint_hard", _SL + "answer = factorint(2**1024 + 1)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.5s)
    ("lim_totient_hard", _SL + "answer = totient(2**1024 + 1)"),
    # before: error: memory limit exceeded (MemoryError, worker restarted) (2.4s)
    ("lim_divisors_primorial", _SL + "p = 1\nfor i in range(1, 32):\n    p = p * prime(i)\n"
     "answer = len(divisors(p))"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_roots_of_unity", _SL + "answer = len(roots(x**10000 - 1))"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_factor_cyclotomic", _SL + "answer = factor(x**9000 - 1)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_mod_pow_subs", _SL + "answer = Mod(Integer(3)**x, 7).subs(x, 10**9)"),
    # --- precision arguments
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_evalf_method", _SL + "answer = pi.evalf(10**7)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_n_method", _SL + "answer = pi.n(10**7)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_Float_precision", _SL + "answer = Float(pi, 10**7)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_round_method", _SL + "answer = pi.round(10**7)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.5s)
    ("lim_nsolve_prec", _SL + "answer = nsolve(x**2 - 2, x, 1, prec=10**6)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.5s)
    ("lim_series_order", _SL + "answer = series(exp(x), x, 0, 5000)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_diff_count", _SL + "answer = diff(sin(x), x, 10**8)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_z3_approx_algebraic", _ZR + "answer = m[x].approx(10**7)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.5s)
    ("lim_z3_as_decimal_algebraic", _ZR + "answer = m[x].as_decimal(10**7)"),
    # --- values the size checks do not look into (matrices, expression trees)
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_matrix_repeated_squaring", _SL + "M = Matrix([[3]])\nfor i in range(40):\n    M = M * M\nanswer = 1"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_nested_expression_subs", _SL + "e = x\nfor i in range(100):\n    e = (e + 1) * (e + 2)\n"
     "answer = e.subs(x, 1)"),
    # before: error: line 3: expand() failed: SystemError: error return without exception set (2.2s)
    ("lim_expand_power_of_surds", _SL + "answer = expand((1 + sqrt(2) + sqrt(3))**5000)"),
    # --- big collections built by library code
    # before: error: memory limit exceeded (MemoryError, worker restarted) (1.3s)
    ("lim_symbols_letter_ranges", _SL + "xs = symbols('a:z(a:z)(a:z)(a:z)(a:z)')\nanswer = 1"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_function_product_ranges", _SL + "fs = symbols('f(:30)(:30)(:30)(:30)', cls=Function)\nanswer = 1"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_ones_huge", _SL + "M = ones(3000, 3000)\nanswer = 1"),
    # before: ok '<unprintable>' (1.9s)
    ("lim_zeros_render", _SL + "answer = zeros(10**4, 10**4)"),
    # before: error: memory limit exceeded (MemoryError, worker restarted) (0.0s)
    ("lim_matrix_from_range", _SL + "M = Matrix(range(10**8))\nanswer = 1"),
    # before: error: line 2: z3 error in IntVector(): b'out of memory' (2.2s)
    ("lim_z3_intvector", "from z3 import *\nv = IntVector('v', 10**7)\nanswer = 1"),
    # before: error: line 2: z3 error in BitVec(): b'out of memory' (0.0s)
    ("lim_z3_bitvec_width", "from z3 import *\nb = BitVec('b', 2**30)\nanswer = 1"),
    # --- shared sub-lists: cheap to build, huge to render / print / format
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.5s)
    ("lim_render_shared_nested_list", "answer = [[0] * 100000] * 100000"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_str_shared_nested_list", "s = str([[0] * 100000] * 100000)\nanswer = 1"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_print_shared_nested_list", "print([[0] * 100000] * 100000)"),
    # before: KILLED by the outer time limit (timed out ... worker stopped) (3.6s)
    ("lim_fstring_shared_nested_list", "a = [[0] * 100000] * 100000\ns = f'{a}'\nanswer = 1"),
    # --- string methods and %-formatting: checked only after the value is built
    # before: error: line 1: string too long (limit 100000 characters) (0.1s)
    ("lim_percent_literal_width", "s = '%100000000d' % 1\nanswer = 1"),
    # before: error: line 1: string too long (limit 100000 characters) (0.1s)
    ("lim_percent_star_precision", "s = '%.*f' % (10**8, 1.5)\nanswer = 1"),
    # before: error: memory limit exceeded (MemoryError, worker restarted) (0.0s)
    ("lim_zfill_huge", "s = 'a'.zfill(10**9)\nanswer = 1"),
    # before: error: line 1: string too long (limit 100000 characters) (0.1s)
    ("lim_ljust_big", "s = 'a'.ljust(10**8)\nanswer = 1"),
    # before: error: memory limit exceeded (MemoryError, worker restarted) (0.0s)
    ("lim_replace_blowup", "s = ('a' * 50000).replace('', 'b' * 50000)\nanswer = 1"),
]

# --------------------------------------------------------------------------- crashes

# `Function(name, **attrs)` makes a class with arbitrary (non-underscore) attributes; z3 trusts a
# duck-typed ctx (calls ctx.ref()) and dereferences the returned number.
_FAKE = "from z3 import *\nfrom sympy import Function as SF\nc = SF('c', ref=lambda: 1)\n"
CRASHES = [
    # before: CRASHED the worker (exit code -11) (0.1s)
    ("crash_int_positional_ctx", _FAKE + "y = Int('y', c)\nanswer = 1"),
    # before: CRASHED the worker (exit code -11) (0.1s)
    ("crash_int_keyword_ctx", _FAKE + "y = Int('y', ctx=c)\nanswer = 1"),
    # before: CRASHED the worker (exit code -11) (0.1s)
    ("crash_intval_ctx", _FAKE + "y = IntVal(1, c)\nanswer = 1"),
    # before: CRASHED the worker (exit code -11) (0.1s)
    ("crash_intsort_ctx", _FAKE + "y = IntSort(c)\nanswer = 1"),
    # before: CRASHED the worker (exit code -11) (0.1s)
    ("crash_boolval_ctx", _FAKE + "y = BoolVal(True, c)\nanswer = 1"),
    # before: CRASHED the worker (exit code -11) (0.1s)
    ("crash_enumsort_ctx", _FAKE + "C, cs = EnumSort('C', ['a', 'b'], c)\nanswer = 1"),
    # before: CRASHED the worker (exit code -11) (0.1s)
    ("crash_declaresort_ctx", _FAKE + "A = DeclareSort('A', c)\nanswer = 1"),
    # before: CRASHED the worker (exit code -11) (0.1s)
    ("crash_bitvec_ctx", _FAKE + "b = BitVec('b', 8, c)\nanswer = 1"),
    # before: CRASHED the worker (exit code -11) (0.1s)
    ("crash_intvector_ctx", _FAKE + "v = IntVector('v', 2, c)\nanswer = 1"),
    # before: CRASHED the worker (exit code -11) (0.1s)
    ("crash_realval_ctx", _FAKE + "r = RealVal(1, c)\nanswer = 1"),
    # not a crash, but an exception escapes the interpreter's call guard (subscript path)
    # before: error: internal error: IndexError: (0.1s)
    ("crash_model_index_int", "from z3 import *\nx = Int('x')\ns = Solver()\ns.add(x > 1)\ns.check()\n"
     "m = s.model()\nanswer = m[5]"),
]

# --------------------------------------------------------------------------- state kept between jobs

# Run the same source twice (in a row, same pool); both runs should give ("ok", value). Workers are
# reused, and z3's main context kept declared enumeration sorts, so the second run failed then.
_ENUM = ("from z3 import *\nColor, (red, green, blue) = EnumSort('Color', ['red', 'green', 'blue'])\n"
         "c = Const('c', Color)\ns = Solver()\ns.add(c == green)\ns.check()\nanswer = s.model()[c]")
STATE_LEAKS = [
    # before: runs: ok 'green' / error: line 2: z3 error in EnumSort(): b'enumeration sort name is already declared' / error: line 2: z3 error in EnumSort(): b'enumeration sort name is already declared'
    ("leak_enum_sort_redeclared", _ENUM, "ok", "green"),
]

CLASSES = sorted({row[1] for row in ESCAPES})
