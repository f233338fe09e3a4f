"""Stapeling and Wmo on real CBS figures: converted exports, the real client, the replay server.

Reference values are read from the exports themselves (``shared/data/cbs_statline_csv``), never
typed in. The stapeling exports are cut at 10 000 rows: the "Totaal" x "Totaal" slice of the
gemeenten and wijken of the first page is what they hold (PROVENANCE §5).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from analysis import registry
from analysis.build import BuildReport
from analysis.cbs.fetch import RetryPolicy, fetch_table
from analysis.config import Settings
from analysis.pipeline import build_processed, fetch_geo
from analysis.replay import ReplayServer
from tests.conftest import shared_data_dir
from tests.realdata.conftest import GEBIEDEN_TABLES, MAATSTAVEN_TABLES, YEARS, served_settings
from tests.realdata.convert import STAPELING_EXPORTS, convert_many, period_key, read_export

WMO_TABLES = ("85896NED", "85043NED", "83262NED")
TABLES = STAPELING_EXPORTS + WMO_TABLES + GEBIEDEN_TABLES + MAATSTAVEN_TABLES
MEASURES = {
    "huishoudens_met_voorziening": "HuishoudensMetVoorzieningen_6",
    "clienten_met_voorziening": "ClientenMetVoorzieningen_5",
}


@pytest.fixture(scope="module")
def stapeling_server(shared_data: Path, tmp_path_factory) -> Iterator[ReplayServer]:
    folders = convert_many(TABLES, tmp_path_factory.mktemp("stapeling_conv"), shared=shared_data)
    with ReplayServer(folders, geo_dir=shared_data / "cartomap") as srv:
        yield srv


@pytest.fixture(scope="module")
def real_stapeling(stapeling_server, tmp_path_factory) -> tuple[Settings, BuildReport]:
    """Processed layer from the converted exports (reference classification 2023)."""
    cfg = served_settings(stapeling_server, tmp_path_factory.mktemp("real_stap") / "data")
    policy = RetryPolicy(backoff=0.01)
    for tid in TABLES:
        res = fetch_table(registry.table(tid), years=YEARS, settings=cfg, policy=policy)
        assert res.status == "downloaded", f"{tid}: {res.message}"
    fetch_geo([2020, 2021, 2022, 2023, 2024], cfg, lambda m: None)
    offline = cfg.__class__(**{**cfg.__dict__, "offline": True})
    return offline, build_processed(offline, indeling_jaar=2023, progress=lambda m: None)


@pytest.fixture(scope="module")
def processed(real_stapeling) -> pd.DataFrame:
    cfg, _ = real_stapeling
    return pd.read_parquet(cfg.processed_dir / "indicators.parquet")


@pytest.fixture(scope="module")
def wijken(real_stapeling) -> pd.DataFrame:
    cfg, _ = real_stapeling
    return pd.read_parquet(cfg.processed_dir / "wijken.parquet")


def _recorded(shared: Path, table_id: str, column: str, soort: str) -> dict:
    """(Codering, period) -> recorded value of the Totaal x Totaal slice (NaN = suppressed)."""
    _, rows = read_export(shared / "cbs_statline_csv" / f"{table_id}.csv")
    out = {}
    for r in rows:
        if (
            r["AantalVoorzieningen"] != "Totaal"
            or r.get("SoortVoorzieningSociaalDomein", "Totaal") != "Totaal"
        ):
            continue
        code = r["Codering_3"].strip()
        if not code.startswith(soort):
            continue
        key, _ = period_key(r["Perioden"])
        periode = key[:4] if key.endswith("JJ00") else f"{key[:4]}H{key[-1]}"
        out[(code, periode)] = float(r[column]) if r[column].strip() else float("nan")
    return out


@pytest.mark.parametrize("table_id", STAPELING_EXPORTS)
@pytest.mark.parametrize("indicator", sorted(MEASURES))
def test_gemeente_rows_equal_the_recorded_values(
    processed, shared_data, table_id, indicator
) -> None:
    want = _recorded(shared_data, table_id, MEASURES[indicator], "GM")
    got = processed[
        (processed.indicator == indicator)
        & (processed.bron == table_id)
        & (processed.regio_niveau == "gemeente")
        & ~processed.berekend
    ].set_index(["regio_code", "periode"])["waarde"]
    assert len(want) > 100
    n_values = n_suppressed = 0
    for (code, periode), v in want.items():
        if v != v:  # suppressed / not delivered: missing (or absent), never 0
            assert (code, periode) not in got.index or pd.isna(got.loc[(code, periode)])
            n_suppressed += 1
            continue
        assert got.loc[(code, periode)] == v, (table_id, code, periode)
        n_values += 1
    assert n_values > 100


def test_wijk_rows_are_their_own_level_and_never_in_gemeente_figures(
    processed, wijken, shared_data
) -> None:
    assert not processed.regio_code.str.startswith("WK").any()
    assert set(wijken.regio_niveau) == {"wijk"}
    want = _recorded(shared_data, "85994NED", "HuishoudensMetVoorzieningen_6", "WK")
    got = wijken[wijken.indicator.eq("huishoudens_met_voorziening") & wijken.bron.eq("85994NED")]
    got = got.set_index(["regio_code", "periode"])["waarde"]
    suppressed = [k for k, v in want.items() if v != v]
    assert len(suppressed) > 100  # real small wijken are suppressed ...
    assert got.loc[suppressed].isna().all()  # ... and stay missing
    published = {k: v for k, v in want.items() if v == v}
    assert got.loc[list(published)].tolist() == list(published.values())


def test_wijk_of_a_merged_gemeente_maps_to_its_successor(wijken) -> None:
    # Brielle (GM0501) and Hellevoetsluis (GM0530) became Voorne aan Zee (GM1992) in 2023
    w22 = wijken[wijken.bron.eq("85375NED")].drop_duplicates("regio_code")
    brielle = w22[w22.regio_code.str.startswith("WK0501")]
    assert len(brielle) > 0
    assert set(brielle.gemeente_code) == {"GM0501"}
    assert set(brielle.gemeente_code_ref) == {"GM1992"}
    assert set(brielle.koppeling) == {"opgegaan"}
    same = w22[w22.regio_code.str.startswith("WK1680")]  # Aa en Hunze: unchanged
    assert set(same.gemeente_code_ref) == {"GM1680"} and set(same.koppeling) == {"ongewijzigd"}


def test_wijk_sum_check_is_reported(real_stapeling) -> None:
    _, report = real_stapeling
    check = next(c for c in report.checks if c["check"] == "wijk sums vs gemeente rows")
    assert "gemeente row kept" in check["detail"]


@pytest.mark.parametrize("table_id", ["85896NED", "83262NED"])
def test_wmo_clients_per_gemeente_equal_the_recorded_values(
    processed, shared_data, regions, table_id
) -> None:
    """Every gemeente-period the build took from ``table_id`` equals the recorded value (where
    tables overlap the newest one is used, so an older table contributes its other periods)."""
    _, rows = read_export(shared_data / "cbs_statline_csv" / f"{table_id}.csv")
    type_col = next(c for c in rows[0] if c.startswith("TypeMaatwerk"))
    got = processed[
        processed.indicator.eq("wmo_clienten")
        & processed.bron.eq(table_id)
        & processed.regio_niveau.eq("gemeente")
        & ~processed.berekend
    ].set_index(["regio_code", "periode"])["waarde"]
    n = 0
    for r in rows:
        if (r["Geslacht"], r["KenmerkenVanPersonen"], r[type_col]) != (
            "Totaal mannen en vrouwen",
            "Totaal personen",
            "Totaal",
        ):
            continue
        code = regions.code(r["RegioS"])
        if not code or not code.startswith("GM"):
            continue
        key, _ = period_key(r["Perioden"])
        periode = key[:4] if key.endswith("JJ00") else f"{key[:4]}H{key[-1]}"
        if not r["WmoClienten_1"].strip():
            assert (code, periode) not in got.index or pd.isna(got.loc[(code, periode)])
            continue
        if (code, periode) not in got.index:  # a gemeente outside its year's classification
            continue
        assert got.loc[(code, periode)] == float(r["WmoClienten_1"]), (code, periode)
        n += 1
    assert n > 300
    periods = set(got.index.get_level_values("periode"))
    first = {"85896NED": "2017H1", "85043NED": "2021", "83262NED": "2015"}[table_id]
    assert first in periods


def test_cut_files_skip_what_they_lack(real_stapeling) -> None:
    cfg, report = real_stapeling
    stored = json.loads((cfg.processed_dir / "build_report.json").read_text())
    skipped = {(s["tabel"], s["indicator"]) for s in stored["skipped"]}
    # the combination rows of 2022 are beyond the cut: skipped, not built from partial rows
    assert ("85375NED", "huishoudens_jeugd_wmo") in skipped


def test_chapter_renders_on_the_real_files(real_stapeling, monkeypatch) -> None:
    """All three chapter entry points on the converted real exports (cut files: the
    combinations and classes are not there, and the chapter says so instead of failing)."""
    import html
    import re

    import IPython.display

    from analysis import store
    from analysis.report import text
    from analysis.report.chapters import stapeling

    shown: list[str] = []
    monkeypatch.setattr(
        IPython.display,
        "display",
        lambda *objs, **_kw: shown.extend(getattr(o, "data", None) or str(o) for o in objs),
    )
    cfg, _ = real_stapeling
    ctx = store.report_context("gemeente", "GM1680", 2023, 2023, cfg.data_dir, "cbs")
    stapeling.gemeente(ctx)
    out = html.unescape(re.sub(r"<[^>]+>", " ", " ".join(shown)))
    want = _recorded_value("85637NED", "GM1680", "2023")
    assert f"In 2023 hadden in Aa en Hunze {text.getal(want)} huishoudens" in out
    assert "Wijken van Aa en Hunze, 2023" in out and "Bron: CBS (85637NED)" in out
    assert "De combinaties van wetten zijn voor dit jaar niet gepubliceerd of niet geladen" in out
    shown.clear()
    stapeling.jeugdregio(store.report_context("jeugdregio", ctx.regio_code, 2023, 2023,
                                              cfg.data_dir, "cbs"))  # fmt: skip
    stapeling.nederland(store.report_context("nederland", None, 2023, 2023, cfg.data_dir, "cbs"))
    assert "Kerncijfers stapeling" in " ".join(shown)


def _recorded_value(table_id: str, code: str, periode: str) -> float:

    return _recorded(shared_data_dir(), table_id, "HuishoudensMetVoorzieningen_6", "GM")[
        (code, periode)
    ]


def test_wmo_overlap_newest_table_wins(processed) -> None:
    """85043NED (2019–2023) lies wholly inside 85896NED (2017 on, Totaal complete in the
    export): every gemeente-period comes from 85896NED, none from 85043NED."""
    wmo = processed[
        processed.indicator.eq("wmo_clienten")
        & processed.regio_niveau.eq("gemeente")
        & ~processed.berekend
        & processed.jaar.between(2019, 2023)
        & processed.waarde.notna()
    ]
    assert len(wmo) > 1000
    assert set(wmo["bron"]) == {"85896NED"}


def test_wmo_overlap_is_compared_in_the_build_report(real_stapeling) -> None:
    _, report = real_stapeling
    check = next(
        c for c in report.checks if c["check"] == "wmo_clienten: overlapping tables compared"
    )
    assert "85896NED vs 85043NED" in check["detail"] or "85043NED vs 85896NED" in check["detail"]
    assert "the newest table is kept" in check["detail"]
