"""The lock files (make lock) and the pre-commit hooks agree with pyproject.toml's pins: CI and
the image install from the locks, so a pin changed in pyproject.toml without `make lock` would
go untested and undeployed."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

BASE_DIR = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((BASE_DIR / "pyproject.toml").read_text(encoding="utf-8"))
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+) \\$", re.MULTILINE)


def _locked(name: str) -> dict[str, str]:
    text = (BASE_DIR / name).read_text(encoding="utf-8")
    return {canonicalize_name(package): version for package, version in PIN.findall(text)}


def _pins(requirements: list[str]) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in requirements:
        requirement = Requirement(line)
        [specifier] = requirement.specifier  # every direct dependency is pinned exactly
        assert specifier.operator == "==", line
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


PRODUCTION = _pins(PYPROJECT["project"]["dependencies"])
DEV = _pins(PYPROJECT["project"]["optional-dependencies"]["dev"])


@pytest.mark.parametrize(("package", "version"), sorted(PRODUCTION.items()))
def test_requirements_lock_pins_each_dependency_at_the_version_pyproject_names(
    package: str, version: str
) -> None:
    assert _locked("requirements.lock").get(package) == version, "run `make lock`"


@pytest.mark.parametrize(("package", "version"), sorted({**PRODUCTION, **DEV}.items()))
def test_requirements_dev_lock_pins_each_dependency_and_dev_tool_at_its_pyproject_version(
    package: str, version: str
) -> None:
    assert _locked("requirements-dev.lock").get(package) == version, "run `make lock`"


def test_the_dev_lock_installs_exactly_what_production_runs_on() -> None:
    production, dev = _locked("requirements.lock"), _locked("requirements-dev.lock")

    assert {package: dev.get(package) for package in production} == production


@pytest.mark.parametrize("name", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_version_carries_its_hashes(name: str) -> None:
    lines = (BASE_DIR / name).read_text(encoding="utf-8").splitlines()
    pinned = [n for n, line in enumerate(lines) if PIN.match(line + "\n")]

    assert len(pinned) == len(_locked(name)) > 10
    assert all(lines[n + 1].strip().startswith("--hash=sha256:") for n in pinned)


def test_the_pre_commit_hooks_run_the_tool_versions_pyproject_pins() -> None:
    config = yaml.safe_load((BASE_DIR / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    pins = _pins([dep for hook in hooks for dep in hook.get("additional_dependencies", [])])

    assert {hook["id"] for hook in hooks} >= {"ruff", "ruff-format", "django-upgrade"}
    assert pins == {package: DEV[package] for package in pins}
    assert set(pins) == {"ruff", "django-upgrade"}
