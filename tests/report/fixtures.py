"""A small but realistic processed dataset ("Testland") that follows docs/data-contract.md.

Seven gemeenten (GM9001-GM9007) in two jeugdregio's (JZ91, JZ92) and two provincies, two
classification years (2023, 2024; GM9004 moves from JZ92 to JZ91 in 2024), yearly periods
2015-2023 with a series break between 2020 and 2021 (two ``reeks`` values), 2022 ``nader
voorlopig`` and 2023 ``voorlopig``, a provisional half-year 2023H1, suppressed cells (NaN with
``onderdrukt``) and small counts for the small gemeente GM9003, published NL01 rows, jeugdregio
rows for jeugdzorg from 2021, and square gemeente boundaries for 2024 (TopoJSON, WGS84) in
``raw/geo`` -- none for 2023, so maps of the 2023 classification must fall back to 2024.

Test files import it as ``tests.report.fixtures`` (relative: ``from . import fixtures``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.metadata import schema

GEMEENTEN = {
    # code: (naam, inwoners 2023, jeugdregio 2024, jeugdregio 2023, provincie)
    "GM9001": ("Grootstad", 262_000, "JZ91", "JZ91", "PV91"),
    "GM9002": ("Havendam", 61_000, "JZ91", "JZ91", "PV91"),
    "GM9003": ("Kleindorp", 7_800, "JZ91", "JZ91", "PV91"),
    "GM9004": ("Veenhoven", 55_500, "JZ91", "JZ92", "PV92"),
    "GM9005": ("Bergstede", 31_000, "JZ92", "JZ92", "PV92"),
    "GM9006": ("Lindewaard", 52_300, "JZ92", "JZ92", "PV92"),
    "GM9007": ("Oosterbroek", 14_900, "JZ92", "JZ92", "PV92"),
}
JEUGDREGIOS = {"JZ91": "Regio Noord", "JZ92": "Regio Zuid"}
PROVINCIES = {"PV91": "Noordland", "PV92": "Zuidland"}
JAREN = tuple(range(2015, 2024))
INDELING_JAREN = (2023, 2024)
#: per 1 000 youth in 2015-2020 / 2021- (the second series counts more providers)
BASIS = {
    "jongeren_met_jeugdhulp": (80.0, 100.0),
    "jongeren_met_jeugdbescherming": (8.0, 7.0),
    "jongeren_met_jeugdreclassering": (2.0, 1.6),
}
#: table id by "is the old series (2015-2020)"
BRON = {True: "84134NED", False: "85099NED"}


def _status(periode: str) -> str:
    if periode.startswith("2023"):
        return "voorlopig"
    if periode.startswith("2022"):
        return "nader voorlopig"
    return "definitief"


def _reeks(jaar: int) -> str:
    return "jeugdzorg_2015_2020" if jaar <= 2020 else "jeugdzorg_2021_heden"


def _counts(rng: np.random.Generator, code: str, jeugd: float, jaar: int) -> dict[str, float]:
    """Plausible counts for one gemeente and year (consistent: zonder + met = jeugdhulp)."""
    new = jaar >= 2021
    factor = 1.0 + 0.03 * (jaar - 2015) + (0.25 if code == "GM9001" else 0.0)
    factor *= rng.uniform(0.9, 1.1)
    jh = round(jeugd * BASIS["jongeren_met_jeugdhulp"][new] / 1000 * factor)
    met = round(jh * (0.06 if code != "GM9003" else 0.004))
    jb = round(jeugd * BASIS["jongeren_met_jeugdbescherming"][new] / 1000 * rng.uniform(0.8, 1.2))
    jr = round(jeugd * BASIS["jongeren_met_jeugdreclassering"][new] / 1000 * rng.uniform(0.8, 1.2))
    return {
        "jongeren_met_jeugdhulp": jh,
        "jongeren_met_jeugdhulp_met_verblijf": met,
        "jongeren_met_jeugdhulp_zonder_verblijf": jh - met,
        "jongeren_met_jeugdbescherming": jb,
        "jongeren_met_jeugdreclassering": jr,
        "jongeren_met_jeugdzorg": jh + round(0.6 * jb) + round(0.5 * jr),
    }


def _suppressed(code: str, indicator: str, periode: str) -> bool:
    if code != "GM9003":
        return False
    if indicator in ("jongeren_met_jeugdbescherming", "jongeren_met_jeugdreclassering"):
        return True
    return indicator == "jongeren_met_jeugdhulp_met_verblijf" and periode == "2023"


def _row(
    code,
    naam,
    niveau,
    indeling_jaar,
    periode,
    jaar,
    indicator,
    waarde,
    *,
    bron,
    reeks="",
    berekend=False,
    dekking=1.0,
    onderdrukt=False,
    ptype="jaar",
    status=None,
):
    return {
        "regio_code": code,
        "regio_naam": naam,
        "regio_niveau": niveau,
        "indeling_jaar": indeling_jaar,
        "periode": periode,
        "periode_type": ptype,
        "jaar": jaar,
        "indicator": indicator,
        "waarde": np.nan if onderdrukt else float(waarde),
        "eenheid": "aantal",
        "status": status or _status(periode),
        "onderdrukt": onderdrukt,
        "bron": bron,
        "bron_modified": "2025-06-30T02:00:00",
        "reeks": reeks,
        "berekend": berekend,
        "dekking": dekking,
    }


def build_frames(seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(indicators, regio_indeling) of Testland."""
    rng = np.random.default_rng(seed)
    rows: list[dict] = []
    true: dict[tuple[str, str], dict[str, float]] = {}
    for code, (_naam, inw, *_rest) in GEMEENTEN.items():
        for jaar in JAREN:
            bev = round(inw * (1 + 0.004 * (jaar - 2023)))
            jeugd = round(bev * (0.19 if code != "GM9001" else 0.17))
            counts = _counts(rng, code, jeugd, jaar)
            true[(code, str(jaar))] = {"bevolking_totaal": bev, "bevolking_0_17": jeugd, **counts}
            if jaar == 2023:  # first half-year, about 80 % of the year's unique youth
                true[(code, "2023H1")] = {
                    "jongeren_met_jeugdhulp": round(counts["jongeren_met_jeugdhulp"] * 0.8)
                }
    for indeling_jaar in INDELING_JAREN:
        for (code, periode), values in true.items():
            naam = GEMEENTEN[code][0]
            jaar = int(periode[:4])
            published = jaar == indeling_jaar or indeling_jaar == 2023
            if indeling_jaar == 2023 and jaar != 2023:
                continue  # the 2023 classification only has its own year as published
            for ind, val in values.items():
                pop = ind.startswith("bevolking")
                rows.append(
                    _row(
                        code,
                        naam,
                        "gemeente",
                        indeling_jaar,
                        periode,
                        jaar,
                        ind,
                        val,
                        bron="03759ned" if pop else BRON[jaar <= 2020],
                        reeks="" if pop else _reeks(jaar),
                        berekend=not published,
                        onderdrukt=_suppressed(code, ind, periode),
                        ptype="halfjaar" if "H" in periode else "jaar",
                        status="definitief" if pop else None,
                    )
                )
    # Nederland: published totals include youth that cannot be assigned to a gemeente (+1 %)
    for indeling_jaar in INDELING_JAREN:
        for periode in sorted({p for _, p in true}):
            jaar = int(periode[:4])
            if indeling_jaar == 2023 and jaar != 2023:
                continue
            inds = {i for (c, p), v in true.items() if p == periode for i in v}
            for ind in sorted(inds):
                total = sum(v[ind] for (c, p), v in true.items() if p == periode)
                pop = ind.startswith("bevolking")
                rows.append(
                    _row(
                        "NL01",
                        "Nederland",
                        "land",
                        indeling_jaar,
                        periode,
                        jaar,
                        ind,
                        total if pop else round(total * 1.01),
                        bron="03759ned" if pop else BRON[jaar <= 2020],
                        reeks="" if pop else _reeks(jaar),
                        ptype="halfjaar" if "H" in periode else "jaar",
                        status="definitief" if pop else None,
                    )
                )
    # jeugdregio rows: youth population (aggregated) and jeugdzorg from 2021 (published)
    for jz, jz_naam in JEUGDREGIOS.items():
        members = [c for c, v in GEMEENTEN.items() if v[2] == jz]
        for jaar in JAREN:
            pop = sum(true[(c, str(jaar))]["bevolking_0_17"] for c in members)
            rows.append(
                _row(
                    jz,
                    jz_naam,
                    "jeugdregio",
                    2024,
                    str(jaar),
                    jaar,
                    "bevolking_0_17",
                    pop,
                    bron="berekend",
                    berekend=True,
                    status="definitief",
                )
            )
            if jaar >= 2021:
                n = sum(true[(c, str(jaar))]["jongeren_met_jeugdzorg"] for c in members)
                rows.append(
                    _row(
                        jz,
                        jz_naam,
                        "jeugdregio",
                        2024,
                        str(jaar),
                        jaar,
                        "jongeren_met_jeugdzorg",
                        n,
                        bron="85100NED",
                        reeks=_reeks(jaar),
                    )
                )
    ind = schema.coerce(pd.DataFrame(rows), schema.INDICATORS)

    mem = []
    for jaar in INDELING_JAREN:
        for code, (naam, _inw, jz24, jz23, pv) in GEMEENTEN.items():
            jz = jz24 if jaar == 2024 else jz23
            mem.append(
                (
                    jaar,
                    code,
                    naam,
                    "jeugdregio",
                    jz,
                    JEUGDREGIOS[jz],
                    "gebieden_in_nederland",
                    "85385NED",
                )
            )
            mem.append(
                (
                    jaar,
                    code,
                    naam,
                    "provincie",
                    pv,
                    PROVINCIES[pv],
                    "gebieden_in_nederland",
                    "85385NED",
                )
            )
    indeling = schema.coerce(pd.DataFrame(mem, columns=schema.INDELING_COLUMNS), schema.INDELING)
    return ind, indeling


def topojson_squares(
    name: str, features: dict[str, str], *, origin=(5.0, 52.0), size: float = 0.1, per_row: int = 4
) -> dict:
    """A valid (unquantised) TopoJSON document with one square per code (lon/lat)."""
    arcs, geometries = [], []
    for i, (code, naam) in enumerate(features.items()):
        x0 = origin[0] + (i % per_row) * size
        y0 = origin[1] + (i // per_row) * size
        ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
        arcs.append(ring)
        geometries.append(
            {"type": "Polygon", "arcs": [[i]], "properties": {"statcode": code, "statnaam": naam}}
        )
    return {
        "type": "Topology",
        "objects": {name: {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }


def write_dataset(root: Path, *, with_geo: bool = True, seed: int = 7) -> Path:
    """Write Testland under ``root`` (processed/ and raw/geo/); returns ``root``."""
    root = Path(root)
    processed = root / "processed"
    processed.mkdir(parents=True, exist_ok=True)
    ind, indeling = build_frames(seed)
    ind.to_parquet(processed / "indicators.parquet", index=False)
    indeling.to_parquet(processed / "regio_indeling.parquet", index=False)
    sources = [
        {
            "table_id": tid,
            "catalog": "opendata",
            "title": title,
            "modified": "2025-06-30T02:00:00",
            "retrieved_at": "2026-01-10T12:00:00+01:00",
            "files": [],
            "synthetic": True,
        }
        for tid, title in (
            ("84134NED", "Kerncijfers over jeugdzorg, 2015-2020"),
            ("85099NED", "Kerncijfers over jeugdzorg"),
            ("03759ned", "Bevolking op 1 januari en gemiddeld; geslacht, leeftijd en regio"),
        )
    ]
    if with_geo:
        geo = root / "raw" / "geo"
        geo.mkdir(parents=True, exist_ok=True)
        gem = {c: v[0] for c, v in GEMEENTEN.items()}
        doc = topojson_squares("gemeente_2024", gem)
        (geo / "gemeente_2024.topojson").write_text(json.dumps(doc), encoding="utf-8")
        sources.append(
            {
                "kind": "geo",
                "name": "gemeente_2024.topojson",
                "url": "tests/report/fixtures.py",
                "retrieved_at": "2026-01-10T12:00:00+01:00",
                "sha256": "0" * 64,
                "synthetic": True,
            }
        )
    (processed / "sources.json").write_text(json.dumps(sources, indent=2), encoding="utf-8")
    return root


def context(data_dir: Path, kind: str = "gemeente", code: str | None = "GM9003", **kw):
    """``store.report_context`` on a Testland data dir (year 2023, profile demoland)."""
    from analysis import store

    params = {"jaar": 2023, "indeling_jaar": None, "profiel": "demoland"} | kw
    return store.report_context(
        kind,
        code,
        params["jaar"],
        params["indeling_jaar"],
        data_dir,
        params["profiel"],
        params.get("vergelijkingsgroep"),
    )
