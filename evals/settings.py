"""The settings of one bench run: one frozen object, built alike by `hybrid bench` and by `evals.run_bench`.

`BenchSettings` says what is measured (dataset, split, slice, systems, model) and how the baselines decode
beyond what they share with the engine. Sampling is shared too: cot-sc draws the engine's `samples` (unless
`sc_samples` says otherwise) at its `sample_temperature` and `top_p`, the budget hybrid@k and pal@k vote with. Everything the engine and the baselines share (seed, decoding
temperature, exemplars, token budgets, program timeout) lives once, in its `engine` field, an
`hybrid.EngineSettings` (the batch size too: every system sends the same batches): pal is the engine's propose step run once and cot its fallback step, so they read
their prompts and budgets from there. Construction checks the values and raises ValueError in one line.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from hybrid.lm import DEFAULT_MODEL
from hybrid.settings import EngineSettings, split_settings


@dataclass(frozen=True)
class BenchSettings:
    """What a bench run measures, and the baselines' own decoding."""

    dataset: str = "gsm8k"
    data: str | None = None          # folder or file; default: evals.datasets.data_dir()
    split: str | None = None         # default: the dataset's own (gsm8k: test; logic sets: dev)
    limit: int | None = None
    offset: int = 0
    systems: tuple[str, ...] = ("cot", "hybrid")
    model: str = DEFAULT_MODEL
    lm_options: dict = field(default_factory=dict)  # passed to hybrid.lm.get_lm
    direct_tokens: int = 24
    sc_samples: int | None = None    # cot-sc's k; None: the engine's samples (equal budget with hybrid@k)
    tolerance: float = 1e-6          # numeric answers: relative above |gold| 1, absolute below
    skip_bad: bool = False
    question_key: str = "question"   # jsonl sets: field names ("A+B" joins fields)
    answer_key: str = "answer"
    id_key: str | None = None
    engine: EngineSettings = field(default_factory=EngineSettings)

    def __post_init__(self) -> None:
        object.__setattr__(self, "systems", tuple(dict.fromkeys(s.strip() for s in self.systems if s.strip())))
        object.__setattr__(self, "lm_options", dict(self.lm_options))
        bad_sc = self.sc_samples is not None and self.sc_samples < 1
        if self.offset < 0 or (self.limit is not None and self.limit < 0) or bad_sc or self.direct_tokens < 1:
            raise ValueError("sc_samples and direct_tokens must be >= 1; offset and limit >= 0")

    @classmethod
    def of(cls, **fields: Any) -> "BenchSettings":
        """Settings from keywords naming fields of BenchSettings or of EngineSettings (routed to `engine`):
        `BenchSettings.of(dataset="gsm8k", limit=40, shots=4)`."""
        engine, own = split_settings(fields)
        base = own.pop("engine", None) or EngineSettings()
        return cls(engine=replace(base, **engine), **own)

    @property
    def seed(self) -> int:
        return self.engine.seed

    @property
    def batch_size(self) -> int:
        """Problems per generate call: the engine's batch size, which every system's batches follow."""
        return self.engine.batch_size

    def with_engine(self, **changes: Any) -> "BenchSettings":
        """These settings with some engine fields replaced."""
        return replace(self, engine=replace(self.engine, **changes))

    @property
    def sc_k(self) -> int:
        """cot-sc's number of samples: sc_samples, else the engine's samples (what hybrid@k and pal@k draw)."""
        return self.sc_samples if self.sc_samples is not None else self.engine.samples

    def baseline_settings(self) -> dict:
        """What config.json records under "settings": the baselines' own decoding (the rest is in
        "engine_settings"). cot-sc samples at the engine's sample_temperature and top_p, as the vote does."""
        return dict(direct_tokens=self.direct_tokens, sc_samples=self.sc_k,
                    sc_temperature=self.engine.sample_temperature, sc_top_p=self.engine.top_p)
