"""Stability of the jeugdregio's over time: who entered, left or switched, and when.

Two methods, chosen per pair of consecutive years:

* ``leden`` (both years have a gemeente membership): gemeenten that keep their code and change
  region are switches; disappeared and new codes are linked through an area crosswalk between
  the two gemeente layers (a successor gets at least ``opvolger_min_aandeel`` of a predecessor's
  area) and grouped into herindelingen. A herindeling whose gemeenten all stay in one region is
  *not* a change in the composition of the cooperation; one across a regional border is.
* ``grenzen`` (a year without gemeente layer): the region polygons of both years are overlaid;
  every piece that moves from region A to region B is shrunk inward by ``grens_erosie_m`` and
  counts as a boundary change when at least ``grens_kern_km2`` is left. Pieces are named after
  the gemeenten of the nearest year with a gemeente layer.

Region-level events (new, abolished, split, joined, renamed) come from the region polygons (or,
without them, from the memberships) in every year pair.

Events are codes and parameters only: ``soort`` names the kind, the columns name the gemeenten
and regions, and ``gegevens`` (JSON) holds what else a sentence about the event needs (the
predecessors and successors of a herindeling, the regions an area goes to, ...). The report
chapter phrases them (:mod:`analysis.report.chapters.samenhang.teksten`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.strtree import STRtree

from analysis.metadata.cohesion import drempel

__all__ = [
    "EVENT_COLUMNS",
    "SOORTEN",
    "area_crosswalk",
    "membership_events",
    "region_transfers",
    "region_events",
    "change_timeline",
    "events_for_region",
    "events_for_gemeente",
    "composition_changed",
]

#: Every kind of event.
SOORTEN: tuple[str, ...] = (
    "gewisseld",
    "herindeling_binnen",
    "herindeling_over_grens",
    "splitsing_binnen",
    "splitsing_over_grens",
    "nieuw",
    "opgeheven",
    "grenswijziging",
    "regio_nieuw",
    "regio_opgeheven",
    "regio_gesplitst",
    "regio_samengevoegd",
    "regionaam",
)

#: Kinds that change the composition of a cooperation.
WIJZIGT_SAMENSTELLING = {
    "gewisseld",
    "herindeling_over_grens",
    "splitsing_over_grens",
    "nieuw",
    "opgeheven",
    "grenswijziging",
    "regio_nieuw",
    "regio_opgeheven",
    "regio_gesplitst",
    "regio_samengevoegd",
}

EVENT_COLUMNS = [
    "van_jaar",
    "naar_jaar",
    "soort",
    "samenstelling_gewijzigd",
    "gemeente_code",
    "gemeente_naam",
    "van_regio",
    "van_regio_naam",
    "naar_regio",
    "naar_regio_naam",
    "regios",
    "betrokken_codes",
    "betrokken_gemeenten",
    "oppervlak_km2",
    "methode",
    "gegevens",
]


def _event(**kw: object) -> dict[str, object]:
    soort = str(kw["soort"])
    if soort not in SOORTEN:
        raise ValueError(f"unknown event kind {soort!r}; valid: {', '.join(SOORTEN)}")
    regios = sorted({str(r) for r in (kw.get("van_regio"), kw.get("naar_regio")) if r})
    regios = sorted(set(regios) | set(kw.pop("extra_regios", [])))  # type: ignore[arg-type]
    row = {c: kw.get(c, "") for c in EVENT_COLUMNS}
    row.update(
        gegevens=json.dumps(kw.get("gegevens") or {}, ensure_ascii=False, sort_keys=True),
        samenstelling_gewijzigd=soort in WIJZIGT_SAMENSTELLING,
        regios=",".join(regios),
        oppervlak_km2=kw.get("oppervlak_km2", np.nan),
    )
    return row


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    out["samenstelling_gewijzigd"] = out["samenstelling_gewijzigd"].astype(bool)
    out["oppervlak_km2"] = out["oppervlak_km2"].astype("float64")
    for col in ("van_jaar", "naar_jaar"):
        out[col] = out[col].astype("int64")
    return out


# -- crosswalk ------------------------------------------------------------------------------------
def area_crosswalk(van: gpd.GeoDataFrame, naar: gpd.GeoDataFrame) -> pd.DataFrame:
    """Share of each ``van`` gemeente's area lying in each ``naar`` gemeente (``gewicht``).

    Both frames: ``statcode``, ``statnaam``, geometry in the same metric CRS. Only pairs with a
    positive overlap are returned. Used when :func:`analysis.geo.crosswalk_from_boundaries` is
    not given.
    """
    a = van.reset_index(drop=True)
    b = naar.to_crs(a.crs).reset_index(drop=True)
    ga, gb = np.asarray(a.geometry.values), np.asarray(b.geometry.values)
    i, j = STRtree(gb).query(ga, predicate="intersects")
    area = shapely.area(shapely.intersection(ga[i], gb[j]))
    keep = area > 0
    i, j, area = i[keep], j[keep], area[keep]
    return pd.DataFrame(
        {
            "van_code": a["statcode"].to_numpy()[i],
            "van_naam": a["statnaam"].to_numpy()[i],
            "naar_code": b["statcode"].to_numpy()[j],
            "naar_naam": b["statnaam"].to_numpy()[j],
            "gewicht": area / shapely.area(ga[i]),
            "methode": "oppervlak",
        }
    )


# -- membership method ----------------------------------------------------------------------------
def _components(edges: list[tuple[str, str]]) -> list[set[str]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, v in edges:
        ru, rv = find(u), find(v)
        if ru != rv:
            parent[ru] = rv
    groups: dict[str, set[str]] = {}
    for x in list(parent):
        groups.setdefault(find(x), set()).add(x)
    return list(groups.values())


def membership_events(
    a: pd.DataFrame,
    b: pd.DataFrame,
    crosswalk: pd.DataFrame | None = None,
    *,
    drempels: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Events between two jeugdregio memberships of consecutive years (method ``leden``).

    ``crosswalk`` (``van_code, naar_code, gewicht`` = share of the van gemeente's area) links
    disappeared codes to their successors; without it a disappeared code is paired with new codes
    in the same region, and is otherwise reported as ``opgeheven``.
    """
    min_share = drempel("opvolger_min_aandeel", drempels)
    ya, yb = int(a["jaar"].iloc[0]), int(b["jaar"].iloc[0])
    ra = a.astype({"gemeente_code": "str"}).set_index("gemeente_code")
    rb = b.astype({"gemeente_code": "str"}).set_index("gemeente_code")
    region_name = {
        **ra.drop_duplicates("regio_code").set_index("regio_code")["regio_naam"].to_dict(),
        **rb.drop_duplicates("regio_code").set_index("regio_code")["regio_naam"].to_dict(),
    }
    gm_name = {**ra["gemeente_naam"].to_dict(), **rb["gemeente_naam"].to_dict()}
    rows: list[dict[str, object]] = []
    base = {"van_jaar": ya, "naar_jaar": yb, "methode": "leden"}

    both = ra.index.intersection(rb.index)
    for code in sorted(both):
        va, vb = ra.at[code, "regio_code"], rb.at[code, "regio_code"]
        if va != vb:
            rows.append(
                _event(
                    **base,
                    soort="gewisseld",
                    gemeente_code=code,
                    gemeente_naam=gm_name[code],
                    van_regio=va,
                    van_regio_naam=region_name[va],
                    naar_regio=vb,
                    naar_regio_naam=region_name[vb],
                )
            )

    gone = sorted(set(ra.index) - set(rb.index))
    new = sorted(set(rb.index) - set(ra.index))
    if not gone and not new:
        return _frame(rows)
    edges: list[tuple[str, str]] = []
    if crosswalk is not None and len(crosswalk):
        cw = crosswalk.astype({"van_code": "str", "naar_code": "str"})
        cw = cw[(cw["gewicht"] >= min_share) & (cw["van_code"] != cw["naar_code"])]
        cw = cw[cw["van_code"].isin(ra.index) & cw["naar_code"].isin(rb.index)]
        cw = cw[cw["van_code"].isin(gone) | cw["naar_code"].isin(new)]
        edges = [(f"a:{u}", f"b:{v}") for u, v in zip(cw["van_code"], cw["naar_code"], strict=True)]
    else:  # pair by region: disappeared and new codes of the same region form one herindeling
        for code in gone:
            partners = [n for n in new if rb.at[n, "regio_code"] == ra.at[code, "regio_code"]]
            edges += [(f"a:{code}", f"b:{n}") for n in partners]
    linked = {x for e in edges for x in e}
    groups = _components(edges)
    for code in gone:
        if f"a:{code}" not in linked:
            r = ra.at[code, "regio_code"]
            rows.append(
                _event(
                    **base,
                    soort="opgeheven",
                    gemeente_code=code,
                    gemeente_naam=gm_name[code],
                    van_regio=r,
                    van_regio_naam=region_name[r],
                )
            )
    for code in new:
        if f"b:{code}" not in linked:
            r = rb.at[code, "regio_code"]
            rows.append(
                _event(
                    **base,
                    soort="nieuw",
                    gemeente_code=code,
                    gemeente_naam=gm_name[code],
                    naar_regio=r,
                    naar_regio_naam=region_name[r],
                )
            )
    for group in groups:
        van = sorted(x[2:] for x in group if x.startswith("a:"))
        naar = sorted(x[2:] for x in group if x.startswith("b:"))
        # a continuing code that absorbs others is both predecessor and successor
        van_all = sorted(set(van) | {n for n in naar if n in ra.index})
        regions_van = {ra.at[c, "regio_code"] for c in van_all}
        regions_naar = {rb.at[c, "regio_code"] for c in naar}
        across = len(regions_van | regions_naar) > 1
        split = len(van) == 1 and len(naar) > 1
        kind = ("splitsing" if split else "herindeling") + ("_over_grens" if across else "_binnen")
        involved = sorted(set(van_all) | set(naar))
        common = {
            **base,
            "soort": kind,
            "betrokken_codes": ",".join(involved),
            "betrokken_gemeenten": ", ".join(gm_name[c] for c in involved),
            "extra_regios": sorted(regions_van | regions_naar),
        }
        params = {"van": van, "naar": naar, "namen": {c: gm_name[c] for c in involved}}
        if not across:
            r = next(iter(regions_naar or regions_van))
            rows.append(
                _event(
                    **common,
                    gemeente_code=naar[0] if len(naar) == 1 else van[0],
                    gemeente_naam=gm_name[naar[0] if len(naar) == 1 else van[0]],
                    van_regio=r,
                    van_regio_naam=region_name[r],
                    naar_regio=r,
                    naar_regio_naam=region_name[r],
                    gegevens=params,
                )
            )
            continue
        # across a border: one row per predecessor whose area ends up in another region
        for c in van_all:
            r_from = ra.at[c, "regio_code"]
            targets = (
                [n for n in naar if n in set(crosswalk_targets(crosswalk, c, min_share))]
                if crosswalk is not None
                else naar
            ) or naar
            for t in targets:
                r_to = rb.at[t, "regio_code"]
                if r_to == r_from:
                    continue
                rows.append(
                    _event(
                        **common,
                        gemeente_code=c,
                        gemeente_naam=gm_name[c],
                        van_regio=r_from,
                        van_regio_naam=region_name[r_from],
                        naar_regio=r_to,
                        naar_regio_naam=region_name[r_to],
                        gegevens={**params, "via": t},
                    )
                )
    return _frame(rows)


def crosswalk_targets(crosswalk: pd.DataFrame | None, code: str, min_share: float) -> list[str]:
    """Codes receiving at least ``min_share`` of ``code``'s area (itself included)."""
    if crosswalk is None:
        return []
    sel = crosswalk[(crosswalk["van_code"].astype("str") == code)]
    return sel.loc[sel["gewicht"] >= min_share, "naar_code"].astype("str").tolist()


# -- polygon method -------------------------------------------------------------------------------
def region_transfers(
    a: gpd.GeoDataFrame,
    b: gpd.GeoDataFrame,
    *,
    drempels: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Area of every region of ``a`` that lies in each region of ``b`` (``regio_code`` columns).

    Columns ``van_regio, naar_regio, oppervlak_km2, kern_km2, aandeel_van, aandeel_naar`` and
    ``geometry`` (the piece, EPSG of the input). ``kern_km2`` is the area left after shrinking
    the piece by ``grens_erosie_m``; pieces of the same code have ``van_regio == naar_regio``.
    """
    erosion = drempel("grens_erosie_m", drempels)
    ra = a.reset_index(drop=True)
    rb = b.to_crs(ra.crs).reset_index(drop=True)
    ga, gb = np.asarray(ra.geometry.values), np.asarray(rb.geometry.values)
    i, j = STRtree(gb).query(ga, predicate="intersects")
    pieces = shapely.intersection(ga[i], gb[j])
    area = shapely.area(pieces)
    keep = area > 0
    i, j, pieces, area = i[keep], j[keep], pieces[keep], area[keep]
    core = shapely.area(shapely.buffer(pieces, -erosion))
    return gpd.GeoDataFrame(
        {
            "van_regio": ra["regio_code"].to_numpy()[i],
            "naar_regio": rb["regio_code"].to_numpy()[j],
            "oppervlak_km2": area / 1e6,
            "kern_km2": core / 1e6,
            "aandeel_van": area / shapely.area(ga[i]),
            "aandeel_naar": area / shapely.area(gb[j]),
        },
        geometry=gpd.GeoSeries(pieces, crs=ra.crs),
    )


def _names_of(piece: shapely.Geometry, gemeenten: gpd.GeoDataFrame | None) -> tuple[str, str, bool]:
    """Codes and names of the gemeenten mostly (>= 50 %) inside ``piece``; else the gemeente
    with the largest overlap, flagged as partly inside (third value True)."""
    if gemeenten is None:
        return "", "", False
    geoms = np.asarray(gemeenten.geometry.values)
    hits = STRtree(geoms).query(piece, predicate="intersects")
    if not len(hits):
        return "", "", False
    overlap = shapely.area(shapely.intersection(geoms[hits], piece))
    inside = overlap / shapely.area(geoms[hits])
    codes = gemeenten["statcode"].to_numpy()[hits]
    names = gemeenten["statnaam"].to_numpy()[hits]
    order = np.argsort(-overlap)
    whole = [k for k in order if inside[k] >= 0.5]
    if whole:
        return ",".join(codes[whole]), ", ".join(names[whole]), False
    k = int(order[0])
    return str(codes[k]), str(names[k]), True


def region_events(
    a: gpd.GeoDataFrame | pd.DataFrame,
    b: gpd.GeoDataFrame | pd.DataFrame,
    *,
    van_jaar: int,
    naar_jaar: int,
    boundary_changes: bool = False,
    reference: gpd.GeoDataFrame | None = None,
    reference_jaar: int | None = None,
    drempels: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Region-level events between two years of region polygons (``regio_code, regio_naam``).

    With ``boundary_changes`` every transferred piece whose core reaches ``grens_kern_km2`` is
    reported as ``grenswijziging``, named after the gemeenten of ``reference`` (a gemeente layer
    of year ``reference_jaar``) lying at least half inside it.

    ``regio_gesplitst``: at least two regions of ``b`` each get ``regio_splitsing_aandeel`` of a
    region of ``a`` and the region disappears or one of them is new. ``regio_samengevoegd``: a
    region of ``b`` gets that share of its area from at least two regions of ``a`` of which one
    disappears or the region is new. A continuing region that only gains or loses a piece is a
    boundary change, not a split or join.
    """
    min_core = drempel("grens_kern_km2", drempels)
    split_share = drempel("regio_splitsing_aandeel", drempels)
    base = {"van_jaar": van_jaar, "naar_jaar": naar_jaar, "methode": "grenzen"}
    names = {
        **dict(zip(a["regio_code"], a["regio_naam"], strict=True)),
        **dict(zip(b["regio_code"], b["regio_naam"], strict=True)),
    }
    rows: list[dict[str, object]] = []
    na = dict(zip(a["regio_code"], a["regio_naam"], strict=True))
    nb = dict(zip(b["regio_code"], b["regio_naam"], strict=True))
    for code in sorted(set(na) & set(nb)):
        if str(na[code]).strip() != str(nb[code]).strip():
            rows.append(
                _event(
                    **base,
                    soort="regionaam",
                    van_regio=code,
                    van_regio_naam=na[code],
                    naar_regio=code,
                    naar_regio_naam=nb[code],
                )
            )
    has_geometry = isinstance(a, gpd.GeoDataFrame) and isinstance(b, gpd.GeoDataFrame)
    transfers = region_transfers(a, b, drempels=drempels) if has_geometry else None
    for code in sorted(set(na) - set(nb)):
        dest: list[str] = []
        if transfers is not None:
            t = transfers[(transfers["van_regio"] == code) & (transfers["kern_km2"] >= min_core)]
            dest = [str(c) for c in t["naar_regio"]]
        rows.append(
            _event(
                **base,
                soort="regio_opgeheven",
                van_regio=code,
                van_regio_naam=na[code],
                gegevens={"naar": dest, "namen": {c: names[c] for c in dest}},
            )
        )
    for code in sorted(set(nb) - set(na)):
        rows.append(
            _event(
                **base,
                soort="regio_nieuw",
                naar_regio=code,
                naar_regio_naam=nb[code],
            )
        )
    if transfers is None:
        return _frame(rows)
    big = transfers[transfers["aandeel_van"] >= split_share]
    for code, t in big.groupby("van_regio"):
        structural = code not in nb or any(c not in na for c in t["naar_regio"])
        if len(t) >= 2 and structural:
            dest = [str(c) for c in t["naar_regio"]]
            rows.append(
                _event(
                    **base,
                    soort="regio_gesplitst",
                    van_regio=code,
                    van_regio_naam=na[code],
                    naar_regio=code if code in nb else "",
                    naar_regio_naam=nb.get(code, ""),
                    extra_regios=list(t["naar_regio"]),
                    gegevens={"naar": dest, "namen": {c: names[c] for c in dest}},
                )
            )
    big = transfers[transfers["aandeel_naar"] >= split_share]
    for code, t in big.groupby("naar_regio"):
        structural = code not in na or any(c not in nb for c in t["van_regio"])
        if len(t) >= 2 and structural:
            src = [str(c) for c in t["van_regio"]]
            rows.append(
                _event(
                    **base,
                    soort="regio_samengevoegd",
                    naar_regio=code,
                    naar_regio_naam=nb[code],
                    extra_regios=list(t["van_regio"]),
                    gegevens={"van": src, "namen": {c: names[c] for c in src}},
                )
            )
    if boundary_changes:
        moved = transfers[
            (transfers["van_regio"] != transfers["naar_regio"])
            & (transfers["kern_km2"] >= min_core)
            & transfers["van_regio"].isin(nb)
            & transfers["naar_regio"].isin(na)
        ]
        for r in moved.sort_values("oppervlak_km2", ascending=False).itertuples():
            codes, gm, deels = _names_of(r.geometry, reference)
            rows.append(
                _event(
                    **base,
                    soort="grenswijziging",
                    van_regio=r.van_regio,
                    van_regio_naam=names[r.van_regio],
                    naar_regio=r.naar_regio,
                    naar_regio_naam=names[r.naar_regio],
                    betrokken_codes=codes,
                    betrokken_gemeenten=gm,
                    oppervlak_km2=float(r.oppervlak_km2),
                    gegevens={
                        "deels": deels,
                        "indeling_jaar": int(reference_jaar) if reference_jaar else None,
                    },
                )
            )
    return _frame(rows)


# -- timeline -------------------------------------------------------------------------------------
def change_timeline(
    memberships: Mapping[int, pd.DataFrame],
    regions: Mapping[int, gpd.GeoDataFrame],
    gemeenten: Mapping[int, gpd.GeoDataFrame] | None = None,
    *,
    crosswalks: Mapping[tuple[int, int], pd.DataFrame] | None = None,
    drempels: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """All events between consecutive years of ``regions``/``memberships``, oldest first.

    ``regions`` maps a year to region polygons (``regio_code, regio_naam, geometry``);
    ``memberships`` and ``gemeenten`` (gemeente layer per year) enable the ``leden`` method.
    ``result.attrs["overgangen"]`` lists each year pair with the method used.
    """
    gemeenten = gemeenten or {}
    crosswalks = crosswalks or {}
    years = sorted(set(regions) | set(memberships))
    frames, transitions = [], []
    gm_years = sorted(gemeenten)
    for y0, y1 in zip(years[:-1], years[1:], strict=True):
        by_members = y0 in memberships and y1 in memberships
        if by_members:
            cw = crosswalks.get((y0, y1))
            if cw is None and y0 in gemeenten and y1 in gemeenten:
                cw = area_crosswalk(gemeenten[y0], gemeenten[y1])
            frames.append(
                membership_events(memberships[y0], memberships[y1], cw, drempels=drempels)
            )
        if y0 in regions and y1 in regions:
            ref_year = min(gm_years, key=lambda y: (abs(y - y1), -y)) if gm_years else None
            frames.append(
                region_events(
                    regions[y0],
                    regions[y1],
                    van_jaar=y0,
                    naar_jaar=y1,
                    boundary_changes=not by_members,
                    reference=gemeenten.get(ref_year) if ref_year else None,
                    reference_jaar=ref_year,
                    drempels=drempels,
                )
            )
        elif not by_members:
            transitions.append({"van_jaar": y0, "naar_jaar": y1, "methode": "geen"})
            continue
        transitions.append(
            {"van_jaar": y0, "naar_jaar": y1, "methode": "leden" if by_members else "grenzen"}
        )
    frames = [f for f in frames if len(f)]
    out = pd.concat(frames, ignore_index=True) if frames else _frame([])
    out = out.sort_values(
        ["van_jaar", "samenstelling_gewijzigd", "soort"], ascending=[True, False, True]
    )
    out = out.reset_index(drop=True)
    out.attrs["overgangen"] = transitions
    return out


def events_for_region(timeline: pd.DataFrame, regio_code: str) -> pd.DataFrame:
    """Events that involve ``regio_code`` (as source, destination or participant)."""
    hit = timeline["regios"].astype("str").str.split(",").apply(lambda r: regio_code in r)
    return timeline[hit].reset_index(drop=True)


def events_for_gemeente(timeline: pd.DataFrame, gemeente_code: str) -> pd.DataFrame:
    """Events that name ``gemeente_code`` (itself, or among the gemeenten of a herindeling)."""
    direct = timeline["gemeente_code"].astype("str") == gemeente_code
    involved = (
        timeline["betrokken_codes"].astype("str").str.split(",").apply(lambda c: gemeente_code in c)
    )
    return timeline[direct | involved].reset_index(drop=True)


def composition_changed(
    timeline: pd.DataFrame,
    jaar: int,
    *,
    drempels: Mapping[str, float] | None = None,
) -> pd.Series:
    """Region code -> True when its composition changed within the window ending in ``jaar``."""
    window = drempel("venster_jaren", drempels)
    t = timeline[
        timeline["samenstelling_gewijzigd"]
        & (timeline["naar_jaar"] <= jaar)
        & (timeline["naar_jaar"] > jaar - window)
    ]
    codes = sorted({c for r in t["regios"].astype("str") for c in r.split(",") if c})
    return pd.Series(True, index=pd.Index(codes, name="regio_code"), dtype=bool)
