"""Each escape class of the sandbox issue as a table of programs (`solvers_escape_table`, written as an
attacker would against the code before the fix): no payload runs, z3 answers whose tag was lost are still
checked for uniqueness, limits that could be stepped around give clean results, and nothing crashes or
leaks from one job to the next."""
import time

import pytest

from solvers import run_program
from solvers.sandbox.pool import default_pool
from solvers_escape_table import CRASHES, ESCAPES, LIMITS, RIGHT_OK, STATE_LEAKS, WRONG_OK

# Work that is simply hard (factoring a large semiprime, the roots of x**10000 - 1, an expression that
# doubles a hundred times): no bound short of refusing the functions; the job process is stopped at the
# deadline and the worker carries on.
INHERENT = {"lim_factorint_hard", "lim_totient_hard", "lim_roots_of_unity", "lim_factor_cyclotomic",
            "lim_nested_expression_subs"}


@pytest.mark.parametrize("source", [r[2] for r in ESCAPES], ids=[r[0] for r in ESCAPES])
def test_no_payload_runs(source, tmp_path):
    marker = tmp_path / "marker"
    result = run_program(source.format(marker=marker), timeout_s=3)
    assert not marker.exists(), result
    assert not (result.status == "ok" and "PWNED" in str(result.value)), result


@pytest.mark.parametrize("source,status", [r[1:] for r in WRONG_OK], ids=[r[0] for r in WRONG_OK])
def test_an_undetermined_model_value_is_ambiguous_however_it_is_read(source, status):
    result = run_program(source, timeout_s=3)
    assert result.status == status, result


@pytest.mark.parametrize("source,status,value", [r[1:] for r in RIGHT_OK], ids=[r[0] for r in RIGHT_OK])
def test_a_determined_model_value_is_ok_however_it_is_read(source, status, value):
    result = run_program(source, timeout_s=3)
    assert (result.status, result.value) == (status, value), result


@pytest.mark.parametrize("rid,source", LIMITS, ids=[r[0] for r in LIMITS])
def test_limits_cannot_be_stepped_around(rid, source):
    workers = set(default_pool().pids())
    timeout = 1.0 if rid in INHERENT else 10.0  # a bound refuses in milliseconds; the clock only backs it up
    started = time.monotonic()
    result = run_program(source, timeout_s=timeout)
    elapsed = time.monotonic() - started
    assert result.status in ("error", "timeout"), result
    assert "died" not in result.message, result
    assert elapsed < timeout + 1.5, (elapsed, result)
    if rid not in INHERENT:
        assert result.status == "error", result  # refused by a bound, not stopped by the clock
    assert workers <= set(default_pool().pids()) or not workers  # the worker outlived the job


@pytest.mark.parametrize("source", [r[1] for r in CRASHES], ids=[r[0] for r in CRASHES])
def test_bogus_z3_contexts_are_refused_not_crashed(source):
    result = run_program(source, timeout_s=3)
    assert result.status == "error" and "died" not in result.message, result


@pytest.mark.parametrize("rid,source,status,value", STATE_LEAKS, ids=[r[0] for r in STATE_LEAKS])
def test_no_state_crosses_from_one_job_to_the_next(rid, source, status, value):
    for _ in range(3):
        result = run_program(source, timeout_s=3)
        assert (result.status, result.value) == (status, value), result
