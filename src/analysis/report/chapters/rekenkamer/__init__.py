"""The rekenkamer edition of the gemeente report: the w-vragen of an audit study (NVRR 2017,
policy-questions §6.2), one entry function per section, declared in
:data:`analysis.report.chapters.catalogus.REKENKAMER` (notebook ``gemeente_rekenkamer.ipynb``).

Sections 3–7 reuse the theme chapters' gemeente content (their ``gemeente`` entry, or for the
regional cooperation section the parts of :mod:`..samenhang`) under an auditor's frame: what
the figures show, what they cannot show, which question they answer. Inside: :mod:`.gegevens`
(data, numbers only), :mod:`.teksten` (Dutch text) and :mod:`.tabellen`. Local goals and
findings come from the ``doelen`` kind of :mod:`analysis.localdata`; a rejected file is named
with its lines instead of failing the report.
"""

from __future__ import annotations

import html

from analysis import registry
from analysis.report import output
from analysis.report.chapters import budget as _budget
from analysis.report.chapters import gebruik as _gebruik
from analysis.report.chapters import samenhang as _samenhang
from analysis.report.chapters import stapeling as _stapeling
from analysis.report.chapters import toegang as _toegang
from analysis.report.chapters._basis import md, toon_html
from analysis.report.chapters.rekenkamer import gegevens, tabellen, teksten
from analysis.report.chapters.rekenkamer.auditvragen import checklist_rijen, datanotities_zinnen
from analysis.report.chapters.samenhang import secties as _secties

__all__ = [
    "auditvragen",
    "datanotities",
    "doelen",
    "financien",
    "gebruik",
    "inleiding",
    "profiel",
    "samenwerking",
    "stapeling",
    "toegang",
]


def _kader(sleutel: str) -> None:
    md(teksten.kader_html(teksten.KADERS[sleutel]))


@output.chapter
def inleiding(ctx) -> None:
    """Title, subject line and how the edition reads; marks the page for the print layout."""
    titel = f"Jeugdzorg in {ctx.naam}: rekenkamereditie"
    regio = f", jeugdregio {ctx.regio_naam}" if ctx.regio_naam else ""
    toon_html(f'<h1 class="rekenkamer-editie">{html.escape(titel)}</h1>')
    md(
        f"**Gemeente {ctx.naam} ({ctx.code}){regio}** · verslagjaar {ctx.jaar} · gemeentelijke "
        f"indeling {ctx.indeling_jaar}\n\n{teksten.INLEIDING}"
    )


@output.chapter
def profiel(ctx) -> None:
    """1. Who is affected: population and youth, memberships, congruence, merger history."""
    md("*Beantwoordt «wie worden er door geraakt?» (F1, A2, A3).*")
    cijfers = [gegevens.cijfer(ctx, i) for i in ("bevolking_totaal", "bevolking_0_17")]
    if all(c.waarde is None for c in cijfers):
        md(f"Voor {ctx.naam} zijn geen bevolkingscijfers beschikbaar in deze gegevensset.")
    else:
        tabellen.profiel(ctx, cijfers)
    md("### Lidmaatschappen en congruentie")
    leden = gegevens.lidmaatschappen(ctx)
    if leden.empty:
        md(f"Voor {ctx.naam} is geen regio-indeling beschikbaar in {ctx.indeling_jaar}.")
    else:
        tabellen.lidmaatschappen(ctx, leden, gegevens.congruentie(ctx))
    md("### Herindelingen en regiowisselingen")
    res = _samenhang.resultaat(ctx)
    own = None
    if res.geo_jaar is not None:
        members = res.geodata.lidmaatschap["jeugdregio"].get(res.geo_jaar)
        own = members[members["gemeente_code"] == ctx.code] if members is not None else None
    if own is None or own.empty:
        md(f"Voor {ctx.naam} is geen indelingsgeschiedenis beschikbaar.")
    else:
        regio, regio_naam = own["regio_code"].iloc[0], own["regio_naam"].iloc[0]
        _secties.wijzigingen_gemeente(ctx, res, ctx.code, ctx.naam, regio, regio_naam)


@output.chapter
def doelen(ctx) -> None:
    """2. Goals and steering: the goal -> question -> indicator matrix and the GRN checklist."""
    md("*Beantwoordt «welke doelen streven we na?» en hoe de gemeente meet of zij die haalt "
       "(F4, F5, F8).*")  # fmt: skip
    afgewezen = gegevens.problemen(ctx, "doelen")
    if afgewezen:
        md(
            "**Het lokale doelenbestand is afgewezen** en daarom niet (of in een eerdere versie) "
            "gebruikt. Herstel deze regels en laad het opnieuw (`python -m analysis registry "
            "load`):\n\n" + "\n".join(f"- `{p}`" for p in afgewezen)
        )
    df = gegevens.doelen(ctx)
    if len(df):
        tabellen.doelenmatrix(ctx, df)
    else:
        md(
            f"Voor {ctx.naam} is geen lokaal doelenbestand vastgelegd; hieronder staat een leeg "
            "sjabloon dat de rekenkamer kan invullen."
        )
        tabellen.sjabloon(ctx)
        md(
            f"Invullen: een bestand `data/registry/doelen/{ctx.code.lower()}.csv` (`;` als "
            "scheidingsteken, UTF-8) met deze kopregel, één regel per beleidsvraag, met bron:"
            f"\n\n```\n{teksten.sjabloon_kop()}\n```\n\nDaarna `python -m analysis registry "
            f"load` en opnieuw `make report GEMEENTE={ctx.code} JAAR={ctx.jaar} "
            "EDITIE=rekenkamer`."
        )
    md("### Informatiepositie van de raad")
    tabellen.grn_checklist(ctx, df)


@output.chapter
def gebruik(ctx) -> None:
    """3. Use of youth care: the theme chapter under the auditor's frame."""
    _kader("gebruik")
    _gebruik.gemeente(ctx)


@output.chapter
def toegang(ctx) -> None:
    """4. Access and referral: the theme chapter under the auditor's frame."""
    _kader("toegang")
    _toegang.gemeente(ctx)


@output.chapter
def financien(ctx) -> None:
    """5. Finances: the theme chapter under the auditor's frame."""
    _kader("financien")
    _budget.gemeente(ctx)


@output.chapter
def samenwerking(ctx) -> None:
    """6. Regional cooperation: the region (samenhang parts), building blocks, legal form."""
    _kader("samenwerking")
    if not ctx.regio_code:
        md(f"{ctx.naam} hoort in {ctx.indeling_jaar} niet bij een jeugdregio in deze gegevens.")
        return
    res = _samenhang.resultaat(ctx)
    members = res.geodata.lidmaatschap["jeugdregio"].get(res.geo_jaar) if res.geo_jaar else None
    own = members[members["gemeente_code"] == ctx.code] if members is not None else None
    if own is not None and not own.empty:
        md("### De jeugdregio")
        _secties.inleiding_gemeente(ctx, res, ctx.code, ctx.naam, own)
        _secties.kaart_gemeente(ctx, res, ctx.code, ctx.naam, ctx.regio_code, ctx.regio_naam)
        _secties.gebruik_gemeente(ctx, res, ctx.code, ctx.naam)
    md("### Rechtsvorm, verevening en inkoopschaal")
    md(
        f"Rechtsvorm: **onbekend** · verevening: **onbekend** · inkoopschaal: **onbekend** "
        f"(geen lokale bron vastgelegd voor de jeugdregio {ctx.regio_naam})."
    )
    saldo = gegevens.cijfer(ctx, "verevening_saldo_jongeren")
    if saldo.waarde is not None:
        label = registry.indicator(saldo.indicator).label
        md(f"{label}: {tabellen.cijfer_tekst(saldo)} (simulatie van dit project, geen afspraak).")
    md("### Regionale bouwstenen")
    tabellen.bouwstenen(ctx, gegevens.bouwstenen(ctx))


@output.chapter
def stapeling(ctx) -> None:
    """7. Stapeling and the integrated approach: the theme chapter under the auditor's frame."""
    _kader("stapeling")
    _stapeling.gemeente(ctx)


@output.chapter
def auditvragen(ctx) -> None:
    """8. The w-vragen with the evidence this report holds and the office's own findings."""
    md(
        "Per w-vraag: waar dit rapport bewijs levert (met cijfer en bron), of de vraag met "
        f"landelijke gegevens te beantwoorden is, en de eigen bevindingen uit het lokale "
        f"doelenbestand. «{teksten.NIET_MEETBAAR.capitalize()}»: de rekenkamer heeft eigen "
        "onderzoek nodig."
    )
    tabellen.auditvragen(ctx, checklist_rijen(ctx))


@output.chapter
def datanotities(ctx) -> None:
    """9. Data notes: suppressed cells, boundary changes, trend breaks, registry coverage."""
    md("\n".join(f"- {zin}" for zin in datanotities_zinnen(ctx)))
