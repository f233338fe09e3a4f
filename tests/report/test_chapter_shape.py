"""The shape of the chapters: short entry functions, no oversized files.

Run as a script (``python tests/report/test_chapter_shape.py``) to print the longest chapter
entry functions and the longest files of ``report/chapters`` and ``report/figures``.

A built chapter that is still a single module (not yet a package with ``gegevens``,
``teksten``, ``tabellen``, ``figuren``) is skipped and listed: ``samenhang`` until its split
lands.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path

from analysis.report.chapters import catalogus

#: Longest allowed chapter entry function and file (lines, docstring included).
ENTRY_MAX = 60
FILE_MAX = 600
REPORT_DIR = Path(catalogus.__file__).resolve().parents[1]
CHECKED_DIRS = (REPORT_DIR / "chapters", REPORT_DIR / "figures")


def _module_of(dotted: str) -> str:
    return f"{catalogus.PACKAGE}.{dotted}".rpartition(".")[0]


def _not_yet_packages() -> set[str]:
    """Modules of built chapters that are not packages yet (skipped)."""
    out = set()
    for h in catalogus.CHAPTERS:
        if h.status != "built":
            continue
        for kind in catalogus.KINDS:
            name = _module_of(h.entry(kind))
            if not hasattr(importlib.import_module(name), "__path__"):
                out.add(name)
    return out


def entry_lengths() -> list[tuple[int, str]]:
    """(lines, dotted name) of every chapter entry function, longest first."""
    skip = _not_yet_packages()
    seen: dict[str, int] = {}
    for h in catalogus.CHAPTERS:
        for kind in catalogus.KINDS:
            dotted = h.entry(kind)
            if dotted in seen or _module_of(dotted) in skip:
                continue
            func = inspect.unwrap(catalogus.entry_function(dotted))
            if func.__name__ != dotted.rpartition(".")[2]:  # generated (planned chapters)
                func = inspect.unwrap(importlib.import_module(func.__module__).sectie)
            seen[dotted] = len(inspect.getsource(func).splitlines())
    for sectie in catalogus.REKENKAMER:  # the rekenkamer edition's sections
        func = inspect.unwrap(catalogus.entry_function(sectie.entry))
        seen[sectie.entry] = len(inspect.getsource(func).splitlines())
    return sorted(((n, d) for d, n in seen.items()), reverse=True)


def file_lengths() -> list[tuple[int, str]]:
    """(lines, path) of every Python file under the checked folders, longest first."""
    skip = {Path(importlib.import_module(m).__file__).resolve() for m in _not_yet_packages()}
    out = []
    for folder in CHECKED_DIRS:
        for path in folder.rglob("*.py"):
            if path.resolve() in skip:
                continue
            n = len(path.read_text(encoding="utf-8").splitlines())
            out.append((n, str(path.relative_to(REPORT_DIR))))
    return sorted(out, reverse=True)


def report(top: int = 8) -> str:
    lines = [f"longest chapter entry functions (max {ENTRY_MAX}):"]
    lines += [f"  {n:5d}  {d}" for n, d in entry_lengths()[:top]]
    lines.append(f"longest files in report/chapters and report/figures (max {FILE_MAX}):")
    lines += [f"  {n:5d}  {p}" for n, p in file_lengths()[:top]]
    skipped = sorted(_not_yet_packages())
    if skipped:
        lines.append(f"skipped (not yet a package): {', '.join(skipped)}")
    return "\n".join(lines)


def test_chapter_entry_functions_are_short():
    print(report())
    lengths = entry_lengths()
    assert any(d == "gebruik.gemeente" for _, d in lengths)  # the built chapters are measured
    assert any(d == "rekenkamer.doelen" for _, d in lengths)  # and the rekenkamer sections
    too_long = [(n, d) for n, d in lengths if n > ENTRY_MAX]
    assert not too_long, f"entry functions over {ENTRY_MAX} lines: {too_long}"


def test_no_oversized_file_in_chapters_or_figures():
    lengths = file_lengths()
    assert any(p.startswith("figures/") for _, p in lengths)
    too_long = [(n, p) for n, p in lengths if n > FILE_MAX]
    assert not too_long, f"files over {FILE_MAX} lines: {too_long}"


def test_an_oversized_file_would_be_caught(tmp_path, monkeypatch):
    """The measure is real: a file one line over the limit in a checked folder is reported."""
    folder = tmp_path / "chapters"
    folder.mkdir()
    (folder / "lang.py").write_text("x = 1\n" * (FILE_MAX + 1), encoding="utf-8")
    module = sys.modules[__name__]
    monkeypatch.setattr(module, "CHECKED_DIRS", (folder,))
    monkeypatch.setattr(module, "REPORT_DIR", tmp_path)
    assert [(n, p) for n, p in file_lengths() if n > FILE_MAX] == [
        (FILE_MAX + 1, "chapters/lang.py")
    ]


if __name__ == "__main__":
    print(report())
