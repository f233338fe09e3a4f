"""Provider-level waiting times summarised per jeugdregio (hand-computed expectations)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.localdata import Reference, check_kind, kind, provider_summary, records_for

from .conftest import EXAMPLES, write_rows

HEADER = kind("wachttijden").columns


def _row(code: str, aanbieder: str, peil: str, zorg: str, med: str, mx: str, n: str, pct: str):
    return [
        code, "naam", aanbieder, peil, zorg, med, "", mx, n, pct, "aanmelding tot start",
        f"Wachttijden {aanbieder}", aanbieder, "2025-10-01", f"https://example.org/{aanbieder}",
        "2025-10-15", "test", "",
    ]  # fmt: skip


@pytest.fixture
def providers(tmp_path: Path, processed: Path) -> pd.DataFrame:
    """Five providers of JZ92 on one date (one coded by the gemeente it serves), one later."""
    root = tmp_path / "reg"
    (root / "wachttijden").mkdir(parents=True)
    ggz, amb = "Jeugd-GGZ", "Ambulant"
    rows = [
        HEADER,
        _row("JZ92", "A", "2025-09-30", ggz, "6", "15", "40", "70"),
        _row("JZ92", "B", "2025-09-30", ggz, "10", "26", "12", "50"),
        _row("JZ92", "C", "2025-09-30", ggz, "3,5", "9", "", "90"),
        _row("GM9005", "D", "2025-09-30", ggz, "21", "52", "8", ""),  # 's-Demohage, in JZ92
        _row("JZ92", "E", "2025-09-30", ggz, "", "", "30", ""),  # only a count
        _row("JZ92", "A", "2025-06-30", ggz, "8", "20", "50", "60"),  # other date: not pooled
        _row("JZ92", "A", "2025-09-30", amb, "2", "5", "10", "100"),
    ]
    write_rows(root / "wachttijden" / "jz92.csv", rows)
    res = check_kind(root, kind("wachttijden"), Reference.from_processed(processed))
    assert res.ok, [str(p) for p in res.problems]
    return res.records


def test_provider_summary_by_hand(providers: pd.DataFrame, demo_indeling: pd.DataFrame) -> None:
    s = provider_summary(providers, demo_indeling)
    sep = s[(s["zorgvorm"] == "Jeugd-GGZ") & (s["peildatum"] == pd.Timestamp("2025-09-30"))]
    assert (sep["regio_code"] == "JZ92").all()
    by = sep.set_index("maat")
    # medians 3.5, 6, 10, 21 (A, B, C, D): median (6 + 10) / 2 = 8, range 3.5–21, 4 of 5
    med = by.loc["wachttijd_mediaan_weken"]
    assert (med["n_aanbieders"], med["n_met_cijfer"]) == (5, 4)
    assert (med["mediaan_van_aanbieders"], med["minimum"], med["maximum"]) == (8.0, 3.5, 21.0)
    assert med["aanbieders"] == "A; B; C; D" and med["eenheid"] == "weken"
    # maxima 9, 15, 26, 52 -> 20.5
    assert by.loc["wachttijd_maximum_weken", "mediaan_van_aanbieders"] == 20.5
    # counts 40, 12, 8, 30 (C gave none) -> 21, range 8–40
    n = by.loc["aantal_wachtend"]
    assert (n["n_met_cijfer"], n["mediaan_van_aanbieders"], n["minimum"], n["maximum"]) == (
        4,
        21.0,
        8.0,
        40.0,
    )
    # shares 70, 50, 90 -> 70
    assert by.loc["aandeel_binnen_treeknorm_pct", "mediaan_van_aanbieders"] == 70.0
    assert "wachttijd_gemiddeld_weken" not in by.index  # nobody gave a mean: no row, no zero
    # the June snapshot stays on its own date with its one provider
    june = s[s["peildatum"] == pd.Timestamp("2025-06-30")].set_index("maat")
    assert june.loc[
        "wachttijd_mediaan_weken", ["n_met_cijfer", "mediaan_van_aanbieders"]
    ].tolist() == [
        1,
        8.0,
    ]
    assert set(s["zorgvorm"]) == {"Jeugd-GGZ", "Ambulant"}


def test_gm_coded_providers_need_the_membership(providers: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="GM9005"):
        provider_summary(providers)


def test_example_file_summarised_per_region(processed: Path, demo_indeling) -> None:
    res = check_kind(EXAMPLES, kind("wachttijden"), Reference.from_processed(processed))
    s = provider_summary(res.records, demo_indeling)
    assert set(s["regio_code"]) == {"JZ91"}  # the JZ93 monitor and 's-Demohage are no providers
    ggz = s[(s["zorgvorm"] == "Jeugd-GGZ specialistisch") & (s["maat"] == "aantal_wachtend")]
    # Kustkompas 48, De Duinhoeve 65, Zeewind 12, Eilandzorg (GM9004 -> JZ91) 7
    assert ggz[["n_aanbieders", "n_met_cijfer", "mediaan_van_aanbieders"]].iloc[0].tolist() == [
        4,
        4,
        30.0,
    ]


def test_records_for_a_gemeente_and_a_region(processed: Path, demo_indeling) -> None:
    wt = check_kind(EXAMPLES, kind("wachttijden"), Reference.from_processed(processed)).records
    # Demo-Oog (GM9004) lies in JZ91: its own provider record and the JZ91 providers
    gm = records_for(wt, gemeente="GM9004", membership=demo_indeling, jaar=2025)
    assert set(gm["code"]) == {"GM9004", "JZ91"} and len(gm) == 6
    # 's-Demohage (GM9005, in JZ92): its own figure only — JZ92 supplied none
    own = records_for(wt, gemeente="GM9005", membership=demo_indeling, jaar=2025)
    assert own["code"].tolist() == ["GM9005"]
    # region JZ91: its records and those of member gemeente GM9004
    jz = records_for(wt, regio="JZ91", membership=demo_indeling, jaar=2025)
    assert len(jz) == 6
    assert records_for(wt, regio="JZ94", membership=demo_indeling, jaar=2025).empty
    with pytest.raises(ValueError, match="no jeugdregio membership for 2019; valid: 2023"):
        records_for(wt, gemeente="GM9004", membership=demo_indeling, jaar=2019)
