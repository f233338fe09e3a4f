"""End to end on real data: KWB 2020 via cbsodata + real boundaries → processed layer."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


def test_kwb_2020_restated_on_2023_conserves_national_total(real_processed) -> None:
    _, out = real_processed
    df = pd.read_parquet(out / "indicators.parquet")
    pop = df[(df.indicator == "bevolking_totaal") & (df.periode == "2020")]
    as_published = pop[(pop.indeling_jaar == 2020) & (pop.regio_niveau == "gemeente")]
    restated = pop[(pop.indeling_jaar == 2023) & (pop.regio_niveau == "gemeente")]
    assert as_published.regio_code.nunique() == 355
    assert restated.regio_code.nunique() == 342
    nl = pop[(pop.regio_code == "NL01") & (pop.indeling_jaar == 2020)].waarde.item()
    assert nl == 17_407_585
    assert as_published.waarde.sum() == restated.waarde.sum() == nl  # exactly
    assert restated.berekend.all() and not as_published.berekend.any()
    assert (as_published.bron == "84799NED").all()
    assert (as_published.bron_modified == "2021-03-26T02:00:00").all()


def test_merged_gemeente_is_sum_of_its_predecessors(real_processed, recordings: Path) -> None:
    """GM1979 Eemsdelta (2021) = Appingedam + Delfzijl + Loppersum (2020), from the raw file."""
    _, out = real_processed
    df = pd.read_parquet(out / "indicators.parquet")
    eems = df[(df.regio_code == "GM1979") & (df.indeling_jaar == 2023) & (df.periode == "2020")
              & (df.indicator == "bevolking_totaal")]  # fmt: skip
    raw = json.loads((recordings / "84799NED" / "TypedDataSet_land_gemeenten.json").read_text())
    parts = {r["WijkenEnBuurten"].strip(): r["AantalInwoners_5"] for r in raw}
    assert eems.waarde.item() == parts["GM0003"] + parts["GM0010"] + parts["GM0024"]


def test_jeugdregio_sums_on_both_classifications(real_processed) -> None:
    _, out = real_processed
    df = pd.read_parquet(out / "indicators.parquet")
    jz = df[(df.regio_niveau == "jeugdregio") & (df.indicator == "bevolking_totaal")]
    for year in (2020, 2023):
        part = jz[jz.indeling_jaar == year]
        assert part.regio_code.nunique() == 42, year
        assert part.waarde.sum() == 17_407_585
        assert (part.dekking == 1.0).all() and part.berekend.all()
    ams = jz[(jz.regio_code == "JZ13") & (jz.indeling_jaar == 2023)].waarde.item()
    gm = df[(df.regio_niveau == "gemeente") & (df.indeling_jaar == 2023)
            & (df.indicator == "bevolking_totaal")]  # fmt: skip
    mem = pd.read_parquet(out / "regio_indeling.parquet")
    members = mem[(mem.jaar == 2023) & (mem.indeling == "jeugdregio") & (mem.regio_code == "JZ13")]
    assert ams == gm[gm.regio_code.isin(members.gemeente_code)].waarde.sum()


def test_memberships_and_sources_recorded(real_processed) -> None:
    _, out = real_processed
    mem = pd.read_parquet(out / "regio_indeling.parquet")
    jz23 = mem[(mem.jaar == 2023) & (mem.indeling == "jeugdregio")]
    assert len(jz23) == 342 and jz23.regio_code.nunique() == 42
    assert set(jz23.methode) == {"grenzen"}  # no Gebieden in Nederland snapshot here
    sources = json.loads((out / "sources.json").read_text())
    kwb = [s for s in sources if s.get("table_id") == "84799NED"]
    assert kwb and kwb[0]["modified"] == "2021-03-26T02:00:00"
    assert all(f["sha256"] for f in kwb[0]["files"])
    assert any(s.get("kind") == "geo" for s in sources)
    report = json.loads((out / "build_report.json").read_text())
    assert all(c["ok"] for c in report["checks"]), report["checks"]
