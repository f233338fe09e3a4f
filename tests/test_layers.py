"""Layers run one way (import-linter contract in pyproject.toml) and production code never
reads the recorded test data."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from analysis.config import project_root, settings

ROOT = project_root()
SRC = ROOT / "src" / "analysis"

#: Words that mean "the shared test-data folder" in source code.
SHARED_MARKERS = re.compile(r"shared_data|ANALYSIS_SHARED_DATA|cbs_statline|\.\./shared|^shared$")
#: The same in names and attributes (a variable called ``shared`` is fine).
SHARED_NAMES = re.compile(r"(?i)shared_data")

#: TEMPORARY (issue 11, H3): population weights still read the KWB 2020 recording; H3 takes
#: them from the processed layer. A listed file that no longer offends fails the test below,
#: so this list cannot go stale.
KNOWN_OFFENDERS: frozenset[str] = frozenset()


def _lint_imports() -> subprocess.CompletedProcess:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [exe, "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_import_contracts_are_kept() -> None:
    result = _lint_imports()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_contract_places_every_top_level_module() -> None:
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in conf["contracts"] if c["type"] == "layers")
    assert layers.get("exhaustive") is True and layers["containers"] == ["analysis"]
    declared = {m.strip() for layer in layers["layers"] for m in re.split(r"[|:]", layer)}
    present = {
        p.stem if p.is_file() else p.name
        for p in SRC.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }
    assert present == declared
    # the order the issue asks for: reports above indicators above store above build
    pos = {
        m.strip(): i for i, layer in enumerate(layers["layers"]) for m in re.split(r"[|:]", layer)
    }
    assert pos["report"] < pos["indicators"] < pos["store"] < pos["build"] < pos["cbs"]
    assert pos["build"] < pos["geo"] < pos["metadata"] and pos["registry"] < pos["metadata"]


def _code_words(text: str) -> list[str]:
    """Names, attributes and string literals of a module that point at the shared folder;
    docstrings and comments left out (a docstring may say where the real data was recorded)."""
    tree = ast.parse(text)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    words = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings and SHARED_MARKERS.search(node.value):
                words.append(node.value)
        elif isinstance(node, ast.Attribute) and SHARED_NAMES.search(node.attr):
            words.append(node.attr)
        elif isinstance(node, ast.Name) and SHARED_NAMES.search(node.id):
            words.append(node.id)
    return words


def _offenders() -> set[str]:
    return {
        p.relative_to(SRC).as_posix()
        for p in SRC.rglob("*.py")
        if _code_words(p.read_text(encoding="utf-8"))
    }


def test_src_never_reads_the_shared_test_data() -> None:
    new = _offenders() - KNOWN_OFFENDERS
    assert new == set(), (
        f"{sorted(new)} refer to the shared test-data folder; production code must read "
        "snapshots with provenance, never the test recordings"
    )


def test_known_offenders_still_offend() -> None:
    fixed = KNOWN_OFFENDERS - _offenders()
    assert fixed == set(), f"{sorted(fixed)} no longer read the shared folder: drop them above"


def test_settings_do_not_expose_the_shared_folder() -> None:
    assert not hasattr(settings(), "shared_data")
    assert "shared" not in {f.lower() for f in settings().__dataclass_fields__}


def test_marker_catches_a_shared_read() -> None:
    """The grep is not blind: the forms the old code used are caught."""
    for line in (
        'settings.shared_data / "cartomap"',
        'os.environ["ANALYSIS_SHARED_DATA"]',
        'root / "cbs_statline_bq" / "84799NED"',
        'Path("../shared/data")',
        'root.parent / "shared" / "data"',
    ):
        assert _code_words(line), line
    for harmless in ('"""From shared/data."""', "shared = a.boundary", "# shared_data"):
        assert _code_words(harmless) == [], harmless


def test_readme_module_table_lists_every_module_and_package() -> None:
    """Every module and package under ``src/analysis/`` (one level into packages) is named."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| module (`src/analysis/`) | owns |", 1)[1].split("\n\n", 1)[0]
    missing = []
    for p in sorted(SRC.iterdir()):
        if p.name.startswith("_") and p.name != "__main__.py":
            continue
        if p.suffix == ".py":
            if f"`{p.stem}`" not in table:
                missing.append(p.stem)
        elif (p / "__init__.py").is_file():
            if f"`{p.name}/`" not in table:
                missing.append(f"{p.name}/")
            missing += [
                f"{p.name}/{c.stem if c.suffix == '.py' else c.name}"
                for c in sorted(p.iterdir())
                if not c.name.startswith("_")
                and (c.suffix == ".py" or (c / "__init__.py").is_file())
                and f"`{c.stem}`" not in table
                and f"`{c.name}/`" not in table
            ]
    assert missing == [], f"add to the README module table: {', '.join(missing)}"
