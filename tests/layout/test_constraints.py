"""constraints.txt, the pinned versions tested here, against pyproject.toml's ranges and this environment.

Every dependency of the package and of its `model` and `dev` extras is pinned to one exact version that its
range admits; README's set-up command and .ci/run install with the file; and what is installed here is
what the file pins (a venv made without it fails here, naming the packages that drifted).
"""
from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
INSTALLED_EXTRAS = ("model", "dev")  # what README and .ci/run install


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)", line)
            assert match, f"not an exact pin: {line!r}"
            found[canonicalize_name(match[1])] = match[2]
    return found


def requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = list(project["dependencies"])
    for extra in INSTALLED_EXTRAS:
        listed += project["optional-dependencies"][extra]
    return [Requirement(text) for text in listed]


def test_every_dependency_is_pinned_within_its_range():
    pinned = pins()
    problems = []
    for req in requirements():
        name = canonicalize_name(req.name)
        if name not in pinned:
            problems.append(f"{req.name} is not in constraints.txt")
        elif not req.specifier.contains(Version(pinned[name]), prereleases=True):
            problems.append(f"{req.name}=={pinned[name]} is outside {req.specifier}")
    assert problems == []


def test_the_set_up_commands_install_with_the_pinned_file():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -c constraints.txt torch==2.13.0 && pip install -c constraints.txt -e '.[model,dev]'" in readme
    assert "-c constraints.txt torch==2.13.0" in ci and "-c constraints.txt -e '.[model,dev]'" in ci


def test_what_is_installed_here_is_what_the_file_pins():
    pinned = pins()
    drifted = []
    for req in requirements():
        name = canonicalize_name(req.name)
        try:
            have = Version(version(req.name))
        except PackageNotFoundError:
            continue  # an extra not installed here (the check above still holds its pin)
        if Version(have.public) != Version(pinned[name]):
            drifted.append(f"{req.name} {have} (pinned {pinned[name]})")
    assert drifted == [], ("reinstall with: pip install -c constraints.txt -e '.[model,dev]'", drifted)
