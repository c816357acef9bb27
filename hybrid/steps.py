"""The model steps of the graph as data: each step's chat messages and stop strings, and the program in a reply.

One builder per step, used by the graph's nodes and by the eval harness's baselines alike (pal is the
propose step run once; cot is the fallback step), so a baseline and the engine cannot drift apart:
- `exemplars_for`: the GSM8K-train exemplars a math question is shown: the program prompt's exemplar file,
  its first `shots` (`exemplars="fixed"`) or the `shots` most similar to the question ("retrieved",
  `hybrid.retrieval`); every math prompt (program, reasoning, direct) shows the same problems.
- `program_messages`: propose. Math: `program_prompt` with those exemplars; logic:
  `logic_prompt` in the question's style (`hybrid.kinds.logic_style`), the context as numbered facts.
- `repair_messages`: the question as propose showed it (with the propose prompt's system message, not its
  few-shot conversation), the failing program and what was wrong with it (repair_v3); repair_v2 re-sends
  the whole propose conversation with the program as the model's own turn.
- `shown_programs`: every program the prompts could have shown for a question (exemplar files, logic
  shots): the verifier refuses a copy of any of them.
- `reasoning_messages`: plain reasoning. Math: `cot_prompt` with the same exemplar problems (their "cot");
  logic: `logic_cot_prompt`.
- `step_messages`: steps mode. `step_prompt` (its worked conversations), the question, then each kept step
  as the model's turn and its ```output as the next user turn; after a failed step, its error and the
  prompt's `repair` text (the step is rewritten alone); before the last allowed step, the `last` text.
- `PROGRAM_STOP` / `REASONING_STOP` / `STEP_STOP`: where those generations stop.
- `program_in(reply)`: the program in a model reply (a fence cut by the stop string is closed first), or
  None; it never raises.
Token budgets are `EngineSettings.budget(kind)` and `EngineSettings.reasoning_budget`.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from hybrid import prompts
from hybrid.kinds import Kind, logic_prompt_name
from hybrid.settings import EngineSettings

PROGRAM_STOP = ("```output", "\n```\n")
REASONING_STOP = ("```output",)
STEP_STOP = PROGRAM_STOP  # a step ends where the model would write its own ```output


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
    """The repair step's messages: the question, the failing program and the verifier's message (see the
    module docstring for the repair prompt's `conversation` choice)."""
    turn = prompts.fill(prompts.section(settings.repair_prompt, "user"), dict(message=feedback, hint="",
                                                                               program=program))
    propose = program_messages(settings, question, kind=kind, context=context, options=options)
    if prompts.section(settings.repair_prompt, "conversation", default="resend").strip() == "resend":
        return propose + [{"role": "assistant", "content": f"```python\n{program}\n```"},
                          {"role": "user", "content": turn}]
    system = [m for m in propose[:1] if m["role"] == "system"]
    return system + [{"role": "user", "content": f"{propose[-1]['content']}\n\n{turn}"}]


def shown_programs(settings: EngineSettings, question: str, *, kind: Kind,
                   options: Sequence[str] | None = None) -> tuple[dict, ...]:
    """The programs the prompts show (or could show) for a question, as {id, program, question}: math, every
    exemplar file's programs; logic, the worked formalizations of the question's logic prompt."""
    steps = _step_shots(settings.step_prompt) if settings.mode != "program" else ()
    if kind == "logic":
        name = logic_prompt_name(settings.logic_prompt, question, options)
        return logic_shots(name) + steps
    return _exemplar_programs() + steps


@lru_cache(maxsize=None)
def _step_shots(name: str) -> tuple[dict, ...]:
    """The step prompt's worked conversations, each as one program: its steps' code joined."""
    out: list[dict] = []
    for key, text in prompts.sections(name):
        if key == "shot.user" and text.startswith("Question:"):
            out.append(dict(id=f"{name} shot {len(out) + 1}", program="", question=text[len("Question:"):].strip()))
        elif key == "shot.assistant" and out:
            code = program_in(text) or ""
            out[-1]["program"] = f"{out[-1]['program']}\n{code}".strip()
    return tuple(out)


def step_messages(settings: EngineSettings, question: str, *, kind: Kind, history: Sequence[dict] = (),
                  failed: dict | None = None, feedback: str = "", last: bool = False,
                  context: str | None = None, options: Sequence[str] | None = None) -> list[dict]:
    """Steps mode: the conversation so far (a logic question with options opens with the prompt's
    `user.logic` turn, every other question with `user`). `history`: the kept steps ({"code", "output"}) in order;
    `failed`: the step to rewrite (its code) with `feedback`, what was wrong; `last`: the next step is the
    last one allowed."""
    name = settings.step_prompt
    fields = prompts.fields(question, context, options)
    messages = prompts.chat(name, fields, user_key="user.logic" if kind == "logic" and options else "user")
    turns = [(f"```python\n{step['code']}\n```", step["output"]) for step in history]
    if failed is not None:  # the step as the model wrote it: its code fenced, or its text when it had none
        repair = prompts.fill(prompts.section(name, "repair"), dict(message=feedback))
        code = failed.get("code")
        turns.append((f"```python\n{code}\n```" if code else (failed.get("raw") or "").strip(), repair))
    for said, reply in turns:
        messages.append({"role": "assistant", "content": said})
        messages.append({"role": "user", "content": reply})
    if last and failed is None:
        last_text = prompts.section(name, "last", default="")
        if last_text:
            messages[-1] = dict(messages[-1], content=f"{messages[-1]['content']}\n{last_text}")
    return messages


@lru_cache(maxsize=None)
def _exemplar_programs() -> tuple[dict, ...]:
    return tuple(dict(id=e["id"], program=e["program"], question=e["question"])
                 for name in prompts.exemplar_files() for e in prompts.exemplars(name) if e.get("program"))


@lru_cache(maxsize=None)
def logic_shots(name: str) -> tuple[dict, ...]:
    """The worked formalizations of logic prompt `name`, as {id, program, question}."""
    sections = prompts.sections(name)
    out = []
    for (key, text), (next_key, reply) in zip(sections, sections[1:]):
        if key == "shot.user" and next_key == "shot.assistant":
            out.append(dict(id=f"{name} shot {len(out) + 1}", program=program_in(reply) or reply, question=text))
    return tuple(out)


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
