"""The replay HTTP server: lifecycle, request handling, fault injection and the CLI."""

from __future__ import annotations

import argparse
import contextlib
import selectors
import socket
import socketserver
import struct
import sys
import threading
import time
import traceback
from collections.abc import Iterator, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from analysis.replay.dumps import _JsonCache, _looks_like_dump
from analysis.replay.faults import (
    FAULT_KINDS,
    MAINTENANCE_PAGE,
    FaultHandle,
    FiredFault,
    RequestRecord,
)
from analysis.replay.odata import (
    TEXT_TYPE,
    _error_response,
    _HttpError,
    _ODataService,
    _Response,
    _Route,
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    replay: ReplayServer

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a reverse DNS lookup that can hang
        # on a machine without network; the name is not needed.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError | OSError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ReplayServer/1.0"
    timeout = 60  # idle keep-alive connections end after this many seconds
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.replay._track(self, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.replay._track(self, add=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.replay.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:  # noqa: N802
        self.server.replay._handle(self)


# --------------------------------------------------------------------------------------------
# The server


class ReplayServer(_ODataService):
    """Serve CBS OData v3 table dumps over HTTP, with paging, ``$filter`` and fault injection.

    ``root`` is a folder whose subfolders are table dumps named by table id (case preserved),
    or a mapping table id -> dump folder. Start with ``start()`` or ``with ReplayServer(...)``.
    """

    def __init__(
        self,
        root: Path | str | Mapping[str, Path | str],
        *,
        page_size: int = 10000,
        host: str = "127.0.0.1",
        port: int = 0,
        geo_dir: Path | str | None = None,
        api_cell_limit: int = 10000,
        verbose: bool = False,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.page_size = page_size
        self.api_cell_limit = api_cell_limit
        self.verbose = verbose
        self._bind = (host, port)
        self._lock = threading.Lock()
        self._tables: dict[str, Path] = {}
        self._faults: list[FaultHandle] = []
        self._log: list[RequestRecord] = []
        self._fired: list[FiredFault] = []
        self._handlers: dict[_Handler, threading.Thread] = {}
        self._cache = _JsonCache()
        self._filter_cache: dict[tuple[int, str], tuple[list[Any], list[Any]]] = {}
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._wake: tuple[socket.socket, socket.socket] | None = None
        self.geo_dir = Path(geo_dir) if geo_dir is not None else None
        if self.geo_dir is not None and not self.geo_dir.is_dir():
            raise FileNotFoundError(f"geo_dir {self.geo_dir} is not a folder")
        if isinstance(root, Mapping):
            for table_id, folder in root.items():
                self.add_table(table_id, folder)
        else:
            root = Path(root)
            if not root.is_dir():
                raise FileNotFoundError(f"replay root {root} is not a folder")
            if _looks_like_dump(root):
                raise ValueError(
                    f"{root} is itself a table dump; pass a folder of dumps named by table id, "
                    f"or a mapping {{table_id: folder}}"
                )
            for sub in sorted(root.iterdir()):
                if sub.is_dir() and not sub.name.startswith(".") and _looks_like_dump(sub):
                    self._tables[sub.name] = sub

    # -- tables ---------------------------------------------------------------------------

    @property
    def tables(self) -> dict[str, Path]:
        """Table id -> dump folder currently served."""
        with self._lock:
            return dict(self._tables)

    def add_table(self, table_id: str, folder: Path | str) -> None:
        """Serve (or replace) a table from a dump folder; takes effect for the next request."""
        folder = Path(folder)
        if not folder.is_dir():
            raise FileNotFoundError(f"dump folder {folder} for {table_id} is not a folder")
        if not table_id or "/" in table_id:
            raise ValueError(f"invalid table id {table_id!r}")
        with self._lock:
            self._tables[table_id] = folder

    def remove_table(self, table_id: str) -> None:
        """Stop serving a table (it then answers 404). Raises KeyError if it is not served."""
        with self._lock:
            del self._tables[table_id]

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> ReplayServer:
        """Bind and serve in a background thread; returns ``self``."""
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = _Server(self._bind, _Handler)
        httpd.replay = self
        self._httpd = httpd
        self._wake = socket.socketpair()
        self._thread = threading.Thread(
            target=self._accept_loop,
            args=(httpd, self._wake[0]),
            name=f"ReplayServer:{httpd.server_address[1]}",
            daemon=True,
        )
        self._thread.start()
        return self

    def _accept_loop(self, httpd: _Server, wake: socket.socket) -> None:
        # Like serve_forever(), but woken at once by stop() instead of polling.
        with selectors.DefaultSelector() as sel:
            sel.register(httpd.socket, selectors.EVENT_READ)
            sel.register(wake, selectors.EVENT_READ)
            while not self._stopping.is_set():
                ready = sel.select()
                if self._stopping.is_set():
                    break
                if any(key.fileobj is httpd.socket for key, _ in ready):
                    httpd._handle_request_noblock()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving: interrupt slow faults, close open connections, wait for handlers."""
        httpd = self._httpd
        if httpd is None:
            return
        deadline = time.monotonic() + timeout
        self._stopping.set()
        if self._wake is not None:
            with contextlib.suppress(OSError):
                self._wake[1].send(b"x")
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(max(0.0, deadline - time.monotonic()))
        httpd.server_close()
        with self._lock:
            handlers = dict(self._handlers)
        for handler in handlers:
            with contextlib.suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)
        for thread in handlers.values():
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))
        if self._wake is not None:
            for sock in self._wake:
                sock.close()
        self._httpd = None
        self._thread = None
        self._wake = None

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("ReplayServer is not running; call start() first")
        return int(self._httpd.server_address[1])

    @property
    def host(self) -> str:
        """``"127.0.0.1:PORT"``, the form ``cbsodata`` takes as ``catalog_url``."""
        return f"{self._bind[0]}:{self.port}"

    @property
    def url(self) -> str:
        """``"http://127.0.0.1:PORT"``."""
        return f"http://{self.host}"

    # -- faults and logs ----------------------------------------------------------------------

    def inject(
        self,
        kind: str,
        *,
        table: str | None = None,
        entity: str | None = None,
        times: int | None = 1,
        page: int | None = None,
        delay: float = 5.0,
        fraction: float = 0.5,
    ) -> FaultHandle:
        """Make the next ``times`` matching requests fail (``times=None``: forever).

        Kinds: ``http500``; ``http503`` (with ``Retry-After: 0``); ``slow`` (wait ``delay``
        seconds, interruptible by :meth:`stop`, then answer normally); ``drop`` (full headers,
        then ``fraction`` of the body, then close: the client sees an incomplete read);
        ``truncate`` (a complete response whose body is the first ``fraction`` of the JSON);
        ``nextlink_loop`` (``odata.nextLink`` points at the requested URL itself); ``reset``
        (close the connection without any response); ``trickle`` (the normal answer, but the
        body one byte per ``delay`` seconds, interruptible by :meth:`stop`); ``html200`` (status
        200 with an HTML maintenance page instead of JSON). ``table``/``entity``/``page`` (0-based,
        ``$skip // page_size``) narrow the match; ``None`` matches anything.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; valid: {', '.join(FAULT_KINDS)}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for forever)")
        if not 0.0 <= fraction < 1.0:
            raise ValueError("fraction must be in [0, 1)")
        handle = FaultHandle(
            kind, table, entity, page, times, float(delay), float(fraction), _server=self
        )
        with self._lock:
            self._faults.append(handle)
        return handle

    def clear_faults(self) -> None:
        """Remove every registered fault."""
        with self._lock:
            self._faults.clear()

    def _remove_fault(self, handle: FaultHandle) -> None:
        with self._lock:
            if handle in self._faults:
                self._faults.remove(handle)

    @property
    def faults(self) -> list[FaultHandle]:
        """Registered faults that can still fire."""
        with self._lock:
            return [f for f in self._faults if f.active]

    @property
    def requests(self) -> list[RequestRecord]:
        """A copy of the request log, in completion order (logged just before answering)."""
        with self._lock:
            return list(self._log)

    @property
    def fired(self) -> list[FiredFault]:
        """Every fault that fired, in order."""
        with self._lock:
            return list(self._fired)

    def clear_log(self) -> None:
        """Empty the request log and the list of fired faults."""
        with self._lock:
            self._log.clear()
            self._fired.clear()

    # -- request handling ---------------------------------------------------------------------

    def _track(self, handler: _Handler, *, add: bool) -> None:
        with self._lock:
            if add:
                self._handlers[handler] = threading.current_thread()
            else:
                self._handlers.pop(handler, None)

    def _take_fault(self, route: _Route, path: str, query: dict[str, str]) -> FaultHandle | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(route.table, route.entity, route.page):
                    fault.fired_count += 1
                    self._fired.append(
                        FiredFault(fault.kind, route.table, route.entity, route.page, path, query)
                    )
                    if not fault.active:
                        self._faults.remove(fault)
                    return fault
        return None

    def _record(
        self,
        h: _Handler,
        route: _Route,
        path: str,
        query: dict[str, str],
        status: int,
        sent: int,
        fault: FaultHandle | None,
    ) -> None:
        rec = RequestRecord(
            method=h.command,
            path=path,
            query=query,
            status=status,
            bytes_sent=sent,
            service=route.service,
            table=route.table,
            entity=route.entity,
            page=route.page,
            fault=fault.kind if fault else None,
        )
        with self._lock:
            self._log.append(rec)

    def _handle(self, h: _Handler) -> None:
        if self._stopping.is_set():
            self._abort(h)
            return
        parts = urlsplit(h.path)
        path = unquote(parts.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        route = self._route(path, query)
        fault = self._take_fault(route, path, query)
        host = h.headers.get("Host") or self.host

        if fault is not None and fault.kind in ("reset", "slow"):
            if fault.kind == "slow":
                self._stopping.wait(fault.delay)
            if fault.kind == "reset" or self._stopping.is_set():
                self._record(h, route, path, query, 0, 0, fault)
                self._abort(h)
                return

        if fault is not None and fault.kind == "html200":
            resp = _Response(200, MAINTENANCE_PAGE, "text/html; charset=utf-8")
        elif fault is not None and fault.kind in ("http500", "http503"):
            status = 500 if fault.kind == "http500" else 503
            resp = _Response(
                status,
                f"{HTTPStatus(status).phrase} (injected fault)".encode(),
                TEXT_TYPE,
                headers=[("Retry-After", "0")] if status == 503 else [],
            )
        else:
            loop_url = f"http://{host}{h.path}" if fault and fault.kind == "nextlink_loop" else None
            try:
                resp = self._respond(route, path, query, host, loop_url)
            except _HttpError as err:
                resp = _error_response(err)
            except Exception as exc:  # a replay-server bug: say so loudly
                traceback.print_exc()
                resp = _error_response(_HttpError(500, f"replay server error: {exc!r}"))

        body = resp.body
        full_length = len(body)
        if fault is not None and fault.kind in ("drop", "truncate"):
            body = body[: int(len(body) * fault.fraction)]
            if fault.kind == "truncate":
                full_length = len(body)
        self._record(h, route, path, query, resp.status, len(body), fault)
        try:
            h.send_response(resp.status, resp.reason)
            h.send_header("Content-Type", resp.content_type)
            h.send_header("Content-Length", str(full_length))
            for name, value in resp.headers:
                h.send_header(name, value)
            if fault is not None and fault.kind == "drop":
                h.send_header("Connection", "close")
                h.close_connection = True
            h.end_headers()
            if fault is not None and fault.kind == "trickle":
                for i in range(len(body)):
                    h.wfile.write(body[i : i + 1])
                    h.wfile.flush()
                    if self._stopping.wait(fault.delay):
                        h.close_connection = True
                        return
            else:
                h.wfile.write(body)
            h.wfile.flush()
        except OSError:
            h.close_connection = True

    @staticmethod
    def _abort(h: _Handler) -> None:
        """Close the connection at once (RST), without any response."""
        h.close_connection = True
        try:
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
        except OSError:
            pass


# --------------------------------------------------------------------------------------------
# CLI


def _iter_table_lines(srv: ReplayServer) -> Iterator[str]:
    for table_id, folder in sorted(srv.tables.items()):
        yield f"  {table_id:<12} {folder}"


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.replay ROOT [--port N] [--page-size N] [--geo-dir DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.replay",
        description="Serve CBS OData v3 table dumps (one subfolder per table id) over HTTP.",
    )
    parser.add_argument("root", type=Path, help="folder with one dump subfolder per table id")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port (default)")
    parser.add_argument("--page-size", type=int, default=10000)
    parser.add_argument("--api-cell-limit", type=int, default=10000)
    parser.add_argument("--geo-dir", type=Path, default=None, help="folder served under /geo/")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    srv = ReplayServer(
        args.root,
        page_size=args.page_size,
        host=args.host,
        port=args.port,
        geo_dir=args.geo_dir,
        api_cell_limit=args.api_cell_limit,
        verbose=args.verbose,
    )
    with srv:
        print(srv.url, flush=True)
        for line in _iter_table_lines(srv):
            print(line, flush=True)
        print(f"cbsodata: catalog_url={srv.host!r}, use_https=False; Ctrl-C stops", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
