"""The youth-care build on real CBS figures: converted exports, real client, replay server.

Reference values are read from the exports themselves (``shared/data/cbs_statline_csv``), never
typed in, except the two national totals PROVENANCE §5 states.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.pipeline import DataRun
from tests.realdata.convert import period_key, read_export

USE_NOT_IN_CUT_FILES = {
    "jongeren_met_jeugdhulp",  # 85099NED: cut after 90 regions; 84134NED: not in the file
    "jongeren_met_jeugdhulp_zonder_verblijf",
    "jongeren_met_jeugdhulp_met_verblijf",
    "jongeren_met_jeugdbescherming",
    "jongeren_met_jeugdreclassering",
}


@pytest.fixture(scope="module")
def processed(real_jeugd_processed) -> pd.DataFrame:
    cfg, _ = real_jeugd_processed
    return pd.read_parquet(cfg.processed_dir / "indicators.parquet")


def _recorded(shared: Path, table_id: str, regions, years: range) -> dict[tuple[str, str], float]:
    """(gemeente code, year) -> recorded 'JZ Totaal jeugdzorg' count (NaN when suppressed)."""
    _, rows = read_export(shared / "cbs_statline_csv" / f"{table_id}.csv")
    out = {}
    for r in rows:
        if r["VormenVanJeugdzorg"] != "JZ Totaal jeugdzorg":
            continue
        key, _ = period_key(r["Perioden"])
        code = regions.code(r["RegioS"])
        if not key.endswith("JJ00") or int(key[:4]) not in years or not code.startswith("GM"):
            continue
        v = r["JongerenMetJeugdzorg_1"]
        out[(code, key[:4])] = float(v) if v else float("nan")
    return out


@pytest.mark.parametrize(
    ("table_id", "years"), [("84134NED", range(2015, 2021)), ("85099NED", range(2021, 2024))]
)
def test_every_gemeente_and_year_equals_the_recorded_figure(
    processed, shared_data, regions, table_id, years
) -> None:
    want = _recorded(shared_data, table_id, regions, years)
    got = processed[
        (processed.indicator == "jongeren_met_jeugdzorg")
        & (processed.bron == table_id)
        & (processed.regio_niveau == "gemeente")
        & ~processed.berekend
        & (processed.periode_type == "jaar")
    ]
    got = got.set_index(["regio_code", "periode"])["waarde"]
    assert not got.index.duplicated().any()
    # every recorded cell with a value is in the processed layer, exactly
    with_value = {k: v for k, v in want.items() if v == v}
    assert len(with_value) >= 1000
    assert {k: got.get(k) for k in with_value} == with_value
    # suppressed cells stay missing (never 0); cells of gemeenten that did not exist that year
    # may be left out (drop_impossible), never filled
    suppressed = [k for k, v in want.items() if v != v]
    assert all(pd.isna(got.get(k)) for k in suppressed)
    assert set(got.dropna().index) == set(with_value)


def test_national_totals(processed) -> None:
    nl = processed[
        (processed.indicator == "jongeren_met_jeugdzorg")
        & (processed.regio_code == "NL01")
        & (processed.indeling_jaar == 2023)
    ].set_index("periode")["waarde"]
    assert nl["2021"] == 469_705
    assert nl["2023"] == 489_895


def test_suppressed_cells_are_missing_and_flagged(
    real_jeugd_processed, processed, shared_data, regions
) -> None:
    """Empty cells of gemeenten that exist that year are suppressed: NaN and ``onderdrukt``.

    Empty cells of gemeenten that did not exist that year (StatLine cubes hold every region of
    the whole series) are not suppression: the build drops them.
    """
    cfg, _ = real_jeugd_processed
    mem = pd.read_parquet(cfg.processed_dir / "regio_indeling.parquet")
    exists = mem.groupby("jaar")["gemeente_code"].agg(set).to_dict()
    seen_suppressed = 0
    for table_id, years in (("84134NED", range(2015, 2021)), ("85099NED", range(2021, 2024))):
        want = _recorded(shared_data, table_id, regions, years)
        got = processed[
            (processed.indicator == "jongeren_met_jeugdzorg")
            & (processed.bron == table_id)
            & (processed.regio_niveau == "gemeente")
            & ~processed.berekend
        ].set_index(["regio_code", "periode"])
        for (code, year), v in want.items():
            if v == v:
                continue
            if int(year) in exists and code not in exists[int(year)]:
                assert (code, year) not in got.index  # did not exist: dropped, not suppressed
                continue
            row = got.loc[(code, year)]
            assert pd.isna(row["waarde"]) and row["onderdrukt"], (table_id, code, year)
            seen_suppressed += 1
    assert seen_suppressed > 0


def test_cut_files_skip_only_the_indicators_they_lack(real_jeugd_processed, processed) -> None:
    cfg, report = real_jeugd_processed
    assert set(report.skipped_indicators) == USE_NOT_IN_CUT_FILES
    by_table = {(s["tabel"], s["indicator"]): s for s in report.skipped}
    cut = by_table[("85099NED", "jongeren_met_jeugdhulp")]
    assert cut["reden"] == "onvolledig"
    missing = by_table[("85099NED", "jongeren_met_jeugdhulp_zonder_verblijf")]
    assert missing["tekst"].startswith(
        "niet gevonden in 85099NED: categorie voor 'Jongeren met jeugdhulp zonder verblijf'; "
        "aanwezig: JZ Totaal jeugdzorg; JZ Totaal jeugdzorg in natura; JH 1 Totaal jeugdhulp"
    )
    built = set(processed.loc[processed.waarde.notna(), "indicator"])
    assert built == {
        "jongeren_met_jeugdzorg",
        "jongeren_met_jeugdzorg_relatief_cbs",
        "bevolking_0_17",
        "bevolking_totaal",  # KWB 2020
        "particuliere_huishoudens",  # Maatstaven and KWB 2020 (stapeling denominator)
        # the other Maatstaven measures (need indicators of the budget model)
        "minderjarigen_totaal",
        "minderjarigen_laag_inkomen",
        "huishoudens_kinderen_0_17",
        "eenouderhuishoudens",
        "personen_met_bijstand",
        "jeugdhulp_in_natura_pct_cbs",
        "jeugdhulp_met_verblijf_in_natura_pct_cbs",
        "jeugdbescherming_pct_cbs",
        "jeugdreclassering_pct_cbs",
    }
    assert not built & USE_NOT_IN_CUT_FILES
    # stored for the chapters: build_report.json and, per table, sources.json
    stored = json.loads((cfg.processed_dir / "build_report.json").read_text())
    assert {s["indicator"] for s in stored["skipped"]} == USE_NOT_IN_CUT_FILES
    sources = {
        s.get("table_id"): s for s in json.loads((cfg.processed_dir / "sources.json").read_text())
    }
    assert {s["indicator"] for s in sources["85099NED"]["overgeslagen_indicatoren"]} == (
        USE_NOT_IN_CUT_FILES
    )
    assert sources["85385NED"]["overgeslagen_indicatoren"] == []


def test_data_run_names_skipped_indicators_and_fails_unless_keep_going(
    real_jeugd_processed,
) -> None:
    _, report = real_jeugd_processed
    run = DataRun(build=report)
    summary = run.summary()
    assert (
        "indicator jongeren_met_jeugdhulp_zonder_verblijf not built: niet gevonden in 85099NED"
        in summary
    )


def test_maatstaven_under_18_is_the_denominator_where_no_03759ned(
    processed, real_jeugd_processed, shared_data
) -> None:
    cfg, _ = real_jeugd_processed
    _, rows = read_export(shared_data / "cbs_statline_csv" / "85052NED.csv")
    amsterdam = next(r for r in rows if r["RegioS"] == "Amsterdam")
    pop = processed[
        (processed.indicator == "bevolking_0_17")
        & (processed.regio_code == "GM0363")
        & (processed.periode == "2021")
        & ~processed.berekend
    ]
    assert pop.waarde.item() == float(amsterdam["InwonersTot18Jaar_2"])
    assert pop.bron.item() == "85052NED"
    for table_id, year in (
        ("83997NED", 2018),
        ("84590NED", 2019),
        ("84860NED", 2020),
        ("85309NED", 2022),
    ):
        header, rows = read_export(shared_data / "cbs_statline_csv" / f"{table_id}.csv")
        key = next(h for h in header if h.startswith("InwonersTot18Jaar_"))
        nl = next(r for r in rows if r["RegioS"] == "Nederland")
        got = processed[
            (processed.indicator == "bevolking_0_17")
            & (processed.regio_code == "NL01")
            & (processed.periode == str(year))
        ]
        assert (got.waarde == float(nl[key])).all() and (got.bron == table_id).all(), table_id
    sources = {
        s.get("table_id"): s for s in json.loads((cfg.processed_dir / "sources.json").read_text())
    }
    assert "gemeentefonds 2021" in sources["85052NED"]["peildatum"]


def test_cbs_relative_figure_is_its_own_indicator(processed, shared_data, regions) -> None:
    _, rows = read_export(shared_data / "cbs_statline_csv" / "85099NED.csv")
    rec = next(
        r
        for r in rows
        if r["VormenVanJeugdzorg"] == "JZ Totaal jeugdzorg"
        and r["RegioS"] == "Nederland"
        and r["Perioden"] == "2021"
    )
    rel = processed[
        (processed.indicator == "jongeren_met_jeugdzorg_relatief_cbs")
        & (processed.regio_code == "NL01")
        & (processed.periode == "2021")
    ]
    assert (rel.waarde == float(rec["JongerenMetJeugdzorgRelatief_2"])).all()
    assert (rel.eenheid == "%").all()
    # not additive: never summed to regions by the build
    assert not processed[
        processed.indicator == "jongeren_met_jeugdzorg_relatief_cbs"
    ].berekend.any()


def test_cbs_region_totals_kept_and_compared(real_jeugd_processed, processed, shared_data, regions):
    _, report = real_jeugd_processed
    _, rows = read_export(shared_data / "cbs_statline_csv" / "85099NED.csv")
    twente = next(
        r
        for r in rows
        if r["VormenVanJeugdzorg"] == "JZ Totaal jeugdzorg"
        and r["RegioS"] == "Twente (JZ)"
        and r["Perioden"] == "2022"
    )
    got = processed[
        (processed.indicator == "jongeren_met_jeugdzorg")
        & (processed.regio_code == "JZ14")
        & (processed.periode == "2022")
    ]
    assert len(got) >= 1
    assert (got.waarde == float(twente["JongerenMetJeugdzorg_1"])).all()
    assert not got.berekend.any()
    compared = {(c["indicator"], c["regio_niveau"]): c for c in report.regiototalen}
    jz = compared[("jongeren_met_jeugdzorg", "jeugdregio")]
    assert jz["paren"] > 400 and 0 < jz["gelijk"] < jz["paren"]
    assert jz["max_verschil"] > 0  # suppression and rounding: the difference is reported
    assert ("jongeren_met_jeugdzorg", "provincie") in compared


def test_cbs_rates_carried_onto_the_reference_only_for_unchanged_gemeenten(processed) -> None:
    rel = processed[processed.indicator == "jongeren_met_jeugdzorg_relatief_cbs"]

    def value(code: str, periode: str, indeling: int) -> float | None:
        hit = rel[
            (rel.regio_code == code) & (rel.periode == periode) & (rel.indeling_jaar == indeling)
        ]
        return None if hit.empty else hit.waarde.item()

    # Rotterdam is the same gemeente in 2020 and 2023: CBS's figure, unchanged
    assert value("GM0599", "2020", 2023) == value("GM0599", "2020", 2020) is not None
    # Amsterdam took in Weesp in 2022: no 2020 percentage for the 2023 gemeente
    assert value("GM0363", "2020", 2020) is not None
    assert value("GM0363", "2020", 2023) is None
    # Purmerend took in Beemster in 2022: its 2021 percentage is not the 2023 gemeente's
    assert value("GM0439", "2021", 2021) is not None
    assert value("GM0439", "2021", 2023) is None
    # Eemsdelta (2021) did not exist in 2020: nothing is invented
    assert value("GM1979", "2020", 2023) is None


def test_ambiguous_pattern_stays_an_error(real_jeugd_processed) -> None:
    from analysis import registry
    from analysis.build import extract_measures
    from analysis.cbs import snapshot
    from analysis.cbs.keys import AmbiguousKey

    cfg, _ = real_jeugd_processed
    folder = snapshot.latest(cfg.raw_dir, "opendata", "85099NED")
    spec = registry.table("85099NED")
    loose = registry.Measure("jongeren_met_jeugdzorg", r"^Jongeren met jeugdzorg")  # 2 topics
    broken = dataclasses.replace(spec, measures=(loose,))
    with pytest.raises(AmbiguousKey, match="2 topics match"):
        extract_measures(broken, folder, skipped=[])


def test_data_run_on_the_real_export_exits_non_zero_unless_keep_going(
    real_server, tmp_path
) -> None:
    """The issue's reproduction: `analysis data --tables 85099NED` on the converted export."""
    from analysis.pipeline import run_data
    from tests.realdata.conftest import served_settings

    cfg = served_settings(real_server, tmp_path / "data")
    said: list[str] = []
    run = run_data(cfg=cfg, table_ids=["85099NED"], years=range(2021, 2025), progress=said.append)
    assert run.build is not None and run.build.rows > 0
    assert run.exit_code == 1
    assert any(
        "indicators not built" in e and "jongeren_met_jeugdbescherming" in e for e in run.errors
    )
    text = "\n".join(said)
    assert (
        "niet gevonden in 85099NED: categorie voor 'Jongeren met jeugdhulp zonder verblijf'" in text
    )
    again = run_data(
        cfg=cfg, table_ids=["85099NED"], years=range(2021, 2025), keep_going=True,
        progress=lambda m: None,
    )  # fmt: skip
    assert again.exit_code == 0 and again.build is not None and again.build.skipped


def test_kwb_estimate_only_where_no_real_under_18_count(
    real_processed, processed, recordings: Path
) -> None:
    """KWB 0-14 + 3/10 of 15-24: its own, labelled indicator, dropped where Maatstaven exist."""
    _, kwb_only = real_processed
    full = pd.read_parquet(kwb_only / "indicators.parquet")
    assert "bevolking_0_17" not in set(full.indicator)  # neither 03759ned nor Maatstaven
    est = full[full.indicator == "bevolking_0_17_schatting"]
    raw = json.loads((recordings / "84799NED" / "TypedDataSet_land_gemeenten.json").read_text())
    ams = next(r for r in raw if r["WijkenEnBuurten"].strip() == "GM0363")
    got = est[(est.regio_code == "GM0363") & (est.indeling_jaar == 2020)].waarde.item()
    assert got == pytest.approx(ams["k_0Tot15Jaar_8"] + 0.3 * ams["k_15Tot25Jaar_9"])
    assert est.regio_code.str.startswith("GM").sum() >= 342
    # with the real Maatstaven 2020 count present, no estimate is kept for 2020
    assert processed[processed.indicator == "bevolking_0_17_schatting"].empty
    assert not processed[
        (processed.indicator == "bevolking_0_17") & (processed.periode == "2020")
    ].empty


def test_gemeente_counts_per_year_as_expected(real_jeugd_processed) -> None:
    """Every year 2015-2023 has exactly the gemeenten of its classification (registry seed)."""
    _, report = real_jeugd_processed
    counts = {c["check"]: c for c in report.checks if c["check"].startswith("gemeenten in ")}
    assert {f"gemeenten in {y} data" for y in range(2015, 2024)} <= set(counts)
    assert all(c["ok"] for c in counts.values()), counts
    failed = [c for c in report.checks if not c["ok"]]
    assert failed == [], failed


def test_table_in_one_newer_classification_is_placed_on_it(real_jeugd_processed) -> None:
    """A table giving 2021 figures for the 342 gemeenten of 2023 (as some CBS tables do) is put
    on that classification instead of being read as 2021's; one that fits its periods stays."""
    from analysis.build import BuildReport, table_classification

    cfg, _ = real_jeugd_processed
    mem = pd.read_parquet(cfg.processed_dir / "regio_indeling.parquet")
    gm2023 = sorted(set(mem.loc[mem.jaar == 2023, "gemeente_code"]))
    gm2021 = sorted(set(mem.loc[mem.jaar == 2021, "gemeente_code"]))
    assert len(gm2023) == 342 and len(gm2021) == 352

    def rows(codes: list[str], bron: str) -> pd.DataFrame:
        return pd.DataFrame(
            {"regio_code": codes, "regio_niveau": "gemeente", "waarde": 1.0, "jaar": 2021,
             "indeling_jaar": 2021, "periode": "2021", "bron": bron}
        )  # fmt: skip

    report = BuildReport()
    out = table_classification(pd.concat([rows(gm2023, "NEWER"), rows(gm2021, "OWN")]), mem, report)
    by_bron = out.groupby("bron")["indeling_jaar"].agg(set).to_dict()
    assert by_bron["OWN"] == {2021}
    # 2023 and 2024 have the same codes; the latest not after the last period (2021) is none,
    # so the earliest that fits
    assert by_bron["NEWER"] == {2023}
    assert any("NEWER: one classification" in c["check"] for c in report.checks)
