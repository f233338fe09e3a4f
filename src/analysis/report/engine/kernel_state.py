"""Kernel-side state of a warm kernel: preload and snapshot after start, reset before a report.

This module runs **inside** the kernel (``from analysis.report.engine import kernel_state``);
:class:`~analysis.report.engine.warm.WarmKernel` calls :func:`setup` once after start and
:func:`reset` before every report. The reset restores what a fresh kernel would have: the user
namespace (``%reset -f`` plus the dunder names of a fresh ``__main__``), execution counter 1,
no open figures, matplotlib rcParams, pandas options, numpy print/error options, warnings
filters and registries, ``os.environ``, ``sys.path``, locale, IPython's float precision and
inline-figure formats, the working directory, and freshly seeded ``random``/``numpy.random``.

Private internals of other libraries are used at exactly three seams, each with a fallback:
:func:`pandas_option_keys`, :func:`invalidate_warning_caches` and :func:`clear_inline_show`.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import functools
import gc
import importlib
import locale
import os
import random
import sys
import time
import warnings
from collections.abc import Iterable
from typing import Any

#: generation thresholds while reports run: report code allocates millions of short-lived
#: objects (pandas, matplotlib); with the default first threshold (700) the collector runs
#: thousands of times per report. Garbage collection never changes a report's output.
GC_THRESHOLD = (20_000, 20, 20)
#: every this many resets, frozen objects are unfrozen and collected once: caches that report
#: code evicted (figures are full of reference cycles) are otherwise never freed
FULL_GC_EVERY = 16

_snap: dict[str, Any] = {}


def _ip():
    from IPython import get_ipython

    return get_ipython()


# --------------------------------------------------------------------------- seams


def pandas_option_keys(pd: Any) -> list[str]:
    """Every registered, non-deprecated pandas option name.

    Seam: pandas has no public list of its options; ``pandas._config.config`` keeps them in
    ``_registered_options``. Fallback: walk the public ``pd.options`` tree.
    """
    try:
        from pandas._config import config as cfg

        return [k for k in cfg._registered_options if k not in cfg._deprecated_options]
    except (ImportError, AttributeError):
        return _walk_options(pd.options, "")


def _walk_options(node: Any, prefix: str) -> list[str]:
    keys: list[str] = []
    for name in dir(node):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # reading a deprecated option warns
            child = getattr(node, name)
        key = f"{prefix}{name}"
        if type(child).__name__ == "DictWrapper":
            keys += _walk_options(child, key + ".")
        else:
            keys.append(key)
    return keys


def invalidate_warning_caches() -> None:
    """Tell ``warnings`` that ``warnings.filters`` was replaced, and forget shown warnings.

    Seam: assigning ``warnings.filters[:]`` does not bump the filters version that
    invalidates the per-module "already warned" caches; only the private
    ``warnings._filters_mutated`` does. Fallback: adding and removing a filter through the
    public API bumps it too. The registries themselves are cleared either way.
    """
    mutated = getattr(warnings, "_filters_mutated", None)
    if callable(mutated):
        mutated()
    else:
        warnings.filterwarnings("ignore", message="analysis-kernel-reset", append=True)
        warnings.filters.pop()
    warnings.onceregistry.clear()
    for mod in list(sys.modules.values()):
        reg = getattr(mod, "__warningregistry__", None)
        if isinstance(reg, dict):
            reg.clear()


def clear_inline_show() -> None:
    """Forget figures the inline backend still meant to show after the last cell.

    Seam: ``matplotlib_inline.backend_inline.show`` keeps them in the private attributes
    ``_to_draw`` / ``_draw_called``; without them (another version) there is nothing to clear.
    """
    bi = sys.modules.get("matplotlib_inline.backend_inline")
    show = getattr(bi, "show", None)
    if show is not None and hasattr(show, "_to_draw"):
        show._to_draw = []
        show._draw_called = False


# --------------------------------------------------------------------------- memory
# Freed memory stays with the allocator that freed it: Arrow's pool (mimalloc or jemalloc,
# which holds the text columns of the processed layer while they are read) and glibc's
# ``malloc`` (pandas and numpy temporaries); both keep it for reuse, so a process that once
# read the processed layer keeps that much resident, and a batch's peak is summed RSS.


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, looked up in the C library the interpreter already loaded
    (None elsewhere: macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    with contextlib.suppress(OSError, AttributeError):
        return ctypes.CDLL(None).malloc_trim
    return None


def release_memory() -> None:
    """Give memory the process freed back to the operating system: the unused memory of
    Arrow's pool (when pyarrow is loaded) and of ``malloc``. Called after a kernel's setup,
    with its periodic full collection, and by a batch driver after planning; it never changes
    what a process computes."""
    pa = sys.modules.get("pyarrow")
    if pa is not None:
        with contextlib.suppress(Exception):
            pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


# --------------------------------------------------------------------------- snapshot


def _pd_options(pd: Any) -> dict[str, Any]:
    out = {}
    for key in pandas_option_keys(pd):
        with contextlib.suppress(Exception):
            out[key] = copy.deepcopy(pd.get_option(key))
    return out


def _inline_backend():
    if "matplotlib_inline.backend_inline" not in sys.modules:
        return None
    from matplotlib_inline.config import InlineBackend

    return InlineBackend.instance()


def setup(preload: Iterable[str]) -> None:
    """Preload modules, activate the inline backend, snapshot the fresh state."""
    _snap["ns"] = dict(_ip().user_ns)
    for name in preload:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    if "matplotlib.pyplot" in sys.modules:
        plt = sys.modules["matplotlib.pyplot"]
        plt.figure()
        plt.close("all")
    _snapshot()
    # objects alive now (the preloaded libraries) are never garbage: keep them out of the
    # full collections that %reset runs, which would otherwise scan them on every report
    gc.collect()
    release_memory()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def _snapshot_libraries() -> None:
    if "matplotlib" in sys.modules:
        mpl = sys.modules["matplotlib"]
        _snap["rc"] = {k: copy.deepcopy(v) for k, v in dict.items(mpl.rcParams)}
    if "pandas" in sys.modules:
        _snap["pd"] = _pd_options(sys.modules["pandas"])
    if "numpy" in sys.modules:
        np = sys.modules["numpy"]
        _snap["np_print"] = np.get_printoptions()
        _snap["np_err"] = np.geterr()
    ib = _inline_backend()
    if ib is not None:
        _snap["inline"] = (
            set(ib.figure_formats),
            dict(ib.print_figure_kwargs),
            ib.close_figures,
            dict(ib.rc),
        )


def _snapshot() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _snapshot_libraries()
    _snap["filters"] = list(warnings.filters)
    _snap["env"] = dict(os.environ)
    _snap["path"] = list(sys.path)
    with contextlib.suppress(Exception):
        _snap["locale"] = locale.setlocale(locale.LC_ALL)
    fmt = _ip().display_formatter.formatters.get("text/plain")
    _snap["precision"] = getattr(fmt, "float_precision", "")


# --------------------------------------------------------------------------- reset


def _reset_namespace() -> None:
    ip = _ip()
    ip.run_line_magic("reset", "-f")
    ns = ip.user_ns
    for key, value in _snap["ns"].items():
        if key not in ns:
            ns[key] = value
    ip.execution_count = 1


def _reset_matplotlib_pandas_numpy() -> None:
    if "rc" in _snap:
        mpl = sys.modules["matplotlib"]
        changed = {
            k: v
            for k, v in _snap["rc"].items()
            if k != "backend" and dict.get(mpl.rcParams, k) != v
        }
        if changed:
            mpl.rcParams.update(changed)
    if "pd" in _snap:
        pd = sys.modules["pandas"]
        for key, value in _snap["pd"].items():
            with contextlib.suppress(Exception):
                if pd.get_option(key) != value:
                    pd.set_option(key, value)
    if "np_print" in _snap:
        np = sys.modules["numpy"]
        np.set_printoptions(**_snap["np_print"])
        np.seterr(**_snap["np_err"])


def _reset_display() -> None:
    ip = _ip()
    ib = _inline_backend()
    if ib is not None and "inline" in _snap:
        formats, kwargs, close, rc = _snap["inline"]
        if (set(ib.figure_formats), dict(ib.print_figure_kwargs)) != (formats, kwargs):
            ib.figure_formats = set(formats)
            ib.print_figure_kwargs = dict(kwargs)
            from matplotlib_inline.backend_inline import select_figure_formats

            select_figure_formats(ip, formats, **kwargs)
        ib.close_figures = close
        ib.rc = dict(rc)
    clear_inline_show()
    fmt = ip.display_formatter.formatters.get("text/plain")
    if fmt is not None and fmt.float_precision != _snap["precision"]:
        fmt.float_precision = _snap["precision"]


def _reset_process(cwd: str) -> None:
    env = _snap["env"]
    for key in [k for k in os.environ if k not in env]:
        del os.environ[key]
    for key, value in env.items():
        if os.environ.get(key) != value:
            os.environ[key] = value
    time.tzset()
    sys.path[:] = _snap["path"]
    if "locale" in _snap:
        with contextlib.suppress(Exception):
            locale.setlocale(locale.LC_ALL, _snap["locale"])
    os.chdir(cwd)
    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()


def reset(cwd: str) -> None:
    """Bring the kernel back to its post-start state before the next report."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
        _reset_namespace()
        _reset_matplotlib_pandas_numpy()
        _reset_display()
        _reset_process(cwd)
    warnings.filters[:] = _snap["filters"]
    invalidate_warning_caches()
    # %reset collected the previous report's garbage after clearing the namespace; what is
    # still alive are module-level caches (data, boundaries, map bases) kept for the next
    # reports: move them out of the collector's way, as setup() did with the libraries
    _snap["resets"] = _snap.get("resets", 0) + 1
    if _snap["resets"] % FULL_GC_EVERY == 0:
        gc.unfreeze()
        gc.collect()
        release_memory()
    gc.freeze()
