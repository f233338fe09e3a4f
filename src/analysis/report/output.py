"""What chapters show: Markdown, HTML and figures, one notebook output per chapter call.

A chapter shows some thirty pieces: headings, paragraphs, tables and figures. As separate
outputs, each one costs a display message from the kernel (formatted, signed and sent, with
the kernel's output streams flushed first), a message for the notebook client to decode and
validate, and an output wrapper in the exported HTML. Inside :func:`bundled` (every chapter
function is wrapped in :func:`chapter`) the pieces are collected and shown as one HTML output
when the chapter ends, also when it fails halfway. Markdown is converted to HTML here, with
mistune and the plugins nbconvert uses for Markdown, so it reads the same in JupyterLab and in
the report. Outside a chapter every piece is displayed at once, as before.

Markdown carries names from data (gemeenten, regions, CBS titles), so raw HTML in it is
never passed on: it is escaped and shows as text (``escape=True``; harmful link protocols
such as ``javascript:`` are replaced by mistune). Markup belongs in :func:`html`, built with
escaped parts.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

__all__ = ["bundled", "chapter", "html", "markdown", "markdown_html"]

P = ParamSpec("P")
R = TypeVar("R")

_parts: list[str] | None = None


@functools.cache
def _markdown():
    import mistune

    # nbconvert's MarkdownWithMath without math (reports have none); raw HTML escaped
    return mistune.create_markdown(
        escape=True,
        plugins=["strikethrough", "table", "url", "task_lists", "def_list"],
    )


@functools.lru_cache(maxsize=4096)
def markdown_html(text: str) -> str:
    """Markdown as HTML (remembered: headings and explanations recur in every report)."""
    return str(_markdown()(text))


def html(markup: str) -> None:
    """Show raw HTML (collected inside :func:`bundled`)."""
    if _parts is not None:
        _parts.append(markup)
        return
    from IPython.display import HTML, display

    display(HTML(markup))


def markdown(text: str) -> None:
    """Show Markdown (as HTML inside :func:`bundled`, else as HTML converted the same way:
    a Markdown output would pass raw HTML on in JupyterLab and in the export)."""
    if _parts is not None:
        _parts.append(markdown_html(text))
        return
    from IPython.display import HTML, display

    display(HTML(markdown_html(text)))


@contextlib.contextmanager
def bundled() -> Iterator[None]:
    """Collect what is shown in the block and display it as one HTML output at its end."""
    global _parts
    if _parts is not None:  # nested: the outer block displays
        yield
        return
    _parts = []
    try:
        yield
    finally:
        parts, _parts = _parts, None
        if parts:
            from IPython.display import HTML, display

            display(HTML("\n".join(parts)))


def chapter(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator: the chapter function's output is one bundled HTML output."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with bundled():
            return func(*args, **kwargs)

    return wrapper
