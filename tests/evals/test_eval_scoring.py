"""Statistics against hand-computed values (z = 1.959964)."""
from __future__ import annotations

import math

import pytest

from evals.scoring import mcnemar, paired, wilson


@pytest.mark.parametrize("k,n,lo,hi", [
    # center = (p + z²/2n) / (1 + z²/n), half = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n)
    (8, 10, 0.4902, 0.9433),
    (0, 10, 0.0, 0.2775),
    (10, 10, 0.7225, 1.0),
    (1, 5, 0.0362, 0.6245),
    (50, 100, 0.4038, 0.5962),
])
def test_wilson_hand_computed(k, n, lo, hi):
    got = wilson(k, n)
    assert got[0] == pytest.approx(lo, abs=1e-4)
    assert got[1] == pytest.approx(hi, abs=1e-4)


def test_wilson_edges():
    assert wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson(3, 2)


@pytest.mark.parametrize("b,c,p", [
    (1, 6, 0.125),      # 2 * (C(7,0) + C(7,1)) / 2^7 = 2 * 8/128
    (0, 5, 0.0625),     # 2 * 1/32
    (3, 3, 1.0),        # symmetric: capped at 1
    (0, 0, 1.0),        # no discordant pairs
    (2, 10, 0.03857),   # 2 * (1 + 12 + 66) / 4096 = 158/4096
])
def test_mcnemar_exact(b, c, p):
    result = mcnemar(b, c)
    assert result.method == "exact"
    assert result.p_value == pytest.approx(p, abs=1e-5)


def test_mcnemar_chi_square_for_large_counts():
    result = mcnemar(30, 10)  # (|30 - 10| - 1)² / 40 = 9.025
    assert result.method == "chi2-cc"
    assert result.statistic == pytest.approx(9.025)
    assert result.p_value == pytest.approx(math.erfc(math.sqrt(9.025 / 2)), rel=1e-9)
    assert result.p_value == pytest.approx(0.002663, abs=2e-6)


def test_paired_counts_only_common_ids():
    first = {"a": True, "b": True, "c": False, "d": False, "e": True}
    second = {"a": True, "b": False, "c": True, "d": False, "x": True}
    result = paired(first, second)
    assert (result.b, result.c, result.n) == (1, 1, 4)
