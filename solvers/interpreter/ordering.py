"""Ordering for the built-ins `sorted`, `min`, `max` and `list.sort`: keys are called through the interpreter,
z3 numerals are compared as numbers, and values read out of one z3 model get order-statistic shadows, so
`min(m[x], m[y])` is checked for uniqueness as "the smaller of x and y", not as "x". Mixed into the
interpreter.
"""
from __future__ import annotations

from fractions import Fraction

import z3

from solvers.interpreter.numbers import plain
from solvers.interpreter.tags import ZFrac, ZInt, tag_of, tagged, to_z3
from solvers.normalize import z3_value


def untagged(value):
    """A model-derived int or fraction as a plain one (its tag no longer says what it is the value of)."""
    if isinstance(value, ZInt):
        return int(value)
    if isinstance(value, ZFrac):
        return Fraction(value)
    return value


class OrderingMixin:
    def concrete(self, value):
        """A z3 numeral or truth value as a Python value (keeping its model tag); others unchanged."""
        if isinstance(value, z3.ExprRef):
            simple = z3_value(value)
            if not isinstance(simple, z3.ExprRef):
                return tagged(simple, tag_of(value))
        return value

    def _sortable(self, items):
        return [self.concrete(v) for v in items]

    def _sort_key(self, key):
        if key is None:
            return None
        return lambda v: self.concrete(self.call(key, [v], {}, None))

    def _minmax(self, fn, args, kwargs):
        key = self._sort_key(kwargs.pop("key", None))
        if len(args) == 1:
            items = self._sortable(self.to_list(args[0]))
        else:
            items = self._sortable(args)
        if not items:
            if "default" in kwargs:
                return kwargs["default"]
            self.fail(f"{fn.__name__}() of an empty sequence")
        if any(isinstance(v, z3.ExprRef) and not z3.is_int_value(v) and not z3.is_rational_value(v)
               for v in items):
            self.fail(f"{fn.__name__}() of z3 expressions is not decidable; use If(...) or a model value")
        if key:
            return self._order_untracked(items, fn(items, key=key))
        ordered = self._ordered(items)
        return ordered[0] if fn is min else ordered[-1]

    def _sorted(self, x, key=None, reverse=False):
        items = self._sortable(self.to_list(x))
        if key is not None:
            return self._order_untracked(items, sorted(items, key=self._sort_key(key), reverse=bool(reverse)))
        ordered = self._ordered(items)
        return ordered[::-1] if reverse else ordered

    def _ordered(self, items: list) -> list:
        """`items` sorted. Values read out of one z3 model get order-statistic shadows (the k-th smallest
        of their terms), so min/max/sorted of model values stay checkable: the smaller of a pair that the
        constraints fix only as a set is unique, though which variable holds it is not."""
        out = sorted(items)
        tags = [tag_of(v) for v in items]
        if not any(tags):
            return out
        record = next(t for t in tags if t)[1]
        if len(items) > 8 or any(t and t[1] is not record for t in tags) or \
                any(t is None and not isinstance(v, (int, Fraction)) for t, v in zip(tags, items)):
            return self._order_untracked(items, out)
        terms = [t[0] if t else to_z3(v) for t, v in zip(tags, items)]
        try:
            for i in range(len(terms)):
                for j in range(len(terms) - 1 - i):
                    a, b = terms[j], terms[j + 1]
                    terms[j], terms[j + 1] = z3.If(a <= b, a, b), z3.If(a <= b, b, a)
        except (z3.Z3Exception, TypeError):
            return self._order_untracked(items, out)
        return [tagged(plain(Fraction(v)) if isinstance(v, Fraction) else int(v) if isinstance(v, int) else v,
                       (term, record)) for v, term in zip(out, terms)]

    def _order_untracked(self, items: list, result):
        """An ordering whose shadow cannot be built: the result depended on every model value in it."""
        for v in items:
            self.tracker.use(v)
        return [untagged(v) for v in result] if isinstance(result, list) else untagged(result)
