"""Shared helpers for graph tests: fenced replies and an engine over the scripted LM double."""
from __future__ import annotations

import pytest

from hybrid.lm.scripted import ScriptedLM

from graph_support import SAM, fenced  # noqa: F401  (re-exported for tests)


@pytest.fixture
def engine_for():
    """engine_for(replies or respond, **options) -> (Engine, ScriptedLM)."""
    from hybrid import Engine

    def make(replies=(), respond=None, **options):
        lm = ScriptedLM(replies, respond=respond)
        return Engine(lm, **options), lm

    return make
