"""The data job end to end: fetch snapshots and boundaries, build ``processed/``, then the
derived steps (the stored cohesion analysis).

Used by ``python -m analysis data`` (live CBS or any OData server named by
``CBS_CATALOG_URL``) and by ``python -m analysis demo-data``, which serves Demoland through
the replay server and runs exactly the same code path with the real ``cbsodata`` client.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from analysis import registry
from analysis.build import BuildReport, Steps, build
from analysis.cbs import snapshot
from analysis.cbs.fetch import FetchResult, RetryPolicy, fetch_tables
from analysis.config import Settings, demoland_settings, settings
from analysis.datalock import DataFolderBusy, data_lock
from analysis.metadata.regions import LAYERS

log = logging.getLogger("analysis.pipeline")

GEO_LAYERS = tuple(LAYERS)  # every layer the reports can use
#: layers every report needs; the other divisions are optional
REQUIRED_LAYERS = ("gemeente", "jeugdregio")


@dataclass
class DataRun:
    fetched: list[FetchResult] = field(default_factory=list)
    geo: list[tuple[str, int, str]] = field(default_factory=list)  # layer, year, status
    build: BuildReport | None = None
    errors: list[str] = field(default_factory=list)
    #: declared tables the server does not have: (table id, message); not an error unless strict
    missing: list[tuple[str, str]] = field(default_factory=list)
    #: tables that failed but still have a last good snapshot: (table id, snapshot folder)
    stale: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def summary(self) -> str:
        lines = ["", "== data run summary =="]
        for r in self.fetched:
            lines.append(f"  {r.table_id:<10} {r.status:<10} {r.message}")
        if self.missing:
            lines.append(
                f"  missing on the server ({len(self.missing)}; reports are rendered without "
                f"them): {', '.join(t for t, _ in self.missing)}"
            )
        for table_id, folder in self.stale:
            lines.append(f"  STALE: {table_id} uses its last good snapshot {folder}")
        got = sum(1 for _, _, s in self.geo if s == "ok")
        lines.append(
            f"  boundaries: {got} layer-years available, {len(self.geo) - got} not available"
        )
        if self.build is not None:
            lines.append(
                f"  processed: {self.build.rows} rows, reference classification "
                f"{self.build.indeling_jaar}, {len(self.build.warnings)} warnings"
            )
            for s in self.build.skipped:
                lines.append(f"  indicator {s['indicator']} not built: {s['tekst']}")
        for e in self.errors:
            lines.append(f"  ERROR: {e}")
        return "\n".join(lines)


def fetch_geo(
    years: Sequence[int], cfg: Settings, say: Callable[[str], None], layers=GEO_LAYERS
) -> list[tuple[str, int, str]]:
    """Cache every boundary layer-year that exists; missing ones are reported, not fatal."""
    from analysis.geo import fetch_layer

    out = []
    for year in years:
        for layer in layers:
            try:
                fetch_layer(layer, year, settings=cfg)
                out.append((layer, year, "ok"))
            except (FileNotFoundError, OSError, ValueError, RuntimeError) as exc:
                out.append((layer, year, f"{type(exc).__name__}: {str(exc)[:160]}"))
    got = [f"{layer}_{y}" for layer, y, s in out if s == "ok"]
    say(f"boundaries: {len(got)} layer-years cached under {cfg.geo_cache_dir}")
    return out


def run_data(
    *,
    cfg: Settings | None = None,
    table_ids: Sequence[str] | None = None,
    years: Sequence[int] = tuple(range(2015, 2027)),
    indeling_jaar: int | None = None,
    do_build: bool = True,
    synthetic: bool = False,
    policy: RetryPolicy | None = None,
    progress: Callable[[str], None] | None = None,
    keep_going: bool = False,
    exclude: Sequence[str] = (),
    allow_shrink: bool = False,
    strict: bool = False,
) -> DataRun:
    """Fetch the build tables (or ``table_ids``) and boundaries, then build.

    Holds the data-folder lock throughout. A declared table the server does not have (404:
    retired or wrong id) is listed in the summary and in ``build_report.json`` and is not an
    error, unless ``strict`` or the table was asked for by id; a table that failed for another
    reason is an error, and the build uses its last good snapshot (named as stale).
    Indicators a table could not provide (a category or measure not found, a cut table) are
    named in the summary; they make the run fail unless ``keep_going``. ``exclude``: table ids
    not to fetch (e.g. tables Demoland does not generate).
    """
    cfg = cfg or settings()
    say = progress or print
    try:
        with data_lock(cfg.data_dir):
            return _run_data(
                cfg=cfg,
                table_ids=table_ids,
                years=years,
                indeling_jaar=indeling_jaar,
                do_build=do_build,
                synthetic=synthetic,
                policy=policy,
                say=say,
                allow_shrink=allow_shrink,
                strict=strict,
                keep_going=keep_going,
                exclude=exclude,
            )
    except DataFolderBusy as exc:
        run = DataRun(errors=[str(exc)])
        say(run.summary())
        return run


def _run_data(
    *,
    cfg: Settings,
    table_ids: Sequence[str] | None,
    years: Sequence[int],
    indeling_jaar: int | None,
    do_build: bool,
    synthetic: bool,
    policy: RetryPolicy | None,
    say: Callable[[str], None],
    allow_shrink: bool,
    strict: bool,
    keep_going: bool,
    exclude: Sequence[str],
) -> DataRun:
    run = DataRun()
    explicit = table_ids is not None
    specs = registry.tables(ids=table_ids) if explicit else registry.tables(build_only=True)
    if not explicit:
        specs = [s for s in specs if any(s.covers(y) for y in years) and s.id not in exclude]
    run.fetched = fetch_tables(
        specs, years=years, settings=cfg, policy=policy, progress=say, synthetic=synthetic
    )
    for r, spec in zip(run.fetched, specs, strict=True):
        if r.status == "failed":
            run.errors.append(f"{r.table_id}: {r.message}")
            last = snapshot.latest(cfg.raw_dir, spec.catalog, r.table_id)
            if last is not None:
                run.stale.append((r.table_id, str(last)))
        elif r.status == "not_found":
            run.missing.append((r.table_id, r.message))
            last = snapshot.latest(cfg.raw_dir, spec.catalog, r.table_id)
            if last is not None:
                run.stale.append((r.table_id, str(last)))
            if explicit or strict:
                run.errors.append(f"{r.table_id}: {r.message}")
            else:
                use = f"its last snapshot {last} is used" if last else "reports go without it"
                say(f"warning: {r.table_id}: {r.message}; {use}")
    if not explicit:
        run.geo = fetch_geo(years, cfg, say)
        for layer in REQUIRED_LAYERS:
            if not any(g[0] == layer and g[2] == "ok" for g in run.geo):
                run.errors.append(
                    f"no {layer} boundaries for any of the years {years[0]}–{years[-1]}"
                )
    if do_build:
        try:
            run.build = build_processed(
                cfg,
                indeling_jaar=indeling_jaar,
                progress=say,
                allow_shrink=allow_shrink,
                missing=run.missing,
            )
        except Exception as exc:  # noqa: BLE001 - reported with its cause, run ends non-zero
            run.errors.append(f"build: {type(exc).__name__}: {exc}")
        if run.build is not None and run.build.skipped and not keep_going:
            names = ", ".join(sorted({s["indicator"] for s in run.build.skipped}))
            run.errors.append(
                f"build: indicators not built ({names}); the others are in processed/ "
                "(use --keep-going to accept this)"
            )
    say(run.summary())
    return run


def build_processed(
    cfg: Settings,
    *,
    indeling_jaar: int | None = None,
    progress: Callable[[str], None] | None = None,
    allow_shrink: bool = False,
    missing: Sequence[tuple[str, str]] = (),
) -> BuildReport:
    """``build`` the processed layer with the steps of the indicator layer plugged in (Iv3
    lasten as sources, the derived budget indicators; :class:`analysis.build.Steps`), then run
    the derived steps on it: the cohesion analysis every report of a batch needs, computed
    once. A failing cohesion step is a warning (reports then compute it themselves), never a
    failed build."""
    from analysis.indicators import budget_stap, stapeling_data
    from analysis.indicators.cohesion import stored

    report = build(
        cfg,
        indeling_jaar=indeling_jaar,
        progress=progress,
        allow_shrink=allow_shrink,
        missing=missing,
        steps=Steps(
            extra_sources=budget_stap.iv3_frames,
            derived=budget_stap.afgeleid,
            checks=(stapeling_data.controle_rapport,),
            source_checks=(stapeling_data.overlap_controle,),
            source_filter=stapeling_data.zonder_halfjaar_details,
        ),
    )
    try:
        stored.materialise(cfg.data_dir, progress=progress)
    except Exception as exc:  # noqa: BLE001 - reports then compute it themselves
        report.warn(f"samenhang not stored (reports will compute it): {exc}")
    return report


@contextmanager
def serving_demoland(dumps: Path, cfg: Settings) -> Iterator[Settings]:
    """Serve Demoland dumps and boundaries over HTTP on 127.0.0.1; yield settings pointing there."""
    from analysis.replay import ReplayServer

    with ReplayServer(dumps / "opendata", geo_dir=dumps / "geo") as srv:
        yield replace(
            cfg,
            catalog_urls={"opendata": srv.url, "dataderden": srv.url},
            geo_base_url=f"{srv.url}/geo",
        )


def _forget_other_demoland(
    demo: Settings, dumps: Path, wanted: tuple[int, int, int], say: Callable[[str], None]
) -> None:
    """A Demoland of another size or seed: drop its snapshots and boundaries so that the new
    one is downloaded in full (its tables carry the same ``Modified`` dates)."""
    from analysis.demo.generator import INFO_FILE

    try:
        old = json.loads((dumps / INFO_FILE).read_text(encoding="utf-8"))
        before = (int(old["n_gemeenten"]), int(old["n_regios"]), int(old["seed"]))
    except (OSError, ValueError, KeyError, TypeError):
        before = None
    if before is None or before == wanted:
        if before is None and demo.raw_dir.exists():
            shutil.rmtree(demo.raw_dir)  # snapshots of an unknown Demoland: start afresh
        return
    say(
        f"Demoland changes from {before[0]} gemeenten/{before[1]} jeugdregio's (seed "
        f"{before[2]}) to {wanted[0]}/{wanted[1]} (seed {wanted[2]}): regenerating, the old "
        "snapshots are removed"
    )
    if demo.raw_dir.exists():
        shutil.rmtree(demo.raw_dir)


def run_demo_data(
    *,
    n_gemeenten: int = 40,
    n_regios: int = 4,
    seed: int = 20261123,
    cfg: Settings | None = None,
    progress: Callable[[str], None] | None = None,
) -> DataRun:
    """Generate Demoland, fetch it through the replay server with cbsodata, build it."""
    from analysis.demo import generate

    say = progress or print
    demo = demoland_settings(cfg)
    dumps = demo.data_dir / "dumps"
    try:
        with data_lock(demo.data_dir):
            _forget_other_demoland(demo, dumps, (n_gemeenten, n_regios, seed), say)
    except DataFolderBusy as exc:
        run = DataRun(errors=[str(exc)])
        say(run.summary())
        return run
    info = generate(dumps, n_gemeenten=n_gemeenten, n_regios=n_regios, seed=seed)
    say(f"Demoland (SYNTHETISCH): {n_gemeenten} gemeenten, {n_regios} jeugdregio's -> {dumps}")
    first, last = getattr(info, "first_year", 2015), getattr(info, "last_year", 2025)
    with serving_demoland(dumps, demo) as served:
        run = run_data(
            cfg=served,
            years=tuple(range(first, last + 1)),
            synthetic=True,
            policy=RetryPolicy(backoff=0.05, timeout=(5.0, 60.0)),
            progress=say,
            exclude=[str(t["id"]) for t in getattr(info, "not_generated", [])],
        )
    publish_example_localdata(demo, say)
    return run


def publish_example_localdata(demo: Settings, say: Callable[[str], None]) -> None:
    """Check and publish Demoland's synthetic local-data files into its processed layer, so the
    offline demo shows local waiting times, building blocks and budgets: the committed examples
    (``data/registry/voorbeeld``), where the generated Demoland has its own file of a kind
    (``dumps/registry/<kind>``, e.g. a budget per gemeente of this Demoland) that one instead."""
    import shutil
    import tempfile

    from analysis import localdata

    examples = demo.root / "data" / "registry" / "voorbeeld"
    generated = demo.data_dir / "dumps" / "registry"
    if not (demo.processed_dir / "regio_indeling.parquet").exists():
        return
    origin: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="lokaal-", dir=demo.data_dir) as tmp:
        root = Path(tmp)
        for source in (examples, generated):
            if not source.is_dir():
                continue
            for kind_dir in source.iterdir():
                if kind_dir.is_dir() and any(kind_dir.glob("*.csv")):
                    shutil.rmtree(root / kind_dir.name, ignore_errors=True)
                    shutil.copytree(kind_dir, root / kind_dir.name)
                    origin[kind_dir.name] = kind_dir
        res = localdata.load(root, demo.processed_dir)
    for problem in res.problems:
        text = str(problem)
        for name, where in origin.items():  # name the file the user has, not the copy
            text = text.replace(str(root / name), str(where))
        say(f"lokale bronnen (voorbeeld): {text}")
    say(f"lokale bronnen (voorbeeld, synthetisch): {', '.join(sorted(res.published)) or 'geen'}")
