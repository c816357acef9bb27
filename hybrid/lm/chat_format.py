"""How a prompt becomes tokens for a local model, shared by `TransformersLM` and `CpuLM`.

Chat messages (or, by default, plain text as one user message) go through the tokenizer's chat template
where it has one; otherwise plain text is used as is and messages are joined. `eos_ids` collects every
token that ends a turn (the tokenizer's and generation config's EOS and the usual end-of-turn tokens).
"""
from __future__ import annotations

from typing import Sequence

from hybrid.lm.base import Prompt


class ChatFormat:
    def __init__(self, tokenizer, *, chat_for_text: bool = True, generation_eos=None):
        self.tokenizer = tokenizer
        self.chat_for_text = chat_for_text
        self.eos_ids = self._eos_ids(generation_eos)

    def _eos_ids(self, generation_eos) -> list[int]:
        ids = set()
        for value in (self.tokenizer.eos_token_id, generation_eos):
            if isinstance(value, int):
                ids.add(value)
            elif isinstance(value, (list, tuple)):
                ids.update(v for v in value if isinstance(v, int))
        vocab = self.tokenizer.get_vocab()
        for token in ("<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|end|>"):
            if token in vocab:
                ids.add(vocab[token])
        return sorted(ids)

    @property
    def has_chat_template(self) -> bool:
        return bool(getattr(self.tokenizer, "chat_template", None))

    def render(self, prompt: Prompt) -> str:
        """The text fed to the model (see the module docstring)."""
        if isinstance(prompt, str):
            if not (self.chat_for_text and self.has_chat_template):
                return prompt
            prompt = [{"role": "user", "content": prompt}]
        messages = [dict(m) for m in prompt]
        if self.has_chat_template:
            return self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        return "\n\n".join(str(m.get("content", "")) for m in messages) + "\n\n"

    def encode(self, prompts: Sequence[Prompt]) -> list[list[int]]:
        texts = [self.render(p) for p in prompts]
        special = not self.has_chat_template  # the template already holds the special tokens
        return self.tokenizer(texts, add_special_tokens=special)["input_ids"]


class ChatFormatted:
    """A mixin for LMs that keep a `ChatFormat` in `self.format`: render, encode and has_chat_template."""

    format: ChatFormat

    @property
    def has_chat_template(self) -> bool:
        return self.format.has_chat_template

    def render(self, prompt: Prompt) -> str:
        """The text fed to the model (see the module docstring)."""
        return self.format.render(prompt)

    def encode(self, prompts: Sequence[Prompt]) -> list[list[int]]:
        return self.format.encode(prompts)
