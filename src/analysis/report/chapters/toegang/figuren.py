"""Figures of the chapter "Wachttijden en toegang": the duration trend and two maps (share of
starts via the wijkteam, stock per 1 000 on the last reference date)."""

from __future__ import annotations

import pandas as pd

from analysis import store
from analysis.indicators import access
from analysis.report import figures, text
from analysis.report.chapters._basis import md
from analysis.report.chapters.toegang import teksten
from analysis.report.chapters.toegang.gegevens import Gegevens, Groep

__all__ = ["duur_trend", "kaarten"]


def duur_trend(d: Gegevens, groepen: list[Groep]) -> None:
    """Weighted mean duration of ended trajectories per year, subject and Nederland."""
    series = {}
    for g in groepen:
        s = d.duur_reeks(g)
        if len(s):
            s = s[s["periode_type"] == "jaar"]
        if len(s) and s["waarde"].notna().any():
            series[g.label] = s
    if not series or max(len(s) for s in series.values()) < 2:
        return
    fig = figures.trend_chart(
        series,
        titel="Duur van beëindigde trajecten (geen wachttijd)",
        ylabel="dagen (gewogen gemiddelde)",
    )
    cap = figures.caption(
        "Gemiddelde duur van beëindigde jeugdhulptrajecten in natura in dagen, per jaar; voor "
        "groepen gewogen naar het aantal beëindigde trajecten. Open markers: voorlopig. "
        + teksten.REEKS_NOOT,
        d.bronnen([access.DUUR, access.DUUR_GEWICHT], [int(p) for p in d.jaren]),
        synthetic=d.ctx.synthetic,
    )
    figures.show(fig, cap)


def _kaart(d: Gegevens, gdf, waarden: pd.Series, *, titel: str, legenda: str, tekst: str,
           inds: list[str], jaren: list[int], highlight=()) -> None:  # fmt: skip
    data = gdf.merge(
        waarden.rename("waarde").rename_axis("code").reset_index(),
        left_on="statcode",
        right_on="code",
        how="left",
    )
    if data["waarde"].notna().sum() == 0:
        md(f"*Kaart niet getoond: voor {titel[0].lower() + titel[1:]} zijn geen cijfers.*")
        return
    k = 5 if len(data) >= 15 else 4 if len(data) >= 8 else 3
    fig = figures.choropleth(
        data,
        "waarde",
        titel=titel,
        legend_titel=f"{legenda}\nklassen: {'kwintielen' if k == 5 else 'kwantielen'}",
        highlight=list(highlight),
        k=k,
        labels=len(data) <= 25,
    )
    cap = figures.caption(
        f"{tekst} Gearceerd grijs: onderdrukt of geen gegevens.",
        d.bronnen(inds, jaren),
        synthetic=d.ctx.synthetic,
    )
    figures.show(fig, cap)


def kaarten(d: Gegevens, *, bestand: bool = True) -> None:
    """Maps per gemeente: share of starts via the wijkteam and (``bestand``) stock per 1 000
    young people on the last reference date."""
    ctx = d.ctx
    gdf, used, _ = store.load_boundaries_nearest("gemeente", d.ij, ctx.settings)
    if gdf is None:
        md("*Kaart niet beschikbaar: deze gegevensset bevat geen gemeentegrenzen.*")
        return
    if ctx.kind == "jeugdregio":
        gdf = gdf[gdf["statcode"].isin(d.leden(ctx.code))]
    elif ctx.kind == "gemeente" and ctx.regio_code:
        gdf = gdf[gdf["statcode"].isin(set(d.leden(ctx.regio_code)) | {ctx.code})]
    highlight = [ctx.code] if ctx.kind == "gemeente" else []
    p = text.periode_tekst(d.periode or "")
    _kaart(
        d,
        gdf,
        d.per_gemeente("verwijzer_gemeente_pct"),
        titel=f"Begonnen trajecten via de gemeentelijke toegang, {p}",
        legenda="aandeel (%)",
        tekst=f"Kaart: aandeel van de begonnen jeugdhulptrajecten in natura met de gemeentelijke "
        f"toegang (wijkteam) als verwijzer, {p}, per gemeente (grenzen {used}).",
        inds=["toegang_begonnen_gemeente", "toegang_begonnen"],
        jaren=[d.jaar or d.ij],
        highlight=highlight,
    )
    if not bestand:
        return
    peildata = access.perioden(
        d.df, "toegang_bestand_jeugdzorg", indeling_jaar=d.ij, periode_type="peildatum"
    )
    binnen = [q for q in peildata if int(q[:4]) <= int(ctx.jaar)] or peildata
    if not binnen:
        return
    q = binnen[-1]
    b = d.breed(q)
    per = access.ratio(b["toegang_bestand_jeugdzorg"], b[access.BEVOLKING], 1000.0)
    _kaart(
        d,
        gdf,
        per,
        titel=f"Lopende trajecten per 1\u202f000 jongeren, {text.periode_tekst(q)}",
        legenda="per 1\u202f000 jongeren",
        tekst=f"Kaart: lopende jeugdzorgtrajecten in natura op {text.periode_tekst(q)} per "
        f"1\u202f000 jongeren van 0 tot 18 jaar, per gemeente (grenzen {used}).",
        inds=["toegang_bestand_jeugdzorg", access.BEVOLKING],
        jaren=[int(q[:4])],
        highlight=highlight,
    )
