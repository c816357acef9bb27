"""The model steps of the graph as data: each step's chat messages and stop strings, and the program in a reply.

One builder per step, used by the graph's nodes and by the eval harness's baselines alike (pal is the
propose step run once; cot is the fallback step), so a baseline and the engine cannot drift apart:
- `exemplars_for`: the GSM8K-train exemplars a math question is shown: the program prompt's exemplar file,
  its first `shots` (`exemplars="fixed"`) or the `shots` most similar to the question ("retrieved",
  `hybrid.retrieval`); every math prompt (program, reasoning, direct) shows the same problems.
- `program_messages`: propose. Math: `program_prompt` with those exemplars; logic:
  `logic_prompt` in the question's style (`hybrid.kinds.logic_style`), the context as numbered facts.
- `repair_messages`: the propose messages, the model's own program, and what was wrong with it.
- `reasoning_messages`: plain reasoning. Math: `cot_prompt` with the same exemplar problems (their "cot");
  logic: `logic_cot_prompt`.
- `PROGRAM_STOP` / `REASONING_STOP`: where those generations stop.
- `program_in(reply)`: the program in a model reply (a fence cut by the stop string is closed first), or
  None; it never raises.
Token budgets are `EngineSettings.budget(kind)` and `EngineSettings.reasoning_budget`.
"""
from __future__ import annotations

from typing import Sequence

from hybrid import prompts
from hybrid.kinds import Kind, logic_prompt_name
from hybrid.settings import EngineSettings

PROGRAM_STOP = ("```output", "\n```\n")
REASONING_STOP = ("```output",)


def exemplars_for(settings: EngineSettings, question: str) -> tuple[dict, ...]:
    """The exemplars a math question is shown (see the module docstring); never the question itself."""
    library = prompts.exemplars(prompts.exemplar_file(settings.program_prompt))
    if settings.exemplars == "retrieved":
        from hybrid.retrieval import nearest

        return tuple(nearest(question, library, settings.shots))
    own = question.strip()
    return tuple(e for e in library if e["question"].strip() != own)[: settings.shots]


def _messages(settings: EngineSettings, math_prompt: str, logic_prompt: str, question: str, kind: Kind,
              context: str | None, options: Sequence[str] | None) -> list[dict]:
    """Math: `math_prompt` with the exemplars; logic: `logic_prompt` in the question's style, no exemplars."""
    fields = prompts.fields(question, context, options)
    if kind == "logic":
        name = logic_prompt_name(logic_prompt, question, options)
        return prompts.chat(name, fields, user_key="user" if options else "user.nooptions")
    return prompts.chat(math_prompt, fields, shots=exemplars_for(settings, question))


def program_messages(settings: EngineSettings, question: str, *, kind: Kind, context: str | None = None,
                     options: Sequence[str] | None = None) -> list[dict]:
    """The propose step's messages: write a step program (math) or a z3 formalization (logic)."""
    return _messages(settings, settings.program_prompt, settings.logic_prompt, question, kind, context, options)


def repair_messages(settings: EngineSettings, question: str, *, kind: Kind, program: str, feedback: str,
                    context: str | None = None, options: Sequence[str] | None = None) -> list[dict]:
    """The repair step's messages: the propose turn, the model's program, and the verifier's message."""
    turn = prompts.fill(prompts.section(settings.repair_prompt, "user"), dict(message=feedback, hint=""))
    return program_messages(settings, question, kind=kind, context=context, options=options) + [
        {"role": "assistant", "content": f"```python\n{program}\n```"},
        {"role": "user", "content": turn},
    ]


def reasoning_messages(settings: EngineSettings, question: str, *, kind: Kind, context: str | None = None,
                       options: Sequence[str] | None = None) -> list[dict]:
    """The fallback step's messages: reason in words and end with "The answer is ..."."""
    return _messages(settings, settings.cot_prompt, settings.logic_cot_prompt, question, kind, context, options)


def repair_hint(settings: EngineSettings, hint: str) -> str:
    """The repair prompt's advice for a verifier hint key ("unsat", "names", ...); empty when it has none."""
    return prompts.section(settings.repair_prompt, f"hint.{hint}", default="")


def program_in(reply: str) -> str | None:
    """The program in a model reply, as the propose step reads it, or None. Never raises."""
    from solvers import extract_program  # lazy: keeps the CLI start-up path light

    if not isinstance(reply, str):
        return None
    text = reply + "\n```" if reply.count("```") % 2 == 1 else reply  # generation stopped before the fence
    try:
        program = extract_program(text)
    except Exception:  # extraction must never crash the graph or a benchmark
        return None
    return program if program and program.strip() else None
