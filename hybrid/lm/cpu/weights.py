"""Building the CPU decoder: from a transformers model's weights, and to and from the int4 cache on disk.

Supported shapes: model_type qwen2 and llama with default RoPE (no scaling), which covers the bundled
Qwen2.5 models; `support_error(config)` says why another model cannot use this path. `pack(config,
state)` turns a state dict into the tensors of the int4 cache (q/k/v and gate/up fused, embeddings in
bf16, norms and biases in fp32); `build(config, tensors)` makes the `Decoder` from them. `dense(config,
state)` builds the fp32 reference decoder (the same forward, ordinary matmuls) for checks.
"""
from __future__ import annotations

from pathlib import Path

from hybrid.lm.cpu.decoder import Decoder, Layer, Shape
from hybrid.lm.cpu import int4

SUPPORTED_TYPES = ("qwen2", "llama")
TENSORS_FILE = "int4.safetensors"


def _get(config, key, default=None):
    return config.get(key, default) if isinstance(config, dict) else getattr(config, key, default)


def _rope(config) -> tuple[str, float]:
    params = _get(config, "rope_parameters") or _get(config, "rope_scaling") or {}
    kind = params.get("rope_type") or params.get("type") or "default"
    theta = params.get("rope_theta") or _get(config, "rope_theta") or 10000.0
    return kind, float(theta)


def support_error(config) -> str | None:
    """None when this model can run on the CPU path, else the reason it cannot."""
    kind = _get(config, "model_type")
    if kind not in SUPPORTED_TYPES:
        return f"model_type {kind!r} is not one of {', '.join(SUPPORTED_TYPES)}"
    if _rope(config)[0] != "default":
        return f"RoPE scaling {_rope(config)[0]!r} is not supported"
    if _get(config, "use_sliding_window"):
        return "sliding-window attention is not supported"
    if _get(config, "hidden_act", "silu") != "silu":
        return f"activation {_get(config, 'hidden_act')!r} is not supported"
    if _get(config, "hidden_size") % int4.GROUP or _get(config, "intermediate_size") % int4.GROUP:
        return f"layer widths must be multiples of {int4.GROUP}"
    return None


def shape_of(config) -> Shape:
    hidden, heads = _get(config, "hidden_size"), _get(config, "num_attention_heads")
    return Shape(hidden=hidden, heads=heads, kv_heads=_get(config, "num_key_value_heads") or heads,
                 head_dim=_get(config, "head_dim") or hidden // heads, layers=_get(config, "num_hidden_layers"),
                 vocab=_get(config, "vocab_size"), eps=float(_get(config, "rms_norm_eps")),
                 rope_theta=_rope(config)[1])


def _fused(state, prefix: str, names: tuple[str, ...]):
    import torch

    weight = torch.cat([state[f"{prefix}.{n}.weight"] for n in names], dim=0)
    biases = [state.get(f"{prefix}.{n}.bias") for n in names]
    bias = torch.cat(biases, dim=0) if all(b is not None for b in biases) else None
    return weight, bias


def _linears(config, state):
    """(name, weight, bias) for every matmul of the model, q/k/v and gate/up fused."""
    for i in range(_get(config, "num_hidden_layers")):
        p = f"model.layers.{i}"
        yield (f"layers.{i}.qkv", *_fused(state, f"{p}.self_attn", ("q_proj", "k_proj", "v_proj")))
        yield (f"layers.{i}.o", *_fused(state, f"{p}.self_attn", ("o_proj",)))
        yield (f"layers.{i}.gate_up", *_fused(state, f"{p}.mlp", ("gate_proj", "up_proj")))
        yield (f"layers.{i}.down", *_fused(state, f"{p}.mlp", ("down_proj",)))
    head = state.get("lm_head.weight")
    yield ("head", head if head is not None else state["model.embed_tokens.weight"], None)


def _plain(config, state) -> dict:
    import torch

    out = {"embed": state["model.embed_tokens.weight"].to(torch.bfloat16).contiguous(),
           "norm": state["model.norm.weight"].float().contiguous()}
    for i in range(_get(config, "num_hidden_layers")):
        for name in ("input_layernorm", "post_attention_layernorm"):
            out[f"layers.{i}.{name}"] = state[f"model.layers.{i}.{name}.weight"].float().contiguous()
    return out


# Precisions: how many int4 levels each matmul gets (a second level stores the first one's error).
# levels per kind of matmul: attention (q/k/v and o), MLP (gate/up and down), the output head
PRECISIONS = {"int4": (1, 1, 1), "int4-head8": (1, 1, 2), "int4-attn8": (2, 1, 2), "int4-mlp8": (1, 2, 1),
              "int8x2": (2, 2, 2)}


def _levels(precision: str, name: str) -> int:
    attention, mlp, head = PRECISIONS[precision]
    if name == "head":
        return head
    return attention if name.endswith((".qkv", ".o")) else mlp


def pack(config, state, precision: str = "int4", log=None) -> dict:
    """The int4 cache's tensors for a transformers state dict (see the module docstring)."""
    out = _plain(config, state)
    for name, weight, bias in _linears(config, state):
        for part, tensor in int4.quantize(weight, _levels(precision, name)).items():
            out[f"{name}.{part}"] = tensor
        if bias is not None:
            out[f"{name}.bias"] = bias.float().contiguous()
    if log:
        log(f"quantized {sum(1 for _ in _linears(config, state))} matmuls to int4")
    return out


def _layers(config, tensors, linear):
    return [Layer(input_norm=tensors[f"layers.{i}.input_layernorm"], qkv=linear(f"layers.{i}.qkv"),
                  o=linear(f"layers.{i}.o"), post_norm=tensors[f"layers.{i}.post_attention_layernorm"],
                  gate_up=linear(f"layers.{i}.gate_up"), down=linear(f"layers.{i}.down"))
            for i in range(_get(config, "num_hidden_layers"))]


def build(config, tensors: dict) -> Decoder:
    """The int4 decoder from the cache's tensors (each matmul's tensors are freed once packed)."""
    def linear(name):
        parts = {part: tensors.pop(f"{name}.{part}") for part in ("codes", "scales", "lows",
                                                                   "codes2", "scales2", "lows2")
                 if f"{name}.{part}" in tensors}
        return int4.Int4Linear(parts, tensors.pop(f"{name}.bias", None))

    layers = _layers(config, tensors, linear)
    return Decoder(shape_of(config), tensors["embed"], layers, tensors["norm"], linear("head"))


def dense(config, state) -> Decoder:
    """The fp32 reference decoder (same forward, ordinary matmuls) from a transformers state dict."""
    plain = _plain(config, state)
    plain["embed"] = state["model.embed_tokens.weight"].float()
    linears = {name: int4.DenseLinear(w, b) for name, w, b in _linears(config, state)}
    return Decoder(shape_of(config), plain["embed"], _layers(config, plain, linears.__getitem__),
                   plain["norm"], linears["head"])


def save(directory: Path, tensors: dict) -> None:
    from safetensors.torch import save_file

    save_file(tensors, str(Path(directory) / TENSORS_FILE))


class LazyTensors:
    """The cache file's tensors, each read from the file when taken, with plain reads rather than the
    safetensors library's memory map (whose touched pages would count twice in the load's peak RSS).
    The file is what `save` (safetensors' own writer) wrote: an 8-byte header size, a JSON header of
    dtype, shape and byte offsets, then the data."""

    DTYPES = {"U8": "uint8", "I32": "int32", "F32": "float32", "BF16": "bfloat16", "F16": "float16"}

    def __init__(self, path: Path):
        import json
        import struct

        self._path = Path(path)
        with open(self._path, "rb") as handle:
            size = struct.unpack("<Q", handle.read(8))[0]
            header = json.loads(handle.read(size))
        header.pop("__metadata__", None)
        self._base = 8 + size
        self._entries = header

    def __contains__(self, name) -> bool:
        return name in self._entries

    def __getitem__(self, name):
        import torch

        entry = self._entries[name]
        start, end = entry["data_offsets"]
        tensor = torch.empty(entry["shape"], dtype=getattr(torch, self.DTYPES[entry["dtype"]]))
        if end > start:
            with open(self._path, "rb") as handle:
                handle.seek(self._base + start)
                handle.readinto(memoryview(tensor.view(torch.uint8).reshape(-1).numpy()))
        return tensor

    def pop(self, name, *default):
        if name not in self._entries:
            if default:
                return default[0]
            raise KeyError(name)
        tensor = self[name]
        del self._entries[name]
        return tensor


def load(directory: Path) -> LazyTensors:
    return LazyTensors(Path(directory) / TENSORS_FILE)
