"""One run at a time per data folder: an advisory lock on ``<data_dir>/.lock``.

``data``, ``build`` and ``demo-data`` write snapshots and the processed layer; two of them on
the same folder would remove each other's downloads in progress or publish a mix. The lock is
an ``flock`` on a file holding the owner's pid, so it is released when the owner exits, also
after ``kill -9``. It is re-entrant within one process (``data`` holds it while it builds).
A second run waits up to ``ANALYSIS_LOCK_WAIT`` seconds (default 0) and then stops with a
message naming the folder and the process holding it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_FILE = ".lock"
_held: dict[str, tuple[int, int]] = {}  # resolved data dir -> (fd, depth)
_guard = threading.Lock()


class DataFolderBusy(RuntimeError):
    """Another process is writing the same data folder."""


def _wait_default() -> float:
    raw = os.environ.get("ANALYSIS_LOCK_WAIT", "0")
    try:
        return max(float(raw), 0.0)
    except ValueError:
        raise ValueError(
            f"ANALYSIS_LOCK_WAIT={raw!r} is not a number of seconds (e.g. 0 or 60)"
        ) from None


@contextlib.contextmanager
def data_lock(data_dir: Path, *, wait: float | None = None) -> Iterator[Path]:
    """Hold the lock of ``data_dir`` for the duration of the block (see the module docstring)."""
    data_dir = Path(data_dir).resolve()
    key = str(data_dir)
    with _guard:
        if key in _held:
            fd, depth = _held[key]
            _held[key] = (fd, depth + 1)
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield data_dir / LOCK_FILE
        finally:
            with _guard:
                fd, depth = _held[key]
                _held[key] = (fd, depth - 1)
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + (_wait_default() if wait is None else wait)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    owner = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
                    raise DataFolderBusy(
                        f"{data_dir} is in use by another run (pid {owner}); wait until it "
                        "has finished, or set ANALYSIS_LOCK_WAIT=<seconds> to wait for it"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    except BaseException:
        os.close(fd)
        raise
    with _guard:
        _held[key] = (fd, 1)
    try:
        yield path
    finally:
        with _guard:
            del _held[key]
        os.close(fd)  # releases the flock
