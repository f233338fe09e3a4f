"""Tables of the rekenkamer edition (formatted cells; shown with :func:`html_tabel`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import registry
from analysis.report.chapters._basis import html_tabel, toon_html
from analysis.report.chapters.rekenkamer import gegevens, teksten
from analysis.report.chapters.rekenkamer.gegevens import Cijfer
from analysis.report.text import getal, status_tekst

__all__ = [
    "auditvragen",
    "bouwstenen",
    "doelenmatrix",
    "grn_checklist",
    "lidmaatschappen",
    "profiel",
    "sjabloon",
]

#: Divisions of ``regio_indeling`` by their Dutch name, in the order the profile lists them.
INDELINGEN = {
    "jeugdregio": "Jeugdregio",
    "arbeidsmarktregio": "Arbeidsmarktregio",
    "veiligheidsregio": "Veiligheidsregio",
    "ggd": "GGD-regio",
    "ggdregio": "GGD-regio",
    "zorgkantoor": "Zorgkantoorregio",
    "zorgkantoorregio": "Zorgkantoorregio",
    "provincie": "Provincie",
}


def _bron(c: Cijfer) -> str:
    return f"CBS {c.bron}" if c.bron and c.bron != "berekend" else (c.bron or "–")


def cijfer_tekst(c: Cijfer) -> str:
    """'12 345 (2023, voorlopig)' or why there is no figure."""
    if c.waarde is None:
        return "onderdrukt" if c.onderdrukt else "geen gegevens"
    eenheid = registry.indicator(c.indicator).eenheid
    d = 1 if eenheid in ("procent", "%", "aandeel") or abs(c.waarde) < 100 else 0
    status = f", {status_tekst(c.status)}" if c.status and c.status != "definitief" else ""
    unit = {"procent": " %", "%": " %", "aantal": "", "aandeel": ""}.get(eenheid, f" {eenheid}")
    if eenheid in ("euro", "1 000 euro"):
        unit = " euro" if eenheid == "euro" else " × 1 000 euro"
    return f"{getal(c.waarde, d)}{unit} ({c.jaar}{status})"


def profiel(ctx, cijfers: list[Cijfer]) -> None:
    """Population figures of the gemeente with year and source."""
    df = pd.DataFrame(
        {
            "Cijfer": [registry.indicator(c.indicator).label for c in cijfers],
            "Waarde": [cijfer_tekst(c) for c in cijfers],
            "Bron": [_bron(c) for c in cijfers],
        }
    )
    toon_html(html_tabel(df, bijschrift=f"Bevolking van {ctx.naam}", rechts=("Waarde",)))


def lidmaatschappen(ctx, leden: pd.DataFrame, congruent: dict[str, str]) -> None:
    """The regions the gemeente belongs to, and whether each matches its jeugdregio."""
    rows = []
    for r in leden.itertuples():
        rows.append(
            {
                "Indeling": INDELINGEN.get(r.indeling, r.indeling),
                "Regio": f"{r.regio_naam} ({r.regio_code})",
                "Congruent met de jeugdregio": congruent.get(r.indeling, "–"),
            }
        )
    toon_html(
        html_tabel(
            pd.DataFrame(rows),
            bijschrift=f"Regio-indelingen waartoe {ctx.naam} behoort ({ctx.indeling_jaar})",
        )
    )


def doelenmatrix(ctx, df: pd.DataFrame) -> None:
    """Goal -> policy question -> indicator (with its current value) -> finding, with source."""
    rows = []
    for r in df.itertuples():
        ind = r.indicator if isinstance(r.indicator, str) and r.indicator else None
        rows.append(
            {
                "Doel": r.doel,
                "Beleidsvraag": r.beleidsvraag,
                "Indicator": registry.indicator(ind).label if ind else "geen (niet in dit rapport)",
                "Waarde in dit rapport": cijfer_tekst(gegevens.cijfer(ctx, ind)) if ind else "–",
                "Bevinding": r.bevinding if isinstance(r.bevinding, str) else "",
                "Bron": f"{r.bron_titel} ({r.bron_uitgever}, {str(r.bron_datum)[:10]}); "
                f"{Path(str(r.bestand)).name} regel {r.regel}",
            }
        )
    toon_html(
        html_tabel(
            pd.DataFrame(rows),
            bijschrift=f"Doelen, beleidsvragen en indicatoren van {ctx.naam} (lokale bron, "
            "geen CBS-cijfer)",
        )
    )


def sjabloon(ctx) -> None:
    """The empty goals template, prefilled with the indicators this project computes."""
    rows = [
        {
            "Doel": "(in te vullen)",
            "Beleidsvraag": vraag,
            "Indicator": f"{registry.indicator(ind).label} ({ind})",
            "Waarde in dit rapport": cijfer_tekst(gegevens.cijfer(ctx, ind)),
            "Bevinding": "(in te vullen)",
        }
        for vraag, ind in teksten.SJABLOON
    ]
    toon_html(
        html_tabel(
            pd.DataFrame(rows),
            bijschrift="Sjabloon: doel → beleidsvraag → indicator, voorgevuld met de "
            "indicatoren van dit rapport",
        )
    )


def grn_checklist(ctx, df: pd.DataFrame) -> None:
    """The four GRN questions with what the local goals file says (or left to the office)."""
    met_indicator = (
        int(df["indicator"].fillna("").astype(str).str.len().gt(0).sum()) if len(df) else 0
    )
    invullen = "door de rekenkamer in te vullen"
    antwoorden = [
        f"{len(df)} beleidsvraag/-vragen bij {df['doel'].nunique()} doel(en) vastgelegd"
        if len(df)
        else invullen,
        f"{met_indicator} van {len(df)} beleidsvragen met een indicator van dit rapport"
        if len(df)
        else invullen,
        invullen,
        invullen,
    ]
    df_out = pd.DataFrame(
        {
            "": ["☑" if a != invullen else "☐" for a in antwoorden],
            "Vraag (GRN-methode)": list(teksten.GRN_VRAGEN),
            "Stand in dit rapport": antwoorden,
        }
    )
    toon_html(html_tabel(df_out, bijschrift="De informatiepositie van de gemeenteraad"))


def bouwstenen(ctx, df: pd.DataFrame) -> None:
    """Building blocks of the region: ja / nee / onbekend with source."""
    out = pd.DataFrame(
        {
            "Bouwsteen": [b.replace("_", " ") for b in df["bouwsteen"]],
            "Stand": [str(w) for w in df["waarde"]],
            "Jaar": ["–" if pd.isna(j) else str(int(j)) for j in df["jaar"]],
            "Bron": [b or "geen lokale bron" for b in df["bron"]],
        }
    )
    toon_html(
        html_tabel(out, bijschrift=f"Regionale bouwstenen van de jeugdregio {ctx.regio_naam}")
    )


def auditvragen(ctx, rijen: list[dict[str, str]]) -> None:
    """The w-vragen checklist."""
    toon_html(
        html_tabel(
            pd.DataFrame(rijen),
            bijschrift=f"Auditvragen voor {ctx.naam}: bewijs in dit rapport",
        )
    )
