"""The drawings `hybrid solve --graph FILE` and `hybrid graph --path TRACE.json` make, and their input errors.

`draw_path(trace, FILE)` writes FILE.mmd (Mermaid) and FILE.png (matplotlib) of the graph with the path the
trace took marked (`hybrid.drawing`); `trace_of(FILE)` reads the trace out of a `hybrid solve --json`
result. Bad input (unreadable, not JSON, no trace) is an `InputError`: one line, exit code 2.
"""
from __future__ import annotations

import json

import click

from hybrid.cli_group import InputError, one_line


def draw_path(trace, graph_file: str) -> None:
    """Write FILE.mmd and FILE.png: the graph with the trace's path marked (a note on stderr names them)."""
    from pathlib import Path

    from hybrid.drawing import draw_png, mermaid as path_mermaid

    base = Path(graph_file)
    base = base.with_suffix("") if base.suffix in (".png", ".mmd") else base
    try:
        Path(f"{base}.mmd").write_text(path_mermaid(trace), encoding="utf-8")
        draw_png(trace, f"{base}.png")
    except OSError as exc:
        raise InputError(f"cannot write the drawing {base}.mmd / .png: {one_line(exc)}") from None
    click.echo(f"path drawn: {base}.mmd, {base}.png", err=True)


def trace_of(file: str) -> list:
    """The trace in a `hybrid solve --json` file (the object, or a line of -f --json output), or InputError."""
    try:
        with open(file, encoding="utf-8") as handle:
            text = handle.read(20_000_000)
        data = json.loads(text.strip().splitlines()[0] if text.strip() else "")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {file}: {one_line(exc)}") from None
    except ValueError:
        raise InputError(f"{file} is not the JSON of a result (hybrid solve --json)") from None
    trace = data.get("trace") if isinstance(data, dict) else None
    if not isinstance(trace, list) or not all(isinstance(step, dict) for step in trace):
        raise InputError(f"{file} holds no trace (a list of steps): give the output of hybrid solve --json")
    return trace
