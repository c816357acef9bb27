"""Where the program is inside a model's reply: the last fenced code block (an ```output block, the
model's invented output in ToRA style, ends the block before it), else the text that parses as a program
once leading and trailing prose lines are trimmed. Never raises, never executes anything.
"""
from __future__ import annotations

import ast
import re

from solvers.language import parse

MAX_TRIM_SEARCH_CHARS = 20_000
MAX_TRIM_PARSE_CHARS = 200_000  # characters parsed, in all, while trimming prose off a reply
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([\w+.-]*)")
_CODE_LANGS = {"", "python", "py", "python3", "sympy", "z3", "pycon"}
_SUBSTANTIAL = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Import, ast.ImportFrom, ast.FunctionDef,
                ast.For, ast.While, ast.If)


def _is_program(text: str) -> bool:
    tree = parse(text)
    if tree is None or not tree.body:
        return False
    for stmt in tree.body:
        if isinstance(stmt, _SUBSTANTIAL):
            return True
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            return True
    return False


def _fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) for each fenced block; an unterminated last block runs to the end of the text."""
    blocks: list[tuple[str, str]] = []
    lang: str | None = None
    body: list[str] = []
    for line in text.splitlines():
        match = _FENCE.match(line)
        if match is None:
            if lang is not None:
                body.append(line)
            continue
        tag = match.group(2).lower()
        if lang is None:
            lang, body = tag, []
            # text after the tag on the same line (```python x = 1) is rare; ignore it
        elif tag and tag not in _CODE_LANGS:
            # ```output (or another tagged fence) while inside a block: close it, open the new one
            blocks.append((lang, "\n".join(body)))
            lang, body = tag, []
        else:
            blocks.append((lang, "\n".join(body)))
            lang, body = None, []
    if lang is not None:
        blocks.append((lang, "\n".join(body)))
    return blocks


def extract_program(text: str) -> str | None:
    """Pull the program out of a model reply. Never raises.

    The last fenced code block (```python, ```py or bare ```) wins; an ```output block (ToRA style, the
    model's invented output) ends the code block before it and is ignored. Without fences, text that
    parses as a program is used, after trimming leading and trailing prose lines.
    """
    try:
        if not isinstance(text, str) or not text.strip():
            return None
        if "```" in text or "~~~" in text:
            code = [body for lang, body in _fenced_blocks(text) if lang in _CODE_LANGS and body.strip()]
            for body in reversed(code):
                if _is_program(body):
                    return body.strip("\n")
            if code:
                return code[-1].strip("\n")
            return None  # fenced, but no code block: the prose is not searched for a program
        stripped = text.strip()
        if len(stripped) > MAX_TRIM_SEARCH_CHARS:
            return None  # too long to search for a program inside prose (each try is a parse)
        if _is_program(stripped):
            return stripped
        lines = stripped.splitlines()
        if len(lines) > 400:
            return None
        parsed = 0
        for start in range(min(len(lines), 12)):
            for end in range(len(lines), max(start, len(lines) - 12), -1):
                candidate = "\n".join(lines[start:end]).strip()
                parsed += len(candidate)
                if parsed > MAX_TRIM_PARSE_CHARS:
                    return None  # each try is a parse: the search as a whole is bounded
                if candidate and _is_program(candidate):
                    return candidate
        return None
    except Exception:  # noqa: BLE001 - extraction must never raise
        return None
