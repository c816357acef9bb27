"""Statistics for comparing systems: Wilson intervals and McNemar's paired test. Pure, standard library only.

- `wilson(k, n)`: the Wilson score interval for a binomial proportion (95% by default). Unlike the normal
  approximation it stays inside [0, 1] and is sensible at k = 0 or k = n and small n.
- `mcnemar(b, c)`: the paired test on discordant counts (b = first right and second wrong, c = the
  reverse). Exact two-sided binomial test when b + c <= 25 (the usual rule), else the chi-square statistic
  with continuity correction, p from the chi-square(1) tail.

Deliberately left out: multiple-comparison correction (the report lists each pairwise p-value as is).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

Z95 = 1.959963984540054
EXACT_MAX_DISCORDANT = 25


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval (lower, upper) for k successes in n trials; (0.0, 1.0) when n == 0."""
    if n <= 0:
        return (0.0, 1.0)
    if not 0 <= k <= n:
        raise ValueError(f"wilson: need 0 <= k <= n, got k={k}, n={n}")
    p = k / n
    z2 = z * z
    denom = 1.0 + z2 / n
    center = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    return (max(0.0, center - half), min(1.0, center + half))


@dataclass(frozen=True)
class McNemar:
    """The outcome of McNemar's test on one pair of systems over the same problems."""

    b: int            # first correct, second wrong
    c: int            # first wrong, second correct
    n: int            # paired problems
    statistic: float  # chi-square with continuity correction (0 for the exact test)
    p_value: float
    method: str       # "exact" | "chi2-cc"

    def to_dict(self) -> dict:
        return asdict(self)


def _binom_two_sided(b: int, c: int) -> float:
    m = b + c
    if m == 0:
        return 1.0
    k = min(b, c)
    tail = sum(math.comb(m, i) for i in range(k + 1)) / 2.0 ** m
    return min(1.0, 2.0 * tail)


def mcnemar(b: int, c: int, n: int | None = None) -> McNemar:
    """McNemar's test for discordant counts b and c (exact binomial when b + c <= 25)."""
    if b < 0 or c < 0:
        raise ValueError(f"mcnemar: counts must be >= 0, got b={b}, c={c}")
    n = b + c if n is None else n
    if b + c <= EXACT_MAX_DISCORDANT:
        return McNemar(b, c, n, 0.0, _binom_two_sided(b, c), "exact")
    stat = (abs(b - c) - 1) ** 2 / (b + c)
    p = math.erfc(math.sqrt(stat / 2.0))  # chi-square(1) upper tail
    return McNemar(b, c, n, stat, p, "chi2-cc")


def paired(first: dict[str, bool], second: dict[str, bool]) -> McNemar:
    """McNemar's test over the problem ids both systems answered (dicts id -> correct)."""
    common = sorted(set(first) & set(second))
    b = sum(1 for i in common if first[i] and not second[i])
    c = sum(1 for i in common if second[i] and not first[i])
    return mcnemar(b, c, len(common))
