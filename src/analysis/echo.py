"""Bad input echoed in error messages, at most :data:`LIMIT` characters of it.

A 100 000-character ``--gemeente`` must not become a 100 KB error line: messages show the
start of the value and its length, e.g. ``'aaaa…' (100000 tekens)``. ``repr`` keeps control
characters (newlines, terminal escapes) visible instead of acting on the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["LIMIT", "echo", "shorten_in"]

#: characters of a bad value shown in an error message
LIMIT = 80


def echo(value: object, limit: int = LIMIT) -> str:
    """``repr(value)``, cut to ``limit`` characters of the value with its length after it."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return repr(value)
    return f"{text[:limit]!r}… ({len(text)} tekens)"


def shorten_in(message: str, values: Iterable[str], limit: int = LIMIT) -> str:
    """``message`` with every long ``value`` in it (plain or as ``repr``) echoed by :func:`echo`."""
    for value in sorted({v for v in values if len(v) > limit}, key=len, reverse=True):
        short = echo(value, limit)
        message = message.replace(repr(value), short).replace(value, short)
    return message
