"""Tables of the chapter "Budget en tekorten" (formatted strings, rendered by ``html_tabel``)."""

from __future__ import annotations

import pandas as pd

from analysis.indicators import budget
from analysis.report.chapters._basis import html_tabel
from analysis.report.chapters.budget import teksten as t
from analysis.report.chapters.budget.gegevens import Budget, positie
from analysis.report.text import getal, procent

__all__ = [
    "iv3_tabel",
    "leden_tabel",
    "regios_tabel",
    "vergelijk_tabel",
    "verevening_tabel",
    "jaren_tabel",
]

_REAL, _BEGR = budget.REALISATIE, budget.BEGROTING
_RECHTS = (
    "Gerealiseerd",
    "Begroot",
    "Afwijking",
    "Per jongere",
    "Afwijking per jongere",
    "Verwacht per jongere (interval)",
    "Dekking",
    "Eigen kosten",
    "Saldo sleutel jongeren",
    "Saldo sleutel verwachte kosten",
    "Gemeenten met beide",
    "Boven begroting",
)


def _pct(x: float | None) -> str:
    return procent(x, 1) if x is not None else "geen gegevens"


def _kern(r: dict) -> dict[str, str]:
    return {
        "Gerealiseerd": t.miljoen(r.get(_REAL)),
        "Begroot": t.miljoen(r.get(_BEGR)),
        "Afwijking": _pct(r.get("begrotingsafwijking_pct")),
        "Per jongere": t.euro(r.get("kosten_per_jongere")),
        "Afwijking per jongere": t.euro(r.get("afwijking_per_jongere")),
    }


def _dekking(r: dict, n_leden: int) -> str:
    d = r.get("dekking")
    if d is None or pd.isna(d):
        return "geen gegevens"
    n = int(round(d * n_leden))
    aandeel = r.get("kosten_dekking_jongeren")
    jong = f", {procent(100 * aandeel, 0)} van de jongeren" if aandeel is not None else ""
    return f"{n} van {n_leden}{jong}"


def regios_tabel(b: Budget, jaar: int, leden: pd.DataFrame) -> str:
    """Every jeugdregio: sums over its gemeenten with data, with coverage."""
    rows = []
    for (code, naam), grp in leden.groupby(["regio_code", "regio_naam"], sort=True):
        r = b.rij(code, jaar)
        rows.append({"Jeugdregio": naam, **_kern(r), "Dekking": _dekking(r, len(grp))})
    return html_tabel(
        pd.DataFrame(rows),
        bijschrift=f"Kosten voor jeugdzorg per jeugdregio, {jaar}",
        rechts=_RECHTS,
        noot="Sommen over de gemeenten die leverden (afwijking alleen over gemeenten die beide "
        "cijfers leverden); een regio met een dekking onder 100% is niet volledig. Bedragen in "
        "miljoen euro; per jongere van 0 tot 18 jaar in euro.",
    )


def leden_tabel(b: Budget, jaar: int, leden: pd.DataFrame, model_jaar: int | None) -> str:
    """The members of one jeugdregio side by side, with their expected-cost position."""
    rows = []
    for code, naam in zip(leden["gemeente_code"], leden["gemeente_naam"], strict=True):
        r = b.rij(code, jaar)
        rij = {"Gemeente": naam, **_kern(r)}
        if model_jaar is not None:
            m = b.rij(code, model_jaar)
            lo, hi = m.get("verwachte_kosten_ondergrens"), m.get("verwachte_kosten_bovengrens")
            pos = positie(m.get("kosten_per_jongere"), lo, hi)
            rij["Verwacht per jongere (interval)"] = (
                f"{t.euro(m.get('verwachte_kosten_per_jongere'))} ({getal(lo)}–{getal(hi)})"
                if lo is not None
                else "geen gegevens"
            )
            rij[f"Positie {model_jaar}"] = pos or "geen gegevens"
        rows.append(rij)
    noot = "Bedragen in miljoen euro; per jongere van 0 tot 18 jaar in euro."
    if model_jaar is not None:
        noot += (
            f" Verwacht per jongere: schatting van het kostenmodel {model_jaar} met het "
            "95%-voorspellingsinterval; positie van de werkelijke kosten ten opzichte daarvan."
        )
    return html_tabel(
        pd.DataFrame(rows),
        bijschrift=f"Gemeenten van de jeugdregio, {jaar}",
        rechts=_RECHTS,
        noot=noot,
    )


def verevening_tabel(b: Budget, jaar: int, leden: pd.DataFrame) -> str:
    """Simulated pooling: who pays, who receives, under both keys."""
    rows = []
    for code, naam in zip(leden["gemeente_code"], leden["gemeente_naam"], strict=True):
        r = b.rij(code, jaar)

        def saldo(x: float | None) -> str:
            if x is None:
                return "doet niet mee"
            rol = "betaalt" if x > 0.5 else "ontvangt" if x < -0.5 else "neutraal"
            return f"{t.miljoen(x)} ({rol})"

        rows.append(
            {
                "Gemeente": naam,
                "Eigen kosten": t.miljoen(r.get(_REAL)),
                "Saldo sleutel jongeren": saldo(r.get("verevening_saldo_jongeren")),
                "Saldo sleutel verwachte kosten": saldo(r.get("verevening_saldo_verwacht")),
            }
        )
    return html_tabel(
        pd.DataFrame(rows),
        bijschrift=f"Verevening in de jeugdregio (simulatie), {jaar}",
        rechts=_RECHTS,
        noot="Saldo = bijdrage aan de gezamenlijke pot min de eigen gerealiseerde kosten, in "
        "miljoen euro; positief: netto betaler, negatief: netto ontvanger. Per sleutel tellen "
        "de saldi op tot nul. 'Doet niet mee': geen kosten geleverd (of, bij de sleutel "
        "verwachte kosten, geen modelschatting). Een simulatie, geen werkelijke afspraak.",
    )


def vergelijk_tabel(rijen: list[tuple[str, dict]], jaar: int) -> str:
    """A gemeente against its region, size class and Nederland."""
    rows = [{"Gebied": naam, **_kern(r)} for naam, r in rijen]
    return html_tabel(
        pd.DataFrame(rows),
        bijschrift=f"Kosten voor jeugdzorg in vergelijking, {jaar}",
        rechts=_RECHTS,
        noot="Regio, grootteklasse en Nederland: sommen over de gemeenten die leverden. "
        "Bedragen in miljoen euro; per jongere van 0 tot 18 jaar in euro.",
    )


def jaren_tabel(aandeel: pd.DataFrame) -> str:
    """Share of gemeenten over budget per year (from counts)."""
    rows = [
        {
            "Jaar": str(int(r["jaar"])),
            "Gemeenten met beide": str(int(r["n"])),
            "Boven begroting": f"{int(r['n_boven'])} ({procent(100 * r['aandeel_boven'], 0)})",
        }
        for _, r in aandeel.iterrows()
    ]
    return html_tabel(
        pd.DataFrame(rows),
        bijschrift="Gemeenten met hogere gerealiseerde dan begrote kosten, per jaar",
        rechts=_RECHTS,
        noot="Alleen gemeenten die zowel begrote als gerealiseerde kosten leverden.",
    )


def iv3_tabel(tab: pd.DataFrame, n: int, n_alle: int) -> str:
    """Iv3 lasten per youth taakveld group and boekjaar (realisatie, 1 000 euro -> mln)."""
    from analysis.indicators import iv3

    rows = []
    for ind, r in tab.iterrows():
        groep = str(ind).removeprefix("iv3_lasten_")
        rij = {"Groep": iv3.GROEPEN.get(groep, groep)}
        for jaar, v in r.items():
            if pd.isna(v) and groep == "pgb_jeugd" and int(jaar) <= 2024:
                rij[str(int(jaar))] = "in 6.72 (zonder verblijf)"
            else:
                rij[str(int(jaar))] = t.miljoen(None if pd.isna(v) else float(v))
        rows.append(rij)
    jaren = [str(int(j)) for j in tab.columns]
    breuken = [f"{j}: {iv3.TRENDBREUKEN[int(j)]}" for j in jaren if int(j) in iv3.TRENDBREUKEN]
    return html_tabel(
        pd.DataFrame(rows),
        bijschrift="Lasten op de jeugdtaakvelden (Iv3, realisatie)",
        rechts=tuple(jaren),
        noot=f"Miljoen euro; {n} van {n_alle} gemeenten met Iv3-cijfers. Zonder "
        "reservemutaties en interne verrekeningen; hoofdtaakvelden en hun onderverdeling niet "
        "dubbel geteld. Trendbreuken: " + "; ".join(breuken or ["geen in deze jaren"]) + ".",
    )
