"""Chapters for themes that are not built yet: what they will answer, which CBS tables are
declared for them in :mod:`analysis.registry`, and that there are no results yet.

No placeholder figures: each section says plainly that it holds no results.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pandas as pd

from analysis import registry, store
from analysis.report import output
from analysis.report.chapters import html_tabel, md, toon_html

__all__ = ["THEMAS", "budget", "declared_tables", "stapeling", "wachttijden"]


@dataclass(frozen=True)
class Thema:
    """A theme that has no chapter yet."""

    titel: str
    registry_thema: str
    vraag: str
    opmerking: str = ""


THEMAS: dict[str, Thema] = {
    "wachttijden": Thema(
        "Wachttijden en toegang",
        "toegang",
        "Hoe komen jongeren bij de jeugdhulp terecht (via de huisarts, het wijkteam, de "
        "gecertificeerde instelling of een andere verwijzer) en hoe lang moeten zij wachten "
        "voordat de hulp begint? Zijn er in de regio afspraken over de aanpak van wachtlijsten?",
        "Er bestaan geen landelijke open gegevens over wachttijden in de jeugdzorg; het CBS "
        "publiceert geen tabel over wachttijden of wachtlijsten. Wat het CBS wel publiceert, "
        "zijn indirecte aanwijzingen, zoals de gemiddelde duur van beëindigde trajecten en het "
        "aantal trajecten dat met crisis begon. Die meten niet hoe lang een jongere wacht en "
        "worden in dit hoofdstuk straks ook zo benoemd.",
    ),
    "budget": Thema(
        "Budget en tekorten",
        "budget",
        "Hoeveel geeft de gemeente uit aan jeugdzorg, hoe verhoudt zich dat tot het budget dat "
        "zij daarvoor krijgt, hoeveel gemeenten hebben een tekort en hoe groot is dat tekort "
        "per jongere van 0 tot 18 jaar?",
    ),
    "stapeling": Thema(
        "Stapeling van voorzieningen",
        "stapeling",
        "Hoeveel huishoudens gebruiken tegelijk voorzieningen uit meer dan één wet (Jeugdwet, "
        "Wmo 2015 en Participatiewet), en hoe geconcentreerd is dat gebruik?",
    ),
}

_STATUS = {
    "confirmed": "bevestigd",
    "unconfirmed": "nog te controleren",
    "unknown": "geen tabelnummer bekend",
}


def _titel(pattern: str) -> str:
    """A readable title from a registry title pattern (regex escapes and anchors removed)."""
    return re.sub(r"\\(.)", r"\1", pattern.strip("^$"))


def _jaren(years: tuple[int, int | None]) -> str:
    first, last = years
    if last is None:
        return f"{first}–heden"
    return str(first) if first == last else f"{first}–{last}"


def declared_tables(registry_thema: str) -> pd.DataFrame:
    """Registry tables of a theme: Tabel, Titel, Jaren, Status (Dutch column names)."""
    rows = []
    for t in registry.TABLES:
        if t.thema != registry_thema:
            continue
        titel = _titel(t.title)
        if t.catalog != "opendata":
            titel += f" (catalogus {t.catalog})"
        rows.append(
            {
                "Tabel": t.id or "–",
                "Titel": titel,
                "Jaren": _jaren(t.years),
                "Status": _STATUS.get(t.status, t.status),
            }
        )
    return pd.DataFrame(rows, columns=["Tabel", "Titel", "Jaren", "Status"])


def _aanwezig(ctx, registry_thema: str) -> list[str]:
    """Labels of indicators of this theme that the dataset already holds."""

    def in_dataset() -> frozenset[str]:
        return frozenset(ctx.indicators["indicator"].unique())

    data_dir = getattr(ctx, "data_dir", None)
    present = (
        in_dataset()
        if data_dir is None
        else store.per_data_version(data_dir, "indicator_ids", in_dataset)
    )
    return [i.label for i in registry.INDICATORS if i.thema == registry_thema and i.id in present]


def _onderwerp(ctx) -> str:
    if ctx.kind == "gemeente":
        return f"voor de gemeente {ctx.naam}"
    if ctx.kind == "jeugdregio":
        return f"voor de jeugdregio {ctx.naam}"
    return "voor Nederland, de jeugdregio's en de gemeenten"


def sectie(ctx, sleutel: str) -> None:
    """Display the section of theme ``sleutel`` (a key of :data:`THEMAS`)."""
    try:
        thema = THEMAS[sleutel]
    except KeyError:
        raise KeyError(f"unknown theme {sleutel!r}; valid: {', '.join(THEMAS)}") from None
    tekst = [
        "*Dit hoofdstuk is nog niet gebouwd. Er staan nog geen resultaten in.*",
        f"**Vraag die dit hoofdstuk {_onderwerp(ctx)} gaat beantwoorden.** {thema.vraag}",
    ]
    if thema.opmerking:
        tekst.append(thema.opmerking)
    aanwezig = _aanwezig(ctx, thema.registry_thema)
    if aanwezig:
        tekst.append(
            "De gegevensset bevat al cijfers over "
            + ", ".join(a[0].lower() + a[1:] for a in aanwezig)
            + "; die worden pas getoond als dit hoofdstuk klaar is."
        )
    tabel = _tabel_html(sleutel)
    if tabel is None:
        tekst.append("Voor dit onderwerp zijn nog geen CBS-tabellen vastgelegd.")
        md("\n\n".join(tekst))
        return
    tekst.append(
        "Voor dit onderwerp zijn de volgende CBS-tabellen vastgelegd. Ze zijn nog niet "
        "(allemaal) verwerkt; 'nog te controleren' betekent dat nummer of titel bij het "
        "ophalen nog moet worden nagegaan."
    )
    md("\n\n".join(tekst))
    toon_html(tabel)


@functools.cache
def _tabel_html(sleutel: str) -> str | None:
    """The table of registry tables of a theme, None without any (the registry is fixed for
    a process)."""
    thema = THEMAS[sleutel]
    tabellen = declared_tables(thema.registry_thema)
    if tabellen.empty:
        return None
    return html_tabel(tabellen, bijschrift=f"Vastgelegde CBS-tabellen: {thema.titel.lower()}")


@output.chapter
def wachttijden(ctx) -> None:
    """Section "Wachttijden en toegang"."""
    sectie(ctx, "wachttijden")


@output.chapter
def budget(ctx) -> None:
    """Section "Budget en tekorten"."""
    sectie(ctx, "budget")


@output.chapter
def stapeling(ctx) -> None:
    """Section "Stapeling van voorzieningen"."""
    sectie(ctx, "stapeling")
