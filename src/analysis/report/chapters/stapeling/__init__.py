"""Chapter "Stapeling van voorzieningen": households with provisions from more than one law
(Jeugdwet, Wmo 2015, Participatiewet), combinations, concentration, wijken, trend, the overlap
within youth care (85101NED) and Wmo use.

``nederland(ctx)``, ``jeugdregio(ctx)`` and ``gemeente(ctx)`` display the chapter for one
report; each reads as the chapter's outline. Inside the package: :mod:`.gegevens` (data access,
numbers only), :mod:`.teksten` (Dutch text), :mod:`.tabellen` and :mod:`.figuren`. Numbers come
from :mod:`analysis.indicators.stapeling_data`; definitions in ``docs/stapeling.md``. Without
stapeling data in the dataset the chapter says so instead of failing.
"""

from __future__ import annotations

from analysis.indicators import stapeling_data as sd
from analysis.report import output
from analysis.report.chapters._basis import geen_gegevens, md
from analysis.report.chapters.stapeling import figuren, tabellen, teksten
from analysis.report.chapters.stapeling.gegevens import Gegevens

__all__ = ["gemeente", "jeugdregio", "nederland"]


def _begin(ctx) -> Gegevens | None:
    """The introduction; the chapter's data, or None (after saying so) without any."""
    teksten.intro(ctx)
    d = Gegevens(ctx)
    if d.jaar is None:
        geen_gegevens()
        return None
    teksten.jaar_melding(ctx, d.jaar)
    return d


def _zinnen(zinnen: list[str]) -> None:
    md(" ".join(z for z in zinnen if z))


def _combinaties(ctx, d: Gegevens, kolommen: list[tuple[str, dict]]) -> None:
    md("### Combinaties van wetten")
    if not d.heeft_combinaties():
        md("*De combinaties van wetten zijn voor dit jaar niet gepubliceerd of niet geladen.*")
        return
    figuren.combinaties(ctx, d, kolommen)
    tabellen.combinaties(ctx, d, kolommen)


def _concentratie(
    ctx, d: Gegevens, eenheden: list[tuple[str, list[str]]], *, figuur: bool = True
) -> None:
    md("### Concentratie")
    curves = {n: c for n, codes in eenheden if (c := sd.concentratie(d.rijen(codes))) is not None}
    if not curves:
        md("*De verdeling over het aantal voorzieningen is niet beschikbaar.*")
        return
    naam = next(iter(curves))
    md(teksten.concentratie_zin(curves[naam], naam))
    if figuur:
        figuren.concentratie(ctx, d, curves)
    elif len(curves) > 1:
        md(" ".join(teksten.concentratie_kort(c, n) for n, c in list(curves.items())[1:]))


def _trend(ctx, d: Gegevens, eenheden: list[tuple[str, list[str]]], *, figuren_tonen: bool) -> None:
    md(f"### Ontwikkeling sinds {sd.EERSTE_JAAR}")
    naam = eenheden[0][0]
    per = {n: d.trend(c, sd.TOTAAL, sd.HUISHOUDENS) for n, c in eenheden}
    aandeel = {n: d.aandeel_trend(c) for n, c in eenheden}
    wmo = {n: d.trend(c, sd.WMO, sd.INWONERS) for n, c in eenheden}
    md(teksten.trend_zin(naam, per[naam], teksten.PER_1000_HH, teksten.per_1000))
    md(teksten.trend_zin(naam, wmo[naam], "Wmo-cliënten per 1\u202f000 inwoners", teksten.per_1000))
    if not figuren_tonen:  # gemeente reports: a table (text), cheap for hundreds of reports
        tabellen.trend(ctx, d, per, aandeel)
        return
    panelen = [
        (f"Huishoudens met een voorziening {teksten.PER_1000_HH}", teksten.PER_1000_HH, per, False),
        ("Aandeel met voorzieningen uit meer dan één wet", "%", aandeel, True),
    ]
    figuren.trend(
        ctx,
        d,
        panelen,
        inds=[sd.TOTAAL, sd.HUISHOUDENS, *sd.COMBI.values()],
        noot="Links: huishoudens met minstens één voorziening per 1\u202f000 particuliere "
        "huishoudens. Rechts: aandeel van die huishoudens met voorzieningen uit twee of drie "
        "wetten (de tabel van 2015 heeft geen combinaties).",
    )
    if figuren_tonen:
        figuren.trend(
            ctx,
            d,
            [("Wmo-cliënten per 1\u202f000 inwoners", "per 1\u202f000 inwoners", wmo, False)],
            inds=[sd.WMO, sd.INWONERS],
            noot="Personen met een Wmo-maatwerkvoorziening per 1\u202f000 inwoners; bij "
            "overlappende tabellen gaat de nieuwste voor.",
        )


def _samenloop(ctx, d: Gegevens, naam: str, codes: list[str]) -> None:
    md("### Samenloop binnen de jeugdzorg")
    groepen = sd.samenloop(d.rijen(codes))
    if groepen is None:
        md("*Cijfers over de combinaties van jeugdhulp, jeugdbescherming en jeugdreclassering "
           "(CBS 85101NED) zijn niet beschikbaar.*")  # fmt: skip
        return
    tabellen.samenloop(ctx, d, groepen, naam)


@output.chapter
def nederland(ctx) -> None:
    """The chapter for the national report."""
    d = _begin(ctx)
    if d is None:
        return
    alle = d.gemeenten
    k = d.nl()
    md("### Kerncijfers")
    _zinnen(teksten.kernzinnen("Nederland", k, d.jaar))
    tabellen.kerntabel(ctx, d, [("Nederland", k)])
    _combinaties(ctx, d, [("Nederland", k)])
    teksten.context_referenties()
    md("### Kaart")
    figuren.kaart_meer_wetten(ctx, d)
    _concentratie(ctx, d, [("Nederland", alle)])
    _trend(ctx, d, [("Nederland", alle)], figuren_tonen=True)
    _samenloop(ctx, d, "Nederland", alle)


@output.chapter
def jeugdregio(ctx) -> None:
    """The chapter for the report of one jeugdregio."""
    d = _begin(ctx)
    if d is None:
        return
    leden = ctx.leden[ctx.leden["regio_code"] == ctx.code]
    codes = list(leden["gemeente_code"])
    regio, nl = f"jeugdregio {ctx.naam}", d.nl()
    k = d.kengetallen(codes)
    md("### Kerncijfers")
    _zinnen(teksten.kernzinnen(f"de {regio}", k, d.jaar))
    tabellen.kerntabel(ctx, d, [(regio, k), ("Nederland", nl)])
    md("### Gemeenten in de jeugdregio")
    per = tabellen.leden(
        ctx, d, codes, dict(zip(leden["gemeente_code"], leden["gemeente_naam"], strict=True))
    )
    md(teksten.spreiding_zin(per))
    _combinaties(ctx, d, [(regio, k), ("Nederland", nl)])
    teksten.context_referenties()
    _concentratie(ctx, d, [(regio, codes), ("Nederland", d.gemeenten)])
    _trend(ctx, d, [(regio, codes), ("Nederland", d.gemeenten)], figuren_tonen=True)
    _samenloop(ctx, d, regio, codes)


@output.chapter
def gemeente(ctx) -> None:
    """The chapter for the report of one gemeente."""
    d = _begin(ctx)
    if d is None:
        return
    code, naam = ctx.code, ctx.naam
    regio = list(ctx.leden.loc[ctx.leden["regio_code"] == ctx.regio_code, "gemeente_code"])
    groep = list(d.groep()["gemeente_code"])
    eenheden = [(naam, [code])]
    eenheden += [(f"jeugdregio {ctx.regio_naam}", regio)] if regio else []
    eenheden += [("vergelijkbare gemeenten", groep)] if len(groep) > 1 else []
    eenheden += [("Nederland", d.gemeenten)]
    kol = [(n, d.kengetallen(c)) for n, c in eenheden]
    md("### Kerncijfers")
    _zinnen(teksten.kernzinnen(naam, kol[0][1], d.jaar))
    md(teksten.vergelijk_zin(naam, kol[0][1].get("aandeel_meer_wetten"),
                             [(n, k.get("aandeel_meer_wetten")) for n, k in kol[1:]]))  # fmt: skip
    tabellen.kerntabel(ctx, d, kol)
    _combinaties(ctx, d, [kol[0], *([kol[1]] if regio else []), kol[-1]])
    md("### Wijken")
    tabellen.wijken(ctx, d, code)
    _concentratie(ctx, d, [(naam, [code]), ("Nederland", d.gemeenten)], figuur=False)
    _trend(
        ctx, d, [eenheden[0], *([eenheden[1]] if regio else []), eenheden[-1]], figuren_tonen=False
    )
    _samenloop(ctx, d, naam, [code])
