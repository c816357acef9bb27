"""Where and how a local model runs: the CPU, torch threads, device, dtype, and dynamic int8 quantization.

Used by `hybrid.lm.transformers_lm.TransformersLM` and `benchmarks/bench_lm.py`. torch is imported inside
each function, so importing this module is cheap.
"""
from __future__ import annotations

import os

from hybrid.lm.errors import ModelError


def cpu_threads() -> int:
    """Threads for torch on CPU: $HYBRID_NUM_THREADS, else the CPUs this process may run on."""
    env = os.environ.get("HYBRID_NUM_THREADS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


VECTOR_FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8", "asimd", "sve")


def cpu_description(cpuinfo: str = "/proc/cpuinfo") -> str:
    """The CPU's model name and the vector extensions that decide which kernels run ("AMD EPYC, avx2"),
    read from /proc/cpuinfo; "unknown CPU" where that cannot be read. Speed figures carry it."""
    model, flags = "", set()
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as info:
            for line in info:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "model name" and not model:
                    model = value.strip()
                elif key in ("flags", "Features"):
                    flags |= set(value.split())
    except OSError:
        pass
    found = [f for f in VECTOR_FLAGS if f in flags]
    return ", ".join([model or "unknown CPU", *found])


def pick_device(device: str | None) -> str:
    """`device` if given, else cuda, mps or cpu, whichever this machine has first."""
    import torch

    if device:
        return device
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def pick_dtype(device: str, dtype):
    """`dtype` (a torch dtype or its name), else bf16/fp16 on a GPU, fp16 on mps, fp32 on CPU."""
    import torch

    if dtype is None:
        if device.startswith("cuda"):
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return torch.float16 if device == "mps" else torch.float32
    if isinstance(dtype, str):
        value = getattr(torch, dtype.replace("torch.", ""), None)
        if not isinstance(value, torch.dtype):
            raise ModelError(f"unknown dtype {dtype!r}; use float32, bfloat16 or float16")
        return value
    return dtype


QUANTIZE_MODES = ("int8", "int8-pc", "int8-nohead")


def quantize_int8(model, mode: str = "int8"):
    """Dynamic int8 quantization of the nn.Linear layers (CPU only), in place; returns the model.

    int8: every Linear, per-tensor weight scales (fastest). int8-pc: per-channel weight scales.
    int8-nohead: every Linear but the output head, which stays in float.
    """
    import gc
    import warnings

    import torch
    from torch.ao.quantization import default_dynamic_qconfig, per_channel_dynamic_qconfig, quantize_dynamic

    qconfig = per_channel_dynamic_qconfig if mode == "int8-pc" else default_dynamic_qconfig
    if mode == "int8-nohead":
        head = model.get_output_embeddings()
        spec = {name: qconfig for name, module in model.named_modules()
                if isinstance(module, torch.nn.Linear) and module is not head}
    else:
        spec = {torch.nn.Linear: qconfig}
    with warnings.catch_warnings():  # torch deprecates the quantized tensor types; they still work
        warnings.simplefilter("ignore")
        model = quantize_dynamic(model, spec, dtype=torch.qint8, inplace=True)
    gc.collect()  # drop the float Linear weights now
    return model
