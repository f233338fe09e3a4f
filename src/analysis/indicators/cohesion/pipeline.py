"""Load boundaries and memberships for the cohesion analysis and run every part of it.

:func:`analyse` is what the report chapters call: it gathers per year the gemeente layer, the
jeugdregio layer and the memberships (processed ``regio_indeling`` first, else derived from the
boundaries by :mod:`analysis.geo`), picks population weights, and returns a :class:`Samenhang`
with every table. Missing layers are recorded as :class:`Notitie` codes in
``Samenhang.notities`` instead of raising (the report chapter phrases them).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from analysis import geo
from analysis.config import Settings
from analysis.indicators.cohesion.composition import composition
from analysis.indicators.cohesion.congruence import (
    Gewichten,
    agreement_matrix,
    congruence_per_region,
)
from analysis.indicators.cohesion.constants import DIVISIES
from analysis.indicators.cohesion.dispersion import (
    MAATEN,
    dispersion,
    dispersion_change,
    member_values,
)
from analysis.indicators.cohesion.geometry import region_geometry, region_parts
from analysis.indicators.cohesion.population import (
    area_weights,
    population_from_indicators,
    population_years,
    restated_population,
)
from analysis.indicators.cohesion.profile import cohesion_profile
from analysis.indicators.cohesion.stability import change_timeline

__all__ = ["Geodata", "Notitie", "NOTITIES", "Samenhang", "load_geodata", "analyse", "FIRST_YEAR"]

log = logging.getLogger(__name__)

#: First year of the Jeugdwet (and of the jeugdregio layers).
FIRST_YEAR = 2015


#: Kinds of limitation notes: what they mean and which fields they use.
NOTITIES: dict[str, str] = {
    "geen_indeling": "no boundaries or membership of the divisions in ``indelingen``",
    "indeling_deels": "divisions ``indelingen`` only available for the years ``jaren``",
    "ander_kaartjaar": "no jeugdregio boundaries for ``jaren[0]``; maps use ``jaren[1]``",
    "geen_congruentie": "no membership of ``indelingen[0]`` in a year with jeugdregio's",
    "congruentie_ander_jaar": "congruence with ``indelingen`` uses ``jaren[0]``, not ``jaren[1]``",
    "geen_spreiding": "no youth-care use or cost figures: dispersion not computed",
}


@dataclass(frozen=True)
class Notitie:
    """A limitation of the data: a kind (:data:`NOTITIES`) with the divisions and years it is
    about. Codes only; the report chapter phrases it."""

    soort: str
    indelingen: tuple[str, ...] = ()
    jaren: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.soort not in NOTITIES:
            raise ValueError(f"unknown note kind {self.soort!r}; valid: {', '.join(NOTITIES)}")


@dataclass
class Geodata:
    """Boundary layers and memberships per year, plus notes on what is missing."""

    gemeenten: dict[int, gpd.GeoDataFrame] = field(default_factory=dict)
    regio_lagen: dict[str, dict[int, gpd.GeoDataFrame]] = field(default_factory=dict)
    lidmaatschap: dict[str, dict[int, pd.DataFrame]] = field(default_factory=dict)
    notities: list[Notitie] = field(default_factory=list)


def _layer_years(
    layer: str, years: Iterable[int], settings: Settings, *, fetch: bool
) -> dict[int, gpd.GeoDataFrame]:
    """Load ``layer`` for each year that is cached or (with ``fetch``) obtainable."""
    cached = set(geo.available_years(layer, settings=settings))
    out: dict[int, gpd.GeoDataFrame] = {}
    for year in years:
        if year not in cached and (not fetch or settings.offline):
            continue
        try:
            out[year] = geo.load_boundaries(layer, year, settings=settings)
        except FileNotFoundError:
            continue
        except geo.GeoDownloadError as exc:  # network trouble: stop trying this layer
            log.warning("layer %s %s not available: %s", layer, year, exc)
            if year not in cached:
                fetch = False
    return out


def _as_regions(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return layer.rename(columns={"statcode": "regio_code", "statnaam": "regio_naam"})[
        ["regio_code", "regio_naam", "geometry"]
    ]


def _processed_membership(indeling: pd.DataFrame | None, name: str, year: int) -> pd.DataFrame:
    if indeling is None or indeling.empty:
        return pd.DataFrame()
    sel = indeling[(indeling["indeling"] == name) & (indeling["jaar"].astype("int64") == year)]
    return sel.astype({"gemeente_code": "str"}).reset_index(drop=True)


def load_geodata(
    settings: Settings,
    jaren: Iterable[int],
    divisies: Iterable[str] = tuple(DIVISIES),
    *,
    indeling: pd.DataFrame | None = None,
    fetch: bool = True,
) -> Geodata:
    """Gemeente layers, region layers and memberships for ``jaren``.

    A membership comes from ``indeling`` (processed ``regio_indeling``) when it has that
    indeling and year, else from the boundaries (:func:`analysis.geo.load_membership`) when both
    layers exist. ``fetch=False`` (Demoland) only uses layers already in the local cache.
    """
    years = sorted(set(int(y) for y in jaren))
    data = Geodata()
    data.gemeenten = _layer_years("gemeente", years, settings, fetch=fetch)
    absent: list[str] = []
    partial: dict[tuple[int, ...], list[str]] = {}
    for name in ("jeugdregio", *divisies):
        layers = _layer_years(name, years, settings, fetch=fetch)
        data.regio_lagen[name] = {y: _as_regions(g) for y, g in layers.items()}
        members: dict[int, pd.DataFrame] = {}
        for y in years:
            m = _processed_membership(indeling, name, y)
            if m.empty and y in layers and y in data.gemeenten:
                m = geo.load_membership(name, y, settings=settings)  # memoised per file
            if not m.empty:
                members[y] = m
        data.lidmaatschap[name] = members
        if not layers and not members:
            absent.append(name)
        elif name != "jeugdregio" and any(y not in members for y in years):
            partial.setdefault(tuple(sorted(members)), []).append(name)
    if absent:
        data.notities.append(Notitie("geen_indeling", tuple(absent)))
    for have, names in partial.items():
        data.notities.append(Notitie("indeling_deels", tuple(names), have))
    return data


@dataclass
class Samenhang:
    """Everything the cohesion chapters show, for one report year."""

    jaar: int
    geo_jaar: int | None
    samenstelling: pd.DataFrame
    tijdlijn: pd.DataFrame
    congruentie: pd.DataFrame
    congruentie_jaar: dict[str, int]
    overeenstemming: pd.DataFrame
    geometrie: pd.DataFrame
    delen: gpd.GeoDataFrame
    spreiding: pd.DataFrame
    leden_waarden: pd.DataFrame
    profiel: pd.DataFrame
    regios: gpd.GeoDataFrame
    gemeenten: gpd.GeoDataFrame | None
    geodata: Geodata
    gewichten: Gewichten | None
    notities: list[Notitie]
    gewichten_per_jaar: dict[int, Gewichten | None] = field(default_factory=dict)


def _weights(
    year: int,
    settings: Settings,
    indicators: pd.DataFrame | None,
    data: Geodata,
    *,
    synthetic: bool,
) -> tuple[pd.DataFrame, Gewichten | None]:
    """Population per gemeente for ``year`` and the matching weights (or area weights).

    Without processed population for ``year`` the latest of the three years before it is used
    when it covers every gemeente of ``year``'s membership (same codes), and labelled so.
    """
    pop = population_from_indicators(indicators, year)
    members = data.lidmaatschap.get("jeugdregio", {}).get(year)
    if (pop.empty or pop["bevolking"].isna().all()) and members is not None:
        for earlier in range(year - 1, year - 4, -1):
            cand = population_from_indicators(indicators, earlier, indeling_jaar=year)
            known = set(cand.loc[cand["bevolking"].notna(), "gemeente_code"])
            if len(cand) and set(members["gemeente_code"]) <= known:
                pop = cand.assign(jaar=year, bron=f"CBS bevolking {earlier} (gebruikt voor {year})")
                break
    no_pop = pop.empty or pop["bevolking"].isna().all()
    if no_pop and not synthetic and year in data.gemeenten:
        restated = _restated(year, settings, indicators, data)
        pop = pop if restated is None else restated
    if not pop.empty and pop["bevolking"].notna().any():
        w = pop.dropna(subset=["bevolking"]).set_index("gemeente_code")["bevolking"]
        bron = str(pop["bron"].iloc[0])
        return pop, Gewichten(w, "inwoners", bron)
    if year in data.gemeenten:
        return pop, area_weights(data.gemeenten[year])
    return pop, None


def _restated(
    year: int, settings: Settings, indicators: pd.DataFrame | None, data: Geodata
) -> pd.DataFrame | None:
    """Processed population of the nearest year with figures (earlier first on a tie),
    restated onto the gemeenten of ``year``; None when there is none or it cannot be done."""
    sources = [y for y in population_years(indicators) if y != year and y in data.gemeenten]
    for van in sorted(sources, key=lambda y: (abs(y - year), y)):
        try:
            cw = geo.load_crosswalk(van, year, settings=settings)
            pop = restated_population(indicators, van, year, cw)
        except (ValueError, FileNotFoundError, geo.GeoDownloadError) as exc:
            log.warning("population %s could not be restated to %s: %s", van, year, exc)
            continue
        if not pop.empty:
            return pop
    return None


def _pick(years: Iterable[int], jaar: int) -> int | None:
    ys = sorted(years)
    if not ys:
        return None
    earlier = [y for y in ys if y <= jaar]
    return earlier[-1] if earlier else ys[0]


def analyse(
    settings: Settings,
    jaar: int,
    *,
    indicators: pd.DataFrame | None = None,
    indeling: pd.DataFrame | None = None,
    synthetic: bool = False,
    divisies: Iterable[str] = tuple(DIVISIES),
    drempels: Mapping[str, float] | None = None,
) -> Samenhang:
    """Run the whole cohesion analysis for report year ``jaar``.

    Not memoised here: a report loads the copy stored after the build
    (:func:`analysis.indicators.cohesion.stored.load`) or computes it once per data version
    through :func:`analysis.store.per_data_version` (the one data-version cache).
    """
    return _analyse(settings, int(jaar), indicators, indeling, synthetic, tuple(divisies), drempels)


def _analyse(
    settings: Settings,
    jaar: int,
    indicators: pd.DataFrame | None,
    indeling: pd.DataFrame | None,
    synthetic: bool,
    divisies: tuple[str, ...],
    drempels: Mapping[str, float] | None,
) -> Samenhang:
    last = max(jaar, FIRST_YEAR)
    years = list(range(FIRST_YEAR, last + 1))
    data = load_geodata(settings, years, divisies, indeling=indeling, fetch=not synthetic)
    notes = list(data.notities)
    jz_members = data.lidmaatschap.get("jeugdregio", {})
    jz_layers = data.regio_lagen.get("jeugdregio", {})

    # population and composition per membership year
    pops, weights_by_year = [], {}
    for y in sorted(jz_members):
        pop, w = _weights(y, settings, indicators, data, synthetic=synthetic)
        weights_by_year[y] = w
        if not pop.empty:
            pops.append(pop)
    population = pd.concat(pops, ignore_index=True) if pops else None
    comp_frames = [composition(jz_members[y], population, drempels=drempels) for y in jz_members]
    samenstelling = (
        pd.concat(comp_frames, ignore_index=True)
        if comp_frames
        else composition(
            pd.DataFrame(
                columns=["jaar", "gemeente_code", "gemeente_naam", "regio_code", "regio_naam"]
            )
        )
    )

    # stability
    region_polys: dict[int, gpd.GeoDataFrame] = dict(jz_layers)
    for y, m in jz_members.items():
        if y not in region_polys and y in data.gemeenten:
            region_polys[y] = geo.dissolve_regions(data.gemeenten[y], m[_MEMBER_COLS])
    crosswalks = {}
    gm_years = sorted(data.gemeenten)
    for y0, y1 in zip(gm_years[:-1], gm_years[1:], strict=True):
        if y1 == y0 + 1:
            try:
                crosswalks[(y0, y1)] = geo.load_crosswalk(y0, y1, settings=settings)
            except Exception as exc:  # noqa: BLE001 - fall back to the area crosswalk
                log.warning("crosswalk %s-%s: %s", y0, y1, exc)
    tijdlijn = change_timeline(
        jz_members, region_polys, data.gemeenten, crosswalks=crosswalks, drempels=drempels
    )

    # the year shown in maps and geometry
    geo_jaar = _pick(jz_members, jaar) or _pick(region_polys, jaar)
    if geo_jaar is not None and geo_jaar != jaar:
        notes.append(Notitie("ander_kaartjaar", (), (jaar, geo_jaar)))
    gemeenten = data.gemeenten.get(geo_jaar) if geo_jaar is not None else None
    if geo_jaar is not None and geo_jaar in jz_members and gemeenten is not None:
        regios = geo.dissolve_regions(gemeenten, jz_members[geo_jaar][_MEMBER_COLS])
    elif geo_jaar is not None and geo_jaar in region_polys:
        regios = region_polys[geo_jaar]
    else:
        regios = gpd.GeoDataFrame({"regio_code": [], "regio_naam": []}, geometry=[], crs=geo.CRS)
    geometrie = (
        region_geometry(regios, gemeenten=gemeenten, drempels=drempels)
        if len(regios)
        else pd.DataFrame(columns=["regio_code"])
    )
    delen = (
        region_parts(regios, gemeenten=gemeenten, drempels=drempels)
        if len(regios)
        else gpd.GeoDataFrame({"regio_code": []}, geometry=[], crs=geo.CRS)
    )

    # congruence per division: per-region for the year nearest the report year, scores for all
    cong_frames, cong_year, scores = [], {}, []
    other_year: dict[int, list[str]] = {}
    for name in divisies:
        members = data.lidmaatschap.get(name, {})
        common = sorted(set(members) & set(jz_members))
        for y in common:
            w = weights_by_year.get(y)
            s = agreement_matrix({"jeugdregio": jz_members[y], name: members[y]}, w)
            scores.append(s.assign(jaar=y))
        y = _pick(common, jaar)
        if y is None:
            if not members:
                continue  # already noted as absent
            notes.append(Notitie("geen_congruentie", (name,)))
            continue
        cong_year[name] = y
        if y != jaar:
            other_year.setdefault(y, []).append(name)
        c = congruence_per_region(
            jz_members[y],
            members[y].assign(indeling=name),
            weights_by_year.get(y),
            drempels=drempels,
        )
        cong_frames.append(c.assign(jaar=y))
    for y, names in sorted(other_year.items()):
        notes.append(Notitie("congruentie_ander_jaar", tuple(names), (y, jaar)))
    # pairs among the other divisions, per year where all are present
    for y in sorted(jz_members):
        present = {
            n: data.lidmaatschap[n][y] for n in divisies if y in data.lidmaatschap.get(n, {})
        }
        if len(present) >= 2:
            s = agreement_matrix(present, weights_by_year.get(y))
            scores.append(s.assign(jaar=y))
    overeenstemming = (
        pd.concat(scores, ignore_index=True)
        if scores
        else pd.DataFrame(columns=["indeling_a", "indeling_b", "ari", "nmi", "jaar"])
    )
    congruentie = pd.concat(cong_frames, ignore_index=True) if cong_frames else pd.DataFrame()

    # dispersion
    tellers = {m.teller for m in MAATEN.values()}
    has_figures = (
        indicators is not None
        and "indicator" in indicators
        and bool(indicators["indicator"].isin(tellers).any())
    )
    if has_figures and jz_members:
        disp = [
            dispersion(indicators, jz_members, maat=m, drempels=drempels)
            for m in ("gebruik", "kosten")
        ]
        spreiding = dispersion_change(pd.concat(disp, ignore_index=True))
        frames = []
        for (maat, year), _ in spreiding.groupby(["maat", "jaar"]):
            m_year = _pick(jz_members, int(year))
            frames.append(
                member_values(indicators, jz_members[m_year], int(year), maat, drempels=drempels)
            )
        leden_waarden = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    else:
        spreiding = dispersion_change(
            dispersion(pd.DataFrame(columns=["indicator", "jaar"]), {}, [], drempels=drempels)
        )
        leden_waarden = pd.DataFrame()
        notes.append(Notitie("geen_spreiding"))

    am = congruentie[congruentie["indeling"] == "arbeidsmarktregio"] if len(congruentie) else None
    prof_year = geo_jaar if geo_jaar is not None else jaar
    profiel = (
        cohesion_profile(
            prof_year,
            samenstelling,
            tijdlijn,
            am,
            geometrie,
            spreiding[spreiding["maat"] == "gebruik"] if len(spreiding) else None,
            drempels=drempels,
        )
        if (samenstelling["jaar"] == prof_year).any()
        else pd.DataFrame()
    )
    if len(profiel) and prof_year != jaar:
        profiel["jaar"] = prof_year
    return Samenhang(
        jaar=jaar,
        geo_jaar=geo_jaar,
        samenstelling=samenstelling,
        tijdlijn=tijdlijn,
        congruentie=congruentie,
        congruentie_jaar=cong_year,
        overeenstemming=overeenstemming,
        geometrie=geometrie,
        delen=delen,
        spreiding=spreiding,
        leden_waarden=leden_waarden,
        profiel=profiel,
        regios=regios,
        gemeenten=gemeenten,
        geodata=data,
        gewichten=weights_by_year.get(geo_jaar) if geo_jaar is not None else None,
        notities=notes,
        gewichten_per_jaar=weights_by_year,
    )


_MEMBER_COLS = ["jaar", "gemeente_code", "gemeente_naam", "indeling", "regio_code", "regio_naam"]
