"""End-to-end with the real bundled model (slow; run with `pytest -m real_model`, one at a time under
`flock /tmp/hybrid-model.lock`). These prove that the scripted double tells the truth about the graph."""
from __future__ import annotations

import pytest

from graph_support import SAM

pytestmark = [pytest.mark.real_model]

# One BIG-bench LogicalDeduction item (as packaged by Logic-LM, MIT; logical_deduction_dev.json, id
# logical_deduction_0). Used only to check the route's behaviour, never for prompt writing.
LD_CONTEXT = (
    "The following paragraphs each describe a set of five objects arranged in a fixed order. The statements "
    "are logically consistent within each paragraph.\n\nOn a shelf, there are five books: a green book, a blue "
    "book, a white book, a purple book, and a yellow book. The blue book is to the right of the yellow book. "
    "The white book is to the left of the yellow book. The blue book is the second from the right. The purple "
    "book is the second from the left."
)
LD_QUESTION = "Which of the following is true?"
LD_OPTIONS = [f"{letter}) The {color} book is the second from the left." for letter, color in
              zip("ABCDE", ["green", "blue", "white", "purple", "yellow"])]


@pytest.fixture(scope="module")
def engine():
    from hybrid import Engine

    return Engine("qwen2.5-coder-0.5b")


def test_real_model_solves_a_simple_word_problem(engine):
    result = engine.solve(SAM)
    assert result.answer == "65", [(s.node, s.output) for s in result.trace]
    assert result.status == "ok" and result.route == "sympy"
    assert result.completion_tokens > 0 and result.seconds > 0


def test_real_model_logic_item_reaches_z3_and_answers_honestly(engine):
    result = engine.solve(LD_QUESTION, context=LD_CONTEXT, options=LD_OPTIONS)
    nodes = [s.node for s in result.trace]
    assert nodes[0] == "propose"
    assert "z3" in nodes, [(s.node, s.output[:300]) for s in result.trace]  # the model wrote a z3 formalization
    if result.status == "ok":
        # the letter came from Z3's option check, not from the model
        assert result.route in ("z3", "sympy+z3") and result.answer in list("ABCDE")
        assert result.trace[-3].solver["status"] == "ok" and result.trace[-3].solver["value"] == result.answer
    else:
        # an honest failure: the solver said unsat/ambiguous/error and the plain-reasoning fallback ran
        assert result.fallback_used and result.status in ("fallback", "failed")
        assert any(s.solver and s.solver["status"] != "ok" or s.node == "verify" for s in result.trace)
