"""The data job end to end: fetch snapshots and boundaries, then build ``processed/``.

Used by ``python -m analysis data`` (live CBS or any OData server named by
``CBS_CATALOG_URL``) and by ``python -m analysis demo-data``, which serves Demoland through
the replay server and runs exactly the same code path with the real ``cbsodata`` client.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from analysis import registry
from analysis.build import BuildReport, build
from analysis.cbs.fetch import FetchResult, RetryPolicy, fetch_tables
from analysis.config import Settings, settings
from analysis.geo.boundaries import LAYERS

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

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def summary(self) -> str:
        lines = ["", "== data run summary =="]
        for r in self.fetched:
            lines.append(f"  {r.table_id:<10} {r.status:<10} {r.message}")
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
) -> DataRun:
    """Fetch the build tables (or ``table_ids``) and boundaries, then build.

    Indicators a table could not provide (a category or measure not found, a cut table) are
    named in the summary; they make the run fail unless ``keep_going``.
    """
    cfg = cfg or settings()
    say = progress or print
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
        elif r.status == "not_found":
            msg = f"{r.table_id}: {r.message}"
            if explicit or (spec.status == "confirmed" and spec.required):
                run.errors.append(msg)
            else:
                say(f"warning: {msg} (id is unconfirmed in the registry)")
    if not explicit:
        run.geo = fetch_geo(years, cfg, say)
        for layer in REQUIRED_LAYERS:
            if not any(g[0] == layer and g[2] == "ok" for g in run.geo):
                run.errors.append(
                    f"no {layer} boundaries for any of the years {years[0]}–{years[-1]}"
                )
    if do_build:
        try:
            run.build = build(cfg, indeling_jaar=indeling_jaar, progress=say)
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


def demoland_settings(base: Settings | None = None) -> Settings:
    """Settings of the Demoland profile: everything under ``data/demoland/``."""
    base = base or settings()
    root = base.root / "data" / "demoland"
    if os.environ.get("ANALYSIS_DEMO_DIR"):
        root = Path(os.environ["ANALYSIS_DEMO_DIR"]).resolve()
    return replace(base, data_dir=root, reports_dir=base.reports_dir, offline=False)


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
    info = generate(dumps, n_gemeenten=n_gemeenten, n_regios=n_regios, seed=seed)
    say(f"Demoland (SYNTHETISCH): {n_gemeenten} gemeenten, {n_regios} jeugdregio's -> {dumps}")
    first, last = getattr(info, "first_year", 2015), getattr(info, "last_year", 2025)
    with serving_demoland(dumps, demo) as served:
        return run_data(
            cfg=served,
            years=tuple(range(first, last + 1)),
            synthetic=True,
            policy=RetryPolicy(backoff=0.05, timeout=(5.0, 60.0)),
            progress=say,
            exclude=[str(t["id"]) for t in getattr(info, "not_generated", [])],
        )
