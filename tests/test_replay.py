"""The OData replay server, exercised through the real ``cbsodata`` client on real recordings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cbsodata
import pandas as pd
import pytest
import requests

from analysis.replay import ReplayServer, compile_filter
from tests.conftest import shared_data_dir

BQ = "cbs_statline_bq"
T_BANEN = "83583NED"  # complete table, 7,440 rows, has CategoryGroups
T_KWB = "84799NED"  # partial table, 356 rows, files carry a "_land_gemeenten" suffix


def _shared(sub: str) -> Path:
    path = shared_data_dir() / sub
    if not path.is_dir():
        msg = (
            f"shared test data not found at {path}; set ANALYSIS_SHARED_DATA to the folder "
            f"holding {sub}/ (see /work/shared/data/README.md)"
        )
        if os.environ.get("ANALYSIS_ALLOW_MISSING_SHARED") == "1":
            pytest.skip(msg)
        pytest.fail(msg)
    return path


@pytest.fixture(scope="module")
def bq_root() -> Path:
    root = _shared(BQ)
    for table in (T_BANEN, T_KWB):
        if not (root / table).is_dir():
            pytest.fail(f"shared data folder {root} lacks the recording {table}/")
    return root


@pytest.fixture(scope="module")
def rec(bq_root: Path) -> Callable[[str, str], list[dict[str, Any]]]:
    """Load a recorded entity file (by file stem) as the list of records it holds."""
    cache: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def load(table: str, stem: str) -> list[dict[str, Any]]:
        if (table, stem) not in cache:
            cache[(table, stem)] = json.loads((bq_root / table / f"{stem}.json").read_text())
        return cache[(table, stem)]

    return load


@pytest.fixture(autouse=True)
def _plain_http(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cbsodata.options, "use_https", False)


@pytest.fixture
def srv(bq_root: Path) -> Iterator[ReplayServer]:
    with ReplayServer(bq_root) as server:
        yield server


@pytest.fixture
def paged(bq_root: Path) -> Iterator[ReplayServer]:
    with ReplayServer(bq_root, page_size=1000) as server:
        yield server


def _feed(server: ReplayServer, table: str, entity: str = "") -> str:
    return f"{server.url}/ODataFeed/odata/{table}/{entity}"


def _frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records)


# --- 1. a partial table, files with a suffix ---------------------------------------------------


def test_download_84799_equals_recording(srv: ReplayServer, rec, tmp_path: Path) -> None:
    data = cbsodata.download_data(T_KWB, dir=str(tmp_path), catalog_url=srv.host)

    typed = data["TypedDataSet"]
    assert len(typed) == 356
    by_key = {r["WijkenEnBuurten"].strip(): r for r in typed}
    assert by_key["NL00"]["AantalInwoners_5"] == 17407585
    assert by_key["GM0363"]["AantalInwoners_5"] == 872757
    recorded = rec(T_KWB, "TypedDataSet_land_gemeenten")
    assert [r["AantalInwoners_5"] for r in typed] == [r["AantalInwoners_5"] for r in recorded]

    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == [
        "DataProperties.json",
        "TableInfos.json",
        "TypedDataSet.json",
        "WijkenEnBuurten.json",
    ]
    for name, stem in [
        ("TableInfos", "TableInfos"),
        ("DataProperties", "DataProperties"),
        ("TypedDataSet", "TypedDataSet_land_gemeenten"),
        ("WijkenEnBuurten", "WijkenEnBuurten_land_gemeenten"),
    ]:
        assert json.loads((tmp_path / f"{name}.json").read_text()) == rec(T_KWB, stem), name

    # One service document, then one request per downloaded entity (356 rows = one page).
    assert [(r.entity, r.status) for r in srv.requests] == [
        ("", 200),
        ("TableInfos", 200),
        ("TypedDataSet", 200),
        ("DataProperties", 200),
        ("WijkenEnBuurten", 200),
    ]


# --- 2. paging through odata.nextLink ----------------------------------------------------------


def test_83583_pages_through_nextlink(paged: ReplayServer, rec, tmp_path: Path) -> None:
    data = cbsodata.download_data(T_BANEN, dir=str(tmp_path), catalog_url=paged.host)

    assert data["TypedDataSet"] == rec(T_BANEN, "TypedDataSet")
    assert len(data["TypedDataSet"]) == 7440
    for stem in ("TableInfos", "DataProperties", "CategoryGroups", "Perioden"):
        assert data[stem] == rec(T_BANEN, stem)
        assert json.loads((tmp_path / f"{stem}.json").read_text()) == rec(T_BANEN, stem)

    pages = [r for r in paged.requests if r.entity == "TypedDataSet"]
    assert len(pages) == 8
    assert [r.page for r in pages] == list(range(8))
    assert [r.query.get("$skip") for r in pages] == [None] + [str(n * 1000) for n in range(1, 8)]
    assert all(r.status == 200 for r in paged.requests)


def test_nextlink_keeps_filter_and_select(bq_root: Path, rec) -> None:
    flt = "startswith(BedrijfstakkenBranchesSBI2008,'3') and Perioden ne '2010JJ00'"
    with ReplayServer(bq_root, page_size=1000) as server:
        data = cbsodata.download_data(
            T_BANEN,
            catalog_url=server.host,
            filters=flt,
            select=["Perioden", "BanenVanWerknemersInDecember_1"],
        )
        pages = [r for r in server.requests if r.entity == "TypedDataSet"]
    df = _frame(rec(T_BANEN, "TypedDataSet"))
    mask = df["BedrijfstakkenBranchesSBI2008"].str.startswith("3") & (df["Perioden"] != "2010JJ00")
    expected = df.loc[mask, ["Perioden", "BanenVanWerknemersInDecember_1"]]
    got = data["TypedDataSet"]
    assert len(got) == len(expected) > 1000
    assert [list(r) for r in got[:1]] == [["Perioden", "BanenVanWerknemersInDecember_1"]]
    assert [r["Perioden"] for r in got] == expected["Perioden"].tolist()
    assert len(pages) == -(-len(expected) // 1000) > 1
    assert all(p.query["$filter"] == flt for p in pages)
    assert all(p.query["$select"] == "Perioden,BanenVanWerknemersInDecember_1" for p in pages)


# --- 3. $filter, $select, $top, $skip ----------------------------------------------------------


def test_filter_period_eq(srv: ReplayServer, rec) -> None:
    data = cbsodata.download_data(T_BANEN, catalog_url=srv.host, filters="Perioden eq '2015JJ00'")
    expected = [r for r in rec(T_BANEN, "TypedDataSet") if r["Perioden"] == "2015JJ00"]
    assert len(expected) == 744
    assert data["TypedDataSet"] == expected


def test_filter_padded_keys_like_cbs(srv: ReplayServer) -> None:
    def rows(flt: str) -> list[dict[str, Any]]:
        return cbsodata.download_data(T_KWB, catalog_url=srv.host, filters=flt)["TypedDataSet"]

    assert len(rows("startswith(WijkenEnBuurten,'GM')")) == 355
    assert rows("WijkenEnBuurten eq 'GM0363'") == []
    amsterdam = rows("WijkenEnBuurten eq 'GM0363    '")
    assert [(r["WijkenEnBuurten"], r["AantalInwoners_5"]) for r in amsterdam] == [
        ("GM0363    ", 872757)
    ]


FILTER_CASES: list[tuple[str, str, Callable[[pd.DataFrame], pd.Series]]] = [
    (
        T_KWB,
        "substringof('0363',WijkenEnBuurten)",
        lambda d: d.WijkenEnBuurten.str.contains("0363"),
    ),
    (
        T_KWB,
        "startswith(WijkenEnBuurten,'GM') and AantalInwoners_5 ge 100000 "
        "or WijkenEnBuurten eq 'NL00      '",
        lambda d: (
            (d.WijkenEnBuurten.str.startswith("GM") & (d.AantalInwoners_5 >= 100000))
            | (d.WijkenEnBuurten == "NL00      ")
        ),
    ),
    (
        T_KWB,
        "startswith(WijkenEnBuurten,'GM') and (AantalInwoners_5 lt 10000 or "
        "substringof('dam',Gemeentenaam_1))",
        lambda d: (
            d.WijkenEnBuurten.str.startswith("GM")
            & ((d.AantalInwoners_5 < 10000) | d.Gemeentenaam_1.str.contains("dam"))
        ),
    ),
    (T_KWB, "not startswith(SoortRegio_2,'Gemeente')", lambda d: d.SoortRegio_2 == "Land      "),
    (
        T_KWB,
        "startswith(Gemeentenaam_1,'''s-')",
        lambda d: d.Gemeentenaam_1.str.startswith("'s-"),
    ),
    (
        T_KWB,
        "PersonenautoSPerHuishouden_102 eq null",
        lambda d: d.PersonenautoSPerHuishouden_102.isna(),
    ),
    (
        T_BANEN,
        "(Perioden eq '2015JJ00' or Perioden eq '2019JJ00') and Bedrijfsgrootte ne 'T001098'",
        lambda d: d.Perioden.isin(["2015JJ00", "2019JJ00"]) & (d.Bedrijfsgrootte != "T001098"),
    ),
    (
        T_BANEN,
        "BanenVanWerknemersInDecember_1 gt 100.5 and not (Perioden eq '2010JJ00')",
        lambda d: (d.BanenVanWerknemersInDecember_1 > 100.5) & (d.Perioden != "2010JJ00"),
    ),
    (
        T_BANEN,
        "BedrijfstakkenBranchesSBI2008 eq '301000 ' and trim(Bedrijfsgrootte) eq 'WP19109'",
        lambda d: (d.BedrijfstakkenBranchesSBI2008 == "301000 ") & (d.Bedrijfsgrootte == "WP19109"),
    ),
]


@pytest.mark.parametrize(("table", "flt", "mask"), FILTER_CASES, ids=[c[1] for c in FILTER_CASES])
def test_filter_matches_pandas(srv: ReplayServer, rec, table: str, flt: str, mask) -> None:
    stem = "TypedDataSet" if table == T_BANEN else "TypedDataSet_land_gemeenten"
    df = _frame(rec(table, stem))
    expected_ids = df.loc[mask(df), "ID"].tolist()
    got = cbsodata.download_data(table, catalog_url=srv.host, filters=flt)["TypedDataSet"]
    assert [r["ID"] for r in got] == expected_ids
    assert 0 < len(expected_ids) < len(df)


MALFORMED = [
    ("Perioden eq", "expected an operand"),
    ("Perioden eq '2015JJ00", "unterminated string"),
    ("(Perioden eq '2015JJ00'", "expected ')'"),
    ("Perioden eqq '2015JJ00'", "unexpected 'eqq'"),
    ("Onbekend eq 'x'", "property named 'Onbekend'"),
    ("startswith(Perioden)", "takes 2 argument(s)"),
    ("beginswith(Perioden,'2015')", "unknown function 'beginswith'"),
    ("Perioden eq 2015", "incompatible with operand types"),
    ("Perioden eq '2015JJ00' and", "expected an operand"),
    ("Perioden eq '2015JJ00' # 1", "unexpected character '#'"),
]


@pytest.mark.parametrize(("flt", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_filter_is_http_400(srv: ReplayServer, flt: str, message: str) -> None:
    with pytest.raises(requests.HTTPError, match="400"):
        cbsodata.download_data(T_BANEN, catalog_url=srv.host, filters=flt)
    r = requests.get(
        _feed(srv, T_BANEN, "TypedDataSet"), params={"$format": "json", "$filter": flt}
    )
    assert r.status_code == 400
    assert message in r.json()["odata.error"]["message"]["value"]


def test_select_top_skip(srv: ReplayServer, rec) -> None:
    url = _feed(srv, T_BANEN, "TypedDataSet")
    recorded = rec(T_BANEN, "TypedDataSet")

    r = requests.get(url, params={"$format": "json", "$select": "Perioden, ID", "$top": "5"})
    assert r.status_code == 200
    assert r.json()["value"] == [{"ID": x["ID"], "Perioden": x["Perioden"]} for x in recorded[:5]]
    assert "odata.nextLink" not in r.json()

    r = requests.get(url, params={"$format": "json", "$top": "3", "$skip": "7437"})
    assert r.json()["value"] == recorded[7437:]

    r = requests.get(url, params={"$format": "json", "$skip": "7440"})
    assert r.json()["value"] == []

    r = requests.get(url, params={"$format": "json", "$select": "Perioden,Regio"})
    assert r.status_code == 400
    assert "'Regio'" in r.text

    r = requests.get(url, params={"$format": "json", "$top": "-1"})
    assert r.status_code == 400

    r = requests.get(url, params={"$format": "json", "$orderby": "Perioden"})
    assert r.status_code == 400
    assert "$orderby" in r.text


def test_top_larger_than_page_is_paged(bq_root: Path, rec) -> None:
    with ReplayServer(bq_root, page_size=1000) as server:
        url = _feed(server, T_BANEN, "TypedDataSet")
        first = requests.get(url, params={"$format": "json", "$top": "2500", "$skip": "10"}).json()
        assert first["value"] == rec(T_BANEN, "TypedDataSet")[10:1010]
        rows = list(first["value"])
        link = first.get("odata.nextLink")
        while link:
            body = requests.get(link).json()
            rows += body["value"]
            link = body.get("odata.nextLink")
    assert rows == rec(T_BANEN, "TypedDataSet")[10:2510]


def test_count_and_inlinecount(srv: ReplayServer) -> None:
    url = _feed(srv, T_KWB, "TypedDataSet")
    r = requests.get(url + "/$count", params={"$filter": "startswith(WijkenEnBuurten,'GM')"})
    assert (r.status_code, r.text) == (200, "355")
    body = requests.get(url, params={"$inlinecount": "allpages", "$top": "1"}).json()
    assert body["odata.count"] == "356"
    assert len(body["value"]) == 1


def test_compile_filter_precedence() -> None:
    # OData precedence: and binds tighter than or; not applies to the primary that follows.
    pred = compile_filter("A eq 'x' or A eq 'y' and B eq 1")
    assert pred({"A": "x", "B": 2}) is True
    assert pred({"A": "y", "B": 2}) is False
    assert compile_filter("not (A eq 'x')")({"A": "z"}) is True
    assert compile_filter("A ne null and length(A) gt 2")({"A": "abc"}) is True
    assert compile_filter("substringof('b',A)")({"A": None}) is False


# --- 4. the synthesised UntypedDataSet ---------------------------------------------------------


def test_untyped_is_synthesised_like_cbs(srv: ReplayServer, rec) -> None:
    names = [
        e["name"]
        for e in requests.get(_feed(srv, T_BANEN), params={"$format": "json"}).json()["value"]
    ]
    assert names == [
        "TableInfos",
        "UntypedDataSet",
        "TypedDataSet",
        "DataProperties",
        "CategoryGroups",
        "BedrijfstakkenBranchesSBI2008",
        "Bedrijfsgrootte",
        "Perioden",
    ]
    typed = rec(T_BANEN, "TypedDataSet")
    untyped = requests.get(_feed(srv, T_BANEN, "UntypedDataSet")).json()["value"]
    assert len(untyped) == len(typed) == 7440
    widths = {len(u["BanenVanWerknemersInDecember_1"]) for u in untyped}
    assert len(widths) == 1
    nulls = 0
    for t, u in zip(typed, untyped, strict=True):
        for key in ("ID", "BedrijfstakkenBranchesSBI2008", "Bedrijfsgrootte", "Perioden"):
            assert u[key] == t[key]
        cell = u["BanenVanWerknemersInDecember_1"]
        if t["BanenVanWerknemersInDecember_1"] is None:
            nulls += 1
            assert cell.strip() == "." and cell.startswith(" ")
        else:
            assert float(cell) == t["BanenVanWerknemersInDecember_1"]
            assert cell == f"{t['BanenVanWerknemersInDecember_1']:.1f}".rjust(len(cell))
    assert nulls == 835


def test_download_typed_true_fetches_untyped(srv: ReplayServer, rec) -> None:
    # cbsodata 1.3.5 inverts the flag: typed=True downloads the UntypedDataSet.
    data = cbsodata.download_data(T_KWB, typed=True, catalog_url=srv.host)
    assert "TypedDataSet" not in data
    untyped = data["UntypedDataSet"]
    typed = rec(T_KWB, "TypedDataSet_land_gemeenten")
    assert len(untyped) == len(typed) == 356
    amsterdam = next(r for r in untyped if r["WijkenEnBuurten"] == "GM0363    ")
    assert amsterdam["AantalInwoners_5"].strip() == "872757"
    assert amsterdam["WmoClienten_89"].strip() == "."
    assert amsterdam["WmoClienten_89"] != "."  # right-aligned, padded
    # Filters compare against the untyped strings, as at CBS.
    ams = cbsodata.download_data(
        T_KWB, typed=True, catalog_url=srv.host, filters="WijkenEnBuurten eq 'GM0363    '"
    )["UntypedDataSet"]
    assert ams == [amsterdam]


# --- 5. unknown table / entity -----------------------------------------------------------------


def test_unknown_table_is_404(srv: ReplayServer) -> None:
    with pytest.raises(requests.HTTPError, match="404"):
        cbsodata.download_data("99999NED", catalog_url=srv.host)
    with pytest.raises(requests.HTTPError, match="404"):
        cbsodata.get_info("99999NED", catalog_url=srv.host)
    r = requests.get(_feed(srv, "99999NED"), params={"$format": "json"})
    assert r.status_code == 404
    with pytest.raises(ValueError):
        r.json()
    # Ids are kept verbatim: the lowercase id is a different (unknown) table.
    assert requests.get(_feed(srv, T_BANEN.lower(), "TableInfos")).status_code == 404
    assert requests.get(_feed(srv, T_BANEN, "Regios")).status_code == 404


# --- 6. faults ---------------------------------------------------------------------------------


FAULTS: list[tuple[str, dict[str, Any], tuple[type[BaseException], ...], str | None]] = [
    ("http500", {}, (requests.HTTPError,), "500"),
    ("http503", {}, (requests.HTTPError,), "503"),
    ("drop", {}, (requests.exceptions.ChunkedEncodingError,), "IncompleteRead"),
    ("reset", {}, (requests.ConnectionError,), None),
    ("truncate", {}, (json.JSONDecodeError,), None),
    ("slow", {"delay": 30.0}, (requests.exceptions.ReadTimeout,), None),
]


@pytest.mark.parametrize(("kind", "extra", "errors", "match"), FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_seen_by_client_then_recovers(
    srv: ReplayServer, rec, kind: str, extra: dict[str, Any], errors, match: str | None
) -> None:
    handle = srv.inject(kind, table=T_BANEN, entity="TableInfos", **extra)
    with pytest.raises(errors, match=match):
        cbsodata.get_info(T_BANEN, catalog_url=srv.host, timeout=0.5 if kind == "slow" else 30)
    assert [(f.kind, f.table, f.entity) for f in srv.fired] == [(kind, T_BANEN, "TableInfos")]
    assert handle.remaining == 0 and not handle.active
    # A request that does not match is untouched, and once `times` is used up the same
    # request succeeds.
    assert cbsodata.get_info(T_KWB, catalog_url=srv.host)["Identifier"] == T_KWB
    assert cbsodata.get_info(T_BANEN, catalog_url=srv.host) == rec(T_BANEN, "TableInfos")[0]
    assert len(srv.fired) == 1
    # Requests are logged when answered; the slow one is still asleep (until stop()).
    assert [r.fault for r in srv.requests if r.fault] == ([] if kind == "slow" else [kind])


def test_http503_has_retry_after_and_times(srv: ReplayServer) -> None:
    srv.inject("http503", entity="TableInfos", times=2)
    url = _feed(srv, T_KWB, "TableInfos")
    statuses = []
    for _ in range(3):
        r = requests.get(url)
        statuses.append(r.status_code)
        if r.status_code == 503:
            assert r.headers["Retry-After"] == "0"
    assert statuses == [503, 503, 200]


def test_truncate_is_a_complete_response(srv: ReplayServer) -> None:
    srv.inject("truncate", entity="DataProperties")
    r = requests.get(_feed(srv, T_KWB, "DataProperties"))
    assert r.status_code == 200
    assert int(r.headers["Content-Length"]) == len(r.content)
    with pytest.raises(ValueError):
        r.json()
    full = requests.get(_feed(srv, T_KWB, "DataProperties"))
    assert len(full.content) > len(r.content)
    assert full.content.startswith(r.content)


def test_drop_on_one_page_then_full_download(paged: ReplayServer, rec) -> None:
    paged.inject("drop", table=T_BANEN, entity="TypedDataSet", page=3)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        cbsodata.download_data(T_BANEN, catalog_url=paged.host)
    pages = [r.page for r in paged.requests if r.entity == "TypedDataSet"]
    assert pages == [0, 1, 2, 3]
    assert [(f.kind, f.page) for f in paged.fired] == [("drop", 3)]
    data = cbsodata.download_data(T_BANEN, catalog_url=paged.host)
    assert data["TypedDataSet"] == rec(T_BANEN, "TypedDataSet")


def test_fault_forever_until_cancelled(srv: ReplayServer) -> None:
    handle = srv.inject("http500", table=T_KWB, times=None)
    for _ in range(3):
        with pytest.raises(requests.HTTPError, match="500"):
            cbsodata.get_info(T_KWB, catalog_url=srv.host)
    assert handle.fired_count == 3 and handle.active
    handle.cancel()
    assert srv.faults == []
    assert cbsodata.get_info(T_KWB, catalog_url=srv.host)["Identifier"] == T_KWB
    srv.inject("reset", times=None)
    with pytest.raises(requests.ConnectionError):
        cbsodata.get_table_list(catalog_url=srv.host)
    srv.clear_faults()
    assert len(cbsodata.get_table_list(catalog_url=srv.host)) == 2


def test_nextlink_loop_points_at_itself(srv: ReplayServer) -> None:
    srv.inject("nextlink_loop", table=T_KWB, entity="TypedDataSet", times=None)
    url = _feed(srv, T_KWB, "TypedDataSet") + "?$format=json"
    for _ in range(4):
        r = requests.get(url)
        assert r.status_code == 200
        assert len(r.json()["value"]) == 356
        assert r.json()["odata.nextLink"] == r.url == url
        url = r.json()["odata.nextLink"]
    assert len(srv.fired) == 4
    srv.clear_faults()
    assert "odata.nextLink" not in requests.get(url).json()


def test_stop_interrupts_slow_fault(bq_root: Path) -> None:
    server = ReplayServer(bq_root).start()
    try:
        server.inject("slow", delay=600.0)
        with pytest.raises(requests.exceptions.ReadTimeout):
            requests.get(_feed(server, T_KWB, "TableInfos"), timeout=0.3)
    finally:
        server.stop()
    # stop() waits for the handler; the slow request was abandoned without a response
    # (had the sleep not been interrupted, no record would exist yet).
    assert [(r.fault, r.status) for r in server.requests] == [("slow", 0)]


# --- 7. ODataApi, catalog, geo, tables at runtime, CLI -----------------------------------------


def test_odataapi_cell_limit(srv: ReplayServer, rec) -> None:
    api = f"{srv.url}/ODataApi/odata/{T_BANEN}/TypedDataSet"
    r = requests.get(api, params={"$format": "json"})
    assert r.status_code == 500
    assert "more than 10000 records" in r.text
    r = requests.get(api, params={"$format": "json", "$top": "9999"})
    assert r.status_code == 200 and len(r.json()["value"]) == 7440
    assert "odata.nextLink" not in r.json()
    small = requests.get(
        f"{srv.url}/odataapi/OData/{T_BANEN}/TypedDataSet",
        params={
            "$format": "json",
            "$filter": "Perioden eq '2015JJ00' and Bedrijfsgrootte eq 'T001098'",
        },
    )
    assert small.status_code == 200
    expected = [
        r
        for r in rec(T_BANEN, "TypedDataSet")
        if r["Perioden"] == "2015JJ00" and r["Bedrijfsgrootte"] == "T001098"
    ]
    assert small.json()["value"] == expected
    assert small.json()["odata.metadata"].endswith("#Cbs.OData.WebAPI.TypedDataSet")


def test_catalog_tables(srv: ReplayServer, rec) -> None:
    tables = cbsodata.get_table_list(catalog_url=srv.host)
    assert [t["Identifier"] for t in tables] == [T_BANEN, T_KWB]
    for t in tables:
        info = rec(t["Identifier"], "TableInfos")[0]
        for key in ("Title", "ShortTitle", "Modified", "Updated", "RecordCount", "ColumnCount"):
            assert t[key] == info[key]
        assert t["Catalog"] == "CBS"
        assert t["FeedUrl"] == f"{srv.url}/ODataFeed/OData/{t['Identifier']}"
        assert t["ApiUrl"] == f"{srv.url}/ODataApi/OData/{t['Identifier']}"
    only = cbsodata.get_table_list(
        catalog_url=srv.host, filters=f"Identifier eq '{T_KWB}'", select=["Identifier", "Modified"]
    )
    assert only == [{"Identifier": T_KWB, "Modified": "2021-03-26T02:00:00"}]


def test_geo_static_files(bq_root: Path) -> None:
    cartomap = _shared("cartomap")
    with ReplayServer(bq_root, geo_dir=cartomap) as server:
        r = requests.get(f"{server.url}/geo/gemeente_2023.topojson")
        assert r.status_code == 200
        assert r.content == (cartomap / "gemeente_2023.topojson").read_bytes()
        assert requests.get(f"{server.url}/geo/gemeente_1999.topojson").status_code == 404
        assert requests.get(f"{server.url}/geo/..%2FREADME.md").status_code == 404
        server.inject("http503", entity="gemeente_2023.topojson")
        assert requests.get(f"{server.url}/geo/gemeente_2023.topojson").status_code == 503
    with ReplayServer(bq_root) as server:
        assert requests.get(f"{server.url}/geo/gemeente_2023.topojson").status_code == 404


def test_add_replace_remove_table(srv: ReplayServer, bq_root: Path, tmp_path: Path, rec) -> None:
    # A "new release": the same files, but a TableInfos with a later Modified.
    release = tmp_path / "release"
    release.mkdir()
    for src in (bq_root / T_BANEN).glob("*.json"):
        if src.name != "TableInfos.json":
            (release / src.name).symlink_to(src)
    info = dict(rec(T_BANEN, "TableInfos")[0], Modified="2026-01-01T02:00:00")
    (release / "TableInfos.json").write_text(json.dumps([info]))

    srv.add_table(T_BANEN, release)
    assert cbsodata.get_info(T_BANEN, catalog_url=srv.host)["Modified"] == "2026-01-01T02:00:00"
    # A changed file on disk is reloaded.
    info["Modified"] = "2026-02-01T02:00:00"
    (release / "TableInfos.json").write_text(json.dumps([info], indent=1))
    assert cbsodata.get_info(T_BANEN, catalog_url=srv.host)["Modified"] == "2026-02-01T02:00:00"

    # Served under a lowercase id as well, case preserved.
    srv.add_table("83583ned", release)
    assert cbsodata.get_info("83583ned", catalog_url=srv.host)["Identifier"] == T_BANEN
    assert "83583ned" in [t["Identifier"] for t in cbsodata.get_table_list(catalog_url=srv.host)]

    srv.remove_table(T_BANEN)
    with pytest.raises(requests.HTTPError, match="404"):
        cbsodata.get_info(T_BANEN, catalog_url=srv.host)


def test_mapping_root_and_bad_roots(bq_root: Path, tmp_path: Path) -> None:
    with ReplayServer({"kwb": bq_root / T_KWB}) as server:
        assert server.tables == {"kwb": bq_root / T_KWB}
        assert len(cbsodata.download_data("kwb", catalog_url=server.host)["TypedDataSet"]) == 356
    with pytest.raises(ValueError, match="itself a table dump"):
        ReplayServer(bq_root / T_BANEN)
    with pytest.raises(FileNotFoundError):
        ReplayServer(tmp_path / "missing")
    with pytest.raises(ValueError, match="unknown fault kind"):
        ReplayServer(tmp_path).inject("explode")


def test_cli_serves_until_stopped(bq_root: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis.replay", str(bq_root), "--page-size", "5000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:")
        body = requests.get(f"{base}/ODataFeed/odata/{T_BANEN}/TypedDataSet", timeout=10).json()
        assert len(body["value"]) == 5000
        assert "$skip=5000" in body["odata.nextLink"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
