"""User-facing errors of the LM layer.

Each message is one line that says what is wrong and, where a command fixes it, names that command.
"""
from __future__ import annotations


class ModelError(RuntimeError):
    """A model cannot be loaded or used (missing extra, corrupt chunk, unreachable server...)."""


class ModelNotFoundError(ModelError, ValueError):
    """A model name is neither a registered alias, a local directory, nor a Hugging Face id."""
