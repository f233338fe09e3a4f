"""Chapter "Gebruik van jeugdzorg": counts and rates per 1 000 youth, comparisons, trends, maps.

``nederland(ctx)``, ``jeugdregio(ctx)`` and ``gemeente(ctx)`` display the chapter for one
report; each reads as the chapter's outline. Inside the package: :mod:`.gegevens` (data
access, numbers only), :mod:`.teksten` (Dutch text), :mod:`.tabellen`, :mod:`.figuren` and
:mod:`.cbs` (CBS's own figures beside the project's; skipped indicators with their reason).
Definitions and the trend-break and woonplaatsbeginsel notes are cited from
:mod:`analysis.registry`; numbers come from :mod:`analysis.indicators.use`. Without
youth-care data in the dataset the chapter says so instead of failing.
"""

from __future__ import annotations

from analysis.indicators import use
from analysis.report import output, text
from analysis.report.chapters._basis import geen_gegevens, md, toon_html
from analysis.report.chapters.gebruik import cbs, figuren, tabellen, teksten
from analysis.report.chapters.gebruik.gegevens import JEUGDHULP, SINDS, Gegevens

__all__ = ["gemeente", "jeugdregio", "nederland"]


def _begin(ctx) -> Gegevens | None:
    """The introduction; the chapter's data, or None (after saying so) without any."""
    d = Gegevens(ctx)
    teksten.intro(ctx)
    if d.jaar is None:
        geen_gegevens()
        cbs.niet_gebouwd(ctx, d)
        return None
    teksten.jaar_melding(ctx, d)
    return d


@output.chapter
def nederland(ctx) -> None:
    """The chapter for the national report."""
    d = _begin(ctx)
    if d is None:
        return
    p = d.periode

    md("### Kerncijfers")
    teksten.zinnen(d, teksten.kernzinnen_nederland(d))
    rij = lambda i: d.rij(d.nl(i), use.NEDERLAND, p)  # noqa: E731
    toon_html(tabellen.kerntabel(d, [("Nederland", rij)], text.getal(d.jongeren(None, p))))
    cbs.niet_gebouwd(ctx, d)
    cbs.relatief_tabel(ctx, d, d.nl(cbs.JEUGDZORG), use.NEDERLAND, "Nederland")
    cbs.natura_tabel(ctx, d, d.nl, use.NEDERLAND, "Nederland")

    md("### Jeugdregio's")
    if JEUGDHULP in d.beschikbaar and len(ctx.leden):
        tabellen.jeugdregios_tabel(ctx, d)
        tabellen.grootteklassen_tabel(ctx, d)
    elif JEUGDHULP in d.beschikbaar:
        md("*De gegevensset bevat geen indeling in jeugdregio's.*")
    else:
        cbs.ontbreekt(ctx, JEUGDHULP)

    md(f"### Ontwikkeling sinds {SINDS}")
    hoofd_series = figuren.ontwikkeling_nederland(ctx, d)

    md("### Kaarten")
    figuren.kaarten_nederland(ctx, d)
    teksten.over(ctx, d, ctx.gemeenten, "de gemeenten", hoofd_series)


@output.chapter
def jeugdregio(ctx) -> None:
    """The chapter for the report of one jeugdregio."""
    d = _begin(ctx)
    if d is None:
        return
    p, code = d.periode, ctx.code
    members = ctx.leden[ctx.leden["regio_code"] == code]

    md("### Kerncijfers")
    teksten.zinnen(d, teksten.kernzinnen_jeugdregio(ctx, d))
    kolommen = [
        (f"jeugdregio {ctx.naam}", lambda i: d.rij(d.regio(i), code, p)),
        ("Nederland", lambda i: d.rij(d.nl(i), use.NEDERLAND, p)),
    ]
    jongeren = text.getal(d.jongeren(list(members["gemeente_code"]), p))
    toon_html(tabellen.kerntabel(d, kolommen, jongeren))
    cbs.niet_gebouwd(ctx, d)
    cbs.relatief_tabel(
        ctx, d, d.regio(cbs.JEUGDZORG), code, f"de jeugdregio {ctx.naam}", opgeteld=True
    )
    cbs.regio_tabel(ctx, d)

    md("### Gemeenten in de jeugdregio")
    if JEUGDHULP in d.beschikbaar:
        rank = use.rank_in_region(d.gem(JEUGDHULP), members, p)
        tabellen.gemeenten_tabel(ctx, d, rank)
        figuren.staven_gemeenten(ctx, d, rank)
    else:
        cbs.ontbreekt(ctx, JEUGDHULP)

    md(f"### Ontwikkeling sinds {SINDS}")
    hoofd_series = figuren.ontwikkeling_jeugdregio(ctx, d)

    md("### Kaarten")
    figuren.kaarten_jeugdregio(ctx, d)
    oms = f"de gemeenten in de jeugdregio {ctx.naam}"
    teksten.over(ctx, d, list(members["gemeente_code"]), oms, hoofd_series)


@output.chapter
def gemeente(ctx) -> None:
    """The chapter for the report of one gemeente."""
    d = _begin(ctx)
    if d is None:
        return
    p, code = d.periode, ctx.code
    v = teksten.vergelijking(ctx, d)

    md("### Kerncijfers")
    teksten.zinnen(d, teksten.kernzinnen_gemeente(ctx, d, v))
    kolommen = [(ctx.naam, lambda i: v.rol(i, "gemeente"))]
    if v.regio:
        kolommen.append((f"Jeugdregio {ctx.regio_naam}", lambda i: v.rol(i, "jeugdregio")))
    if v.groep_oms:
        groep = teksten.groep_kort(ctx, v.groep_oms)
        kolommen.append((groep, lambda i: v.rol(i, "vergelijkingsgroep")))
    kolommen.append(("Nederland", lambda i: v.rol(i, "nederland")))
    toon_html(tabellen.kerntabel(d, kolommen, text.getal(d.jongeren([code], p))))
    cbs.niet_gebouwd(ctx, d)
    cbs.relatief_tabel(ctx, d, d.gem(cbs.JEUGDZORG), code, ctx.naam)
    cbs.natura_tabel(ctx, d, d.gem, code, ctx.naam)

    md("### Vergelijking")
    md(teksten.groep_uitleg(ctx, d))
    figuren.staven_vergelijking(ctx, d, v)

    md(f"### Ontwikkeling sinds {SINDS}")
    hoofd_series = figuren.ontwikkeling_gemeente(ctx, d)

    md("### Kaart")
    figuren.kaarten_gemeente(ctx, d, v.regio)
    teksten.over(ctx, d, [code], ctx.naam, hoofd_series)
