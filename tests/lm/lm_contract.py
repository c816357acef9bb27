"""The LM contract, checked the same way for the scripted double and the real backends."""
from __future__ import annotations

from hybrid.lm import Generation


def check_contract(gens, prompts, *, n: int, stop, max_new_tokens: int) -> None:
    assert isinstance(gens, list) and len(gens) == len(prompts)
    for gen in gens:
        assert type(gen) is Generation
        assert isinstance(gen.texts, tuple) and len(gen.texts) == n
        assert all(isinstance(t, str) for t in gen.texts)
        assert all(s not in t for t in gen.texts for s in stop if s)
        assert type(gen.prompt_tokens) is int and gen.prompt_tokens > 0
        assert type(gen.completion_tokens) is int and 0 < gen.completion_tokens <= n * max_new_tokens
        assert isinstance(gen.seconds, float) and gen.seconds >= 0
