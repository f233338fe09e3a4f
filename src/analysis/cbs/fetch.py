"""Download CBS tables with the real ``cbsodata`` client into provenance-stamped snapshots.

Per table: read ``TableInfos`` (``Modified``); if a complete snapshot with the same
``Modified`` and the same filter exists, nothing is downloaded. Otherwise the dimension
endpoints needed for the filter are read, ``cbsodata.download_data`` writes the table
(metadata + ``TypedDataSet``, dimension keys kept as codes) into a staging folder, every file
is checked and hashed, and the folder is moved into place with a manifest.

Transient faults are retried per page: ``cbsodata`` builds a fresh ``requests.Session`` for
every page, and for the duration of a download that name is bound to :class:`_PageSession`,
which retries 5xx answers, connection resets, timeouts and truncated or undecodable bodies with
exponential backoff, reports progress per page, and stops a ``odata.nextLink`` loop. What still
fails is retried per table; a table that keeps failing leaves its last good snapshot untouched.

Note on cbsodata 1.3.5: its ``typed`` flag is inverted — ``download_data(typed=False)``
downloads the **Typed** data set, which is what we want (numbers, ``null`` for suppressed).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import cbsodata
import cbsodata.cbsodata3 as _cbs3
import requests

from analysis.cbs import snapshot
from analysis.cbs.keys import (
    KeyResolutionError,
    TableMeta,
    and_filters,
    keys_filter,
    period_filter,
    prefix_filter,
)
from analysis.config import Settings, split_base_url
from analysis.registry import Table

log = logging.getLogger("analysis.fetch")

RETRY_STATUS = {429, 500, 502, 503, 504}
_LOCK = threading.Lock()


class FetchError(RuntimeError):
    """A table could not be fetched; the message names the table and the cause."""

    def __init__(self, table_id: str, cause: str):
        super().__init__(f"{table_id}: {cause}")
        self.table_id = table_id
        self.cause = cause


class TableNotFound(FetchError):
    """The server does not have the table (404, retired or wrong id)."""


class EmptyDataSet(FetchError):
    """The server delivered no records where there should be some."""


class NotJson(ValueError):
    """A 200 answer whose body is not JSON (e.g. an HTML maintenance or login page)."""


class DeadlineExceeded(requests.Timeout):
    """A page (or a table) took longer in total than its deadline; retried like a timeout."""


class NextLinkLoop(RuntimeError):
    """The server's ``odata.nextLink`` pointed back at a page already fetched."""


class _TransientStatus(RuntimeError):
    def __init__(self, response: requests.Response):
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


#: default total deadlines (seconds) for one request and for one table, all retries included
PAGE_DEADLINE = 300.0
TABLE_DEADLINE = 3600.0


def env_seconds(name: str, default: float) -> float:
    """A positive number of seconds from the environment variable ``name`` (else ``default``)."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ValueError(f"{name}={raw[:40]!r} must be a positive number of seconds, e.g. 300")
    return value


@dataclass
class RetryPolicy:
    """How hard to try. ``backoff`` seconds doubles per attempt (capped at ``max_backoff``).

    ``timeout`` limits each wait for bytes; ``page_deadline`` limits one request in total (a
    server trickling bytes never hits the read timeout) and is then a transient fault, retried;
    ``table_deadline`` limits one table in total, retries included, and then fails the table
    (its last good snapshot stays). Defaults from ``ANALYSIS_PAGE_DEADLINE`` and
    ``ANALYSIS_TABLE_DEADLINE`` (seconds).
    """

    page_retries: int = 4
    table_retries: int = 2
    backoff: float = 1.0
    max_backoff: float = 30.0
    timeout: tuple[float, float] = (10.0, 120.0)  # connect, read
    max_pages: int = 100_000
    page_deadline: float = field(
        default_factory=lambda: env_seconds("ANALYSIS_PAGE_DEADLINE", PAGE_DEADLINE)
    )
    table_deadline: float = field(
        default_factory=lambda: env_seconds("ANALYSIS_TABLE_DEADLINE", TABLE_DEADLINE)
    )

    def sleep(self, attempt: int) -> None:
        time.sleep(min(self.backoff * (2**attempt), self.max_backoff))


@dataclass
class _Tracker:
    table_id: str
    policy: RetryPolicy
    progress: Callable[[str], None]
    seen: set[str] = field(default_factory=set)
    pages: int = 0
    rows: int = 0
    retries: int = 0
    table_end: float = float("inf")  # time.monotonic() deadline of the whole table

    def page_budget(self, url: str) -> float:
        """Seconds this request may take; raises :class:`TableDeadline` when none are left."""
        left = self.table_end - time.monotonic()
        if left <= 0:
            raise TableDeadline(
                self.table_id,
                f"no complete download within the table deadline of "
                f"{self.policy.table_deadline:g} s (ANALYSIS_TABLE_DEADLINE); last request {url.split('?')[0]}",
            )
        return min(self.policy.page_deadline, left)


class TableDeadline(FetchError):
    """A table took longer than its total deadline; not retried."""


def _socket_of(response: requests.Response):
    raw = response.raw
    for path in (("_connection", "sock"), ("_fp", "fp", "raw", "_sock")):
        obj = raw
        for name in path:
            obj = getattr(obj, name, None)
            if obj is None:
                break
        if obj is not None and hasattr(obj, "shutdown"):
            return obj
    return None


def _read_body(response: requests.Response, seconds: float, url: str) -> bytes:
    """The whole body, or :class:`DeadlineExceeded` after ``seconds`` in total."""
    sock = _socket_of(response)
    fired = threading.Event()

    def expire() -> None:
        fired.set()
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(max(seconds, 0.0), expire)
    timer.daemon = True
    timer.start()
    try:
        body = response.content
    except Exception:
        if fired.is_set():
            raise DeadlineExceeded(
                f"{url.split('?')[0]}: no complete answer within {seconds:g} s "
                "(ANALYSIS_PAGE_DEADLINE)"
            ) from None
        raise
    finally:
        timer.cancel()
    if fired.is_set():
        raise DeadlineExceeded(
            f"{url.split('?')[0]}: no complete answer within {seconds:g} s (ANALYSIS_PAGE_DEADLINE)"
        )
    return body


def _not_json(url: str, response: requests.Response, body: bytes) -> NotJson:
    ctype = response.headers.get("Content-Type", "?")
    start = " ".join(body[:80].decode("utf-8", "replace").split())
    return NotJson(
        f"{url.split('?')[0]} answered HTTP 200 with {ctype} instead of JSON (starts {start!r}); the "
        "address is not a CBS OData service or answers with a login/maintenance page: check "
        "CBS_CATALOG_URL and any proxy, then try again later"
    )


_tracker: _Tracker | None = None


class _PageSession(requests.Session):
    """A ``requests.Session`` that retries one page at a time and watches for loops."""

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:  # type: ignore[override]
        tr = _tracker
        if tr is None:  # not inside a managed download
            return super().send(request, **kwargs)
        url = request.url or ""
        if url in tr.seen:
            raise NextLinkLoop(f"{tr.table_id}: odata.nextLink repeats {url}")
        if tr.pages >= tr.policy.max_pages:
            raise NextLinkLoop(f"{tr.table_id}: more than {tr.policy.max_pages} pages")
        kwargs.setdefault("timeout", tr.policy.timeout)
        kwargs["stream"] = True  # the body is read below, within the page deadline
        last_exc: Exception | None = None
        for attempt in range(tr.policy.page_retries + 1):
            try:
                budget = tr.page_budget(url)
                t0 = time.monotonic()
                response = super().send(request, **kwargs)
                # read the whole body now: resets and deadlines surface here
                body = _read_body(response, budget - (time.monotonic() - t0), url)
                if response.status_code in RETRY_STATUS:
                    raise _TransientStatus(response)
                if response.status_code == 200:
                    try:
                        doc = json.loads(body)
                    except (json.JSONDecodeError, UnicodeDecodeError):
                        if body.lstrip()[:1] == b"<":
                            raise _not_json(url, response, body) from None
                        raise
                    n = len(doc.get("value", [])) if isinstance(doc, dict) else 0
                    tr.rows += n
                tr.seen.add(url)
                tr.pages += 1
                entity = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
                tr.progress(f"{tr.table_id}: page {tr.pages} ({entity}, {tr.rows} records so far)")
                return response
            except _TransientStatus as exc:
                last_exc = exc
                if attempt == tr.policy.page_retries:
                    return exc.response  # cbsodata's raise_for_status reports it
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
                json.JSONDecodeError,
                NotJson,
            ) as exc:
                last_exc = exc
                if attempt == tr.policy.page_retries:
                    raise
            tr.retries += 1
            tr.progress(
                f"{tr.table_id}: transient fault ({type(last_exc).__name__}: "
                f"{str(last_exc)[:120]}); retry {attempt + 1}/{tr.policy.page_retries}"
            )
            tr.policy.sleep(attempt)
        raise AssertionError("unreachable")  # pragma: no cover


@contextlib.contextmanager
def _client(settings: Settings, catalog: str, tracker: _Tracker) -> Iterator[str]:
    """Point cbsodata at a catalog and route its pages through :class:`_PageSession`."""
    global _tracker
    host, https = split_base_url(settings.catalog_url(catalog))
    with _LOCK:
        old_session, old_https = _cbs3.Session, cbsodata.options.use_https
        _cbs3.Session = _PageSession
        cbsodata.options.use_https = https
        _tracker = tracker
        try:
            yield host
        finally:
            _cbs3.Session = old_session
            cbsodata.options.use_https = old_https
            _tracker = None


def _status_of(exc: BaseException) -> int | None:
    """HTTP status behind a cbsodata error (it re-raises without the response)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        resp = getattr(exc, "response", None)
        if resp is not None and getattr(resp, "status_code", None):
            return int(resp.status_code)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return None


@dataclass
class FetchResult:
    table_id: str
    catalog: str
    status: str  # downloaded | unchanged | cached (offline) | not_found | failed
    snapshot: str | None = None
    modified: str | None = None
    message: str = ""
    seconds: float = 0.0
    pages: int = 0
    records: int = 0
    retries: int = 0

    @property
    def ok(self) -> bool:
        return self.status in {"downloaded", "unchanged", "cached"}


def build_filter(spec: Table, meta: TableMeta, years: Sequence[int]) -> str | None:
    """The ``$filter`` for a table: periods in ``years``, region prefixes, fixed categories."""
    parts: list[str] = []
    pdim = meta.period_dimension()
    if pdim and spec.table_year is None:
        wanted = [y for y in years if spec.covers(y)]
        parts.append(period_filter(pdim, wanted))
    if spec.regions:
        parts.append(prefix_filter(meta.region_dimension(), spec.regions))
    for dim_pattern, cat_pattern in spec.fixed.items():
        dim = meta.dimension(dim_pattern)
        parts.append(keys_filter(dim, meta.category_keys(dim, cat_pattern)))
    return and_filters(parts)


def _meta_for_filter(spec: Table, host: str, info: dict) -> TableMeta:
    props = cbsodata.get_meta(spec.id, "DataProperties", catalog_url=host)
    meta = TableMeta(table_id=spec.id or "", info=info, properties=props)
    for dim_pattern in spec.fixed:
        key = meta.dimension(dim_pattern)
        meta.dimensions[key] = cbsodata.get_meta(spec.id, key, catalog_url=host)
    return meta


def _manifest(spec: Table, info: dict, flt: str | None, base_url: str, staging, synthetic: bool):
    files = snapshot.file_entries(staging)
    periods = []
    pfile = staging / "Perioden.json"
    if pfile.exists():
        periods = [
            {"key": p.get("Key"), "title": p.get("Title"), "status": p.get("Status")}
            for p in json.loads(pfile.read_text(encoding="utf-8"))
        ]
    return {
        "table_id": spec.id,
        "catalog": spec.catalog,
        "base_url": base_url,
        "title": " ".join(str(info.get("Title", "")).split()),
        "short_title": info.get("ShortTitle"),
        "modified": info.get("Modified"),
        "metadata_modified": info.get("MetaDataModified"),
        "updated": info.get("Updated"),
        "record_count_cbs": info.get("RecordCount"),
        "reason_delivery": info.get("ReasonDelivery"),
        "output_status": info.get("OutputStatus"),
        "source": info.get("Source"),
        "retrieved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "filter": flt,
        "select": None,
        "client": f"cbsodata {cbsodata.__version__}",
        "entity": "TypedDataSet",
        "files": files,
        "rows": next((f["rows"] for f in files if f["name"] == "TypedDataSet.json"), 0),
        "periods": periods,
        "synthetic": synthetic,
    }


def _expected_rows(info: dict) -> int:
    try:
        return int(info.get("RecordCount") or 0)
    except (TypeError, ValueError):
        return 0


def _refuse_empty(table_id: str, manifest: dict, info: dict, current) -> None:
    """A data set with 0 records is a failed download when CBS says it has records, or when
    the previous snapshot had rows; the previous snapshot then stays current."""
    if manifest.get("rows"):
        return
    expected = _expected_rows(info)
    previous = snapshot.read_manifest(current).get("rows", 0) if current is not None else 0
    if expected or previous:
        why = f"TableInfos says {expected} records" if expected else ""
        if previous:
            why += f"{'; ' if why else ''}the previous snapshot had {previous} rows"
        raise EmptyDataSet(table_id, f"the server delivered 0 records ({why}); not kept")


def fetch_table(
    spec: Table,
    *,
    years: Sequence[int],
    settings: Settings,
    policy: RetryPolicy | None = None,
    progress: Callable[[str], None] | None = None,
    synthetic: bool = False,
) -> FetchResult:
    """Fetch one declared table into a snapshot (or reuse the current one)."""
    if not spec.fetchable or spec.id is None:
        return FetchResult(str(spec.id), spec.catalog, "failed", message="no table id declared")
    policy = policy or RetryPolicy()
    say = progress or log.info
    t0 = time.monotonic()
    result = FetchResult(spec.id, spec.catalog, "failed")
    current = snapshot.latest(settings.raw_dir, spec.catalog, spec.id)

    if settings.offline:
        if current is None:
            result.message = "offline (ANALYSIS_OFFLINE=1) and no cached snapshot"
        else:
            try:
                snapshot.check(current, spec.id)
            except snapshot.SnapshotError as exc:
                result.message = str(exc)
            else:
                result.status, result.snapshot = "cached", str(current)
                result.modified = snapshot.read_manifest(current).get("modified")
                result.message = "offline: using cached snapshot"
        say(f"{spec.id}: {result.message}")
        return result

    base_url = settings.catalog_url(spec.catalog)
    last_error = "unknown error"
    table_end = time.monotonic() + policy.table_deadline
    for attempt in range(policy.table_retries + 1):
        tracker = _Tracker(spec.id, policy, say, table_end=table_end)
        staging = None
        try:
            with _client(settings, spec.catalog, tracker) as host:
                info = cbsodata.get_info(spec.id, catalog_url=host) or {}
                modified = info.get("Modified")
                if not modified:
                    raise FetchError(spec.id, "TableInfos has no Modified")
                result.modified = modified
                meta = _meta_for_filter(spec, host, info)
                flt = build_filter(spec, meta, years)
                if current is not None:
                    old = snapshot.read_manifest(current)
                    if (
                        old.get("modified") == modified
                        and old.get("filter") == flt
                        and (old.get("rows") or not _expected_rows(info))
                    ):
                        if not snapshot.verify(current):
                            result.status, result.snapshot = "unchanged", str(current)
                            result.message = f"Modified {modified} unchanged; not downloaded again"
                            say(f"{spec.id}: {result.message}")
                            break
                        say(f"{spec.id}: cached snapshot fails its checksums; downloading again")
                staging = snapshot.new_staging(settings.raw_dir, spec.catalog, spec.id)
                tracker.seen.clear()
                say(f"{spec.id}: downloading (Modified {modified}; filter {flt or 'none'})")
                cbsodata.download_data(spec.id, dir=str(staging), filters=flt, catalog_url=host)
                final_info = json.loads((staging / "TableInfos.json").read_text("utf-8"))
                if final_info and final_info[0].get("Modified") != modified:
                    raise FetchError(spec.id, "table was modified during the download")
                manifest = _manifest(spec, info, flt, base_url, staging, synthetic)
                _refuse_empty(spec.id, manifest, info, current)
                final = snapshot.commit(staging, manifest)
                staging = None
                result.status, result.snapshot = "downloaded", str(final)
                result.message = f"{manifest['rows']} records, Modified {modified}"
                say(f"{spec.id}: {result.message} -> {final}")
                break
        except KeyResolutionError as exc:
            last_error = str(exc)
            break  # a renamed column does not heal by retrying
        except TableDeadline as exc:
            last_error = str(exc)
            break
        except (
            requests.HTTPError,
            json.JSONDecodeError,
            requests.RequestException,
            NextLinkLoop,
            FetchError,
            ValueError,
            OSError,
        ) as exc:
            status = _status_of(exc)
            if status == 404:
                result.status = "not_found"
                result.message = f"not found on {base_url} (HTTP 404: wrong or retired table id)"
                say(f"{spec.id}: {result.message}")
                break
            last_error = f"{type(exc).__name__}: {exc}"
            if isinstance(exc, NextLinkLoop):
                break
            if attempt < policy.table_retries:
                say(f"{spec.id}: attempt {attempt + 1} failed ({last_error[:200]}); retrying")
                policy.sleep(attempt)
        finally:
            result.pages += tracker.pages
            result.records = tracker.rows
            result.retries += tracker.retries
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
    if result.status == "failed":
        kept = f"; last good snapshot kept: {current}" if current else "; no earlier snapshot"
        result.message = f"{last_error}{kept}"
        say(f"{spec.id}: FAILED: {result.message}")
    result.seconds = time.monotonic() - t0
    return result


def fetch_tables(
    specs: Sequence[Table],
    *,
    years: Sequence[int],
    settings: Settings,
    policy: RetryPolicy | None = None,
    progress: Callable[[str], None] | None = None,
    synthetic: bool = False,
) -> list[FetchResult]:
    """Fetch several tables; one failing table never stops the others."""
    say = progress or log.info
    results = []
    for i, spec in enumerate(specs, 1):
        say(f"[{i}/{len(specs)}] {spec.id} ({spec.catalog})")
        results.append(
            fetch_table(
                spec,
                years=years,
                settings=settings,
                policy=policy,
                progress=progress,
                synthetic=synthetic,
            )
        )
    return results
