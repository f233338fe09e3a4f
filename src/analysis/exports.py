"""Lazily loaded public names of a package (PEP 562).

A package declares where each public name lives; the module holding it is imported on first
use, so importing the package (e.g. by the command line, or by a kernel that needs one
submodule) does not import everything behind it::

    _EXPORTS = {"check": ("check_all", "schema"), "publish": ("load",)}
    __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, __all__)
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, Iterable[str]], public: Iterable[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level ``__getattr__`` and ``__dir__`` of ``package``: ``exports`` maps each
    submodule (relative name) to the public names it defines; a loaded name is kept in the
    package's namespace."""
    where = {name: module for module, names in exports.items() for name in names}
    public = tuple(public)

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(public))

    return __getattr__, __dir__
