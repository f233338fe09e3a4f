"""The real cbsodata client through the replay server: snapshots, reuse, 404s, faults."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from analysis import registry
from analysis.build import extract_measures
from analysis.cbs import snapshot
from analysis.cbs.fetch import RetryPolicy, fetch_table, fetch_tables
from analysis.config import Settings, settings
from analysis.replay import ReplayServer

FAST = RetryPolicy(page_retries=3, table_retries=1, backoff=0.01, timeout=(2.0, 1.0))
KWB = registry.table("84799NED")
BANEN = registry.Table(  # a small complete real table, declared like any other
    "83583NED",
    r"Banen van werknemers",
    "test_banen",
    "test",
    (2010, 2019),
    regions=(),
    fixed={"Bedrijfsgrootte": r"^Totaal$"},
)


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture()
def server(recordings: Path, tmp_path: Path) -> Iterator[ReplayServer]:
    root = tmp_path / "served"
    root.mkdir()
    with ReplayServer(
        {"84799NED": recordings / "84799NED", "83583NED": recordings / "83583NED"}, page_size=100
    ) as srv:
        yield srv


@pytest.fixture()
def cfg(server: ReplayServer, tmp_path: Path) -> Settings:
    return replace(
        settings(),
        data_dir=tmp_path / "data",
        catalog_urls={"opendata": server.url, "dataderden": server.url},
        offline=False,
    )


def test_kwb_population_of_every_gemeente_exactly_as_recorded(
    cfg: Settings, recordings: Path
) -> None:
    result = fetch_table(KWB, years=[2020], settings=cfg, policy=FAST)
    assert result.status == "downloaded", result.message
    df = extract_measures(KWB, Path(result.snapshot))
    df = df[df["indicator"] == "bevolking_totaal"]
    recorded = json.loads(
        (recordings / "84799NED" / "TypedDataSet_land_gemeenten.json").read_text()
    )
    expected = {r["WijkenEnBuurten"].strip(): r["AantalInwoners_5"] for r in recorded}
    got = dict(zip(df["regio_code"], df["waarde"], strict=True))
    assert len(got) == 356
    assert got.pop("NL01") == expected.pop("NL00") == 17_407_585
    assert got == {k: float(v) for k, v in expected.items()}
    assert got["GM0363"] == 872_757
    assert (df["regio_niveau"] == "gemeente").sum() == 355


def test_manifest_records_provenance(cfg: Settings) -> None:
    result = fetch_table(KWB, years=[2020], settings=cfg, policy=FAST)
    folder = Path(result.snapshot)
    man = snapshot.read_manifest(folder)
    assert folder.name == "2021-03-26T020000"
    assert man["table_id"] == "84799NED" and man["catalog"] == "opendata"
    assert man["modified"] == "2021-03-26T02:00:00"
    assert man["title"] == "Kerncijfers wijken en buurten 2020"
    assert man["filter"] == (
        "(startswith(WijkenEnBuurten,'NL') or startswith(WijkenEnBuurten,'GM'))"
    )
    assert man["rows"] == 356 and man["retrieved_at"]
    names = {f["name"] for f in man["files"]}
    assert {"TableInfos.json", "DataProperties.json", "TypedDataSet.json"} <= names
    assert "UntypedDataSet.json" not in names  # cbsodata's inverted flag: typed set only
    assert snapshot.verify(folder) == []


def test_filter_keeps_request_small(cfg: Settings, server: ReplayServer) -> None:
    """Fixed categories and periods go into $filter: only Totaal rows are transferred."""
    result = fetch_table(BANEN, years=range(2015, 2020), settings=cfg, policy=FAST)
    assert result.status == "downloaded", result.message
    rows = json.loads((Path(result.snapshot) / "TypedDataSet.json").read_text())
    assert {r["Bedrijfsgrootte"] for r in rows} == {"T001098"}
    assert {r["Perioden"][:4] for r in rows} == {"2015", "2016", "2017", "2018", "2019"}
    assert len(rows) == 124 * 5  # every branch, one size class, five years


def test_unchanged_modified_is_not_downloaded_again(cfg: Settings, server: ReplayServer) -> None:
    first = fetch_table(KWB, years=[2020], settings=cfg, policy=FAST)
    before = _tree_digest(Path(first.snapshot))
    server.clear_log()
    second = fetch_table(KWB, years=[2020], settings=cfg, policy=FAST)
    assert second.status == "unchanged" and "not downloaded again" in second.message
    assert not [r for r in server.requests if "DataSet" in r.path]
    assert _tree_digest(Path(first.snapshot)) == before


def test_new_release_gets_a_new_snapshot(
    cfg: Settings, server: ReplayServer, recordings: Path, tmp_path: Path
) -> None:
    first = fetch_table(KWB, years=[2020], settings=cfg, policy=FAST)
    release = _new_release(recordings / "84799NED", tmp_path / "release", "2021-09-30T02:00:00")
    server.add_table("84799NED", release)
    second = fetch_table(KWB, years=[2020], settings=cfg, policy=FAST)
    assert second.status == "downloaded"
    assert Path(second.snapshot).name == "2021-09-30T020000"
    assert [p.name for p in snapshot.snapshots(cfg.raw_dir, "opendata", "84799NED")] == [
        Path(first.snapshot).name,
        "2021-09-30T020000",
    ]


def test_unknown_table_reported_by_id_and_others_continue(cfg: Settings) -> None:
    ghost = replace(KWB, id="99999NED")
    results = fetch_tables([ghost, KWB], years=[2020], settings=cfg, policy=FAST)
    assert [r.status for r in results] == ["not_found", "downloaded"]
    assert results[0].table_id == "99999NED" and "404" in results[0].message


def test_offline_uses_cache_and_never_connects(cfg: Settings, server: ReplayServer) -> None:
    fetch_table(KWB, years=[2020], settings=cfg, policy=FAST)
    server.clear_log()
    res = fetch_table(KWB, years=[2020], settings=replace(cfg, offline=True), policy=FAST)
    assert res.status == "cached" and server.requests == []
    empty = replace(cfg, offline=True, data_dir=cfg.data_dir.parent / "empty")
    res = fetch_table(KWB, years=[2020], settings=empty, policy=FAST)
    assert res.status == "failed" and "offline" in res.message


def _new_release(src: Path, dst: Path, modified: str) -> Path:
    """A copy of a recording (in tmp, for this test only) with a new Modified date."""
    shutil.copytree(src, dst)
    infos = json.loads((dst / "TableInfos.json").read_text())
    infos[0]["Modified"] = modified
    (dst / "TableInfos.json").write_text(json.dumps(infos, indent=4))
    return dst


FAULTS = [
    ("http500", {}),
    ("http503", {}),
    ("drop", {}),
    ("truncate", {}),
    ("reset", {}),
    ("slow", {"delay": 3.0}),
]


@pytest.mark.parametrize(("kind", "extra"), FAULTS, ids=[f[0] for f in FAULTS])
@pytest.mark.parametrize("persistent", [False, True], ids=["transient", "persistent"])
def test_fault_ends_in_correct_snapshot_or_clean_error(
    kind: str,
    extra: dict,
    persistent: bool,
    cfg: Settings,
    server: ReplayServer,
    recordings: Path,
    tmp_path: Path,
) -> None:
    good = Path(fetch_table(KWB, years=[2020], settings=cfg, policy=FAST).snapshot)
    before = _tree_digest(good)
    release = _new_release(recordings / "84799NED", tmp_path / "release", "2021-09-30T02:00:00")
    server.add_table("84799NED", release)
    server.inject(
        kind,
        table="84799NED",
        entity="TypedDataSet",
        page=2,
        times=None if persistent else 1,
        **extra,
    )
    result = fetch_table(KWB, years=[2020], settings=cfg, policy=FAST)
    base = cfg.raw_dir / "opendata" / "84799NED"
    if persistent:
        assert result.status == "failed"
        assert "84799NED" in f"{result.table_id}: {result.message}"
        assert "last good snapshot kept" in result.message
        assert [p.name for p in base.iterdir()] == [good.name]  # no partial or temp folder
    else:
        assert result.status == "downloaded", result.message
        assert result.retries >= 1
        new = Path(result.snapshot)
        df = extract_measures(KWB, new)
        df = df[df["indicator"] == "bevolking_totaal"]
        assert len(df) == 356 and df.loc[df.regio_code == "NL01", "waarde"].item() == 17_407_585
        assert snapshot.verify(new) == []
    assert _tree_digest(good) == before  # the previous snapshot is byte-for-byte intact
    assert server.fired, "the fault must actually have fired"


def test_nextlink_loop_is_a_clean_error(
    cfg: Settings, server: ReplayServer, recordings: Path, tmp_path: Path
) -> None:
    good = Path(fetch_table(KWB, years=[2020], settings=cfg, policy=FAST).snapshot)
    before = _tree_digest(good)
    server.add_table(
        "84799NED", _new_release(recordings / "84799NED", tmp_path / "r", "2022-01-01T00:00:00")
    )
    server.inject("nextlink_loop", table="84799NED", entity="TypedDataSet", page=1, times=None)
    result = fetch_table(KWB, years=[2020], settings=cfg, policy=FAST)
    assert result.status == "failed" and "nextLink" in result.message
    assert _tree_digest(good) == before
    assert sorted(p.name for p in (cfg.raw_dir / "opendata" / "84799NED").iterdir()) == [good.name]


def test_third_party_catalog_uses_its_own_base_url(recordings: Path, tmp_path: Path) -> None:
    """A table declared in the dataderden catalog is fetched from CBS_THIRD_PARTY_URL."""
    iv3_like = replace(BANEN, catalog="dataderden")
    with (
        ReplayServer({"83583NED": recordings / "83583NED"}) as third,
        ReplayServer({}) as opendata,
    ):
        cfg = replace(
            settings(),
            data_dir=tmp_path / "data",
            catalog_urls={"opendata": opendata.url, "dataderden": third.url},
            offline=False,
        )
        res = fetch_table(iv3_like, years=[2019], settings=cfg, policy=FAST)
        assert res.status == "downloaded", res.message
        assert opendata.requests == [] and third.requests
        third_url = third.url
    man = snapshot.read_manifest(Path(res.snapshot))
    assert Path(res.snapshot).parent == cfg.raw_dir / "dataderden" / "83583NED"
    assert man["catalog"] == "dataderden" and man["base_url"] == third_url
