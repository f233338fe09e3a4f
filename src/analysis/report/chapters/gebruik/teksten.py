"""Dutch text of the chapter "Gebruik van jeugdzorg": introduction, definitions, sentences,
the notes "Over deze cijfers", and the wording of codes (size classes, comparison groups).

The indicator code (:mod:`analysis.indicators.use`) returns codes and numbers; every phrase a
reader sees is made here or in :mod:`analysis.report.text`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis import registry
from analysis.indicators import use
from analysis.report import text
from analysis.report.chapters._basis import md
from analysis.report.chapters.gebruik.gegevens import (
    INDICATORS,
    JEUGDHULP,
    KERN,
    MET_VERBLIJF,
    Gegevens,
    halfjaar,
    vergelijkingsgroep,
)
from analysis.report.chapters.gebruik.gegevens import vergelijking as gegevens_vergelijking

__all__ = [
    "EIGEN",
    "PER_1000_KORT",
    "Vergelijking",
    "cijfer",
    "geen_kaart",
    "grenzen_noot",
    "groep_kort",
    "groep_label",
    "groep_omschrijving",
    "groep_uitleg",
    "grootteklasse_label",
    "intro",
    "jaar_melding",
    "kernzinnen_gemeente",
    "kernzinnen_jeugdregio",
    "kernzinnen_nederland",
    "klasse_label",
    "kort",
    "over",
    "vergelijking",
    "zinnen",
]

PER_1000_KORT = "per 1\u202f000 jongeren (0–17 jaar)"
EIGEN = "per 1\u202f000 jongeren: eigen berekening"


def _duizendtal(n: float) -> str:
    return f"{int(n):,}".replace(",", "\u202f")


def grootteklasse_label(klasse: int) -> str:
    """Dutch label of size class ``klasse`` (index into :data:`use.GROOTTEKLASSEN`)."""
    lo, hi = use.GROOTTEKLASSEN[klasse]
    if lo == 0:
        return f"minder dan {_duizendtal(hi)} inwoners"
    if math.isinf(hi):
        return f"{_duizendtal(lo)} inwoners of meer"
    return f"{_duizendtal(lo)} tot {_duizendtal(hi)} inwoners"


def klasse_label(code: str) -> str:
    """Dutch label of size-class code ``GK1`` … ``GK7``."""
    return grootteklasse_label(int(str(code).removeprefix("GK")) - 1)


def groep_omschrijving(vergelijkingsgroep: str, regio_code: str, regio_naam: str) -> str:
    """A comparison group as a phrase usable after "in": ``'gemeenten met 50 000 tot 100 000
    inwoners'``, ``'de provincie Utrecht'``."""
    if vergelijkingsgroep == "grootteklasse":
        return f"gemeenten met {klasse_label(regio_code)}"
    return f"de {vergelijkingsgroep} {regio_naam}"


def kort(indicator_id: str) -> str:
    """``'Jeugdhulp met verblijf'`` from the registry label."""
    o = text.onderwerp(indicator_id)
    return o[0].upper() + o[1:]


def cijfer(rij: dict, omschrijving: str, kolom: str = "per_1000") -> text.Cijfer:
    if not rij:
        return text.Cijfer(omschrijving, None, None, status=None, n_met_waarde=0)
    return text.Cijfer.uit_rij(rij, omschrijving, kolom=kolom)


def zinnen(d: Gegevens, zinnen: list[str]) -> None:
    """Sentences as a bullet list, with the provisional status of the period stated once."""
    slot = text.zin_status(d.periode, d.statussen(d.periode))
    md("\n".join(f"- {z}" for z in zinnen) + (f"\n\n{slot}" if slot else ""))


def intro(ctx) -> None:
    wie = {
        "nederland": "in Nederland, in de jeugdregio's en in de gemeenten",
        "jeugdregio": f"in de jeugdregio {ctx.naam} en haar gemeenten",
        "gemeente": f"in {ctx.naam}",
    }[ctx.kind]
    md(
        f"Dit hoofdstuk laat zien hoeveel jongeren {wie} jeugdzorg krijgen: jeugdhulp (met of "
        "zonder verblijf), jeugdbescherming en jeugdreclassering. Om gebieden van verschillende "
        "grootte te kunnen vergelijken staan de aantallen ook per 1\u202f000 jongeren van 0 tot "
        "18 jaar. Zo helpt het hoofdstuk na te gaan of de vraag naar (zware) jeugdzorg "
        "afneemt en of de zorg verschuift van hulp met verblijf naar hulp zonder verblijf."
    )
    regels = []
    for ind in (*INDICATORS, use.NOEMER):
        i = registry.indicator(ind)
        definitie = i.definitie.replace(registry.WOONPLAATSBEGINSEL, "").strip()
        regels.append(f"- **{i.label}**: {definitie}")
    md(
        "**Definities** (CBS)\n\n"
        + "\n".join(regels)
        + f"\n\n**Woonplaatsbeginsel.** {registry.WOONPLAATSBEGINSEL}"
        + f"\n\n**Trendbreuk.** {registry.JEUGDZORG_TRENDBREUK}"
    )


def _wie(ctx) -> str:
    """The report's subject as a phrase usable after "in"."""
    if ctx.kind == "gemeente":
        return ctx.naam
    if ctx.kind == "jeugdregio":
        return f"de jeugdregio {ctx.naam}"
    return "Nederland"


def jaar_melding(ctx, d: Gegevens) -> None:
    """Say so when the report year has no yearly figures; give its half-years if any."""
    if d.jaar is None or d.jaar == ctx.jaar:
        return
    md(
        f"*Voor {ctx.jaar} zijn in deze gegevensset nog geen jaarcijfers over jeugdzorg. "
        f"Dit hoofdstuk toont de meest recente jaarcijfers: {d.jaar}.*"
    )
    if JEUGDHULP not in d.beschikbaar:
        return
    half, wie = halfjaar(ctx, d), _wie(ctx)
    sel = half[half["jaar"] > d.jaar].sort_values("periode")
    if len(sel):
        zinnen = [
            text.zin_gebruik(JEUGDHULP, rij["periode"], cijfer(rij.to_dict(), wie))
            for _, rij in sel.iterrows()
        ]
        md(
            "Over kortere perioden na " + str(d.jaar) + " zijn er al halfjaarcijfers. Die tellen "
            "de jongeren met jeugdhulp in dat halfjaar en zijn daarom niet te vergelijken met "
            "jaarcijfers.\n\n" + "\n".join(f"- {z}" for z in zinnen)
        )


def over(ctx, d: Gegevens, codes: list[str], omschrijving: str, series: pd.DataFrame) -> None:
    """The "Over deze cijfers" note."""
    alinea = []
    rows = d.memo(
        ("over", d.periode),
        lambda: d.df[
            (d.df["indeling_jaar"] == d.ij)
            & d.df["indicator"].isin(INDICATORS)
            & (d.df["periode"] == d.periode)
        ],
    )
    rows = rows[rows["regio_code"].isin(codes)]
    n_sup = int(rows["onderdrukt"].sum())
    if n_sup:
        welke = sorted(set(rows.loc[rows["onderdrukt"], "indicator"]), key=INDICATORS.index)
        alinea.append(
            f"**Onderdrukte cijfers.** In de gegevens over {d.periode} voor {omschrijving} "
            f"{'is' if n_sup == 1 else 'zijn'} {n_sup} "
            f"{'cijfer' if n_sup == 1 else 'cijfers'} onderdrukt (over "
            f"{text.lijst([text.onderwerp(w) for w in welke])}). "
        )
    else:
        alinea.append("**Onderdrukte cijfers.** ")
    alinea[-1] += (
        "Het CBS publiceert een cijfer niet als het geheim of onvoldoende betrouwbaar is, "
        "bijvoorbeeld bij zeer kleine aantallen. Zo'n cijfer staat in dit rapport als "
        "'onderdrukt', nooit als 0, en wordt niet uit andere cijfers teruggerekend. Aantallen "
        "onder 10 zijn gemarkeerd als 'klein aantal': dan kan één jongere meer of minder het "
        "cijfer per 1\u202f000 jongeren flink veranderen."
    )
    voorlopig = series.loc[series["voorlopig"], ["periode", "status"]].drop_duplicates()
    if len(voorlopig):
        delen = [
            f"{p} ({s})" for p, s in zip(voorlopig["periode"], voorlopig["status"], strict=True)
        ]
        alinea.append(
            f"**Voorlopige cijfers.** De cijfers over {text.lijst(delen)} zijn nog niet "
            "definitief; het CBS kan ze bijstellen. In grafieken staan ze met open symbolen en "
            "een stippellijn."
        )
    alinea.append(
        "**Trendbreuk.** "
        + registry.JEUGDZORG_TRENDBREUK
        + " De grafieken verbinden de jaren voor en na een trendbreuk daarom niet."
    )
    alinea.append(
        "**Per 1\u202f000 jongeren.** Dit cijfer is in dit rapport berekend: het aantal jongeren "
        "met een vorm van jeugdzorg gedeeld door het aantal inwoners van 0 tot en met 17 jaar op "
        "1 januari van hetzelfde jaar, maal 1\u202f000. De tellingen kunnen ook jongeren van 18 "
        "jaar en ouder bevatten (zie de definities); het is dus een verhoudingsgetal en geen "
        "percentage van een leeftijdsgroep. Het CBS publiceert zelf percentages met een eigen "
        "noemer; die kunnen iets afwijken."
    )
    alinea.append(
        "**Regio's en groepen.** Cijfers voor een jeugdregio, een grootteklasse of een provincie "
        "zijn opgeteld uit de gemeenten: het totaal aantal jongeren met jeugdzorg gedeeld door het "
        "totaal aantal jongeren van 0 tot 18 jaar, geen gemiddelde van gemeentecijfers. Een "
        "gemeente zonder cijfer telt in beide niet mee; het groepscijfer is dan een schatting "
        "(aangeduid met 'ca.' of 'naar schatting')."
    )
    alinea.append(
        f"**Indeling.** Alle cijfers staan op de gemeentelijke indeling van {d.ij}; cijfers over "
        "eerdere jaren van gemeenten die sindsdien zijn heringedeeld, zijn omgerekend naar die "
        f"indeling. {registry.WOONPLAATSBEGINSEL}"
    )
    if ctx.kind != "nederland":
        alinea.append(
            "**Rangorde.** Een plaats in de rangorde binnen de jeugdregio is een eigen berekening "
            "en geen CBS-publicatie. Een hoge of lage plaats zegt op zichzelf niets over goed of "
            "slecht beleid."
        )
    md("### Over deze cijfers\n\n" + "\n\n".join(alinea))


def groep_label(ctx) -> str:
    return {"grootteklasse": "Grootteklasse", "provincie": "Provincie"}.get(
        ctx.vergelijkingsgroep or "", "Vergelijkingsgroep"
    )


def groep_kort(ctx, omschrijving: str) -> str:
    if ctx.vergelijkingsgroep == "grootteklasse":
        return omschrijving[0].upper() + omschrijving[1:]
    kort = omschrijving.removeprefix("de ")
    return kort[0].upper() + kort[1:]


def groep_uitleg(ctx, d: Gegevens) -> str:
    klassen = "; ".join(grootteklasse_label(i) for i in range(len(use.GROOTTEKLASSEN)))
    if ctx.vergelijkingsgroep == "jeugdregio":
        return (
            "Als vergelijkingsgroep is de jeugdregio gekozen; die staat al naast de gemeente. "
            "Daarnaast staat het cijfer voor Nederland."
        )
    groups = vergelijkingsgroep(ctx, d)
    if groups.empty:
        return (
            f"Een vergelijkingsgroep ({ctx.vergelijkingsgroep}) kon niet worden gevormd, omdat "
            "de benodigde gegevens ontbreken. De vergelijking beperkt zich tot de jeugdregio en "
            "Nederland."
        )
    n = len(groups)
    if ctx.vergelijkingsgroep == "provincie":
        oms = groep_omschrijving(
            "provincie", groups["regio_code"].iat[0], groups["regio_naam"].iat[0]
        )
        return (
            f"De vergelijkingsgroep is {oms}: alle {n} gemeenten van "
            f"die provincie, {ctx.naam} inbegrepen."
        )
    bev = d.grootte(ctx.code)
    inwoners = text.getal(bev["bevolking"].iat[0]) if len(bev) else text.GEEN_GEGEVENS
    klasse = klasse_label(groups["regio_code"].iat[0])
    if n == 1:
        lid = (
            f"{ctx.naam} is in de indeling van {d.ij} de enige gemeente in die klasse, dus de "
            "vergelijkingsgroep voegt niets toe aan het cijfer van de gemeente zelf."
        )
    else:
        lid = f"Die klasse telt {n} gemeenten, {ctx.naam} inbegrepen (indeling {d.ij})."
    return (
        "De vergelijkingsgroep is de CBS-gemeentegrootteklasse: gemeenten met ongeveer evenveel "
        f"inwoners op 1 januari {groups.attrs.get('bevolking_jaar', d.jaar)}. De klassen zijn: "
        f"{klassen}. {ctx.naam} ({inwoners} inwoners) valt in de klasse {klasse}. {lid}"
    )


def kernzinnen_nederland(d: Gegevens) -> list[str]:
    """The key-figure sentences of the national report."""
    p = d.periode
    zinnen = [
        text.zin_gebruik(
            ind, p, cijfer(d.rij(d.nl(ind), use.NEDERLAND, p), "Nederland"), status_noemen=False
        )
        for ind in [i for i in ("jongeren_met_jeugdzorg", *KERN) if i in d.beschikbaar]
    ]
    if JEUGDHULP in d.beschikbaar and MET_VERBLIJF in d.beschikbaar:
        own = d.verblijf()
        zinnen.append(
            text.zin_aandeel_verblijf(
                p,
                cijfer(d.rij(own, use.NEDERLAND, p), "Nederland", "aandeel"),
                status_noemen=False,
            )
        )
    return zinnen


def kernzinnen_jeugdregio(ctx, d: Gegevens) -> list[str]:
    """The key-figure sentences of a jeugdregio report."""
    p, code = d.periode, ctx.code
    oms = f"de jeugdregio {ctx.naam}"
    zinnen = []
    for ind in [i for i in ("jongeren_met_jeugdzorg", *KERN) if i in d.beschikbaar]:
        zinnen.append(
            text.zin_gebruik(
                ind,
                p,
                cijfer(d.rij(d.regio(ind), code, p), oms),
                [cijfer(d.rij(d.nl(ind), use.NEDERLAND, p), "Nederland")],
                status_noemen=False,
            )
        )
    if JEUGDHULP in d.beschikbaar and MET_VERBLIJF in d.beschikbaar:
        reg = d.verblijf(True)
        own = d.verblijf()
        zinnen.append(
            text.zin_aandeel_verblijf(
                p,
                cijfer(d.rij(reg, code, p), oms, "aandeel"),
                [cijfer(d.rij(own, use.NEDERLAND, p), "Nederland", "aandeel")],
                status_noemen=False,
            )
        )
    return zinnen


@dataclass(frozen=True)
class Vergelijking:
    """A gemeente beside its jeugdregio, comparison group and Nederland, with the phrases
    that name them (``regio``: 'de jeugdregio X'; ``groep_oms``: 'gemeenten met …')."""

    cmp: dict[str, pd.DataFrame]
    rollen: dict[tuple[str, str], dict]
    regio: str | None
    groep_oms: str | None

    def rol(self, ind: str, r: str) -> dict:
        """The row of role ``r`` for indicator ``ind`` ({} when absent)."""
        return dict(self.rollen.get((ind, r), {}))


def vergelijking(ctx, d: Gegevens) -> Vergelijking:
    """The comparison of a gemeente report (:func:`gegevens.vergelijking`), worded."""
    cmp, rollen = gegevens_vergelijking(d)
    regio = f"de jeugdregio {ctx.regio_naam}" if ctx.regio_naam else None
    groep_oms = None
    for ind in d.beschikbaar:
        g = cmp[ind][cmp[ind]["rol"] == "vergelijkingsgroep"]
        if len(g):
            soort = ctx.vergelijkingsgroep or "grootteklasse"
            groep_oms = groep_omschrijving(soort, g["regio_code"].iat[0], g["regio_naam"].iat[0])
            break
    return Vergelijking(cmp, rollen, regio, groep_oms)


def kernzinnen_gemeente(ctx, d: Gegevens, v: Vergelijking) -> list[str]:
    """The key-figure sentences of a gemeente report (``v``: its :class:`Vergelijking`)."""
    p, code = d.periode, ctx.code
    zinnen = []
    for ind in [i for i in ("jongeren_met_jeugdzorg", *KERN) if i in d.beschikbaar]:
        refs = [
            cijfer(v.rol(ind, r), oms)
            for r, oms in (
                ("jeugdregio", v.regio),
                ("vergelijkingsgroep", v.groep_oms),
                ("nederland", "Nederland"),
            )
            if oms and r in set(v.cmp[ind]["rol"])
        ]
        zinnen.append(
            text.zin_gebruik(
                ind, p, cijfer(v.rol(ind, "gemeente"), ctx.naam), refs, status_noemen=False
            )
        )
    if JEUGDHULP in d.beschikbaar and MET_VERBLIJF in d.beschikbaar:
        own = d.verblijf()
        reg = d.verblijf(True)
        nl = d.rij(own, use.NEDERLAND, p)
        refs = [cijfer(d.rij(reg, ctx.regio_code, p), v.regio, "aandeel")] if v.regio else []
        refs.append(cijfer(nl, "Nederland", "aandeel"))
        zinnen.append(
            text.zin_aandeel_verblijf(
                p, cijfer(d.rij(own, code, p), ctx.naam, "aandeel"), refs, status_noemen=False
            )
        )
    if JEUGDHULP in d.beschikbaar and ctx.regio_code:
        members = ctx.leden[ctx.leden["regio_code"] == ctx.regio_code]
        rank = use.rank_in_region(d.in_periode(d.gem(JEUGDHULP), p), members, p)
        own_rank = rank[rank["gemeente_code"] == code]
        rang = own_rank["rang"].iat[0] if len(own_rank) else None
        zinnen.append(
            text.zin_rang(
                ctx.naam,
                v.regio,
                JEUGDHULP,
                None if rang is None or pd.isna(rang) else int(rang),
                int(rank["n_gerangschikt"].iat[0]) if len(rank) else 0,
                len(members),
            )
        )
    return zinnen


def geen_kaart(ctx) -> None:
    """The message for a data set without any gemeente boundaries."""
    md(
        "*Kaart niet beschikbaar: deze gegevensset bevat geen gemeentegrenzen voor "
        f"{ctx.indeling_jaar} of een ander jaar.*"
    )


def grenzen_noot(ctx, used: int) -> str:
    """The caption note on the boundaries year of a map."""
    if used == ctx.indeling_jaar:
        return f"Gemeentegrenzen {used}."
    return (
        f"Gemeentegrenzen {used}: grenzen van {ctx.indeling_jaar} zijn niet beschikbaar. "
        "Gemeenten die tussen die jaren zijn heringedeeld, kunnen ontbreken of zonder cijfer "
        "op de kaart staan."
    )
