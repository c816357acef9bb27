"""Table-driven: hostile and runaway programs give a clean error/timeout result within their limit."""
import os
import time

import pytest

from solvers import run_program
from solvers_hostile_table import TABLE

TIMEOUT_S = 1.5
SLACK_S = 2.5  # kill + restart of a worker, on a loaded 2-core machine
# rows that expect an error test a limit (a count, a size, memory, a policy rule), so they run under a
# clock long enough for that limit to be what stops them: on an AVX2-only AMD EPYC the 100,000 loop
# iterations took 1.8 s and the dict memory bomb 1.5 s, past the 1.5 s clock (a timeout there)
LIMIT_ROW_TIMEOUT_S = 10.0


@pytest.mark.parametrize("source,status,needle", [r[1:] for r in TABLE], ids=[r[0] for r in TABLE])
def test_hostile(source, status, needle):
    timeout_s = LIMIT_ROW_TIMEOUT_S if status == "error" else TIMEOUT_S
    started = time.monotonic()
    result = run_program(source, timeout_s=timeout_s)
    elapsed = time.monotonic() - started
    assert result.status == status, result
    assert result.value is None
    assert result.message and len(result.message) <= 200
    assert needle.lower() in result.message.lower(), result.message
    assert elapsed < timeout_s + SLACK_S, (elapsed, result)
    assert not os.path.exists("/tmp/hy_pwned")


def test_row_ids_are_unique():
    """Each row runs under its own id (a repeated id would hide a row's failure behind another's)."""
    assert len({r[0] for r in TABLE}) == len(TABLE)


def test_pool_still_works_after_hostile_runs():
    assert run_program("answer = 6 * 7").value == "42"
