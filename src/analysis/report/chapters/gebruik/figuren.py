"""Charts and maps of the chapter "Gebruik van jeugdzorg": trends since 2015, comparison bars,
choropleths; each with its caption and sources (drawing is in :mod:`analysis.report.figures`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

import analysis.report.chapters.gebruik.teksten as teksten
from analysis import registry
from analysis.indicators import use
from analysis.report import figures, text
from analysis.report.chapters._basis import md, toon_html
from analysis.report.chapters.gebruik import cbs
from analysis.report.chapters.gebruik.gegevens import (
    JEUGDHULP,
    KERN,
    MET_VERBLIJF,
    Gegevens,
    grenzen,
    regio_grenzen,
    waarden,
)
from analysis.report.chapters.gebruik.tabellen import schatting
from analysis.report.chapters.gebruik.teksten import kort

__all__ = [
    "kaart",
    "kaarten_gemeente",
    "kaarten_jeugdregio",
    "kaarten_nederland",
    "ontwikkeling_gemeente",
    "ontwikkeling_jeugdregio",
    "ontwikkeling_nederland",
    "panel_rij",
    "staven_gemeenten",
    "staven_vergelijking",
    "trend",
    "trend_multi",
    "trend_schaal",
]

_LEEG = pd.DataFrame(columns=["periode", "status", "voorlopig"])


def trend(
    ctx,
    d: Gegevens,
    ind: str,
    series: dict[str, pd.DataFrame],
    schaal: figures.TrendSchaal | None = None,
) -> None:
    """Trend chart of ``series``; with ``schaal``, the first series is the report's own on
    the scale its family shares (:func:`trend_schaal`)."""
    series = {k: v for k, v in series.items() if len(v) and v["waarde"].notna().any()}
    if not series:
        md(f"*Voor {text.label_klein(ind)} zijn geen cijfers over meerdere jaren beschikbaar.*")
        return
    jaren = sorted({int(j) for s in series.values() for j in s["jaar"]})
    titel = f"{registry.indicator(ind).label} per 1\u202f000 jongeren"
    eigen = next(iter(series))
    as_noot = ""
    if schaal is not None and schaal.past(eigen, series[eigen]):
        gedeeld = {k: v for k, v in series.items() if k != eigen}
        fig = figures.trend_chart_familie(
            (eigen, series[eigen]), gedeeld, schaal, titel=titel, ylabel=teksten.PER_1000_KORT
        )
        wie = "jeugdregio's" if ctx.kind == "jeugdregio" else "gemeenten van de jeugdregio"
        as_noot = (
            f" De verticale as is voor alle {wie} gelijk, zodat hun figuren onderling te "
            "vergelijken zijn."
        )
    else:
        dec = text.decimalen_per_1000(*(v for s in series.values() for v in s["waarde"]))
        fig = figures.trend_chart(series, titel=titel, ylabel=teksten.PER_1000_KORT, decimalen=dec)
    cap = figures.caption(
        f"Figuur: {text.label_klein(ind)} per 1\u202f000 jongeren van 0 tot 18 jaar, "
        f"{jaren[0]}–{jaren[-1]}, gemeentelijke indeling {d.ij}. Open symbolen en "
        "stippellijnen: voorlopige cijfers. De stippellijn 'trendbreuk' markeert de overgang "
        "naar een nieuwe CBS-reeks; de jaren ervoor en erna zijn niet vergelijkbaar." + as_noot,
        d.bronnen([ind], jaren),
        synthetic=ctx.synthetic,
        eigen=teksten.EIGEN,
    )
    figures.show(fig, cap)


def trend_schaal(ctx, d: Gegevens, ind: str) -> figures.TrendSchaal | None:
    """The scale shared by the trend charts of ``ind`` in the reports of every jeugdregio
    (for a jeugdregio report) or of every gemeente of the report's jeugdregio (memoised per
    data version)."""
    regios = ctx.kind == "jeugdregio"
    if not regios and not ctx.regio_code:
        return None

    def f() -> figures.TrendSchaal | None:
        if regios:
            r = ctx.leden.drop_duplicates("regio_code")
            frame, codes, namen = d.regio(ind), r["regio_code"], "Jeugdregio " + r["regio_naam"]
            gedeeld = []
        else:
            r = ctx.leden[ctx.leden["regio_code"] == ctx.regio_code]
            frame, codes, namen = d.gem(ind), r["gemeente_code"], r["gemeente_naam"]
            gedeeld = [d.trend(d.regio(ind), ctx.regio_code)]
        familie = {n: d.trend(frame, c) for c, n in zip(codes, namen, strict=True)}
        return figures.TrendSchaal.van(familie, [*gedeeld, d.trend(d.nl(ind), use.NEDERLAND)])

    return d.memo(("trendschaal", ind, "jeugdregio's" if regios else ctx.regio_code), f)


def trend_multi(ctx, d: Gegevens, inds: list[str], series: dict[str, pd.DataFrame]) -> None:
    series = {k: v for k, v in series.items() if len(v) and v["waarde"].notna().any()}
    if not series:
        return
    jaren = sorted({int(j) for s in series.values() for j in s["jaar"]})
    dec = text.decimalen_per_1000(*(v for s in series.values() for v in s["waarde"]))
    fig = figures.trend_chart(
        series,
        titel="Jongeren per 1\u202f000 jongeren, Nederland",
        ylabel=teksten.PER_1000_KORT,
        decimalen=dec,
    )
    cap = figures.caption(
        f"Figuur: {text.lijst([text.label_klein(i) for i in inds])} per 1\u202f000 jongeren van "
        f"0 tot 18 jaar in Nederland, {jaren[0]}–{jaren[-1]}. Open symbolen en stippellijnen: "
        "voorlopige cijfers; de jaren voor en na de trendbreuk zijn niet vergelijkbaar.",
        d.bronnen(inds, jaren),
        synthetic=ctx.synthetic,
        eigen=teksten.EIGEN,
    )
    figures.show(fig, cap)


def kaart(
    ctx,
    d: Gegevens,
    gdf,
    waarden: pd.DataFrame,
    *,
    code_col: str,
    titel: str,
    gebied: str,
    noot: str,
    highlight=(),
    outline=None,
    labels: bool = False,
) -> None:
    """A choropleth of jeugdhulp per 1 000 youth (``waarden``: code, per_1000)."""
    data = gdf.merge(waarden[["code", "per_1000"]], left_on=code_col, right_on="code", how="left")
    if data["per_1000"].notna().sum() == 0:
        md(
            f"*Kaart niet getoond: voor {titel[0].lower() + titel[1:]} zijn geen cijfers beschikbaar.*"
        )
        return
    k = 5 if len(data) >= 15 else 4 if len(data) >= 8 else 3
    fig = figures.choropleth(
        data,
        "per_1000",
        titel=titel,
        legend_titel=f"{teksten.PER_1000_KORT}\nklassen: {'kwintielen' if k == 5 else 'kwantielen'}",
        highlight=highlight,
        code_col=code_col,
        outline=outline,
        k=k,
        labels=labels,
    )
    cap = figures.caption(
        f"Kaart: jongeren met jeugdhulp per 1\u202f000 jongeren van 0 tot 18 jaar in {d.periode}, "
        f"per {gebied}. De klassen zijn kwantielen: elke klasse bevat ongeveer evenveel "
        f"{'gebieden' if gebied != 'gemeente' else 'gemeenten'}. Gearceerd grijs: onderdrukt of "
        f"geen gegevens. {noot}",
        d.bronnen([JEUGDHULP], [d.jaar]),
        synthetic=ctx.synthetic,
        eigen=teksten.EIGEN,
    )
    figures.show(fig, cap)


def panel_rij(label: str, rij: dict, hoofd: bool) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": [label],
            "waarde": [rij.get("per_1000", np.nan) if rij else np.nan],
            "hoofd": [hoofd],
            "onderdrukt": [bool(rij.get("onderdrukt")) if rij else False],
            "schatting": [schatting(rij)],
        }
    )


def _kaartgrenzen(ctx):
    """(gemeente boundaries, year used, caption note), or (None, None, "") after saying so."""
    gdf, used = grenzen(ctx)
    if gdf is None:
        teksten.geen_kaart(ctx)
        return None, None, ""
    return gdf, used, teksten.grenzen_noot(ctx, used)


# ----------------------------------------------------------------------------- sections


def _hoofd(ctx, d: Gegevens) -> str:
    """The indicator of the main trend: jeugdhulp, or jeugdzorg (after saying why) when the
    data set has no jeugdhulp."""
    if JEUGDHULP in d.beschikbaar:
        return JEUGDHULP
    cbs.ontbreekt(ctx, JEUGDHULP)
    return cbs.JEUGDZORG


def ontwikkeling_nederland(ctx, d: Gegevens) -> pd.DataFrame:
    """Trend charts of the national report; returns the jeugdhulp series (for the notes)."""
    groepen = [
        ("jongeren_met_jeugdzorg", JEUGDHULP, "jongeren_met_jeugdhulp_zonder_verblijf"),
        (MET_VERBLIJF, "jongeren_met_jeugdbescherming", "jongeren_met_jeugdreclassering"),
    ]
    hoofd_series = pd.DataFrame(columns=["periode", "status", "voorlopig"])
    hoofd = _hoofd(ctx, d)
    for groep in groepen:
        inds = [i for i in groep if i in d.beschikbaar]
        if not inds:
            continue
        series = {kort(i): d.trend(d.nl(i), use.NEDERLAND) for i in inds}
        if hoofd in inds:
            hoofd_series = series[kort(hoofd)]
            zin = text.zin_trend(hoofd, "Nederland", use.trend_change(hoofd_series))
            if zin:
                md(zin)
        trend_multi(ctx, d, inds, series)
    return hoofd_series


def ontwikkeling_jeugdregio(ctx, d: Gegevens) -> pd.DataFrame:
    """Trend charts of a jeugdregio report; returns the region's jeugdhulp series."""
    code, oms = ctx.code, f"de jeugdregio {ctx.naam}"
    hoofd_series = pd.DataFrame(columns=["periode", "status", "voorlopig"])
    hoofd = _hoofd(ctx, d)
    for ind in [i for i in (hoofd, MET_VERBLIJF) if i in d.beschikbaar]:
        series = {
            f"Jeugdregio {ctx.naam}": d.trend(d.regio(ind), code),
            "Nederland": d.trend(d.nl(ind), use.NEDERLAND),
        }
        if ind == hoofd:
            hoofd_series = series[f"Jeugdregio {ctx.naam}"]
            zin = text.zin_trend(ind, oms, use.trend_change(hoofd_series))
            if zin:
                md(zin + " Regiocijfers zijn opgeteld uit de gemeenten met een cijfer.")
        trend(ctx, d, ind, series, trend_schaal(ctx, d, ind))
    return hoofd_series


def ontwikkeling_gemeente(ctx, d: Gegevens) -> pd.DataFrame:
    """Trend charts of a gemeente report; returns the gemeente's jeugdhulp series."""
    code = ctx.code
    hoofd_series = pd.DataFrame(columns=["periode", "status", "voorlopig"])
    hoofd = _hoofd(ctx, d)
    for ind in [i for i in (hoofd, MET_VERBLIJF) if i in d.beschikbaar]:
        series = {ctx.naam: d.trend(d.gem(ind), code)}
        if ctx.regio_code:
            series[f"Jeugdregio {ctx.regio_naam}"] = d.trend(d.regio(ind), ctx.regio_code)
        series["Nederland"] = d.trend(d.nl(ind), use.NEDERLAND)
        if ind == hoofd:
            hoofd_series = series[ctx.naam]
            zin = text.zin_trend(ind, ctx.naam, use.trend_change(hoofd_series))
            if zin:
                md(zin)
        trend(ctx, d, ind, series, trend_schaal(ctx, d, ind))
    return hoofd_series


def kaarten_nederland(ctx, d: Gegevens) -> None:
    """The national maps: gemeenten (with jeugdregio borders) and jeugdregio's."""
    if JEUGDHULP not in d.beschikbaar:
        cbs.ontbreekt(ctx, JEUGDHULP)
        return
    p = d.periode
    gdf, used, noot = _kaartgrenzen(ctx)
    if gdf is None:
        return
    regios = regio_grenzen(ctx, gdf, used) if len(ctx.leden) else None
    kaart(
        ctx,
        d,
        gdf,
        waarden(d.gem(JEUGDHULP), p),
        code_col="statcode",
        titel=f"Jeugdhulp per 1\u202f000 jongeren per gemeente, {p}",
        gebied="gemeente",
        noot=noot + " Donkere lijnen: grenzen van de jeugdregio's." if regios is not None else noot,
        outline=regios,
    )
    if regios is not None and len(regios):
        _regiokaart(ctx, d, regios, p, noot)


def _regiokaart(ctx, d: Gegevens, regios, p: str, noot: str, highlight=()) -> None:
    """Jeugdhulp per 1 000 jongeren per jeugdregio (``highlight``: the report's own region)."""
    kaart(
        ctx,
        d,
        regios,
        waarden(d.regio(JEUGDHULP), p),
        code_col="regio_code",
        titel=f"Jeugdhulp per 1\u202f000 jongeren per jeugdregio, {p}",
        gebied="jeugdregio",
        noot=noot,
        highlight=highlight,
    )


def kaarten_jeugdregio(ctx, d: Gegevens) -> None:
    """The maps of a jeugdregio report: all jeugdregio's, and the region's gemeenten."""
    if JEUGDHULP not in d.beschikbaar:
        cbs.ontbreekt(ctx, JEUGDHULP)
        return
    p, code = d.periode, ctx.code
    members = ctx.leden[ctx.leden["regio_code"] == code]
    gdf, used, noot = _kaartgrenzen(ctx)
    if gdf is None:
        return
    regios = regio_grenzen(ctx, gdf, used)
    if regios is not None and len(regios):
        _regiokaart(ctx, d, regios, p, noot, highlight=[code])
    sub = gdf[gdf["statcode"].isin(set(members["gemeente_code"]))]
    if len(sub):
        kaart(
            ctx,
            d,
            sub,
            waarden(d.gem(JEUGDHULP), p),
            code_col="statcode",
            titel=f"Jeugdhulp per 1\u202f000 jongeren, gemeenten in de jeugdregio {ctx.naam}, {p}",
            gebied="gemeente",
            noot=noot,
            labels=True,
        )


def kaarten_gemeente(ctx, d: Gegevens, regio: str | None) -> None:
    """The map of a gemeente report: the gemeenten of its jeugdregio, itself outlined."""
    if JEUGDHULP not in d.beschikbaar:
        cbs.ontbreekt(ctx, JEUGDHULP)
        return
    p, code = d.periode, ctx.code
    gdf, _used, noot = _kaartgrenzen(ctx)
    if gdf is None:
        return
    members = ctx.leden.loc[ctx.leden["regio_code"] == ctx.regio_code, "gemeente_code"]
    sub = gdf[gdf["statcode"].isin(set(members) | {code})]
    if sub.empty:
        md(
            "*Kaart niet beschikbaar: de gemeenten van deze jeugdregio staan niet in de "
            "beschikbare grenzen.*"
        )
        return
    kaart(
        ctx,
        d,
        sub,
        waarden(d.in_periode(d.gem(JEUGDHULP), p), p),
        code_col="statcode",
        titel=f"Jeugdhulp per 1\u202f000 jongeren, {regio or ctx.naam}, {p}",
        gebied="gemeente",
        noot=noot,
        highlight=[code],
        labels=True,
    )


def staven_gemeenten(ctx, d: Gegevens, rank: pd.DataFrame) -> None:
    """Bars of jeugdhulp per gemeente of a jeugdregio, with the region and Nederland."""
    p, code = d.periode, ctx.code
    panel = pd.concat(
        [
            pd.DataFrame(
                {
                    "label": rank["gemeente_naam"],
                    "waarde": rank["per_1000"],
                    "hoofd": False,
                    "onderdrukt": rank["onderdrukt"],
                    "schatting": False,
                }
            ),
            panel_rij(f"Jeugdregio {ctx.naam}", d.rij(d.regio(JEUGDHULP), code, p), True),
            panel_rij("Nederland", d.rij(d.nl(JEUGDHULP), use.NEDERLAND, p), False),
        ],
        ignore_index=True,
    )
    cap = figures.caption(
        f"Figuur: jongeren met jeugdhulp per 1\u202f000 jongeren van 0 tot 18 jaar in {p}, "
        f"per gemeente van de jeugdregio {ctx.naam}, met het regiototaal en Nederland.",
        d.bronnen([JEUGDHULP], [d.jaar]),
        synthetic=ctx.synthetic,
        eigen=teksten.EIGEN,
    )
    toon_html(
        figures.staven_html(
            [(kort(JEUGDHULP), panel)],
            titel=f"Jeugdhulp per gemeente, {p}",
            caption=cap,
            ncols=1,
        )
    )


def staven_vergelijking(ctx, d: Gegevens, v: teksten.Vergelijking) -> None:
    """Bars of a gemeente beside its jeugdregio, comparison group and Nederland."""
    p = d.periode
    panels = []
    for ind in [i for i in KERN if i in d.beschikbaar]:
        f = v.cmp[ind]
        labels = {
            "gemeente": ctx.naam,
            "jeugdregio": "Jeugdregio",
            "vergelijkingsgroep": teksten.groep_label(ctx),
            "nederland": "Nederland",
        }
        panels.append(
            (
                kort(ind),
                pd.DataFrame(
                    {
                        "label": [labels[r] for r in f["rol"]],
                        "waarde": f["per_1000"].astype("float64"),
                        "hoofd": f["rol"] == "gemeente",
                        "onderdrukt": f["onderdrukt"].fillna(False).astype(bool),
                        "schatting": (f["n_leden"].fillna(1) > 1) & (f["dekking"].fillna(1) < 1),
                    }
                ),
            )
        )
    if not panels:
        return
    uitleg = [f"Jeugdregio: {v.regio}" if v.regio else ""]
    if v.groep_oms:
        uitleg.append(f"{teksten.groep_label(ctx)}: {v.groep_oms}")
    cap = figures.caption(
        f"Figuur: jongeren per 1\u202f000 jongeren van 0 tot 18 jaar in {p}, {ctx.naam} "
        f"vergeleken met {'; '.join(u for u in uitleg if u)} en Nederland. 'ca.': schatting "
        "(niet alle gemeenten van de groep hebben een cijfer).",
        d.bronnen(KERN, [d.jaar]),
        synthetic=ctx.synthetic,
        eigen=teksten.EIGEN,
    )
    toon_html(figures.staven_html(panels, titel=f"{ctx.naam} vergeleken, {p}", caption=cap))
