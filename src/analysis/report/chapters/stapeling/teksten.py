"""Dutch text of the chapter "Stapeling van voorzieningen": introduction, definitions,
generated sentences and the context of earlier studies. Definitions: ``docs/stapeling.md``."""

from __future__ import annotations

from analysis.registry import JEUGDZORG_SAMENLOOP, STAPELING_COMBINATIES
from analysis.report import text
from analysis.report.chapters._basis import md

__all__ = [
    "COMBINATIE_LABEL",
    "DOCS",
    "PER_1000_HH",
    "spreiding_zin",
    "trend_zin",
    "SAMENLOOP_LABEL",
    "concentratie_kort",
    "concentratie_zin",
    "context_referenties",
    "intro",
    "jaar_melding",
    "kernzinnen",
    "pct",
    "per_1000",
    "vergelijk_zin",
]

DOCS = "`docs/stapeling.md`"
DOCS_TEKST = "docs/stapeling.md"  # in captions (plain text)
PER_1000_HH = "per 1\u202f000 huishoudens"
COMBINATIE_LABEL = {c: label for c, (label, _) in STAPELING_COMBINATIES.items()}
SAMENLOOP_LABEL = {c: label for c, (label, *_f) in JEUGDZORG_SAMENLOOP.items()}


def pct(x: float | None) -> str:
    """A fraction as a Dutch percentage (``0.137`` -> ``'13,7%'``)."""
    return text.procent(None if x is None else 100 * x)


def per_1000(x: float | None) -> str:
    return text.getal(x, text.decimalen_per_1000(x))


def intro(ctx) -> None:
    md(
        "Dit hoofdstuk gaat over huishoudens die tegelijk voorzieningen gebruiken uit meer dan "
        "één wet: de Jeugdwet, de Wmo 2015 en de Participatiewet. Het CBS publiceert per jaar "
        "hoeveel huishoudens minstens één voorziening hebben, uit welke combinatie van wetten en "
        "hoeveel voorzieningen zij hebben, per gemeente en per wijk. Schuldhulp hoort er niet bij. "
        "Aantallen zijn door het CBS **afgerond op 5** en kleine aantallen zijn **onderdrukt**; "
        "die blijven in dit rapport leeg en worden nooit afgeleid uit andere cellen. Voor 2020 is "
        "geen tabel bekend: dat jaar is een gat in de reeksen. Definities en formules: "
        f"{DOCS}."
    )


def jaar_melding(ctx, jaar: int) -> None:
    if ctx.jaar != jaar:
        md(
            f"*Voor {ctx.jaar} zijn (nog) geen stapelingscijfers beschikbaar; dit hoofdstuk toont "
            f"{jaar}, het laatste jaar met cijfers.*"
        )


def kernzinnen(naam: str, k: dict, jaar: int) -> list[str]:
    """Generated sentences on one unit's figures (``k``: :func:`sd.kengetallen`)."""
    zinnen = []
    if k.get("huishoudens") is not None:
        z = (
            f"In {jaar} hadden in {naam} {text.getal(k['huishoudens'])} huishoudens minstens één "
            "voorziening uit de Jeugdwet, de Wmo of de Participatiewet"
        )
        if k.get("per_1000") is not None:
            z += f"; dat is {per_1000(k['per_1000'])} {PER_1000_HH}"
        zinnen.append(z + ".")
    else:
        zinnen.append(
            f"Voor {naam} zijn in {jaar} geen cijfers over huishoudens met voorzieningen."
        )
    if k.get("aandeel_meer_wetten") is not None:
        zinnen.append(
            f"Van deze huishoudens gebruikte {pct(k['aandeel_meer_wetten'])} voorzieningen uit "
            "twee of drie wetten."
        )
    elif k.get("huishoudens") is not None:
        zinnen.append(
            "Het aandeel met voorzieningen uit meer dan één wet is niet te berekenen: een of meer "
            "combinaties zijn onderdrukt of niet gepubliceerd."
        )
    if k.get("wmo_per_1000") is not None:
        zinnen.append(
            f"Het aantal Wmo-cliënten was {per_1000(k['wmo_per_1000'])} per 1\u202f000 inwoners."
        )
    return zinnen


def vergelijk_zin(naam: str, eigen: float | None, anderen: list[tuple[str, float | None]]) -> str:
    """'Het aandeel … is hoger dan in X en lager dan …' for the multi-law share."""
    if eigen is None:
        return ""
    delen = []
    for oms, v in anderen:
        if v is None:
            continue
        rich = text.vergelijk(eigen, v)
        woord = {"meer": "hoger dan", "minder": "lager dan", "gelijk": "ongeveer even hoog als"}[
            rich
        ]
        delen.append(f"{woord} in {oms} ({pct(v)})")
    if not delen:
        return ""
    return (
        f"Het aandeel huishoudens met voorzieningen uit meer dan één wet in {naam} "
        f"({pct(eigen)}) is {text.lijst(delen)}."
    )


def concentratie_zin(curve, naam: str) -> str:
    """The concentration stated as an approximation from grouped data."""
    from analysis.indicators import stapeling

    top = stapeling.aandeel_van_voorzieningen(curve, 0.2)
    return (
        f"De 20% huishoudens met de meeste voorzieningen in {naam} had ongeveer {pct(top)} van "
        "alle voorzieningen. Dit is een **benadering** uit gegroepeerde gegevens (iedereen in een "
        "klasse telt even zwaar, de hoogste klasse «5 of meer» telt als 5): de werkelijke "
        f"concentratie is eerder hoger dan lager ({DOCS}, §4)."
    )


def concentratie_kort(curve, naam: str) -> str:
    """The same share for a comparison unit, in one clause."""
    from analysis.indicators import stapeling

    return f"In {naam} was dat ongeveer {pct(stapeling.aandeel_van_voorzieningen(curve, 0.2))}."


def context_referenties() -> None:
    md(
        "**Ter vergelijking, met andere definities.** Het SCP vond met gegevens over 2013 dat "
        "ongeveer 20% van de 7,8 miljoen huishoudens een voorziening gebruikte en 7% van hen in "
        "meer dan één sector; in Nijmegen (2016) gebruikte 34,2% van de gebruikende huishoudens "
        "meer dan één sector. Die studies tellen andere sectoren en regelingen en een ander jaar: "
        "ze staan hier als context, niet als maatstaf voor de cijfers van dit hoofdstuk."
    )


def trend_zin(naam: str, reeks, eenheid: str, fmt) -> str:
    """First and last year of a series with values; the missing years named."""
    have = reeks.dropna()
    if len(have) < 2:
        return ""
    gaten = [
        str(j)
        for j in reeks.index
        if j > have.index.min() and j < have.index.max() and j not in have.index
    ]
    zin = (
        f"In {naam} ging het van {fmt(have.iloc[0])} {eenheid} in {have.index[0]} naar "
        f"{fmt(have.iloc[-1])} in {have.index[-1]}"
    )
    if gaten:
        zin += f"; voor {text.lijst(gaten)} zijn er geen cijfers (de lijn is daar onderbroken)"
    return zin + "."


def spreiding_zin(per) -> str:
    """Dispersion of the multi-law share over the member gemeenten (``per``: name -> figures)."""
    if per is None or per.empty or "aandeel_meer_wetten" not in per:
        return ""
    v = per["aandeel_meer_wetten"].dropna().astype(float)
    if len(v) < 2:
        return ""
    return (
        f"Het aandeel met voorzieningen uit meer dan één wet loopt tussen de gemeenten uiteen van "
        f"{pct(v.min())} ({v.idxmin()}) tot {pct(v.max())} ({v.idxmax()})"
        + (
            f"; voor {len(per) - len(v)} van de {len(per)} gemeenten is het niet te berekenen "
            "(onderdrukte of ontbrekende combinaties)."
            if len(v) < len(per)
            else "."
        )
    )
