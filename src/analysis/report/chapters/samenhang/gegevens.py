"""Data access of the chapter "Regionale samenhang": the cohesion analysis for a report (the
stored copy when it still matches the data, else computed), once per data version, and the
selections the sections need from it."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis import store
from analysis.indicators.cohesion import Samenhang, analyse, stored
from analysis.report.chapters._basis import bronnen
from analysis.report.chapters.samenhang import teksten


def geo_jaar(ctx) -> int:
    """The classification year the chapter shows."""
    return int(getattr(ctx, "indeling_jaar", None) or ctx.jaar)


def resultaat(ctx) -> Samenhang:
    """The cohesion analysis for the report's classification year, once per data version: the
    copy stored after the build when it still matches the data, else computed here."""
    jaar, synthetic = geo_jaar(ctx), bool(ctx.synthetic)

    def bereken() -> Samenhang:
        return analyse(
            ctx.settings,
            jaar,
            indicators=ctx.indicators,
            indeling=ctx.indeling,
            synthetic=synthetic,
        )

    if not store.reads_processed(ctx):
        return bereken()

    def opgeslagen_of_berekend() -> Samenhang:
        return stored.load(ctx.settings, jaar, synthetic=synthetic) or bereken()

    return store.per_data_version(
        ctx.data_dir, f"samenhang:{jaar}:{synthetic}", opgeslagen_of_berekend
    )


def _officieel(res: Samenhang) -> bool:
    jz = res.geodata.lidmaatschap.get("jeugdregio", {})
    methods = set()
    for m in jz.values():
        if "methode" in m:
            methods |= set(m["methode"].astype("str"))
    return bool(methods) and methods <= {"gebieden_in_nederland"}


def officiele_indeling(ctx, res: Samenhang) -> bool:
    """Whether the membership comes from the CBS table «Gebieden in Nederland» (rather than
    derived from the boundaries); once per data version for a stored layer."""
    if not store.reads_processed(ctx):
        return _officieel(res)
    return store.per_data_version(
        ctx.data_dir, f"samenhang-methode:{geo_jaar(ctx)}:{bool(ctx.synthetic)}",
        lambda: _officieel(res),
    )  # fmt: skip


def bevolkingsbronnen(ctx, res: Samenhang) -> set[str]:
    """The source tables of the population the weights come from (none for area weights)."""
    if res.gewichten is None or res.gewichten.soort != "inwoners":
        return set()
    omgerekend = re.search(r"\(([^()]*)\), omgerekend", res.gewichten.bron)
    if omgerekend:
        return {t.strip() for t in omgerekend.group(1).split(",") if t.strip()}
    return tabelbronnen(ctx, ["bevolking_totaal"], [res.geo_jaar or ctx.jaar])


def tabelbronnen(ctx, indicatoren: list[str], jaren: list[int]) -> set[str]:
    """:func:`bronnen` of ``indicatoren`` in ``jaren`` at the chapter's classification year,
    once per data version (every report of a batch asks the same)."""
    inds, jrn = tuple(indicatoren), tuple(int(j) for j in jaren)

    def f() -> frozenset[str]:
        return frozenset(bronnen(ctx.indicators, inds, jrn, indeling_jaar=geo_jaar(ctx)))

    if not store.reads_processed(ctx):
        return set(f())
    naam = f"samenhang-bronnen:{geo_jaar(ctx)}:{inds}:{jrn}"
    return set(store.per_data_version(ctx.data_dir, naam, f))


def waar(x: object) -> bool:
    """True only for a known true value (NA and NaN are not true)."""
    return (
        x is not None and x is not pd.NA and not (isinstance(x, float) and np.isnan(x)) and bool(x)
    )


def periode(res: Samenhang) -> tuple[int, int] | None:
    """First and last year compared in the timeline; None without any pair of years."""
    overg = [o for o in res.tijdlijn.attrs.get("overgangen", []) if o["methode"] != "geen"]
    if not overg:
        return None
    return min(o["van_jaar"] for o in overg), max(o["naar_jaar"] for o in overg)


def profiel_rij(res: Samenhang, code: str) -> pd.Series | None:
    """The profile row of one jeugdregio, None when absent."""
    p = res.profiel
    sel = p[p["regio_code"] == code] if len(p) else p
    return sel.iloc[0] if len(sel) else None


def laatste_jaar(jaren: pd.Series, jaar: int) -> int:
    """The latest of ``jaren`` up to ``jaar``; else the latest of all."""
    return int(jaren[jaren <= jaar].max()) if (jaren <= jaar).any() else int(jaren.max())


def inwoners(res: Samenhang) -> pd.Series | None:
    """Population per gemeente code of the map year, None when weighted otherwise."""
    if res.gewichten is not None and res.gewichten.soort == "inwoners":
        return res.gewichten.waarden
    return None


def tijdlijn(ctx, res: Samenhang) -> pd.DataFrame:
    """The timeline of events with their Dutch labels and sentences (once per data version
    for a stored layer)."""
    if not store.reads_processed(ctx):
        return teksten.met_teksten(res.tijdlijn)
    return store.per_data_version(
        ctx.data_dir, f"samenhang-tijdlijn:{geo_jaar(ctx)}:{bool(ctx.synthetic)}",
        lambda: teksten.met_teksten(res.tijdlijn),
    )  # fmt: skip
