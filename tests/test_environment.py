"""environment.yml (conda) and pyproject.toml (pip) declare the same dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml

from analysis.config import project_root

#: pip name -> conda-forge name, where they differ
PIP_TO_CONDA: dict[str, str] = {}


def _split(req: str) -> tuple[str, str]:
    m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", req)
    assert m, f"cannot parse requirement {req!r}"
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def _pip() -> dict[str, str]:
    data = tomllib.loads((project_root() / "pyproject.toml").read_text())
    reqs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["dev"]
    out = {}
    for r in reqs:
        name, spec = _split(r)
        out[PIP_TO_CONDA.get(name, name)] = spec
    return out


def _conda() -> dict[str, str]:
    env = yaml.safe_load((project_root() / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        if not isinstance(dep, str):
            continue
        name, spec = _split(dep)
        if name in {"python", "pip"}:
            continue
        out[name] = spec
    return out


def test_same_packages_and_constraints() -> None:
    pip, conda = _pip(), _conda()
    assert sorted(set(pip) - set(conda)) == [], "in pyproject.toml but not environment.yml"
    assert sorted(set(conda) - set(pip)) == [], "in environment.yml but not pyproject.toml"
    differ = {k: (pip[k], conda[k]) for k in pip if pip[k] != conda[k]}
    assert differ == {}, f"version constraints differ (pip, conda): {differ}"


def test_python_version_agrees() -> None:
    env = yaml.safe_load((project_root() / "environment.yml").read_text())
    conda_py = next(
        d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python=")
    )
    data = tomllib.loads((project_root() / "pyproject.toml").read_text())
    assert conda_py == "python=3.11"
    assert data["project"]["requires-python"].startswith(">=3.11")
