"""Click options shared by `hybrid solve`, `hybrid bench` and `hybrid serve`.

The engine's options: one per `EngineSettings` field, named like it (`--max-repairs` is `max_repairs`),
with its default from `EngineSettings`, so the command line, the Python API and the eval harness cannot
disagree on a default. `engine_options` adds them to a command; `engine_settings` builds the settings.
The scale options: `--workers` sizes the solver pool (through HYBRID_SOLVER_WORKERS, which
`solvers.sandbox.pool.default_pool` reads on first use) and `--concurrency` the requests in flight to an
OpenAI-compatible server (the backend's `max_concurrency`).
"""
from __future__ import annotations

import os
from typing import Any, Callable

import click

from hybrid.settings import EngineSettings

WORKERS_ENV = "HYBRID_SOLVER_WORKERS"

_OPTIONS: tuple[tuple[str, Any, str], ...] = (
    ("max_repairs", click.IntRange(0, 10), "Repair rounds after a rejected program."),
    ("temperature", click.FloatRange(0.0, 2.0),
     "Temperature of every generation but samples 2..K (0: greedy)."),
    ("seed", int, "Seed passed to every generate call."),
    ("samples", click.IntRange(1, 64),
     "Programs proposed per question in one call (sample 1 greedy), run at once and voted by the solvers; "
     "cot-sc samples as many."),
    ("sample_temperature", click.FloatRange(0.0, 2.0, min_open=True),
     "Temperature of samples 2..K (and of cot-sc's samples)."),
    ("top_p", click.FloatRange(0.0, 1.0, min_open=True), "Nucleus of samples 2..K (and of cot-sc's samples)."),
    ("min_confidence", click.FloatRange(0.0, 1.0),
     "Share of the K programs a vote's winner needs; below it plain reasoning picks the program answer it "
     "agrees with (else the winner answers), or unsure with --abstain."),
    ("max_new_tokens", click.IntRange(1, 4096), "Cap on any generation, and the budget of a logic formalization."),
    ("program_tokens", click.IntRange(1, 4096), "Budget of a math program (propose and repair steps; pal)."),
    ("cot_tokens", click.IntRange(1, 4096), "Budget of plain reasoning (the fallback; cot, each cot-sc sample)."),
    ("shots", click.IntRange(0, 16), "GSM8K-train exemplars in the math prompts (the same problems for every system)."),
    ("exemplars", click.Choice(["fixed", "retrieved"]),
     "fixed: the first --shots of the program prompt's exemplar file; retrieved: the --shots most similar to "
     "the question (TF-IDF over the file)."),
    ("program_prompt", str, "Math program prompt: program_v1 (arithmetic exemplars) or program_v2 (equation-first, "
                            "the exemplar library)."),
    ("timeout_s", click.FloatRange(0.0, 3600.0, min_open=True, max_open=True), "Wall seconds per program run."),
    ("batch_size", click.IntRange(1, 1024), "Questions per generate call (the engine: per graph step)."),
    ("mode", click.Choice(["program", "steps", "auto"]),
     "program: one program per question; steps: the model proposes one step at a time, each run by its solver, "
     "its values shown back; auto: program for a logic question with lettered options, steps for every other."),
    ("max_steps", click.IntRange(1, 16), "Steps mode: steps before the answer is due (then plain reasoning)."),
)


def engine_options(command: Callable) -> Callable:
    """Add the engine's options (and the flags --keep-unstated-facts, --keep-written-positions,
    --keep-written-polarity, --keep-slips, --abstain) to a click command."""
    command = click.option("--keep-slips", is_flag=True,
                           help="Run logic formalizations with the slips the model made: brackets a line leaves "
                                "open, one category under its singular and plural names.")(command)
    command = click.option("--keep-written-polarity", is_flag=True,
                           help="Run logic formalizations with the \"not\" the model wrote under a stated fact, "
                                "without reading it from the question.")(command)
    command = click.option("--keep-written-positions", is_flag=True,
                           help="Run logic formalizations with the positions the model wrote (\"second from the "
                                "right\" as it wrote it), without reading them from the question.")(command)
    command = click.option("--keep-unstated-facts", is_flag=True,
                           help="Run logic formalizations as written, without dropping facts the question "
                                "never stated.")(command)
    command = click.option("--abstain", is_flag=True,
                           help="Say unsure (status) instead of answering by plain reasoning when the solvers "
                                "give no verified answer or a vote below --min-confidence.")(command)
    for name, kind, text in reversed(_OPTIONS):
        command = click.option(f"--{name.replace('_', '-')}", name, type=kind, show_default=True,
                               default=getattr(EngineSettings, name), help=text)(command)
    return command


def engine_settings(values: dict) -> EngineSettings:
    """The EngineSettings of parsed options; the engine's option values are removed from `values`."""
    fields = {name: values.pop(name) for name, _, _ in _OPTIONS}
    return EngineSettings(stated_facts_only=not values.pop("keep_unstated_facts"),
                          read_positions=not values.pop("keep_written_positions"),
                          read_polarity=not values.pop("keep_written_polarity"),
                          mend_slips=not values.pop("keep_slips"), abstain=values.pop("abstain"),
                          **fields)


def scale_options(command: Callable) -> Callable:
    """Add --workers (the solver pool) and --concurrency (requests in flight to a server) to a command."""
    command = click.option(
        "--concurrency", type=click.IntRange(1, 1024), default=None,
        help="Requests in flight at once to an OpenAI-compatible server (openai:<model> or --base-url; "
             "default 8). Each graph step sends at most --batch-size prompts, so raise that too.")(command)
    return click.option(
        "--workers", type=click.IntRange(1, 256), default=os.cpu_count() or 1, show_default="the machine's cores",
        envvar=WORKERS_ENV, show_envvar=True,
        help="Solver worker processes (the pool every program runs in).")(command)


def use_workers(workers: int) -> None:
    """Size the solver pool; call before the first solver call (the pool reads it once, on first use)."""
    os.environ[WORKERS_ENV] = str(int(workers))


def concurrency_option(model: str, base_url: str | None, concurrency: int | None) -> dict:
    """The LM keyword for --concurrency ({} when not given); ValueError when the model is not a server's."""
    if concurrency is None:
        return {}
    from hybrid.lm.registry import resolve

    if resolve(model, base_url=base_url)[0] != "openai":
        raise ValueError("--concurrency applies to an OpenAI-compatible server: use --model openai:<model> "
                         "or --base-url")
    return {"max_concurrency": concurrency}
