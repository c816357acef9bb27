"""Reading data files record by record: JSONL or a JSON array, each record with the line it starts on.

`iter_records(path)` yields (line, record or None, error) and never raises on bad content; `Collector`
turns bad records into a `DataError` naming file and line, or, with skip_bad=True, skips and counts them.
Used by every loader in `evals.datasets`.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator


class DataError(ValueError):
    """A dataset could not be found or a record in it is malformed (message names file and line)."""


def iter_records(path: Path) -> Iterator[tuple[int, dict | None, str]]:
    """(line number, record or None, error) for each record of a JSONL file or a JSON array file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        yield 1, None, f"not UTF-8 text ({exc.reason})"
        return
    if text.lstrip().startswith("["):
        yield from _iter_json_array(text)
        return
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield lineno, None, f"invalid JSON ({exc.msg}, column {exc.colno})"
            continue
        if not isinstance(record, dict):
            yield lineno, None, f"expected a JSON object, got {type(record).__name__}"
            continue
        yield lineno, record, ""


def _iter_json_array(text: str) -> Iterator[tuple[int, dict | None, str]]:
    """Walk a JSON array element by element so each element's starting line is known."""
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    ws = re.compile(r"[\s,]*")
    while True:
        pos = ws.match(text, pos).end()
        if pos >= len(text):
            yield text.count("\n", 0, pos) + 1, None, "unterminated JSON array"
            return
        if text[pos] == "]":
            return
        lineno = text.count("\n", 0, pos) + 1
        try:
            record, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield exc.lineno, None, f"invalid JSON ({exc.msg}, column {exc.colno})"
            return  # the rest of the array cannot be located reliably
        if not isinstance(record, dict):
            yield lineno, None, f"expected a JSON object, got {type(record).__name__}"
            continue
        yield lineno, record, ""


class Collector:
    """The records of one data file, with bad ones raised as DataError or, with skip_bad, counted."""

    def __init__(self, path: Path, skip_bad: bool) -> None:
        if not path.is_file():
            raise DataError(f"{path}: no such file")
        self.path, self.skip_bad = path, skip_bad
        self.skipped: list[str] = []

    def records(self) -> Iterator[tuple[int, int, dict]]:
        """(ordinal, line number, record) for each parsed record; unparsable ones are reported as bad.
        The ordinal counts every record, bad ones included, so ids do not shift when some are skipped."""
        for ordinal, (lineno, record, error) in enumerate(iter_records(self.path)):
            if record is None:
                self.bad(lineno, error)
                continue
            yield ordinal, lineno, record

    def bad(self, lineno: int, message: str) -> None:
        where = f"{self.path}:{lineno}: {message}"
        if not self.skip_bad:
            raise DataError(where + " (use --skip-bad to skip malformed records)")
        self.skipped.append(where)
