"""Data and doubles shared by the eval-harness tests (a uniquely named module, imported by the tests)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from hybrid.answers import FLEXIBLE, STRICT, read_number
from hybrid.result import Result, TraceStep

GSM8K_LINES = [
    {"question": "Tom has 3 apples and buys 4 more. How many apples does he have?",
     "answer": "3 + 4 = <<3+4=7>>7\n#### 7"},
    {"question": "A box holds 12 pens. How many pens are in 100 boxes?",
     "answer": "12 * 100 = <<12*100=1200>>1200\n#### 1,200"},
    {"question": "It is 5 degrees and drops 8 degrees. What is the temperature?",
     "answer": "5 - 8 = <<5-8=-3>>-3\n#### -3"},
    {"question": "Sam reads 10 pages a day for 6 days. How many pages?",
     "answer": "10 * 6 = 60\n#### 60"},
    {"question": "Ann has 9 sweets and eats 2. How many are left?", "answer": "9 - 2 = 7\n#### 7"},
]
GOLDS = ["7", "1200", "-3", "60", "7"]
# a program for each fixture question that computes its gold from the question's own numbers (verify
# refuses programs that write none of them)
PROGRAMS = ["apples = 3 + 4\nanswer = apples", "answer = 12 * 100", "answer = 5 - 8", "answer = 10 * 6",
            "answer = 9 - 2"]


def program_for(prompt_text: str) -> str:
    """The program of the fixture question at the end of a prompt ("answer = 0" for any other)."""
    last = prompt_text.rsplit("Question:", 1)[-1]
    for line, program in zip(GSM8K_LINES, PROGRAMS):
        if line["question"] in last:
            return program
    return "answer = 0"


def gold_for(prompt_text: str) -> str:
    """The gold of the fixture question at the end of a prompt (for scripted replies)."""
    last = prompt_text.rsplit("Question:", 1)[-1]
    for line, gold in zip(GSM8K_LINES, GOLDS):
        if line["question"] in last:
            return gold
    return "0"


class FakeEngine:
    """Stands in for hybrid.Engine: answers from a table of (route, status, answer, fallback text) per id."""

    def __init__(self, lm, table: dict, settings) -> None:
        self.lm = lm
        self.table = table
        self.settings = settings
        self.calls: list[list] = []

    def solve_many(self, questions):
        self.calls.append(list(questions))
        self.lm.generate([q["question"] for q in questions])  # one batched call, like the graph's steps
        out = []
        for q in questions:
            route, status, answer, text = self.table[q["id"]]
            trace = [TraceStep(node="propose", output="```python\nanswer = 1\n```", prompt_tokens=10,
                               completion_tokens=5)]
            if route in ("z3",) and status == "fallback":
                trace.append(TraceStep(node="z3", solver={"status": "ambiguous", "value": None}))
            if status == "fallback":
                trace.append(TraceStep(node="fallback", output=text, prompt_tokens=20, completion_tokens=10))
            fallback = status == "fallback"
            strict = read_number(text, STRICT) if fallback and q.get("options") is None else answer
            out.append(Result(question=q["question"], answer=answer, status=status,
                              route="fallback" if fallback else route, fallback_used=fallback,
                              program="answer = 1", trace=tuple(trace), prompt_tokens=30, completion_tokens=15,
                              id=q["id"], answers={STRICT.name: strict, FLEXIBLE.name: answer},
                              reasoning=text if fallback else None))
        return out


def benchmark_script(name: str):
    """benchmarks/NAME.py loaded as a module (the scripts are not a package)."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
