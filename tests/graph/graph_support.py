"""Helpers shared by the graph tests (importable by name: pytest puts this folder on sys.path)."""
from __future__ import annotations

SAM = ("Sam buys 4 shirts at 15 dollars each and 3 pairs of pants at 25 dollars each. He pays with a 200 "
       "dollar bill. How many dollars of change does he get?")


def fenced(program: str) -> str:
    """A model reply holding `program` in a python fence (as the Qwen coder models write it)."""
    return f"```python\n{program.strip()}\n```"
