"""Raw snapshots → the processed layer (see ``docs/data-contract.md``).

Steps, each reading only the one before it:

1. memberships gemeente → region per year: CBS "Gebieden in Nederland" where a snapshot
   exists, otherwise derived from boundaries (interior point in polygon); method recorded;
2. every declared measure of every build table, resolved by title from the snapshot's own
   metadata, in tidy long form on the classification of its own year (codes stripped, labels
   beside them, suppressed cells NaN + ``onderdrukt``, period status kept);
3. gemeente counts restated onto the reference classification (boundary crosswalk), with a
   conservation check on national totals;
4. additive counts summed from gemeenten to jeugdregio, provincie (and land when CBS gives
   none), with the coverage of each sum;
5. atomic writes of ``indicators.parquet``, ``regio_indeling.parquet``, ``sources.json`` and
   ``build_report.json``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import atomic, registry
from analysis.cbs import snapshot
from analysis.cbs.keys import (
    AmbiguousKey,
    KeyNotFound,
    KeyResolutionError,
    TableMeta,
    strip_key,
)
from analysis.config import Settings
from analysis.geo.boundaries import LAYERS
from analysis.geo.membership import MEMBERSHIP_COLUMNS
from analysis.report.text import MAANDEN

log = logging.getLogger("analysis.build")

NIVEAU = {"GM": "gemeente", "JZ": "jeugdregio", "PV": "provincie", "NL": "land", "WK": "wijk"}
STATUS = {
    "definitief": "definitief",
    "voorlopig": "voorlopig",
    "nader voorlopig": "nader voorlopig",
}
#: division name -> pattern of its TopicGroup title in "Gebieden in Nederland"
GEBIEDEN_GROUPS = {
    "jeugdregio": r"^Jeugd(zorg)?regio",
    "provincie": r"^Provincie",
    "arbeidsmarktregio": r"^Arbeidsmarktregio",
    "ggdregio": r"^GGD",
    "veiligheidsregio": r"^Veiligheidsregio",
    "zorgkantoorregio": r"^Zorgkantoorregio",
}
BOUNDARY_DIVISIONS = tuple(layer for layer in LAYERS if layer != "gemeente")
COLUMNS = [
    "regio_code",
    "regio_naam",
    "regio_niveau",
    "indeling_jaar",
    "periode",
    "periode_type",
    "jaar",
    "indicator",
    "waarde",
    "eenheid",
    "status",
    "onderdrukt",
    "bron",
    "bron_modified",
    "reeks",
    "berekend",
    "dekking",
]


#: what identifies a value apart from its region: restating or summing keeps these intact
VALUE_KEYS = (
    "periode",
    "periode_type",
    "jaar",
    "indicator",
    "eenheid",
    "status",
    "bron",
    "bron_modified",
    "reeks",
)


class BuildError(RuntimeError):
    """The processed layer cannot be built from the snapshots at hand."""


@dataclass
class BuildReport:
    tables: dict[str, str] = field(default_factory=dict)  # table id -> snapshot folder
    rows: int = 0
    indeling_jaar: int | None = None
    warnings: list[str] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    #: indicators a table should have given but did not (pattern not found, cut download):
    #: {"tabel", "indicator", "reden", "tekst" (Dutch, for reports), "detail"}
    skipped: list[dict] = field(default_factory=list)
    #: CBS's own jeugdregio/provincie figures against the sum of their gemeenten
    regiototalen: list[dict] = field(default_factory=list)

    @property
    def skipped_indicators(self) -> list[str]:
        """Indicators that no table could provide (skipped and not built from another)."""
        return sorted({s["indicator"] for s in self.skipped if not s.get("elders_gebouwd")})

    def warn(self, msg: str) -> None:
        log.warning(msg)
        self.warnings.append(msg)

    def check(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append({"check": name, "ok": bool(ok), "detail": detail})
        if not ok:
            self.warn(f"check failed: {name}: {detail}")


# ---------------------------------------------------------------------------------------
# periods and regions
# ---------------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(MAANDEN, 1)}


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
    if m and m.group(2) in _MONTHS:
        y, mo, d = int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1))
        return f"{y:04d}-{mo:02d}-{d:02d}", "peildatum", y
    return None


def region_level(code: str) -> str | None:
    return NIVEAU.get(code[:2])


def normalise_region(code: str) -> str:
    """Nederland is ``NL01`` in the processed layer, whatever the table calls it."""
    code = strip_key(code)
    return "NL01" if code.startswith("NL") else code


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
    df["reeks"] = spec.reeks or spec.series
    df["berekend"] = False
    df["dekking"] = 1.0
    return df[COLUMNS]


def memberships_from_gebieden(spec: registry.Table, folder: Path) -> pd.DataFrame:
    """gemeente → region memberships from a 'Gebieden in Nederland' snapshot."""
    meta = snapshot.load_meta(folder)
    data = snapshot.load_data(folder)
    rdim = meta.region_dimension()
    names = meta.category_titles(rdim)
    data["gemeente_code"] = data[rdim].map(strip_key)
    data = data[data["gemeente_code"].str.startswith("GM")]
    frames = []
    for indeling, pattern in GEBIEDEN_GROUPS.items():
        try:
            topics = meta.group_topics(pattern)
        except KeyResolutionError:
            continue
        code_key = next((k for t, k in topics.items() if re.fullmatch(r"(?i)code", t)), None)
        naam_key = next((k for t, k in topics.items() if re.fullmatch(r"(?i)naam", t)), None)
        if code_key is None:
            continue
        frames.append(
            pd.DataFrame(
                {
                    "jaar": int(spec.table_year or spec.years[0]),
                    "gemeente_code": data["gemeente_code"].to_numpy(),
                    "gemeente_naam": data["gemeente_code"].map(names).to_numpy(),
                    "indeling": indeling,
                    "regio_code": data[code_key].map(strip_key).to_numpy(),
                    "regio_naam": (
                        data[naam_key].map(lambda s: " ".join(str(s).split()))
                        if naam_key
                        else data[code_key].map(strip_key)
                    ).to_numpy(),
                    "methode": "gebieden_in_nederland",
                    "bron": spec.id,
                }
            )
        )
    if not frames:
        raise KeyResolutionError(f"{spec.id}: no region columns found in Gebieden in Nederland")
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------------------
# geography
# ---------------------------------------------------------------------------------------


def boundary_memberships(
    years: Iterable[int], settings: Settings, report: BuildReport
) -> pd.DataFrame:
    """Memberships derived from cached boundaries, for every division-year available."""
    from analysis import geo

    frames = []
    gm_years = set(geo.available_years("gemeente", settings=settings))
    for year in sorted(set(years) & gm_years):
        for division in BOUNDARY_DIVISIONS:
            if year not in geo.available_years(division, settings=settings):
                continue
            frames.append(geo.load_membership(division, year, settings=settings))
    if not frames:
        report.warn("no boundary layers cached: memberships only from Gebieden in Nederland")
        return pd.DataFrame(columns=MEMBERSHIP_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def combine_memberships(official: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """Prefer CBS 'Gebieden in Nederland'; fill division-years it lacks from boundaries."""
    if official.empty:
        return derived.reset_index(drop=True)
    have = set(zip(official["jaar"], official["indeling"], strict=True))
    keep = [(j, i) not in have for j, i in zip(derived["jaar"], derived["indeling"], strict=True)]
    return pd.concat([official, derived[keep]], ignore_index=True)


# ---------------------------------------------------------------------------------------
# harmonisation and aggregation
# ---------------------------------------------------------------------------------------


def _additive_gemeente_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Gemeente rows of additive indicators (counts, amounts); never shares."""
    additive = {i.id for i in registry.INDICATORS if i.additief}
    keep = (
        df["regio_niveau"].eq("gemeente") & df["eenheid"].ne("%") & df["indicator"].isin(additive)
    )
    return df[keep]


def harmonise(
    df: pd.DataFrame,
    ref_year: int,
    settings: Settings,
    report: BuildReport,
    crosswalks: dict[int, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Gemeente counts of every classification year restated onto ``ref_year``.

    ``crosswalks`` (year -> crosswalk onto ``ref_year``) is filled for reuse by
    :func:`carry_unchanged_rates`.
    """
    from analysis import geo

    crosswalks = {} if crosswalks is None else crosswalks
    gm = _additive_gemeente_counts(df)
    out = []
    ref_gdf = geo.load_boundaries("gemeente", ref_year, settings=settings)
    ref_names = dict(zip(ref_gdf["statcode"], ref_gdf["statnaam"], strict=True))
    for year, part in gm.groupby("indeling_jaar"):
        year = int(year)
        if year == ref_year:
            out.append(part)
            continue
        try:
            van = geo.load_boundaries("gemeente", year, settings=settings)
        except (FileNotFoundError, ValueError) as exc:
            report.warn(
                f"no gemeente boundaries for {year}; its figures are not restated "
                f"onto {ref_year} ({exc})"
            )
            continue
        cw = geo.crosswalk_from_boundaries(van, ref_gdf)
        crosswalks[year] = cw
        codes = set(part["regio_code"])
        unknown = codes - set(cw["van_code"])
        if unknown:
            report.warn(
                f"{year}: {len(unknown)} codes not in the {year} boundaries "
                f"({', '.join(sorted(unknown)[:5])}); dropped from the restatement"
            )
            part = part[~part["regio_code"].isin(unknown)]
        by = list(VALUE_KEYS)
        restated = geo.restate_counts(
            part, cw, code_col="regio_code", value_col="waarde", by=by, naam=ref_names
        )
        restated["regio_niveau"] = "gemeente"
        restated["indeling_jaar"] = ref_year
        restated["onderdrukt"] = restated["waarde"].isna()
        restated["dekking"] = restated.get("volledig", True)
        restated["dekking"] = restated["dekking"].astype(float)
        if "regio_naam" not in restated:
            restated["regio_naam"] = restated["regio_code"].map(ref_names)
        out.append(restated[COLUMNS])
        # conservation: national totals of complete indicator-periods are unchanged
        for (ind, per), grp in part.groupby(["indicator", "periode"]):
            if grp["waarde"].isna().any():
                continue
            after = restated[(restated["indicator"] == ind) & (restated["periode"] == per)]
            ok = np.isclose(grp["waarde"].sum(), after["waarde"].sum(), rtol=1e-9)
            if not ok:
                report.check(
                    f"conservation {ind} {per} {year}->{ref_year}",
                    False,
                    f"{grp['waarde'].sum()} vs {after['waarde'].sum()}",
                )
        report.check(
            f"harmonised {year}->{ref_year}",
            True,
            f"{part['regio_code'].nunique()} gemeenten -> {restated['regio_code'].nunique()}",
        )
    return pd.concat(out, ignore_index=True) if out else gm.iloc[0:0]


def carry_unchanged_rates(
    df: pd.DataFrame, ref_year: int, crosswalks: dict[int, pd.DataFrame]
) -> pd.DataFrame:
    """Non-additive gemeente figures (CBS's own percentages) onto ``ref_year``, unchanged,
    for gemeenten that map one-to-one (``ongewijzigd``); merged or split gemeenten get none
    (a rate cannot be restated without its numerator and denominator)."""
    additive = {i.id for i in registry.INDICATORS if i.additief}
    rates = df[df["regio_niveau"].eq("gemeente") & ~df["indicator"].isin(additive)]
    out = []
    for year, part in rates.groupby("indeling_jaar"):
        cw = crosswalks.get(int(year))
        if cw is None or int(year) == ref_year:
            continue
        into = cw.groupby("naar_code")["van_code"].agg(list)
        one = {
            c
            for c, srcs in into.items()
            if srcs == [c]
            and (cw.loc[cw["naar_code"] == c, "methode"] == "ongewijzigd").all()
            and (cw["van_code"] == c).sum() == 1
        }
        out.append(part[part["regio_code"].isin(one)].assign(indeling_jaar=ref_year))
    return pd.concat(out, ignore_index=True) if out else rates.iloc[0:0]


def aggregate(df: pd.DataFrame, memberships: pd.DataFrame, report: BuildReport) -> pd.DataFrame:
    """Sum additive gemeente counts to jeugdregio and provincie per classification year."""
    gm = _additive_gemeente_counts(df)
    out = []
    for indeling in ("jeugdregio", "provincie"):
        mem = memberships[memberships["indeling"] == indeling]
        if mem.empty:
            continue
        mem = mem[["jaar", "gemeente_code", "regio_code", "regio_naam"]].rename(
            columns={
                "jaar": "indeling_jaar",
                "gemeente_code": "gm",
                "regio_code": "rc",
                "regio_naam": "rn",
            }
        )
        sizes = mem.groupby(["indeling_jaar", "rc"]).size().rename("leden")
        joined = gm.merge(
            mem,
            left_on=["indeling_jaar", "regio_code"],
            right_on=["indeling_jaar", "gm"],
            how="inner",
        )
        if joined.empty:
            continue
        keys = ["indeling_jaar", "rc", "rn", *VALUE_KEYS]
        agg = (
            joined.groupby(keys, dropna=False)
            .agg(waarde=("waarde", lambda s: s.sum(min_count=1)), n=("waarde", "count"))
            .reset_index()
        )
        agg = agg.merge(sizes.reset_index(), on=["indeling_jaar", "rc"], how="left")
        agg["dekking"] = agg["n"] / agg["leden"]
        agg = agg.rename(columns={"rc": "regio_code", "rn": "regio_naam"})
        agg["regio_niveau"] = indeling
        agg["onderdrukt"] = agg["waarde"].isna()
        agg["berekend"] = True
        out.append(agg[COLUMNS])
    return pd.concat(out, ignore_index=True) if out else df.iloc[0:0]


_KEY = ["regio_code", "indeling_jaar", "periode", "indicator"]


def _anti_join(df: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``df`` whose :data:`_KEY` is not in ``other``."""
    if other.empty or df.empty:
        return df
    marks = df[_KEY].merge(other[_KEY].drop_duplicates(), on=_KEY, how="left", indicator=True)
    return df[(marks["_merge"] == "left_only").to_numpy()]


def table_classification(
    df: pd.DataFrame, memberships: pd.DataFrame, report: BuildReport
) -> pd.DataFrame:
    """Put each table's rows on the gemeente classification the table actually uses.

    Current CBS tables (85099NED) publish every period in the newest classification; older
    series use each period's own. When a table's gemeenten with a value do not fit the
    classification of their periods but do fit exactly one later classification year's set
    (the latest not after the table's last period, if several), that year becomes the
    ``indeling_jaar`` of all the table's rows. Recorded as a check.
    """
    if df.empty or memberships.empty:
        return df
    valid = memberships.groupby("jaar")["gemeente_code"].agg(set).to_dict()
    out = []
    for bron, part in df.groupby("bron", sort=False):
        gm = part[(part["regio_niveau"] == "gemeente") & part["waarde"].notna()]
        fits = all(
            set(g["regio_code"]) <= valid[int(y)]
            for y, g in gm.groupby("indeling_jaar")
            if int(y) in valid
        )
        if fits or gm.empty:
            out.append(part)
            continue
        codes = set(gm["regio_code"])
        cands = sorted(int(y) for y, v in valid.items() if codes <= v)
        if not cands:
            out.append(part)
            continue
        last = int(part["jaar"].max())
        year = max([y for y in cands if y <= last] or [min(cands)])
        report.check(
            f"{bron}: one classification for all periods",
            True,
            f"{len(codes)} gemeenten fit the classification of {year}, not that of each period",
        )
        out.append(part.assign(indeling_jaar=year))
    return pd.concat(out, ignore_index=True)


def carry_region_totals(source: pd.DataFrame, memberships: pd.DataFrame, ref: int) -> pd.DataFrame:
    """CBS's own jeugdregio/provincie figures copied onto ``ref`` where the region's members
    are the same in the table's classification and in ``ref`` (else the sum stands in)."""
    cbs = source[source["regio_niveau"].isin(["jeugdregio", "provincie"]) & ~source["berekend"]]
    cbs = cbs[cbs["indeling_jaar"] != ref]
    if cbs.empty or memberships.empty:
        return cbs.iloc[0:0]
    members = (
        memberships.groupby(["indeling", "jaar", "regio_code"])["gemeente_code"]
        .agg(frozenset)
        .to_dict()
    )
    same = {}
    for niveau, year, code in (
        cbs[["regio_niveau", "indeling_jaar", "regio_code"]]
        .drop_duplicates()
        .itertuples(index=False)
    ):
        a = members.get((niveau, int(year), code))
        same[(niveau, year, code)] = a is not None and a == members.get((niveau, ref, code))
    keep = [
        same[(n, y, c)]
        for n, y, c in zip(
            cbs["regio_niveau"], cbs["indeling_jaar"], cbs["regio_code"], strict=True
        )
    ]
    return cbs[keep].assign(indeling_jaar=ref)


def compare_region_totals(tidy: pd.DataFrame, sums: pd.DataFrame, report: BuildReport) -> None:
    """CBS's region figure vs the sum of its gemeenten: the difference, per indicator and level.

    Differences come from suppressed gemeente cells and rounding; neither figure is silently
    preferred: the CBS figure is kept (``berekend=False``) and the comparison is recorded.
    """
    cbs = tidy[tidy["regio_niveau"].isin(["jeugdregio", "provincie"]) & ~tidy["berekend"]]
    if cbs.empty or sums.empty:
        return
    both = cbs.merge(sums[[*_KEY, "waarde", "dekking"]], on=_KEY, suffixes=("", "_som"))
    both = both[both["waarde"].notna() & both["waarde_som"].notna()]
    for (ind, niveau), grp in both.groupby(["indicator", "regio_niveau"]):
        diff = grp["waarde"] - grp["waarde_som"]
        worst = grp.loc[diff.abs().idxmax()]
        report.regiototalen.append(
            {
                "indicator": ind,
                "regio_niveau": niveau,
                "paren": len(grp),
                "gelijk": int((diff == 0).sum()),
                "max_verschil": float(diff.abs().max()),
                "max_verschil_relatief": float((diff.abs() / grp["waarde"].abs()).max()),
                "voorbeeld": f"{worst['regio_code']} {worst['periode']} "
                f"(indeling {worst['indeling_jaar']}): CBS {worst['waarde']:g}, "
                f"som gemeenten {worst['waarde_som']:g}",
            }
        )
        report.check(
            f"CBS {niveau} figures vs sum of gemeenten: {ind}",
            True,
            f"{len(grp)} region-periods, {int((diff == 0).sum())} equal, largest difference "
            f"{diff.abs().max():g} ({worst['regio_code']} {worst['periode']}); CBS figure kept",
        )


#: estimate indicator -> the indicator it stands in for (kept only where that one is missing)
ESTIMATES = {"bevolking_0_17_schatting": "bevolking_0_17"}


def _estimates_only_where_needed(tidy: pd.DataFrame, report: BuildReport) -> pd.DataFrame:
    """Drop estimate rows where the real figure exists; record where estimates remain."""
    for estimate, real in ESTIMATES.items():
        est = tidy["indicator"] == estimate
        if not est.any():
            continue
        have = tidy.loc[(tidy["indicator"] == real) & tidy["waarde"].notna(), _KEY[:3]]
        marks = tidy.loc[est, _KEY[:3]].merge(
            have.drop_duplicates(), on=_KEY[:3], how="left", indicator=True
        )
        covered = pd.Series(False, index=tidy.index)
        covered[est[est].index] = (marks["_merge"] == "both").to_numpy()
        tidy = tidy[~covered]
        left = tidy[(tidy["indicator"] == estimate) & tidy["regio_niveau"].eq("gemeente")]
        if not left.empty:
            years = ", ".join(sorted(left["periode"].unique()))
            report.check(
                f"{estimate} used (no {real})",
                True,
                f"{left['regio_code'].nunique()} gemeenten, periods {years}: labelled as estimate",
            )
    return tidy


def drop_impossible(
    df: pd.DataFrame, memberships: pd.DataFrame, report: BuildReport
) -> pd.DataFrame:
    """Drop gemeente rows for codes that do not exist in that year's classification.

    StatLine tables are full cubes: a gemeente that did not exist in a period still has a row,
    with empty cells ("logically impossible", not suppressed). The typed data set shows both
    as ``null``, so the classification of the year decides. A *value* for a code outside the
    classification means the table uses another classification: kept, and reported.
    """
    valid = memberships.groupby("jaar")["gemeente_code"].agg(set).to_dict()
    gm = df["regio_niveau"].eq("gemeente")
    known_year = df["indeling_jaar"].isin(list(valid))
    in_class = pd.Series(
        [
            c in valid.get(int(y), ())
            for c, y in zip(df["regio_code"], df["indeling_jaar"], strict=True)
        ],
        index=df.index,
    )
    outside = gm & known_year & ~in_class
    with_value = outside & df["waarde"].notna()
    if with_value.any():
        bad = df[with_value]
        report.warn(
            f"{len(bad)} values for gemeente codes outside their year's classification "
            f"(e.g. {bad['regio_code'].iloc[0]} in {bad['indeling_jaar'].iloc[0]}, "
            f"{bad['bron'].iloc[0]}); kept as published"
        )
    dropped = outside & ~with_value
    if dropped.any():
        log.info(
            "dropped %d empty cells of gemeenten outside their year's classification",
            int(dropped.sum()),
        )
    return df[~dropped]


def _dedupe_sources(df: pd.DataFrame, priority: list[str]) -> pd.DataFrame:
    """One value per region/period/indicator/classification: the highest-priority table."""
    rank = {t: i for i, t in enumerate(priority)}
    df = df.assign(_rank=df["bron"].map(rank).fillna(len(rank)))
    key = ["regio_code", "indeling_jaar", "periode", "indicator", "berekend"]
    df = df.sort_values("_rank", kind="stable").drop_duplicates(key, keep="first")
    return df.drop(columns="_rank")


# ---------------------------------------------------------------------------------------
# orchestration
# ---------------------------------------------------------------------------------------


def _write_parquet_atomic(df: pd.DataFrame, path: Path) -> None:
    with atomic.replacing(path) as tmp:
        df.to_parquet(tmp, index=False)


def _geo_sources(settings: Settings) -> list[dict]:
    out = []
    for side in sorted(settings.geo_cache_dir.glob("*.topojson.json")) + sorted(
        settings.geo_cache_dir.glob("*_[0-9][0-9][0-9][0-9].json")
    ):
        try:
            entry = json.loads(side.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        entry.setdefault("name", side.name.removesuffix(".json"))
        entry["kind"] = "geo"
        out.append(entry)
    return out


def build(
    settings: Settings,
    *,
    indeling_jaar: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build ``processed/`` from the latest snapshots of every build table."""
    from analysis import geo

    say = progress or log.info
    report = BuildReport()
    specs = registry.tables(build_only=True)
    found: dict[str, tuple[registry.Table, Path]] = {}
    for spec in specs:
        folder = snapshot.latest(settings.raw_dir, spec.catalog, spec.id or "")
        if folder is not None:
            found[spec.id or ""] = (spec, folder)
            report.tables[spec.id or ""] = str(folder)
    if not found:
        raise BuildError(
            f"no snapshots under {settings.raw_dir}; run `python -m analysis data` first"
        )
    say(f"build: {len(found)} table snapshots")

    # 1. memberships
    official = []
    for spec, folder in found.values():
        if spec.series == "gebieden_in_nederland":
            try:
                official.append(memberships_from_gebieden(spec, folder))
            except KeyResolutionError as exc:
                report.warn(str(exc))
    official_df = pd.concat(official, ignore_index=True) if official else pd.DataFrame()
    years_with_data = set()
    # 2. measures
    frames = []
    for spec, folder in found.values():
        if not spec.measures:
            continue
        skipped: list[dict] = []
        try:
            part = extract_measures(spec, folder, skipped)
        except KeyResolutionError as exc:
            raise BuildError(f"{spec.id}: {exc}") from exc
        for item in skipped:
            report.skipped.append(item)
            report.warn(item["tekst"])
        say(f"build: {spec.id}: {len(part)} values")
        frames.append(part)
        years_with_data |= set(part["indeling_jaar"].astype(int))
    if not frames:
        raise BuildError("no table with measures among the snapshots")
    source = pd.concat(frames, ignore_index=True)
    built = set(source.loc[source["waarde"].notna(), "indicator"])
    for item in report.skipped:
        item["elders_gebouwd"] = item["indicator"] in built
    priority = [t.id for t in specs if t.id]
    from analysis.indicators.stapeling_data import overlap_controle, zonder_halfjaar_details

    if (overlap := overlap_controle(source)) is not None:
        report.check(*overlap)
    source = zonder_halfjaar_details(_dedupe_sources(source, priority))
    # wijk rows are their own level: kept apart, never summed into gemeente figures
    wijk_rows = source[source["regio_niveau"].eq("wijk")]
    source = source[~source["regio_niveau"].eq("wijk")]

    gm_years = geo.available_years("gemeente", settings=settings)
    derived = boundary_memberships(years_with_data | set(gm_years), settings, report)
    memberships = combine_memberships(official_df, derived)
    source = table_classification(source, memberships, report)
    source = drop_impossible(source, memberships, report)

    # 3. harmonise onto the reference classification
    ref = indeling_jaar or (max(gm_years) if gm_years else None)
    crosswalks: dict[int, pd.DataFrame] = {}
    report.indeling_jaar = ref
    parts = [source]
    if ref is not None:
        if ref not in gm_years:
            raise BuildError(
                f"reference classification {ref} has no gemeente boundaries; "
                f"available: {', '.join(map(str, gm_years)) or 'none'}"
            )
        harmonised = harmonise(source, ref, settings, report, crosswalks)
        published = source.loc[source["indeling_jaar"] == ref, _KEY]
        harmonised = _anti_join(harmonised, published).assign(berekend=True)
        parts.append(harmonised)
        parts.append(_anti_join(carry_unchanged_rates(source, ref, crosswalks), published))
        parts.append(carry_region_totals(source, memberships, ref))
        # national rows are classification-free: copy them onto the reference year
        land = source[(source["regio_niveau"] == "land") & (source["indeling_jaar"] != ref)]
        parts.append(land.assign(indeling_jaar=ref))
    tidy = pd.concat(parts, ignore_index=True)
    # 4. regional sums; CBS's own region figure is kept where published, and compared
    sums = aggregate(tidy, memberships, report)
    compare_region_totals(tidy, sums, report)
    tidy = pd.concat([tidy, sums], ignore_index=True)
    tidy = tidy.drop_duplicates(_KEY)
    tidy = _estimates_only_where_needed(tidy, report)
    tidy = tidy.astype(
        {
            "indeling_jaar": "int64",
            "jaar": "int64",
            "waarde": "float64",
            "dekking": "float64",
            "onderdrukt": "bool",
            "berekend": "bool",
        }
    )
    tidy = tidy.sort_values(
        ["indicator", "regio_niveau", "regio_code", "indeling_jaar", "periode"]
    ).reset_index(drop=True)
    sources = [snapshot.read_manifest(folder) for _, folder in found.values()]
    for entry in sources:
        entry["overgeslagen_indicatoren"] = [
            s for s in report.skipped if s["tabel"] == entry.get("table_id")
        ]
        spec = found.get(str(entry.get("table_id")), (None, None))[0]
        if spec is not None and spec.peildatum:
            entry["peildatum"] = spec.peildatum
    synthetic = any(s.get("synthetic") for s in sources)
    _checks(tidy, memberships, report, synthetic=synthetic)
    from analysis.indicators.stapeling_data import controle_rapport

    if (stap := controle_rapport(tidy)) is not None:
        report.check(*stap)

    # 5. write
    out = settings.processed_dir
    _write_parquet_atomic(tidy, out / "indicators.parquet")
    _write_parquet_atomic(
        _wijken(wijk_rows, source, memberships, crosswalks, ref, report), out / "wijken.parquet"
    )
    _write_parquet_atomic(memberships.astype({"jaar": "int64"}), out / "regio_indeling.parquet")
    geo_sources = [{**g, "synthetic": synthetic} for g in _geo_sources(settings)]
    snapshot.write_json_atomic(out / "sources.json", sources + geo_sources)
    report.rows = len(tidy)
    # 6. indicators layer: the cohesion analysis every report of a batch needs, computed once
    from analysis.indicators.cohesion import stored

    try:
        stored.materialise(settings.data_dir, progress=say)
    except Exception as exc:  # noqa: BLE001 - reports then compute it themselves
        report.warn(f"samenhang not stored (reports will compute it): {exc}")
    snapshot.write_json_atomic(out / "build_report.json", report.__dict__)
    say(
        f"build: wrote {len(tidy)} rows to {out / 'indicators.parquet'} "
        f"(reference classification {ref}); {len(report.warnings)} warnings"
    )
    return report


def _wijken(
    wijk_rows: pd.DataFrame,
    source: pd.DataFrame,
    memberships: pd.DataFrame,
    crosswalks: dict[int, pd.DataFrame],
    ref: int | None,
    report: BuildReport,
) -> pd.DataFrame:
    """Wijk rows with their gemeente (own year and reference), and the wijk-sum check."""
    from analysis import wijken

    cols = COLUMNS + wijken.WIJK_COLUMNS_EXTRA
    if wijk_rows.empty:
        return pd.DataFrame(columns=cols)
    ref_codes = set(memberships.loc[memberships["jaar"] == ref, "gemeente_code"])
    out = wijken.koppel(wijk_rows, crosswalks, ref, ref_codes)
    controle = wijken.wijksom_controle(out, source)
    name, detail = wijken.samenvatting(controle)
    report.check(name, True, detail)
    onbekend = out.loc[out["koppeling"].eq("onbekend"), "regio_code"].unique()
    if len(onbekend):
        report.warn(
            f"{len(onbekend)} wijken without a gemeente in the reference classification "
            f"(e.g. {onbekend[0]}); kept with gemeente_code_ref missing"
        )
    return out[cols].astype({"indeling_jaar": "int64", "jaar": "int64", "waarde": "float64"})


def _checks(
    tidy: pd.DataFrame, memberships: pd.DataFrame, report: BuildReport, *, synthetic: bool
) -> None:
    """Contract, expected-count and consistency checks, recorded in build_report.json."""
    jz = memberships[memberships["indeling"] == "jeugdregio"]
    for year, grp in jz.groupby("jaar"):
        dup = grp["gemeente_code"].duplicated().sum()
        report.check(f"jeugdregio {year}: one region per gemeente", dup == 0, f"{dup} duplicates")
        n_reg = grp["regio_code"].nunique()
        ok = synthetic or n_reg == registry.EXPECTED_JEUGDREGIOS
        report.check(
            f"jeugdregio {year}: {n_reg} regions",
            ok,
            f"{n_reg} regions, {grp['gemeente_code'].nunique()} gemeenten "
            f"({grp['methode'].iloc[0]})",
        )
    if not synthetic:
        gm = tidy[(tidy["regio_niveau"] == "gemeente") & (tidy["indeling_jaar"] == tidy["jaar"])]
        for year, grp in gm.groupby("jaar"):
            want = registry.EXPECTED_GEMEENTEN.get(int(year))
            n = grp.loc[grp["waarde"].notna(), "regio_code"].nunique()
            if want is not None:
                report.check(f"gemeenten in {year} data", n == want, f"{n} (expected {want})")
    key = ["regio_code", "indeling_jaar", "periode", "indicator"]
    dups = int(tidy.duplicated(key).sum())
    report.check("one value per region/classification/period/indicator", dups == 0, f"{dups}")
    bad_codes = tidy.loc[
        ~tidy["regio_code"].str.fullmatch(r"GM\d{4}|JZ\d{2}|PV\d{2}|NL01"), "regio_code"
    ].unique()
    report.check("region codes well-formed", len(bad_codes) == 0, ", ".join(bad_codes[:5]))
    counts = tidy[tidy["eenheid"].eq("aantal")]
    neg = int((counts["waarde"] < 0).sum())
    report.check("counts non-negative", neg == 0, f"{neg} negative")
    pct = tidy[tidy["eenheid"].str.startswith("%")]
    out_of_range = int(((pct["waarde"] < 0) | (pct["waarde"] > 100)).sum())
    report.check("percentages within 0-100", out_of_range == 0, f"{out_of_range} rows")
    zero_suppressed = tidy[tidy["onderdrukt"] & tidy["waarde"].fillna(-1).eq(0)]
    report.check(
        "suppressed cells are missing, never 0",
        zero_suppressed.empty,
        f"{len(zero_suppressed)} rows",
    )
