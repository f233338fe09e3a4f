"""The one renderer of planned chapters: what the chapter will answer, which CBS tables are
declared for its theme in :mod:`analysis.registry`, and that there are no results yet.

Every chapter with status ``planned`` in :data:`~analysis.report.chapters.catalogus.CHAPTERS`
has entry point ``nog_niet.<id>`` (``nog_niet.budget(ctx)``), made here from the declaration.
No placeholder figures: each section says plainly that it holds no results.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import pandas as pd

from analysis import registry, store
from analysis.report import output
from analysis.report.chapters._basis import html_tabel, md, toon_html
from analysis.report.chapters.catalogus import CHAPTERS, Hoofdstuk

__all__ = ["declared_tables", "entry", "gepland", "sectie"]


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


def gepland() -> dict[str, Hoofdstuk]:
    """The planned chapters of the declaration, by id."""
    return {h.id: h for h in CHAPTERS if h.status == "planned"}


def sectie(ctx, sleutel: str) -> None:
    """Display planned chapter ``sleutel`` (the id of a planned chapter in the declaration)."""
    planned = gepland()
    try:
        thema = planned[sleutel]
    except KeyError:
        raise KeyError(
            f"unknown planned chapter {sleutel!r}; valid: {', '.join(planned)}"
        ) from None
    tekst = [
        "*Dit hoofdstuk is nog niet gebouwd. Er staan nog geen resultaten in.*",
        f"**Vraag die dit hoofdstuk {_onderwerp(ctx)} gaat beantwoorden.** {thema.vraag}",
    ]
    if thema.opmerking:
        tekst.append(thema.opmerking)
    aanwezig = _aanwezig(ctx, thema.thema) if thema.thema else []
    if aanwezig:
        tekst.append(
            "De gegevensset bevat al cijfers over "
            + ", ".join(a[0].lower() + a[1:] for a in aanwezig)
            + "; die worden pas getoond als dit hoofdstuk klaar is."
        )
    tabel = _tabel_html(thema.thema, thema.titel) if thema.thema else None
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
def _tabel_html(registry_thema: str, titel: str) -> str | None:
    """The table of registry tables of a theme, None without any (the registry is fixed for
    a process)."""
    tabellen = declared_tables(registry_thema)
    if tabellen.empty:
        return None
    return html_tabel(tabellen, bijschrift=f"Vastgelegde CBS-tabellen: {titel.lower()}")


@functools.cache
def entry(sleutel: str) -> Callable[..., None]:
    """The chapter function of planned chapter ``sleutel``: ``entry("budget")(ctx)``."""
    if sleutel not in gepland():
        raise KeyError(f"unknown planned chapter {sleutel!r}; valid: {', '.join(gepland())}")

    @output.chapter
    def hoofdstuk(ctx) -> None:
        sectie(ctx, sleutel)

    hoofdstuk.__name__ = hoofdstuk.__qualname__ = sleutel
    hoofdstuk.__doc__ = f'Planned chapter "{gepland()[sleutel].titel}".'
    return hoofdstuk


def __getattr__(name: str) -> Callable[..., None]:
    """``nog_niet.<id>``: the entry point of every planned chapter of the declaration."""
    if name in gepland():
        return entry(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
