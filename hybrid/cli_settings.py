"""Click options for the `EngineSettings` fields, shared by `hybrid solve` and `hybrid bench`.

Each option is named like its field (`--max-repairs` is `max_repairs`) and takes its default from
`EngineSettings`, so the command line, the Python API and the eval harness cannot disagree on a default.
`engine_options` adds the options to a command; `engine_settings` builds the settings from the parsed values.
"""
from __future__ import annotations

from typing import Any, Callable

import click

from hybrid.settings import EngineSettings

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
     "Share of the K programs a vote's winner needs; below it: plain reasoning, or unsure with --abstain."),
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
)


def engine_options(command: Callable) -> Callable:
    """Add the engine's options (and the flags --keep-unstated-facts, --abstain) to a click command."""
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
    return EngineSettings(stated_facts_only=not values.pop("keep_unstated_facts"), abstain=values.pop("abstain"),
                          **fields)
