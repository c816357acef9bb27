"""User-facing errors of the LM layer.

Each message is one line that says what is wrong and, where a command fixes it, names that command.
"""
from __future__ import annotations


class ModelError(RuntimeError):
    """A model cannot be loaded or used (missing extra, corrupt chunk, unreachable server...)."""


class ModelNotFoundError(ModelError, ValueError):
    """A model name is neither a registered alias, a local directory, nor a Hugging Face id."""


def load_error(model: str, exc: BaseException) -> ModelError:
    """The error to raise when loading `model` (a directory or a hub id) failed with `exc`."""
    import os

    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if os.path.isdir(model):
        return ModelError(f"cannot load a model from directory {model}: {first}")
    return ModelNotFoundError(
        f"cannot load model {model!r} from the Hugging Face hub or cache ({first}); "
        "check the id, or go online (unset HF_HUB_OFFLINE) for the first download"
    )
