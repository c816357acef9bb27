"""The one LM protocol: generate for a batch of prompts.

A prompt is plain text or a list of chat messages (`{"role": ..., "content": ...}`). Every backend
(local transformers, OpenAI-compatible HTTP, the scripted test double) implements `generate` with the
same keywords and returns one `Generation` per prompt, in order. With `n` > 1 and `greedy_first=True`, the
first of a prompt's n samples is its greedy continuation and the others are sampled at `temperature` /
`top_p` (how the engine asks for k programs in one call); backends share the prompt's prefill across its
n samples where they can. Callers pass `greedy_first` only when they need it (n > 1), so an LM object
written before it existed still serves every other call.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence, Union

ChatMessage = dict  # {"role": "system" | "user" | "assistant", "content": str}
Prompt = Union[str, Sequence[ChatMessage]]


@dataclass(frozen=True)
class Generation:
    """The samples produced for one prompt.

    texts: n samples, each already cut at the first stop string (the stop string itself removed).
    prompt_tokens: tokens in the prompt (counted once, not per sample).
    completion_tokens: generated tokens summed over the n samples.
    seconds: wall time attributed to this prompt (a batch's time split evenly across its prompts).
    """

    texts: tuple[str, ...]
    prompt_tokens: int
    completion_tokens: int
    seconds: float

    @property
    def text(self) -> str:
        return self.texts[0] if self.texts else ""


class LM(Protocol):
    """Anything that can complete a batch of prompts."""

    name: str

    def generate(
        self,
        prompts: Sequence[Prompt],
        *,
        max_new_tokens: int = 512,
        temperature: float = 0.0,
        top_p: float = 1.0,
        n: int = 1,
        stop: Sequence[str] = (),
        seed: int = 0,
        greedy_first: bool = False,
    ) -> list[Generation]: ...
