"""Tables of the chapter "Gebruik van jeugdzorg": key figures, jeugdregio's, gemeenten of a
jeugdregio and size classes, as HTML tables of formatted Dutch cells."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis.indicators import use
from analysis.report import text
from analysis.report.chapters._basis import html_tabel, toon_html
from analysis.report.chapters.gebruik.gegevens import JEUGDHULP, MET_VERBLIJF, Gegevens
from analysis.report.chapters.gebruik.teksten import klasse_label, kort

__all__ = [
    "cel_aantal",
    "cel_rate",
    "gemeenten_tabel",
    "grootteklassen_tabel",
    "jeugdregios_tabel",
    "kerntabel",
    "schatting",
]


def schatting(rij: dict) -> bool:
    """A group figure over part of its members (an estimate)."""
    if not rij:
        return False
    n, dekking = rij.get("n_leden"), rij.get("dekking")
    return not pd.isna(n) and int(n) > 1 and not pd.isna(dekking) and 0 < float(dekking) < 1


def cel_aantal(rij: dict) -> str:
    if not rij:
        return text.GEEN_GEGEVENS
    v = text.waarde(rij.get("aantal"), onderdrukt=bool(rij.get("onderdrukt")))
    if rij.get("klein"):
        v += " (klein aantal)"
    return v


def cel_rate(rij: dict, dec: int) -> str:
    if not rij:
        return text.GEEN_GEGEVENS
    v = text.waarde(rij.get("per_1000"), onderdrukt=bool(rij.get("onderdrukt")), decimalen=dec)
    if schatting(rij) and not np.isnan(rij.get("per_1000", np.nan)):
        v = "ca. " + v
    return v


def _dec(*rijen: dict) -> int:
    return text.decimalen_per_1000(*(r.get("per_1000") for r in rijen if r))


def kerntabel(d: Gegevens, kolommen: list[tuple[str, Callable[[str], dict]]], jongeren: str) -> str:
    """Key figures: counts and rates for the subject plus a per-1 000 column per comparison.

    ``kolommen[0]`` is the subject; ``jongeren`` its youth population (first table row).
    """
    naam0, f0 = kolommen[0]
    first = {
        "Onderwerp": "Jongeren van 0 tot 18 jaar (1 januari)",
        "Aantal": jongeren,
        f"Per 1\u202f000 jongeren ({naam0})": "",
    }
    for naam, _f in kolommen[1:]:
        first[f"{naam} (per 1\u202f000)"] = ""
    first["Status"] = ""
    rows = [first]
    for ind in d.beschikbaar:
        r0 = f0(ind)
        others = [f(ind) for _n, f in kolommen[1:]]
        dec = _dec(r0, *others)
        row = {
            "Onderwerp": kort(ind),
            "Aantal": cel_aantal(r0),
            f"Per 1\u202f000 jongeren ({naam0})": cel_rate(r0, dec),
        }
        for (naam, _f), r in zip(kolommen[1:], others, strict=True):
            row[f"{naam} (per 1\u202f000)"] = cel_rate(r, dec)
        row["Status"] = text.status_tekst(r0.get("status")) if r0 else ""
        rows.append(row)
    df = pd.DataFrame(rows)
    return html_tabel(
        df,
        bijschrift=f"Kerncijfers jeugdzorg, {d.periode}",
        rechts=[c for c in df.columns if c not in ("Onderwerp", "Status")],
        noot=(
            "'ca.': schatting, want van een of meer gemeenten in de groep ontbreekt het cijfer. "
            "'onderdrukt': niet gepubliceerd door het CBS. 'klein aantal': minder dan 10 jongeren."
        ),
    )


def grootteklassen_tabel(ctx, d: Gegevens) -> None:
    """Jeugdhulp per CBS gemeentegrootteklasse (a ready peer comparison)."""
    classes = use.size_classes(d.df, ctx.gemeenten, jaar=d.jaar, indeling_jaar=d.ij)
    if classes.empty:
        return
    agg = use.aggregate(d.gem(JEUGDHULP), classes, niveau="grootteklasse")
    agg = agg[agg["periode"] == d.periode]
    order = {f"GK{i + 1}": i for i in range(len(use.GROOTTEKLASSEN))}
    agg = agg.assign(_o=agg["regio_code"].map(order)).sort_values("_o")
    dec = text.decimalen_per_1000(*agg["per_1000"])
    tab = pd.DataFrame(
        {
            "Gemeentegrootte": [
                (n := klasse_label(c))[0].upper() + n[1:] for c in agg["regio_code"]
            ],
            "Gemeenten": [
                f"{int(a)} van {int(b)}"
                for a, b in zip(agg["n_met_waarde"], agg["n_leden"], strict=True)
            ],
            "Per 1\u202f000 jongeren": [cel_rate(r.to_dict(), dec) for _, r in agg.iterrows()],
        }
    )
    toon_html(
        html_tabel(
            tab,
            bijschrift=f"Jeugdhulp naar gemeentegrootte (inwoners op 1 januari), {d.periode}",
            rechts=["Gemeenten", "Per 1\u202f000 jongeren"],
            noot="Gemeentegrootteklassen van het CBS; 'Gemeenten': aantal met een cijfer van het "
            "totaal in de klasse.",
        )
    )


def jeugdregios_tabel(ctx, d: Gegevens) -> None:
    """Jeugdhulp per jeugdregio (national report), sorted from high to low."""
    p = d.periode
    reg = d.regio(JEUGDHULP)
    reg = reg[reg["periode"] == p].sort_values("per_1000", ascending=False, na_position="last")
    share = d.verblijf(True) if MET_VERBLIJF in d.beschikbaar else None
    dec = text.decimalen_per_1000(*reg["per_1000"])
    rows = []
    for _, r in reg.iterrows():
        a = d.rij(share, r["regio_code"], p) if share is not None else {}
        rows.append(
            {
                "Jeugdregio": f"{r['regio_naam']} ({r['regio_code']})",
                "Gemeenten": f"{int(r['n_met_waarde'])} van {int(r['n_leden'])}",
                "Jongeren 0–17 jaar": text.getal(r["noemer"]),
                "Jeugdhulp (aantal)": cel_aantal(r.to_dict()),
                "Per 1\u202f000 jongeren": cel_rate(r.to_dict(), dec),
                "Met verblijf (% van jeugdhulp)": (
                    ("ca. " if a and a.get("dekking", 1) < 1 else "")
                    + text.waarde(
                        a.get("aandeel"), onderdrukt=bool(a.get("onderdrukt")), decimalen=1
                    )
                    if a
                    else text.GEEN_GEGEVENS
                ),
            }
        )
    tab = pd.DataFrame(rows)
    toon_html(
        html_tabel(
            tab,
            bijschrift=f"Jeugdhulp per jeugdregio, {p} (indeling {d.ij})",
            rechts=[c for c in tab.columns if c != "Jeugdregio"],
            noot="'Gemeenten': aantal gemeenten met een cijfer van het totaal in de regio; "
            "'ca.': schatting over de gemeenten met een cijfer. Jongeren 0–17 jaar: van de "
            "gemeenten met een cijfer. Gesorteerd van hoog naar laag.",
        )
    )


def gemeenten_tabel(ctx, d: Gegevens, rank: pd.DataFrame) -> None:
    """Jeugdhulp per gemeente of a jeugdregio with its rank (``rank``: :func:`use.rank_in_region`)."""
    p = d.periode
    share = d.verblijf() if MET_VERBLIJF in d.beschikbaar else None
    dec = text.decimalen_per_1000(*rank["per_1000"])
    rows = []
    for _, r in rank.iterrows():
        aandeel = d.rij(share, r["gemeente_code"], p) if share is not None else {}
        rows.append(
            {
                "Gemeente": r["gemeente_naam"],
                "Jongeren 0–17 jaar": text.getal(r["noemer"]),
                "Jeugdhulp (aantal)": cel_aantal(r.to_dict()),
                "Per 1\u202f000 jongeren": cel_rate(r.to_dict(), dec),
                "Plaats": "" if pd.isna(r["rang"]) else str(int(r["rang"])),
                "Met verblijf (% van jeugdhulp)": (
                    text.waarde(
                        aandeel.get("aandeel"),
                        onderdrukt=bool(aandeel.get("onderdrukt")),
                        decimalen=1,
                    )
                    if aandeel
                    else text.GEEN_GEGEVENS
                ),
            }
        )
    tab = pd.DataFrame(rows)
    toon_html(
        html_tabel(
            tab,
            bijschrift=f"Jeugdhulp per gemeente in de jeugdregio {ctx.naam}, {p}",
            rechts=[c for c in tab.columns if c != "Gemeente"],
            noot="Plaats 1 = het hoogste aantal jongeren met jeugdhulp per 1\u202f000 jongeren "
            "(eigen berekening). Gemeenten zonder cijfer hebben geen plaats.",
        )
    )
