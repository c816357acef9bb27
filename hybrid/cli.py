"""The `hybrid` command line: thin wrappers over the Python API.

    hybrid solve QUESTION [--json]      one question: the answer and a readable trace (Engine.solve)
    hybrid solve -f FILE.jsonl          many questions, batched: one JSON line out per item in (solve_many)
    hybrid serve                        the engine as an OpenAI-compatible model (hybrid.server.serve)
    hybrid graph [--path TRACE.json]    the graph as Mermaid, drawn by LangGraph (with a trace: its path marked)
    hybrid models                       registered and bundled models, installed / cached or not
    hybrid --version                    versions of hybrid and its libraries, the model, the sandbox layers
    hybrid bench | report               the eval harness's commands (when evals is installed)

Bad input (empty or oversized question, a -f item that breaks the schema of hybrid.items, an unknown model,
a missing model extra, an option out of range) ends with a one-line error on stderr and exit code 2, before
any model loads and before anything is written to stdout (hybrid.cli_group). Heavy imports (torch,
transformers, sympy, z3, langgraph) happen inside the commands.
"""
from __future__ import annotations

import json
from typing import Any

import click

from hybrid.cli_drawing import draw_path as _draw_path, trace_of as _trace_of
from hybrid.cli_group import InputError, LazyGroup, one_line as _one_line
from hybrid.cli_output import Progress, chunks, print_result, quiet_libraries, short_record, wants_progress
from hybrid.cli_settings import concurrency_option, engine_options, engine_settings, scale_options, use_workers
from hybrid.lm.catalogue import DEFAULT_MODEL
from hybrid.settings import EngineSettings


def _sandbox_line() -> str:
    """Which operating-system layers confine the solver workers here (starts one worker to find out)."""
    from solvers import sandbox_layers
    from solvers.sandbox.confine import summary

    return "solver sandbox: " + summary(sandbox_layers())


def _print_version(ctx: click.Context, _param, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from hybrid.about import installed, version_lines

    click.echo(f"hybrid {installed('hybrid')}")
    click.echo(_sandbox_line())
    for line in version_lines():
        click.echo(line)
    ctx.exit()


@click.group(cls=LazyGroup)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the versions (hybrid, torch, transformers, langgraph, sympy, z3), the default model "
                   "and which sandbox layers are on, then exit.")
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


def _items(file: str, skip_bad: bool):
    """The checked items of a -f file (InputError naming the first bad one), notes on stderr."""
    from hybrid.items import BadItem, ItemsError, read_items

    try:
        found = read_items(file, skip_bad=skip_bad)
    except BadItem as exc:
        raise InputError(f"{exc} (--skip-bad runs the other items)") from None
    except ItemsError as exc:
        raise InputError(str(exc)) from None
    for note in found.notes():
        click.echo(f"note: {note}", err=True)
    return found.items


@main.command()
@click.argument("question", required=False)
@click.option("-f", "--file", "file", type=click.Path(dir_okay=False),
              help='JSONL file: one {"question", "id"?, "context"?, "options"?, "kind"?} per line.')
@click.option("--skip-bad", is_flag=True, help="With -f: skip (and list on stderr) bad items, run the rest.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object; with -f, full results per line).")
@click.option("--context", default=None, help="Facts for a logic question.")
@click.option("--option", "options", multiple=True, help="A lettered option, e.g. 'A) Ann is first.' (repeatable).")
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="Model name, HF id, local dir or openai:<model>.")
@click.option("--base-url", default=None, help="OpenAI-compatible server URL (for openai:<model>).")
@click.option("--progress/--no-progress", default=None,
              help="Progress on stderr (default: only when stderr is a terminal).")
@click.option("--graph", "graph_file", type=click.Path(dir_okay=False), default=None,
              help="Draw the path QUESTION took through the graph: FILE.mmd (Mermaid) and FILE.png.")
@scale_options
@engine_options
def solve(question, file, skip_bad, as_json, context, options, model, base_url, progress, graph_file, workers,
          concurrency, **settings):
    """Solve QUESTION (or every line of -f FILE.jsonl) and print the answer with its trace."""
    from hybrid.engine import InvalidQuestion, validate
    from hybrid.lm.errors import ModelError

    if (question is None) == (file is None):
        raise InputError("give a QUESTION or -f FILE.jsonl (exactly one)")
    if graph_file is not None and file is not None:
        raise InputError("--graph draws one question's path: give a QUESTION, not -f")
    if file is not None:
        items = _items(file, skip_bad)
    else:
        try:
            validate(question, context=context, options=list(options) or None)
        except InvalidQuestion as exc:
            raise InputError(str(exc)) from None
    try:
        chosen = engine_settings(settings)
        lm_options = dict(concurrency_option(model, base_url, concurrency), **({"base_url": base_url} if base_url else {}))
    except ValueError as exc:
        raise InputError(_one_line(exc)) from None
    show = wants_progress(progress)
    quiet_libraries(progress is True)  # the libraries' own bars only when asked for by name
    use_workers(workers)
    _warm_up_solvers()
    engine = _engine(model, chosen, **lm_options)
    try:
        if file is None:
            result = engine.solve(question, context=context, options=list(options) or None)
            if graph_file is not None:
                _draw_path(result.trace, graph_file)
            if as_json:
                click.echo(json.dumps(result.to_dict(), ensure_ascii=False, default=str))
            else:
                print_result(result)
            return
        _solve_file(engine, items, as_json, show)
    except ModelError as exc:
        raise InputError(_one_line(exc)) from None


def _solve_file(engine, items, as_json: bool, show: bool) -> None:
    bar = Progress(len(items), show)
    try:
        for chunk in chunks(list(items), engine.settings.batch_size):
            results = engine.solve_many([item.to_engine() for item in chunk])
            for result, item in zip(results, chunk):
                out = dict(result.to_dict(), id=item.id) if as_json else short_record(result, item.id)
                click.echo(json.dumps(out, ensure_ascii=False, default=str))
            bar.update(len(chunk))
    finally:
        bar.close()


def _warm_up_solvers() -> None:
    """Start a solver worker in the background while the model loads, so the first program runs at once."""
    import threading

    from solvers import warm_up

    threading.Thread(target=warm_up, name="solver-warm-up", daemon=True).start()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free one).")
@click.option("--api-key", default=None, envvar="HYBRID_SERVE_API_KEY", show_envvar=True,
              help="Require 'Authorization: Bearer KEY' on every route but /health.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="The engine's model (as for hybrid solve).")
@click.option("--base-url", default=None, help="OpenAI-compatible server URL (for openai:<model>).")
@scale_options
@engine_options
def serve(host, port, api_key, model, base_url, workers, concurrency, **settings):
    """Serve the engine as an OpenAI-compatible model named "hybrid" (POST /v1/chat/completions,
    GET /v1/models, GET /health) until Ctrl-C; concurrent requests share one batched engine."""
    from hybrid.server import is_loopback, serve as run_server

    try:
        chosen = engine_settings(settings)
        lm_options = dict(concurrency_option(model, base_url, concurrency), **({"base_url": base_url} if base_url else {}))
    except ValueError as exc:
        raise InputError(_one_line(exc)) from None
    quiet_libraries(False)
    use_workers(workers)
    _warm_up_solvers()
    engine = _engine(model, chosen, **lm_options)
    if not is_loopback(host) and not api_key:
        click.echo(f"warning: serving on {host} without --api-key: anyone who reaches the port can use it", err=True)

    def ready(server) -> None:
        click.echo(f"hybrid serve: {server.url} (model 'hybrid', engine on {engine.lm.name}); Ctrl-C stops",
                   err=True)

    try:
        run_server(engine, host=host, port=port, api_key=api_key, on_ready=ready)
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {_one_line(exc)}") from None


@main.command()
@click.option("--path", "trace_file", type=click.Path(dir_okay=False), default=None,
              help="A result's JSON (hybrid solve --json): mark the path it took.")
@click.option("--png", "png_file", type=click.Path(dir_okay=False), default=None,
              help="With --path: also draw it as a PNG (matplotlib, offline).")
def graph(trace_file, png_file):
    """Print the solving graph as Mermaid (drawn by LangGraph from the real graph); with --path, the graph
    with the path one result took marked (walked edges thick and numbered in order)."""
    if trace_file is None:
        if png_file is not None:
            raise InputError("--png draws a path: give --path TRACE.json too")
        from hybrid.graph import mermaid

        click.echo(mermaid())
        return
    trace = _trace_of(trace_file)
    from hybrid.drawing import draw_png, mermaid as path_mermaid

    click.echo(path_mermaid(trace), nl=False)
    if png_file is not None:
        try:
            draw_png(trace, png_file)
        except OSError as exc:
            raise InputError(f"cannot write {png_file}: {_one_line(exc)}") from None


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
    measured = [f"{row['name']}: {row['costs']['measured']}" for row in rows
                if row.get("costs", {}).get("measured")]
    if measured:
        click.echo("cost: download, disk after the one-time conversion (the default path's cache), peak RAM, "
                   "decoding speed at batch 1, measured on " + "; ".join(measured))
    click.echo(_sandbox_line())


if __name__ == "__main__":  # pragma: no cover
    main()
