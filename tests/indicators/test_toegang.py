"""Access indicators on Demoland, fetched with the real cbsodata client through the replay server
and built: every figure equals a value computed by hand from the generated CBS dumps."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import registry
from analysis.build import parse_period
from analysis.indicators import access
from analysis.report import text

PERIODE = "2024"


def _dump(root: Path, table_id: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """A generated dump as a frame with stripped keys, and topic title -> key."""
    folder = root / "dumps" / "opendata" / table_id
    rows = json.loads((folder / "TypedDataSet.json").read_text(encoding="utf-8"))
    props = json.loads((folder / "DataProperties.json").read_text(encoding="utf-8"))
    df = pd.DataFrame(rows)
    for c in ("RegioS", "Perioden", "Verwijzer"):
        if c in df:
            df[c] = df[c].str.strip()
    return df, {p["Title"]: p["Key"] for p in props if p.get("Type") == "Topic"}


@pytest.fixture(scope="module")
def demo(demoland):
    root, _ = demoland
    df = pd.read_parquet(root / "processed" / "indicators.parquet")
    ij = int(df["indeling_jaar"].max())
    mem = pd.read_parquet(root / "processed" / "regio_indeling.parquet")
    jz = mem[(mem["indeling"] == "jeugdregio") & (mem["jaar"] == ij)]
    return root, df, ij, jz


@pytest.fixture(scope="module")
def verwijzer(demo):
    root = demo[0]
    return _dump(root, "85097NED")


def _cel(dump, topic: str, code: str, periode_key: str, verwijzer: str | None = "T001070"):
    df, keys = dump
    sel = (df["RegioS"] == code) & (df["Perioden"] == periode_key)
    if verwijzer is not None:
        sel &= df["Verwijzer"] == verwijzer
    v = df.loc[sel, keys[topic]]
    assert len(v) == 1, (topic, code, periode_key)
    return None if pd.isna(v.iat[0]) else float(v.iat[0])


def _pop(df: pd.DataFrame, ij: int, code: str, jaar: str = PERIODE) -> float:
    sel = df[
        (df["indicator"] == "bevolking_0_17")
        & (df["regio_code"] == code)
        & (df["periode"] == jaar)
        & (df["indeling_jaar"] == ij)
    ]
    return float(sel["waarde"].iat[0])


def _gemeenten_met_alles(demo, verwijzer, n: int = 3) -> list[str]:
    _, df, ij, jz = demo
    out = []
    for code in sorted(jz["gemeente_code"]):
        vals = [
            _cel(verwijzer, t, code, "2024JJ00")
            for t in ("Totaal begonnen trajecten", "Gestart met crisis",
                      "Totaal beëindigde trajecten", "Volgens plan")
        ]  # fmt: skip
        if all(v is not None for v in vals):
            out.append(code)
    assert len(out) >= n
    return out[:n]


def test_gemeente_ratios_equal_hand_computed_values(demo, verwijzer) -> None:
    _, df, ij, _ = demo
    breed = access.breed(df, PERIODE, indeling_jaar=ij)
    for code in _gemeenten_met_alles(demo, verwijzer):
        beg = _cel(verwijzer, "Totaal begonnen trajecten", code, "2024JJ00")
        crisis = _cel(verwijzer, "Gestart met crisis", code, "2024JJ00")
        eind = _cel(verwijzer, "Totaal beëindigde trajecten", code, "2024JJ00")
        plan = _cel(verwijzer, "Volgens plan", code, "2024JJ00")
        ha = _cel(verwijzer, "Totaal begonnen trajecten", code, "2024JJ00", "A053702")
        pop = _pop(df, ij, code)
        g = (code,)
        assert access.groepswaarde(breed, g, "begonnen_per_1000")["waarde"] == pytest.approx(
            beg / pop * 1000
        )
        assert access.groepswaarde(breed, g, "crisis_pct")["waarde"] == pytest.approx(
            100 * crisis / beg
        )
        assert access.groepswaarde(breed, g, "volgens_plan_pct")["waarde"] == pytest.approx(
            100 * plan / eind
        )
        if ha is not None:
            assert access.groepswaarde(breed, g, "verwijzer_huisarts_pct")[
                "waarde"
            ] == pytest.approx(100 * ha / beg)
        b = access.balans(breed, g)
        assert (b["begonnen"], b["beeindigd"], b["waarde"]) == (beg, eind, beg - eind)
        duur = _cel(verwijzer, "Gemiddelde duur beëindigde trajecten", code, "2024JJ00")
        assert access.groepsduur(breed, g)["waarde"] == pytest.approx(duur)


def test_region_duration_is_weighted_by_ended_trajectories(demo, verwijzer) -> None:
    """Region value = Σ duur × beëindigd / Σ beëindigd over members with both; the region with
    the most unequal numbers of ended trajectories shows it is not a mean of means."""
    _, df, ij, jz = demo
    breed = access.breed(df, PERIODE, indeling_jaar=ij)
    best = None
    for regio, grp in jz.groupby("regio_code"):
        pairs = []
        for code in grp["gemeente_code"]:
            d = _cel(verwijzer, "Gemiddelde duur beëindigde trajecten", code, "2024JJ00")
            e = _cel(verwijzer, "Totaal beëindigde trajecten", code, "2024JJ00")
            if d is not None and e is not None:
                pairs.append((d, e))
        spread = max(e for _, e in pairs) / min(e for _, e in pairs)
        if best is None or spread > best[1]:
            best = (regio, spread, pairs, tuple(grp["gemeente_code"]))
    regio, spread, pairs, leden = best
    assert spread > 5  # very different numbers of ended trajectories
    hand = sum(d * e for d, e in pairs) / sum(e for _, e in pairs)
    mean_of_means = sum(d for d, _ in pairs) / len(pairs)
    got = access.groepsduur(breed, leden)
    assert got["waarde"] == pytest.approx(hand)
    assert got["n_met_waarde"] == len(pairs) and got["n_leden"] == len(leden)
    assert abs(got["waarde"] - mean_of_means) > 1  # an average of averages would differ


def test_region_ratios_from_summed_numerators_and_coverage(demo, verwijzer) -> None:
    _, df, ij, jz = demo
    breed = access.breed(df, PERIODE, indeling_jaar=ij)
    regio, grp = next(iter(jz.groupby("regio_code")))
    leden = tuple(grp["gemeente_code"])
    t = n = 0.0
    k = 0
    for code in leden:
        wt = _cel(verwijzer, "Totaal begonnen trajecten", code, "2024JJ00", "A053701")
        beg = _cel(verwijzer, "Totaal begonnen trajecten", code, "2024JJ00")
        if wt is not None and beg is not None:
            t, n, k = t + wt, n + beg, k + 1
    got = access.groepswaarde(breed, leden, "verwijzer_gemeente_pct")
    assert got["waarde"] == pytest.approx(100 * t / n)
    assert (got["n_met_waarde"], got["n_leden"]) == (k, len(leden))


def test_suppressed_cells_stay_missing(demo, verwijzer) -> None:
    _, df, ij, jz = demo
    raw, keys = verwijzer
    beg = keys["Totaal begonnen trajecten"]
    existing = set(jz["gemeente_code"])
    nulls = raw[raw["RegioS"].isin(existing) & (raw["Perioden"] == "2024JJ00") & raw[beg].isna()]
    assert len(nulls), "Demoland should suppress some referrer cells"
    row = nulls.iloc[0]
    suffix = {
        "A053701": "gemeente", "A053702": "huisarts", "A053703": "jeugdarts", "A053704": "gi",
        "A053705": "medisch", "A053706": "rechter", "A053707": "geen", "A053708": "onbekend",
    }[row["Verwijzer"]]  # fmt: skip
    ind = f"toegang_begonnen_{suffix}"
    sel = df[
        (df["indicator"] == ind)
        & (df["regio_code"] == row["RegioS"])
        & (df["periode"] == PERIODE)
        & (df["indeling_jaar"] == ij)
    ]
    assert len(sel) == 1 and np.isnan(sel["waarde"].iat[0]) and bool(sel["onderdrukt"].iat[0])
    breed = access.breed(df, PERIODE, indeling_jaar=ij)
    got = access.groepswaarde(breed, (row["RegioS"],), f"verwijzer_{suffix}_pct")
    assert np.isnan(got["waarde"]) and got["n_met_waarde"] == 0  # never a zero


def test_reference_dates_are_parsed_and_labelled_in_dutch(demo) -> None:
    root, df, ij, jz = demo
    assert parse_period("2023MM06", "30 juni 2023*") == ("2023-06-30", "peildatum", 2023)
    stock = df[(df["indicator"] == "toegang_bestand_jeugdzorg") & (df["indeling_jaar"] == ij)]
    assert set(stock["periode_type"]) == {"peildatum"}
    assert {"2023-06-30", "2023-12-31"} <= set(stock["periode"])
    assert text.periode_tekst("2023-06-30") == "30 juni 2023"
    assert text.periode_tekst("2023-12-31") == "31 december 2023"
    # stock per 1 000 on a reference date, by hand from the dump
    raw, keys = _dump(root, "85094NED")
    code = sorted(jz["gemeente_code"])[0]
    val = raw.loc[
        (raw["RegioS"] == code) & (raw["Perioden"] == "2023MM06"),
        keys["Totaal jeugdzorgtrajecten in natura"],
    ].iat[0]
    got = access.bestand_per_1000(df, [code], indeling_jaar=ij)
    row = got[got["periode"] == "2023-06-30"].iloc[0]
    assert row["per_1000"] == pytest.approx(val / _pop(df, ij, code, "2023") * 1000)
    assert row["status"] == "definitief"


def test_jb_duration_classes_and_periods_as_cbs_gives_them(demo) -> None:
    root, df, ij, jz = demo
    raw, keys = _dump(root, "82975NED")
    titles = {p["Key"].strip(): p["Title"] for p in json.loads(
        (root / "dumps" / "opendata" / "82975NED" / "Perioden.json").read_text())}  # fmt: skip
    assert titles["2022HJ01"] == "2022 1e halfjaar"  # 82975NED's own period wording
    breed = access.breed(df, PERIODE, indeling_jaar=ij)
    codes = sorted(jz["gemeente_code"])
    sel = raw[raw["RegioS"].isin(codes) & (raw["Perioden"] == "2024JJ00")]
    kort, eind = keys["Korter dan 1 jaar"], keys["Totaal beëindigde trajecten"]
    ok = sel[sel[kort].notna() & sel[eind].notna()]
    assert len(ok)
    got = access.groepswaarde(breed, tuple(codes), "jb_duur_kort_pct")
    assert got["waarde"] == pytest.approx(100 * ok[kort].sum() / ok[eind].sum())
    assert got["n_met_waarde"] == len(ok)


def test_fast_paths_equal_the_reference_functions(demo) -> None:
    """The chapter's vectorised look-ups give exactly the values of the one-at-a-time ones."""
    _, df, ij, jz = demo
    breed = access.breed(df, PERIODE, indeling_jaar=ij)
    for _, grp in jz.groupby("regio_code"):
        leden = tuple(grp["gemeente_code"])
        alle = access.groepswaarden(breed, leden)
        for k in access.KENGETALLEN:
            one = access.groepswaarde(breed, leden, k)
            assert alle[k].keys() == one.keys()
            for key, v in one.items():
                assert alle[k][key] == pytest.approx(v, nan_ok=True), (k, key)
        reeks = access.duur_reeks(access.duur_matrix(df, indeling_jaar=ij), leden)
        for row in reeks.itertuples():
            ref = access.groepsduur(access.breed(df, row.periode, indeling_jaar=ij), leden)
            assert row.waarde == pytest.approx(ref["waarde"], nan_ok=True)
            assert row.n_met_waarde == ref["n_met_waarde"]


def test_registry_declares_the_weight_and_tables() -> None:
    assert registry.indicator("toegang_duur_beeindigd").aggregatie == registry.gewogen_gemiddelde(
        "toegang_beeindigd"
    )
    assert registry.indicator("toegang_duur_beeindigd").additief is False
    assert registry.indicator("toegang_duur_beeindigd").eenheid == "dagen"
    for tid in ("85097NED", "85094NED", "82975NED", "82977NED"):
        t = registry.table(tid)
        assert t.build and t.thema == "toegang" and t.measures
    with pytest.raises(KeyError, match="valid: begonnen_per_1000"):
        access.kengetal("wachttijd")
