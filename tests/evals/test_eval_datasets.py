"""Loaders: GSM8K gold parsing, field mapping for other math sets, logic sets, malformed data."""
from __future__ import annotations

import json

import pytest

from evals.catalog import load_dataset
from evals.datasets import DataError, load_jsonl

from eval_helpers import GOLDS


def test_gsm8k_gold_after_hashes_without_separators(gsm8k_dir):
    ds = load_dataset("gsm8k", gsm8k_dir, "test")
    assert [p.gold for p in ds.problems] == GOLDS
    assert ds.problems[1].id == "gsm8k/test/1"
    assert ds.problems[0].kind == "number"


def test_gsm8k_accepts_the_parent_folder_and_the_env_var(gsm8k_dir, monkeypatch):
    assert len(load_dataset("gsm8k", gsm8k_dir.parent).problems) == 5
    monkeypatch.setenv("HYBRID_DATA_DIR", str(gsm8k_dir.parent))
    assert len(load_dataset("gsm8k").problems) == 5


def test_gsm8k_without_data_or_datasets_package_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.delenv("HYBRID_DATA_DIR", raising=False)
    monkeypatch.setattr("evals.datasets.SHARED_DATA", tmp_path / "no-shared-data")
    import builtins
    real_import = builtins.__import__

    def no_datasets(name, *args, **kwargs):
        if name == "datasets":
            raise ImportError("no datasets")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_datasets)
    with pytest.raises(DataError, match="--data DIR"):
        load_dataset("gsm8k")


def test_data_dir_is_the_env_var_else_the_shared_folder_beside_the_repo(monkeypatch, tmp_path):
    from evals.datasets import data_dir

    monkeypatch.setenv("HYBRID_DATA_DIR", str(tmp_path / "env"))
    assert data_dir() == tmp_path / "env"
    monkeypatch.delenv("HYBRID_DATA_DIR")
    shared = tmp_path / "shared" / "data"
    monkeypatch.setattr("evals.datasets.SHARED_DATA", shared)
    assert data_dir() is None
    (shared / "gsm8k").mkdir(parents=True)
    (shared / "gsm8k" / "test.jsonl").write_text('{"question": "1 + 1?", "answer": "#### 2"}\n')
    assert data_dir() == shared
    assert [p.gold for p in load_dataset("gsm8k").problems] == ["2"]  # no --data: the shared folder


def test_unknown_dataset_lists_the_registered_ones():
    with pytest.raises(DataError, match="unknown dataset 'nope'; known: gsm8k, logical_deduction, prontoqa, mixed, jsonl"):
        load_dataset("nope")


def test_a_registered_loader_is_found_by_name(tmp_path, monkeypatch):
    from evals import catalog, datasets

    monkeypatch.setattr(catalog, "DATASETS", dict(catalog.DATASETS))

    @catalog.register_dataset("tiny", description="two sums", splits=("all",), answers="number")
    def tiny(data, split, **options):
        return datasets.Dataset("tiny", split, "memory", [datasets.Problem(id="t/0", question="1+1?", gold="2")])

    assert load_dataset("tiny").split == "all" and load_dataset("tiny").problems[0].gold == "2"


def test_unknown_split_is_an_error(gsm8k_dir):
    with pytest.raises(DataError, match="train and test"):
        load_dataset("gsm8k", gsm8k_dir, "dev")


def test_malformed_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "q1", "answer": "#### 1"}\n{"question": "q2", "answer": \n'
                    '{"question": "q3", "answer": "no number here"}\n{"question": "q4", "answer": "#### 4"}\n')
    with pytest.raises(DataError, match=r"bad\.jsonl:2: invalid JSON"):
        load_jsonl(path)
    ds = load_jsonl(path, skip_bad=True)
    assert [p.gold for p in ds.problems] == ["1", "4"]
    assert ds.skipped == 2
    assert "bad.jsonl:3: answer field 'answer' has no number" in ds.skipped_where[1]
    assert ds.problems[1].id.endswith("/3")  # ids keep the record's position, so skipping never shifts them


def test_missing_question_field(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_text('{"q": "x", "answer": "1"}\n')
    with pytest.raises(DataError, match="m.jsonl:1: missing or empty question field 'question'"):
        load_jsonl(path)


def test_pal_input_target_format(tmp_path):
    path = tmp_path / "gsmhard.jsonl"
    path.write_text(json.dumps({"input": "What is 2.5 times 2?", "target": 5.0}) + "\n"
                    + json.dumps({"input": "Half of 3?", "target": 1.5}) + "\n")
    ds = load_dataset("jsonl", path, question_key="input", answer_key="target", tolerance=1e-3)
    assert [p.gold for p in ds.problems] == ["5", "1.5"]
    assert ds.problems[0].tolerance == 1e-3


def test_svamp_body_plus_question_json_array(tmp_path):
    path = tmp_path / "SVAMP.json"
    path.write_text(json.dumps([
        {"ID": "chal-1", "Body": "Each pack has 6 eggs. There are 3 packs.", "Question": "How many eggs?",
         "Answer": 18.0},
        {"ID": "chal-2", "Body": "Jack had 8 pens.", "Question": "He gave 3 away. How many left?", "Answer": 5},
    ], indent=1))
    ds = load_dataset("jsonl", path, question_key="Body+Question", answer_key="Answer", id_key="ID")
    assert ds.problems[0].question == "Each pack has 6 eggs. There are 3 packs. How many eggs?"
    assert [(p.id, p.gold) for p in ds.problems] == [("chal-1", "18"), ("chal-2", "5")]


def test_json_array_error_names_the_line_of_the_record(tmp_path):
    path = tmp_path / "arr.json"
    path.write_text('[\n  {"input": "a", "target": 1},\n  {"input": "b"}\n]\n')
    with pytest.raises(DataError, match=r"arr\.json:3: answer field 'target' has no number"):
        load_jsonl(path, question_key="input", answer_key="target")


def test_duplicate_ids_are_refused(tmp_path):
    path = tmp_path / "dup.jsonl"
    path.write_text('{"id": 1, "question": "a", "answer": 1}\n{"id": 1, "question": "b", "answer": 2}\n')
    with pytest.raises(DataError, match="duplicate id '1'"):
        load_jsonl(path, id_key="id")


def test_logic_sets(logic_dir):
    ld = load_dataset("logical_deduction", logic_dir.parent)
    assert ld.split == "dev" and len(ld.problems) == 3
    p = ld.problems[0]
    assert (p.id, p.gold, p.kind) == ("ld_0", "A", "letter")
    assert p.options[1] == "B) The blue book is the leftmost."
    assert "red book" in p.context
    pq = load_dataset("prontoqa", logic_dir)
    assert [x.gold for x in pq.problems] == ["A", "B", "A", "B"]


def test_logic_malformed_record(logic_dir):
    path = logic_dir / "logical_deduction_dev.json"
    records = json.loads(path.read_text())
    records[1]["answer"] = "Z"
    del records[2]["options"]
    path.write_text(json.dumps(records, indent=2))
    with pytest.raises(DataError, match=r"logical_deduction_dev\.json:\d+: answer 'Z' is not one of"):
        load_dataset("logical_deduction", logic_dir)
    ds = load_dataset("logical_deduction", logic_dir, skip_bad=True)
    assert len(ds.problems) == 1 and ds.skipped == 2
    with pytest.raises(DataError, match="one split, dev"):
        load_dataset("prontoqa", logic_dir, "test")


def test_shared_data_if_present():
    """The real files in ../shared/data load with the published counts (skipped when not mounted)."""
    from pathlib import Path

    from evals.datasets import data_dir
    root = data_dir() or Path("no-data-dir")
    if not (root / "gsm8k" / "test.jsonl").exists() and not (root / "test.jsonl").exists():
        pytest.skip("shared data not present")
    test = load_dataset("gsm8k", root)
    assert len(test.problems) == 1319 and test.problems[0].gold == "18"
    assert sum("-" in p.gold for p in test.problems) == 2
