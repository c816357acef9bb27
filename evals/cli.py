"""The `bench` and `report` click commands; the hybrid CLI adds them (`hybrid bench`, `hybrid report`).

Both mirror the Python API: `hybrid bench ...` builds a `BenchSettings` (its engine options are
`EngineSettings` fields, shared with `hybrid solve`) and calls `evals.run_bench(settings, out=...)`;
`hybrid report RUN_DIR` is `evals.build_report(RUN_DIR)`. `hybrid bench --list` shows the registered
datasets and systems. `--model openai:<model> --base-url URL --concurrency N` runs against any
OpenAI-compatible server; `--workers` sizes the solver pool (hybrid.cli_settings). Bad options and a
model that cannot be loaded or reached exit with code 2, bad data or an incompatible run directory with
code 1, each with a one-line message. Heavy modules are imported inside the commands.
"""
from __future__ import annotations

import os
import sys

import click

from evals.catalog import DATASETS
from hybrid.cli_settings import concurrency_option, engine_options, engine_settings, scale_options, use_workers
from hybrid.lm import DEFAULT_MODEL, ModelError


class ModelFailure(click.ClickException):
    """The model could not be loaded or reached (exit code 2, one line); the run resumes when re-run."""

    exit_code = 2


def _parse_option(text: str) -> tuple[str, object]:
    """KEY=VALUE with VALUE read as int, float, true/false/none, or text."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise click.UsageError(f"--lm-option expects KEY=VALUE, got {text!r}")
    lowered = value.strip().lower()
    if lowered in ("true", "false"):
        return key.strip(), lowered == "true"
    if lowered == "none":
        return key.strip(), None
    for cast in (int, float):
        try:
            return key.strip(), cast(value)
        except ValueError:
            pass
    return key.strip(), value


def _print_table(summary: dict) -> None:
    from evals.report import render_markdown
    click.echo(render_markdown(summary), nl=False)


def _print_registry() -> None:
    from evals.systems import SYSTEMS

    click.echo("datasets:")
    for spec in DATASETS.values():
        splits = "/".join(s for s in spec.splits if s) or "any"
        click.echo(f"  {spec.name:<18} {spec.answers:<7} splits {splits:<11} {spec.description}")
    click.echo("systems:")
    for name, cls in SYSTEMS.items():
        click.echo(f"  {name:<18} {'/'.join(cls.answers):<14} {cls.description}")


@click.command()
@click.option("--list", "show_list", is_flag=True, help="List the registered datasets and systems, then exit.")
@click.option("--dataset", default="gsm8k", show_default=True, type=click.Choice(list(DATASETS)),
              help="Benchmark to run; jsonl reads any math set from --data FILE with --question-key/--answer-key.")
@click.option("--data", type=click.Path(exists=True), default=None,
              help="Data folder (or file for jsonl). Default: $HYBRID_DATA_DIR, else ../shared/data, "
                   "else the hub (gsm8k).")
@click.option("--split", default=None, help="Split (gsm8k: test or train; logic sets: dev). Default: test / dev.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Number of problems (default: all).")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="First problem.")
@click.option("--systems", default="cot,hybrid", show_default=True, help="Comma-separated names (see --list).")
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="Model name for hybrid.lm.get_lm (openai:<model> with --base-url for a server).")
@click.option("--base-url", default=None, help="OpenAI-compatible server URL (vLLM, transformers serve, ...).")
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="Run directory (required); re-running with the same directory resumes.")
@click.option("--sc-samples", type=click.IntRange(min=1), default=None,
              help="cot-sc samples (default: --samples, the k the vote uses).")
@click.option("--skip-bad", is_flag=True, help="Skip and count malformed records instead of stopping.")
@click.option("--question-key", default="question", show_default=True,
              help="jsonl: question field; join fields with + (SVAMP: Body+Question).")
@click.option("--answer-key", default="answer", show_default=True, help="jsonl: answer field (PAL: target).")
@click.option("--id-key", default=None, help="jsonl: id field (default: the record's position).")
@click.option("--tolerance", type=float, default=1e-6, show_default=True,
              help="Numeric tolerance (relative for |gold| > 1, else absolute).")
@click.option("--lm-option", "lm_option", multiple=True, metavar="KEY=VALUE",
              help="Passed to hybrid.lm.get_lm, e.g. --lm-option quantize=none (repeatable).")
@click.option("--progress/--no-progress", default=None,
              help="A progress bar with running accuracy on stderr (default: only when stderr is a terminal).")
@scale_options
@engine_options
def bench(show_list, out, systems, lm_option, progress, base_url, workers, concurrency, **options):
    """Benchmark systems on a dataset; writes OUT/records.jsonl and OUT/results.{json,md,png}.

    A killed run resumes where it stopped when re-run with the same --out.
    """
    from evals.datasets import DataError
    from evals.runfiles import RunError
    from evals.runner import run_bench
    from evals.settings import BenchSettings

    if show_list:
        _print_registry()
        return
    if out is None:
        raise click.UsageError("Missing option '--out'.")
    try:
        engine = engine_settings(options)
        lm_options = dict(_parse_option(o) for o in lm_option)
        lm_options.update(concurrency_option(options["model"], base_url, concurrency))
        if base_url:
            lm_options["base_url"] = base_url
        settings = BenchSettings(systems=tuple(systems.split(",")), engine=engine, lm_options=lm_options, **options)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    use_workers(workers)
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:  # the libraries' own bars (transformers' "Loading weights") stay off too
        os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    try:
        summary = run_bench(settings, out=out, progress=progress)
    except RunError as exc:
        if str(exc).startswith("unknown system") or "cannot answer" in str(exc):
            raise click.UsageError(str(exc)) from None
        raise click.ClickException(str(exc)) from None
    except (DataError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from None
    except ModelError as exc:
        raise ModelFailure(f"{exc} (the records so far are kept: re-run the same command to resume)") from None
    _print_table(summary)


@click.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--plot/--no-plot", default=True, help="Also draw results.png.")
def report(run_dir, plot):
    """Rebuild RUN_DIR/results.{json,md,png} from RUN_DIR/records.jsonl and print the tables."""
    from evals.report import build_report
    from evals.runfiles import RunError
    try:
        summary = build_report(run_dir, plot=plot)
    except (RunError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from None
    _print_table(summary)
