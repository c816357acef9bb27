"""A logic puzzle through Z3: the model formalizes, the solver decides which option follows.

    flock /tmp/hybrid-model.lock python examples/logic_puzzle.py [--model qwen2.5-coder-0.5b]

The model writes a z3 program that declares the objects, states every sentence as a constraint and maps
each option letter to a formula (`options = {...}`); Z3 reports the single option the constraints entail,
or "ambiguous"/"unsat", which sends the program back to the model for repair. The printed trace shows
each step. A small model may fail to formalize; the result then says so (fallback or failed).
"""
from __future__ import annotations

import argparse

from hybrid import Engine

CONTEXT = (
    "The following paragraphs each describe a set of three objects arranged in a fixed order. The statements "
    "are logically consistent within each paragraph.\n\nIn a bakery window, there are three cakes: a lemon "
    "cake, a plum cake, and a nut cake. The nut cake is to the right of the plum cake. The lemon cake is the "
    "leftmost."
)
QUESTION = "Which of the following is true?"
OPTIONS = ["A) The lemon cake is the rightmost.", "B) The plum cake is the rightmost.",
           "C) The nut cake is the rightmost."]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    args = parser.parse_args()

    engine = Engine(args.model)
    result = engine.solve(QUESTION, context=CONTEXT, options=OPTIONS)
    for step in result.trace:
        shown = step.output if step.node != "propose" else (step.output[:400] + " ...")
        print(f"--- {step.node} ({step.seconds:.1f} s)\n{shown}")
    print(f"\nanswer {result.answer} (expected C) · status {result.status} · route {result.route}")


if __name__ == "__main__":
    main()
