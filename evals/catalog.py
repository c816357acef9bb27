"""The datasets by name: each loader of `evals.datasets` registered with its splits and answer kind.

`load_dataset(name, data, split)` is how the bench, the harness and `hybrid bench --list` reach a set;
`register_dataset` adds one (a decorator over `(data, split, **options) -> Dataset`).
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from evals.datasets import AnswerKind, Dataset, load_gsm8k, load_jsonl, load_logic
from evals.jsonfiles import DataError

__all__ = ["DATASETS", "DatasetSpec", "dataset_spec", "load_dataset", "register_dataset"]


@dataclass(frozen=True)
class DatasetSpec:
    """A registered dataset: its loader, splits (the first is the default) and the kind of its answers."""

    name: str
    description: str
    splits: tuple[str, ...]
    answers: AnswerKind
    load: Callable[..., Dataset]  # (data, split, **options) -> Dataset


DATASETS: dict[str, DatasetSpec] = {}


def register_dataset(name: str, *, description: str, splits: tuple[str, ...], answers: AnswerKind):
    """Register a loader `(data, split, **options) -> Dataset` under `name` (a decorator)."""
    def add(load: Callable[..., Dataset]) -> Callable[..., Dataset]:
        DATASETS[name] = DatasetSpec(name, description, splits, answers, load)
        return load
    return add


@register_dataset("gsm8k", description="GSM8K grade-school math (local folder, else the hub)",
                  splits=("test", "train"), answers="number")
def _gsm8k(data, split, *, skip_bad=False, **_):
    return load_gsm8k(data, split, skip_bad=skip_bad)


@register_dataset("logical_deduction", description="BIG-bench LogicalDeduction, Logic-LM packaging (letters)",
                  splits=("dev",), answers="letter")
def _logical_deduction(data, split, *, skip_bad=False, **_):
    return load_logic("logical_deduction", data, split, skip_bad=skip_bad)


@register_dataset("prontoqa", description="PrOntoQA true/false, Logic-LM packaging (letters)",
                  splits=("dev",), answers="letter")
def _prontoqa(data, split, *, skip_bad=False, **_):
    return load_logic("prontoqa", data, split, skip_bad=skip_bad)


@register_dataset("mixed", description="logic deduction, then arithmetic on its result (ours, 22, shipped)",
                  splits=("test",), answers="number")
def _mixed(data, split, *, skip_bad=False, **_):
    from importlib import resources

    path = data or resources.files("evals").joinpath("data/mixed.jsonl")
    return load_jsonl(path, id_key="id", name="mixed", split=split, skip_bad=skip_bad)


@register_dataset("jsonl", description="any math set in JSON/JSONL: --data FILE, --question-key/--answer-key",
                  splits=("",), answers="number")
def _jsonl(data, split, *, skip_bad=False, question_key="question", answer_key="answer", id_key=None,
           tolerance=1e-6):
    if not data:
        raise DataError("--dataset jsonl needs --data FILE")
    return load_jsonl(data, question_key=question_key, answer_key=answer_key, id_key=id_key,
                      tolerance=tolerance, split=split, skip_bad=skip_bad)


def dataset_spec(name: str) -> DatasetSpec:
    """The registered dataset `name`; DataError listing the known ones otherwise."""
    if name not in DATASETS:
        raise DataError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")
    return DATASETS[name]


def load_dataset(name: str, data: str | os.PathLike | None = None, split: str | None = None,
                 **options) -> Dataset:
    """Load a registered dataset by name (gsm8k, logical_deduction, prontoqa, jsonl, ...). Options:
    skip_bad, and for jsonl question_key, answer_key, id_key, tolerance."""
    spec = dataset_spec(name)
    return spec.load(data, spec.splits[0] if split is None else split, **options)
