"""Chapter "Wachttijden en toegang": how young people reach youth care and what CBS publishes
in place of waiting times, plus local waiting times where a region supplied them.

``nederland(ctx)``, ``jeugdregio(ctx)`` and ``gemeente(ctx)`` display the chapter; each reads as
its outline. Inside: :mod:`.gegevens` (data access, numbers only), :mod:`.teksten` (Dutch text),
:mod:`.tabellen` and :mod:`.figuren`. Definitions: ``docs/toegang.md``; numbers:
:mod:`analysis.indicators.access` (region and national values from gemeente sums and weights);
local data: :mod:`analysis.localdata` («lokale bron, geen CBS-cijfer»).
"""

from __future__ import annotations

from analysis.report import output
from analysis.report.chapters._basis import geen_gegevens, md
from analysis.report.chapters.toegang import figuren, tabellen, teksten
from analysis.report.chapters.toegang.gegevens import Gegevens, Groep

__all__ = ["gemeente", "jeugdregio", "nederland"]


def _begin(ctx) -> Gegevens | None:
    d = Gegevens(ctx)
    teksten.intro(ctx)
    if d.periode is None:
        md("### Toegang volgens het CBS")
        geen_gegevens()
        return None
    if d.jaar != int(ctx.jaar):
        md(f"*De CBS-cijfers in dit hoofdstuk gaan over {d.periode}: over {ctx.jaar} publiceert "
           "het CBS (nog) geen cijfers over jeugdhulptrajecten naar verwijzer (85097NED, vanaf "
           "2021).*")  # fmt: skip
    return d


def _cbs(d: Gegevens, groepen: list[Groep], *, grafiek: bool = True) -> None:
    """The CBS sections shared by the three reports (``grafiek``: the duration trend as a
    chart, else as a table; a gemeente report uses the table, which is much cheaper)."""
    nl = groepen[-1] if groepen[-1].rol == "nederland" else None
    md("### Instroom, crisis en duur")
    teksten.zinnen(teksten.kernzinnen(d, groepen[0], nl if groepen[0] is not nl else None))
    tabellen.kerntabel(d, groepen)
    md("### Verwijzers")
    tabellen.verwijzers_tabel(d, groepen)
    md("### Duur van beëindigde trajecten")
    md(teksten.DUUR_UITLEG + " " + teksten.REEKS_NOOT)
    if grafiek:
        figuren.duur_trend(d, [groepen[0], nl] if nl and nl is not groepen[0] else groepen[:1])
    else:
        tabellen.duur_tabel(d, groepen)
    md("### Lopende trajecten op peildatum")
    tabellen.bestand_tabel(d, groepen)
    md("### Jeugdbescherming en jeugdreclassering")
    tabellen.jb_jr_tabel(d, groepen)


def _lokaal(d: Gegevens, wie: str) -> None:
    md("### Wachttijden uit lokale bronnen")
    md(teksten.lokaal_intro(wie))
    if not tabellen.lokale_wachttijden(d):
        md(teksten.GEEN_LOKAAL)
    md("### Regionale bouwstenen")
    if not tabellen.bouwstenen_tabel(d):
        md("Voor deze regio zijn geen regionale bouwstenen (wachtlijstafspraken, regionaal "
           "expertteam, sociale kaart) met bron vastgelegd.")  # fmt: skip


@output.chapter
def nederland(ctx) -> None:
    """The chapter for the national report."""
    d = _begin(ctx)
    if d is None:
        return _lokaal(Gegevens(ctx), "de jeugdregio's")
    groepen = d.groepen()
    _cbs(d, groepen)
    md("### Jeugdregio's")
    regios = ctx.leden.drop_duplicates("regio_code").sort_values("regio_naam")
    tabellen.gebieden_tabel(
        d, [Groep(r.regio_naam, f"de jeugdregio {r.regio_naam}", d.leden(r.regio_code),
                  "jeugdregio") for r in regios.itertuples()], "Jeugdregio",
    )  # fmt: skip
    md("### Kaarten")
    figuren.kaarten(d)
    _lokaal(d, "de jeugdregio's")


@output.chapter
def jeugdregio(ctx) -> None:
    """The chapter for the report of one jeugdregio."""
    d = _begin(ctx)
    if d is None:
        return _lokaal(Gegevens(ctx), f"de jeugdregio {ctx.naam}")
    _cbs(d, d.groepen())
    md("### Gemeenten in de jeugdregio")
    leden = ctx.leden[ctx.leden["regio_code"] == ctx.code].sort_values("gemeente_naam")
    tabellen.gebieden_tabel(
        d, [Groep(r.gemeente_naam, r.gemeente_naam, (r.gemeente_code,), "gemeente")
            for r in leden.itertuples()], "Gemeente",
    )  # fmt: skip
    md("### Kaarten")
    figuren.kaarten(d)
    _lokaal(d, f"de jeugdregio {ctx.naam}")


@output.chapter
def gemeente(ctx) -> None:
    """The chapter for the report of one gemeente."""
    d = _begin(ctx)
    wie = f"de jeugdregio {ctx.regio_naam}" if ctx.regio_naam else ctx.naam
    if d is None:
        return _lokaal(Gegevens(ctx), wie)
    _cbs(d, d.groepen(), grafiek=False)
    md("### Kaart")
    figuren.kaarten(d, bestand=False)
    _lokaal(d, wie)
