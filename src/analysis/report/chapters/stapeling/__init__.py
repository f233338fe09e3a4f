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


def _concentratie(ctx, d: Gegevens, eenheden: list[tuple[str, list[str]]]) -> None:
    md("### Concentratie")
    curves = {n: c for n, codes in eenheden if (c := sd.concentratie(d.rijen(codes))) is not None}
    if not curves:
        md("*De verdeling over het aantal voorzieningen is niet beschikbaar.*")
        return
    naam = next(iter(curves))
    md(teksten.concentratie_zin(curves[naam], naam))
    figuren.concentratie(ctx, d, curves)


def _trend(ctx, d: Gegevens, eenheden: list[tuple[str, list[str]]]) -> None:
    md(f"### Ontwikkeling sinds {sd.EERSTE_JAAR}")
    tot = d.jaar
    per = {n: sd.trend(d.wide, c, sd.TOTAAL, tot=tot, noemer=sd.HUISHOUDENS) for n, c in eenheden}
    naam = eenheden[0][0]
    md(teksten.trend_zin(naam, per[naam], teksten.PER_1000_HH, teksten.per_1000))
    figuren.trend(ctx, d, per, titel=f"Huishoudens met een voorziening {teksten.PER_1000_HH}",
                  ylabel=teksten.PER_1000_HH, inds=[sd.TOTAAL, sd.HUISHOUDENS],
                  noot="Huishoudens met minstens één voorziening per 1\u202f000 particuliere "
                  "huishoudens, per jaar.")  # fmt: skip
    aandeel = {n: sd.aandeel_trend(d.wide, c, tot=tot) for n, c in eenheden}
    figuren.trend(ctx, d, aandeel, titel="Aandeel met voorzieningen uit meer dan één wet",
                  ylabel="% van de huishoudens met een voorziening", procent=True,
                  inds=[sd.TOTAAL, *sd.COMBI.values()],
                  noot="Aandeel huishoudens met voorzieningen uit twee of drie wetten. De tabel "
                  "van 2015 heeft geen combinaties.")  # fmt: skip
    wmo = {n: sd.trend(d.wide, c, sd.WMO, tot=tot, noemer=sd.INWONERS) for n, c in eenheden}
    figuren.trend(ctx, d, wmo, titel="Wmo-cliënten per 1\u202f000 inwoners",
                  ylabel="per 1\u202f000 inwoners", inds=[sd.WMO, sd.INWONERS],
                  noot="Personen met een Wmo-maatwerkvoorziening per 1\u202f000 inwoners; bij "
                  "overlappende tabellen gaat de nieuwste voor.")  # fmt: skip


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
    _trend(ctx, d, [("Nederland", alle)])
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
    _trend(ctx, d, [(regio, codes), ("Nederland", d.gemeenten)])
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
    _concentratie(ctx, d, [(naam, [code]), ("Nederland", d.gemeenten)])
    _trend(ctx, d, [eenheden[0], *([eenheden[1]] if regio else []), eenheden[-1]])
    _samenloop(ctx, d, naam, [code])
    md("### Kaart")
    figuren.kaart_meer_wetten(ctx, d, highlight=[code])
