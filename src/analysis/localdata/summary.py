"""Summaries of validated local data: coverage per kind and provider waiting times per region.

These return codes and numbers only; the Dutch wording (including "lokale bron, geen
CBS-cijfer" and that a median of providers is not a regional average) is the chapter's job.
"""

from __future__ import annotations

import pandas as pd

from analysis.localdata.check import Reference

__all__ = ["MEASURES", "coverage", "provider_summary", "records_for"]

#: Waiting-time measures summarised over providers, with their unit.
MEASURES = {
    "wachttijd_mediaan_weken": "weken",
    "wachttijd_gemiddeld_weken": "weken",
    "wachttijd_maximum_weken": "weken",
    "aantal_wachtend": "aantal",
    "aandeel_binnen_treeknorm_pct": "procent",
}

SUMMARY_COLUMNS = [
    "regio_code",
    "zorgvorm",
    "peildatum",
    "maat",
    "eenheid",
    "n_aanbieders",
    "n_met_cijfer",
    "mediaan_van_aanbieders",
    "minimum",
    "maximum",
    "aanbieders",
    "bronnen",
]


def _region_of(records: pd.DataFrame, membership: pd.DataFrame | None) -> pd.Series:
    """JZ codes as they are; GM codes through the jeugdregio membership of the snapshot's year.

    Uses the membership of the peildatum's year, or the nearest year of ``membership`` when that
    year is not in it.
    """
    codes = records["code"].astype(str)
    out = codes.where(codes.str.startswith("JZ"))
    gm = codes.str.startswith("GM")
    if not gm.any():
        return out
    if membership is None:
        raise ValueError(
            "provider records with GM codes need the jeugdregio membership "
            "(regio_indeling) to be summarised per region: " + ", ".join(sorted(codes[gm].unique()))
        )
    mem = membership[membership["indeling"] == "jeugdregio"]
    years = sorted(mem["jaar"].unique())
    lookup = mem.set_index(["jaar", "gemeente_code"])["regio_code"]
    for i in records.index[gm]:
        y = records.at[i, "peildatum"].year
        y = min(years, key=lambda k: (abs(k - y), -k))  # that year, else the nearest
        out.at[i] = lookup.get((y, codes.at[i]))
    missing = out[gm & out.isna()]
    if len(missing):
        raise ValueError(
            "no jeugdregio for provider code(s) "
            + ", ".join(sorted(codes[missing.index].unique()))
            + " in the membership"
        )
    return out


def provider_summary(records: pd.DataFrame, membership: pd.DataFrame | None = None) -> pd.DataFrame:
    """Provider figures per jeugdregio, care type, reference date and measure.

    Only records with an ``aanbieder`` count. For each measure: the number of providers in the
    group (``n_aanbieders``), how many gave that measure (``n_met_cijfer``), the median over
    those providers and their range. Snapshots of different dates are never pooled, and the
    median of providers is not a regional average (providers differ in size and clients).
    """
    prov = records[records["aanbieder"].notna()].copy()
    if prov.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    prov["regio_code"] = _region_of(prov, membership)
    rows = []
    for (regio, zorg, peil), grp in prov.groupby(
        ["regio_code", "zorgvorm", "peildatum"], sort=True
    ):
        pairs = zip(grp["bron_titel"], grp["bron_uitgever"], strict=True)
        bronnen = sorted({f"{t} ({u})" for t, u in pairs})
        for maat, eenheid in MEASURES.items():
            vals = grp[maat].dropna().astype(float)
            if vals.empty:
                continue
            rows.append(
                {
                    "regio_code": regio,
                    "zorgvorm": zorg,
                    "peildatum": peil,
                    "maat": maat,
                    "eenheid": eenheid,
                    "n_aanbieders": int(grp["aanbieder"].nunique()),
                    "n_met_cijfer": int(len(vals)),
                    "mediaan_van_aanbieders": float(vals.median()),
                    "minimum": float(vals.min()),
                    "maximum": float(vals.max()),
                    "aanbieders": "; ".join(sorted(grp.loc[vals.index, "aanbieder"])),
                    "bronnen": "; ".join(bronnen),
                }
            )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def coverage(kind: str, records: pd.DataFrame, reference: Reference) -> dict[str, int | None]:
    """How many gemeenten, jeugdregio's (and providers) have a sourced value in ``records``.

    Every validated record has a source; a building block marked ``onbekend`` is no value.
    ``*_totaal`` is the number in the reference (None under the format check).
    """
    df = records
    if kind == "bouwstenen" and len(df):
        df = df[df["waarde"] != "onbekend"]
    codes = df["code"].astype(str) if len(df) else pd.Series(dtype=str)
    totals = reference.counts()
    out: dict[str, int | None] = {
        "records": int(len(records)),
        "gemeenten": int(codes[codes.str.startswith("GM")].nunique()),
        "gemeenten_totaal": totals["GM"],
        "regios": int(codes[codes.str.startswith("JZ")].nunique()),
        "regios_totaal": totals["JZ"],
    }
    if kind == "wachttijden":
        out["aanbieders"] = int(df["aanbieder"].dropna().nunique()) if len(df) else 0
    return out


def records_for(
    records: pd.DataFrame,
    *,
    gemeente: str | None = None,
    regio: str | None = None,
    membership: pd.DataFrame | None = None,
    jaar: int | None = None,
) -> pd.DataFrame:
    """The records a report of ``gemeente`` or jeugdregio ``regio`` should show.

    A gemeente report gets the gemeente's own records and those of its jeugdregio in ``jaar``
    (from ``membership``, the ``regio_indeling`` contract); a region report gets the region's
    records and those of its member gemeenten. Nothing else is added: no neighbours, no
    national fill-in. Each record keeps its own ``code`` so the chapter can say whose it is.
    """
    if (gemeente is None) == (regio is None):
        raise ValueError("give exactly one of gemeente= or regio=")
    codes: set[str] = {gemeente or regio}  # type: ignore[arg-type]
    if membership is not None:
        mem = membership[membership["indeling"] == "jeugdregio"]
        if jaar is not None:
            if jaar not in set(mem["jaar"]):
                raise ValueError(
                    f"no jeugdregio membership for {jaar}; valid: "
                    + ", ".join(str(y) for y in sorted(mem["jaar"].unique()))
                )
            mem = mem[mem["jaar"] == jaar]
        if gemeente is not None:
            codes |= set(mem.loc[mem["gemeente_code"] == gemeente, "regio_code"])
        else:
            codes |= set(mem.loc[mem["regio_code"] == regio, "gemeente_code"])
    return records[records["code"].isin(codes)].reset_index(drop=True)
