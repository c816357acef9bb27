"""Benchmark loaders: GSM8K, any math set in JSON/JSONL with a field mapping, and the multiple-choice logic sets.

Every loader returns `Problem`s with a stable id, the question, the gold answer as text, and what kind of
answer it is ("number": compared numerically with a tolerance; "letter": an option letter).

- GSM8K: `{"question", "answer"}` lines; the gold is what follows "####", thousands separators removed.
  From a local folder (`--data DIR` or $HYBRID_DATA_DIR; DIR may be the gsm8k folder or its parent) or,
  with neither, from the hub (`openai/gsm8k`, config `main`) through the `datasets` package, imported lazily.
- Generic math sets: JSONL or a JSON array, with question/answer keys named by the caller ("input"/"target"
  for PAL's files; "Body+Question"/"Answer" for SVAMP: `+` joins several fields with a space).
- Mixed: the project's own questions that need a logic deduction and then arithmetic on its result
  (evals/data/mixed.jsonl, shipped with the package; each answer is checked by brute force in
  tests/graph/test_mixed_set.py).
- Logic: LogicalDeduction and PrOntoQA as packaged by Logic-LM (a JSON array of {id, context, question,
  options ["A) ..."], answer "A"}).

Each is registered by name in `evals.catalog` (`register_dataset`, `DATASETS`), which is how
`load_dataset(name, ...)` and `hybrid bench --list` find them. Without --data, data comes from `data_dir()`: $HYBRID_DATA_DIR, else
../shared/data beside the repository. Malformed records raise `DataError` naming the file and line, or,
with skip_bad=True, are skipped and counted in `Dataset.skipped` (`evals.jsonfiles`). Deliberately left
out: downloading anything other than through `datasets`.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from evals.jsonfiles import Collector, DataError
from hybrid.answers import normalize_number, option_label

AnswerKind = Literal["number", "letter"]
ENV_DATA_DIR = "HYBRID_DATA_DIR"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"  # beside the repository
__all__ = ["DataError", "Dataset", "Problem", "data_dir", "load_gsm8k", "load_jsonl", "load_logic"]


@dataclass(frozen=True)
class Problem:
    """One benchmark item."""

    id: str
    question: str
    gold: str
    kind: AnswerKind = "number"
    context: str | None = None
    options: tuple[str, ...] | None = None
    tolerance: float = 1e-6
    index: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Dataset:
    """Problems in file order, plus where they came from and how many bad records were skipped."""

    name: str
    split: str
    source: str
    problems: list[Problem]
    skipped: int = 0
    skipped_where: list[str] = field(default_factory=list)

    def slice(self, offset: int = 0, limit: int | None = None) -> list[Problem]:
        end = None if limit is None else offset + limit
        return self.problems[offset:end]


# --------------------------------------------------------------------------------------------- fields

def _field(record: dict, key: str) -> str | None:
    """record[key], or several fields joined by a space when key is "A+B"; None when any is missing."""
    parts = []
    for name in key.split("+"):
        value = record.get(name.strip())
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        parts.append(str(value).strip())
    return " ".join(parts)


def gold_number(answer: str | int | float | None) -> str | None:
    """The gold number of an answer: the text after the last "####" if present, separators removed."""
    if answer is None:
        return None
    text = str(answer)
    if "####" in text:
        text = text.rsplit("####", 1)[1]
    return normalize_number(text.strip())


# --------------------------------------------------------------------------------------------- math sets

def load_jsonl(
    path: str | os.PathLike,
    *,
    question_key: str = "question",
    answer_key: str = "answer",
    id_key: str | None = None,
    tolerance: float = 1e-6,
    name: str | None = None,
    split: str = "",
    skip_bad: bool = False,
) -> Dataset:
    """A numeric-answer set from JSONL or a JSON array; ids from `id_key`, else "<name>/<split>/<index>"."""
    path = Path(path)
    collector = Collector(path, skip_bad)
    name = name or path.stem
    problems: list[Problem] = []
    for ordinal, lineno, record in collector.records():
        question = _field(record, question_key)
        if question is None:
            collector.bad(lineno, f"missing or empty question field {question_key!r}")
            continue
        raw_answer = record.get(answer_key)
        gold = gold_number(raw_answer)
        if gold is None:
            collector.bad(lineno, f"answer field {answer_key!r} has no number: {str(raw_answer)[:60]!r}")
            continue
        pid = str(record[id_key]) if id_key and record.get(id_key) is not None else f"{name}/{split or 'all'}/{ordinal}"
        problems.append(Problem(id=pid, question=question, gold=gold, kind="number", tolerance=tolerance,
                                index=ordinal))
    _check_unique(path, problems)
    return Dataset(name, split, str(path), problems, len(collector.skipped), collector.skipped)


def _check_unique(path: Path, problems: list[Problem]) -> None:
    seen: set[str] = set()
    for problem in problems:
        if problem.id in seen:
            raise DataError(f"{path}: duplicate id {problem.id!r}")
        seen.add(problem.id)


def data_dir() -> Path | None:
    """Where the benchmark data lies when no --data is given: $HYBRID_DATA_DIR, else the shared/data folder
    beside the repository (../shared/data) if there is one, else None (GSM8K then comes from the hub)."""
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env)
    return SHARED_DATA if SHARED_DATA.is_dir() else None


def _data_root(data: str | os.PathLike | None) -> Path | None:
    return Path(data) if data else data_dir()


def _find_file(root: Path, subdir: str, filename: str) -> Path:
    if root.is_file():
        return root
    for candidate in (root / filename, root / subdir / filename):
        if candidate.is_file():
            return candidate
    raise DataError(f"{filename} not found under {root} (looked in {root} and {root / subdir})")


def load_gsm8k(
    data: str | os.PathLike | None = None, split: str = "test", *, skip_bad: bool = False
) -> Dataset:
    """GSM8K from a local folder ({split}.jsonl), or from the hub when no folder is given."""
    if split not in ("train", "test"):
        raise DataError(f"gsm8k has splits train and test, not {split!r}")
    root = _data_root(data)
    if root is not None:
        path = _find_file(root, "gsm8k", f"{split}.jsonl")
        return load_jsonl(path, name="gsm8k", split=split, skip_bad=skip_bad)
    return _load_gsm8k_hub(split)


def _load_gsm8k_hub(split: str) -> Dataset:
    try:
        import datasets  # lazy: optional dependency, only for online users
    except ImportError:
        raise DataError(
            f"no GSM8K data: pass --data DIR or set ${ENV_DATA_DIR}, or `pip install datasets` to load "
            "openai/gsm8k from the hub"
        ) from None
    rows = datasets.load_dataset("openai/gsm8k", "main", split=split)
    problems = []
    for index, row in enumerate(rows):
        gold = gold_number(row["answer"])
        if gold is None:
            raise DataError(f"hub:openai/gsm8k/{split} row {index}: answer has no number")
        problems.append(Problem(id=f"gsm8k/{split}/{index}", question=row["question"], gold=gold, index=index))
    return Dataset("gsm8k", split, "hub:openai/gsm8k:main", problems)


# --------------------------------------------------------------------------------------------- logic sets

LOGIC_FILES = {"logical_deduction": "logical_deduction_dev.json", "prontoqa": "prontoqa_dev.json"}


def load_logic(
    name: str, data: str | os.PathLike | None = None, split: str = "dev", *, skip_bad: bool = False
) -> Dataset:
    """LogicalDeduction or PrOntoQA (Logic-LM packaging); `data` is the logic folder or its parent."""
    if name not in LOGIC_FILES:
        raise DataError(f"unknown logic set {name!r}; known: {', '.join(LOGIC_FILES)}")
    if split != "dev":
        raise DataError(f"{name} has one split, dev, not {split!r}")
    root = _data_root(data)
    if root is None:
        raise DataError(f"no data folder for {name}: pass --data DIR or set ${ENV_DATA_DIR}")
    filename = LOGIC_FILES[name]
    path = root if root.is_file() else _find_file(root, "logic", filename)
    return load_choice_file(path, name=name, split=split, skip_bad=skip_bad)


def load_choice_file(path: str | os.PathLike, *, name: str, split: str = "dev", skip_bad: bool = False) -> Dataset:
    """A multiple-choice set: records with id, context, question, options ["A) ..."], answer letter."""
    collector = Collector(Path(path), skip_bad)
    problems: list[Problem] = []
    for ordinal, lineno, record in collector.records():
        missing = [k for k in ("context", "question", "options", "answer") if not record.get(k)]
        if missing:
            collector.bad(lineno, f"missing field(s) {', '.join(missing)}")
            continue
        options = record["options"]
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            collector.bad(lineno, "options must be a list of strings like 'A) ...'")
            continue
        letters = [option_label(o) for o in options]
        if None in letters:
            collector.bad(lineno, "each option must start with a letter mark like 'A)'")
            continue
        answer = str(record["answer"]).strip().strip("()")
        if answer not in letters:
            collector.bad(lineno, f"answer {record['answer']!r} is not one of the option letters {''.join(letters)}")
            continue
        pid = str(record.get("id") or f"{name}/{split}/{ordinal}")
        problems.append(Problem(id=pid, question=str(record["question"]), gold=answer, kind="letter",
                                context=str(record["context"]), options=tuple(options), index=ordinal))
    _check_unique(path, problems)
    return Dataset(name, split, str(path), problems, len(collector.skipped), collector.skipped)
