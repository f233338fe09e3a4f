"""Where local kernels keep their files, and how they talk: IPC sockets in a folder per process.

Kernels started by the engine use jupyter_client's ``ipc`` transport (Unix domain sockets)
instead of TCP: nothing listens on a network port, and ipykernel does not log its "Kernel is
running over TCP without encryption" warning at every start. The connection file and the
sockets live in ``<tempdir>/analysis-kernels-<uid>/<pid of the starting process>/``; a process that
is killed (``kill -9``) leaves that folder behind, and :func:`clean_stale_kernel_dirs` removes
the folders of processes that no longer run at the start of the next batch.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager

KERNELS_DIR_NAME = "analysis-kernels"


def kernels_root() -> Path:
    """``<tempdir>/analysis-kernels-<uid>``: one sub-folder per process that starts kernels."""
    return Path(tempfile.gettempdir()) / f"{KERNELS_DIR_NAME}-{os.getuid()}"


def kernel_dir() -> Path:
    """This process's folder for kernel connection files and sockets (created, mode 700)."""
    path = kernels_root() / str(os.getpid())
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists (owned by anyone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_kernel_dirs() -> list[Path]:
    """Remove the kernel folders of processes that are gone; returns what was removed."""
    root = kernels_root()
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for path in root.iterdir():
        if not path.name.isdigit() or pid_alive(int(path.name)):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def remove_own_kernel_dir() -> None:
    """Remove this process's kernel folder when it is empty (kernels clean up their files)."""
    with contextlib.suppress(OSError):
        (kernels_root() / str(os.getpid())).rmdir()


class IPCKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` on the ``ipc`` transport, with its files in :func:`kernel_dir`.

    Also usable as nbclient's ``kernel_manager_class`` (papermill passes it through).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("transport", "ipc")
        # short names: a Unix socket path may not exceed ~104 bytes
        kwargs.setdefault("connection_file", str(kernel_dir() / f"k-{uuid.uuid4().hex[:12]}.json"))
        super().__init__(**kwargs)
