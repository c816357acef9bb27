"""The LM layer: one protocol, a registry of models, and the backends behind it.

`get_lm(name)` returns an LM (local transformers, bundled offline model, or an OpenAI-compatible server);
`list_models()` lists the registered aliases; `cpu_description()` names the CPU that speed figures are
made on. Importing this package loads neither torch nor transformers.
"""
from hybrid.lm.base import LM, Generation, Prompt
from hybrid.lm.errors import ModelError, ModelNotFoundError
from hybrid.lm.catalogue import BUNDLED, DEFAULT_MODEL
from hybrid.lm.registry import get_lm, list_models, resolve
from hybrid.lm.scripted import ScriptedLM
from hybrid.lm.torch_setup import cpu_description

__all__ = [
    "LM", "Generation", "Prompt", "ModelError", "ModelNotFoundError", "BUNDLED", "DEFAULT_MODEL",
    "get_lm", "list_models", "resolve", "ScriptedLM", "cpu_description", "TransformersLM", "OpenAICompatLM",
]


def __getattr__(name):  # lazy: the backends import heavy or optional modules only when used
    if name == "TransformersLM":
        from hybrid.lm.transformers_lm import TransformersLM

        return TransformersLM
    if name == "OpenAICompatLM":
        from hybrid.lm.openai_lm import OpenAICompatLM

        return OpenAICompatLM
    raise AttributeError(f"module 'hybrid.lm' has no attribute {name!r}")
