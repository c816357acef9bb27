"""The per-row stop-string criterion of TransformersLM, with a one-character-per-token fake tokenizer."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from hybrid.lm.decoding import StopOnStrings  # noqa: E402


class CharTokenizer:
    """Token id i is chr(i); 0 is a special token skipped on decode."""

    def decode(self, ids, skip_special_tokens=True):
        return "".join(chr(int(i)) for i in ids if int(i) != 0 or not skip_special_tokens)


def ids(*rows: str) -> "torch.Tensor":
    return torch.tensor([[ord(c) for c in row] for row in rows])


def test_rows_stop_independently_and_record_their_length():
    prompt = "PP"
    criterion = StopOnStrings(CharTokenizer(), ["```output", "\n\n"], prompt_len=len(prompt), batch=2)
    steps = ["a", "b", "\n", "\n", "c"]
    other = ["x", "`", "`", "`", "o"]
    row0, row1 = prompt, prompt
    done_at = {}
    for step, (a, b) in enumerate(zip(steps, other), start=1):
        row0, row1 = row0 + a, row1 + b
        done = criterion(ids(row0, row1), None)
        for r in (0, 1):
            if done[r] and r not in done_at:
                done_at[r] = step
    assert done_at == {0: 4}  # row 0 stops once "\n\n" is complete; row 1 has only a partial "```o"
    assert criterion.stopped_at.tolist() == [4, 0]
    for c in "utput":
        row1 += c
    assert criterion(ids(row0 + "z" * 5, row1), None).tolist() == [True, True]
    assert criterion.stopped_at.tolist() == [4, 10]


def test_stop_string_in_the_prompt_does_not_count():
    criterion = StopOnStrings(CharTokenizer(), ["STOP"], prompt_len=4, batch=1)
    assert criterion(ids("STOPa"), None).tolist() == [False]
