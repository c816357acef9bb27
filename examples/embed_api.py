"""Embedding the hybrid engine in a program: solve a few word problems in one batched call.

    flock /tmp/hybrid-model.lock python examples/embed_api.py [--model qwen2.5-coder-0.5b]

`Engine.solve_many` runs every question through the graph with one model call per step for all of them;
each Result says which route answered (sympy, z3, fallback) and carries the full trace.
"""
from __future__ import annotations

import argparse

from hybrid import Engine

QUESTIONS = [
    {"id": "shirts", "question": "Sam buys 4 shirts at 15 dollars each and 3 pairs of pants at 25 dollars "
                                 "each. He pays with a 200 dollar bill. How many dollars of change does he get?"},
    {"id": "eggs", "question": "A hen lays 6 eggs a day. How many eggs does it lay in 2 weeks?"},
    {"id": "ages", "question": "Tom is 3 times as old as his son. In 12 years he will be twice as old as his "
                               "son. How old is Tom now?"},
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    args = parser.parse_args()

    engine = Engine(args.model, max_repairs=2)
    for result in engine.solve_many(QUESTIONS):
        print(f"{result.id:>7}: {result.answer!s:>6}  ({result.status}, route {result.route}, "
              f"{result.repairs} repairs, {result.tokens} tokens, {result.seconds:.1f} s)")
        if result.program:
            print("         program: " + result.program.replace("\n", "\n                  "))


if __name__ == "__main__":
    main()
