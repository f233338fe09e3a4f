"""An OData v3 replay server for CBS table dumps, with fault injection.

:class:`ReplayServer` serves folders written by ``cbsodata.download_data(dir=...)`` (or recorded
the same way) over HTTP, so that the real, unmodified ``cbsodata`` client can fetch from it::

    with ReplayServer(root) as srv:
        data = cbsodata.download_data("83583NED", catalog_url=srv.host)  # with use_https=False

Served paths (the ``ODataFeed``/``ODataApi``/``odata`` segments are case-insensitive, table ids
and entity names are not):

``/ODataFeed/odata/<id>/``            service document (entity list)
``/ODataFeed/odata/<id>/<Entity>``    entity rows, paged by ``page_size`` via ``odata.nextLink``
``/ODataFeed/odata/<id>/<Entity>/$count``  number of rows after ``$filter`` (text/plain)
``/ODataApi/odata/<id>/...``          the same, unpaged, with the 10 000-cell limit emulated
``/ODataCatalog/Tables``              one catalog entry per served table
``/geo/<file>``                       files of ``geo_dir``, read-only

Query options: ``$format=json`` (or absent), ``$select``, ``$top``, ``$skip``, ``$filter``
(``eq ne gt ge lt le and or not``, parentheses, ``startswith endswith substringof trim tolower
toupper length``, string literals with ``''`` escapes, numbers, ``null true false``) and
``$inlinecount=allpages``. As at CBS, comparisons use the raw stored value: a padded key
``'GM0363    '`` does not equal ``'GM0363'``.

Dumps holding only ``TypedDataSet`` get an ``UntypedDataSet`` synthesised the way CBS shapes it:
measure values as right-aligned strings, null as a right-aligned ``"."``.

Faults (:meth:`ReplayServer.inject`) make matching requests fail in a chosen way; the request
log (:attr:`ReplayServer.requests`) and :attr:`ReplayServer.fired` show what happened.
Fault matching uses the request's table id and entity name; the service document has entity
``""``, the catalog has table ``None`` and entity ``"Tables"``, a geo file has table ``None`` and
the file name as entity.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import mimetypes
import re
import selectors
import socket
import socketserver
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

__all__ = [
    "FAULT_KINDS",
    "FaultHandle",
    "FilterError",
    "FiredFault",
    "ReplayServer",
    "RequestRecord",
    "compile_filter",
    "main",
    "synthesise_untyped",
]

#: Entity names every CBS v3 table may have, in service-document order.
KNOWN_ENTITIES = (
    "TableInfos",
    "UntypedDataSet",
    "TypedDataSet",
    "DataProperties",
    "CategoryGroups",
)
#: ``DataProperties.Type`` values that mark a dimension (one entity per dimension key).
DIMENSION_TYPES = frozenset({"Dimension", "TimeDimension", "GeoDimension", "GeoDetail"})
#: Supported fault kinds, see :meth:`ReplayServer.inject`.
FAULT_KINDS = (
    "http500",
    "http503",
    "slow",
    "drop",
    "truncate",
    "nextlink_loop",
    "reset",
    "trickle",
    "html200",
)
#: body of the ``html200`` fault: what a proxy, login or maintenance page answers
MAINTENANCE_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Onderhoud</title></head>"
    b"<body><h1>Wegens onderhoud niet beschikbaar</h1></body></html>\n"
)

JSON_TYPE = "application/json;charset=utf-8"
TEXT_TYPE = "text/plain;charset=utf-8"
#: Minimum width of a synthesised UntypedDataSet cell (``"       ."``).
UNTYPED_MIN_WIDTH = 8
_CATALOG_FIELDS = (
    "Identifier",
    "Title",
    "ShortTitle",
    "Modified",
    "Updated",
    "RecordCount",
    "ColumnCount",
    "Catalog",
    "ApiUrl",
    "FeedUrl",
)


# --------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw and answered it (``status`` 0 = no response sent)."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    bytes_sent: int
    service: str = ""  # "feed", "api", "catalog", "geo" or "" (unrouted)
    table: str | None = None
    entity: str | None = None
    page: int = 0
    fault: str | None = None


@dataclass(frozen=True)
class FiredFault:
    """A fault that fired on a request."""

    kind: str
    table: str | None
    entity: str | None
    page: int
    path: str
    query: dict[str, str]


@dataclass(eq=False)
class FaultHandle:
    """A registered fault; returned by :meth:`ReplayServer.inject`."""

    kind: str
    table: str | None = None
    entity: str | None = None
    page: int | None = None
    times: int | None = 1
    delay: float = 5.0
    fraction: float = 0.5
    fired_count: int = 0
    _server: ReplayServer | None = field(default=None, repr=False)

    @property
    def remaining(self) -> int | None:
        """Requests this fault will still fire on (``None`` = forever)."""
        return None if self.times is None else max(self.times - self.fired_count, 0)

    @property
    def active(self) -> bool:
        return self.times is None or self.fired_count < self.times

    def matches(self, table: str | None, entity: str | None, page: int) -> bool:
        return (
            self.active
            and (self.table is None or self.table == table)
            and (self.entity is None or self.entity == entity)
            and (self.page is None or self.page == page)
        )

    def cancel(self) -> None:
        """Stop this fault from firing again."""
        if self._server is not None:
            self._server._remove_fault(self)


# --------------------------------------------------------------------------------------------
# $filter: tokenizer and recursive-descent parser


class FilterError(ValueError):
    """A malformed or unsupported ``$filter`` (answered with HTTP 400)."""


_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<str>'(?:[^']|'')*')
  | (?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[LlMmDdFf]?(?![A-Za-z0-9_]))
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)
_COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le")
_NOT_VALUE = object()


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            if text[pos] == "'":
                raise FilterError(f"unterminated string literal at position {pos}")
            raise FilterError(f"unexpected character {text[pos]!r} at position {pos}")
        kind = m.lastgroup or ""
        if kind != "ws":
            tokens.append(_Token(kind, m.group(), pos))
        pos = m.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


Node = Callable[[Mapping[str, Any]], Any]


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _type_name(v: object) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "Edm.Boolean"
    if isinstance(v, str):
        return "Edm.String"
    if _is_number(v):
        return "Edm.Number"
    return type(v).__name__


def _compare(op: str, a: Any, b: Any) -> bool:
    if a is None or b is None:
        if op == "eq":
            return a is None and b is None
        if op == "ne":
            return not (a is None and b is None)
        return False
    same = (
        (_is_number(a) and _is_number(b))
        or (isinstance(a, str) and isinstance(b, str))
        or (isinstance(a, bool) and isinstance(b, bool))
    )
    if not same:
        raise FilterError(
            f"operator '{op}' incompatible with operand types '{_type_name(a)}' and "
            f"'{_type_name(b)}'"
        )
    if op == "eq":
        return a == b
    if op == "ne":
        return a != b
    if op == "gt":
        return a > b
    if op == "ge":
        return a >= b
    if op == "lt":
        return a < b
    return a <= b


def _want_str(fn: str, v: Any) -> str | None:
    if v is None or isinstance(v, str):
        return v
    raise FilterError(f"function '{fn}' expects a string argument, got '{_type_name(v)}'")


def _fn_startswith(a: Any, b: Any) -> bool:
    s, p = _want_str("startswith", a), _want_str("startswith", b)
    return s is not None and p is not None and s.startswith(p)


def _fn_endswith(a: Any, b: Any) -> bool:
    s, p = _want_str("endswith", a), _want_str("endswith", b)
    return s is not None and p is not None and s.endswith(p)


def _fn_substringof(a: Any, b: Any) -> bool:
    needle, hay = _want_str("substringof", a), _want_str("substringof", b)
    return needle is not None and hay is not None and needle in hay


def _fn_str(name: str, op: Callable[[str], Any]) -> Callable[[Any], Any]:
    def fn(a: Any) -> Any:
        s = _want_str(name, a)
        return None if s is None else op(s)

    return fn


_FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    "startswith": (2, _fn_startswith),
    "endswith": (2, _fn_endswith),
    "substringof": (2, _fn_substringof),
    "trim": (1, _fn_str("trim", str.strip)),
    "tolower": (1, _fn_str("tolower", str.lower)),
    "toupper": (1, _fn_str("toupper", str.upper)),
    "length": (1, _fn_str("length", len)),
}


class _FilterParser:
    """Recursive descent over OData v3 precedence: or < and < comparison < not < primary."""

    def __init__(self, text: str, columns: frozenset[str] | None) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.columns = columns

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def is_word(self, *words: str) -> bool:
        tok = self.peek()
        return tok.kind == "ident" and tok.text in words

    def expect(self, kind: str, what: str) -> _Token:
        tok = self.peek()
        if tok.kind != kind:
            found = "end of filter" if tok.kind == "end" else repr(tok.text)
            raise FilterError(f"expected {what} at position {tok.pos}, found {found}")
        return self.take()

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise FilterError("empty filter expression")
        node = self.parse_or()
        tok = self.peek()
        if tok.kind != "end":
            raise FilterError(f"unexpected {tok.text!r} at position {tok.pos}")
        return node

    def parse_or(self) -> Node:
        left = self.parse_and()
        while self.is_word("or"):
            self.take()
            right = self.parse_and()
            left = _binary_bool("or", left, right)
        return left

    def parse_and(self) -> Node:
        left = self.parse_comparison()
        while self.is_word("and"):
            self.take()
            right = self.parse_comparison()
            left = _binary_bool("and", left, right)
        return left

    def parse_comparison(self) -> Node:
        left = self.parse_unary()
        while self.is_word(*_COMPARISONS):
            op = self.take().text
            right = self.parse_unary()
            left = _comparison(op, left, right)
        return left

    def parse_unary(self) -> Node:
        if self.is_word("not"):
            self.take()
            operand = self.parse_unary()

            def not_(row: Mapping[str, Any]) -> Any:
                v = operand(row)
                if v is None:
                    return None
                if not isinstance(v, bool):
                    raise FilterError(f"'not' needs a boolean operand, got '{_type_name(v)}'")
                return not v

            return not_
        return self.parse_primary()

    def parse_primary(self) -> Node:
        tok = self.peek()
        if tok.kind == "lparen":
            self.take()
            node = self.parse_or()
            self.expect("rparen", "')'")
            return node
        if tok.kind == "str":
            self.take()
            value = tok.text[1:-1].replace("''", "'")
            return lambda row: value
        if tok.kind == "num":
            self.take()
            return _number_literal(tok)
        if tok.kind == "ident":
            self.take()
            if tok.text in ("null", "true", "false"):
                literal = {"null": None, "true": True, "false": False}[tok.text]
                return lambda row: literal
            if self.peek().kind == "lparen":
                return self.parse_call(tok)
            if tok.text in _COMPARISONS or tok.text in ("and", "or", "not"):
                raise FilterError(f"expected an operand at position {tok.pos}, found {tok.text!r}")
            if self.columns is not None and tok.text not in self.columns:
                raise FilterError(f"could not find a property named '{tok.text}'")
            key = tok.text
            return lambda row: row.get(key)
        found = "end of filter" if tok.kind == "end" else repr(tok.text)
        raise FilterError(f"expected an operand at position {tok.pos}, found {found}")

    def parse_call(self, name: _Token) -> Node:
        if name.text not in _FUNCTIONS:
            raise FilterError(f"unknown function '{name.text}' at position {name.pos}")
        arity, fn = _FUNCTIONS[name.text]
        self.expect("lparen", "'('")
        args: list[Node] = []
        if self.peek().kind != "rparen":
            args.append(self.parse_or())
            while self.peek().kind == "comma":
                self.take()
                args.append(self.parse_or())
        self.expect("rparen", "')' or ','")
        if len(args) != arity:
            raise FilterError(f"function '{name.text}' takes {arity} argument(s), got {len(args)}")
        return lambda row: fn(*(arg(row) for arg in args))


def _number_literal(tok: _Token) -> Node:
    text = tok.text.rstrip("LlMmDdFf")
    value: int | float = float(text) if any(c in text for c in ".eE") else int(text)
    return lambda row: value


def _binary_bool(op: str, left: Node, right: Node) -> Node:
    def check(v: Any) -> bool | None:
        if v is None or isinstance(v, bool):
            return v
        raise FilterError(f"'{op}' needs boolean operands, got '{_type_name(v)}'")

    if op == "and":
        return lambda row: bool(check(left(row))) and bool(check(right(row)))
    return lambda row: bool(check(left(row))) or bool(check(right(row)))


def _comparison(op: str, left: Node, right: Node) -> Node:
    return lambda row: _compare(op, left(row), right(row))


def compile_filter(
    text: str, columns: frozenset[str] | set[str] | None = None
) -> Callable[[Mapping[str, Any]], bool]:
    """Compile an OData v3 ``$filter`` into a row predicate.

    ``columns`` (if given) are the entity's property names; an unknown name raises
    :class:`FilterError`. Evaluation may also raise :class:`FilterError` on type mismatches.
    """
    node = _FilterParser(text, frozenset(columns) if columns is not None else None).parse()

    def predicate(row: Mapping[str, Any]) -> bool:
        v = node(row)
        if v is None or isinstance(v, bool):
            return bool(v)
        raise FilterError(f"the filter expression is not boolean (got '{_type_name(v)}')")

    return predicate


# --------------------------------------------------------------------------------------------
# Dump folders


def _format_measure(value: Any, decimals: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "."
        if isinstance(decimals, int) and not isinstance(decimals, bool) and decimals >= 0:
            return f"{value:.{decimals}f}"
        return repr(value)
    if isinstance(value, int) and isinstance(decimals, int) and decimals > 0:
        return f"{value:.{decimals}f}"
    return str(value)


def synthesise_untyped(
    rows: list[dict[str, Any]],
    data_properties: list[dict[str, Any]] | None,
) -> list[dict[str, Any]]:
    """Build the CBS ``UntypedDataSet`` shape from ``TypedDataSet`` rows.

    Every measure (``DataProperties`` ``Type == "Topic"``; without DataProperties every column
    but ``ID``) becomes a right-aligned string; the width per column is the longest formatted
    value (at least :data:`UNTYPED_MIN_WIDTH`); null becomes a right-aligned ``"."``. Numbers are
    formatted with the measure's ``Decimals``. Dimension keys and ``ID`` are unchanged.
    """
    if not rows:
        return []
    props = data_properties or []
    decimals = {p.get("Key"): p.get("Decimals") for p in props if p.get("Type") == "Topic"}
    if decimals:
        measures = [k for k in rows[0] if k in decimals]
    else:
        dims = {p.get("Key") for p in props if p.get("Type") in DIMENSION_TYPES}
        measures = [k for k in rows[0] if k != "ID" and k not in dims]
    columns: dict[str, list[str]] = {}
    for key in measures:
        d = decimals.get(key)
        cells = ["." if (v := row.get(key)) is None else _format_measure(v, d) for row in rows]
        width = max(UNTYPED_MIN_WIDTH, max(len(c) for c in cells))
        columns[key] = [c.rjust(width) for c in cells]
    out = []
    for i, row in enumerate(rows):
        new = dict(row)
        for key, cells in columns.items():
            new[key] = cells[i]
        out.append(new)
    return out


class _JsonCache:
    """Parsed JSON per file, reloaded when the file's mtime or size changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[Any, tuple[Any, Any]] = {}

    @staticmethod
    def stamp(path: Path) -> tuple[int, int]:
        st = path.stat()
        return (st.st_mtime_ns, st.st_size)

    def load(self, path: Path) -> Any:
        stamp = self.stamp(path)
        with self._lock:
            hit = self._items.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        data = json.loads(path.read_bytes())
        with self._lock:
            self._items[path] = (stamp, data)
        return data

    def derived(self, key: Any, stamp: Any, build: Callable[[], Any]) -> Any:
        with self._lock:
            hit = self._items.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        data = build()
        with self._lock:
            self._items[key] = (stamp, data)
        return data


@dataclass(frozen=True)
class _Layout:
    """What a dump folder holds: entity -> file, plus the dimension keys in order."""

    files: dict[str, Path]
    dimensions: list[str]
    data_properties: list[dict[str, Any]] | None

    def entities(self) -> list[str]:
        """Entity names in service-document order (UntypedDataSet synthesised if needed)."""
        names = [n for n in KNOWN_ENTITIES if n in self.files]
        if "TypedDataSet" in self.files and "UntypedDataSet" not in self.files:
            names.insert(names.index("TypedDataSet"), "UntypedDataSet")
        names += [d for d in self.dimensions if d in self.files]
        return names


def _entity_of(stem: str, names: set[str]) -> str | None:
    if stem in names:
        return stem
    for i, ch in enumerate(stem):
        if ch == "_" and stem[:i] in names:
            return stem[:i]
    return None


def _pick(files: dict[str, list[Path]]) -> dict[str, Path]:
    picked = {}
    for entity, paths in files.items():
        exact = [p for p in paths if p.stem == entity]
        picked[entity] = exact[0] if exact else sorted(paths)[0]
    return picked


def _scan_layout(folder: Path, cache: _JsonCache) -> _Layout:
    jsons = sorted(p for p in folder.iterdir() if p.suffix == ".json" and p.is_file())
    known = set(KNOWN_ENTITIES)
    found: dict[str, list[Path]] = {}
    for p in jsons:
        if (e := _entity_of(p.stem, known)) is not None:
            found.setdefault(e, []).append(p)
    files = _pick(found)
    props: list[dict[str, Any]] | None = None
    dims: list[str] = []
    if "DataProperties" in files:
        loaded = cache.load(files["DataProperties"])
        if isinstance(loaded, list):
            props = loaded
            dims = [
                p["Key"]
                for p in props
                if isinstance(p, dict) and p.get("Type") in DIMENSION_TYPES and p.get("Key")
            ]
    if dims:
        dim_set = set(dims)
        dim_found: dict[str, list[Path]] = {}
        for p in jsons:
            if _entity_of(p.stem, known) is None and (e := _entity_of(p.stem, dim_set)):
                dim_found.setdefault(e, []).append(p)
        files.update(_pick(dim_found))
    return _Layout(files=files, dimensions=dims, data_properties=props)


def _looks_like_dump(folder: Path) -> bool:
    known = set(KNOWN_ENTITIES)
    return any(
        p.suffix == ".json" and _entity_of(p.stem, known) is not None for p in folder.iterdir()
    )


# --------------------------------------------------------------------------------------------
# HTTP plumbing


class _HttpError(Exception):
    def __init__(self, status: int, message: str, *, json_body: bool = True) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.json_body = json_body


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)
    reason: str | None = None


@dataclass
class _Route:
    service: str  # feed, api, catalog, geo, ""
    table: str | None = None
    entity: str | None = None
    count: bool = False
    page: int = 0


def _json_bytes(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def _error_response(err: _HttpError) -> _Response:
    reason = HTTPStatus(err.status).phrase
    if err.json_body:
        body = _json_bytes(
            {"odata.error": {"code": "", "message": {"lang": "en-US", "value": err.message}}}
        )
        ctype = JSON_TYPE
    else:
        body = err.message.encode("utf-8")
        ctype = TEXT_TYPE
    # The reason phrase carries the message so requests' HTTPError text shows it.
    detail = re.sub(r"[^\x20-\x7e]", "?", err.message)[:200]
    return _Response(err.status, body, ctype, reason=f"{reason} ({detail})")


def _parse_nonneg(query: Mapping[str, str], key: str) -> int | None:
    raw = query.get(key)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise _HttpError(400, f"invalid {key} value {raw!r}: expected an integer") from None
    if value < 0:
        raise _HttpError(400, f"invalid {key} value {raw!r}: must not be negative")
    return value


_SUPPORTED_OPTIONS = {"$format", "$select", "$filter", "$top", "$skip", "$inlinecount"}


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


class ReplayServer:
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

    def _route(self, path: str, query: Mapping[str, str]) -> _Route:
        segs = path.split("/")[1:]
        first = segs[0].lower() if segs else ""
        if first in ("odatafeed", "odataapi") and len(segs) >= 3 and segs[1].lower() == "odata":
            service = "feed" if first == "odatafeed" else "api"
            table = segs[2] or None
            rest = segs[3:]
            if rest and rest[-1] == "":
                rest = rest[:-1]
            entity = rest[0] if rest else ""
            count = len(rest) == 2 and rest[1] == "$count"
            if len(rest) > 2 or (len(rest) == 2 and not count):
                entity = "/".join(rest)
            page = 0
            try:
                skip = int(query.get("$skip") or 0)
                page = max(skip, 0) // self.page_size
            except ValueError:
                pass
            return _Route(service, table, entity, count, page)
        if first == "odatacatalog":
            rest = [s for s in segs[1:] if s]
            return _Route("catalog", None, rest[0] if rest else "")
        if first == "geo" and len(segs) == 2:
            return _Route("geo", None, segs[1])
        return _Route("")

    def _respond(
        self, route: _Route, path: str, query: dict[str, str], host: str, loop_url: str | None
    ) -> _Response:
        base = f"http://{host}"
        if route.service == "geo":
            return self._serve_geo(route.entity or "")
        if route.service == "catalog":
            return self._serve_catalog(route, query, base)
        if route.service not in ("feed", "api") or not route.table:
            raise _HttpError(404, f"not found: {path}", json_body=False)
        with self._lock:
            folder = self._tables.get(route.table)
        if folder is None or not folder.is_dir():
            # Like the live service: a plain, non-JSON 404 for an unknown table id.
            raise _HttpError(
                404, f"Resource not found for the segment '{route.table}'.", json_body=False
            )
        layout = _scan_layout(folder, self._cache)
        prefix = "ODataFeed" if route.service == "feed" else "ODataApi"
        table_url = f"{base}/{prefix}/odata/{route.table}"
        fmt = query.get("$format")
        if fmt not in (None, "", "json"):
            raise _HttpError(415, f"unsupported $format {fmt!r}; the replay server speaks json")
        if route.entity == "":
            doc = {
                "odata.metadata": f"{table_url}/$metadata",
                "value": [
                    {"name": name, "url": f"{table_url}/{name}"} for name in layout.entities()
                ],
            }
            return _Response(200, _json_bytes(doc))
        entity = route.entity or ""
        if entity not in layout.entities():
            raise _HttpError(
                404, f"Resource not found for the segment '{entity}'.", json_body=False
            )
        rows = self._entity_rows(layout, entity)
        metadata = f"{table_url}/$metadata#Cbs.OData.WebAPI.{entity}"
        return self._serve_rows(
            rows,
            query,
            metadata,
            route,
            paged=route.service == "feed",
            cell_limit=self.api_cell_limit if route.service == "api" else None,
            next_base=f"{table_url}/{entity}",
            loop_url=loop_url,
        )

    def _entity_rows(self, layout: _Layout, entity: str) -> list[dict[str, Any]]:
        if entity == "UntypedDataSet" and "UntypedDataSet" not in layout.files:
            typed = layout.files["TypedDataSet"]
            dp = layout.files.get("DataProperties")
            stamp = (typed, self._cache.stamp(typed), dp, dp and self._cache.stamp(dp))
            return self._cache.derived(
                ("untyped", typed),
                stamp,
                lambda: synthesise_untyped(self._cache.load(typed), layout.data_properties),
            )
        rows = self._cache.load(layout.files[entity])
        if isinstance(rows, dict):  # a single object (e.g. a verbatim TableInfos)
            rows = [rows]
        if not isinstance(rows, list):
            raise _HttpError(500, f"{layout.files[entity].name} is not a JSON list of records")
        return rows

    def _filtered(
        self, rows: list[dict[str, Any]], text: str, columns: list[str], *, cache: bool
    ) -> list[dict[str, Any]]:
        """Rows matching ``text``; cached per (rows object, filter) so paging stays linear."""
        key = (id(rows), text)
        if cache:
            with self._lock:
                hit = self._filter_cache.get(key)
            if hit is not None and hit[0] is rows:  # the entry holds `rows`: ids cannot recur
                return hit[1]
        pred = compile_filter(text, set(columns) or None)
        out = [r for r in rows if pred(r)]
        if cache:
            with self._lock:
                while len(self._filter_cache) >= 16:
                    self._filter_cache.pop(next(iter(self._filter_cache)))
                self._filter_cache[key] = (rows, out)
        return out

    def _serve_rows(
        self,
        rows: list[dict[str, Any]],
        query: dict[str, str],
        metadata: str,
        route: _Route,
        *,
        paged: bool,
        cell_limit: int | None,
        next_base: str,
        loop_url: str | None,
    ) -> _Response:
        unsupported = sorted(k for k in query if k.startswith("$") and k not in _SUPPORTED_OPTIONS)
        if unsupported:
            raise _HttpError(
                400, f"query option {unsupported[0]} is not supported by the replay server"
            )
        columns = list(rows[0]) if rows else []
        filter_text = query.get("$filter", "")
        if filter_text.strip():
            try:
                rows = self._filtered(rows, filter_text, columns, cache=paged)
            except FilterError as err:
                raise _HttpError(400, f"invalid $filter: {err}") from None
        select_text = query.get("$select", "")
        selected: list[str] | None = None
        if select_text.strip() and select_text.strip() != "*":
            wanted = [s.strip() for s in select_text.split(",")]
            for key in wanted:
                if not key:
                    raise _HttpError(400, f"invalid $select {select_text!r}: empty property")
                if columns and key not in columns:
                    raise _HttpError(
                        400, f"invalid $select: could not find a property named '{key}'"
                    )
            selected = [c for c in columns if c in set(wanted)] if columns else wanted
        if route.count:
            return _Response(200, str(len(rows)).encode(), TEXT_TYPE)
        total = len(rows)
        skip = _parse_nonneg(query, "$skip") or 0
        top = _parse_nonneg(query, "$top")
        window = rows[skip:] if top is None else rows[skip : skip + top]
        ncols = len(selected) if selected is not None else len(columns)
        if cell_limit is not None and top is None and len(window) * ncols > cell_limit:
            raise _HttpError(
                500,
                f"De query levert meer dan {cell_limit} records op. The query returns more than "
                f"{cell_limit} records (cells); narrow it with $filter/$select, page with "
                f"$top/$skip, or use the ODataFeed.",
            )
        next_link: str | None = None
        if paged and len(window) > self.page_size:
            window = window[: self.page_size]
            params = [("$format", "json")]
            if filter_text:
                params.append(("$filter", filter_text))
            if select_text:
                params.append(("$select", select_text))
            if top is not None:
                params.append(("$top", str(top - len(window))))
            params.append(("$skip", str(skip + len(window))))
            next_link = (
                next_base
                + "?"
                + "&".join(f"{k}={quote(v, safe=chr(39) + '(),*')}" for k, v in params)
            )
        if loop_url is not None:
            next_link = loop_url
        if selected is not None:
            window = [{k: r.get(k) for k in selected} for r in window]
        doc: dict[str, Any] = {"odata.metadata": metadata}
        if query.get("$inlinecount") == "allpages":
            doc["odata.count"] = str(total)
        doc["value"] = window
        if next_link is not None:
            doc["odata.nextLink"] = next_link
        return _Response(200, _json_bytes(doc))

    def _serve_catalog(self, route: _Route, query: dict[str, str], base: str) -> _Response:
        if route.entity == "":
            doc = {
                "odata.metadata": f"{base}/ODataCatalog/$metadata",
                "value": [{"name": "Tables", "url": f"{base}/ODataCatalog/Tables"}],
            }
            return _Response(200, _json_bytes(doc))
        if route.entity != "Tables":
            raise _HttpError(
                404, f"Resource not found for the segment '{route.entity}'.", json_body=False
            )
        entries = []
        for table_id, folder in sorted(self.tables.items()):
            info: dict[str, Any] = {}
            if folder.is_dir():
                layout = _scan_layout(folder, self._cache)
                if "TableInfos" in layout.files:
                    infos = self._entity_rows(layout, "TableInfos")
                    info = dict(infos[0]) if infos else {}
            entry = {k: info.get(k) for k in _CATALOG_FIELDS}
            entry.update({k: v for k, v in info.items() if k not in entry})
            entry["Identifier"] = table_id
            entry["ApiUrl"] = f"{base}/ODataApi/OData/{table_id}"
            entry["FeedUrl"] = f"{base}/ODataFeed/OData/{table_id}"
            entries.append(entry)
        return self._serve_rows(
            entries,
            query,
            f"{base}/ODataCatalog/$metadata#Cbs.OData.WebAPI.Tables",
            route,
            paged=False,
            cell_limit=None,
            next_base=f"{base}/ODataCatalog/Tables",
            loop_url=None,
        )

    def _serve_geo(self, name: str) -> _Response:
        if self.geo_dir is None:
            raise _HttpError(404, "no geo folder is served", json_body=False)
        if not name or name.startswith(".") or "/" in name or "\\" in name:
            raise _HttpError(404, f"not found: {name}", json_body=False)
        path = self.geo_dir / name
        if not path.is_file():
            raise _HttpError(404, f"not found: {name}", json_body=False)
        if path.suffix in (".json", ".topojson", ".geojson"):
            ctype = "application/json"
        else:
            ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return _Response(200, path.read_bytes(), ctype)


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
