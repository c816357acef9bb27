"""A scripted LM test double that ships with the package.

It answers from a queue of replies (or a function of the prompt) and records every prompt it saw (unless
`record=False`), so graph and harness tests need no weights. It honours the same contract as the real backends: one Generation per
prompt, n samples each, stop strings cut (the stop string removed), token counts from a whitespace split.
"""
from __future__ import annotations

from collections import deque
from typing import Callable, Iterable, Sequence

from hybrid.lm.base import Generation, Prompt


def prompt_text(prompt: Prompt) -> str:
    """The text of a prompt: itself, or the chat messages' contents joined by newlines."""
    if isinstance(prompt, str):
        return prompt
    return "\n".join(str(message.get("content", "")) for message in prompt)


def cut_at_stop(text: str, stop: Sequence[str]) -> str:
    """Cut text at the earliest stop string, removing the stop string itself."""
    positions = [text.find(s) for s in stop if s and s in text]
    return text[: min(positions)] if positions else text


class ScriptedLM:
    """Replies from a queue (or `respond(prompt_text) -> str`), recording each call's prompts and settings."""

    def __init__(
        self,
        replies: Iterable[str] = (),
        *,
        respond: Callable[[str], str] | None = None,
        name: str = "scripted",
        record: bool = True,
    ) -> None:
        self.name = name
        self.record = record  # False: keep no calls (a long-running server's double must not grow)
        self.replies: deque[str] = deque(replies)
        self.respond = respond
        self.calls: list[dict] = []

    @property
    def prompts(self) -> list[Prompt]:
        """Every prompt seen, across all calls, in order."""
        return [p for call in self.calls for p in call["prompts"]]

    def _next_reply(self, prompt: Prompt) -> str:
        if self.respond is not None:
            return self.respond(prompt_text(prompt))
        if not self.replies:
            raise RuntimeError("ScriptedLM ran out of replies")
        return self.replies.popleft()

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
    ) -> list[Generation]:
        if self.record:
            self.calls.append(
                dict(prompts=list(prompts), max_new_tokens=max_new_tokens, temperature=temperature,
                     top_p=top_p, n=n, stop=tuple(stop), seed=seed, greedy_first=greedy_first)
            )
        generations = []
        for prompt in prompts:
            texts = []
            for _ in range(n):
                words = cut_at_stop(self._next_reply(prompt), stop).split(" ")
                texts.append(" ".join(words[:max_new_tokens]))
            generations.append(
                Generation(
                    texts=tuple(texts),
                    prompt_tokens=len(prompt_text(prompt).split()),
                    completion_tokens=sum(len(t.split()) for t in texts),
                    seconds=0.0,
                )
            )
        return generations
