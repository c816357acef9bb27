"""Programs in the style small models write, with the value each must produce (table for test_programs.py).

Each row: (id, source, status, value). Sources are PAL-style word-problem code, sympy equation systems
and z3 puzzles (orderings like BIG-Bench LogicalDeduction, knights and knaves, options and claims).
"""

PAL = [
    ("pal_eggs", '''
def solution():
    """Janet's ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins
    for her friends every day with four. She sells the remainder at $2 per fresh duck egg."""
    eggs_per_day = 16
    eaten = 3
    baked = 4
    remaining = eggs_per_day - eaten - baked
    dollars_per_egg = 2
    result = remaining * dollars_per_egg
    return result
''', "ok", "18"),
    ("pal_robe", '''
def solution():
    blue_fiber = 2
    white_fiber = blue_fiber / 2
    total_fiber = blue_fiber + white_fiber
    return total_fiber
''', "ok", "3"),
    ("pal_house_flip", '''
def solution():
    cost = 80000
    repairs = 50000
    increase = (cost + repairs) * 1.5
    value = cost + increase
    profit = value - cost - repairs
    return profit
''', "ok", "145000"),
    ("pal_sprints", '''
sprints_per_session = 3
sessions_per_week = 3
meters = 60
answer = sprints_per_session * sessions_per_week * meters
''', "ok", "540"),
    ("float_exact_sum", "answer = 0.1 + 0.2", "ok", "0.3"),
    ("float_exact_product", "price = 19.99\nqty = 3\nanswer = price * qty", "ok", "59.97"),
    ("seven_digit_product", "answer = 1234567 * 7654321", "ok", "9449772114007"),
    ("division_terminating", "answer = 10 / 4", "ok", "2.5"),
    ("division_repeating", "answer = 1 / 3", "ok", "1/3"),
    ("division_integral", "answer = 12 / 4", "ok", "3"),
    ("floor_div_mod", "q = 47 // 5\nr = 47 % 5\nanswer = q * 10 + r", "ok", "92"),
    ("power", "answer = 2 ** 10 - 3 ** 2", "ok", "1015"),
    ("negative_power", "answer = 2 ** -2", "ok", "0.25"),
    ("sqrt_by_power", "answer = 16 ** 0.5", "ok", "4"),
    ("percent", "price = 250\ndiscount = 20 / 100\nanswer = price * (1 - discount)", "ok", "200"),
    ("percent_float_literal", "total = 80\nanswer = total * 0.15", "ok", "12"),
    ("tuple_unpack", "a, b = 3, 4\nb, a = a, b\nanswer = a * 10 + b", "ok", "43"),
    ("starred_unpack", "first, *rest = [1, 2, 3, 4]\nanswer = first + sum(rest)", "ok", "10"),
    ("aug_assign", "x = 5\nx += 3\nx *= 2\nx -= 1\nx /= 3\nanswer = x", "ok", "5"),
    ("if_elif_else", '''
score = 83
if score >= 90:
    grade = "A"
elif score >= 80:
    grade = "B"
else:
    grade = "C"
answer = grade
''', "ok", "B"),
    ("for_range_sum", "total = 0\nfor i in range(1, 101):\n    total += i\nanswer = total", "ok", "5050"),
    ("for_list", "prices = [3.5, 2.25, 4]\ntotal = 0\nfor p in prices:\n    total += p\nanswer = total",
     "ok", "9.75"),
    ("while_loop", '''
balance = 1000
years = 0
while balance < 2000:
    balance = balance * 1.1
    years += 1
answer = years
''', "ok", "8"),
    ("while_break_continue", '''
n = 0
found = None
while n < 100:
    n += 1
    if n % 2 == 0:
        continue
    if n * n > 50:
        found = n
        break
answer = found
''', "ok", "9"),
    ("list_comprehension", "answer = sum([x * x for x in range(1, 6)])", "ok", "55"),
    ("generator_expression", "answer = sum(x for x in range(1, 11) if x % 3 == 0)", "ok", "18"),
    ("nested_comprehension", "pairs = [(a, b) for a in range(1, 4) for b in range(1, 4) if a < b]\n"
     "answer = len(pairs)", "ok", "3"),
    ("dict_comprehension", "d = {k: k * 2 for k in range(4)}\nanswer = d[3] + len(d)", "ok", "10"),
    ("dict_ops", '''
inventory = {"apples": 12, "pears": 7}
inventory["apples"] -= 5
inventory["plums"] = inventory.get("plums", 0) + 4
answer = sum(inventory.values())
''', "ok", "18"),
    ("list_methods", '''
items = [5, 3, 8]
items.append(1)
items.sort()
items.reverse()
answer = items[0] - items[-1] + items.index(3)
''', "ok", "9"),
    ("builtins_mix", "vals = [4, -7, 2.5]\nanswer = max(vals) + min(vals) + abs(-3) + len(vals)", "ok", "3"),
    ("round_money", "answer = round(2.675, 2)", "ok", "2.68"),
    ("round_int", "answer = round(7 / 2)", "ok", "4"),
    ("int_float_conversions", 'answer = int("12") + float("2.5") + int(7.9)', "ok", "21.5"),
    ("string_number", 'text = "42"\nanswer = int(text) // 2', "ok", "21"),
    ("helper_function", '''
def area(w, h=2):
    return w * h
answer = area(3) + area(4, h=5)
''', "ok", "26"),
    ("recursion_memo", '''
memo = {}
def fib(n):
    if n < 2:
        return n
    if n in memo:
        return memo[n]
    memo[n] = fib(n - 1) + fib(n - 2)
    return memo[n]
answer = fib(40)
''', "ok", "102334155"),
    ("lambda_sorted", '''
people = [("ann", 31), ("bob", 25), ("cy", 40)]
youngest = sorted(people, key=lambda p: p[1])[0]
answer = youngest[0]
''', "ok", "bob"),
    ("enumerate_zip", '''
a = [1, 2, 3]
b = [10, 20, 30]
total = 0
for i, (x, y) in enumerate(zip(a, b)):
    total += i * x * y
answer = total
''', "ok", "220"),
    ("print_last", "x = 7\nprint(x)\nprint(x * 6)", "ok", "42"),
    ("print_fstring", "total = 17.5\nprint(f\"The total cost is ${total:.2f}\")", "ok", "17.5"),
    ("print_label_value", "cost = 12 * 3\nprint('Answer:', cost)", "ok", "36"),
    ("containers_mix", '''
d = {'a': 3, 'b': 5}
grid = [[0] * 3 for _ in range(3)]
grid[1][2] = 5
a, b = 0, 1
for _ in range(10):
    a, b = b, a + b
cols = list(zip(*[[1, 2], [3, 4]]))
answer = [len(d.keys()), sum(d.values()), sorted(d.items(), key=lambda kv: -kv[1])[0][0], grid[1][2], a,
          cols[0][1], list(reversed(range(3)))]
''', "ok", "[2, 8, b, 5, 55, 3, [2, 1, 0]]"),
    ("annotated_def_docstring", '''
def double(x: int) -> int:
    """Twice x."""
    return 2 * x
answer = double(21)
''', "ok", "42"),
    ("notebook_last_expression", "price = 12\nqty = 3\nprice * qty", "ok", "36"),
    ("math_functions", "import math\nanswer = math.floor(7.8) + math.ceil(2.1) + math.gcd(12, 18) + math.factorial(4)",
     "ok", "40"),
    ("math_sqrt_exact", "import math\nanswer = math.sqrt(144) + math.sqrt(2.25)", "ok", "13.5"),
    ("math_pi_float", "import math\nr = 2\nanswer = math.pi * r ** 2", "ok", "12.5663706144"),
    ("math_from_import", "from math import comb, sqrt\nanswer = comb(5, 2) + sqrt(9)", "ok", "13"),
    ("math_log_exact", "import math\nanswer = math.log(8, 2) + math.log10(1000)", "ok", "6"),
    ("average", "scores = [88, 92, 79, 93]\nanswer = sum(scores) / len(scores)", "ok", "88"),
    ("boolean_answer", "answer = 17 % 2 == 1 and 17 > 10", "ok", "True"),
    ("list_answer", "answer = [x for x in range(1, 20) if x % 7 == 0]", "ok", "[7, 14]"),
    ("divmod_pow", "q, r = divmod(100, 7)\nanswer = pow(q, 2) + r", "ok", "198"),
    ("isinstance_check", "x = 5.0\nanswer = int(x) if isinstance(x, float) and x.is_integer() else x", "ok", "5"),
    ("string_ops", "name = 'Hello World'\nanswer = len(name.split()) + name.lower().count('o')", "ok", "4"),
    ("str_format_method", "x = 3.14159\nprint('{:.2f}'.format(x))", "ok", "3.14"),
    ("ann_assign", "count: int = 12\nanswer = count * 2", "ok", "24"),
    ("ifexp", "n = 15\nanswer = 'odd' if n % 2 else 'even'", "ok", "odd"),
    ("chained_compare", "x = 5\nanswer = 1 < x < 10", "ok", "True"),
    ("assert_ok", "x = 4\nassert x > 0\nanswer = x", "ok", "4"),
    ("map_filter", "nums = list(map(int, ['1', '2', '3']))\nanswer = sum(filter(lambda n: n > 1, nums))",
     "ok", "5"),
    ("min_max_key", "d = {'a': 3, 'b': 9}\nanswer = max(d, key=lambda k: d[k])", "ok", "b"),
]

SYMPY = [
    ("sympy_linear", '''
from sympy import symbols, Eq, solve
x = symbols('x')
answer = solve(Eq(3*x + 7, 22), x)[0]
''', "ok", "5"),
    ("sympy_system_dict", '''
from sympy import symbols, Eq, solve
x, y = symbols('x y')
sol = solve([Eq(x + y, 10), Eq(x - y, 2)], [x, y])
answer = sol[x] * sol[y]
''', "ok", "24"),
    ("sympy_system_dict_true", '''
import sympy as sp
a, c = sp.symbols('a c')
sols = sp.solve([sp.Eq(a + c, 30), sp.Eq(2*a + 4*c, 100)], [a, c], dict=True)
answer = sols[0][c]
''', "ok", "20"),
    ("sympy_positive_root", '''
import sympy as sp
x = sp.symbols('x', positive=True)
answer = sp.solve(sp.Eq(x**2, 49), x)[0]
''', "ok", "7"),
    ("sympy_star_import", '''
from sympy import *
t = Symbol('t')
answer = solve(Eq(60*t, 150), t)[0]
''', "ok", "2.5"),
    ("sympy_rational", "from sympy import Rational\nanswer = Rational(1, 3) + Rational(1, 6)", "ok", "0.5"),
    ("sympy_rational_string", "from sympy import Rational\nanswer = Rational('3/4') * 4", "ok", "3"),
    ("sympy_sqrt_irrational", "from sympy import sqrt\nanswer = sqrt(8)", "ok", "2*sqrt(2)"),
    ("sympy_simplify", '''
from sympy import symbols, simplify, expand, factor
x = symbols('x')
e = simplify((x**2 - 1) / (x - 1))
answer = e.subs(x, 4)
''', "ok", "5"),
    ("sympy_expand_factor", '''
from sympy import symbols, expand, factor
x = symbols('x')
answer = expand((x + 2) * (x - 3)).subs(x, 5) + len(factor(x**2 - 9).args)
''', "ok", "16"),
    ("sympy_nsimplify", "from sympy import nsimplify\nanswer = nsimplify(0.75)", "ok", "0.75"),
    ("sympy_floor_ceiling", "from sympy import floor, ceiling, Rational\nanswer = floor(Rational(7, 2)) + ceiling(Rational(7, 2))",
     "ok", "7"),
    ("sympy_quadratic_list", '''
from sympy import symbols, solve
x = symbols('x')
roots = solve(x**2 - 5*x + 6, x)
answer = sorted(roots)
''', "ok", "[2, 3]"),
    ("sympy_three_unknowns", '''
from sympy import symbols, Eq, solve
a, b, c = symbols('a b c')
eqs = [Eq(a + b + c, 6), Eq(a - b, 1), Eq(2*c, a + b)]
s = solve(eqs, (a, b, c))
answer = s[a] * 100 + s[b] * 10 + s[c]
''', "ok", "267"),
    ("sympy_word_problem_ages", '''
import sympy as sp
def solution():
    j, m = sp.symbols('j m')
    eq1 = sp.Eq(j, 3 * m)
    eq2 = sp.Eq(j + 5, 2 * (m + 5))
    sol = sp.solve((eq1, eq2), (j, m))
    return sol[j]
''', "ok", "15"),
    ("sympy_evalf", "import sympy as sp\nanswer = sp.pi.evalf(6)", "ok", "3.14159"),
    ("sympy_float_print", "import sympy as sp\nx = sp.symbols('x')\nprint(sp.solve(2*x - 1, x)[0])", "ok", "0.5"),
    ("sympy_abc", "from sympy.abc import x\nfrom sympy import solve\nanswer = solve(x - 4, x)[0]", "ok", "4"),
    ("sympy_linsolve", '''
from sympy import symbols, linsolve
x, y = symbols('x y')
sol = list(linsolve([x + y - 5, x - y - 1], x, y))[0]
answer = sol[0]
''', "ok", "3"),
    ("sympy_diff_integrate", '''
from sympy import symbols, diff, integrate
x = symbols('x')
answer = diff(x**3, x).subs(x, 2) + integrate(2*x, (x, 0, 3))
''', "ok", "21"),
    ("sympy_matrix", "from sympy import Matrix\nM = Matrix([[2, 1], [1, 3]])\nanswer = M.det()", "ok", "5"),
    ("sympy_mixed_exact", "import sympy as sp\nx = sp.Symbol('x')\nanswer = sp.solve(0.5 * x - 1.25, x)[0]",
     "ok", "2.5"),
    ("sympy_solve_name_string", "from sympy import *\nx = symbols('x')\nanswer = solve(4*x - 10, 'x')[0]",
     "ok", "2.5"),
    ("sympy_symbolic_answer", "from sympy import symbols\nx = symbols('x')\nanswer = x + x",
     "ok", "2*x"),
]

Z3 = [
    ("z3_model_plus", '''
from z3 import *
x = Int('x')
s = Solver()
s.add(x > 40, x < 45, x % 11 == 0)
s.check()
m = s.model()
answer = m[x] + 4
''', "ok", "48"),
    ("z3_as_long", '''
from z3 import Int, Solver, sat
apples = Int('apples')
s = Solver()
s.add(apples * 3 + 4 == 19)
if s.check() == sat:
    answer = s.model()[apples].as_long()
''', "ok", "5"),
    ("z3_eval_expression", '''
from z3 import *
a, b = Ints('a b')
s = Solver()
s.add(a + b == 10, a - b == 4)
s.check()
m = s.model()
answer = m.eval(a * b)
''', "ok", "21"),
    ("z3_reals", '''
from z3 import *
x = Real('x')
s = Solver()
s.add(2 * x == 5)
s.check()
answer = s.model()[x]
''', "ok", "2.5"),
    ("z3_reals_repeating", '''
from z3 import *
x = Real('x')
s = Solver()
s.add(3 * x == 1)
s.check()
answer = s.model()[x]
''', "ok", "1/3"),
    ("z3_answer_is_term", '''
from z3 import *
x, y = Ints('x y')
s = Solver()
s.add(x + y == 12, x == 2 * y)
answer = x
''', "ok", "8"),
    ("z3_optimize_min", '''
from z3 import *
x, y = Ints('x y')
opt = Optimize()
opt.add(x >= 0, y >= 0, x + 2 * y >= 10, 3 * x + y >= 15)
opt.minimize(x + y)
opt.check()
m = opt.model()
answer = m.eval(x + y)
''', "ok", "7"),
    ("z3_optimize_max", '''
from z3 import *
chairs, tables = Ints('chairs tables')
opt = Optimize()
opt.add(chairs >= 0, tables >= 0, 2 * chairs + 5 * tables <= 40, chairs <= 10)
opt.maximize(10 * chairs + 30 * tables)
opt.check()
answer = opt.model().eval(10 * chairs + 30 * tables)
''', "ok", "240"),
    ("z3_ambiguous_answer", '''
from z3 import *
x = Int('x')
s = Solver()
s.add(x > 40, x < 50)
s.check()
answer = s.model()[x].as_long()
''', "ambiguous", None),
    ("z3_unsat_core", '''
from z3 import *
x, y = Ints('x y')
s = Solver()
s.add(x >= 0)
s.add(x > y)
s.add(y > x)
s.check()
answer = s.model()[x]
''', "unsat", None),
    ("z3_logical_deduction_options", '''
from z3 import *
# Three birds on a branch: a blue jay, a quail and a falcon. The falcon is to the right of the blue jay.
# The blue jay is to the right of the quail.
bluejay, quail, falcon = Ints('bluejay quail falcon')
s = Solver()
for b in [bluejay, quail, falcon]:
    s.add(b >= 1, b <= 3)
s.add(Distinct(bluejay, quail, falcon))
s.add(falcon > bluejay)
s.add(bluejay > quail)
options = {
    "A": bluejay == 1,
    "B": quail == 1,
    "C": falcon == 1,
}
''', "ok", "B"),
    ("z3_logical_deduction_five", '''
from z3 import *
names = ["owl", "robin", "crow", "hawk", "dove"]
pos = {n: Int(n) for n in names}
s = Solver()
s.add(Distinct(*pos.values()))
for n in names:
    s.add(pos[n] >= 1, pos[n] <= 5)
s.add(pos["hawk"] == 5)
s.add(pos["owl"] < pos["robin"])
s.add(pos["robin"] == pos["crow"] - 1)
s.add(pos["dove"] == 1)
s.add(pos["crow"] == 4)
options = {"A": pos["owl"] == 2, "B": pos["robin"] == 2, "C": pos["crow"] == 2,
           "D": pos["hawk"] == 2, "E": pos["dove"] == 2}
''', "ok", "A"),
    ("z3_options_ambiguous", '''
from z3 import *
a, b, c = Ints('a b c')
s = Solver()
s.add(Distinct(a, b, c))
for v in (a, b, c):
    s.add(v >= 1, v <= 3)
s.add(a < c)
options = {"A": a == 1, "B": b == 1, "C": c == 1}
''', "ambiguous", None),
    ("z3_options_constraints_list", '''
from z3 import *
x, y = Ints('x y')
constraints = [x + y == 7, x - y == 1]
options = {"A": x == 4, "B": x == 3}
''', "ok", "A"),
    ("z3_knights_knaves_claim", '''
from z3 import *
# A says: "B is a knave." B says: "We are both knights."
A, B = Bools('A B')   # True = knight
s = Solver()
s.add(A == Not(B))
s.add(B == And(A, B))
claim = A
''', "ok", "True"),
    ("z3_claim_b_knight", '''
from z3 import *
A, B = Bools('A B')
s = Solver()
s.add(A == And(A, B))
s.add(B == Not(A))
claim = B
''', "ok", "True"),
    ("z3_claim_unknown", '''
from z3 import *
A, B = Bools('A B')
s = Solver()
s.add(Or(A, B))
claim = A
''', "ok", "Unknown"),
    ("z3_claim_refuted", '''
from z3 import *
p, q = Bools('p q')
s = Solver()
s.add(Implies(p, q), Not(q))
claim = p
''', "ok", "False"),
    ("z3_knights_answer_string", '''
from z3 import *
A, B, C = Bools('A B C')
s = Solver()
s.add(A == (B == C))
s.add(B == Not(A))
s.add(C == And(A, Not(B)))
s.check()
m = s.model()
answer = "knight" if is_true(m[A]) else "knave"
''', "ok", "knave"),
    ("z3_if_sum", '''
from z3 import *
xs = [Int(f"x{i}") for i in range(4)]
s = Solver()
for x in xs:
    s.add(Or(x == 0, x == 1))
s.add(Sum(xs) == 4)
s.add(Sum([If(x == 1, 2, 0) for x in xs]) == 8)
s.check()
m = s.model()
answer = sum(m[x].as_long() for x in xs)
''', "ok", "4"),
    ("z3_implies_bool", '''
from z3 import *
rain, wet = Bools('rain wet')
s = Solver()
s.add(Implies(rain, wet), rain)
s.check()
answer = s.model()[wet]
''', "ok", "True"),
    ("z3_print_answer", '''
from z3 import *
x = Int('x')
s = Solver()
s.add(5 * x - 3 == 22)
if s.check() == sat:
    print(s.model()[x])
''', "ok", "5"),
    ("z3_unsat_checked_branch", '''
from z3 import *
x = Int('x')
s = Solver()
s.add(x > 5, x < 3)
if s.check() == unsat:
    answer = "no solution"
''', "ok", "no solution"),
    ("z3_no_import_markers", '''
x = Int('x')
s = Solver()
s.add(x * 2 == 14)
''', "error", None),
    ("z3_reals_fraction_mix", '''
from z3 import *
p = Real('p')
s = Solver()
s.add(p * 0.2 == 3)
s.check()
answer = s.model()[p]
''', "ok", "15"),
    ("z3_prontoqa_quantifiers", '''
from z3 import *
Thing = DeclareSort('Thing')
Wumpus = Function('Wumpus', Thing, BoolSort())
Tumpus = Function('Tumpus', Thing, BoolSort())
Shy = Function('Shy', Thing, BoolSort())
x = Const('x', Thing)
alex = Const('alex', Thing)
s = Solver()
s.add(ForAll([x], Implies(Wumpus(x), Tumpus(x))))
s.add(ForAll([x], Implies(Tumpus(x), Not(Shy(x)))))
s.add(Wumpus(alex))
claim = Shy(alex)
''', "ok", "False"),
    ("z3_prontoqa_bools", '''
from z3 import *
# Every jompus is a yumpus. Every yumpus is bright. Sally is a jompus. Is Sally bright?
jompus, yumpus, bright = Bools('jompus yumpus bright')
constraints = [Implies(jompus, yumpus), Implies(yumpus, bright), jompus]
claim = bright
''', "ok", "True"),
    ("z3_ages_puzzle", '''
from z3 import *
alice, bob = Ints('alice bob')
s = Solver()
s.add(alice == bob + 4)
s.add(alice + bob == 30)
s.add(alice > 0, bob > 0)
s.check()
m = s.model()
answer = m[alice].as_long() * 2
''', "ok", "34"),
]

TABLE = PAL + SYMPY + Z3
