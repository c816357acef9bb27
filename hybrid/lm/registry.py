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

    Local options: device ("cpu", "cuda", ...), dtype ("float32", "bfloat16", ...), quantize ("int8-pc",
    "int8", "int8-nohead", None, or "auto" = none: fp32 on CPU, bf16/fp16 on GPU), max_batch_size,
    prefix_cache (reuse the KV of a prompt prefix shared by a batch; default on CPU only), num_threads.
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
    if kind == "bundled":
        from hybrid.lm.bundled import ensure_converted

        path = ensure_converted(BUNDLED[target])  # fails fast, before torch loads, when the extra is missing
        from hybrid.lm.transformers_lm import TransformersLM

        return TransformersLM(str(path), name=target, device=device, dtype=dtype, quantize=quantize,
                              max_batch_size=max_batch_size, local_files_only=True, **kw)
    from hybrid.lm.transformers_lm import TransformersLM

    return TransformersLM(target, name=name, device=device, dtype=dtype, quantize=quantize,
                          max_batch_size=max_batch_size, **kw)


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
