"""Dutch text of the chapter "Regionale samenhang": number formats, fixed sentences, captions,
and the phrasing of the codes the cohesion analysis returns (events, notes, sources)."""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.indicators.cohesion.constants import INDELING_LABELS
from analysis.indicators.cohesion.pipeline import NOTITIES, Notitie
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


def jaren_tekst(years: list[int] | tuple[int, ...]) -> str:
    """'2015–2019, 2021' style range text."""
    years = list(years)
    if not years:
        return "geen jaar"
    runs: list[list[int]] = [[years[0]]]
    for y in years[1:]:
        if y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def notitie(n: Notitie) -> str:
    """One limitation of the data (a :class:`Notitie` of the analysis) as a Dutch sentence."""
    labels = ", ".join(INDELING_LABELS.get(i, i) for i in n.indelingen)
    if n.soort == "geen_indeling":
        return f"Geen grenzen of indeling gevonden van: {labels}."
    if n.soort == "indeling_deels":
        return f"Indeling {labels}: alleen beschikbaar voor {jaren_tekst(n.jaren)}."
    if n.soort == "ander_kaartjaar":
        return (
            f"Voor {n.jaren[0]} zijn geen grenzen van de jeugdregio's beschikbaar; kaarten en "
            f"maten gebruiken {n.jaren[1]}."
        )
    if n.soort == "geen_congruentie":
        return (
            f"Geen congruentie met de {labels} berekend: geen indeling voor een jaar met "
            "jeugdregio-indeling."
        )
    if n.soort == "congruentie_ander_jaar":
        return f"Congruentie met {labels}: indeling {n.jaren[0]} gebruikt (niet {n.jaren[1]})."
    if n.soort == "geen_spreiding":
        return "Geen cijfers over jeugdzorggebruik of kosten: spreiding niet berekend."
    raise ValueError(f"unknown note kind {n.soort!r}; valid: {', '.join(NOTITIES)}")


def notities_tekst(notities: list[Notitie]) -> str | None:
    """The limitations of the data as a Markdown list (None without any)."""
    if not notities:
        return None
    regels = "\n".join(f"- {notitie(n)}" for n in notities)
    return "**Beperkingen van de gegevens:**\n\n" + regels


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


# ----------------------------------------------------------------------------- events

#: Dutch label of every kind of event (:data:`analysis.indicators.cohesion.stability.SOORTEN`).
SOORT_LABELS: dict[str, str] = {
    "gewisseld": "gemeente wisselt van regio",
    "herindeling_binnen": "herindeling binnen de regio",
    "herindeling_over_grens": "herindeling over de regiogrens",
    "splitsing_binnen": "gemeente opgesplitst binnen de regio",
    "splitsing_over_grens": "gemeente opgesplitst over de regiogrens",
    "nieuw": "nieuwe gemeente zonder bekende voorganger",
    "opgeheven": "gemeente opgeheven zonder bekende opvolger",
    "grenswijziging": "grensverschuiving tussen regio's (uit de grenzen)",
    "regio_nieuw": "nieuwe regio",
    "regio_opgeheven": "regio opgeheven",
    "regio_gesplitst": "regio gesplitst",
    "regio_samengevoegd": "regio's samengevoegd",
    "regionaam": "naam van de regio gewijzigd",
}


def _met_code(codes: list[str], namen: Mapping[str, str]) -> str:
    return ", ".join(f"{namen[c]} ({c})" for c in codes)


def _herindeling(soort: str, g: Mapping) -> str:
    van, naar = _met_code(g["van"], g["namen"]), _met_code(g["naar"], g["namen"])
    if soort.startswith("splitsing"):
        return f"{van} wordt opgeheven en verdeeld over {naar}"
    return f"{van} {'gaat' if len(g['van']) == 1 else 'gaan'} op in {naar}"


def omschrijving(e: Mapping) -> str:
    """One event of the timeline (a row of ``change_timeline``) as a Dutch sentence."""
    soort, g = str(e["soort"]), json.loads(e["gegevens"] or "{}")
    gm, code = e["gemeente_naam"], e["gemeente_code"]
    van = f"{e['van_regio_naam']} ({e['van_regio']})"
    naar = f"{e['naar_regio_naam']} ({e['naar_regio']})"
    if soort == "gewisseld":
        return f"{gm} gaat van {van} naar {naar}."
    if soort == "opgeheven":
        return f"{gm} ({code}) verdwijnt uit {e['van_regio_naam']}; geen opvolger gevonden."
    if soort == "nieuw":
        return f"{gm} ({code}) is nieuw in {e['naar_regio_naam']}; geen voorganger gevonden."
    if soort in ("herindeling_binnen", "splitsing_binnen"):
        return f"{_herindeling(soort, g)}, binnen {van}."
    if soort in ("herindeling_over_grens", "splitsing_over_grens"):
        via = f"{g['namen'][g['via']]} ({g['via']})"
        return (
            f"{gm} ({code}) gaat (deels) van {van} naar {naar} via {via}: {_herindeling(soort, g)}."
        )
    if soort == "regionaam":
        return f"{e['van_regio']} heet nu {e['naar_regio_naam']} (was {e['van_regio_naam']})."
    if soort == "regio_opgeheven":
        dest = _met_code(g["naar"], g["namen"])
        return f"{van} bestaat niet meer" + (f"; het gebied gaat naar {dest}." if dest else ".")
    if soort == "regio_nieuw":
        return f"Nieuwe regio {naar}."
    if soort == "regio_gesplitst":
        return f"{van} is verdeeld over {_met_code(g['naar'], g['namen'])}."
    if soort == "regio_samengevoegd":
        return f"{naar} is gevormd uit {_met_code(g['van'], g['namen'])}."
    if soort == "grenswijziging":
        waar = e["betrokken_gemeenten"]
        if waar:
            waar = ("deel van " if g.get("deels") else "") + waar
            if g.get("indeling_jaar"):
                waar += f" (indeling {g['indeling_jaar']})"
        return f"{e['oppervlak_km2']:.0f} km² ({waar or 'een gebied'}) gaat van {van} naar {naar}."
    raise ValueError(f"unknown event kind {soort!r}; valid: {', '.join(SOORT_LABELS)}")


def met_teksten(tijdlijn: pd.DataFrame) -> pd.DataFrame:
    """The timeline with ``soort_label`` and ``omschrijving`` (Dutch) added."""
    out = tijdlijn.assign(
        soort_label=tijdlijn["soort"].map(SOORT_LABELS),
        omschrijving=[omschrijving(e) for e in tijdlijn.to_dict("records")],
    )
    out.attrs = dict(tijdlijn.attrs)
    return out
