"""Two slips of a logic formalization, mended in its text before it runs (nothing here executes anything).

The logic prompts ask for one statement per line: a numbered fact's comment, then its constraint. The
bundled 1.5B model writes most PrOntoQA formalizations right but for two slips that cost the whole program
(`docs/reference/prontoqa-dev-1.5b-k5`: 35 of 80 sampled programs left the claim `Unknown` through the
second, 16 did not parse through the first):
- **A line that leaves a bracket open**: `solver.add(Implies(Bool('a'), Not(Bool('b')))` is one `)` short,
  so Python reads the next line as part of it and the program does not parse. `close_brackets` closes, at
  the end of the line, the brackets the line itself opened and left open (and drops closing brackets a
  line has too many of at its end), but only in a program that does not parse as written, only on lines
  the next line does not continue (indented deeper, or opening with a closing bracket or an operator), and only if the result parses.
- **One category under two names**: `Bool('wumpus')` in one fact and `Bool('wumpuses')` in the next are
  two unrelated constants to Z3, so the chain of facts breaks there and nothing follows. The prompt asks
  for the singular name; `merge_plural_names` renames a plural to its singular wherever both appear
  (`split_names` finds the pairs; the verifier also names them when a program is still undecided).
`mend` applies both and says what it changed; a program with neither slip comes back as it was. Text is
read with a small scanner (strings and comments skipped) and `solvers.language.parse`, which never raises.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.language import parse

_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_DECLARED_NAME = re.compile(r"\b(?:Bool|Int|Real|Bools|Ints|Reals)\(\s*['\"]([^'\"]+)['\"]")
MAX_MEND_CHARS = 100_000  # longer programs are not mended (the scanner is linear, but parse is not free)


@dataclass(frozen=True)
class Mended:
    """The program after mending, and a note per change (empty when nothing changed)."""

    program: str
    changes: tuple[str, ...] = ()


def plural_forms(name: str) -> tuple[str, ...]:
    """The plural spellings of a singular name: +s, +es, and y -> ies."""
    forms = [name + "s", name + "es"]
    if name.endswith("y") and len(name) > 1:
        forms.append(name[:-1] + "ies")
    return tuple(forms)


def split_names(program: str | None) -> list[tuple[str, str]]:
    """Pairs (singular, plural) of z3 names in `program` that differ only by a plural ending ("tirpus" /
    "tirpuses"): to Z3 they are two unrelated constants, so facts stated with one never reach the other."""
    if not program:
        return []
    names = sorted({n for group in _DECLARED_NAME.findall(program) for n in group.split()})
    known = set(names)
    return [(name, plural) for name in names for plural in plural_forms(name) if plural in known]


def merge_plural_names(program: str) -> tuple[str, list[str]]:
    """`program` with each plural name of a split pair renamed to its singular, in Bool/Int/Real('...')
    calls; and a note per name merged."""
    notes = []
    for singular, plural in split_names(program):
        pattern = re.compile(r"\b(Bool|Int|Real)\(\s*(['\"])" + re.escape(plural) + r"\2\s*\)")
        program, count = pattern.subn(lambda m: f"{m.group(1)}('{singular}')", program)
        if count:
            notes.append(f"'{plural}' read as '{singular}'")
    return program, notes


def _line_brackets(line: str) -> tuple[list[str], int, int] | None:
    """(brackets the line opens and leaves open, closers in excess, index where its code ends) for one
    physical line; None when a string does not end on the line (a continued string: not mended)."""
    stack: list[str] = []
    excess, i, end, quote = 0, 0, len(line), ""
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if line.startswith(quote, i):
                i += len(quote)
                quote = ""
                continue
        elif ch == "#":
            end = i
            break
        elif ch in "'\"":
            quote = ch * 3 if line.startswith(ch * 3, i) else ch
            i += len(quote)
            continue
        elif ch in _OPENERS:
            stack.append(ch)
        elif ch in _CLOSERS:
            if stack and stack[-1] == _CLOSERS[ch]:
                stack.pop()
            elif stack:
                return None  # a mismatched closer: not a slip this mends
            else:
                excess += 1
        i += 1
    if quote:
        return None
    return stack, excess, len(line[:end].rstrip())


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _continues(line: str, next_line: str | None) -> bool:
    """Whether `next_line` reads as the continuation of `line`: indented deeper, or opening with a closing
    bracket or an operator."""
    if next_line is None:
        return False
    stripped = next_line.lstrip()
    return bool(stripped) and (_indent(next_line) > _indent(line) or stripped[0] in ")]},.+-*/%|&=")


def close_brackets(program: str) -> tuple[str, list[str]]:
    """`program` with the brackets each line leaves open closed at its end (and trailing excess closers
    dropped), when it does not parse as written and does once mended; else unchanged. A note per line."""
    if len(program) > MAX_MEND_CHARS or parse(program) is not None:
        return program, []
    lines = program.split("\n")
    code = [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    notes = []
    for n, i in enumerate(code):
        scanned = _line_brackets(lines[i])
        if scanned is None:
            return program, []
        stack, excess, end = scanned
        following = lines[code[n + 1]] if n + 1 < len(code) else None
        if stack and not _continues(lines[i], following):
            closing = "".join(_OPENERS[b] for b in reversed(stack))
            lines[i] = lines[i][:end] + closing + lines[i][end:]
            notes.append(f"line {i + 1}: closed {closing}")
        elif excess and not stack:
            code_part = lines[i][:end]
            trimmed = code_part.rstrip(")]}")
            if len(code_part) - len(trimmed) >= excess:
                lines[i] = code_part[: end - excess] + lines[i][end:]
                notes.append(f"line {i + 1}: dropped {excess} extra closing bracket(s)")
    mended = "\n".join(lines)
    if not notes or parse(mended) is None:
        return program, []
    return mended, notes


def mend(program: str | None) -> Mended:
    """Both mends, brackets first (a program must parse before its names matter). Never raises."""
    if not program:
        return Mended(program or "")
    try:
        closed, bracket_notes = close_brackets(program)
        merged, name_notes = merge_plural_names(closed)
    except (RecursionError, MemoryError, ValueError):
        return Mended(program)
    return Mended(merged, tuple(bracket_notes + name_notes))
