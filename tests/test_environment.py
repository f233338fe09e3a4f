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


def _lock() -> dict[str, tuple[str, list[str]]]:
    """requirements.lock as ``{name: (version, [hashes])}``."""
    text = (project_root() / "requirements.lock").read_text()
    out: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        m = re.match(r"([A-Za-z0-9_.\-]+)==([^\s;\\]+)", block)
        if m:
            name = m.group(1).lower().replace("_", "-")
            out[name] = (m.group(2), re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return out


def test_lock_pins_every_declared_dependency_within_its_constraint() -> None:
    from packaging.requirements import Requirement

    lock = _lock()
    data = tomllib.loads((project_root() / "pyproject.toml").read_text())
    reqs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["dev"]
    problems = []
    for r in map(Requirement, reqs):
        name = r.name.lower().replace("_", "-")
        if name not in lock:
            problems.append(f"{name}: not in requirements.lock")
        elif not r.specifier.contains(lock[name][0], prereleases=True):
            problems.append(f"{name}: lock has {lock[name][0]}, pyproject wants {r.specifier}")
    assert problems == [], "run `make lock`: " + "; ".join(problems)


def test_lock_has_hashes_and_no_dropped_packages() -> None:
    lock = _lock()
    assert len(lock) > 50  # the whole tree, not only the direct dependencies
    assert [n for n, (_, hashes) in lock.items() if not hashes] == []
    assert "seaborn" not in lock and "seaborn" not in _conda()  # dropped: nothing draws with it


def test_make_setup_installs_from_the_lock() -> None:
    makefile = (project_root() / "Makefile").read_text()
    setup = makefile.split("\nsetup:", 1)[1].split("\n\n", 1)[0]
    assert "--require-hashes -r requirements.lock" in setup
    assert "install -e . --no-deps" in setup


def test_package_data_patterns_match_files() -> None:
    data = tomllib.loads((project_root() / "pyproject.toml").read_text())
    pkg = project_root() / "src" / "analysis"
    for pattern in data["tool"]["setuptools"]["package-data"]["analysis"]:
        assert any(p.is_file() for p in pkg.glob(pattern)), f"{pattern} matches nothing"
