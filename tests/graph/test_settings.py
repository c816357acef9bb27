"""One set of defaults: EngineSettings for the engine, BenchSettings for a bench run, built alike everywhere."""
from __future__ import annotations

import dataclasses

import pytest

from evals.settings import BenchSettings
from hybrid import Engine, EngineSettings
from hybrid.lm.scripted import ScriptedLM

from graph_support import SAM, fenced


@pytest.mark.parametrize("changes,message", [
    (dict(max_repairs=-1), "max_repairs must be >= 0"),
    (dict(batch_size=0, shots=-2), "shots must be >= 0; batch_size must be >= 1"),
    (dict(temperature=3.0), "temperature must be between 0 and 2"),
    (dict(timeout_s=0), "timeout_s must be between 0 and 3600 seconds"),
    (dict(max_new_tokens=1.5), "max_new_tokens must be >= 1"),
    (dict(samples=0), "samples must be >= 1"),
    (dict(sample_temperature=0.0), "sample_temperature must be above 0 and at most 2"),
    (dict(top_p=1.5), "top_p must be above 0 and at most 1"),
    (dict(min_confidence=-0.1), "min_confidence must be between 0 and 1"),
])
def test_bad_settings_are_refused_in_one_line(changes, message):
    with pytest.raises(ValueError) as caught:
        EngineSettings(**changes)
    assert str(caught.value) == message


def test_settings_are_frozen_and_budgets_are_capped():
    s = EngineSettings(max_new_tokens=200)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.shots = 2  # type: ignore[misc]
    assert (s.program_budget, s.reasoning_budget, s.budget("logic"), s.budget("math")) == (200, 200, 200, 200)
    assert EngineSettings().budget("math") == 250 and EngineSettings().budget("logic") == 400


def test_engine_keywords_override_its_settings_and_the_rest_goes_to_the_model():
    lm = ScriptedLM([fenced("answer = 200 - 4 * 15 - 3 * 25")])
    engine = Engine(lm, EngineSettings(shots=2), max_repairs=0)
    assert engine.settings == EngineSettings(shots=2, max_repairs=0)
    engine.solve(SAM)
    assert sum(m["role"] == "assistant" for m in lm.calls[0]["prompts"][0]) == 2
    with pytest.raises(TypeError, match="quantize need a model name"):
        Engine(lm, quantize="int8")
    with pytest.raises(ValueError, match="max_repairs must be >= 0"):
        Engine(lm, max_repairs=-1)


def test_the_engine_and_a_bench_run_share_one_default():
    assert BenchSettings().engine == EngineSettings() == Engine(ScriptedLM()).settings
    assert EngineSettings().shots == 8  # the exemplars every reference run used, for the CLI as for the bench


def test_bench_settings_route_engine_fields_to_the_engine():
    s = BenchSettings.of(dataset="prontoqa", limit=3, shots=4, seed=7, batch_size=2, systems=["cot", " hybrid", "cot"])
    assert s.engine == EngineSettings(shots=4, seed=7, batch_size=2)
    assert (s.dataset, s.limit, s.seed, s.batch_size, s.systems) == ("prontoqa", 3, 7, 2, ("cot", "hybrid"))
    assert s.with_engine(max_repairs=0).engine.max_repairs == 0 and s.engine.max_repairs == 2
    with pytest.raises(TypeError):
        BenchSettings.of(no_such_field=1)
    with pytest.raises(ValueError, match="offset and limit >= 0"):
        BenchSettings(limit=-1)


def test_a_resumed_run_may_change_only_the_batch_size_of_the_engine():
    a, b = EngineSettings(), EngineSettings(batch_size=4)
    assert a.behaviour() == b.behaviour() and "batch_size" not in a.behaviour()
    assert a.behaviour() != EngineSettings(stated_facts_only=False).behaviour()
