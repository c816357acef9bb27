"""The model registry: names -> backends (the bundled models themselves are listed in `hybrid.lm.catalogue`).

`get_lm(name)` resolves, in order:
1. `openai:MODEL`, or any name when `base_url` is given -> OpenAICompatLM (HTTP chat completions);
2. a registered alias (the bundled offline models) -> TransformersLM on the converted cache;
3. an existing local directory -> TransformersLM;
4. anything shaped like a Hugging Face id (`org/name`) -> TransformersLM (downloads when online);
otherwise ModelNotFoundError listing the aliases. Nothing heavy is imported here.
"""
from __future__ import annotations

import os
import re

from hybrid.lm.catalogue import BUNDLED, DEFAULT_MODEL
from hybrid.lm.cpu.weights import PRECISIONS
from hybrid.lm.errors import ModelNotFoundError

# A Hugging Face repo id: "name" is ambiguous with a typo'd alias, so we require "org/name".
_HF_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")


def is_hf_id(name: str) -> bool:
    """True for names shaped like a Hugging Face repo id (`org/name`)."""
    return bool(_HF_ID.match(name)) and ".." not in name and "--" not in name


def resolve(name: str, *, base_url: str | None = None) -> tuple[str, str]:
    """Classify a model name: returns (kind, target) with kind in openai|bundled|local|hf.

    Raises ModelNotFoundError (a ValueError) for names that match nothing.
    """
    if not isinstance(name, str) or not name.strip():
        raise ModelNotFoundError(f"empty model name; known aliases: {', '.join(BUNDLED)}")
    name = name.strip()
    if name.startswith("openai:"):
        model = name[len("openai:"):]
        if not model:
            raise ModelNotFoundError("'openai:' needs a model name, e.g. openai:gpt-4o-mini")
        return "openai", model
    if base_url:
        return "openai", name
    if name in BUNDLED:
        return "bundled", name
    path = os.path.expanduser(name)
    if os.path.isdir(path):
        return "local", os.path.abspath(path)
    if is_hf_id(name) and not os.path.exists(path):
        return "hf", name
    raise ModelNotFoundError(
        f"unknown model {name!r}: not an alias ({', '.join(BUNDLED)}), a local directory, "
        f"a Hugging Face id (org/name) or openai:<model>"
    )


def get_lm(
    name: str = DEFAULT_MODEL,
    *,
    device: str | None = None,
    dtype: str | None = None,
    quantize: str | None = "auto",
    base_url: str | None = None,
    api_key_env: str | None = None,
    max_batch_size: int | None = None,
    **kw,
):
    """Return an LM for `name` (see the module docstring for how names resolve).

    Local options: device ("cpu", "cuda", ...), dtype ("float32", "bfloat16", ...), quantize ("auto": the
    CPU path (`hybrid.lm.cpu_lm.CpuLM`, int4) on a CPU-only machine, bf16/fp16 transformers on a GPU;
    "int4", "int4-head8", "int8x2": the CPU path in that precision; None or "none": transformers in fp32,
    the reference; "int8-pc", "int8", "int8-nohead": transformers with torch.ao dynamic int8),
    max_batch_size, num_threads; for transformers also prefix_cache and compile; for the CPU path also
    chunk, prefix_cache_mb and continuous (False: the engine's per-step barrier instead of direct calls).
    HTTP options: base_url (else $HYBRID_BASE_URL, else OpenAI's), api_key_env (default: HYBRID_API_KEY
    then OPENAI_API_KEY), and OpenAICompatLM's keywords (max_concurrency, timeout_s, max_retries).
    """
    kind, target = resolve(name, base_url=base_url)
    if kind == "openai":
        from hybrid.lm.openai_lm import OpenAICompatLM

        return OpenAICompatLM(
            target,
            base_url=base_url or os.environ.get("HYBRID_BASE_URL") or "https://api.openai.com/v1",
            api_key_env=api_key_env,
            **kw,
        )
    if isinstance(quantize, str) and quantize.lower() == "none":
        quantize = None
    if kind == "bundled":
        from hybrid.lm.bundled import ensure_compact, ensure_converted, find_parts, is_cached, is_compact_cached

        model = BUNDLED[target]
        if not (is_cached(model) or any(is_compact_cached(model, p) for p in CPU_PRECISIONS)):
            if find_parts(model)[1]:
                ensure_converted(model)  # fails fast with the install hint, before torch loads
        precision = cpu_precision(quantize, device, dtype, model.cpu_precision)
        if precision:
            from hybrid.lm.cpu_lm import CpuLM

            return CpuLM(str(ensure_compact(model, precision)), name=target, precision=precision,
                         max_batch_size=max_batch_size, local_files_only=True, **_cpu_options(kw))
        from hybrid.lm.transformers_lm import TransformersLM

        return TransformersLM(str(ensure_converted(model)), name=target, device=device, dtype=dtype,
                              quantize=quantize, max_batch_size=max_batch_size, local_files_only=True, **kw)
    precision = cpu_precision(quantize, device, dtype)
    if precision:
        from hybrid.lm.cpu_lm import CpuLM

        return CpuLM(target, name=name, precision=precision, max_batch_size=max_batch_size, **_cpu_options(kw))
    from hybrid.lm.transformers_lm import TransformersLM

    return TransformersLM(target, name=name, device=device, dtype=dtype, quantize=quantize,
                          max_batch_size=max_batch_size, **kw)


CPU_PRECISIONS = tuple(PRECISIONS)  # the CPU path's precisions (hybrid.lm.cpu.weights; imports no torch)


def cpu_precision(quantize, device, dtype, default: str = "int8x2") -> str | None:
    """The CPU path's precision when `get_lm` should use it, else None (transformers' own path).

    "auto" picks `default` (a bundled model's own, else int8x2, which keeps a full-precision checkpoint's
    answers) on a CPU-only machine when no device or dtype is asked for; an explicit CPU precision always
    uses the CPU path; None, "none" and the torch.ao int8 modes keep transformers (fp32, the reference)."""
    if isinstance(quantize, str) and quantize.lower() == "none":
        return None
    if quantize in CPU_PRECISIONS:
        return quantize
    if quantize != "auto" or dtype or (device and device != "cpu"):
        return None
    from hybrid.lm.torch_setup import pick_device

    return default if pick_device(device) == "cpu" else None


def _cpu_options(kw: dict) -> dict:
    allowed = ("num_threads", "chat_for_text", "chunk", "prefix_cache_mb", "local_files_only", "continuous")
    unknown = sorted(set(kw) - set(allowed) - {"prefix_cache", "min_prefix", "compile"})
    if unknown:
        from hybrid.lm.errors import ModelError

        raise ModelError(f"the CPU path does not take {', '.join(unknown)}; it takes {', '.join(allowed)}")
    return {key: value for key, value in kw.items() if key in allowed}


def list_models() -> list[dict]:
    """The registered aliases with whether their parts are installed and their converted cache exists."""
    from hybrid.lm.bundled import cache_dir_for, find_parts, is_cached

    rows = []
    for model in BUNDLED.values():
        found, missing = find_parts(model)
        rows.append(
            dict(
                name=model.name,
                kind="bundled",
                source=f"{model.upstream} ({model.gguf_file}) via {model.install_command}",
                installed=not missing,
                parts_present=len(found),
                parts_total=len(model.parts),
                cached=is_cached(model),
                cache_dir=str(cache_dir_for(model)),
                default=model.name == DEFAULT_MODEL,
                costs=dict(model.costs),
                cost=model.cost_summary,
            )
        )
    return rows
