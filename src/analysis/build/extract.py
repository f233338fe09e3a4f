"""Periods, regions, value checks and measure extraction from a snapshot."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import registry
from analysis.build.model import STATUS, BuildError
from analysis.cbs import snapshot
from analysis.cbs.keys import (
    DIMENSION_TYPES,
    AmbiguousKey,
    KeyNotFound,
    TableMeta,
    strip_key,
)
from analysis.metadata.periods import MAAND_NUMMER
from analysis.metadata.regions import (
    NEDERLAND,
    NIVEAU,
    region_level,
)
from analysis.metadata.schema import COLUMNS

# ---------------------------------------------------------------------------------------
# periods and regions
# ---------------------------------------------------------------------------------------


def parse_period(key: str, title: str = "") -> tuple[str, str, int] | None:
    """CBS period key → (periode, periode_type, jaar); None for periods we don't use."""
    key = strip_key(key)
    m = re.fullmatch(r"(\d{4})JJ00", key)
    if m:
        return m.group(1), "jaar", int(m.group(1))
    m = re.fullmatch(r"(\d{4})HJ0([12])", key)
    if m:
        return f"{m.group(1)}H{m.group(2)}", "halfjaar", int(m.group(1))
    m = re.search(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})", title.lower())
    if m and m.group(2) in MAAND_NUMMER:
        y, mo, d = int(m.group(3)), MAAND_NUMMER[m.group(2)], int(m.group(1))
        return f"{y:04d}-{mo:02d}-{d:02d}", "peildatum", y
    return None


def normalise_region(code: str) -> str:
    """Nederland is ``regions.NEDERLAND`` (``NL01``) in the processed layer, whatever the
    table calls it."""
    code = strip_key(code)
    return NEDERLAND if code.startswith("NL") else code


# ---------------------------------------------------------------------------------------
# extraction
# ---------------------------------------------------------------------------------------


def _periods(meta: TableMeta, spec: registry.Table) -> pd.DataFrame:
    pdim = meta.period_dimension()
    rows = []
    if pdim is not None and spec.table_year is None:
        for p in meta.categories(pdim):
            parsed = parse_period(p["Key"], p.get("Title") or "")
            if parsed is None:
                continue
            status = STATUS.get(str(p.get("Status") or "definitief").strip().lower(), "definitief")
            rows.append((p["Key"], *parsed, status))
    return pd.DataFrame(rows, columns=["_pkey", "periode", "periode_type", "jaar", "status"])


#: ``DataProperties.Datatype`` of numeric topics
NUMERIC_TYPES = {"Double", "Float", "Long", "Integer", "Decimal", "Int32", "Int64", "Short"}
#: CBS's own suppression marker in the untyped data set (the typed one has ``null``)
SUPPRESSED_MARKERS = {"."}


def _row_key(row: pd.Series, dims: list[str]) -> str:
    return ", ".join(f"{d}={str(row[d]).strip()}" for d in dims)


def check_values(spec: registry.Table, meta: TableMeta, data: pd.DataFrame, folder: Path) -> None:
    """Refuse data CBS would never deliver: duplicate key rows and unparsable numbers.

    Only CBS's own markers mean "suppressed": ``null`` in the typed data set and ``.`` in the
    untyped one. Any other value of a numeric topic that is not a number, and two rows with the
    same dimension keys, are a :class:`BuildError` naming table, key, value and snapshot.
    """
    dims = [p["Key"] for p in meta.properties if p.get("Type") in DIMENSION_TYPES]
    dims = [d for d in dims if d in data.columns]
    where = f"snapshot {folder}"
    todo = "the table cannot be built; check it on the server it came from (manifest base_url)"
    if dims and len(data):
        dup = data.duplicated(dims, keep=False)
        if dup.any():
            first = data[dup].iloc[0]
            raise BuildError(
                f"table {spec.id}: {int(dup.sum())} rows share their key "
                f"(e.g. {_row_key(first, dims)}) in {where}; {todo}"
            )
    numeric = [
        p["Key"]
        for p in meta.properties
        if p.get("Type") == "Topic" and p.get("Datatype") in NUMERIC_TYPES and p["Key"] in data
    ]
    for col in numeric:
        values = data[col]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            continue
        present = values[values.notna()]
        as_text = present.map(lambda v: v.strip() if isinstance(v, str) else v)
        marker = as_text.isin(SUPPRESSED_MARKERS)
        parsed = pd.to_numeric(as_text[~marker], errors="coerce")
        is_bool = as_text[~marker].map(lambda v: isinstance(v, bool))
        bad = parsed.isna() | is_bool
        if bad.any():
            idx = bad[bad].index[0]
            raise BuildError(
                f"table {spec.id}: value {present[idx]!r} of {col} at "
                f"{_row_key(data.loc[idx], dims)} is not a number and not a CBS suppression "
                f"marker (null or '.'); {int(bad.sum())} such values in {where}; {todo}"
            )


def _skip_text(spec: registry.Table, m: registry.Measure, exc: KeyNotFound) -> str:
    """Dutch sentence for a report: what was not found, for which indicator, what is there."""
    label = registry.indicator(m.indicator).label
    present = "; ".join(exc.present[:15]) + (" …" if len(exc.present) > 15 else "")
    return (
        f"niet gevonden in {spec.id}: {exc.what or 'sleutel'} voor '{label}'; aanwezig: {present}"
    )


def extract_measures(
    spec: registry.Table, folder: Path, skipped: list[dict] | None = None
) -> pd.DataFrame:
    """All declared measures of one snapshot, long form, on the table's own classification.

    With ``skipped`` given, a measure whose topic, dimension or category is not in the table
    (:class:`KeyNotFound`), or whose selection covers fewer region-periods than the rest of the
    table (a cut download), is left out and described in ``skipped``; every other measure is
    built. Without it, the first such measure raises. A pattern that matches several keys
    (:class:`AmbiguousKey`) always raises.
    """
    meta = snapshot.load_meta(folder)
    manifest = snapshot.read_manifest(folder)
    data = snapshot.load_data(folder)
    check_values(spec, meta, data, folder)
    rdim = meta.region_dimension()
    names = meta.category_titles(rdim)
    data["_code"] = data[rdim].map(strip_key)
    # wijk rows only from tables that declare them (they go to wijken.parquet, see wijken.py)
    levels = [p for p in NIVEAU if p != "WK" or "WK" in spec.regions]
    data = data[data["_code"].str[:2].isin(levels)]
    pdim = meta.period_dimension()
    periods = _periods(meta, spec)
    if spec.table_year is not None or pdim is None:
        year = spec.table_year or int(spec.years[0])
        data = data.assign(
            _pkey="", periode=str(year), periode_type="jaar", jaar=year, status="definitief"
        )
    else:
        data = data.rename(columns={pdim: "_pkey"}).merge(periods, on="_pkey", how="inner")
    cells = data[["_code", "_pkey"]].drop_duplicates()

    out = []
    for m in spec.measures:
        try:
            topic = meta.topic(m.topic, group=m.group)
            extra_topics = [(meta.topic(p, group=m.group), w) for p, w in m.plus]
            sel = data
            n_expected = 1
            for dim_pattern, cat_pattern in m.where.items():
                dim = meta.dimension(dim_pattern)
                keys = meta.category_keys(dim, cat_pattern)
                if len(keys) > 1 and not m.sum_categories:
                    titles = [meta.category_titles(dim)[strip_key(k)] for k in keys]
                    raise AmbiguousKey(
                        f"{spec.id}: {cat_pattern!r} selects {len(keys)} categories of {dim} "
                        f"({'; '.join(titles)}); the registry expects exactly one"
                    )
                n_expected *= len(keys)
                sel = sel[sel[dim].isin(keys)]
        except KeyNotFound as exc:
            if skipped is None:
                raise
            skipped.append(
                {
                    "tabel": spec.id,
                    "indicator": m.indicator,
                    "reden": "niet gevonden",
                    "tekst": _skip_text(spec, m, exc),
                    "detail": str(exc),
                }
            )
            continue
        have = sel[["_code", "_pkey"]].drop_duplicates()
        if skipped is not None and len(have) < len(cells):
            label = registry.indicator(m.indicator).label
            skipped.append(
                {
                    "tabel": spec.id,
                    "indicator": m.indicator,
                    "reden": "onvolledig",
                    "tekst": (
                        f"onvolledig in {spec.id}: '{label}' heeft {len(have)} van de "
                        f"{len(cells)} regio-perioden van de tabel (afgebroken download?)"
                    ),
                    "detail": f"{spec.id}: {m.indicator}: {len(have)} of {len(cells)} "
                    "region-periods present",
                }
            )
            continue
        vals = pd.to_numeric(sel[topic], errors="coerce")
        for extra, weight in extra_topics:
            vals = vals + weight * pd.to_numeric(sel[extra], errors="coerce")
        agg = (
            pd.DataFrame({"v": vals, "n": vals.notna()})
            .groupby([sel[c] for c in ["_code", "periode", "periode_type", "jaar", "status"]])
            .agg(v=("v", "sum"), n=("n", "sum"), size=("v", "size"))
            .reset_index()
        )
        complete = (agg["n"] == n_expected) & (agg["size"] == n_expected)
        agg["waarde"] = agg["v"].where(complete, np.nan).astype("float64")
        agg["indicator"] = m.indicator
        agg["eenheid"] = meta.topic_unit(topic) or registry.indicator(m.indicator).eenheid
        out.append(agg.drop(columns=["v", "n", "size"]))
    if not out:
        return pd.DataFrame(columns=COLUMNS)
    df = pd.concat(out, ignore_index=True).rename(columns={"_code": "regio_code"})
    df["regio_naam"] = df["regio_code"].map(names).fillna("")
    df["regio_niveau"] = df["regio_code"].map(region_level)
    df["regio_code"] = df["regio_code"].map(normalise_region)
    df["indeling_jaar"] = df["jaar"].astype("int64")
    df["onderdrukt"] = df["waarde"].isna()
    df["bron"] = spec.id
    df["bron_modified"] = manifest.get("modified", "")
    df["reeks"] = spec.segment or spec.reeks
    df["berekend"] = False
    df["dekking"] = 1.0
    return df[COLUMNS]
