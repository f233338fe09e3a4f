"""Wijk rows of the wijk tables (stapeling) as their own level: never summed into gemeenten.

CBS's wijk tables ("Gebruik voorzieningen sociaal domein; aantal voorzieningen, wijken <jaar>")
carry gemeente rows (``GM…``) and wijk rows (``WK`` + 4-digit gemeente code + 2-character wijk
number, e.g. ``WK168000``, ``WK0363AA``) in one region dimension. The build takes gemeente figures from the gemeente rows only;
the wijk rows go to ``processed/wijken.parquet`` with

* ``gemeente_code``: the gemeente of the wijk in the classification of its own year (the four
  digits of the wijk code), and
* ``gemeente_code_ref``: the gemeente of the reference classification it lies in now (through
  the gemeente crosswalk of that year: a wijk of a merged gemeente keeps its own code and maps
  to the successor; a split gemeente maps to the successor with the largest share, recorded in
  ``koppeling``).

:func:`wijksom_controle` compares the sum of the wijk rows with the gemeente row per gemeente,
period and indicator: CBS rounds every cell to 5 and suppresses small wijken, so the two rarely
agree exactly; the difference is reported, never forced (``docs/stapeling.md`` §2).
"""

from __future__ import annotations

import pandas as pd

WIJK_COLUMNS_EXTRA = ["gemeente_code", "gemeente_code_ref", "indeling_jaar_ref", "koppeling"]
#: indicators whose wijk sum is compared with the gemeente row
GECONTROLEERD = ("huishoudens_met_voorziening", "clienten_met_voorziening")


def gemeente_van_wijk(code: str) -> str:
    """``WK168000`` -> ``GM1680`` (the gemeente of the wijk in its own year's classification)."""
    code = str(code).strip()
    if len(code) != 8 or not code.startswith("WK") or not code[2:6].isdigit():
        raise ValueError(
            f"not a wijk code: {code!r}; expected 'WK' + 4-digit gemeente code + 2 characters "
            "(e.g. 'WK168000', 'WK0363AA')"
        )
    return "GM" + code[2:6]


def koppel(
    wijken: pd.DataFrame,
    crosswalks: dict[int, pd.DataFrame],
    ref: int | None,
    ref_codes: set[str],
) -> pd.DataFrame:
    """Add the gemeente of the wijk's own year and of the reference classification ``ref``.

    ``crosswalks``: classification year -> crosswalk onto ``ref`` (``van_code``, ``naar_code``,
    ``gewicht``). A year without a crosswalk maps a gemeente code to itself when it exists in
    ``ref_codes`` and leaves it missing otherwise (``koppeling`` says which).
    """
    out = wijken.copy()
    out["gemeente_code"] = out["regio_code"].map(gemeente_van_wijk)
    ref_code: list[str | None] = []
    how: list[str] = []
    best: dict[int, dict[str, tuple[str, str]]] = {}
    for year, cw in crosswalks.items():
        cw = cw.sort_values(["van_code", "gewicht"], ascending=[True, False])
        first = cw.drop_duplicates("van_code")
        n = cw.groupby("van_code").size()
        best[int(year)] = {
            v: (naar, "ongewijzigd" if v == naar else "gesplitst" if n[v] > 1 else "opgegaan")
            for v, naar in zip(first["van_code"], first["naar_code"], strict=True)
        }
    for gm, year in zip(out["gemeente_code"], out["indeling_jaar"], strict=True):
        year = int(year)
        if ref is not None and year != ref and year in best:
            naar, kind = best[year].get(gm, (None, "onbekend"))
        elif gm in ref_codes:
            naar, kind = gm, "ongewijzigd"
        else:
            naar, kind = None, "onbekend"
        ref_code.append(naar)
        how.append(kind)
    out["gemeente_code_ref"] = ref_code
    out["indeling_jaar_ref"] = ref if ref is not None else out["indeling_jaar"]
    out["koppeling"] = how
    return out


def wijksom_controle(wijken: pd.DataFrame, gemeenten: pd.DataFrame) -> pd.DataFrame:
    """Sum of the wijk rows vs the gemeente row, per gemeente, period and indicator.

    Columns: ``gemeente_code``, ``periode``, ``indicator``, ``gemeente`` (the CBS gemeente row),
    ``som_wijken`` (published wijk cells), ``n_wijken``, ``n_onderdrukt`` (suppressed wijk
    cells), ``verschil`` (sum minus gemeente row). Nothing is corrected.
    """
    w = wijken[wijken["indicator"].isin(GECONTROLEERD)]
    if w.empty:
        return pd.DataFrame(
            columns=[
                "gemeente_code",
                "jaar",
                "periode",
                "indicator",
                "gemeente",
                "som_wijken",
                "n_wijken",
                "n_onderdrukt",
                "verschil",
            ]
        )
    som = (
        w.groupby(["gemeente_code", "indeling_jaar", "periode", "indicator"])
        .agg(
            som_wijken=("waarde", lambda s: s.sum(min_count=1)),
            n_wijken=("waarde", "size"),
            n_onderdrukt=("waarde", lambda s: int(s.isna().sum())),
        )
        .reset_index()
    )
    gm = gemeenten[
        gemeenten["regio_niveau"].eq("gemeente")
        & gemeenten["indicator"].isin(GECONTROLEERD)
        & ~gemeenten["berekend"].astype(bool)
    ][["regio_code", "indeling_jaar", "periode", "indicator", "waarde"]].rename(
        columns={"regio_code": "gemeente_code", "waarde": "gemeente"}
    )
    both = som.merge(gm, on=["gemeente_code", "indeling_jaar", "periode", "indicator"], how="inner")
    both["verschil"] = both["som_wijken"] - both["gemeente"]
    return both.rename(columns={"indeling_jaar": "jaar"})[
        [
            "gemeente_code",
            "jaar",
            "periode",
            "indicator",
            "gemeente",
            "som_wijken",
            "n_wijken",
            "n_onderdrukt",
            "verschil",
        ]
    ]


def samenvatting(controle: pd.DataFrame) -> tuple[str, str]:
    """Check name and detail text for the build report (English, like the other checks)."""
    if controle.empty:
        return "wijk sums vs gemeente rows", "no gemeente with both wijk and gemeente rows"
    volledig = controle[controle["n_onderdrukt"].eq(0) & controle["gemeente"].notna()]
    gelijk = int(volledig["verschil"].eq(0).sum())
    worst = controle.loc[controle["verschil"].abs().fillna(-1).idxmax()]
    return (
        "wijk sums vs gemeente rows",
        f"{len(controle)} gemeente-periods ({len(volledig)} without suppressed wijken, "
        f"{gelijk} of those equal); largest difference {abs(worst['verschil']):g} "
        f"({worst['gemeente_code']} {worst['periode']} {worst['indicator']}: gemeente row "
        f"{worst['gemeente']:g}, sum of wijken {worst['som_wijken']:g}); gemeente row kept, "
        "wijken never summed into gemeente figures",
    )
