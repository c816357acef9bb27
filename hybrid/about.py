"""What this install runs on: the versions of hybrid and the libraries that decide its answers, and the model.

`versions()` reads installed distributions' metadata (nothing is imported, so it is fast and cannot fail
on a broken library); `model_line(name)` describes a model name without loading it: a bundled alias with
its GGUF, hash, whether its parts are installed and which of its converted caches exist. `hybrid --version`
prints these lines beside the solver sandbox's layers. Deliberately left out: a server's model, which only
the server can say (`GET /v1/models`).
"""
from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

from hybrid.lm.catalogue import BUNDLED, DEFAULT_MODEL

# (shown name, distribution name): what an answer depends on, in the order printed
LIBRARIES = (("torch", "torch"), ("transformers", "transformers"), ("langgraph", "langgraph"),
             ("sympy", "sympy"), ("z3", "z3-solver"), ("openai", "openai"))


def installed(distribution: str) -> str:
    """The installed version of a distribution, or "not installed"."""
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def versions() -> dict[str, str]:
    """{"hybrid": ..., "python": ..., "torch": ..., ...} for hybrid, Python and `LIBRARIES`."""
    found = {"hybrid": installed("hybrid"), "python": platform.python_version()}
    found.update({shown: installed(dist) for shown, dist in LIBRARIES})
    return found


def model_line(name: str = DEFAULT_MODEL) -> str:
    """One line about the model `name` (default: the default model) without loading it."""
    default = " (the default)" if name == DEFAULT_MODEL else ""
    model = BUNDLED.get(name)
    if model is None:
        return f"model: {name}{default}"
    from hybrid.lm.bundled import cache_dir_for, compact_dir_for, find_parts, is_cached, is_compact_cached

    _, missing = find_parts(model)
    parts = "parts installed" if not missing else f"parts missing ({model.install_command})"
    caches = []
    if is_compact_cached(model, model.cpu_precision):
        caches.append(f"CPU-path cache ({model.cpu_precision}) {compact_dir_for(model, model.cpu_precision)}")
    if is_cached(model):
        caches.append(f"fp32 cache {cache_dir_for(model)}")
    cache = ", ".join(caches) or "not converted yet"
    return (f"model: {name}{default} = {model.upstream} {model.gguf_file} sha256 {model.sha256[:12]}, "
            f"{parts}, {cache}")


def version_lines(model: str = DEFAULT_MODEL) -> list[str]:
    """The lines `hybrid --version` prints after its first (the sandbox line is the CLI's: it starts a worker)."""
    found = versions()
    libraries = " · ".join(f"{shown} {found[shown]}" for shown in ("python", *(s for s, _ in LIBRARIES)))
    from hybrid.lm.torch_setup import cpu_description, cpu_threads

    return [libraries, f"cpu: {cpu_description()}; {cpu_threads()} threads", model_line(model)]
