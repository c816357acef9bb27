"""Prompts are data: versioned text files and an exemplar file beside this module.

`load("program_v1")` returns the text of `program_v1.txt`; `exemplars()` returns the GSM8K *train*
exemplars (question, chain-of-thought solution, step-language program, answer) shared by the hybrid
system and every baseline, so that all of them see the same problems. A program prompt names its exemplar
file in an `=== exemplars` section (`exemplar_file`; default gsm8k_exemplars): program_v1 the eight
arithmetic exemplars, program_v2 the equation-first library gsm8k_library.json (from which
`hybrid.steps.exemplars_for` takes the first `shots`, or retrieves the most similar ones).

A prompt file is split into sections by header lines `=== <key>` (lines starting with `#` before the
first header are comments). Keys used here: `system`; `shot.user` / `shot.assistant` (literal worked
examples, repeated in order); `exemplar.user` / `exemplar.assistant` (templates filled once per JSON
exemplar); `user` (the final turn); anything else (e.g. `hint.unsat`) is looked up by name. Templates use
`$field` placeholders (`string.Template`, so braces in code examples need no escaping). `chat()` builds
the chat messages: system, few-shot turns, then the final user turn.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from string import Template
from typing import Mapping, Sequence

from hybrid.facts import numbered_facts


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of prompt file `name` (without `.txt`), e.g. "program_v1"."""
    return resources.files(__name__).joinpath(f"{name}.txt").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def exemplars(name: str = "gsm8k_exemplars") -> tuple[dict, ...]:
    """Few-shot exemplars from GSM8K train: dicts with id, question, cot, program, answer."""
    text = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return tuple(json.loads(text))


def exists(name: str) -> bool:
    """Is there a prompt file `name` (without `.txt`)?"""
    return isinstance(name, str) and resources.files(__name__).joinpath(f"{name}.txt").is_file()


def exemplar_file(prompt: str) -> str:
    """The exemplar file (without `.json`) that program prompt `prompt` shows: its `exemplars` section."""
    return section(prompt, "exemplars", default="gsm8k_exemplars").strip() or "gsm8k_exemplars"


def exemplar_files() -> tuple[str, ...]:
    """Every exemplar file beside this module (without `.json`), sorted."""
    return tuple(sorted(p.name[:-5] for p in resources.files(__name__).iterdir() if p.name.endswith(".json")))


def exemplar_questions() -> frozenset[str]:
    """The questions of every exemplar file, stripped: the problems a train-split run must leave out,
    whichever prompt and exemplar choice it runs with."""
    return frozenset(e["question"].strip() for name in exemplar_files() for e in exemplars(name))


@lru_cache(maxsize=None)
def sections(name: str) -> tuple[tuple[str, str], ...]:
    """The (key, text) sections of prompt file `name`, in file order."""
    out: list[tuple[str, str]] = []
    key: str | None = None
    lines: list[str] = []
    for line in load(name).splitlines():
        if line.startswith("=== "):
            if key is not None:
                out.append((key, "\n".join(lines).strip("\n")))
            key, lines = line[4:].strip(), []
        elif key is not None:
            lines.append(line)
    if key is not None:
        out.append((key, "\n".join(lines).strip("\n")))
    return tuple(out)


def section(name: str, key: str, default: str | None = None) -> str:
    """The text of one section; KeyError when absent and no default is given."""
    for k, text in sections(name):
        if k == key:
            return text
    if default is not None:
        return default
    raise KeyError(f"prompt {name!r} has no section {key!r}")


def fields(question: str, context: str | None = None, options: Sequence[str] | None = None) -> dict[str, str]:
    """The placeholders every prompt may use: question, context, options (one per line), and, from the
    context, preamble and facts (`hybrid.facts.numbered_facts`)."""
    preamble, facts = numbered_facts(context)
    return dict(question=question, context=context or "", options="\n".join(options or ()),
                preamble=preamble, facts=facts)


def fill(template: str, fields: Mapping[str, object]) -> str:
    """Fill `$field` placeholders; unknown placeholders are left as they are."""
    return Template(template).safe_substitute({k: "" if v is None else str(v) for k, v in fields.items()})


def chat(
    name: str,
    fields: Mapping[str, object],
    *,
    shots: Sequence[Mapping[str, object]] = (),
    user_key: str = "user",
) -> list[dict]:
    """Chat messages for prompt `name`: system, literal shots, `shots` through the exemplar templates,
    then the `user_key` template filled with `fields`."""
    messages: list[dict] = []
    pending_user: str | None = None
    for key, text in sections(name):
        if key == "system":
            messages.append({"role": "system", "content": text})
        elif key == "shot.user":
            pending_user = text
        elif key == "shot.assistant" and pending_user is not None:
            messages.append({"role": "user", "content": pending_user})
            messages.append({"role": "assistant", "content": text})
            pending_user = None
    if shots:
        user_t, assistant_t = section(name, "exemplar.user"), section(name, "exemplar.assistant")
        for shot in shots:
            messages.append({"role": "user", "content": fill(user_t, shot)})
            messages.append({"role": "assistant", "content": fill(assistant_t, shot)})
    messages.append({"role": "user", "content": fill(section(name, user_key), fields)})
    return messages
