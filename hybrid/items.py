"""Question files: JSONL items read by a declared schema and checked before any model loads.

One JSON object per line, with these fields (`SCHEMA`); any other field is ignored and counted:
    question  text, required (empty or over hybrid.engine's limit is an error)
    id        text or integer, optional (echoed in the output)
    context   text, optional (the facts of a logic question)
    options   list of non-empty texts, optional (lettered options, "A) ...")
    kind      "math" or "logic", optional (default: decided from the question, hybrid.kinds)
`read_items(path)` returns every item, or raises `BadItem` (an `ItemsError`) naming the first bad one ("FILE line N
(id X): ..."), one line; with `skip_bad=True` bad items are left out and their messages returned instead.
A file that cannot be read, or holds no items, is an error either way. Deliberately left out: fields
beyond the engine's own (a file's gold answers belong to the eval harness, evals.datasets).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hybrid.engine import InvalidQuestion, validate

KINDS = ("math", "logic")
SCHEMA = {"question": "text (required)", "id": "text or integer", "context": "text",
          "options": "list of texts", "kind": " or ".join(KINDS)}


class ItemsError(ValueError):
    """A question file that cannot be used; the message is one line naming the file."""


class BadItem(ItemsError):
    """One item of a file breaks the schema; the message names the file, the line and the item's id."""


@dataclass(frozen=True)
class Item:
    """One question of a file, checked against `SCHEMA`."""

    question: str
    id: str | int | None = None
    context: str | None = None
    options: tuple[str, ...] | None = None
    kind: str | None = None
    line: int = 0

    def to_engine(self) -> dict:
        """The item as `Engine.solve_many` takes it."""
        return dict(question=self.question, id=self.id, context=self.context,
                    options=list(self.options) if self.options is not None else None, kind=self.kind)


@dataclass(frozen=True)
class ItemsFile:
    """What `read_items` found: the good items, the messages of the bad ones, the unknown fields seen."""

    items: tuple[Item, ...]
    skipped: tuple[str, ...] = ()
    unknown_fields: Counter = field(default_factory=Counter)

    def notes(self) -> list[str]:
        """One line per thing a user should hear about (skipped items, ignored fields)."""
        lines = [f"skipped: {message}" for message in self.skipped]
        if self.unknown_fields:
            counted = ", ".join(f"{name} ({n})" for name, n in sorted(self.unknown_fields.items()))
            lines.append(f"ignored fields not in the item schema: {counted}")
        return lines


def parse_item(record: Any, *, line: int = 0) -> Item:
    """An Item from one decoded JSON value, or InvalidQuestion saying what is wrong (without the place)."""
    if not isinstance(record, dict):
        raise InvalidQuestion('expected a JSON object with a "question" field')
    if "question" not in record:
        raise InvalidQuestion('lacks "question"')
    ident = record.get("id")
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, (str, int))):
        raise InvalidQuestion(f"id must be text or an integer, got {type(ident).__name__}")
    kind = record.get("kind")
    if kind is not None and kind not in KINDS:
        raise InvalidQuestion(f"kind must be {' or '.join(KINDS)}, got {_shown(kind)}")
    question = validate(record["question"], context=record.get("context"), options=record.get("options"))
    options = record.get("options")
    return Item(question=question, id=ident, context=record.get("context"),
                options=tuple(options) if options is not None else None, kind=kind, line=line)


def _shown(value: Any, limit: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "..."


def _place(path: str, number: int, record: Any) -> str:
    ident = record.get("id") if isinstance(record, dict) else None
    return f"{path} line {number}" + (f" (id {_shown(ident)})" if isinstance(ident, (str, int)) else "")


def read_items(path: str, *, skip_bad: bool = False) -> ItemsFile:
    """The items of a JSONL question file; see the module docstring."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ItemsError(f"{path}: cannot read: {' '.join(str(exc).split())}") from None
    items: list[Item] = []
    skipped: list[str] = []
    unknown: Counter = Counter()
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError:
            record, problem = None, "not JSON (expected one object per line)"
        else:
            try:
                items.append(parse_item(record, line=number))
                unknown.update(k for k in record if k not in SCHEMA)
                continue
            except InvalidQuestion as exc:
                problem = str(exc)
        message = f"{_place(path, number, record)}: {problem}"
        if not skip_bad:
            raise BadItem(message)
        skipped.append(message)
    if not items:
        raise ItemsError(f'{path}: no questions (expected JSON lines with a "question" field)'
                         + (f"; {len(skipped)} bad" if skipped else ""))
    return ItemsFile(tuple(items), tuple(skipped), unknown)
