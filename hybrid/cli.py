"""The `hybrid` command line: thin wrappers over the Python API.

    hybrid solve QUESTION [--json]      one question: the answer and a readable trace
    hybrid solve -f FILE.jsonl          many questions, batched: one JSON line out per line in
    hybrid graph                        the graph as Mermaid, drawn by LangGraph
    hybrid models                       registered and bundled models, installed / cached or not
    hybrid bench | report               the eval harness's commands (when evals is installed)

Bad input (empty or oversized question, a file that is not JSONL or lacks "question", an unknown model,
a missing model extra) ends with a one-line error on stderr and exit code 2, before anything is written
to stdout. Heavy imports (torch, transformers, sympy, z3, langgraph) happen inside the commands.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from typing import Any

import click

from hybrid.cli_settings import engine_options, engine_settings
from hybrid.lm.catalogue import DEFAULT_MODEL
from hybrid.settings import EngineSettings

_LAZY_COMMANDS = {"bench": "evals.cli", "report": "evals.cli"}


class InputError(click.ClickException):
    """A one-line usage error with exit code 2."""

    exit_code = 2


class LazyGroup(click.Group):
    """A group that imports the eval harness's commands only when they are listed or called."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = list(super().list_commands(ctx))
        if _evals_available():
            names += [n for n in _LAZY_COMMANDS if n not in names]
        return sorted(names)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in _LAZY_COMMANDS and _evals_available():
            try:
                command = getattr(importlib.import_module(_LAZY_COMMANDS[name]), name, None)
            except Exception:  # a broken optional harness must not break the engine's CLI
                return None
            if isinstance(command, click.Command):
                self.add_command(command, name)
        return command


def _evals_available() -> bool:
    try:
        return importlib.util.find_spec("evals.cli") is not None
    except (ImportError, ValueError):
        return False


def _sandbox_line() -> str:
    """Which operating-system layers confine the solver workers here (starts one worker to find out)."""
    from solvers import sandbox_layers
    from solvers.sandbox.confine import summary

    return "solver sandbox: " + summary(sandbox_layers())


def _print_version(ctx: click.Context, _param, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import version

    click.echo(f"hybrid {version('hybrid')}")
    click.echo(_sandbox_line())
    ctx.exit()


@click.group(cls=LazyGroup)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and which sandbox layers are on, then exit.")
def main() -> None:
    """hybrid: a transformer proposes the steps, SymPy and Z3 compute them, a verified answer comes out."""


def _engine(model: str, settings: EngineSettings, **lm_options: Any):
    from hybrid.engine import Engine
    from hybrid.lm.errors import ModelError

    try:
        return Engine(model, settings, **lm_options)
    except ModelError as exc:
        raise InputError(_one_line(exc)) from None
    except ValueError as exc:
        raise InputError(_one_line(exc)) from None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())


def read_jsonl(path: str) -> list[dict]:
    """The records of a JSONL question file; InputError naming the first bad line."""
    from hybrid.engine import InvalidQuestion, validate

    records = []
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {_one_line(exc)}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise InputError(f"{path} line {number}: not JSON (expected one object per line)") from None
        if not isinstance(record, dict):
            raise InputError(f"{path} line {number}: expected a JSON object with a \"question\" field")
        if "question" not in record:
            raise InputError(f"{path} line {number}: lacks \"question\"")
        try:
            validate(record["question"], context=record.get("context"), options=record.get("options"))
        except InvalidQuestion as exc:
            raise InputError(f"{path} line {number}: {exc}") from None
        records.append(record)
    if not records:
        raise InputError(f"{path}: no questions (expected JSON lines with a \"question\" field)")
    return records


def _record(result, record: dict) -> dict:
    out = {"id": record.get("id"), "question": result.question, "answer": result.answer,
           "status": result.status, "route": result.route, "fallback_used": result.fallback_used,
           "repairs": result.repairs, "confidence": result.confidence, "tokens": result.tokens,
           "seconds": result.seconds}
    return out


@main.command()
@click.argument("question", required=False)
@click.option("-f", "--file", "file", type=click.Path(dir_okay=False), help="JSONL file: one {\"question\", \"id\"?} per line.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object; with -f, full results per line).")
@click.option("--context", default=None, help="Facts for a logic question.")
@click.option("--option", "options", multiple=True, help="A lettered option, e.g. 'A) Ann is first.' (repeatable).")
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="Model name, HF id, local dir or openai:<model>.")
@click.option("--base-url", default=None, help="OpenAI-compatible server URL (for openai:<model>).")
@engine_options
def solve(question, file, as_json, context, options, model, base_url, **settings):
    """Solve QUESTION (or every line of -f FILE.jsonl) and print the answer with its trace."""
    from hybrid.engine import InvalidQuestion, validate
    from hybrid.lm.errors import ModelError

    if (question is None) == (file is None):
        raise InputError("give a QUESTION or -f FILE.jsonl (exactly one)")
    if file is not None:
        records = read_jsonl(file)
    else:
        try:
            validate(question, context=context, options=list(options) or None)
        except InvalidQuestion as exc:
            raise InputError(str(exc)) from None
        records = [{"question": question, "context": context, "options": list(options) or None}]
    try:
        chosen = engine_settings(settings)
    except ValueError as exc:
        raise InputError(_one_line(exc)) from None
    _warm_up_solvers()
    engine = _engine(model, chosen, **({"base_url": base_url} if base_url else {}))
    try:
        if file is None:
            result = engine.solve(records[0]["question"], context=context, options=list(options) or None)
            if as_json:
                click.echo(json.dumps(result.to_dict(), ensure_ascii=False, default=str))
            else:
                _print_result(result)
            return
        _solve_file(engine, records, as_json)
    except ModelError as exc:
        raise InputError(_one_line(exc)) from None


def _solve_file(engine, records: list[dict], as_json: bool) -> None:
    from tqdm import tqdm

    with tqdm(total=len(records), file=sys.stderr, unit="q", desc="solving") as bar:
        size = engine.settings.batch_size
        for start in range(0, len(records), size):
            chunk = records[start:start + size]
            results = engine.solve_many(chunk)
            for result, record in zip(results, chunk):
                out = dict(result.to_dict(), id=record.get("id")) if as_json else _record(result, record)
                click.echo(json.dumps(out, ensure_ascii=False, default=str))
            bar.update(len(chunk))


def _warm_up_solvers() -> None:
    """Start a solver worker in the background while the model loads, so the first program runs at once."""
    import threading

    from solvers import warm_up

    threading.Thread(target=warm_up, name="solver-warm-up", daemon=True).start()


def _print_result(result) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]Answer:[/bold] {_short(str(result.answer))}")
    confidence = "" if result.confidence is None else f" · confidence {result.confidence:g}"
    console.print(f"status {result.status} · route {result.route} · repairs {result.repairs} · "
                  f"fallback {'yes' if result.fallback_used else 'no'}{confidence} · {result.tokens} tokens · "
                  f"{result.seconds:.1f} s")
    table = Table(title="trace", show_lines=True)
    for column in ("node", "input", "output", "tokens", "s"):
        table.add_column(column, overflow="fold")
    for step in result.trace:
        output = _short(step.output) + (_short(f"\nnote: {step.note}") if step.note else "")
        table.add_row(step.node, _short(step.input), output,
                      str(step.prompt_tokens + step.completion_tokens) if step.prompt_tokens else "",
                      f"{step.seconds:.2f}")
    console.print(table)


def _short(text: str, limit: int = 600) -> str:
    """`text` cut to `limit` characters, with rich markup escaped (model text may hold "[/x]")."""
    from rich.markup import escape

    text = text or ""
    return escape(text if len(text) <= limit else text[:limit] + " …")


@main.command()
def graph():
    """Print the solving graph as Mermaid (drawn by LangGraph from the real graph)."""
    from hybrid.graph import mermaid

    click.echo(mermaid())


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def models(as_json):
    """List the registered and bundled models: installed and cached or not, and what each costs in disk,
    memory and speed."""
    try:
        from hybrid.lm import list_models
    except ImportError as exc:
        raise InputError(f"the model registry is unavailable: {_one_line(exc)}") from None
    rows = list_models()
    if as_json:
        click.echo(json.dumps(rows, default=str))
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="models")
    for column in ("name", "default", "installed", "cached", "source", "cost"):
        table.add_column(column, overflow="fold")
    for row in rows:  # escape: "pip install 'hybrid[model]'" must not be read as rich markup
        table.add_row(escape(str(row.get("name", ""))), "yes" if row.get("default") else "",
                      "yes" if row.get("installed") else "no", "yes" if row.get("cached") else "no",
                      escape(str(row.get("source", ""))), escape(str(row.get("cost", ""))))
    Console().print(table)
    measured = sorted({str(row["costs"].get("measured")) for row in rows if row.get("costs")})
    if measured:
        click.echo("cost: download, disk after the one-time conversion (dense cache), peak RAM, decoding speed; "
                   "measured on " + "; ".join(measured))
    click.echo(_sandbox_line())


if __name__ == "__main__":  # pragma: no cover
    main()
