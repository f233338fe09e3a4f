"""The report server: one warm process that renders single reports on demand in a few seconds.

A report rendered in a fresh process spends most of its time on what every report repeats:
importing the libraries, reading the processed layer, the data-set-wide chapter results and
the region-level figure bases. ``python -m analysis serve`` keeps all of that warm: one
process with a warm kernel (:class:`~analysis.report.engine.warm.WarmKernel`, the batch
engine's), listening on a Unix socket. ``python -m analysis report`` asks a running server
first and renders in its own process when there is none (or it does not answer); either way
the HTML is the same (test). The server renders one report at a time, validates the request
exactly as the command does (the same :func:`~analysis.report.jobs.report_command`), and
stops after ``--idle`` seconds without a request, on ``serve --stop``, or on SIGTERM.

Which server a command reaches is decided by the socket's name: a digest of the data and
report folders, the Python interpreter, the ``analysis`` package sources and the
``ANALYSIS_*``/``PYTHONPATH`` environment. Changed code or settings therefore never reach a
server started with the old ones (that one idles out). Sockets live in a private folder
(``$XDG_RUNTIME_DIR/jeugdzorg-analysis`` or ``<tmp>/jeugdzorg-analysis-<uid>``, mode 700,
owned by the user; anything else is refused).

``ANALYSIS_SERVER``: ``uit`` never uses or starts a server; ``aan`` starts one after a report
rendered without it and after a build of the data (``data``, ``build``, ``demo-data``); unset
(``auto``), a running server is used and one is started only for a command run in a terminal
outside CI. Standard library only at import: the command that
forwards a request must start fast.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from analysis.config import Settings
from analysis.validation import ParameterError, profile_settings

#: environment switch: uit | aan | auto (default)
ENV_SWITCH = "ANALYSIS_SERVER"
#: seconds without a request after which a server stops
DEFAULT_IDLE = 900
PROTOCOL = 1
#: seconds to wait for a connection and for a request line
CONNECT_TIMEOUT = 2.0
#: seconds a command waits for its report (a cell times out after 600 s in the server)
REPLY_TIMEOUT = 1800.0
_MAX_LINE = 1 << 24
#: the arguments a report request may carry (those of ``python -m analysis report``)
REQUEST_ARGS = frozenset(
    ("gemeente", "regio", "jaar", "indeling_jaar", "vergelijkingsgroep", "profiel", "editie")
)
_OFF = {"0", "uit", "off", "nee", "no", "false"}
_ON = {"1", "aan", "on", "ja", "yes", "true"}


class ServerUnavailable(RuntimeError):
    """No usable server (none running, unsafe socket folder, no Unix sockets here)."""


def mode() -> str:
    """``uit``, ``aan`` or ``auto`` from :data:`ENV_SWITCH`."""
    value = os.environ.get(ENV_SWITCH, "").strip().lower()
    return "uit" if value in _OFF else "aan" if value in _ON else "auto"


def _settings(profiel: str) -> Settings:
    try:
        return profile_settings(profiel)
    except ParameterError as exc:
        raise ServerUnavailable(str(exc)) from None


def runtime_dir() -> Path:
    """The private folder holding the sockets (created with mode 700; refused when it is a
    symlink, not the user's own, or open to others)."""
    if not hasattr(socket, "AF_UNIX"):
        raise ServerUnavailable("dit systeem heeft geen Unix-sockets")
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base and Path(base).is_dir():
        root = Path(base) / "jeugdzorg-analysis"
    else:
        root = Path(tempfile.gettempdir()) / f"jeugdzorg-analysis-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        root.mkdir(mode=0o700)
    st = os.lstat(root)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise ServerUnavailable(
            f"{root} is geen eigen map met rechten 700; de rekenserver wordt niet gebruikt"
        )
    return root


def identity(cfg: Settings) -> dict[str, Any]:
    """What a server's answers depend on besides the request (its socket name's input)."""
    from analysis.report.engine.digest import package_digest

    env = {
        k: v
        for k, v in os.environ.items()
        if (k.startswith("ANALYSIS_") and not k.startswith(ENV_SWITCH)) or k == "PYTHONPATH"
    }
    return {
        "protocol": PROTOCOL,
        "data_dir": str(Path(cfg.data_dir).resolve()),
        "reports_dir": str(Path(cfg.reports_dir).resolve()),
        "python": sys.executable,
        "package": package_digest(),
        "env": dict(sorted(env.items())),
    }


def address(cfg: Settings) -> Path:
    """The socket of the server for ``cfg`` in this environment."""
    name = hashlib.sha256(json.dumps(identity(cfg), sort_keys=True).encode()).hexdigest()[:24]
    path = runtime_dir() / f"{name}.sock"
    if len(os.fsencode(path)) > 100:  # sockaddr_un holds ~104 bytes
        raise ServerUnavailable(f"socketpad te lang: {path}")
    return path


def _exchange(path: Path, request: dict, timeout: float) -> dict:
    """Send one request line, read one reply line."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(CONNECT_TIMEOUT)
        sock.connect(str(path))
        sock.settimeout(timeout)
        sock.sendall(json.dumps(request).encode() + b"\n")
        with sock.makefile("rb") as fh:
            line = fh.readline(_MAX_LINE)
    if not line:
        raise ServerUnavailable("de rekenserver stopte zonder antwoord")
    reply = json.loads(line)
    if not isinstance(reply, dict) or reply.get("protocol") != PROTOCOL:
        raise ServerUnavailable("onbekend antwoord van de rekenserver")
    return reply


def _listening(path: Path) -> bool:
    """Whether a process accepts connections at ``path`` (a socket left by a killed server
    refuses them; it is replaced when the next server starts)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(CONNECT_TIMEOUT)
        try:
            sock.connect(str(path))
        except OSError:
            return False
    return True


def _running(profiel: str) -> Path | None:
    """The socket of a server for ``profiel`` when one may be listening (else None)."""
    if mode() == "uit":
        return None
    try:
        path = address(_settings(profiel))
    except ServerUnavailable:
        return None
    return path if path.exists() else None


def request_report(request: dict[str, Any]) -> int | None:
    """Have a running server render one report (``request``: the keyword arguments of
    :func:`~analysis.report.jobs.render_single`); prints its output and returns its exit
    code, or None when no server answered (the caller renders it itself)."""
    path = _running(str(request.get("profiel", "cbs")))
    if path is None:
        return None
    try:
        reply = _exchange(
            path, {"protocol": PROTOCOL, "cmd": "report", "args": request}, REPLY_TIMEOUT
        )
    except (OSError, ValueError, ServerUnavailable):
        return None  # stale socket, a server that died: render here (the output is the same)
    sys.stdout.write(reply.get("stdout", ""))
    sys.stderr.write(reply.get("stderr", ""))
    print(f"rekenserver: pid {reply.get('pid')}, {reply.get('seconds', 0):.2f} s")
    return int(reply.get("exit", 1))


def status(profiel: str) -> dict[str, Any] | None:
    """The running server's status for ``profiel`` (pid, reports rendered, idle limit), or None."""
    path = _running(profiel)
    if path is None:
        return None
    try:
        return _exchange(path, {"protocol": PROTOCOL, "cmd": "status"}, REPLY_TIMEOUT)
    except (OSError, ValueError, ServerUnavailable):
        return None


def stop(profiel: str) -> bool:
    """Ask the server for ``profiel`` to stop; whether one did."""
    path = _running(profiel)
    if path is None:
        return False
    try:
        _exchange(path, {"protocol": PROTOCOL, "cmd": "stop"}, REPLY_TIMEOUT)
    except (OSError, ValueError, ServerUnavailable):
        return False
    return True


def _autostart() -> bool:
    choice = mode()
    if choice != "auto":
        return choice == "aan"
    return sys.stdout.isatty() and not os.environ.get("CI")


def _start_in_background(profiel: str, idle: int) -> bool:
    """Start ``serve`` for ``profiel`` detached from this command (its output goes to a log
    beside the socket); whether one was started (not when switched off or one is there)."""
    if not _autostart():
        return False
    try:
        path = address(_settings(profiel))
    except ServerUnavailable:
        return False
    if _listening(path):
        return False
    cmd = [sys.executable, "-m", "analysis", "serve", "--profiel", profiel, "--idle", str(idle)]
    log = path.with_suffix(".log")
    with contextlib.suppress(OSError):
        if log.stat().st_size > 1 << 20:  # keep the log of earlier servers small
            log.unlink()
    with open(log, "ab") as out:
        subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    return True


def _stop_hint(profiel: str, idle: int) -> str:
    return (
        f"hij stopt na {idle // 60} minuten zonder verzoek (nu stoppen: python -m analysis "
        f"serve --stop --profiel {profiel}; nooit starten: {ENV_SWITCH}=uit)"
    )


def after_cold_report(profiel: str, idle: int = DEFAULT_IDLE) -> None:
    """After a report rendered without a server: start one in the background for the next
    (see :data:`ENV_SWITCH`), and say so."""
    if _start_in_background(profiel, idle):
        print(
            "rekenserver gestart: volgende rapporten zijn binnen enkele seconden klaar; "
            + _stop_hint(profiel, idle)
        )


def after_build(profiel: str, idle: int = DEFAULT_IDLE) -> None:
    """After new processed data were built: start a server in the background (see
    :data:`ENV_SWITCH`), so that the first report is warm too, and say so."""
    if _start_in_background(profiel, idle):
        print(
            "rekenserver gestart: rapporten (make report ...) zijn binnen enkele seconden klaar; "
            + _stop_hint(profiel, idle)
        )


# -- the server -------------------------------------------------------------------------------


class _Stop(Exception):
    pass


def _warm_renderer(warm):
    """Render payloads on ``warm`` (the batch workers' code), as ``run_single`` expects."""
    from analysis.report.engine.worker import render_warm

    def render(p, footer, timeout, staging):
        return render_warm(warm, p, footer, timeout=timeout, staging=staging)

    return render


#: reports rendered into a throw-away folder to warm a new server: the first at start (a
#: client that connects meanwhile waits), the others once it has been idle for a second
WARM_UP = ("gemeente", "jeugdregio")


def _warm_up(profiel: str, render, kind: str = "gemeente") -> float:
    """Render the report of the first gemeente (``kind="gemeente"``) or jeugdregio into a
    throw-away folder: the imports, the data-set-wide results and the figure bases it uses
    are then warm. Seconds taken."""
    import dataclasses

    from analysis.report.engine.inprocess import run_single
    from analysis.report.jobs import single_job
    from analysis.report.params import param_catalog

    t0 = time.perf_counter()
    cfg = _settings(profiel)
    catalog = param_catalog(cfg.data_dir)
    codes = catalog.gemeenten if kind == "gemeente" else catalog.jeugdregios
    first = sorted(codes.get(catalog.latest_indeling(), {}))[:1]
    if not first:
        return 0.0
    subject = {"gemeente": first[0]} if kind == "gemeente" else {"regio": first[0]}
    job, _ = single_job(**subject, profiel=profiel)
    with tempfile.TemporaryDirectory(prefix="warm-up-") as tmp:
        job = dataclasses.replace(job, out_html=Path(tmp) / job.out_html.name)
        with contextlib.redirect_stdout(io.StringIO()):
            run_single(
                job, data_dir=cfg.data_dir, reports_dir=Path(tmp), progress=False, render=render
            )
    return time.perf_counter() - t0


def _warm_quietly(profiel: str, render, kind: str, counts: dict[str, Any]) -> None:
    """:func:`_warm_up`, logged; a failure is logged too (each request then says what is
    wrong), never fatal."""
    try:
        seconds = _warm_up(profiel, render, kind)
    except Exception as exc:
        print(f"opwarmen ({kind}) mislukt ({type(exc).__name__}: {str(exc)[:300]})", flush=True)
        return
    counts["opgewarmd"].append(kind)
    print(f"opgewarmd ({kind}) in {seconds:.1f} s", flush=True)


def _handle(request: dict, render, counts: dict[str, Any]) -> dict[str, Any]:
    """Answer one request (``report``, ``status`` or ``stop``)."""
    from analysis.report.jobs import report_command

    cmd = request.get("cmd") if request.get("protocol") == PROTOCOL else None
    base = {"protocol": PROTOCOL, "pid": os.getpid()}
    if cmd == "status":
        return {**base, **counts}
    if cmd == "stop":
        return {**base, "stopped": True}
    if cmd != "report" or not isinstance(request.get("args"), dict):
        return {**base, "exit": 2, "stderr": f"fout: onbekend verzoek {str(cmd)[:40]!r}\n"}
    args = request["args"]
    unknown = sorted(set(args) - REQUEST_ARGS)
    if unknown:
        return {**base, "exit": 2, "stderr": f"fout: onbekend argument {unknown[0][:40]!r}\n"}
    out, err = io.StringIO(), io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = report_command(**args, render=render)
        except Exception as exc:  # what the command would show as a traceback: one line here
            print(f"fout: {type(exc).__name__}: {str(exc)[:500]}", file=sys.stderr)
            code = 1
    counts["reports"] += 1
    seconds = time.perf_counter() - t0
    return {
        **base,
        "exit": code,
        "stdout": out.getvalue(),
        "stderr": err.getvalue(),
        "seconds": seconds,
    }


def _read_request(conn: socket.socket) -> dict:
    conn.settimeout(CONNECT_TIMEOUT * 5)
    with conn.makefile("rb") as fh:
        line = fh.readline(_MAX_LINE)
    request = json.loads(line) if line else {}
    return request if isinstance(request, dict) else {}


def _listen(path: Path) -> socket.socket | None:
    """A listening socket at ``path``; None when a live server already has it."""
    if path.exists():
        try:
            _exchange(path, {"protocol": PROTOCOL, "cmd": "status"}, REPLY_TIMEOUT)
            return None
        except (OSError, ValueError, ServerUnavailable):
            path.unlink(missing_ok=True)  # left by a server that was killed
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)  # the socket itself: user only
    try:
        sock.bind(str(path))
    except OSError:
        sock.close()
        return None  # another server bound it just now
    finally:
        os.umask(old)
    sock.listen(16)
    return sock


def serve(profiel: str = "cbs", *, idle: int = DEFAULT_IDLE, warm_up: bool = True) -> int:
    """Run the report server for ``profiel`` until idle, stopped or terminated."""
    import logging

    from analysis.report.engine.kernels import remove_own_kernel_dir
    from analysis.report.engine.warm import WarmKernel
    from analysis.report.jobs import processed_damaged, processed_settings

    try:
        cfg = _settings(profiel)
        path = address(cfg)
    except ServerUnavailable as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    problem = processed_damaged(profiel)
    if problem is None:
        try:
            processed_settings(profiel)
        except ParameterError as exc:
            problem = str(exc)
    if problem:
        print(f"fout: {problem}", file=sys.stderr)
        return 1
    sock = _listen(path)
    if sock is None:
        print(f"rekenserver voor {profiel} draait al ({path})")
        return 0
    inode = os.stat(path).st_ino

    def _term(signum, frame):  # noqa: ARG001
        raise _Stop

    signal.signal(signal.SIGTERM, _term)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    warm = WarmKernel("python3")
    counts: dict[str, Any] = {"reports": 0, "idle": idle, "profiel": profiel}
    print(f"rekenserver {profiel}: pid {os.getpid()}, {path}", flush=True)
    try:
        render = _warm_renderer(warm)
        counts["opgewarmd"] = []
        later = list(WARM_UP) if warm_up else []
        if later:  # clients that connect meanwhile wait in the backlog
            _warm_quietly(profiel, render, later.pop(0), counts)
        while True:
            sock.settimeout(1.0 if later else idle)
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                if later:  # idle for a second: warm the next kind of report
                    _warm_quietly(profiel, render, later.pop(0), counts)
                    continue
                print(f"{idle} s zonder verzoek: gestopt", flush=True)
                break
            with conn:
                try:
                    request = _read_request(conn)
                except (OSError, ValueError):
                    continue
                reply = _handle(request, render, counts)
                with contextlib.suppress(OSError):
                    conn.sendall(json.dumps(reply).encode() + b"\n")
            if reply.get("stopped"):
                print("gestopt op verzoek", flush=True)
                break
    except (_Stop, KeyboardInterrupt):
        print("gestopt (signaal)", flush=True)
    finally:
        sock.close()
        with contextlib.suppress(OSError):
            if os.stat(path).st_ino == inode:
                path.unlink()
        warm.shutdown()
        remove_own_kernel_dir()
    return 0
