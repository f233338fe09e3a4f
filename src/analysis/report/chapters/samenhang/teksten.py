"""Dutch text of the chapter "Regionale samenhang": number formats, fixed sentences, captions,
and the phrasing of the codes the cohesion analysis returns (events, notes, sources)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.metadata.cohesion import DOC_PAGE, DREMPELS, drempel
from analysis.report import figures
from analysis.report.text import getal, lijst

NIET_OFFICIEEL = (
    "De indeling van gemeenten in regio's is afgeleid uit de grenzen (een punt binnen elke "
    "gemeente, getoetst aan de regiogrens); het is niet de officiële CBS-tabel «Gebieden in "
    "Nederland»."
)
OFFICIEEL = "De indeling komt uit de CBS-tabel «Gebieden in Nederland»."
EEN_JAAR = (
    "Er zijn alleen grenzen van {jaar}; wijzigingen in de samenstelling zijn daarom niet vast "
    "te stellen."
)
GEEN_VERGELIJKING = "*Er zijn geen andere regio-indelingen beschikbaar om mee te vergelijken.*"
GEEN_JEUGDREGIOS = (
    "*Er zijn geen grenzen of indelingen van de jeugdregio's beschikbaar; dit hoofdstuk "
    "kan niet worden gemaakt.*"
)


def pct(x: float | None, decimalen: int = 0) -> str:
    """``x`` (a share) as a Dutch percentage; '–' when unknown."""
    if x is None or pd.isna(x):
        return "–"
    return f"{getal(100 * float(x), decimalen)}%"


def num(x: float | None, decimalen: int = 0) -> str:
    """``x`` as a Dutch number; '–' when unknown."""
    if x is None or pd.isna(x):
        return "–"
    return getal(float(x), decimalen)


def ja_nee(x: object) -> str:
    """'ja', 'nee' or 'onbekend'."""
    if x is None or x is pd.NA or (isinstance(x, float) and np.isnan(x)):
        return "onbekend"
    return "ja" if bool(x) else "nee"


def regio_label(code: str, naam: str) -> str:
    """'Naam (JZ01)'."""
    return f"{naam} ({code})"


def grenzenbron(synthetic: bool) -> str:
    """Where the boundaries come from, for captions."""
    if synthetic:
        return "grenzen: Demoland (synthetisch)"
    return "grenzen: CBS/PDOK-gebiedsindelingen via cartomap (CC BY 4.0)"


def bijschrift(ctx, tekst: str, tabellen=(), *, drempels: str = "") -> str:
    """A figure caption with the sources, the boundaries and the definitions page."""
    eigen = f"{grenzenbron(bool(ctx.synthetic))}; definities en drempels: {DOC_PAGE}"
    if drempels:
        eigen += f" ({drempels})"
    return figures.caption(tekst, tabellen, synthetic=bool(ctx.synthetic), eigen=eigen)


def methode_tekst(officieel: bool) -> str:
    """Where the membership comes from."""
    return OFFICIEEL if officieel else NIET_OFFICIEEL


def gewicht_tekst(res) -> str:
    """What the population-weighted measures are weighted by."""
    w = res.gewichten
    if w is None:
        return "Er zijn geen inwonertallen en geen gemeentegrenzen: maten naar inwoners ontbreken."
    if w.soort == "inwoners":
        return f"Inwonertallen: {w.bron}."
    return (
        "**Let op:** er zijn geen inwonertallen beschikbaar; congruentie en overeenstemming zijn "
        "gewogen naar **oppervlakte** van de gemeenten in plaats van naar inwoners."
    )


def notities_tekst(notities: list[str]) -> str | None:
    """The limitations of the data as a Markdown list (None without any)."""
    if not notities:
        return None
    return "**Beperkingen van de gegevens:**\n\n" + "\n".join(f"- {n}" for n in notities)


def drempel_waarde(naam: str) -> str:
    """The value of a threshold with its unit."""
    d = DREMPELS[naam]
    if d.eenheid == "aandeel":
        return pct(d.waarde)
    return f"{getal(d.waarde, 0 if float(d.waarde).is_integer() else 2)} {d.eenheid}"


def drempel_tekst(naam: str) -> str:
    """'`naam` = waarde'."""
    return f"`{naam}` = {drempel_waarde(naam)}"


def signalen_zin(row: pd.Series, voor: str = "") -> str:
    """The signals of a region (or that there are none), and what could not be determined."""
    onbekend = row.get("onbekend", "")
    if row["signalen"]:
        zin = f"**Signalen {voor.strip()}:** {row['signalen']}.".replace(" :**", ":**")
    else:
        zin = f"Er zijn geen signalen {voor}vastgesteld."
    if onbekend:
        zin += f" Niet vast te stellen: {onbekend}."
    return zin


def periode_tekst(jaren: tuple[int, int] | None) -> str | None:
    """'2015 en 2025' for the years compared in the timeline."""
    return None if jaren is None else f"{jaren[0]} en {jaren[1]}"


def profiel_noot() -> str:
    """The note under the profile table."""
    return (
        f"Wijzigingen: in de samenstelling, {getal(drempel('venster_jaren'))} jaar terug "
        "tot en met het verslagjaar. Congruentie: aandeel van de inwoners in de "
        "arbeidsmarktregio met de meeste inwoners van de jeugdregio. Delen: aaneengesloten "
        "delen groter dan de snippergrens, met tussen haakjes de eilanden (door water of de "
        "landsgrens gescheiden). CV: variatiecoëfficiënt van het gebruik tussen de gemeenten."
    )


def ligging(versnipperd: list[str], n_versn: int, n_regios: int, n_eil: int, pp: pd.Series):
    """Fragmented regions, islands and the range of compactness."""
    return (
        f"{n_versn} van de {n_regios} jeugdregio's bestaan uit delen die alleen via een "
        "andere regio met elkaar verbonden zijn (versnipperd gebied"
        + (f": {lijst(versnipperd)}" if n_versn else "")
        + f"). {n_eil} regio's hebben eilanden of delen die door water of de landsgrens "
        "gescheiden zijn; die tellen niet als versnippering. Compactheid (Polsby–Popper, "
        f"4π·oppervlakte/omtrek²) varieert van {getal(pp.min(), 2)} tot "
        f"{getal(pp.max(), 2)}; kustlijnen maken de waarde lager. "
        f"Drempels: {drempel_tekst('snipper_km2')}, "
        f"{drempel_tekst('aaneengesloten_tolerantie_m')}."
    )


def spreiding_nl(jaar: int, n_groot: int, n_regios: int, n_uit: int, grens: float) -> str:
    """How far use differs between the members of the regions, nationally."""
    return (
        f"Hoe sterk verschilt het gebruik van jeugdzorg (jongeren met jeugdzorg per 1 000 "
        f"jongeren van 0–17 jaar) tussen de gemeenten van één regio? In {jaar} is de "
        f"variatiecoëfficiënt (CV) in {n_groot} van de {n_regios} regio's "
        f"minstens {getal(grens, 2)} (drempel `spreiding_cv`). {n_uit} gemeenten tellen niet "
        f"mee: onderdrukte cijfers, minder dan {getal(drempel('min_telling'))} jongeren met "
        f"jeugdzorg of minder dan {getal(drempel('min_jongeren'))} jongeren "
        "(drempels `min_telling`, `min_jongeren`)."
    )
