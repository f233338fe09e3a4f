"""Chapter "Validatie": the validation checks of :mod:`analysis.indicators.checks` as an
appendix of the national report (the regional and gemeente reports point to it)."""

from __future__ import annotations

from analysis.indicators import checks
from analysis.report.chapters._basis import html_tabel, md, toon_html

__all__ = ["gemeente", "jeugdregio", "nederland"]

_VERWIJZING = (
    "De controles van de gegevens tegen de referentiewaarden uit de beleidsdocumenten staan in "
    "de bijlage *Validatie* van het rapport voor Nederland."
)


def nederland(ctx) -> None:
    """The checks table and the known inconsistencies of the sources."""
    g = checks.Gegevens(ctx.indicators, ctx.indeling, ctx.synthetic)
    uitkomsten = checks.run_checks(g)
    n = {s: sum(u.status == s for u in uitkomsten) for s in checks.STATUSSEN}
    md(
        "Deze bijlage legt de gegevens naast de referentiewaarden uit de beleidsdocumenten "
        "(BZK 2014, VWS 2015, NVRR 2017, PvdJ 2020) en naast de bouwregels van dit rapport. "
        "*Exact*: de bron geeft een precies getal of de regel geldt per constructie; *marge*: "
        "een getal dat binnen de genoemde marge mag afwijken (bijvoorbeeld voorlopige tegenover "
        "definitieve cijfers); *plausibiliteit*: een orde van grootte. Een controle is *niet "
        "toetsbaar* als het jaar of de tabel niet in de gegevens zit; de reden staat erbij. "
        f"Uitkomst: {n[checks.VOLDOET]} voldoen, {n[checks.VOLDOET_NIET]} voldoen niet, "
        f"{n[checks.NIET_TOETSBAAR]} niet toetsbaar. Dezelfde controles draait "
        "`python -m analysis validate`."
    )
    toon_html(html_tabel(checks.tabel(uitkomsten), bijschrift="Controles van de gegevens"))
    md(
        "### Bekende inconsistenties in de bronnen\n\n"
        "Deze tegenstrijdigheden staan in de bronnen zelf. Ze zijn hier genoemd en niet "
        "gecorrigeerd."
    )
    toon_html(
        html_tabel(
            checks.inconsistenties_tabel(),
            bijschrift="Bekende inconsistenties in de beleidsdocumenten",
        )
    )


def jeugdregio(ctx) -> None:
    """A pointer to the national appendix."""
    md(_VERWIJZING)


def gemeente(ctx) -> None:
    """A pointer to the national appendix."""
    md(_VERWIJZING)
