"""OData v3 routing and responses: entity rows, ``$select``/``$filter``/paging, catalog, geo."""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from analysis.replay.dumps import _Layout, _scan_layout, synthesise_untyped
from analysis.replay.filter import FilterError, compile_filter

JSON_TYPE = "application/json;charset=utf-8"
TEXT_TYPE = "text/plain;charset=utf-8"
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


class _ODataService:
    """Routing and OData responses of :class:`~analysis.replay.server.ReplayServer`.

    A mixin: it uses the server's ``page_size``, ``api_cell_limit``, ``geo_dir``, ``tables``,
    ``_lock``, ``_tables``, ``_cache`` and ``_filter_cache``.
    """

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
