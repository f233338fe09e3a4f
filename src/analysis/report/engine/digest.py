"""Content digests of files and of the ``analysis`` package sources (standard library only,
so a thin command can compute them without importing the report stack)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any


def sha_file(path: Path, digest: Any) -> None:
    """Feed the bytes of ``path`` to ``digest`` in 1 MB blocks."""
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)


def package_digest() -> str:
    """sha256 over the source files (code, templates) of the ``analysis`` package."""
    import analysis

    root = Path(analysis.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"}:
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        sha_file(path, digest)
        digest.update(b"\0")
    return digest.hexdigest()
