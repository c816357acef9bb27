"""What `hybrid solve` writes: a readable answer with its trace, JSON lines, and progress on stderr.

The answer goes to stdout and nothing else does. Progress goes to stderr, and only when stderr is a terminal
or `--progress` asks for it; the third-party bars of the libraries under the engine (transformers' "Loading
weights", the hub's downloads) are switched off unless `--progress` is given, so stderr under `--json` or
in a pipe holds only errors and notes.
"""
from __future__ import annotations

import os
import sys
from typing import Any, Iterator


def wants_progress(flag: bool | None) -> bool:
    """--progress / --no-progress as given, else on when stderr is a terminal."""
    if flag is not None:
        return flag
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def quiet_libraries(progress: bool) -> None:
    """Switch the libraries' own progress bars off (before they are imported, or after) unless `progress`."""
    if progress:
        return
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"  # read by huggingface_hub and transformers on import
    if "transformers" in sys.modules:
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()


class Progress:
    """A count of answered questions on stderr (a tqdm bar), or nothing when disabled."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=sys.stderr, unit="q", desc="solving")

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def short_record(result: Any, ident: Any) -> dict:
    """The JSON line of one answer in `hybrid solve -f` (without --json)."""
    return {"id": ident, "question": result.question, "answer": result.answer, "status": result.status,
            "route": result.route, "fallback_used": result.fallback_used, "repairs": result.repairs,
            "confidence": result.confidence, "tokens": result.tokens, "seconds": result.seconds}


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def print_result(result: Any) -> None:
    """The answer, a status line and the trace as a table (rich), on stdout."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]Answer:[/bold] {short(str(result.answer))}")
    confidence = "" if result.confidence is None else f" · confidence {result.confidence:g}"
    console.print(f"status {result.status} · route {result.route} · repairs {result.repairs} · "
                  f"fallback {'yes' if result.fallback_used else 'no'}{confidence} · {result.tokens} tokens · "
                  f"{result.seconds:.1f} s")
    for line in step_lines(result):
        console.print(short(line, 2000), highlight=False)
    table = Table(title="trace", show_lines=True)
    for column in ("node", "input", "output", "tokens", "s"):
        table.add_column(column, overflow="fold")
    for step in result.trace:
        output = short(step.output) + (short(f"\nnote: {step.note}") if step.note else "")
        table.add_row(step.node, short(step.input), output,
                      str(step.prompt_tokens + step.completion_tokens) if step.prompt_tokens else "",
                      f"{step.seconds:.2f}")
    console.print(table)


def step_lines(result: Any) -> list[str]:
    """Steps mode: the kept steps as a numbered list (solver, the earlier values used, the values made,
    the code), then where the answer came from; nothing in program mode."""
    steps = (result.extra or {}).get("steps") or []
    if not steps:
        return []
    lines = ["Steps:"]
    for record in steps:
        uses = ", ".join(f"{name} (step {n})" for name, n in record.get("uses", {}).items())
        values = ", ".join(f"{name} = {entry[1]!r}" if entry[0] == "str" else f"{name} = {entry[1]}"
                           for name, entry in record.get("values", {}).items())
        head = f"  {record['n']}. {record.get('solver') or 'no code'}"
        head += (f" · uses {uses}" if uses else "") + (f" · {values}" if values else "")
        if record.get("attempt"):
            head += f" · repaired ({record['attempt']})"
        if not record.get("code"):
            head += f" · last line: {record.get('value')}"
        lines.append(head)
        lines.extend(f"       {line}" for line in (record.get("code") or "").splitlines())
    origin = (result.extra or {}).get("answer_from")
    if origin:
        lines.append(f"Answer {result.answer} from step {origin['step']} ({origin['solver']}, {origin['name']})")
    return lines


def short(text: str, limit: int = 600) -> str:
    """`text` cut to `limit` characters, with rich markup escaped (model text may hold "[/x]")."""
    from rich.markup import escape

    text = text or ""
    return escape(text if len(text) <= limit else text[:limit] + " …")
