"""Table-driven: programs in the style small models write must give the expected status and value."""
import pytest

from solvers import run_program
from solvers_programs_table import TABLE


@pytest.mark.parametrize("source,status,value", [r[1:] for r in TABLE], ids=[r[0] for r in TABLE])
def test_program(source, status, value):
    result = run_program(source, timeout_s=5.0)
    assert result.status == status, result
    if value is not None:
        assert result.value == value, result


def test_row_ids_are_unique():
    """Each row runs under its own id (a repeated id would hide a row's failure behind another's)."""
    assert len({r[0] for r in TABLE}) == len(TABLE)
