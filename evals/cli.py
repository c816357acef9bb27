"""The `bench` and `report` click commands; the hybrid CLI adds them (`hybrid bench`, `hybrid report`).

Both mirror the Python API: `hybrid bench ...` is `evals.run_bench(...)`, `hybrid report RUN_DIR` is
`evals.build_report(RUN_DIR)`. Bad options exit with code 2, bad data or an incompatible run directory
with code 1, each with a one-line message. Heavy modules are imported inside the commands.
"""
from __future__ import annotations

import click


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


@click.command()
@click.option("--dataset", default="gsm8k", show_default=True,
              type=click.Choice(["gsm8k", "logical_deduction", "prontoqa", "jsonl"]),
              help="Benchmark to run; jsonl reads any math set from --data FILE with --question-key/--answer-key.")
@click.option("--data", type=click.Path(exists=True), default=None,
              help="Data folder (or file for jsonl). Default: $HYBRID_DATA_DIR, else the hub (gsm8k only).")
@click.option("--split", default=None, help="Split (gsm8k: test or train; logic sets: dev). Default: test / dev.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Number of problems (default: all).")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="First problem.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed passed to every generate call.")
@click.option("--systems", default="cot,hybrid", show_default=True,
              help="Comma-separated: direct, cot, cot-sc, pal, hybrid.")
@click.option("--model", default="qwen2.5-coder-0.5b", show_default=True, help="Model name for hybrid.lm.get_lm.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Run directory; re-running with the same directory resumes.")
@click.option("--batch-size", type=click.IntRange(min=1), default=16, show_default=True,
              help="Problems per generate call.")
@click.option("--shots", type=click.IntRange(min=0, max=8), default=8, show_default=True,
              help="GSM8K-train exemplars for direct, cot, cot-sc, pal and the Engine (the same problems for all).")
@click.option("--sc-samples", type=click.IntRange(min=1), default=5, show_default=True, help="cot-sc samples.")
@click.option("--max-new-tokens", type=click.IntRange(min=1), default=400, show_default=True,
              help="Cap on any generation (and the budget of the Engine's logic programs).")
@click.option("--program-tokens", type=click.IntRange(min=1), default=250, show_default=True,
              help="Budget of a math program (pal, and the Engine's propose/repair steps).")
@click.option("--cot-tokens", type=click.IntRange(min=1), default=300, show_default=True,
              help="Budget of plain reasoning (cot, each cot-sc sample, the Engine's fallback).")
@click.option("--skip-bad", is_flag=True, help="Skip and count malformed records instead of stopping.")
@click.option("--question-key", default="question", show_default=True,
              help="jsonl: question field; join fields with + (SVAMP: Body+Question).")
@click.option("--answer-key", default="answer", show_default=True, help="jsonl: answer field (PAL: target).")
@click.option("--id-key", default=None, help="jsonl: id field (default: the record's position).")
@click.option("--tolerance", type=float, default=1e-6, show_default=True,
              help="Numeric tolerance (relative for |gold| > 1, else absolute).")
@click.option("--lm-option", "lm_option", multiple=True, metavar="KEY=VALUE",
              help="Passed to hybrid.lm.get_lm, e.g. --lm-option quantize=none (repeatable).")
@click.option("--keep-unstated-facts", is_flag=True,
              help="hybrid: run logic formalizations as written, without dropping facts the question never stated.")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar with running accuracy.")
def bench(dataset, data, split, limit, offset, seed, systems, model, out, batch_size, shots, sc_samples,
          max_new_tokens, program_tokens, cot_tokens, skip_bad, question_key, answer_key, id_key, tolerance, lm_option,
          keep_unstated_facts, progress):
    """Benchmark systems on a dataset; writes OUT/records.jsonl and OUT/results.{json,md,png}.

    A killed run resumes where it stopped when re-run with the same --out.
    """
    from evals.datasets import DataError
    from evals.runner import RunError, run_bench

    names = [s.strip() for s in systems.split(",") if s.strip()]
    lm_options = dict(_parse_option(o) for o in lm_option)
    try:
        summary = run_bench(dataset, out=out, data=data, split=split, limit=limit, offset=offset, seed=seed,
                            systems=names, model=model, batch_size=batch_size, shots=shots,
                            sc_samples=sc_samples, max_new_tokens=max_new_tokens,
                            program_tokens=program_tokens, cot_tokens=cot_tokens, skip_bad=skip_bad,
                            question_key=question_key, answer_key=answer_key, id_key=id_key,
                            tolerance=tolerance, lm_options=lm_options, progress=progress,
                            engine_options={"stated_facts_only": False} if keep_unstated_facts else None)
    except RunError as exc:
        if str(exc).startswith("unknown system") or "cannot answer" in str(exc) or "must be" in str(exc):
            raise click.UsageError(str(exc)) from None
        raise click.ClickException(str(exc)) from None
    except (DataError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from None
    _print_table(summary)


@click.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--plot/--no-plot", default=True, help="Also draw results.png.")
def report(run_dir, plot):
    """Rebuild RUN_DIR/results.{json,md,png} from RUN_DIR/records.jsonl and print the tables."""
    from evals.report import build_report
    from evals.runner import RunError
    try:
        summary = build_report(run_dir, plot=plot)
    except (RunError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from None
    _print_table(summary)
