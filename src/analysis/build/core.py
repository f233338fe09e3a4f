"""The :func:`build` driver and its checks."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from analysis import datalock, registry
from analysis.build.extract import extract_measures
from analysis.build.harmonisation import (
    _KEY,
    _anti_join,
    _dedupe_sources,
    _estimates_only_where_needed,
    aggregate,
    carry_region_totals,
    carry_unchanged_rates,
    compare_region_totals,
    drop_impossible,
    harmonise,
    table_classification,
)
from analysis.build.memberships import (
    boundary_memberships,
    combine_memberships,
    memberships_from_gebieden,
)
from analysis.build.model import QUIET, BuildError, BuildReport, Steps
from analysis.build.publishing import (
    _versions_dir,
    guard_shrink,
    missing_entries,
    new_version_name,
    publish,
)
from analysis.build.sources import (
    _fill_membership_names,
    _fill_names,
    _geo_sources,
    _write_parquet_atomic,
    select_snapshots,
)
from analysis.cbs import snapshot
from analysis.cbs.keys import (
    KeyResolutionError,
)
from analysis.config import Settings
from analysis.metadata import schema
from analysis.metadata.regions import (
    CODE_PATTERN,
)
from analysis.metadata.schema import COLUMNS, ROW_KEY

log = logging.getLogger("analysis.build")


def build(
    settings: Settings,
    *,
    indeling_jaar: int | None = None,
    progress: Callable[[str], None] | None = None,
    allow_shrink: bool = False,
    missing: Iterable[tuple[str, str]] = (),
    steps: Steps | None = None,
) -> BuildReport:
    """Build ``processed/`` from the latest snapshots of every build table.

    Holds the data-folder lock; verifies every snapshot before reading it; refuses to replace
    a processed layer by one that lost a table or indicator unless ``allow_shrink``; publishes
    the new layer as one unit (:func:`publish`). ``missing``: ``(table id, message)`` of
    declared tables the server does not have, recorded in ``build_report.json`` (read them
    with :func:`missing_tables`) for the chapters that need them. ``steps``: see :class:`Steps`.
    """
    with datalock.data_lock(settings.data_dir):
        return _build(
            settings,
            indeling_jaar=indeling_jaar,
            progress=progress,
            allow_shrink=allow_shrink,
            missing=list(missing),
            steps=steps or Steps(),
        )


def _build(
    settings: Settings,
    *,
    indeling_jaar: int | None,
    progress: Callable[[str], None] | None,
    allow_shrink: bool,
    missing: list[tuple[str, str]],
    steps: Steps,
) -> BuildReport:
    from analysis import geo

    say = progress or log.info
    report = BuildReport()
    report.missing_tables = missing_entries(missing)
    specs = registry.tables(build_only=True)
    found = select_snapshots(specs, settings, report)
    if not found:
        raise BuildError(
            f"no snapshots under {settings.raw_dir}; run `python -m analysis data` first"
        )
    say(f"build: {len(found)} table snapshots (checksums verified)")

    # 1. memberships
    official = []
    for spec, folder in found.values():
        if spec.reeks == "gebieden_in_nederland":
            try:
                official.append(memberships_from_gebieden(spec, folder))
            except KeyResolutionError as exc:
                report.warn(str(exc))
            except snapshot.SnapshotError as exc:
                raise BuildError(str(exc)) from None
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
        except snapshot.SnapshotError as exc:
            raise BuildError(str(exc)) from None
        for item in skipped:
            report.skipped.append(item)
            report.warn(item["tekst"])
        say(f"build: {spec.id}: {len(part)} values")
        frames.append(part)
        years_with_data |= set(part["indeling_jaar"].astype(int))
    if steps.extra_sources is not None:  # e.g. Iv3 lasten per youth taakveld group
        try:
            frames.extend(steps.extra_sources(list(found.values())))
        except (KeyResolutionError, ValueError) as exc:
            raise BuildError(str(exc)) from exc
    if not frames:
        raise BuildError("no table with measures among the snapshots")
    source = pd.concat(frames, ignore_index=True)
    built = set(source.loc[source["waarde"].notna(), "indicator"])
    for item in report.skipped:
        item["elders_gebouwd"] = item["indicator"] in built
    priority = [t.id for t in specs if t.id]
    for check in steps.source_checks:
        if (result := check(source)) is not None:
            report.check(*result)
    source = _dedupe_sources(source, priority)
    if steps.source_filter is not None:
        source = steps.source_filter(source)
    # wijk rows are their own level: kept apart, never summed into gemeente figures
    wijk_rows = source[source["regio_niveau"].eq("wijk")]
    source = source[~source["regio_niveau"].eq("wijk")]

    gm_years = geo.available_years("gemeente", settings=settings)
    derived = boundary_memberships(years_with_data | set(gm_years), settings, report)
    memberships = combine_memberships(official_df, derived)
    memberships = _fill_membership_names(memberships, report)
    source = table_classification(source, memberships, report)
    source = drop_impossible(source, memberships, report)
    source = _fill_names(source, memberships, report)

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
    if steps.derived is not None:  # e.g. the budget step (docs/budget.md), from the pipeline
        # derived rows are ours: their names come from the classification, without a warning
        extra = _fill_names(steps.derived(tidy, memberships), memberships, QUIET)
        tidy = pd.concat([tidy, extra], ignore_index=True)
    tidy = tidy.drop_duplicates(list(ROW_KEY))
    tidy = _estimates_only_where_needed(tidy, report)
    tidy = _fill_names(tidy, memberships, report)
    tidy = tidy.astype({c: t for c, t in schema.dtypes().items() if t != "str"})
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
    for check in steps.checks:  # e.g. the stapeling combinations sum check
        if (result := check(tidy)) is not None:
            report.check(*result)
    guard_shrink(settings, tidy, report, allow_shrink=allow_shrink)

    # 5. write everything into a new version, then switch processed/ to it
    geo_sources = [{**g, "synthetic": synthetic} for g in _geo_sources(settings)]
    report.rows = len(tidy)
    wijk_table = _wijken(wijk_rows, source, memberships, crosswalks, ref, report)
    report.version = new_version_name()

    def write(folder: Path) -> None:
        _write_parquet_atomic(tidy, folder / "indicators.parquet")
        _write_parquet_atomic(wijk_table, folder / "wijken.parquet")
        _write_parquet_atomic(
            memberships.astype({"jaar": "int64"}), folder / "regio_indeling.parquet"
        )
        snapshot.write_json_atomic(folder / "sources.json", sources + geo_sources)
        snapshot.write_json_atomic(folder / "build_report.json", report.__dict__)

    try:
        publish(settings, write, report.version)
    except OSError as exc:
        raise BuildError(
            f"could not write the processed layer under {_versions_dir(settings)} "
            f"({exc.strerror or exc}{': ' + exc.filename if exc.filename else ''}); "
            f"{settings.processed_dir} is unchanged. Free disk space (or fix permissions) "
            "and run `python -m analysis build` again"
        ) from None
    out = settings.processed_dir
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
    dups = int(tidy.duplicated(list(ROW_KEY)).sum())
    report.check("one value per region/classification/period/indicator", dups == 0, f"{dups}")
    bad_codes = tidy.loc[~tidy["regio_code"].str.fullmatch(CODE_PATTERN), "regio_code"].unique()
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
