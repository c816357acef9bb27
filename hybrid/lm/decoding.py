"""Per-row controls of a batched `generate`: where a row stops, and which rows decode greedily.

- `StopOnStrings`: a stopping criterion; a row is done once its generated text holds a stop string, and
  the number of tokens it had then is kept, so token counts leave out what followed.
- `GreedyRows`: a logits processor for sampled batches whose rows are n samples per prompt: the first row
  of each prompt keeps only its argmax, so it decodes greedily while the others sample.
Both are plain callables with the signatures transformers expects; torch is imported when they run.
"""
from __future__ import annotations

from typing import Sequence


class StopOnStrings:
    """A per-row stopping criterion: a row is done once its generated text contains a stop string.

    Records, per row, how many tokens were generated when it stopped, so token counts exclude padding.
    """

    def __init__(self, tokenizer, stop: Sequence[str], prompt_len: int, batch: int):
        import torch

        self.tokenizer = tokenizer
        self.stop = [s for s in stop if s]
        self.prompt_len = prompt_len
        self.tail = max((len(s) for s in self.stop), default=0) + 3  # tokens; each is >= 1 char
        self.stopped_at = torch.zeros(batch, dtype=torch.long)  # 0 = not stopped by a string

    def __call__(self, input_ids, scores, **kwargs):
        import torch

        done = torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)
        generated = input_ids.shape[1] - self.prompt_len
        for row in range(input_ids.shape[0]):
            if self.stopped_at[row]:
                done[row] = True
                continue
            start = max(self.prompt_len, input_ids.shape[1] - self.tail)
            text = self.tokenizer.decode(input_ids[row, start:], skip_special_tokens=True)
            if any(s in text for s in self.stop):
                done[row] = True
                self.stopped_at[row] = generated
        return done


class GreedyRows:
    """A logits processor that makes every `every`-th row greedy (rows 0, every, 2*every, ...): only its
    argmax keeps a finite score, so sampling (after temperature and top-p) picks it with probability 1."""

    def __init__(self, every: int):
        self.every = every

    def __call__(self, input_ids, scores):
        import torch

        rows = torch.arange(0, scores.shape[0], self.every, device=scores.device)
        best = scores[rows].argmax(dim=-1)
        kept = torch.full_like(scores[rows], float("-inf"))
        kept[torch.arange(rows.shape[0], device=scores.device), best] = scores[rows, best]
        scores[rows] = kept
        return scores
