"""Chapter "Regionale samenhang": composition, stability, congruence, geometry and dispersion of
the jeugdregio's (policy questions A2, A3, A5, A12), from :mod:`analysis.indicators.cohesion`.

Every function displays Markdown, HTML tables and static PNG figures with Dutch captions; the
thresholds are those of :data:`analysis.metadata.cohesion.DREMPELS`, documented in
``docs/samenhang.md``. Missing layers or figures are stated, never fatal.

Inside: :mod:`.gegevens` (data access), :mod:`.teksten` (Dutch text), :mod:`.tabellen`,
:mod:`.figuren` (figures and maps), :mod:`.secties` (the sections); the entry functions
below compose the sections.
"""

from __future__ import annotations

from analysis.report import output
from analysis.report.chapters._basis import md
from analysis.report.chapters.samenhang import secties, teksten
from analysis.report.chapters.samenhang.gegevens import geo_jaar, profiel_rij, resultaat

__all__ = ["KAARTMATEN", "nederland", "jeugdregio", "gemeente", "resultaat"]

#: Measures the national map can be coloured by: profile column -> (title, legend, decimals).
KAARTMATEN: dict[str, tuple[str, str, int]] = {
    "n_signalen": ("Aantal signalen per jeugdregio", "aantal signalen", 0),
    "aandeel_grootste": ("Aandeel van de grootste gemeente in de inwoners", "aandeel (%)", 0),
    "modaal_aandeel_am": (
        "Congruentie met de arbeidsmarktregio's (modaal aandeel inwoners)",
        "aandeel (%)",
        0,
    ),
    "n_gemeenten": ("Aantal gemeenten per jeugdregio", "aantal gemeenten", 0),
    "polsby_popper": ("Compactheid (Polsby–Popper)", "index", 2),
    "cv_gebruik": ("Spreiding in jeugdzorggebruik (variatiecoëfficiënt)", "CV", 2),
}
_PERCENT_MAATEN = {"aandeel_grootste", "modaal_aandeel_am"}


@output.chapter
def nederland(ctx, kaartmaat: str = "n_signalen") -> None:
    """National overview: map, profiles, timeline, congruence matrix and dispersion."""
    if kaartmaat not in KAARTMATEN:
        raise ValueError(f"unknown kaartmaat {kaartmaat!r}; valid: {', '.join(KAARTMATEN)}")
    res = resultaat(ctx)
    if res.profiel.empty:
        md(teksten.GEEN_JEUGDREGIOS)
        secties.notities(res)
        return
    secties.inleiding_nl(ctx, res)
    secties.kaart_nl(ctx, res, kaartmaat, KAARTMATEN[kaartmaat], kaartmaat in _PERCENT_MAATEN)
    secties.profiel_nl(res)
    secties.wijzigingen_nl(ctx, res)
    secties.congruentie_nl(ctx, res)
    secties.ligging_nl(res)
    secties.spreiding_nl(ctx, res)
    secties.drempels_nl()


@output.chapter
def jeugdregio(ctx) -> None:
    """Report of one jeugdregio: members, composition, changes, congruence and dispersion."""
    res = resultaat(ctx)
    code = str(ctx.code)
    row = profiel_rij(res, code)
    naam = getattr(ctx, "naam", None) or (row["regio_naam"] if row is not None else code)
    if row is None:
        md(f"*Voor {naam} ({code}) zijn geen grenzen of indeling beschikbaar in {geo_jaar(ctx)}.*")
        secties.notities(res)
        return
    members = res.geodata.lidmaatschap["jeugdregio"][res.geo_jaar]
    mine = members[members["regio_code"] == code]
    secties.inleiding_regio(ctx, res, row, naam, len(mine))
    secties.kaart_regio(ctx, res, code, naam)
    secties.samenstelling_regio(res, code, naam, mine)
    secties.wijzigingen_regio(ctx, res, code, naam)
    secties.congruentie_regio(ctx, res, code, naam)
    secties.spreiding_regio(ctx, res, code, naam)


@output.chapter
def gemeente(ctx) -> None:
    """Report of one gemeente: its region, its place in the region, changes affecting it."""
    res = resultaat(ctx)
    code = str(ctx.code)
    naam = getattr(ctx, "naam", None) or code
    if res.geo_jaar is None:
        md("*Er zijn geen grenzen of indelingen van de jeugdregio's beschikbaar.*")
        secties.notities(res)
        return
    members = res.geodata.lidmaatschap["jeugdregio"].get(res.geo_jaar)
    own = members[members["gemeente_code"] == code] if members is not None else None
    if own is None or own.empty:
        md(f"*{naam} ({code}) komt niet voor in de indeling van {res.geo_jaar}.*")
        secties.notities(res)
        return
    regio, regio_naam = own["regio_code"].iloc[0], own["regio_naam"].iloc[0]
    secties.inleiding_gemeente(ctx, res, code, naam, own)
    secties.kaart_gemeente(ctx, res, code, naam, regio, regio_naam)
    secties.andere_indelingen(res, code, naam, regio)
    secties.wijzigingen_gemeente(ctx, res, code, naam, regio, regio_naam)
    secties.gebruik_gemeente(ctx, res, code, naam)
